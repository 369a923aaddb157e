/* sdp_vec — growable arrays for the SDP model (a pointer and a count, the
 * capacity implied by the count: 4, then the next power of two).
 *
 * sdp_vec_push(&arr, &n, sizeof *arr) makes room for one more element,
 * zeroes it, increments n and returns it; NULL on allocation failure, with
 * the array and count untouched. The array is allocated through mem.h and
 * released by the owner with mem_free.
 */
#ifndef CAU_SDP_VEC_H
#define CAU_SDP_VEC_H

#include <stddef.h>

/* arrp: address of the array pointer (any object pointer type). */
__attribute__((warn_unused_result)) void *sdp_vec_push(void *arrp, size_t *n, size_t elem);

#endif
