/* fwd — see fwd.h. The state keeps, for the outgoing stream, the highest
 * sequence sent (extended to 64 bits), its timestamp and send time and the
 * highest PictureID/TL0PICIDX; for the current source, the offsets fixed at
 * its first forwarded packet and its highest sequence, PictureID and
 * TL0PICIDX, against which each packet's fields are placed. */
#include "sfu/core/fwd.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtp_hdr.h"
#include "media/core/vp8_desc.h"

/* The first outgoing extended sequence: far from 0 so that extended
 * numbers of older packets (up to 32768 back) stay positive. */
#define EXT_BASE ((uint64_t)1 << 32)
/* A timestamp gap is capped at an hour of wall time. */
#define MAX_GAP_US ((int64_t)3600 * 1000000)

/* Everything one packet changes, computed before anything is changed. */
struct plan {
    bool sync;        /* first packet of the current source */
    bool fresh;       /* ahead of the source's highest sequence */
    uint16_t seq_off; /* offsets after this packet */
    uint32_t ts_off;
    uint64_t out_ext; /* its outgoing extended sequence */
    bool widen;       /* 7-bit PictureID to widen */
    bool pid, tl0;    /* fields to rewrite */
    uint16_t pid_out;
    uint8_t tl0_out;
    bool pid_fresh, tl0_fresh;
};

int fwd_init(struct fwd *f, uint32_t ssrc, uint8_t pt, uint32_t clock_rate, bool vp8)
{
    if (!f || !clock_rate || pt > 127)
        return -EINVAL;
    memset(f, 0, sizeof *f);
    f->ssrc = ssrc;
    f->pt = pt;
    f->clock_rate = clock_rate;
    f->vp8 = vp8;
    return 0;
}

void fwd_switch(struct fwd *f, uint32_t source_id, int64_t now_us)
{
    (void)now_us;
    if (!f || (f->has_source && f->source == source_id))
        return;
    f->has_source = true;
    f->source = source_id;
    f->synced = false;
    f->waiting_key = f->vp8;
    f->has_pid = false;
    f->has_tl0 = false;
    f->stats.switches++;
}

void fwd_stop(struct fwd *f)
{
    if (!f)
        return;
    f->has_source = false;
    f->synced = false;
    f->waiting_key = false;
}

/* Signed distance a - b in a field of mask + 1 values (a power of two). */
static int32_t field_diff(uint32_t a, uint32_t b, uint32_t mask)
{
    uint32_t d = (a - b) & mask;
    return d > mask / 2 ? (int32_t)d - (int32_t)(mask + 1) : (int32_t)d;
}

/* Sequence number and timestamp: offsets fixed at the first packet. */
static int plan_seq(const struct fwd *f, const struct rtp_hdr *h, int64_t now_us, struct plan *p)
{
    if (!f->synced) {
        p->sync = true;
        p->fresh = true;
        p->out_ext = f->sent_any ? f->out_seq_ext + 1 : EXT_BASE + h->seq;
        p->seq_off = (uint16_t)((uint16_t)p->out_ext - h->seq);
        uint32_t ts = h->ts;
        if (f->sent_any) {
            int64_t gap = now_us - f->out_us;
            gap = gap < 0 ? 0 : gap > MAX_GAP_US ? MAX_GAP_US : gap;
            uint64_t ticks = (uint64_t)gap * f->clock_rate / 1000000;
            ts = f->out_ts + (uint32_t)(ticks ? ticks : 1);
        }
        p->ts_off = ts - h->ts;
        return 1;
    }
    int32_t d = field_diff(h->seq, f->in_seq, 0xffff);
    p->seq_off = f->seq_off;
    p->ts_off = f->ts_off;
    p->fresh = d > 0;
    p->out_ext = (uint64_t)((int64_t)f->out_seq_ext + d);
    return p->out_ext >= f->first_out_ext;
}

/* PictureID and TL0PICIDX of a VP8 packet: a new source's first picture
 * follows the highest one sent; later ones keep their distance to the
 * source's highest. */
static void plan_vp8(const struct fwd *f, const struct vp8_desc *d, struct plan *p)
{
    bool first = p->sync || !f->has_pid;
    if (d->has_picture_id) {
        p->pid = true;
        p->widen = !d->picture_id_long;
        if (first) {
            p->pid_out = f->sent_pid ? (uint16_t)((f->out_pid + 1) & 0x7fff) : d->picture_id;
            p->pid_fresh = true;
        } else {
            uint32_t mask = d->picture_id_long ? 0x7fff : 0x7f;
            int32_t diff = field_diff(d->picture_id, f->in_pid, mask);
            p->pid_out = (uint16_t)((f->out_pid + diff) & 0x7fff);
            p->pid_fresh = diff > 0;
        }
    }
    if (d->has_tl0picidx) {
        p->tl0 = true;
        if (p->sync || !f->has_tl0) {
            p->tl0_out = f->sent_tl0 ? (uint8_t)(f->out_tl0 + 1) : d->tl0picidx;
            p->tl0_fresh = true;
        } else {
            int32_t diff = field_diff(d->tl0picidx, f->in_tl0, 0xff);
            p->tl0_out = (uint8_t)(f->out_tl0 + diff);
            p->tl0_fresh = diff > 0;
        }
    }
}

static void commit(struct fwd *f, const struct rtp_hdr *h, const struct vp8_desc *d,
                   const struct plan *p, int64_t now_us)
{
    if (p->sync) {
        f->synced = true;
        f->waiting_key = false;
        f->first_out_ext = p->out_ext;
        f->seq_off = p->seq_off;
        f->ts_off = p->ts_off;
    }
    if (p->fresh) {
        f->sent_any = true;
        f->in_seq = h->seq;
        f->out_seq_ext = p->out_ext;
        f->out_ts = h->ts + p->ts_off;
        f->out_us = now_us;
    }
    if (p->pid && p->pid_fresh) {
        f->has_pid = f->sent_pid = true;
        f->in_pid = d->picture_id;
        f->out_pid = p->pid_out;
    }
    if (p->tl0 && p->tl0_fresh) {
        f->has_tl0 = f->sent_tl0 = true;
        f->in_tl0 = d->tl0picidx;
        f->out_tl0 = p->tl0_out;
    }
}

/* Widen the 7-bit PictureID at payload byte 2 (X and I set) to 15 bits:
 * everything after it moves one byte on. */
static void widen_pid(uint8_t *pkt, size_t *len, size_t payload_off)
{
    size_t at = payload_off + 3;
    memmove(pkt + at + 1, pkt + at, *len - at);
    pkt[payload_off + 2] = 0x80;
    pkt[at] = 0;
    (*len)++;
}

static int write_vp8(uint8_t *pkt, size_t *len, const struct rtp_hdr *h, const struct plan *p)
{
    size_t n = h->payload_len;
    if (p->widen) {
        widen_pid(pkt, len, h->payload_off);
        n++;
    }
    int rc = 0;
    if (p->pid)
        rc = vp8_desc_set_picture_id(pkt + h->payload_off, n, p->pid_out);
    if (!rc && p->tl0)
        rc = vp8_desc_set_tl0picidx(pkt + h->payload_off, n, p->tl0_out);
    return rc;
}

static int write_rtp(const struct fwd *f, uint8_t *pkt, size_t len, const struct rtp_hdr *h,
                     const struct plan *p)
{
    int rc = rtp_hdr_set_ssrc(pkt, len, f->ssrc);
    rc = rc ? rc : rtp_hdr_set_pt(pkt, len, f->pt);
    rc = rc ? rc : rtp_hdr_set_seq(pkt, len, (uint16_t)(h->seq + p->seq_off));
    return rc ? rc : rtp_hdr_set_ts(pkt, len, h->ts + p->ts_off);
}

/* Parse the packet (and its VP8 descriptor): 0 or -EBADMSG. */
static int parse(const struct fwd *f, const uint8_t *pkt, size_t len, struct rtp_hdr *h,
                 struct vp8_desc *d, bool *desc)
{
    if (rtp_hdr_parse(h, pkt, len))
        return -EBADMSG;
    *desc = f->vp8 && h->payload_len > 0;
    if (*desc && vp8_desc_parse(h->payload, h->payload_len, d))
        return -EBADMSG;
    return 0;
}

/* Drops decided before any rewriting: true when dropped (and counted). */
static bool drop_early(struct fwd *f, uint32_t source_id, bool desc, const struct vp8_desc *d)
{
    if (!f->has_source || f->source != source_id) {
        f->stats.dropped.not_current++;
        return true;
    }
    if (!f->synced && f->waiting_key && !(desc && d->key_frame)) {
        f->stats.dropped.key_wait++;
        return true;
    }
    return false;
}

int fwd_rewrite(struct fwd *f, uint32_t source_id, uint8_t *pkt, size_t *len, size_t cap,
                int64_t now_us)
{
    if (!f || !pkt || !len || *len > cap)
        return -EINVAL;
    struct rtp_hdr h;
    struct vp8_desc d;
    bool desc = false;
    if (parse(f, pkt, *len, &h, &d, &desc)) {
        f->stats.malformed++;
        return -EBADMSG;
    }
    if (drop_early(f, source_id, desc, &d))
        return 0;
    struct plan p = {0};
    if (!plan_seq(f, &h, now_us, &p)) {
        f->stats.dropped.before_switch++;
        return 0;
    }
    if (desc)
        plan_vp8(f, &d, &p);
    if (p.widen && *len + 1 > cap)
        return -ENOSPC;
    if (write_rtp(f, pkt, *len, &h, &p) || (desc && write_vp8(pkt, len, &h, &p)))
        return -EINVAL; /* cannot happen: the packet was validated */
    commit(f, &h, &d, &p, now_us);
    f->stats.packets++;
    f->stats.bytes += *len;
    if (!p.fresh)
        f->stats.retransmitted++;
    else if (desc && d.key_frame)
        f->stats.key_frames++;
    return 1;
}

bool fwd_key_frame_needed(const struct fwd *f)
{
    return f && f->has_source && f->waiting_key;
}

bool fwd_source(const struct fwd *f, uint32_t *source_id)
{
    if (!f || !f->has_source)
        return false;
    if (source_id)
        *source_id = f->source;
    return true;
}

int fwd_map_nack(const struct fwd *f, uint16_t out_seq, uint32_t *source_id, uint16_t *in_seq)
{
    if (!f || !f->has_source || !f->synced)
        return -ENOENT;
    int32_t d = field_diff(out_seq, (uint16_t)f->out_seq_ext, 0xffff);
    if (d > 0 || (uint64_t)((int64_t)f->out_seq_ext + d) < f->first_out_ext)
        return -ENOENT;
    if (source_id)
        *source_id = f->source;
    if (in_seq)
        *in_seq = (uint16_t)(out_seq - f->seq_off);
    return 0;
}

bool fwd_rtp_ts_at(const struct fwd *f, int64_t now_us, uint32_t *ts)
{
    if (!f || !f->sent_any)
        return false;
    int64_t gap = now_us - f->out_us;
    gap = gap < 0 ? 0 : gap > MAX_GAP_US ? MAX_GAP_US : gap;
    if (ts)
        *ts = f->out_ts + (uint32_t)((uint64_t)gap * f->clock_rate / 1000000);
    return true;
}

void fwd_get_stats(const struct fwd *f, struct fwd_stats *out)
{
    if (f && out)
        *out = f->stats;
}

uint64_t fwd_stats_dropped(const struct fwd_stats *s)
{
    return s ? s->dropped.not_current + s->dropped.key_wait + s->dropped.before_switch : 0;
}
