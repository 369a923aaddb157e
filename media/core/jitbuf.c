/* jitbuf — receive jitter buffer; jitter estimate per RFC 3550 A.8,
 * sequence validation per RFC 3550 A.1. */
#include "media/core/jitbuf.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/rtp_seq.h"

#define MAX_DROPOUT 3000
#define MAX_MISORDER 100
/* Buffer four mean deviations: for uniform jitter over [0, D], J is about
 * D / 3, so 4 J covers the whole spread. */
#define JITTER_MULT 4
#define TARGET_DECAY 64
/* The base transit is the minimum over the current and the previous window. */
#define BASE_WINDOW_US 10000000LL
/* One outlier (a timestamp jump) must not pin J for minutes. */
#define MAX_TRANSIT_STEP_US 10000000LL

struct slot {
    int64_t ext;      /* extended sequence number */
    int64_t media_us; /* timestamp as media time since the first packet */
    int64_t arrival_us;
    uint8_t *data;
    uint32_t ts;
    uint16_t len;
    bool marker;
    bool present;
};

enum admit_result { ADMIT_STORE, ADMIT_LATE, ADMIT_DROP, ADMIT_FULL };

struct jitbuf {
    struct jitbuf_cfg cfg;
    struct slot *slots; /* window ring, then one slot to park a packet ahead of it */
    uint8_t *pool;
    struct rtp_seq_unwrapper unwrap;
    struct rtp_seq_ts_unwrapper ts_unwrap;
    int64_t ts0; /* extended timestamp at media time 0 */
    bool started;
    bool fresh; /* nothing out since the start: the head may move back */
    bool parked;
    int64_t head;      /* next sequence number to hand out */
    int64_t highest;   /* newest sequence number stored */
    int64_t scan_from; /* [head, scan_from) holds no packet */
    unsigned held;
    bool stray_valid;
    uint16_t stray_next;
    int64_t now_us;
    bool base_valid;
    int64_t base_cur;
    int64_t base_prev;
    int64_t base_since;
    bool have_transit;
    int64_t last_transit;
    int64_t jitter16; /* J scaled by 16, as in RFC 3550 A.8 */
    int64_t target_us;
    bool reset_pending;
    unsigned reset_count;
    struct jitbuf_stats st;
};

static struct slot *slot_at(const struct jitbuf *jb, int64_t ext)
{
    return &jb->slots[(uint64_t)ext & (jb->cfg.window - 1)];
}

static struct slot *parked_slot(const struct jitbuf *jb)
{
    return &jb->slots[jb->cfg.window];
}

static bool present(const struct jitbuf *jb, int64_t ext)
{
    const struct slot *s = slot_at(jb, ext);
    return s->present && s->ext == ext;
}

static int check_cfg(const struct jitbuf_cfg *in, struct jitbuf_cfg *c)
{
    if (!in)
        return -EINVAL;
    *c = *in;
    if (!c->window)
        c->window = 512;
    if (!c->max_payload)
        c->max_payload = 1500;
    if (!c->min_delay_us)
        c->min_delay_us = 20000;
    if (!c->max_delay_us)
        c->max_delay_us = 500000;
    if (c->clock_rate == 0 || c->clock_rate > 1000000 || c->window < 16 || c->window > 4096 ||
        (c->window & (c->window - 1)) || c->max_payload > 65535 || c->min_delay_us < 0 ||
        c->max_delay_us < c->min_delay_us || c->max_delay_us > 60000000)
        return -EINVAL;
    return 0;
}

int jitbuf_create(const struct jitbuf_cfg *cfg, struct jitbuf **out)
{
    struct jitbuf_cfg c;
    if (!out)
        return -EINVAL;
    *out = NULL;
    int rc = check_cfg(cfg, &c);
    if (rc < 0)
        return rc;
    struct jitbuf *jb = mem_zalloc(sizeof(*jb));
    if (!jb)
        return -ENOMEM;
    jb->cfg = c;
    jb->slots = mem_zalloc((c.window + 1) * sizeof(*jb->slots));
    jb->pool = mem_alloc((c.window + 1) * c.max_payload);
    if (!jb->slots || !jb->pool) {
        jitbuf_destroy(jb);
        return -ENOMEM;
    }
    for (unsigned i = 0; i <= c.window; i++)
        jb->slots[i].data = jb->pool + (size_t)i * c.max_payload;
    jb->now_us = INT64_MIN;
    jb->target_us = c.min_delay_us;
    *out = jb;
    return 0;
}

void jitbuf_destroy(struct jitbuf *jb)
{
    if (!jb)
        return;
    mem_free(jb->pool);
    mem_free(jb->slots);
    mem_free(jb);
}

static void advance(struct jitbuf *jb, int64_t now_us)
{
    if (now_us > jb->now_us)
        jb->now_us = now_us;
}

static int64_t base_transit(const struct jitbuf *jb)
{
    return jb->base_cur < jb->base_prev ? jb->base_cur : jb->base_prev;
}

static int64_t playout(const struct jitbuf *jb, const struct slot *s)
{
    return base_transit(jb) + s->media_us + jb->target_us;
}

static int64_t media_us(const struct jitbuf *jb, int64_t ts_ext)
{
    return (ts_ext - jb->ts0) * 1000000 / jb->cfg.clock_rate;
}

static void note_base(struct jitbuf *jb, int64_t transit)
{
    if (!jb->base_valid) {
        jb->base_valid = true;
        jb->base_cur = jb->base_prev = transit;
        jb->base_since = jb->now_us;
    } else if (jb->now_us - jb->base_since >= BASE_WINDOW_US) {
        jb->base_prev = jb->base_cur;
        jb->base_cur = transit;
        jb->base_since = jb->now_us;
    } else if (transit < jb->base_cur) {
        jb->base_cur = transit;
    }
}

/* RFC 3550 A.8: J += (|D| - J) / 16, D the change in transit time between
 * consecutive arrivals; then move the target delay. */
static void note_jitter(struct jitbuf *jb, int64_t transit)
{
    if (jb->have_transit) {
        int64_t d = transit - jb->last_transit;
        d = d < 0 ? -d : d;
        d = d > MAX_TRANSIT_STEP_US ? MAX_TRANSIT_STEP_US : d;
        jb->jitter16 += d - ((jb->jitter16 + 8) >> 4);
    }
    jb->have_transit = true;
    jb->last_transit = transit;
    int64_t want = JITTER_MULT * (jb->jitter16 >> 4);
    want = want < jb->cfg.min_delay_us ? jb->cfg.min_delay_us : want;
    want = want > jb->cfg.max_delay_us ? jb->cfg.max_delay_us : want;
    if (want >= jb->target_us)
        jb->target_us = want;
    else
        jb->target_us -= (jb->target_us - want + TARGET_DECAY - 1) / TARGET_DECAY;
}

static void start(struct jitbuf *jb, const struct jitbuf_pkt *pkt)
{
    rtp_seq_reset(&jb->unwrap);
    rtp_seq_ts_reset(&jb->ts_unwrap);
    jb->head = rtp_seq_unwrap(&jb->unwrap, pkt->seq);
    jb->highest = jb->head - 1;
    jb->scan_from = jb->head;
    jb->ts0 = rtp_seq_ts_unwrap(&jb->ts_unwrap, pkt->ts);
    jb->started = true;
    jb->fresh = true;
    jb->base_valid = false;
    jb->have_transit = false;
}

/* The sender restarted (RFC 3550 A.1): drop everything held. */
static void reset(struct jitbuf *jb, const struct jitbuf_pkt *pkt)
{
    for (unsigned i = 0; i <= jb->cfg.window; i++)
        jb->slots[i].present = false;
    jb->st.packets_reset += jb->held;
    jb->reset_count += jb->held;
    jb->held = 0;
    jb->parked = false;
    jb->stray_valid = false;
    jb->reset_pending = true;
    jb->st.resets++;
    start(jb, pkt);
}

/* A packet far outside the window: the first is held back, a second right
 * after it restarts the stream. */
static enum admit_result admit_stray(struct jitbuf *jb, const struct jitbuf_pkt *pkt, int64_t *ext)
{
    if (!jb->stray_valid || pkt->seq != jb->stray_next) {
        jb->stray_valid = true;
        jb->stray_next = (uint16_t)(pkt->seq + 1);
        jb->st.packets_stray++;
        return ADMIT_DROP;
    }
    reset(jb, pkt);
    *ext = jb->head;
    return ADMIT_STORE;
}

static enum admit_result admit(struct jitbuf *jb, const struct jitbuf_pkt *pkt, int64_t *ext)
{
    int64_t diff = *ext - jb->highest;
    bool stray = diff >= MAX_DROPOUT;
    if (!stray && *ext < jb->head) {
        if (jb->fresh && !jb->parked && jb->highest - *ext < (int64_t)jb->cfg.window) {
            jb->head = *ext; /* reordered ahead of the first packet seen */
        } else if (diff < -MAX_MISORDER) {
            stray = true;
        } else {
            jb->st.packets_late++;
            return ADMIT_LATE;
        }
    }
    if (stray)
        return admit_stray(jb, pkt, ext);
    jb->stray_valid = false;
    if (present(jb, *ext) || (jb->parked && parked_slot(jb)->ext == *ext)) {
        jb->st.packets_dup++;
        return ADMIT_DROP;
    }
    if (*ext - jb->head >= (int64_t)jb->cfg.window && jb->parked) {
        jb->st.packets_overflow++;
        return ADMIT_FULL;
    }
    return ADMIT_STORE;
}

static void store(struct jitbuf *jb, int64_t ext, const struct jitbuf_pkt *pkt, int64_t media)
{
    struct slot *s = slot_at(jb, ext);
    if (ext - jb->head >= (int64_t)jb->cfg.window) {
        s = parked_slot(jb);
        jb->parked = true;
    }
    s->ext = ext;
    s->media_us = media;
    s->arrival_us = jb->now_us;
    if (pkt->len)
        memcpy(s->data, pkt->payload, pkt->len);
    s->len = (uint16_t)pkt->len;
    s->ts = pkt->ts;
    s->marker = pkt->marker;
    s->present = true;
    jb->held++;
    if (ext > jb->highest)
        jb->highest = ext;
    if (ext < jb->scan_from)
        jb->scan_from = ext;
    (void)rtp_seq_unwrap(&jb->unwrap, pkt->seq);
}

int jitbuf_handle_packet(struct jitbuf *jb, const struct jitbuf_pkt *pkt, int64_t now_us)
{
    if (!jb || !pkt || (!pkt->payload && pkt->len))
        return -EINVAL;
    advance(jb, now_us);
    jb->st.packets_in++;
    if (pkt->len > jb->cfg.max_payload) {
        jb->st.packets_bad++;
        return -EMSGSIZE;
    }
    if (!jb->started)
        start(jb, pkt);
    int64_t ext = rtp_seq_unwrap_peek(&jb->unwrap, pkt->seq);
    enum admit_result r = admit(jb, pkt, &ext);
    if (r == ADMIT_DROP)
        return 0;
    if (r == ADMIT_FULL)
        return -ENOBUFS;
    int64_t ts_ext = r == ADMIT_STORE ? rtp_seq_ts_unwrap(&jb->ts_unwrap, pkt->ts)
                                      : rtp_seq_ts_unwrap_peek(&jb->ts_unwrap, pkt->ts);
    int64_t media = media_us(jb, ts_ext);
    int64_t transit = jb->now_us - media;
    note_base(jb, transit);
    note_jitter(jb, transit);
    if (r == ADMIT_STORE)
        store(jb, ext, pkt, media);
    return 0;
}

void jitbuf_handle_timeout(struct jitbuf *jb, int64_t now_us)
{
    if (jb)
        advance(jb, now_us);
}

static bool parked_forces(const struct jitbuf *jb, int64_t ext)
{
    return jb->parked && ext <= parked_slot(jb)->ext - (int64_t)jb->cfg.window;
}

/* Move the parked packet into the ring once the head leaves room for it. */
static void place_parked(struct jitbuf *jb)
{
    struct slot *p = parked_slot(jb);
    if (!jb->parked || p->ext - jb->head >= (int64_t)jb->cfg.window)
        return;
    struct slot *s = slot_at(jb, p->ext);
    uint8_t *spare = s->data;
    *s = *p;
    p->data = spare;
    p->present = false;
    jb->parked = false;
    if (s->ext < jb->scan_from)
        jb->scan_from = s->ext;
}

/* First packet held at or after the head; highest + 1 when none. */
static int64_t next_present(const struct jitbuf *jb)
{
    int64_t e = jb->scan_from > jb->head ? jb->scan_from : jb->head;
    while (e <= jb->highest && !present(jb, e))
        e++;
    return e;
}

static void emit_packet(struct jitbuf *jb, int64_t due, struct jitbuf_out *out)
{
    struct slot *s = slot_at(jb, jb->head);
    out->kind = JITBUF_OUT_PACKET;
    out->seq = (uint16_t)jb->head;
    out->ts = s->ts;
    out->marker = s->marker;
    out->payload = s->data;
    out->len = s->len;
    out->playout_us = due;
    if (s->arrival_us > due)
        jb->st.released_after_due++;
    s->present = false;
    jb->held--;
    jb->st.packets_released++;
}

bool jitbuf_poll_output(struct jitbuf *jb, struct jitbuf_out *out)
{
    if (!jb || !out)
        return false;
    place_parked(jb);
    memset(out, 0, sizeof(*out));
    if (jb->reset_pending) {
        out->kind = JITBUF_OUT_RESET;
        out->count = jb->reset_count;
        jb->reset_pending = false;
        jb->reset_count = 0;
        return true;
    }
    if (!jb->started || jb->head > jb->highest)
        return false;
    bool forced = parked_forces(jb, jb->head);
    int64_t np = next_present(jb);
    jb->scan_from = np;
    int64_t due = np <= jb->highest ? playout(jb, slot_at(jb, np)) : jb->now_us;
    if (!forced && (np > jb->highest || due > jb->now_us))
        return false;
    if (np == jb->head) {
        emit_packet(jb, due, out);
    } else {
        /* A gap: its turn comes with the next packet that did arrive. */
        out->kind = JITBUF_OUT_LOST;
        out->seq = (uint16_t)jb->head;
        out->playout_us = due;
        jb->st.lost++;
    }
    jb->head++;
    jb->fresh = false;
    return true;
}

int64_t jitbuf_poll_timeout(const struct jitbuf *jb)
{
    if (!jb || !jb->started)
        return INT64_MAX;
    if (jb->reset_pending || jb->parked)
        return jb->now_us;
    int64_t np = next_present(jb);
    if (np > jb->highest)
        return INT64_MAX;
    int64_t due = playout(jb, slot_at(jb, np));
    return due > jb->now_us ? due : jb->now_us;
}

int64_t jitbuf_target_us(const struct jitbuf *jb)
{
    return jb->target_us;
}

int64_t jitbuf_jitter_us(const struct jitbuf *jb)
{
    return jb->jitter16 >> 4;
}

unsigned jitbuf_held(const struct jitbuf *jb)
{
    return jb->held;
}

void jitbuf_get_stats(const struct jitbuf *jb, struct jitbuf_stats *s)
{
    *s = jb->st;
}
