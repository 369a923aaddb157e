#include "media/core/rtcp_bye.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_hdr.h"

int rtcp_bye_parse(struct rtcp_bye *b, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!b)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_BYE)
        return -EINVAL;
    size_t ssrc_len = (size_t)h.count * 4;
    if (h.body_len < ssrc_len)
        return -EBADMSG;
    memset(b, 0, sizeof *b);
    b->n_ssrc = h.count;
    for (size_t i = 0; i < h.count; i++)
        b->ssrc[i] = rtcp_get32(h.body + 4 * i);
    size_t rest = h.body_len - ssrc_len;
    if (rest > 0) {
        const uint8_t *r = h.body + ssrc_len;
        if ((size_t)r[0] > rest - 1)
            return -EBADMSG;
        b->has_reason = true;
        b->reason_len = r[0];
        b->reason = r + 1;
    }
    return 0;
}

int rtcp_bye_write(const struct rtcp_bye *b, uint8_t *out, size_t cap, size_t *written)
{
    if (!b || !written || b->n_ssrc > RTCP_BYE_MAX_SSRC ||
        (b->has_reason && b->reason_len && !b->reason))
        return -EINVAL;
    size_t ssrc_len = (size_t)b->n_ssrc * 4;
    size_t reason_len = b->has_reason ? ((1 + (size_t)b->reason_len + 3) & ~(size_t)3) : 0;
    size_t size = RTCP_HDR_LEN + ssrc_len + reason_len;
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_BYE, b->n_ssrc, size, out, cap, &w);
    if (rc < 0)
        return rc;
    uint8_t *p = out + RTCP_HDR_LEN;
    for (size_t i = 0; i < b->n_ssrc; i++)
        rtcp_put32(p + 4 * i, b->ssrc[i]);
    if (b->has_reason) {
        p += ssrc_len;
        memset(p, 0, reason_len); /* null padding to the boundary */
        p[0] = b->reason_len;
        if (b->reason_len)
            memcpy(p + 1, b->reason, b->reason_len);
    }
    *written = size;
    return 0;
}
