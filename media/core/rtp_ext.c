#include "media/core/rtp_ext.h"

#include <errno.h>
#include <string.h>

/* RFC 8285 §4.2, one-byte form: each element starts with one byte
 *   | ID (4) | L (4) |  then L+1 data bytes.
 * §4.3, two-byte form: | ID (8) | L (8) |  then L data bytes.
 * Bytes of value 0 between or after elements are padding in both forms. */
#define ONE_BYTE_STOP_ID 15
#define TWO_BYTE_MASK 0xfff0
#define US_PER_S 1000000
#define ABS_SEND_TIME_PERIOD_US (64LL * US_PER_S) /* 6 bits of seconds */

int rtp_ext_iter_init(struct rtp_ext_iter *it, uint16_t profile, const uint8_t *data, size_t len)
{
    if (!it || (!data && len))
        return -EINVAL;
    memset(it, 0, sizeof *it);
    if (profile == RTP_EXT_PROFILE_ONE_BYTE)
        it->two_byte = false;
    else if ((profile & TWO_BYTE_MASK) == RTP_EXT_PROFILE_TWO_BYTE)
        it->two_byte = true;
    else
        return -ENOTSUP;
    it->p = data;
    it->len = len;
    return 0;
}

int rtp_ext_iter_init_hdr(struct rtp_ext_iter *it, const struct rtp_hdr *h)
{
    if (!it || !h)
        return -EINVAL;
    if (!h->extension) {
        memset(it, 0, sizeof *it);
        return 0;
    }
    return rtp_ext_iter_init(it, h->ext_profile, h->ext, h->ext_len);
}

static int iter_fail(struct rtp_ext_iter *it)
{
    it->bad = true;
    return -EBADMSG;
}

int rtp_ext_iter_next(struct rtp_ext_iter *it, struct rtp_ext_elem *e)
{
    if (it->bad)
        return -EBADMSG;
    while (it->pos < it->len && it->p[it->pos] == 0)
        it->pos++;
    if (it->pos >= it->len)
        return -ENOENT;

    size_t left = it->len - it->pos;
    const uint8_t *q = it->p + it->pos;
    size_t hdr, len;
    uint8_t id;
    if (it->two_byte) {
        if (left < 2)
            return iter_fail(it);
        id = q[0];
        len = q[1];
        hdr = 2;
    } else {
        id = q[0] >> 4;
        len = (size_t)(q[0] & 0x0f) + 1;
        hdr = 1;
        if (id == ONE_BYTE_STOP_ID || id == 0) {
            it->pos = it->len; /* the rest of the block is ignored */
            return -ENOENT;
        }
    }
    if (len > left - hdr)
        return iter_fail(it);
    e->id = id;
    e->len = (uint8_t)len;
    e->data = q + hdr;
    it->pos += hdr + len;
    return 0;
}

int rtp_ext_find(const struct rtp_hdr *h, uint8_t id, struct rtp_ext_elem *e)
{
    struct rtp_ext_iter it;
    struct rtp_ext_elem cur;
    bool found = false;
    int rc = rtp_ext_iter_init_hdr(&it, h);
    if (rc)
        return rc;
    if (!e)
        return -EINVAL;
    while ((rc = rtp_ext_iter_next(&it, &cur)) == 0) {
        if (!found && id != 0 && cur.id == id) {
            *e = cur;
            found = true;
        }
    }
    if (rc != -ENOENT)
        return rc;
    return found ? 0 : -ENOENT;
}

/* Arguments of rtp_ext_write: ids in range, no repeats, data present. */
static int check_elems(const struct rtp_ext_elem *elems, size_t n, bool *one_byte, size_t *need)
{
    size_t total = 0;
    *one_byte = true;
    for (size_t i = 0; i < n; i++) {
        const struct rtp_ext_elem *x = &elems[i];
        if (x->id == 0 || (!x->data && x->len))
            return -EINVAL;
        for (size_t j = 0; j < i; j++)
            if (elems[j].id == x->id)
                return -EINVAL;
        if (x->id > RTP_EXT_ONE_BYTE_MAX_ID || x->len == 0 || x->len > RTP_EXT_ONE_BYTE_MAX_LEN)
            *one_byte = false;
        total += x->len;
        if (total > RTP_HDR_EXT_MAX_LEN)
            return -EINVAL;
    }
    total += *one_byte ? n : 2 * n;
    total = (total + 3) & ~(size_t)3;
    if (total > RTP_HDR_EXT_MAX_LEN)
        return -EINVAL;
    *need = total;
    return 0;
}

int rtp_ext_write(const struct rtp_ext_elem *elems, size_t n, uint8_t *out, size_t cap,
                  uint16_t *profile, size_t *written)
{
    bool one_byte;
    size_t need = 0;
    if ((!elems && n) || !profile || !written || n > RTP_HDR_EXT_MAX_LEN)
        return -EINVAL;
    int rc = check_elems(elems, n, &one_byte, &need);
    if (rc)
        return rc;
    if (cap < need || (!out && need))
        return -ENOSPC;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rtp_ext_elem *x = &elems[i];
        if (one_byte) {
            out[off++] = (uint8_t)(x->id << 4 | (x->len - 1));
        } else {
            out[off++] = x->id;
            out[off++] = x->len;
        }
        if (x->len)
            memcpy(out + off, x->data, x->len);
        off += x->len;
    }
    if (need > off)
        memset(out + off, 0, need - off);
    *profile = one_byte ? RTP_EXT_PROFILE_ONE_BYTE : RTP_EXT_PROFILE_TWO_BYTE;
    *written = need;
    return 0;
}

/* RFC 4566 token-char, the syntax of a MID (RFC 5888 identification-tag) and
 * a superset of RFC 8851 rid-syntax (alphanumerics, "-" and "_"). */
static bool is_token_char(uint8_t c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d ||
           c == 0x2e || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ||
           (c >= 0x5e && c <= 0x7e);
}

static int get_string(const struct rtp_hdr *h, uint8_t id, char *out, size_t cap)
{
    struct rtp_ext_elem e;
    if (!out)
        return -EINVAL;
    int rc = rtp_ext_find(h, id, &e);
    if (rc)
        return rc;
    size_t n = 0;
    while (n < e.len && e.data[n] != 0)
        n++;
    if (n == 0)
        return -EBADMSG;
    for (size_t i = 0; i < n; i++)
        if (!is_token_char(e.data[i]))
            return -EBADMSG;
    if (cap < n + 1)
        return -ENOSPC;
    memcpy(out, e.data, n);
    out[n] = '\0';
    return 0;
}

int rtp_ext_mid(const struct rtp_hdr *h, uint8_t id, char *out, size_t cap)
{
    return get_string(h, id, out, cap);
}

int rtp_ext_rid(const struct rtp_hdr *h, uint8_t id, char *out, size_t cap)
{
    return get_string(h, id, out, cap);
}

int rtp_ext_repaired_rid(const struct rtp_hdr *h, uint8_t id, char *out, size_t cap)
{
    return get_string(h, id, out, cap);
}

/* The element with this id, which must hold exactly len bytes. */
static int find_sized(const struct rtp_hdr *h, uint8_t id, size_t len, struct rtp_ext_elem *e)
{
    int rc = rtp_ext_find(h, id, e);
    if (rc)
        return rc;
    return e->len == len ? 0 : -EBADMSG;
}

int rtp_ext_audio_level(const struct rtp_hdr *h, uint8_t id, bool *voice, uint8_t *level)
{
    struct rtp_ext_elem e;
    if (!voice || !level)
        return -EINVAL;
    int rc = find_sized(h, id, 1, &e);
    if (rc)
        return rc;
    *voice = e.data[0] & 0x80;
    *level = e.data[0] & 0x7f;
    return 0;
}

int rtp_ext_abs_send_time(const struct rtp_hdr *h, uint8_t id, uint32_t *t)
{
    struct rtp_ext_elem e;
    if (!t)
        return -EINVAL;
    int rc = find_sized(h, id, 3, &e);
    if (rc)
        return rc;
    *t = (uint32_t)e.data[0] << 16 | (uint32_t)e.data[1] << 8 | e.data[2];
    return 0;
}

int rtp_ext_twcc(const struct rtp_hdr *h, uint8_t id, uint16_t *seq)
{
    struct rtp_ext_elem e;
    if (!seq)
        return -EINVAL;
    int rc = find_sized(h, id, 2, &e);
    if (rc)
        return rc;
    *seq = (uint16_t)(e.data[0] << 8 | e.data[1]);
    return 0;
}

/* Where in pkt the len-byte element with this id holds its data. */
static int locate(const uint8_t *pkt, size_t len, uint8_t id, size_t size, size_t *off)
{
    struct rtp_hdr h;
    struct rtp_ext_elem e;
    int rc = rtp_hdr_parse(&h, pkt, len);
    if (rc)
        return rc;
    rc = find_sized(&h, id, size, &e);
    if (rc)
        return rc;
    *off = (size_t)(e.data - pkt);
    return 0;
}

int rtp_ext_set_abs_send_time(uint8_t *pkt, size_t len, uint8_t id, uint32_t t)
{
    size_t off;
    if (t >> 24)
        return -EINVAL;
    int rc = locate(pkt, len, id, 3, &off);
    if (rc)
        return rc;
    pkt[off] = (uint8_t)(t >> 16);
    pkt[off + 1] = (uint8_t)(t >> 8);
    pkt[off + 2] = (uint8_t)t;
    return 0;
}

int rtp_ext_set_twcc(uint8_t *pkt, size_t len, uint8_t id, uint16_t seq)
{
    size_t off;
    int rc = locate(pkt, len, id, 2, &off);
    if (rc)
        return rc;
    pkt[off] = (uint8_t)(seq >> 8);
    pkt[off + 1] = (uint8_t)seq;
    return 0;
}

uint32_t rtp_ext_abs_send_time_from_us(int64_t us)
{
    int64_t r = us % ABS_SEND_TIME_PERIOD_US;
    if (r < 0)
        r += ABS_SEND_TIME_PERIOD_US;
    /* r < 2^26, so r << 18 < 2^44: no overflow. */
    return (uint32_t)(((r << 18) + US_PER_S / 2) / US_PER_S) & 0xffffff;
}

int64_t rtp_ext_abs_send_time_to_us(uint32_t t)
{
    return ((int64_t)(t & 0xffffff) * US_PER_S + (1 << 17)) >> 18;
}
