/* SDP round trip: whatever parses must write, parse again to an equal
 * session, and leave no allocation behind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/sdp_equal.h"
#include "media/core/sdp_parse.h"
#include "media/core/sdp_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = mem_live_count();
    struct sdp_session a, b;
    size_t line;
    if (sdp_parse(&a, (const char *)data, size, &line) == 0) {
        char *text;
        size_t len;
        if (sdp_write_dup(&a, &text, &len) != 0)
            abort();
        if (sdp_parse(&b, text, len, &line) != 0)
            abort();
        if (!sdp_equal(&a, &b))
            abort();
        /* Writing the second parse gives the same bytes again. */
        char *again;
        size_t len2;
        if (sdp_write_dup(&b, &again, &len2) != 0 || len2 != len || memcmp(text, again, len) != 0)
            abort();
        mem_free(again);
        mem_free(text);
        sdp_free(&b);
        sdp_free(&a);
    }
    if (mem_live_count() != live)
        abort();
    return 0;
}
