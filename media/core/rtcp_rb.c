#include "media/core/rtcp_rb.h"

#include <errno.h>

#include "media/core/rtcp_hdr.h"

int rtcp_rb_parse(struct rtcp_rb *rb, const uint8_t *buf, size_t len)
{
    if (!rb || (!buf && len))
        return -EINVAL;
    if (len < RTCP_RB_LEN)
        return -EBADMSG;
    rb->ssrc = rtcp_get32(buf);
    rb->fraction_lost = buf[4];
    uint32_t lost = rtcp_get24(buf + 5);
    /* Sign-extend the 24-bit two's complement count. */
    rb->cumulative_lost = (lost & 0x800000) ? (int32_t)lost - 0x1000000 : (int32_t)lost;
    rb->ext_highest_seq = rtcp_get32(buf + 8);
    rb->jitter = rtcp_get32(buf + 12);
    rb->lsr = rtcp_get32(buf + 16);
    rb->dlsr = rtcp_get32(buf + 20);
    return 0;
}

int rtcp_rb_write(const struct rtcp_rb *rb, uint8_t *out, size_t cap, size_t *written)
{
    if (!rb || !written)
        return -EINVAL;
    if (!out || cap < RTCP_RB_LEN)
        return -ENOSPC;
    int32_t lost = rb->cumulative_lost;
    if (lost > RTCP_RB_LOST_MAX)
        lost = RTCP_RB_LOST_MAX;
    if (lost < RTCP_RB_LOST_MIN)
        lost = RTCP_RB_LOST_MIN;
    rtcp_put32(out, rb->ssrc);
    out[4] = rb->fraction_lost;
    rtcp_put24(out + 5, (uint32_t)lost & 0xffffff);
    rtcp_put32(out + 8, rb->ext_highest_seq);
    rtcp_put32(out + 12, rb->jitter);
    rtcp_put32(out + 16, rb->lsr);
    rtcp_put32(out + 20, rb->dlsr);
    *written = RTCP_RB_LEN;
    return 0;
}

int rtcp_rb_parse_list(struct rtcp_rb *rb, size_t n, const uint8_t *buf, size_t len)
{
    if (n > RTCP_RB_MAX || (!rb && n))
        return -EINVAL;
    if (len / RTCP_RB_LEN < n)
        return -EBADMSG;
    for (size_t i = 0; i < n; i++) {
        int rc = rtcp_rb_parse(&rb[i], buf + i * RTCP_RB_LEN, RTCP_RB_LEN);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int rtcp_rb_write_list(const struct rtcp_rb *rb, size_t n, uint8_t *out, size_t cap,
                       size_t *written)
{
    if (!written || n > RTCP_RB_MAX || (!rb && n))
        return -EINVAL;
    if (cap / RTCP_RB_LEN < n || (!out && n))
        return -ENOSPC;
    for (size_t i = 0; i < n; i++) {
        size_t w;
        int rc = rtcp_rb_write(&rb[i], out + i * RTCP_RB_LEN, RTCP_RB_LEN, &w);
        if (rc < 0)
            return rc;
    }
    *written = n * RTCP_RB_LEN;
    return 0;
}
