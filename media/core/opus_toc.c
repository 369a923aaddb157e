/* opus_toc — Opus TOC byte and packet framing, RFC 6716 §3.1–§3.4. */
#include "media/core/opus_toc.h"

#include <errno.h>
#include <string.h>

/* Code 3 frame count byte (§3.2.5): |v|p|     M     | */
#define FC_VBR 0x80
#define FC_PAD 0x40
#define FC_COUNT 0x3f

/* Frame sizes at 48 kHz per config group (§3.1, Table 2). */
static const uint16_t silk_samples[4] = {480, 960, 1920, 2880}; /* 10, 20, 40, 60 ms */
static const uint16_t hybrid_samples[2] = {480, 960};           /* 10, 20 ms */
static const uint16_t celt_samples[4] = {120, 240, 480, 960};   /* 2.5, 5, 10, 20 ms */
static const enum opus_toc_bandwidth celt_bw[4] = {OPUS_TOC_BW_NB, OPUS_TOC_BW_WB, OPUS_TOC_BW_SWB,
                                                   OPUS_TOC_BW_FB};

/* Every frame size is a multiple of 120 samples (2.5 ms), so this is exact. */
static uint32_t samples_to_us(uint32_t samples)
{
    return samples * 125u / 6u;
}

void opus_toc_decode(uint8_t toc, struct opus_toc *t)
{
    memset(t, 0, sizeof(*t));
    t->config = toc >> 3;
    t->stereo = toc & 0x04;
    t->code = toc & 0x03;
    if (t->config < 12) {
        t->mode = OPUS_TOC_MODE_SILK;
        t->bandwidth = (enum opus_toc_bandwidth)(OPUS_TOC_BW_NB + t->config / 4);
        t->frame_samples = silk_samples[t->config % 4];
    } else if (t->config < 16) {
        t->mode = OPUS_TOC_MODE_HYBRID;
        t->bandwidth = t->config < 14 ? OPUS_TOC_BW_SWB : OPUS_TOC_BW_FB;
        t->frame_samples = hybrid_samples[t->config % 2];
    } else {
        t->mode = OPUS_TOC_MODE_CELT;
        t->bandwidth = celt_bw[(t->config - 16) / 4];
        t->frame_samples = celt_samples[t->config % 4];
    }
    t->frame_us = samples_to_us(t->frame_samples);
    /* Code 3 carries its count in the next byte; opus_toc_parse fills it. */
    static const uint8_t counts[4] = {1, 2, 2, 0};
    t->frame_count = counts[t->code];
    t->vbr = t->code == 2;
    t->duration_samples = (uint32_t)t->frame_count * t->frame_samples;
    t->duration_us = samples_to_us(t->duration_samples);
}

/* One frame length (§3.2.1): 0..251 in one byte, 252..1275 in two as
 * first + 4 * second. */
static int frame_len(const uint8_t *q, size_t avail, size_t *len, size_t *used)
{
    if (avail < 1)
        return -EBADMSG;
    if (q[0] < 252) {
        *len = q[0];
        *used = 1;
        return 0;
    }
    if (avail < 2)
        return -EBADMSG;
    *len = (size_t)q[0] + 4u * q[1];
    *used = 2;
    return 0;
}

/* Code 2 (§3.2.4): a length for the first frame, the second takes the rest.
 * q/rest: the bytes after the TOC. *last: size of the frame not length-coded. */
static int parse_code2(const uint8_t *q, size_t rest, size_t *last)
{
    size_t len, used;
    int rc = frame_len(q, rest, &len, &used);
    if (rc < 0)
        return rc;
    if (len > rest - used) /* R4 */
        return -EBADMSG;
    *last = rest - used - len;
    return 0;
}

/* Padding length (§3.2.5): bytes of 255 add 254 and continue, the final byte
 * 0..254 adds its value. *i advances past the padding length bytes. */
static int padding_len(const uint8_t *q, size_t rest, size_t *i, size_t *pad)
{
    uint8_t b;
    *pad = 0;
    do {
        if (*i >= rest)
            return -EBADMSG;
        b = q[(*i)++];
        *pad += b == 255 ? 254u : b;
    } while (b == 255);
    return 0;
}

/* Code 3 (§3.2.5): frame count byte, optional padding, then M CBR frames or
 * M - 1 length-coded VBR frames plus the last one. */
static int parse_code3(const uint8_t *q, size_t rest, struct opus_toc *t, size_t *last)
{
    if (rest < 1)
        return -EBADMSG;
    uint8_t fc = q[0];
    size_t count = fc & FC_COUNT;
    if (count == 0 || count * t->frame_samples > OPUS_TOC_MAX_PACKET_SAMPLES) /* R5 */
        return -EBADMSG;
    t->frame_count = (uint8_t)count;
    t->vbr = fc & FC_VBR;
    t->padded = fc & FC_PAD;
    size_t i = 1, pad = 0;
    if (t->padded && padding_len(q, rest, &i, &pad) < 0)
        return -EBADMSG;
    if (pad > rest - i) /* R6/R7: the padding must fit */
        return -EBADMSG;
    t->padding_len = pad;
    size_t data = rest - i - pad; /* frame lengths and frame data */
    if (!t->vbr) {
        if (data % count != 0) /* R6 */
            return -EBADMSG;
        *last = data / count;
        return 0;
    }
    for (size_t k = 0; k + 1 < count; k++) {
        size_t len, used;
        if (frame_len(q + i, data, &len, &used) < 0)
            return -EBADMSG;
        i += used;
        data -= used;
        if (len > data) /* R7 */
            return -EBADMSG;
        data -= len;
    }
    *last = data;
    return 0;
}

int opus_toc_parse(const uint8_t *p, size_t n, struct opus_toc *t)
{
    if (!t)
        return -EINVAL;
    if (!p || n == 0) /* R1: at least the TOC byte */
        return -EBADMSG;
    opus_toc_decode(p[0], t);
    size_t rest = n - 1, last = 0;
    int rc = 0;
    switch (t->code) {
    case 0:
        last = rest;
        break;
    case 1: /* R3: two frames of equal size */
        if (rest % 2 != 0)
            return -EBADMSG;
        last = rest / 2;
        break;
    case 2:
        rc = parse_code2(p + 1, rest, &last);
        break;
    default:
        rc = parse_code3(p + 1, rest, t, &last);
        break;
    }
    if (rc < 0)
        return rc;
    if (last > OPUS_TOC_MAX_FRAME_BYTES) /* R2 */
        return -EBADMSG;
    t->duration_samples = (uint32_t)t->frame_count * t->frame_samples;
    t->duration_us = samples_to_us(t->duration_samples);
    return 0;
}

bool opus_toc_is_dtx(const uint8_t *p, size_t n)
{
    (void)p;
    return n <= 2;
}
