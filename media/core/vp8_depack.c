/* vp8_depack — VP8 depacketizer and frame reassembler, RFC 7741 §4, over the
 * packet window of seq_win. */
#include "media/core/vp8_depack.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/seq_win.h"
#include "media/core/vp8_desc.h"

#define EVENT_QUEUE 16

/* What a held packet carries besides its VP8 payload (descriptor stripped),
 * in the window slot's aux bits: the low 16 bits are the PictureID. */
#define AUX_PID_MASK 0xffffu
#define AUX_START (1u << 16) /* S = 1 and PID = 0: first packet of a frame */
#define AUX_KEY (1u << 17)
#define AUX_HAS_PID (1u << 18)
#define AUX_PID_LONG (1u << 19)

/* Internal result of one reassembly step: made progress, look again. */
#define STEP_AGAIN 2

enum scan_result { SCAN_COMPLETE, SCAN_WAIT, SCAN_BROKEN };

struct vp8_depack {
    struct vp8_depack_cfg cfg;
    struct seq_win win;
    bool waiting;
    bool key_event_sent;
    bool last_pid_valid;
    uint16_t last_pid;
    bool lost_since_emit;
    bool drop_ts_valid;
    uint32_t drop_ts;
    struct vp8_depack_event events[EVENT_QUEUE];
    unsigned ev_head;
    unsigned ev_count;
    struct vp8_depack_stats st; /* the window's own counts are added on read */
};

static int check_cfg(const struct vp8_depack_cfg *in, struct vp8_depack_cfg *c)
{
    memset(c, 0, sizeof(*c));
    if (in)
        *c = *in;
    if (!c->window)
        c->window = 256;
    if (!c->reorder)
        c->reorder = c->window / 2;
    if (!c->max_payload)
        c->max_payload = 1500;
    if (c->window < 16 || c->window > 4096 || (c->window & (c->window - 1)) ||
        c->reorder > c->window || c->max_payload < 2 || c->max_payload > 65535)
        return -EINVAL;
    return 0;
}

int vp8_depack_create(const struct vp8_depack_cfg *cfg, struct vp8_depack **out)
{
    struct vp8_depack_cfg c;
    if (!out)
        return -EINVAL;
    *out = NULL;
    int rc = check_cfg(cfg, &c);
    if (rc < 0)
        return rc;
    struct vp8_depack *d = mem_zalloc(sizeof(*d));
    if (!d)
        return -ENOMEM;
    d->cfg = c;
    /* A payload carries at least one descriptor byte, so the VP8 data held
     * per packet is below max_payload. */
    rc = seq_win_init(&d->win, c.window, c.max_payload - 1);
    if (rc < 0) {
        mem_free(d);
        return rc;
    }
    d->waiting = true; /* a decoder starts with a key frame */
    *out = d;
    return 0;
}

void vp8_depack_destroy(struct vp8_depack *d)
{
    if (!d)
        return;
    seq_win_fini(&d->win);
    mem_free(d);
}

/* Queue an event. A full queue drops it, except that a KEY_NEEDED takes the
 * place of the newest GAP: a missed key request stalls the picture, a missed
 * NACK only costs a retransmission. */
static bool push_event(struct vp8_depack *d, enum vp8_depack_event_kind kind, int64_t seq,
                       int64_t count)
{
    struct vp8_depack_event *ev;
    if (d->ev_count == EVENT_QUEUE) {
        d->st.events_dropped++;
        ev = &d->events[(d->ev_head + d->ev_count - 1) % EVENT_QUEUE];
        if (kind != VP8_DEPACK_EV_KEY_NEEDED || ev->kind != VP8_DEPACK_EV_GAP)
            return false;
    } else {
        ev = &d->events[(d->ev_head + d->ev_count) % EVENT_QUEUE];
        d->ev_count++;
    }
    ev->kind = kind;
    ev->seq = (uint16_t)seq;
    ev->count = (uint16_t)(count > 65535 ? 65535 : count);
    return true;
}

/* The decoder lost sync: wait for a key frame, and ask once per wait. */
static void need_key(struct vp8_depack *d)
{
    d->waiting = true;
    if (d->key_event_sent)
        return;
    if (!push_event(d, VP8_DEPACK_EV_KEY_NEEDED, 0, 0))
        return; /* asked again at the next loss */
    d->key_event_sent = true;
    d->st.key_requests++;
}

/* Consume n packets from the head. */
static void release(struct vp8_depack *d, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        (void)seq_win_pop(&d->win, NULL);
}

/* Drop n packets of a frame that cannot complete. Further packets with the
 * same timestamp belong to the same frame and are not counted again. */
static void drop_incomplete(struct vp8_depack *d, unsigned n)
{
    uint32_t ts = seq_win_get(&d->win, d->win.head)->ts;
    if (!d->drop_ts_valid || d->drop_ts != ts)
        d->st.frames_incomplete++;
    d->drop_ts_valid = true;
    d->drop_ts = ts;
    d->st.packets_dropped += n;
    release(d, n);
    d->lost_since_emit = true;
    need_key(d);
}

static void consume_hole(struct vp8_depack *d)
{
    (void)seq_win_pop(&d->win, NULL);
    d->st.packets_lost++;
    d->lost_since_emit = true;
}

/* Whatever is missing at ext can no longer be waited for. */
static bool must_resolve(const struct vp8_depack *d, int64_t ext)
{
    return d->win.highest - ext >= (int64_t)d->cfg.reorder || seq_win_forced(&d->win, ext);
}

static bool hole_lost(const struct vp8_depack *d, int64_t ext)
{
    return seq_win_marked_lost(&d->win, ext) || must_resolve(d, ext);
}

/* NACK candidates: the numbers a newly stored packet skipped over, above
 * the newest, or below the head when it moved back at the start. */
static void note_gaps(struct vp8_depack *d, int64_t ext, bool started, int64_t old_head,
                      int64_t old_highest)
{
    if (!started)
        return;
    if (ext > old_highest + 1)
        push_event(d, VP8_DEPACK_EV_GAP, old_highest + 1, ext - old_highest - 1);
    else if (ext + 1 < old_head)
        push_event(d, VP8_DEPACK_EV_GAP, ext + 1, old_head - ext - 1);
}

/* The sender restarted (RFC 3550 A.1): the window dropped everything but
 * the two packets of the new stream; the decoder needs a key frame. */
static void restarted(struct vp8_depack *d)
{
    d->lost_since_emit = true;
    d->last_pid_valid = false;
    d->drop_ts_valid = false;
    need_key(d);
}

static uint32_t aux_of(const struct vp8_desc *desc)
{
    uint32_t aux = desc->picture_id;
    if (desc->s && desc->pid == 0)
        aux |= AUX_START;
    if (desc->key_frame)
        aux |= AUX_KEY;
    if (desc->has_picture_id)
        aux |= AUX_HAS_PID;
    if (desc->picture_id_long)
        aux |= AUX_PID_LONG;
    return aux;
}

int vp8_depack_handle_packet(struct vp8_depack *d, const struct vp8_depack_pkt *pkt)
{
    struct vp8_desc desc;
    if (!d || !pkt || (!pkt->payload && pkt->len))
        return -EINVAL;
    d->st.packets_in++;
    int rc = -EMSGSIZE;
    if (pkt->len <= d->cfg.max_payload)
        rc = vp8_desc_parse(pkt->payload, pkt->len, &desc);
    if (rc < 0) {
        d->st.packets_bad++;
        return rc;
    }
    struct seq_win_pkt p = {.seq = pkt->seq,
                            .ts = pkt->ts,
                            .marker = pkt->marker,
                            .data = pkt->payload + desc.payload_off,
                            .len = desc.payload_len,
                            .aux = aux_of(&desc)};
    bool started = d->win.started;
    int64_t old_head = d->win.head, old_highest = d->win.highest, ext;
    switch (seq_win_insert(&d->win, &p, &ext)) {
    case SEQ_WIN_STORED:
        note_gaps(d, ext, started, old_head, old_highest);
        return 0;
    case SEQ_WIN_RESTART:
        restarted(d);
        return 0;
    case SEQ_WIN_FULL:
        return -ENOBUFS;
    default: /* late, duplicate, stray: counted by the window */
        return 0;
    }
}

void vp8_depack_handle_lost(struct vp8_depack *d, uint16_t seq)
{
    if (d)
        seq_win_mark_lost(&d->win, seq);
}

/* From a frame start at the head, find how far the frame reaches: complete
 * through its marker (n packets), still waiting for a packet, or broken
 * (n packets that can never complete). */
static enum scan_result scan(const struct vp8_depack *d, unsigned *n)
{
    const struct seq_win *w = &d->win;
    uint32_t ts = seq_win_get(w, w->head)->ts;
    for (int64_t e = w->head;; e++) {
        *n = (unsigned)(e - w->head);
        if (e > w->highest)
            return SCAN_WAIT;
        const struct seq_win_slot *s = seq_win_get(w, e);
        if (!s)
            return hole_lost(d, e) ? SCAN_BROKEN : SCAN_WAIT;
        if (s->ts != ts || (e > w->head && (s->aux & AUX_START)))
            return SCAN_BROKEN; /* the next frame began before a marker */
        if (s->marker) {
            *n += 1;
            return SCAN_COMPLETE;
        }
    }
}

/* Packets at the head that are not a frame start: the rest of a frame whose
 * start is lost, through its marker. */
static void drop_run(struct vp8_depack *d)
{
    const struct seq_win *w = &d->win;
    uint32_t ts = seq_win_get(w, w->head)->ts;
    unsigned n = 0;
    for (int64_t e = w->head; e <= w->highest; e++) {
        const struct seq_win_slot *s = seq_win_get(w, e);
        if (!s || s->ts != ts || (s->aux & AUX_START))
            break;
        n++;
        if (s->marker)
            break;
    }
    drop_incomplete(d, n);
}

static bool decodable(const struct vp8_depack *d, uint32_t aux)
{
    if (aux & AUX_KEY)
        return true;
    if (d->waiting)
        return false;
    if ((aux & AUX_HAS_PID) && d->last_pid_valid) {
        uint16_t mask = (aux & AUX_PID_LONG) ? 0x7fff : 0x7f;
        return (aux & AUX_PID_MASK) == ((d->last_pid + 1u) & mask);
    }
    return !d->lost_since_emit;
}

static void describe(const struct vp8_depack *d, unsigned n, size_t len, struct vp8_depack_frame *f)
{
    const struct seq_win_slot *first = seq_win_get(&d->win, d->win.head);
    memset(f, 0, sizeof(*f));
    f->len = len;
    f->ts = first->ts;
    f->first_seq = (uint16_t)d->win.head;
    f->last_seq = (uint16_t)(d->win.head + n - 1);
    f->packets = n;
    f->keyframe = first->aux & AUX_KEY;
    f->has_picture_id = first->aux & AUX_HAS_PID;
    f->picture_id = (uint16_t)(first->aux & AUX_PID_MASK);
}

/* Hand out the complete frame of n packets at the head, or drop it. */
static int emit(struct vp8_depack *d, unsigned n, uint8_t *buf, size_t cap,
                struct vp8_depack_frame *f)
{
    const struct seq_win *w = &d->win;
    uint32_t aux = seq_win_get(w, w->head)->aux;
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        total += seq_win_get(w, w->head + i)->len;
    describe(d, n, total, f);
    bool ok = decodable(d, aux);
    if (!ok || !buf || total > cap) {
        if (!ok)
            d->st.frames_undecodable++;
        else
            d->st.frames_too_big++;
        d->st.packets_dropped += n;
        release(d, n);
        need_key(d);
        return ok ? -ENOSPC : STEP_AGAIN;
    }
    size_t off = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct seq_win_slot *s = seq_win_get(w, w->head + i);
        memcpy(buf + off, s->data, s->len);
        off += s->len;
    }
    if (aux & AUX_KEY) {
        d->st.keyframes_out++;
        d->waiting = false;
        d->key_event_sent = false;
    }
    d->last_pid_valid = aux & AUX_HAS_PID;
    d->last_pid = (uint16_t)(aux & AUX_PID_MASK);
    d->lost_since_emit = false;
    d->st.frames_out++;
    d->st.packets_emitted += n;
    release(d, n);
    return 1;
}

static int step(struct vp8_depack *d, uint8_t *buf, size_t cap, struct vp8_depack_frame *f)
{
    const struct seq_win *w = &d->win;
    const struct seq_win_slot *s = seq_win_get(w, w->head);
    if (!s) {
        if (!hole_lost(d, w->head))
            return 0;
        consume_hole(d);
        return STEP_AGAIN;
    }
    if (!(s->aux & AUX_START)) {
        /* Before anything was consumed the start may still come. */
        if (w->fresh && !must_resolve(d, w->head - 1))
            return 0;
        drop_run(d);
        return STEP_AGAIN;
    }
    unsigned n;
    enum scan_result r = scan(d, &n);
    if (r == SCAN_WAIT && seq_win_forced(w, w->head))
        r = SCAN_BROKEN; /* the parked packet needs the room */
    if (r == SCAN_WAIT)
        return 0;
    if (r == SCAN_BROKEN) {
        drop_incomplete(d, n);
        return STEP_AGAIN;
    }
    return emit(d, n, buf, cap, f);
}

int vp8_depack_poll_frame(struct vp8_depack *d, uint8_t *buf, size_t cap,
                          struct vp8_depack_frame *f)
{
    if (!d || !f)
        return -EINVAL;
    for (;;) {
        if (!d->win.started || d->win.head > d->win.highest)
            return 0;
        int rc = step(d, buf, cap, f);
        if (rc != STEP_AGAIN)
            return rc;
    }
}

bool vp8_depack_poll_event(struct vp8_depack *d, struct vp8_depack_event *ev)
{
    if (!d || !ev || d->ev_count == 0)
        return false;
    *ev = d->events[d->ev_head];
    d->ev_head = (d->ev_head + 1) % EVENT_QUEUE;
    d->ev_count--;
    return true;
}

bool vp8_depack_waiting_for_key(const struct vp8_depack *d)
{
    return d->waiting;
}

unsigned vp8_depack_held(const struct vp8_depack *d)
{
    return d->win.held;
}

void vp8_depack_get_stats(const struct vp8_depack *d, struct vp8_depack_stats *s)
{
    const struct seq_win_counts *c = &d->win.counts;
    *s = d->st;
    s->packets_late = c->late;
    s->packets_dup = c->dup;
    s->packets_stray = c->stray;
    s->packets_overflow = c->overflow;
    s->packets_reset = c->reset;
    s->resets = c->resets;
}
