/* vp8_pack — VP8 packetizer, RFC 7741 §4. */
#include "media/core/vp8_pack.h"

#include <errno.h>
#include <string.h>

#include "media/core/vp8_desc.h"

#define PICTURE_ID_MASK 0x7fff

/* The descriptor of one payload; only S differs between the packets of a
 * frame. */
static void fill_desc(const struct vp8_pack *p, bool start, struct vp8_desc *d)
{
    memset(d, 0, sizeof(*d));
    d->x = true;
    d->n = p->frame.non_ref;
    d->s = start;
    d->pid = 0;
    d->has_picture_id = true;
    d->picture_id_long = true;
    d->picture_id = p->picture_id;
    if (p->cfg.temporal) {
        d->has_tl0picidx = true;
        d->tl0picidx = p->tl0picidx;
        d->has_tid = true;
        d->tid = p->frame.tid;
        d->y = p->frame.layer_sync;
    }
}

size_t vp8_pack_desc_len(const struct vp8_pack_cfg *cfg)
{
    /* Required byte, X byte, two PictureID bytes, then TL0PICIDX and TID. */
    return cfg->temporal ? 6 : 4;
}

int vp8_pack_init(struct vp8_pack *p, const struct vp8_pack_cfg *cfg)
{
    if (!p || !cfg || cfg->mtu <= vp8_pack_desc_len(cfg) || cfg->picture_id > PICTURE_ID_MASK)
        return -EINVAL;
    memset(p, 0, sizeof(*p));
    p->cfg = *cfg;
    p->seq = cfg->first_seq;
    p->picture_id = cfg->picture_id;
    p->tl0picidx = cfg->tl0picidx;
    return 0;
}

unsigned vp8_pack_count(const struct vp8_pack *p, size_t len)
{
    size_t room = p->cfg.mtu - vp8_pack_desc_len(&p->cfg);
    return (unsigned)((len + room - 1) / room);
}

static uint32_t frame_ts(struct vp8_pack *p, int64_t capture_us)
{
    if (!p->ts_started) {
        p->ts_started = true;
        p->first_capture_us = capture_us;
    }
    /* 90 kHz: 9 ticks per 100 us. Modulo 2^32 by the conversion. */
    int64_t ticks = (capture_us - p->first_capture_us) * 9 / 100;
    return (uint32_t)(p->cfg.first_ts + (uint64_t)ticks);
}

int vp8_pack_start(struct vp8_pack *p, const struct vp8_pack_frame *f)
{
    if (!p || !f || !f->data || f->len == 0 || f->tid > 3 || p->busy)
        return -EINVAL;
    p->frame = *f;
    p->busy = true;
    p->off = 0;
    p->sent = 0;
    p->npkts = vp8_pack_count(p, f->len);
    /* RFC 6386 §9.1: the P bit (bit 0 of the frame tag) is 0 on key frames. */
    p->keyframe = (f->data[0] & 0x01) == 0;
    p->ts = frame_ts(p, f->capture_us);
    if (p->cfg.temporal && f->tid == 0) {
        /* TL0PICIDX names the latest TID 0 frame; the first one keeps the
         * configured value. */
        if (p->tl0_started)
            p->tl0picidx++;
        p->tl0_started = true;
    }
    return 0;
}

/* Size of payload i of n for a frame of len bytes: balanced, the first
 * len % n payloads one byte larger. */
static size_t chunk_len(size_t len, unsigned n, unsigned i)
{
    return len / n + (i < len % n ? 1 : 0);
}

int vp8_pack_poll_payload(struct vp8_pack *p, uint8_t *out, size_t cap, struct vp8_pack_pkt *pkt)
{
    if (!p || !pkt)
        return -EINVAL;
    if (!p->busy)
        return 0;
    size_t data = chunk_len(p->frame.len, p->npkts, p->sent);
    struct vp8_desc d;
    fill_desc(p, p->sent == 0, &d);
    size_t dlen = vp8_desc_len(&d);
    if (!out || cap < dlen + data)
        return -ENOSPC;
    size_t written;
    int rc = vp8_desc_write(&d, out, cap, &written);
    if (rc < 0)
        return rc;
    memcpy(out + written, p->frame.data + p->off, data);
    memset(pkt, 0, sizeof(*pkt));
    pkt->len = written + data;
    pkt->seq = p->seq++;
    pkt->ts = p->ts;
    pkt->first = p->sent == 0;
    pkt->keyframe = p->keyframe;
    pkt->picture_id = p->picture_id;
    p->off += data;
    p->sent++;
    if (p->sent == p->npkts) {
        pkt->marker = true;
        p->busy = false;
        p->picture_id = (uint16_t)((p->picture_id + 1) & PICTURE_ID_MASK);
    }
    return 1;
}
