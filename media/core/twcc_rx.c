/* twcc_rx — arrival records and transport-cc feedback (policy in the
 * header).
 *
 * Invariant: when started, next <= highest + 1, highest - next <
 * TWCC_RX_WINDOW, and the slots of every seq in [next, highest] hold that
 * seq's arrival + 1 (0: not received). Slots outside that range are stale;
 * moving `highest` forward clears the slots it takes over.
 *
 * A forward move of less than TWCC_RX_WINDOW that would leave the oldest
 * unreported statuses outside the window (the caller polls too seldom)
 * moves `next` up with it: those statuses are never reported. */
#include "media/core/twcc_rx.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_twcc.h"
#include "media/core/rtp_seq.h"

#define MASK (TWCC_RX_WINDOW - 1)
#define ARRIVAL_LIMIT ((int64_t)1 << 60) /* rtcp_twcc_write's bound */
/* The smallest feedback: header, one chunk, a 1-byte delta, padded. Every
 * single status fits in it: the first delta, from the reference time, is
 * always below 64 ms, a 1-byte one. */
#define MIN_FEEDBACK (RTCP_TWCC_HDR_LEN + 4)

_Static_assert((TWCC_RX_WINDOW & MASK) == 0, "TWCC_RX_WINDOW: a power of two");
_Static_assert(TWCC_RX_MAX_STATUSES <= TWCC_RX_WINDOW, "a feedback spans at most the window");
_Static_assert(TWCC_RX_MAX_STATUSES <= RTCP_TWCC_MAX_RUN, "an all-lost feedback is one run");

void twcc_rx_init(struct twcc_rx *r)
{
    if (r)
        memset(r, 0, sizeof *r);
}

static int64_t *slot(struct twcc_rx *r, int64_t ext)
{
    return &r->arrival[(uint64_t)ext & MASK];
}

/* Move the highest seq to ext (ext > highest, less than a window ahead). */
static void advance(struct twcc_rx *r, int64_t ext)
{
    for (int64_t s = r->highest + 1; s <= ext; s++)
        *slot(r, s) = 0;
    r->highest = ext;
    if (r->next < ext - (int64_t)TWCC_RX_WINDOW + 1)
        r->next = ext - (int64_t)TWCC_RX_WINDOW + 1;
}

void twcc_rx_on_packet(struct twcc_rx *r, uint16_t seq, int64_t arrival_us)
{
    if (!r || arrival_us < 0 || arrival_us >= ARRIVAL_LIMIT)
        return;
    r->stats.packets++;
    struct rtp_seq_unwrapper u = {.started = r->started, .highest = r->highest};
    int64_t ext = rtp_seq_unwrap_peek(&u, seq);
    if (!r->started || ext - r->highest >= (int64_t)TWCC_RX_WINDOW) {
        if (r->started)
            r->stats.restarts++;
        r->started = true;
        r->next = r->highest = ext;
        *slot(r, ext) = arrival_us + 1;
        return;
    }
    if (ext < r->next) {
        r->stats.late++;
        return;
    }
    if (ext > r->highest) {
        advance(r, ext);
    } else if (*slot(r, ext) != 0) {
        r->stats.duplicates++;
        return;
    }
    *slot(r, ext) = arrival_us + 1;
}

/* ---- feedback --------------------------------------------------------- */

struct plan {
    struct rtcp_twcc fb;
    size_t n; /* received packets in pkts */
    struct rtcp_twcc_pkt pkts[TWCC_RX_MAX_STATUSES];
};

/* Collect the received packets from next on, at most TWCC_RX_MAX_STATUSES
 * statuses, stopping before one whose delta from the previous one would not
 * fit 16 bits (computed as rtcp_twcc_write does: both floored to ticks).
 * Each packet takes at least one delta byte after the header and a chunk:
 * no more than that many can fit in cap, which keeps small caps cheap. */
static void collect(struct twcc_rx *r, struct plan *p, size_t cap)
{
    size_t max_pkts = cap - RTCP_TWCC_HDR_LEN - 2; /* cap >= MIN_FEEDBACK */
    int64_t end = r->highest;
    if (end - r->next >= TWCC_RX_MAX_STATUSES)
        end = r->next + TWCC_RX_MAX_STATUSES - 1;
    int64_t prev_ticks = 0;
    p->n = 0;
    for (int64_t s = r->next; s <= end && p->n < max_pkts; s++) {
        int64_t a = *slot(r, s);
        if (a == 0)
            continue;
        int64_t t = a - 1, ticks = t / RTCP_TWCC_TICK_US;
        if (p->n > 0 && (ticks - prev_ticks < INT16_MIN || ticks - prev_ticks > INT16_MAX))
            break;
        prev_ticks = ticks;
        p->pkts[p->n++] =
            (struct rtcp_twcc_pkt){.seq = (uint16_t)s, .received = true, .arrival_us = t};
    }
}

/* Statuses covered by the feedback of the first k received packets; k = 0:
 * the not-received ones before the first (a whole block when there is
 * none). */
static size_t covered(const struct plan *p, size_t k)
{
    if (k > 0)
        return (size_t)(uint16_t)(p->pkts[k - 1].seq - p->fb.base_seq) + 1;
    if (p->n > 0)
        return (size_t)(uint16_t)(p->pkts[0].seq - p->fb.base_seq);
    return TWCC_RX_MAX_STATUSES;
}

static int write_k(struct plan *p, size_t k, uint8_t *out, size_t cap, size_t *w)
{
    struct rtcp_twcc fb = p->fb;
    if (k > 0) {
        fb.status_count = 0; /* up to the last packet given */
        return rtcp_twcc_write(&fb, p->pkts, k, out, cap, w);
    }
    fb.status_count = (uint16_t)covered(p, 0);
    return rtcp_twcc_write(&fb, NULL, 0, out, cap, w);
}

/* Write the longest feedback that fits: all n packets, else a binary search
 * on the number of packets (k = 0, the lost statuses before the first
 * received one, always fits MIN_FEEDBACK): at most log2(n) + 2 writes.
 * The writer's padded size grows with k (its chunk choice is greedy; a
 * random check of millions of patterns found no exception), so this is
 * the largest that fits; were a size ever to shrink, what it finds would
 * still fit. Gives k in *used. */
static int write_fitting(struct plan *p, uint8_t *out, size_t cap, size_t *w, size_t *used)
{
    size_t hi = p->n;
    int rc = write_k(p, hi, out, cap, w);
    if (rc != -ENOSPC || hi == 0) {
        *used = hi;
        return rc;
    }
    size_t lo = 0, written = 0;
    bool lo_in_out = false; /* out holds the feedback of lo packets, intact */
    if (p->n > 0 && covered(p, 0) == 0)
        lo = 1; /* no lost statuses first: one packet, which always fits */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        rc = write_k(p, mid, out, cap, &written);
        if (rc == 0) {
            lo = mid;
            lo_in_out = true;
        } else if (rc == -ENOSPC) {
            hi = mid;
            lo_in_out = false; /* a failed write may leave part of itself */
        } else {
            return rc;
        }
    }
    *used = lo;
    if (lo_in_out) {
        *w = written;
        return 0;
    }
    return write_k(p, lo, out, cap, w);
}

int twcc_rx_poll(struct twcc_rx *r, uint32_t sender_ssrc, uint32_t media_ssrc, uint8_t *out,
                 size_t cap, size_t *len)
{
    if (!r || !out || !len)
        return -EINVAL;
    if (!r->started || r->next > r->highest)
        return 0;
    if (cap < MIN_FEEDBACK)
        return -ENOSPC;
    struct plan p;
    collect(r, &p, cap);
    /* The reference time of an all-lost feedback: that of the next one. */
    int64_t ref_from = p.n > 0 ? p.pkts[0].arrival_us : *slot(r, r->highest) - 1;
    p.fb = (struct rtcp_twcc){
        .sender_ssrc = sender_ssrc,
        .media_ssrc = media_ssrc,
        .base_seq = (uint16_t)r->next,
        .ref_time = (uint32_t)(ref_from / RTCP_TWCC_REF_US) & RTCP_TWCC_REF_MASK,
        .fb_count = r->fb_count,
    };
    size_t w = 0, k = 0;
    int rc = write_fitting(&p, out, cap, &w, &k);
    if (rc < 0)
        return rc;
    r->next += (int64_t)covered(&p, k);
    r->fb_count++;
    r->stats.feedbacks++;
    *len = w;
    return 1;
}
