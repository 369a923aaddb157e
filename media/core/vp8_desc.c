/* vp8_desc — VP8 RTP payload descriptor, RFC 7741 §4.2 and §4.3. */
#include "media/core/vp8_desc.h"

#include <errno.h>
#include <string.h>

/* Required byte. */
#define B0_X 0x80
#define B0_N 0x20
#define B0_S 0x10
#define B0_PID 0x07
/* Extension byte. */
#define EXT_I 0x80
#define EXT_L 0x40
#define EXT_T 0x20
#define EXT_K 0x10
/* PictureID first byte. */
#define PIC_M 0x80
/* TID/Y/KEYIDX byte. */
#define TK_TID_SHIFT 6
#define TK_Y 0x20
#define TK_KEYIDX 0x1f

/* The VP8 key frame header (RFC 6386 §9.1, quoted by RFC 7741 §4.3): a
 * 3-byte frame tag, the start code 0x9d 0x01 0x2a, then 16-bit little-endian
 * width and height, each 14 bits of size and 2 bits of scale. */
#define KEY_HDR_LEN 10

/* Where each optional field sits in the buffer; 0 means absent (offset 0 is
 * always the required byte). */
struct vp8_layout {
    size_t pic_off;
    size_t tl0_off;
    size_t tk_off;
};

static void parse_payload_header(const uint8_t *v, size_t n, struct vp8_desc *d)
{
    /* Only the first packet of partition 0 begins with the payload header. */
    if (!d->s || d->pid != 0 || (v[0] & 0x01) != 0)
        return;
    d->key_frame = true;
    if (n < KEY_HDR_LEN || v[3] != 0x9d || v[4] != 0x01 || v[5] != 0x2a)
        return;
    d->has_size = true;
    d->width = (uint16_t)((v[6] | (v[7] << 8)) & 0x3fff);
    d->hscale = (uint8_t)(v[7] >> 6);
    d->height = (uint16_t)((v[8] | (v[9] << 8)) & 0x3fff);
    d->vscale = (uint8_t)(v[9] >> 6);
}

/* Walk the extension fields after the X byte at p[1]. Each field is read
 * only after checking it lies inside the buffer. */
static int parse_ext(const uint8_t *p, size_t n, struct vp8_desc *d, struct vp8_layout *o)
{
    size_t i = 1;
    if (i >= n)
        return -EBADMSG;
    uint8_t ext = p[i++];
    d->has_picture_id = ext & EXT_I;
    d->has_tl0picidx = ext & EXT_L;
    d->has_tid = ext & EXT_T;
    d->has_keyidx = ext & EXT_K;
    if (d->has_picture_id) {
        if (i >= n)
            return -EBADMSG;
        o->pic_off = i;
        d->picture_id_long = p[i] & PIC_M;
        d->picture_id = p[i++] & 0x7f;
        if (d->picture_id_long) {
            if (i >= n)
                return -EBADMSG;
            d->picture_id = (uint16_t)((d->picture_id << 8) | p[i++]);
        }
    }
    if (d->has_tl0picidx) {
        if (i >= n)
            return -EBADMSG;
        o->tl0_off = i;
        d->tl0picidx = p[i++];
    }
    if (d->has_tid || d->has_keyidx) {
        if (i >= n)
            return -EBADMSG;
        o->tk_off = i;
        d->tid = (uint8_t)(p[i] >> TK_TID_SHIFT);
        d->y = p[i] & TK_Y;
        d->keyidx = p[i++] & TK_KEYIDX;
    }
    d->desc_len = i;
    return 0;
}

static int parse_layout(const uint8_t *p, size_t n, struct vp8_desc *d, struct vp8_layout *o)
{
    memset(d, 0, sizeof(*d));
    memset(o, 0, sizeof(*o));
    if (!p || n == 0)
        return -EBADMSG;
    d->x = p[0] & B0_X;
    d->n = p[0] & B0_N;
    d->s = p[0] & B0_S;
    d->pid = p[0] & B0_PID;
    d->desc_len = 1;
    if (d->x) {
        int rc = parse_ext(p, n, d, o);
        if (rc < 0)
            return rc;
    }
    /* A descriptor with nothing after it carries no VP8 data. */
    if (d->desc_len >= n)
        return -EBADMSG;
    d->payload_off = d->desc_len;
    d->payload_len = n - d->desc_len;
    parse_payload_header(p + d->payload_off, d->payload_len, d);
    return 0;
}

int vp8_desc_parse(const uint8_t *p, size_t n, struct vp8_desc *d)
{
    struct vp8_layout o;
    if (!d)
        return -EINVAL;
    return parse_layout(p, n, d, &o);
}

int vp8_desc_set_picture_id(uint8_t *p, size_t n, uint16_t id)
{
    struct vp8_desc d;
    struct vp8_layout o;
    int rc = parse_layout(p, n, &d, &o);
    if (rc < 0)
        return rc;
    if (!d.has_picture_id)
        return -EINVAL;
    if (d.picture_id_long) {
        p[o.pic_off] = (uint8_t)(PIC_M | ((id >> 8) & 0x7f));
        p[o.pic_off + 1] = (uint8_t)(id & 0xff);
    } else {
        p[o.pic_off] = (uint8_t)(id & 0x7f);
    }
    return 0;
}

int vp8_desc_set_tl0picidx(uint8_t *p, size_t n, uint8_t idx)
{
    struct vp8_desc d;
    struct vp8_layout o;
    int rc = parse_layout(p, n, &d, &o);
    if (rc < 0)
        return rc;
    if (!d.has_tl0picidx)
        return -EINVAL;
    p[o.tl0_off] = idx;
    return 0;
}

int vp8_desc_set_tid(uint8_t *p, size_t n, uint8_t tid, bool y)
{
    struct vp8_desc d;
    struct vp8_layout o;
    int rc = parse_layout(p, n, &d, &o);
    if (rc < 0)
        return rc;
    if (!d.has_tid || tid > 3)
        return -EINVAL;
    p[o.tk_off] = (uint8_t)((tid << TK_TID_SHIFT) | (y ? TK_Y : 0) | (p[o.tk_off] & TK_KEYIDX));
    return 0;
}

int vp8_desc_set_keyidx(uint8_t *p, size_t n, uint8_t keyidx)
{
    struct vp8_desc d;
    struct vp8_layout o;
    int rc = parse_layout(p, n, &d, &o);
    if (rc < 0)
        return rc;
    if (!d.has_keyidx || keyidx > TK_KEYIDX)
        return -EINVAL;
    p[o.tk_off] = (uint8_t)((p[o.tk_off] & ~TK_KEYIDX) | keyidx);
    return 0;
}

static bool wants_ext(const struct vp8_desc *d)
{
    return d->x || d->has_picture_id || d->has_tl0picidx || d->has_tid || d->has_keyidx;
}

size_t vp8_desc_len(const struct vp8_desc *d)
{
    size_t len = 1;
    if (!wants_ext(d))
        return len;
    len++;
    if (d->has_picture_id)
        len += d->picture_id_long ? 2 : 1;
    if (d->has_tl0picidx)
        len++;
    if (d->has_tid || d->has_keyidx)
        len++;
    return len;
}

static bool fields_valid(const struct vp8_desc *d)
{
    if (d->pid > B0_PID || d->tid > 3 || d->keyidx > TK_KEYIDX)
        return false;
    if (d->has_picture_id && d->picture_id > (d->picture_id_long ? 0x7fff : 0x7f))
        return false;
    return true;
}

int vp8_desc_write(const struct vp8_desc *d, uint8_t *out, size_t cap, size_t *written)
{
    if (!d || !written || !fields_valid(d))
        return -EINVAL;
    size_t len = vp8_desc_len(d);
    if (!out || cap < len)
        return -ENOSPC;
    size_t i = 0;
    out[i++] =
        (uint8_t)((wants_ext(d) ? B0_X : 0) | (d->n ? B0_N : 0) | (d->s ? B0_S : 0) | d->pid);
    if (wants_ext(d)) {
        out[i++] = (uint8_t)((d->has_picture_id ? EXT_I : 0) | (d->has_tl0picidx ? EXT_L : 0) |
                             (d->has_tid ? EXT_T : 0) | (d->has_keyidx ? EXT_K : 0));
        if (d->has_picture_id && d->picture_id_long) {
            out[i++] = (uint8_t)(PIC_M | (d->picture_id >> 8));
            out[i++] = (uint8_t)(d->picture_id & 0xff);
        } else if (d->has_picture_id) {
            out[i++] = (uint8_t)d->picture_id;
        }
        if (d->has_tl0picidx)
            out[i++] = d->tl0picidx;
        if (d->has_tid || d->has_keyidx)
            out[i++] = (uint8_t)((d->tid << TK_TID_SHIFT) | (d->y ? TK_Y : 0) | d->keyidx);
    }
    *written = i;
    return 0;
}
