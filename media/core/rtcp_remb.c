#include "media/core/rtcp_remb.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_hdr.h"

static const uint8_t remb_id[4] = {'R', 'E', 'M', 'B'};

int rtcp_remb_parse(struct rtcp_remb *r, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!r)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_PSFB || h.count != RTCP_PSFB_AFB)
        return -EINVAL;
    const uint8_t *b = h.body;
    if (h.body_len < 16 || memcmp(b + 8, remb_id, 4) != 0)
        return -EBADMSG;
    uint8_t n = b[12];
    if ((h.body_len - 16) / 4 < n)
        return -EBADMSG;
    unsigned exp = b[13] >> 2;
    uint64_t mantissa = (uint64_t)(b[13] & 3) << 16 | rtcp_get16(b + 14);
    if ((mantissa << exp) >> exp != mantissa)
        return -EBADMSG; /* over 2^64 bit/s */
    r->sender_ssrc = rtcp_get32(b);
    r->media_ssrc = rtcp_get32(b + 4);
    r->bitrate = mantissa << exp;
    r->n_ssrc = n;
    for (size_t i = 0; i < n; i++)
        r->ssrc[i] = rtcp_get32(b + 16 + 4 * i);
    return 0;
}

int rtcp_remb_write(const struct rtcp_remb *r, uint8_t *out, size_t cap, size_t *written)
{
    if (!r || !written)
        return -EINVAL;
    size_t size = RTCP_FB_HDR_LEN + 8 + 4 * (size_t)r->n_ssrc;
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_PSFB, RTCP_PSFB_AFB, size, out, cap, &w);
    if (rc < 0)
        return rc;
    unsigned exp = 0;
    while ((r->bitrate >> exp) > RTCP_REMB_MANTISSA_MAX)
        exp++; /* at most 46 steps */
    uint32_t mantissa = (uint32_t)(r->bitrate >> exp);
    rtcp_put32(out + 4, r->sender_ssrc);
    rtcp_put32(out + 8, r->media_ssrc);
    memcpy(out + 12, remb_id, 4);
    out[16] = r->n_ssrc;
    out[17] = (uint8_t)(exp << 2 | mantissa >> 16);
    rtcp_put16(out + 18, (uint16_t)mantissa);
    for (size_t i = 0; i < r->n_ssrc; i++)
        rtcp_put32(out + 20 + 4 * i, r->ssrc[i]);
    *written = size;
    return 0;
}
