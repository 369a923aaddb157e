#include "media/core/rtcp_sr.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_hdr.h"

int rtcp_sr_parse(struct rtcp_sr *sr, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!sr)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_SR)
        return -EINVAL;
    if (h.body_len < RTCP_SR_INFO_LEN)
        return -EBADMSG;
    memset(sr, 0, sizeof *sr);
    const uint8_t *p = h.body;
    sr->ssrc = rtcp_get32(p);
    sr->ntp = (uint64_t)rtcp_get32(p + 4) << 32 | rtcp_get32(p + 8);
    sr->rtp_ts = rtcp_get32(p + 12);
    sr->pkt_count = rtcp_get32(p + 16);
    sr->octet_count = rtcp_get32(p + 20);
    sr->rb_count = h.count;
    return rtcp_rb_parse_list(sr->rb, h.count, p + RTCP_SR_INFO_LEN, h.body_len - RTCP_SR_INFO_LEN);
}

int rtcp_sr_write(const struct rtcp_sr *sr, uint8_t *out, size_t cap, size_t *written)
{
    if (!sr || !written || sr->rb_count > RTCP_RB_MAX)
        return -EINVAL;
    size_t size = RTCP_HDR_LEN + RTCP_SR_INFO_LEN + (size_t)sr->rb_count * RTCP_RB_LEN;
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_SR, sr->rb_count, size, out, cap, &w);
    if (rc < 0)
        return rc;
    uint8_t *p = out + RTCP_HDR_LEN;
    rtcp_put32(p, sr->ssrc);
    rtcp_put32(p + 4, (uint32_t)(sr->ntp >> 32));
    rtcp_put32(p + 8, (uint32_t)sr->ntp);
    rtcp_put32(p + 12, sr->rtp_ts);
    rtcp_put32(p + 16, sr->pkt_count);
    rtcp_put32(p + 20, sr->octet_count);
    rc = rtcp_rb_write_list(sr->rb, sr->rb_count, p + RTCP_SR_INFO_LEN,
                            size - RTCP_HDR_LEN - RTCP_SR_INFO_LEN, &w);
    if (rc < 0)
        return rc;
    *written = size;
    return 0;
}

uint32_t rtcp_sr_lsr(const struct rtcp_sr *sr)
{
    return (uint32_t)(sr->ntp >> 16);
}
