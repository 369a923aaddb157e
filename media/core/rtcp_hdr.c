#include "media/core/rtcp_hdr.h"

#include <errno.h>

int rtcp_hdr_parse(struct rtcp_hdr *h, const uint8_t *buf, size_t len)
{
    if (!h || (!buf && len))
        return -EINVAL;
    if (len < RTCP_HDR_LEN || buf[0] >> 6 != 2)
        return -EBADMSG;
    size_t size = ((size_t)rtcp_get16(buf + 2) + 1) * 4;
    if (size > len)
        return -EBADMSG;
    size_t pad = 0;
    h->padding = (buf[0] & 0x20) != 0;
    if (h->padding) {
        /* §6.4.1: the last octet counts the padding, itself included. */
        pad = buf[size - 1];
        if (pad == 0 || pad > size - RTCP_HDR_LEN)
            return -EBADMSG;
    }
    h->count = buf[0] & 0x1f;
    h->pt = buf[1];
    h->size = size;
    h->body = buf + RTCP_HDR_LEN;
    h->body_len = size - RTCP_HDR_LEN - pad;
    return 0;
}

int rtcp_hdr_write(uint8_t pt, uint8_t count, size_t size, uint8_t *out, size_t cap,
                   size_t *written)
{
    if (!written || count > RTCP_MAX_COUNT || size < RTCP_HDR_LEN || size % 4 != 0 ||
        size > RTCP_MAX_LEN)
        return -EINVAL;
    if (!out || cap < RTCP_HDR_LEN)
        return -ENOSPC;
    out[0] = (uint8_t)(2 << 6 | count);
    out[1] = pt;
    rtcp_put16(out + 2, (uint16_t)(size / 4 - 1));
    *written = RTCP_HDR_LEN;
    return 0;
}

void rtcp_iter_init(struct rtcp_iter *it, const uint8_t *buf, size_t len)
{
    it->buf = buf;
    it->len = buf ? len : 0;
    it->off = 0;
    it->err = 0;
}

int rtcp_iter_next(struct rtcp_iter *it, struct rtcp_pkt *pkt)
{
    if (it->err)
        return it->err;
    if (it->off == it->len)
        return 0;
    /* Appendix A.2: the packet lengths must add up to the datagram. A packet
     * whose framing is broken also breaks every packet after it. */
    struct rtcp_hdr h;
    int rc = rtcp_hdr_parse(&h, it->buf + it->off, it->len - it->off);
    if (rc < 0) {
        it->err = -EBADMSG;
        return it->err;
    }
    pkt->pt = h.pt;
    pkt->fmt = h.count;
    pkt->data = it->buf + it->off;
    pkt->len = h.size;
    it->off += h.size;
    return 1;
}

void rtcp_build_init(struct rtcp_build *b, uint8_t *buf, size_t cap)
{
    b->buf = buf;
    b->cap = buf ? cap : 0;
    b->len = 0;
    b->err = 0;
}

uint8_t *rtcp_build_pos(const struct rtcp_build *b)
{
    return b->buf ? b->buf + b->len : NULL;
}

size_t rtcp_build_room(const struct rtcp_build *b)
{
    return b->err ? 0 : b->cap - b->len;
}

int rtcp_build_add(struct rtcp_build *b, int rc, size_t written)
{
    if (b->err)
        return b->err;
    if (rc < 0)
        b->err = rc;
    else if (written > b->cap - b->len)
        b->err = -EINVAL; /* a writer claiming more than it was given */
    else
        b->len += written;
    return b->err;
}

int rtcp_build_finish(const struct rtcp_build *b, size_t *len)
{
    if (b->err)
        return b->err;
    if (len)
        *len = b->len;
    return 0;
}
