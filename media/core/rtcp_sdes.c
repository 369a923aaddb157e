#include "media/core/rtcp_sdes.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_hdr.h"

/* One chunk at body[*off..len): SSRC, items, null octet, padding to the next
 * 32-bit boundary. The body starts on a boundary, so offsets in it do too. */
static int parse_chunk(struct rtcp_sdes_chunk *c, const uint8_t *body, size_t len, size_t *off)
{
    size_t o = *off;
    if (len - o < 4)
        return -EBADMSG;
    c->ssrc = rtcp_get32(body + o);
    o += 4;
    for (;;) {
        if (o >= len)
            return -EBADMSG; /* no terminating null octet */
        uint8_t type = body[o];
        if (type == RTCP_SDES_END)
            break;
        if (len - o < 2 || len - o - 2 < body[o + 1])
            return -EBADMSG;
        uint8_t ilen = body[o + 1];
        if (type == RTCP_SDES_CNAME && !c->has_cname) {
            c->has_cname = true;
            c->cname_len = ilen;
            c->cname = body + o + 2;
        }
        o += 2 + (size_t)ilen;
    }
    o = (o + 4) & ~(size_t)3; /* the null octet, then up to the boundary */
    if (o > len)
        return -EBADMSG;
    *off = o;
    return 0;
}

int rtcp_sdes_parse(struct rtcp_sdes *s, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!s)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_SDES)
        return -EINVAL;
    memset(s, 0, sizeof *s);
    size_t off = 0;
    for (uint8_t i = 0; i < h.count; i++) {
        rc = parse_chunk(&s->chunks[i], h.body, h.body_len, &off);
        if (rc < 0)
            return rc;
    }
    s->n_chunks = h.count;
    return 0;
}

static size_t chunk_size(const struct rtcp_sdes_chunk *c)
{
    size_t n = 4 + (c->has_cname ? 2 + (size_t)c->cname_len : 0) + 1;
    return (n + 3) & ~(size_t)3;
}

int rtcp_sdes_write(const struct rtcp_sdes *s, uint8_t *out, size_t cap, size_t *written)
{
    if (!s || !written || s->n_chunks > RTCP_SDES_MAX_CHUNKS)
        return -EINVAL;
    size_t size = RTCP_HDR_LEN;
    for (uint8_t i = 0; i < s->n_chunks; i++) {
        if (s->chunks[i].has_cname && s->chunks[i].cname_len && !s->chunks[i].cname)
            return -EINVAL;
        size += chunk_size(&s->chunks[i]);
    }
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_SDES, s->n_chunks, size, out, cap, &w);
    if (rc < 0)
        return rc;
    uint8_t *p = out + RTCP_HDR_LEN;
    for (uint8_t i = 0; i < s->n_chunks; i++) {
        const struct rtcp_sdes_chunk *c = &s->chunks[i];
        size_t csize = chunk_size(c);
        memset(p, 0, csize); /* null octet and padding */
        rtcp_put32(p, c->ssrc);
        if (c->has_cname) {
            p[4] = RTCP_SDES_CNAME;
            p[5] = c->cname_len;
            if (c->cname_len)
                memcpy(p + 6, c->cname, c->cname_len);
        }
        p += csize;
    }
    *written = size;
    return 0;
}

int rtcp_sdes_write_cname(uint32_t ssrc, const char *cname, uint8_t *out, size_t cap,
                          size_t *written)
{
    if (!cname)
        return -EINVAL;
    size_t n = strlen(cname);
    if (n > RTCP_SDES_ITEM_MAX)
        return -EINVAL;
    struct rtcp_sdes s = {.n_chunks = 1};
    s.chunks[0] = (struct rtcp_sdes_chunk){
        .ssrc = ssrc, .has_cname = true, .cname_len = (uint8_t)n, .cname = (const uint8_t *)cname};
    return rtcp_sdes_write(&s, out, cap, written);
}
