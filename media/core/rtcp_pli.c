#include "media/core/rtcp_pli.h"

#include <errno.h>

#include "media/core/rtcp_hdr.h"

int rtcp_pli_parse(struct rtcp_pli *p, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!p)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_PSFB || h.count != RTCP_PSFB_PLI)
        return -EINVAL;
    if (h.body_len < 8)
        return -EBADMSG;
    p->sender_ssrc = rtcp_get32(h.body);
    p->media_ssrc = rtcp_get32(h.body + 4);
    return 0;
}

int rtcp_pli_write(const struct rtcp_pli *p, uint8_t *out, size_t cap, size_t *written)
{
    if (!p || !written)
        return -EINVAL;
    if (!out || cap < RTCP_PLI_LEN)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_PSFB, RTCP_PSFB_PLI, RTCP_PLI_LEN, out, cap, &w);
    if (rc < 0)
        return rc;
    rtcp_put32(out + 4, p->sender_ssrc);
    rtcp_put32(out + 8, p->media_ssrc);
    *written = RTCP_PLI_LEN;
    return 0;
}
