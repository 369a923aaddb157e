/* rtp_rx_stats — receiver statistics of one RTP stream (RFC 3550 A.1, A.3,
 * A.8). */
#include "media/core/rtp_rx_stats.h"

#include <errno.h>
#include <string.h>

#include "media/core/ntp_time.h"
#include "media/core/rtp_seq.h"

#define SEQ_MOD 65536u
#define US_PER_S 1000000u
#define DUP_MASK (RTP_RX_STATS_DUP_WINDOW - 1)

int rtp_rx_stats_init(struct rtp_rx_stats *s, uint32_t ssrc, uint32_t clock_rate,
                      unsigned min_sequential)
{
    if (!s || clock_rate == 0 || min_sequential > 16)
        return -EINVAL;
    memset(s, 0, sizeof *s);
    s->ssrc = ssrc;
    s->clock_rate = clock_rate;
    s->min_sequential = min_sequential;
    return 0;
}

static int64_t ext_max(const struct rtp_rx_stats *s)
{
    return (int64_t)s->cycles + s->max_seq;
}

static void seen_clear_all(struct rtp_rx_stats *s)
{
    memset(s->seen, 0, sizeof s->seen);
}

static bool seen_test_and_set(struct rtp_rx_stats *s, int64_t ext)
{
    unsigned bit = (unsigned)((uint64_t)ext & DUP_MASK);
    uint64_t m = 1ull << (bit % 64);
    bool was = (s->seen[bit / 64] & m) != 0;
    s->seen[bit / 64] |= m;
    return was;
}

/* The highest moves forward by k: forget the bits the window leaves. */
static void seen_advance(struct rtp_rx_stats *s, int64_t from, uint32_t k)
{
    if (k >= RTP_RX_STATS_DUP_WINDOW) {
        seen_clear_all(s);
        return;
    }
    for (uint32_t i = 1; i <= k; i++) {
        unsigned bit = (unsigned)((uint64_t)(from + i) & DUP_MASK);
        s->seen[bit / 64] &= ~(1ull << (bit % 64));
    }
}

/* A.1 init_seq(). */
static void init_seq(struct rtp_rx_stats *s, uint16_t seq)
{
    s->base_seq = seq;
    s->max_seq = seq;
    s->bad_seq = SEQ_MOD + 1; /* so seq == bad_seq is false */
    s->cycles = 0;
    s->received = 0;
    s->received_prior = 0;
    s->expected_prior = 0;
    seen_clear_all(s);
    (void)seen_test_and_set(s, seq);
}

/* A.1 update_seq() while on probation. */
static enum rtp_rx_verdict probation(struct rtp_rx_stats *s, uint16_t seq)
{
    if (seq == (uint16_t)(s->max_seq + 1)) {
        s->probation--;
        s->max_seq = seq;
        if (s->probation == 0) {
            init_seq(s, seq);
            s->received++;
            return RTP_RX_NEW;
        }
    } else {
        s->probation = s->min_sequential - 1;
        s->max_seq = seq;
    }
    return RTP_RX_PROBATION;
}

/* A.1 update_seq() for a validated source, plus duplicate detection. */
static enum rtp_rx_verdict update_seq(struct rtp_rx_stats *s, uint16_t seq)
{
    uint16_t udelta = (uint16_t)(seq - s->max_seq);
    enum rtp_rx_verdict v;
    if (udelta == 0) {
        v = RTP_RX_DUPLICATE;
    } else if (udelta < RTP_RX_STATS_MAX_DROPOUT) {
        /* in order, with a permissible gap */
        seen_advance(s, ext_max(s), udelta);
        if (seq < s->max_seq)
            s->cycles += SEQ_MOD; /* sequence number wrapped */
        s->max_seq = seq;
        (void)seen_test_and_set(s, ext_max(s));
        v = RTP_RX_NEW;
    } else if (udelta <= SEQ_MOD - RTP_RX_STATS_MAX_MISORDER) {
        /* the sequence number made a very large jump */
        if (seq != s->bad_seq) {
            s->bad_seq = (seq + 1u) & (SEQ_MOD - 1);
            return RTP_RX_BAD_SEQ;
        }
        /* two sequential packets: the sender restarted */
        init_seq(s, seq);
        v = RTP_RX_RESTART;
    } else {
        /* duplicate or reordered packet */
        int64_t ext = ext_max(s) - (int64_t)(SEQ_MOD - udelta);
        v = seen_test_and_set(s, ext) ? RTP_RX_DUPLICATE : RTP_RX_REORDERED;
    }
    s->bad_seq = SEQ_MOD + 1; /* a stray's successor must come next */
    s->received++;
    return v;
}

/* now_us as RTP timestamp units since the first packet, modulo 2^32. */
static uint32_t arrival_units(const struct rtp_rx_stats *s, int64_t now_us)
{
    int64_t d = now_us - s->t0_us;
    uint64_t a = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    uint64_t u = (a / US_PER_S) * s->clock_rate + (a % US_PER_S) * s->clock_rate / US_PER_S;
    return d < 0 ? (uint32_t)(0 - u) : (uint32_t)u;
}

/* A.8: J += (|D| - J) / 16, in the integer form J16 += |D| - J16 / 16. */
static void update_jitter(struct rtp_rx_stats *s, uint32_t ts, int64_t now_us)
{
    uint32_t transit = arrival_units(s, now_us) - ts;
    if (s->have_transit) {
        if (ts == s->last_ts)
            return; /* same frame: D would measure the sender's pacing */
        int64_t d = (int32_t)(transit - s->transit);
        if (d < 0)
            d = -d;
        s->jitter16 += (uint64_t)d - ((s->jitter16 + 8) >> 4);
    }
    s->have_transit = true;
    s->transit = transit;
    s->last_ts = ts;
}

enum rtp_rx_verdict rtp_rx_stats_on_packet(struct rtp_rx_stats *s, uint16_t seq, uint32_t ts,
                                           size_t bytes, int64_t now_us)
{
    enum rtp_rx_verdict v;
    if (!s->started) {
        s->started = true;
        s->t0_us = now_us;
        if (s->min_sequential == 0) {
            init_seq(s, seq);
            s->received = 1;
            v = RTP_RX_NEW;
        } else {
            init_seq(s, seq);
            s->max_seq = (uint16_t)(seq - 1);
            s->probation = s->min_sequential;
            v = probation(s, seq);
        }
    } else if (s->probation) {
        v = probation(s, seq);
    } else {
        v = update_seq(s, seq);
    }
    switch (v) {
    case RTP_RX_PROBATION:
    case RTP_RX_BAD_SEQ:
        s->counts.discarded++;
        return v;
    case RTP_RX_RESTART:
        s->counts.restarts++;
        s->have_transit = false;
        update_jitter(s, ts, now_us);
        break;
    case RTP_RX_NEW:
        update_jitter(s, ts, now_us);
        break;
    case RTP_RX_DUPLICATE:
        s->counts.duplicates++;
        break;
    case RTP_RX_REORDERED:
        s->counts.reordered++;
        break;
    }
    s->counts.packets++;
    s->counts.bytes += bytes;
    return v;
}

void rtp_rx_stats_on_sr(struct rtp_rx_stats *s, uint64_t ntp, int64_t now_us)
{
    s->have_sr = true;
    s->lsr = ntp_time_mid32(ntp);
    s->sr_at_us = now_us;
}

int64_t rtp_rx_stats_ext_highest(const struct rtp_rx_stats *s)
{
    return s->started && !s->probation ? ext_max(s) : 0;
}

static int64_t expected(const struct rtp_rx_stats *s)
{
    return ext_max(s) - s->base_seq + 1;
}

int64_t rtp_rx_stats_lost(const struct rtp_rx_stats *s)
{
    return s->started && !s->probation ? expected(s) - s->received : 0;
}

uint32_t rtp_rx_stats_jitter(const struct rtp_rx_stats *s)
{
    uint64_t j = s->jitter16 >> 4;
    return j > UINT32_MAX ? UINT32_MAX : (uint32_t)j;
}

int64_t rtp_rx_stats_jitter_us(const struct rtp_rx_stats *s)
{
    return (int64_t)rtp_rx_stats_jitter(s) * US_PER_S / s->clock_rate;
}

/* A.3: the fraction lost over the interval since the previous report. */
static uint8_t fraction_lost(struct rtp_rx_stats *s)
{
    int64_t exp = expected(s);
    int64_t expected_interval = exp - s->expected_prior;
    int64_t received_interval = s->received - s->received_prior;
    s->expected_prior = exp;
    s->received_prior = s->received;
    int64_t lost_interval = expected_interval - received_interval;
    if (expected_interval <= 0 || lost_interval <= 0)
        return 0;
    int64_t f = (lost_interval << 8) / expected_interval;
    return f > 255 ? 255 : (uint8_t)f;
}

int rtp_rx_stats_make_rb(struct rtp_rx_stats *s, int64_t now_us, struct rtcp_rb *rb)
{
    if (!s || !rb)
        return -EINVAL;
    if (!s->started || s->probation)
        return -ENODATA;
    int64_t lost = rtp_rx_stats_lost(s);
    if (lost > RTCP_RB_LOST_MAX)
        lost = RTCP_RB_LOST_MAX;
    if (lost < RTCP_RB_LOST_MIN)
        lost = RTCP_RB_LOST_MIN;
    rb->ssrc = s->ssrc;
    rb->fraction_lost = fraction_lost(s);
    rb->cumulative_lost = (int32_t)lost;
    rb->ext_highest_seq = (uint32_t)ext_max(s);
    rb->jitter = rtp_rx_stats_jitter(s);
    rb->lsr = s->have_sr ? s->lsr : 0;
    rb->dlsr = s->have_sr ? ntp_time_short_from_us(now_us - s->sr_at_us) : 0;
    return 0;
}
