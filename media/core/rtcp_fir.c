#include "media/core/rtcp_fir.h"

#include <errno.h>

#include "media/core/rtcp_hdr.h"

int rtcp_fir_parse(struct rtcp_fir *f, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!f)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_PSFB || h.count != RTCP_PSFB_FIR)
        return -EINVAL;
    /* §4.3.1.2: one or more whole FCI entries. */
    if (h.body_len < 8 + RTCP_FIR_ENTRY_LEN || (h.body_len - 8) % RTCP_FIR_ENTRY_LEN != 0)
        return -EBADMSG;
    size_t n = (h.body_len - 8) / RTCP_FIR_ENTRY_LEN;
    if (n > RTCP_FIR_MAX)
        return -ENOSPC;
    f->sender_ssrc = rtcp_get32(h.body);
    f->media_ssrc = rtcp_get32(h.body + 4);
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *e = h.body + 8 + RTCP_FIR_ENTRY_LEN * i;
        f->e[i].ssrc = rtcp_get32(e);
        f->e[i].seq = e[4];
    }
    return 0;
}

int rtcp_fir_write(const struct rtcp_fir *f, uint8_t *out, size_t cap, size_t *written)
{
    if (!f || !written || f->n == 0 || f->n > RTCP_FIR_MAX)
        return -EINVAL;
    size_t size = RTCP_FB_HDR_LEN + RTCP_FIR_ENTRY_LEN * f->n;
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_PSFB, RTCP_PSFB_FIR, size, out, cap, &w);
    if (rc < 0)
        return rc;
    rtcp_put32(out + 4, f->sender_ssrc);
    rtcp_put32(out + 8, f->media_ssrc);
    for (size_t i = 0; i < f->n; i++) {
        uint8_t *e = out + RTCP_FB_HDR_LEN + RTCP_FIR_ENTRY_LEN * i;
        rtcp_put32(e, f->e[i].ssrc);
        e[4] = f->e[i].seq;
        rtcp_put24(e + 5, 0);
    }
    *written = size;
    return 0;
}
