/* vp8_depack — VP8 depacketizer and frame reassembler, RFC 7741 §4. */
#include "media/core/vp8_depack.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/rtp_seq.h"
#include "media/core/vp8_desc.h"

/* RFC 3550 A.1 */
#define MAX_DROPOUT 3000
#define MAX_MISORDER 100
#define EVENT_QUEUE 16

enum slot_state { SLOT_EMPTY, SLOT_PRESENT, SLOT_LOST };

/* One sequence number of the window: a packet (its VP8 payload, descriptor
 * stripped) or a mark that the owner gave it up. */
struct slot {
    int64_t ext; /* extended sequence number the slot holds */
    uint8_t *data;
    uint32_t ts;
    uint16_t len;
    uint16_t picture_id;
    uint8_t state;
    bool marker;
    bool start; /* S = 1 and PID = 0: first packet of a frame */
    bool key;
    bool has_pid;
    bool pid_long;
};

/* Internal result of one reassembly step: made progress, look again. */
#define STEP_AGAIN 2

enum scan_result { SCAN_COMPLETE, SCAN_WAIT, SCAN_BROKEN };

struct vp8_depack {
    struct vp8_depack_cfg cfg;
    struct slot *slots; /* window ring, then one slot to park a packet ahead of it */
    uint8_t *pool;
    struct rtp_seq_unwrapper unwrap;
    bool started;
    bool fresh;      /* nothing consumed since the start: the head may move back */
    int64_t head;    /* oldest sequence number not yet consumed */
    int64_t highest; /* newest sequence number arrived or given up */
    unsigned held;
    bool parked;
    bool stray_valid;
    uint16_t stray_next;
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
    struct vp8_depack_stats st;
};

static struct slot *slot_at(const struct vp8_depack *d, int64_t ext)
{
    return &d->slots[(uint64_t)ext & (d->cfg.window - 1)];
}

static struct slot *parked_slot(const struct vp8_depack *d)
{
    return &d->slots[d->cfg.window];
}

static bool present(const struct vp8_depack *d, int64_t ext)
{
    const struct slot *s = slot_at(d, ext);
    return s->state == SLOT_PRESENT && s->ext == ext;
}

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
    if (c->window < 16 || c->window > 2048 || (c->window & (c->window - 1)) ||
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
    d->slots = mem_zalloc((c.window + 1) * sizeof(*d->slots));
    d->pool = mem_alloc((c.window + 1) * c.max_payload);
    if (!d->slots || !d->pool) {
        vp8_depack_destroy(d);
        return -ENOMEM;
    }
    for (unsigned i = 0; i <= c.window; i++)
        d->slots[i].data = d->pool + (size_t)i * c.max_payload;
    d->waiting = true; /* a decoder starts with a key frame */
    *out = d;
    return 0;
}

void vp8_depack_destroy(struct vp8_depack *d)
{
    if (!d)
        return;
    mem_free(d->pool);
    mem_free(d->slots);
    mem_free(d);
}

static void push_event(struct vp8_depack *d, enum vp8_depack_event_kind kind, int64_t seq,
                       int64_t count)
{
    if (d->ev_count == EVENT_QUEUE) {
        d->st.events_dropped++;
        return;
    }
    struct vp8_depack_event *ev = &d->events[(d->ev_head + d->ev_count) % EVENT_QUEUE];
    ev->kind = kind;
    ev->seq = (uint16_t)seq;
    ev->count = (uint16_t)(count > 65535 ? 65535 : count);
    d->ev_count++;
}

/* The decoder lost sync: wait for a key frame, and ask once per wait. */
static void need_key(struct vp8_depack *d)
{
    d->waiting = true;
    if (d->key_event_sent)
        return;
    d->key_event_sent = true;
    d->st.key_requests++;
    push_event(d, VP8_DEPACK_EV_KEY_NEEDED, 0, 0);
}

/* Free n held packets from the head. */
static void release(struct vp8_depack *d, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        slot_at(d, d->head)->state = SLOT_EMPTY;
        d->held--;
        d->head++;
    }
    d->fresh = false;
}

/* Drop n packets of a frame that cannot complete. Further packets with the
 * same timestamp belong to the same frame and are not counted again. */
static void drop_incomplete(struct vp8_depack *d, unsigned n)
{
    uint32_t ts = slot_at(d, d->head)->ts;
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
    struct slot *s = slot_at(d, d->head);
    if (s->ext == d->head)
        s->state = SLOT_EMPTY;
    d->st.packets_lost++;
    d->head++;
    d->fresh = false;
    d->lost_since_emit = true;
}

/* The parked packet needs the head to move past ext. */
static bool parked_forces(const struct vp8_depack *d, int64_t ext)
{
    return d->parked && ext <= parked_slot(d)->ext - (int64_t)d->cfg.window;
}

/* Whatever is missing at ext can no longer be waited for. */
static bool must_resolve(const struct vp8_depack *d, int64_t ext)
{
    return d->highest - ext >= (int64_t)d->cfg.reorder || parked_forces(d, ext);
}

static bool hole_lost(const struct vp8_depack *d, int64_t ext)
{
    const struct slot *s = slot_at(d, ext);
    return (s->state == SLOT_LOST && s->ext == ext) || must_resolve(d, ext);
}

/* Move the parked packet into the ring once the head leaves room for it. */
static void place_parked(struct vp8_depack *d)
{
    struct slot *p = parked_slot(d);
    if (!d->parked || p->ext - d->head >= (int64_t)d->cfg.window)
        return;
    struct slot *s = slot_at(d, p->ext);
    uint8_t *spare = s->data;
    *s = *p;
    p->data = spare;
    p->state = SLOT_EMPTY;
    d->parked = false;
}

/* Make room for the parked packet now, dropping whatever is in the way. */
static void force_parked(struct vp8_depack *d)
{
    int64_t limit = parked_slot(d)->ext - (int64_t)d->cfg.window + 1;
    while (d->head < limit) {
        if (present(d, d->head))
            drop_incomplete(d, 1);
        else
            consume_hole(d);
    }
    place_parked(d);
}

static void start(struct vp8_depack *d, uint16_t seq)
{
    rtp_seq_reset(&d->unwrap);
    d->head = rtp_seq_unwrap(&d->unwrap, seq);
    d->highest = d->head - 1;
    d->started = true;
    d->fresh = true;
}

/* The sender restarted (RFC 3550 A.1): drop everything held. */
static void reset(struct vp8_depack *d)
{
    while (d->head <= d->highest) {
        if (present(d, d->head))
            drop_incomplete(d, 1);
        else
            d->head++;
    }
    if (d->parked) {
        d->parked = false;
        d->held--;
        d->st.packets_dropped++;
    }
    for (unsigned i = 0; i <= d->cfg.window; i++)
        d->slots[i].state = SLOT_EMPTY;
    d->st.resets++;
    d->lost_since_emit = true;
    need_key(d);
}

/* A packet far outside the window: the first is held back, a second right
 * after it restarts the stream. True when the packet is to be stored. */
static bool admit_stray(struct vp8_depack *d, uint16_t seq, int64_t *ext)
{
    if (!d->stray_valid || seq != d->stray_next) {
        d->stray_valid = true;
        d->stray_next = (uint16_t)(seq + 1);
        d->st.packets_stray++;
        return false;
    }
    reset(d);
    start(d, seq);
    *ext = d->head;
    return true;
}

/* Sort an incoming packet: store (true), or count it late, stray or
 * duplicate (false). */
static bool admit(struct vp8_depack *d, uint16_t seq, int64_t *ext)
{
    int64_t diff = *ext - d->highest;
    bool stray = diff >= MAX_DROPOUT;
    if (!stray && *ext < d->head) {
        if (d->fresh && !d->parked && d->highest - *ext < (int64_t)d->cfg.window) {
            d->head = *ext; /* reordered ahead of the first packet seen */
        } else if (diff < -MAX_MISORDER) {
            stray = true;
        } else {
            d->st.packets_late++;
            return false;
        }
    }
    if (stray)
        return admit_stray(d, seq, ext);
    d->stray_valid = false;
    if (present(d, *ext) || (d->parked && parked_slot(d)->ext == *ext)) {
        d->st.packets_dup++;
        return false;
    }
    return true;
}

static void store(struct vp8_depack *d, int64_t ext, const struct vp8_depack_pkt *pkt,
                  const struct vp8_desc *desc)
{
    if (ext > d->highest + 1)
        push_event(d, VP8_DEPACK_EV_GAP, d->highest + 1, ext - d->highest - 1);
    struct slot *s = slot_at(d, ext);
    if (ext - d->head >= (int64_t)d->cfg.window) {
        s = parked_slot(d);
        d->parked = true;
    }
    s->ext = ext;
    memcpy(s->data, pkt->payload + desc->payload_off, desc->payload_len);
    s->len = (uint16_t)desc->payload_len;
    s->ts = pkt->ts;
    s->marker = pkt->marker;
    s->start = desc->s && desc->pid == 0;
    s->key = desc->key_frame;
    s->has_pid = desc->has_picture_id;
    s->pid_long = desc->picture_id_long;
    s->picture_id = desc->picture_id;
    s->state = SLOT_PRESENT;
    d->held++;
    if (ext > d->highest)
        d->highest = ext;
    (void)rtp_seq_unwrap(&d->unwrap, pkt->seq);
}

int vp8_depack_handle_packet(struct vp8_depack *d, const struct vp8_depack_pkt *pkt)
{
    struct vp8_desc desc;
    if (!d || !pkt)
        return -EINVAL;
    d->st.packets_in++;
    int rc = -EMSGSIZE;
    if (pkt->len <= d->cfg.max_payload)
        rc = vp8_desc_parse(pkt->payload, pkt->len, &desc);
    if (rc < 0) {
        d->st.packets_bad++;
        return rc;
    }
    if (d->parked)
        force_parked(d); /* the caller did not poll since parking it */
    if (!d->started)
        start(d, pkt->seq);
    int64_t ext = rtp_seq_unwrap_peek(&d->unwrap, pkt->seq);
    if (admit(d, pkt->seq, &ext))
        store(d, ext, pkt, &desc);
    return 0;
}

void vp8_depack_handle_lost(struct vp8_depack *d, uint16_t seq)
{
    if (!d || !d->started)
        return;
    int64_t ext = rtp_seq_unwrap_peek(&d->unwrap, seq);
    if (ext < d->head || ext - d->head >= (int64_t)d->cfg.window || present(d, ext) ||
        (d->parked && parked_slot(d)->ext == ext))
        return;
    struct slot *s = slot_at(d, ext);
    s->state = SLOT_LOST;
    s->ext = ext;
    if (ext > d->highest) {
        d->highest = ext;
        (void)rtp_seq_unwrap(&d->unwrap, seq);
    }
}

/* From a frame start at the head, find how far the frame reaches: complete
 * through its marker (n packets), still waiting for a packet, or broken
 * (n packets that can never complete). */
static enum scan_result scan(const struct vp8_depack *d, unsigned *n)
{
    uint32_t ts = slot_at(d, d->head)->ts;
    for (int64_t e = d->head;; e++) {
        *n = (unsigned)(e - d->head);
        if (e > d->highest)
            return SCAN_WAIT;
        if (!present(d, e))
            return hole_lost(d, e) ? SCAN_BROKEN : SCAN_WAIT;
        const struct slot *s = slot_at(d, e);
        if (s->ts != ts || (e > d->head && s->start))
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
    uint32_t ts = slot_at(d, d->head)->ts;
    unsigned n = 0;
    for (int64_t e = d->head; e <= d->highest && present(d, e); e++) {
        const struct slot *s = slot_at(d, e);
        if (s->ts != ts || s->start)
            break;
        n++;
        if (s->marker)
            break;
    }
    drop_incomplete(d, n);
}

static bool decodable(const struct vp8_depack *d, const struct slot *first)
{
    if (first->key)
        return true;
    if (d->waiting)
        return false;
    if (first->has_pid && d->last_pid_valid) {
        uint16_t mask = first->pid_long ? 0x7fff : 0x7f;
        return first->picture_id == ((d->last_pid + 1) & mask);
    }
    return !d->lost_since_emit;
}

static void describe(const struct vp8_depack *d, unsigned n, size_t len, struct vp8_depack_frame *f)
{
    const struct slot *first = slot_at(d, d->head);
    memset(f, 0, sizeof(*f));
    f->len = len;
    f->ts = first->ts;
    f->first_seq = (uint16_t)d->head;
    f->last_seq = (uint16_t)(d->head + n - 1);
    f->packets = n;
    f->keyframe = first->key;
    f->has_picture_id = first->has_pid;
    f->picture_id = first->picture_id;
}

/* Hand out the complete frame of n packets at the head, or drop it. */
static int emit(struct vp8_depack *d, unsigned n, uint8_t *buf, size_t cap,
                struct vp8_depack_frame *f)
{
    const struct slot *first = slot_at(d, d->head);
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        total += slot_at(d, d->head + i)->len;
    describe(d, n, total, f);
    bool ok = decodable(d, first);
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
        const struct slot *s = slot_at(d, d->head + i);
        memcpy(buf + off, s->data, s->len);
        off += s->len;
    }
    if (first->key) {
        d->st.keyframes_out++;
        d->waiting = false;
        d->key_event_sent = false;
    }
    d->last_pid_valid = first->has_pid;
    d->last_pid = first->picture_id;
    d->lost_since_emit = false;
    d->st.frames_out++;
    d->st.packets_emitted += n;
    release(d, n);
    return 1;
}

static int step(struct vp8_depack *d, uint8_t *buf, size_t cap, struct vp8_depack_frame *f)
{
    if (!present(d, d->head)) {
        if (!hole_lost(d, d->head))
            return 0;
        consume_hole(d);
        return STEP_AGAIN;
    }
    if (!slot_at(d, d->head)->start) {
        /* Before anything was consumed the start may still come. */
        if (d->fresh && !must_resolve(d, d->head - 1))
            return 0;
        drop_run(d);
        return STEP_AGAIN;
    }
    unsigned n;
    enum scan_result r = scan(d, &n);
    if (r == SCAN_WAIT && parked_forces(d, d->head))
        r = SCAN_BROKEN;
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
        place_parked(d);
        if (!d->started || d->head > d->highest)
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
    return d->held;
}

void vp8_depack_get_stats(const struct vp8_depack *d, struct vp8_depack_stats *s)
{
    *s = d->st;
}
