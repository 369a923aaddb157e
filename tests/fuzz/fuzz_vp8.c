/* libFuzzer target: VP8 payload descriptor parse, in-place rewrites and the
 * writer. Every rewrite is done on a copy, re-parsed and checked field by
 * field; a malformed input must be rejected by every entry point and left
 * untouched. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/vp8_desc.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

/* Inputs longer than this are tried on their first BUF_LEN bytes only. */
#define BUF_LEN 2048

static void check_invariants(const struct vp8_desc *d, size_t n)
{
    CHECK(d->desc_len >= 1 && d->desc_len <= VP8_DESC_MAX_LEN);
    CHECK(d->payload_off == d->desc_len);
    CHECK(d->payload_len >= 1 && d->payload_off + d->payload_len == n);
    CHECK(d->pid <= 7 && d->tid <= 3 && d->keyidx <= 31);
    CHECK(d->picture_id <= (d->picture_id_long ? 0x7fff : 0x7f));
    CHECK(!d->key_frame || (d->s && d->pid == 0));
    CHECK(!d->has_size || (d->key_frame && d->payload_len >= 10));
    CHECK(d->width <= 0x3fff && d->height <= 0x3fff);
    CHECK(vp8_desc_len(d) == d->desc_len);
}

/* Fields other than the one a rewrite touched must not move. */
static void check_same_layout(const struct vp8_desc *a, const struct vp8_desc *b)
{
    CHECK(a->x == b->x && a->n == b->n && a->s == b->s && a->pid == b->pid);
    CHECK(a->has_picture_id == b->has_picture_id && a->picture_id_long == b->picture_id_long);
    CHECK(a->has_tl0picidx == b->has_tl0picidx && a->has_tid == b->has_tid);
    CHECK(a->has_keyidx == b->has_keyidx && a->desc_len == b->desc_len);
    CHECK(a->key_frame == b->key_frame && a->has_size == b->has_size);
    CHECK(a->width == b->width && a->height == b->height);
}

static void rewrite_picture_id(const struct vp8_desc *d, uint8_t *buf, size_t n, uint16_t id)
{
    struct vp8_desc r;
    int rc = vp8_desc_set_picture_id(buf, n, id);
    if (!d->has_picture_id) {
        CHECK(rc == -EINVAL);
        return;
    }
    CHECK(rc == 0);
    CHECK(vp8_desc_parse(buf, n, &r) == 0);
    check_same_layout(d, &r);
    CHECK(r.picture_id == (id & (d->picture_id_long ? 0x7fff : 0x7f)));
    CHECK(r.tl0picidx == d->tl0picidx && r.tid == d->tid && r.keyidx == d->keyidx);
}

static void rewrite_tl0_tid(const struct vp8_desc *d, uint8_t *buf, size_t n, uint8_t v)
{
    struct vp8_desc r;
    int rc = vp8_desc_set_tl0picidx(buf, n, v);
    CHECK(rc == (d->has_tl0picidx ? 0 : -EINVAL));
    rc = vp8_desc_set_tid(buf, n, v & 3, v & 4);
    CHECK(rc == (d->has_tid ? 0 : -EINVAL));
    rc = vp8_desc_set_keyidx(buf, n, v & 31);
    CHECK(rc == (d->has_keyidx ? 0 : -EINVAL));
    CHECK(vp8_desc_parse(buf, n, &r) == 0);
    check_same_layout(d, &r);
    CHECK(r.tl0picidx == (d->has_tl0picidx ? v : d->tl0picidx));
    CHECK(r.tid == (d->has_tid ? (v & 3) : d->tid));
    CHECK(r.y == (d->has_tid ? (bool)(v & 4) : d->y));
    CHECK(r.keyidx == (d->has_keyidx ? (v & 31) : d->keyidx));
}

/* The writer reproduces the input descriptor with its reserved bits cleared. */
static void write_back(const struct vp8_desc *d, const uint8_t *p)
{
    uint8_t out[VP8_DESC_MAX_LEN];
    size_t w = 0;
    CHECK(vp8_desc_write(d, out, d->desc_len - 1, &w) == -ENOSPC);
    CHECK(vp8_desc_write(d, out, sizeof(out), &w) == 0);
    CHECK(w == d->desc_len);
    CHECK(out[0] == (p[0] & 0xb7));
    if (w > 1)
        CHECK(out[1] == (p[1] & 0xf0) && memcmp(out + 2, p + 2, w - 2) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[BUF_LEN];
    size_t n = size < BUF_LEN ? size : BUF_LEN;
    struct vp8_desc d;
    memcpy(buf, data, n);
    int rc = vp8_desc_parse(buf, n, &d);
    if (rc != 0) {
        CHECK(rc == -EBADMSG);
        CHECK(vp8_desc_set_picture_id(buf, n, 1) == -EBADMSG);
        CHECK(vp8_desc_set_tl0picidx(buf, n, 1) == -EBADMSG);
        CHECK(vp8_desc_set_tid(buf, n, 1, true) == -EBADMSG);
        CHECK(vp8_desc_set_keyidx(buf, n, 1) == -EBADMSG);
        CHECK(memcmp(buf, data, n) == 0);
        return 0;
    }
    check_invariants(&d, n);
    write_back(&d, buf);
    uint16_t id = (uint16_t)(data[0] << 8 | data[n - 1]);
    rewrite_picture_id(&d, buf, n, id);
    rewrite_picture_id(&d, buf, n, (uint16_t)(d.picture_id + 1)); /* the wrap edge */
    rewrite_tl0_tid(&d, buf, n, data[n - 1]);
    /* The payload after the descriptor is never touched. */
    CHECK(memcmp(buf + d.payload_off, data + d.payload_off, d.payload_len) == 0);
    return 0;
}
