#include "media/core/sdp_vec.h"

#include <stdint.h>
#include <string.h>

#include "media/core/mem.h"

#define SDP_VEC_MIN 4

void *sdp_vec_push(void *arrp, size_t *n, size_t elem)
{
    char *arr;
    /* memcpy: arrp points at a `struct x *`, read it without aliasing it. */
    memcpy(&arr, arrp, sizeof arr);
    size_t used = *n;
    int grow = used == 0 || (used >= SDP_VEC_MIN && (used & (used - 1)) == 0);
    if (grow) {
        size_t cap = used == 0 ? SDP_VEC_MIN : used * 2;
        if (cap > SIZE_MAX / elem)
            return NULL;
        char *p = mem_realloc(arr, cap * elem);
        if (!p)
            return NULL;
        arr = p;
        memcpy(arrp, &arr, sizeof arr);
    }
    memset(arr + used * elem, 0, elem);
    *n = used + 1;
    return arr + used * elem;
}
