/* jitbuf — receive jitter buffer; jitter estimate per RFC 3550 A.8, the
 * packet window and sequence validation (RFC 3550 A.1) of seq_win. */
#include "media/core/jitbuf.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/rtp_seq.h"
#include "media/core/seq_win.h"

/* Buffer four mean deviations: for uniform jitter over [0, D], J is about
 * D / 3, so 4 J covers the whole spread. */
#define JITTER_MULT 4
#define TARGET_DECAY 64
/* The base transit is the minimum over the current and the previous window. */
#define BASE_WINDOW_US 10000000LL
/* One outlier (a timestamp jump) must not pin J for minutes. */
#define MAX_TRANSIT_STEP_US 10000000LL
/* Bounds that keep the time arithmetic far from int64 overflow: the clock
 * (about 36,000 years of microseconds) and media time (about 140 years). */
#define NOW_LIMIT_US (1LL << 60)
#define MEDIA_LIMIT_S 4000000000LL

struct jitbuf {
    struct jitbuf_cfg cfg;
    struct seq_win win; /* slot stamp: arrival time */
    struct rtp_seq_ts_unwrapper ts_unwrap;
    int64_t ts0;       /* extended timestamp at media time 0 */
    int64_t scan_from; /* [head, scan_from) holds no packet */
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
    struct jitbuf_stats st; /* the window's own counts are added on read */
};

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
    rc = seq_win_init(&jb->win, c.window, c.max_payload);
    if (rc < 0) {
        mem_free(jb);
        return rc;
    }
    jb->now_us = INT64_MIN;
    jb->target_us = c.min_delay_us;
    *out = jb;
    return 0;
}

void jitbuf_destroy(struct jitbuf *jb)
{
    if (!jb)
        return;
    seq_win_fini(&jb->win);
    mem_free(jb);
}

static void advance(struct jitbuf *jb, int64_t now_us)
{
    now_us = now_us > NOW_LIMIT_US ? NOW_LIMIT_US : now_us;
    now_us = now_us < -NOW_LIMIT_US ? -NOW_LIMIT_US : now_us;
    if (now_us > jb->now_us)
        jb->now_us = now_us;
}

static int64_t base_transit(const struct jitbuf *jb)
{
    return jb->base_cur < jb->base_prev ? jb->base_cur : jb->base_prev;
}

/* Media time of an extended timestamp, saturated so that no sum of times
 * below can overflow, whatever timestamps a sender makes up. */
static int64_t media_us(const struct jitbuf *jb, int64_t ts_ext)
{
    int64_t d = ts_ext - jb->ts0, rate = jb->cfg.clock_rate;
    int64_t sec = d / rate;
    if (sec > MEDIA_LIMIT_S)
        return MEDIA_LIMIT_S * 1000000;
    if (sec < -MEDIA_LIMIT_S)
        return -MEDIA_LIMIT_S * 1000000;
    return sec * 1000000 + d % rate * 1000000 / rate;
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

static int64_t media_us_of(const struct jitbuf *jb, uint32_t ts)
{
    return media_us(jb, rtp_seq_ts_unwrap_peek(&jb->ts_unwrap, ts));
}

/* The playout time of a held packet (its media time from its timestamp,
 * unwrapped near the newest). */
static int64_t playout(const struct jitbuf *jb, const struct seq_win_slot *s)
{
    return base_transit(jb) + media_us_of(jb, s->ts) + jb->target_us;
}

/* A packet of media time `media` arrived at arrival_us. */
static void note_timing(struct jitbuf *jb, int64_t media, int64_t arrival_us)
{
    int64_t transit = arrival_us - media;
    note_base(jb, transit);
    note_jitter(jb, transit);
}

/* Media time 0 is the timestamp of the first packet of the stream. */
static void start_clock(struct jitbuf *jb, uint32_t ts)
{
    rtp_seq_ts_reset(&jb->ts_unwrap);
    jb->ts0 = rtp_seq_ts_unwrap(&jb->ts_unwrap, ts);
    jb->base_valid = false;
    jb->have_transit = false;
    jb->scan_from = jb->win.head;
}

/* The sender restarted (RFC 3550 A.1): the window kept the packet that was
 * on probation and its successor (the one just stored) and dropped the
 * rest. The clock starts over from the first of the two. */
static void restarted(struct jitbuf *jb, uint64_t dropped, uint32_t ts)
{
    jb->reset_pending = true;
    jb->reset_count += (unsigned)dropped;
    const struct seq_win_slot *first = seq_win_get(&jb->win, jb->win.head);
    start_clock(jb, first->ts);
    note_timing(jb, 0, first->stamp);
    note_timing(jb, media_us(jb, rtp_seq_ts_unwrap(&jb->ts_unwrap, ts)), jb->now_us);
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
    struct seq_win_pkt p = {.seq = pkt->seq,
                            .ts = pkt->ts,
                            .marker = pkt->marker,
                            .data = pkt->payload,
                            .len = pkt->len,
                            .stamp = jb->now_us};
    bool started = jb->win.started;
    uint64_t reset_before = jb->win.counts.reset;
    int64_t ext;
    switch (seq_win_insert(&jb->win, &p, &ext)) {
    case SEQ_WIN_STORED:
        if (!started)
            start_clock(jb, pkt->ts);
        if (ext < jb->scan_from)
            jb->scan_from = ext;
        note_timing(jb, media_us(jb, rtp_seq_ts_unwrap(&jb->ts_unwrap, pkt->ts)), jb->now_us);
        return 0;
    case SEQ_WIN_LATE: /* it still tells about the path's jitter */
        note_timing(jb, media_us_of(jb, pkt->ts), jb->now_us);
        return 0;
    case SEQ_WIN_RESTART:
        restarted(jb, jb->win.counts.reset - reset_before, pkt->ts);
        return 0;
    case SEQ_WIN_FULL:
        return -ENOBUFS;
    default: /* duplicate or stray: counted by the window */
        return 0;
    }
}

void jitbuf_handle_timeout(struct jitbuf *jb, int64_t now_us)
{
    if (jb)
        advance(jb, now_us);
}

/* First packet held in the ring at or after the head, highest + 1 when
 * none; *reached (optional) gets where the scan stopped: no packet lies in
 * [head, *reached). A parked packet is beyond the ring and not found. */
static int64_t next_present(const struct jitbuf *jb, int64_t *reached)
{
    const struct seq_win *w = &jb->win;
    int64_t e = jb->scan_from > w->head ? jb->scan_from : w->head;
    int64_t end = w->head + (int64_t)w->window - 1;
    if (end > w->highest)
        end = w->highest;
    while (e <= end && !seq_win_get(w, e))
        e++;
    if (reached)
        *reached = e;
    return e <= end ? e : w->highest + 1;
}

static void emit_packet(struct jitbuf *jb, int64_t due, struct jitbuf_out *out)
{
    struct seq_win_slot s;
    out->seq = (uint16_t)jb->win.head;
    (void)seq_win_pop(&jb->win, &s);
    out->kind = JITBUF_OUT_PACKET;
    out->ts = s.ts;
    out->marker = s.marker;
    out->payload = s.data;
    out->len = s.len;
    out->playout_us = due;
    if (s.stamp > due)
        jb->st.released_after_due++;
    jb->st.packets_released++;
}

bool jitbuf_poll_output(struct jitbuf *jb, struct jitbuf_out *out)
{
    if (!jb || !out)
        return false;
    memset(out, 0, sizeof(*out));
    if (jb->reset_pending) {
        out->kind = JITBUF_OUT_RESET;
        out->count = jb->reset_count;
        jb->reset_pending = false;
        jb->reset_count = 0;
        return true;
    }
    struct seq_win *w = &jb->win;
    if (!w->started || w->head > w->highest)
        return false;
    /* A parked packet needs room: everything before it is due now. */
    bool forced = seq_win_forced(w, w->head);
    int64_t np = next_present(jb, &jb->scan_from);
    const struct seq_win_slot *s = np <= w->highest ? seq_win_get(w, np) : NULL;
    int64_t due = s ? playout(jb, s) : jb->now_us;
    if (!forced && (!s || due > jb->now_us))
        return false;
    if (np == w->head) {
        emit_packet(jb, due, out);
        return true;
    }
    /* A gap: its turn comes with the next packet that did arrive. */
    out->kind = JITBUF_OUT_LOST;
    out->seq = (uint16_t)w->head;
    out->playout_us = due;
    (void)seq_win_pop(w, NULL);
    jb->st.lost++;
    return true;
}

int64_t jitbuf_poll_timeout(const struct jitbuf *jb)
{
    if (!jb || !jb->win.started)
        return INT64_MAX;
    if (jb->reset_pending || jb->win.parked)
        return jb->now_us;
    int64_t np = next_present(jb, NULL);
    if (np > jb->win.highest)
        return INT64_MAX;
    int64_t due = playout(jb, seq_win_get(&jb->win, np));
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
    return jb->win.held;
}

void jitbuf_get_stats(const struct jitbuf *jb, struct jitbuf_stats *s)
{
    const struct seq_win_counts *c = &jb->win.counts;
    *s = jb->st;
    s->packets_late = c->late;
    s->packets_dup = c->dup;
    s->packets_stray = c->stray;
    s->packets_overflow = c->overflow;
    s->packets_reset = c->reset;
    s->resets = c->resets;
}
