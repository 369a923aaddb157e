#include "media/core/rtcp_rr.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_hdr.h"

int rtcp_rr_parse(struct rtcp_rr *rr, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!rr)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_RR)
        return -EINVAL;
    if (h.body_len < 4)
        return -EBADMSG;
    memset(rr, 0, sizeof *rr);
    rr->ssrc = rtcp_get32(h.body);
    rr->rb_count = h.count;
    return rtcp_rb_parse_list(rr->rb, h.count, h.body + 4, h.body_len - 4);
}

int rtcp_rr_write(const struct rtcp_rr *rr, uint8_t *out, size_t cap, size_t *written)
{
    if (!rr || !written || rr->rb_count > RTCP_RB_MAX)
        return -EINVAL;
    size_t size = RTCP_HDR_LEN + 4 + (size_t)rr->rb_count * RTCP_RB_LEN;
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_RR, rr->rb_count, size, out, cap, &w);
    if (rc < 0)
        return rc;
    rtcp_put32(out + RTCP_HDR_LEN, rr->ssrc);
    rc = rtcp_rb_write_list(rr->rb, rr->rb_count, out + RTCP_HDR_LEN + 4, size - RTCP_HDR_LEN - 4,
                            &w);
    if (rc < 0)
        return rc;
    *written = size;
    return 0;
}
