#include "media/core/rtp_hdr.h"

#include <errno.h>
#include <string.h>

/*  RFC 3550 §5.1:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers             |  x CC
 *  |      defined by profile       |           length              |  if X
 *  |                        header extension                       |  length words
 */

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The extension block of §5.3.1, at buf[*off..). Advances *off past it. */
static int parse_ext(struct rtp_hdr *h, const uint8_t *buf, size_t len, size_t *off)
{
    if (len - *off < RTP_HDR_EXT_HDR_LEN)
        return -EBADMSG;
    h->ext_profile = rd16(buf + *off);
    size_t ext_len = (size_t)rd16(buf + *off + 2) * 4;
    *off += RTP_HDR_EXT_HDR_LEN;
    if (len - *off < ext_len)
        return -EBADMSG;
    h->ext = buf + *off;
    h->ext_off = *off;
    h->ext_len = ext_len;
    *off += ext_len;
    return 0;
}

int rtp_hdr_parse(struct rtp_hdr *h, const uint8_t *buf, size_t len)
{
    if (!h)
        return -EINVAL;
    if (!buf || len < RTP_HDR_FIXED_LEN)
        return -EBADMSG;
    if (buf[0] >> 6 != 2)
        return -EBADMSG;
    memset(h, 0, sizeof *h);
    h->padding = buf[0] & 0x20;
    h->extension = buf[0] & 0x10;
    h->cc = buf[0] & 0x0f;
    h->marker = buf[1] & 0x80;
    h->pt = buf[1] & 0x7f;
    h->seq = rd16(buf + 2);
    h->ts = rd32(buf + 4);
    h->ssrc = rd32(buf + 8);

    size_t off = RTP_HDR_FIXED_LEN;
    if (len - off < (size_t)h->cc * 4)
        return -EBADMSG;
    for (unsigned i = 0; i < h->cc; i++, off += 4)
        h->csrc[i] = rd32(buf + off);

    if (h->extension) {
        int rc = parse_ext(h, buf, len, &off);
        if (rc)
            return rc;
    }

    /* §5.1: the last octet counts the padding octets, itself included, so
     * a count of 0 is malformed and the padding may not reach the header. */
    if (h->padding) {
        size_t pad = buf[len - 1];
        if (pad == 0 || pad > len - off)
            return -EBADMSG;
        h->pad_len = pad;
    }
    h->payload = buf + off;
    h->payload_off = off;
    h->payload_len = len - off - h->pad_len;
    return 0;
}

size_t rtp_hdr_len(const struct rtp_hdr *h)
{
    size_t n = RTP_HDR_FIXED_LEN + (size_t)h->cc * 4;
    if (h->extension)
        n += RTP_HDR_EXT_HDR_LEN + h->ext_len;
    return n;
}

int rtp_hdr_write(const struct rtp_hdr *h, uint8_t *out, size_t cap, size_t *written)
{
    if (!h || !written || h->cc > RTP_HDR_MAX_CSRC || h->pt > 127)
        return -EINVAL;
    if (h->extension &&
        (h->ext_len % 4 || h->ext_len > RTP_HDR_EXT_MAX_LEN || (!h->ext && h->ext_len)))
        return -EINVAL;
    size_t n = rtp_hdr_len(h);
    if (!out || cap < n)
        return -ENOSPC;

    out[0] = (uint8_t)(2 << 6 | (h->padding ? 0x20 : 0) | (h->extension ? 0x10 : 0) | h->cc);
    out[1] = (uint8_t)((h->marker ? 0x80 : 0) | h->pt);
    wr16(out + 2, h->seq);
    wr32(out + 4, h->ts);
    wr32(out + 8, h->ssrc);
    size_t off = RTP_HDR_FIXED_LEN;
    for (unsigned i = 0; i < h->cc; i++, off += 4)
        wr32(out + off, h->csrc[i]);
    if (h->extension) {
        wr16(out + off, h->ext_profile);
        wr16(out + off + 2, (uint16_t)(h->ext_len / 4));
        off += RTP_HDR_EXT_HDR_LEN;
        if (h->ext_len)
            memcpy(out + off, h->ext, h->ext_len);
    }
    *written = n;
    return 0;
}

int rtp_hdr_set_ssrc(uint8_t *pkt, size_t len, uint32_t ssrc)
{
    if (!pkt || len < RTP_HDR_FIXED_LEN)
        return -EINVAL;
    wr32(pkt + 8, ssrc);
    return 0;
}

int rtp_hdr_set_seq(uint8_t *pkt, size_t len, uint16_t seq)
{
    if (!pkt || len < RTP_HDR_FIXED_LEN)
        return -EINVAL;
    wr16(pkt + 2, seq);
    return 0;
}

int rtp_hdr_set_ts(uint8_t *pkt, size_t len, uint32_t ts)
{
    if (!pkt || len < RTP_HDR_FIXED_LEN)
        return -EINVAL;
    wr32(pkt + 4, ts);
    return 0;
}

int rtp_hdr_set_pt(uint8_t *pkt, size_t len, uint8_t pt)
{
    if (!pkt || len < RTP_HDR_FIXED_LEN || pt > 127)
        return -EINVAL;
    pkt[1] = (uint8_t)((pkt[1] & 0x80) | pt);
    return 0;
}

int rtp_hdr_set_marker(uint8_t *pkt, size_t len, bool marker)
{
    if (!pkt || len < RTP_HDR_FIXED_LEN)
        return -EINVAL;
    pkt[1] = (uint8_t)((pkt[1] & 0x7f) | (marker ? 0x80 : 0));
    return 0;
}
