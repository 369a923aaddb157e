/* libFuzzer target: RFC 7983 demultiplexing. The classifiers must be total
 * and agree with each other and with demux_min_len; nothing else is called
 * on the packet, whatever its kind. */
#include <stdlib.h>
#include <string.h>

#include "media/core/demux.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

/* The first-byte answer recomputed from RFC 7983 §7 and RFC 5761 §4. */
static enum demux_kind reference(const uint8_t *p, size_t n)
{
    if (n == 0)
        return DEMUX_UNKNOWN;
    unsigned b = p[0];
    if (b <= 3)
        return DEMUX_STUN;
    if (b >= 16 && b <= 19)
        return DEMUX_ZRTP;
    if (b >= 20 && b <= 63)
        return DEMUX_DTLS;
    if (b >= 64 && b <= 79)
        return DEMUX_TURN_CHANNEL;
    if (b < 128 || b > 191)
        return DEMUX_UNKNOWN;
    return (n >= 2 && p[1] >= 192 && p[1] <= 223) ? DEMUX_RTCP : DEMUX_RTP;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum demux_kind loose = demux_classify(data, size);
    enum demux_kind strict = demux_classify_strict(data, size);
    CHECK(loose == reference(data, size));
    CHECK(strict == loose || strict == DEMUX_UNKNOWN);
    CHECK(loose >= DEMUX_UNKNOWN && loose <= DEMUX_RTCP);
    CHECK(demux_kind_name(loose) != NULL && demux_kind_name(strict) != NULL);
    CHECK((demux_min_len(loose) == 0) == (loose == DEMUX_UNKNOWN));
    if (strict != DEMUX_UNKNOWN)
        CHECK(size >= demux_min_len(strict));
    /* RTP, RTCP and DTLS are judged on length alone. */
    if (loose == DEMUX_RTP || loose == DEMUX_RTCP || loose == DEMUX_DTLS)
        CHECK(strict == (size >= demux_min_len(loose) ? loose : DEMUX_UNKNOWN));
    /* A longer buffer keeps the first-byte answer once the second byte is in. */
    if (size >= 3)
        CHECK(demux_classify(data, size - 1) == loose);
    return 0;
}
