/* libFuzzer target: Opus TOC and packet framing. A packet that parses must
 * obey RFC 6716 §3.4 (R1-R7) as recounted here; the DTX rule is checked on
 * every input. */
#include <errno.h>
#include <stdlib.h>

#include "media/core/opus_toc.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct opus_toc t, toc;
    CHECK(opus_toc_is_dtx(data, size) == (size <= 2));
    int rc = opus_toc_parse(data, size, &t);
    if (rc != 0) {
        CHECK(rc == -EBADMSG);
        /* Only code 1 (odd split), code 2 and code 3 framing, an empty packet
         * or an over-long frame can be malformed. */
        CHECK(size == 0 || (data[0] & 3) != 0 || size - 1 > OPUS_TOC_MAX_FRAME_BYTES);
        return 0;
    }
    opus_toc_decode(data[0], &toc);
    CHECK(t.config == toc.config && t.mode == toc.mode && t.bandwidth == toc.bandwidth);
    CHECK(t.frame_samples == toc.frame_samples && t.stereo == toc.stereo && t.code == toc.code);
    CHECK(t.frame_samples >= 120 && t.frame_samples <= 2880 && t.frame_samples % 120 == 0);
    CHECK(t.frame_us == t.frame_samples * 1000u / 48u);
    CHECK(t.frame_count >= 1 && t.frame_count <= 48);
    CHECK(t.duration_samples == (uint32_t)t.frame_count * t.frame_samples);
    CHECK(t.duration_samples <= OPUS_TOC_MAX_PACKET_SAMPLES);
    CHECK((uint64_t)t.duration_us * 48u == (uint64_t)t.duration_samples * 1000u);
    CHECK(t.padding_len <= size);
    if (t.code < 3) {
        CHECK(t.frame_count == toc.frame_count && !t.padded && t.padding_len == 0);
        CHECK(t.vbr == (t.code == 2));
    } else {
        CHECK(size >= 2 && t.frame_count == (data[1] & 0x3f));
        CHECK(t.vbr == (bool)(data[1] & 0x80) && t.padded == (bool)(data[1] & 0x40));
    }
    if (t.code == 0)
        CHECK(size - 1 <= OPUS_TOC_MAX_FRAME_BYTES);
    if (t.code == 1)
        CHECK((size - 1) % 2 == 0 && (size - 1) / 2 <= OPUS_TOC_MAX_FRAME_BYTES);
    return 0;
}
