/* fuzz_rtp_state — the per-stream RTP state machines on one virtual clock:
 * rtp_rx_stats, nack_gen, rtp_history, kf_throttle and rtp_rtt, driven by
 * a sequence of 4-byte records [op][a][b][dt]: the clock moves dt * 500 us,
 * then op picks the action (a packet with an absolute or a relative
 * sequence number, a NACK poll, a history lookup, a key-frame request or
 * key frame, an SR/RR exchange).
 *
 * Checks: every packet lands in exactly one rx_stats bucket; report blocks
 * stay in range; NACK polls write at most cap numbers, strictly in RTP
 * order, that pack into a NACK, and leave nothing due when not cut short;
 * a history hit returns the packet stored under that number; key-frame
 * requests go out at least one interval apart; RTT samples are >= 0. Any
 * failure aborts. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/kf_throttle.h"
#include "media/core/nack_gen.h"
#include "media/core/ntp_time.h"
#include "media/core/rtcp_nack.h"
#include "media/core/rtp_history.h"
#include "media/core/rtp_rtt.h"
#include "media/core/rtp_rx_stats.h"
#include "media/core/rtp_seq.h"

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            abort();                                                                               \
    } while (0)

#define WALL_US 1700000000000000LL
#define KF_INTERVAL_US 100000

struct state {
    struct rtp_rx_stats rx;
    struct nack_gen *ng;
    struct rtp_history *hist;
    struct kf_throttle kf;
    struct rtp_rtt rtt;
    int64_t now;
    uint16_t seq;
    uint64_t packets_in;
    bool kf_sent;
    int64_t kf_last;
};

static void on_packet(struct state *s, uint16_t seq, uint8_t size)
{
    uint8_t pkt[12 + 64] = {0x80, 96, (uint8_t)(seq >> 8), (uint8_t)seq};
    size_t len = 12 + size % 64;
    memset(pkt + 12, size, len - 12);
    s->seq = seq;
    s->packets_in++;
    (void)rtp_rx_stats_on_packet(&s->rx, seq, (uint32_t)s->now, len, s->now);
    (void)nack_gen_on_packet(s->ng, seq, s->now);
    (void)rtp_history_put(s->hist, seq, pkt, len, s->now);
    CHECK(s->rx.counts.packets + s->rx.counts.discarded == s->packets_in);
    CHECK(nack_gen_missing(s->ng) <= 64);
}

static void poll_nacks(struct state *s, size_t cap)
{
    uint16_t seqs[40];
    size_t n = nack_gen_poll(s->ng, s->now, seqs, cap);
    CHECK(n <= cap);
    for (size_t i = 1; i < n; i++)
        CHECK(rtp_seq_newer(seqs[i], seqs[i - 1]));
    if (n) {
        struct rtcp_nack nk = {0};
        CHECK(rtcp_nack_from_seqs(&nk, seqs, n) == 0);
    }
    if (n < cap)
        CHECK(nack_gen_poll_timeout(s->ng) > s->now);
    (void)nack_gen_poll_key_frame(s->ng);
    struct nack_gen_stats st;
    nack_gen_get_stats(s->ng, &st);
    CHECK(st.nacked <= st.requested && st.recovered <= st.nacked);
}

static void lookup(struct state *s, uint16_t seq, bool resend)
{
    const uint8_t *p = NULL;
    size_t len = 0;
    int rc = resend ? rtp_history_resend(s->hist, seq, s->now, 20000, &p, &len)
                    : rtp_history_get(s->hist, seq, s->now, &p, &len);
    CHECK(rc == 0 || rc == -ENOENT || (resend && rc == -EALREADY));
    if (rc == 0)
        CHECK(len >= 12 && len < 12 + 64 && p[2] == (uint8_t)(seq >> 8) && p[3] == (uint8_t)seq);
}

static void key_frames(struct state *s, bool request, bool answer)
{
    if (request)
        kf_throttle_request(&s->kf, s->now);
    if (answer)
        kf_throttle_on_key_frame(&s->kf, s->now);
    uint8_t fir;
    if (kf_throttle_poll(&s->kf, s->now, &fir)) {
        CHECK(!s->kf_sent || s->now - s->kf_last >= KF_INTERVAL_US);
        s->kf_sent = true;
        s->kf_last = s->now;
    }
}

/* We send an SR, the receiver (rx) stores it and answers after a while. */
static void sr_rr(struct state *s, uint8_t a)
{
    uint64_t ntp = ntp_time_from_us(WALL_US + s->now);
    if (a & 1) {
        rtp_rtt_on_sr_sent(&s->rtt, ntp, s->now);
        rtp_rx_stats_on_sr(&s->rx, ntp, s->now);
    }
    struct rtcp_rb rb;
    int rc = rtp_rx_stats_make_rb(&s->rx, s->now, &rb);
    CHECK(rc == 0 || rc == -ENODATA);
    if (rc)
        return;
    CHECK(rb.cumulative_lost <= RTCP_RB_LOST_MAX && rb.cumulative_lost >= RTCP_RB_LOST_MIN);
    CHECK((rb.ext_highest_seq & 0xffff) == s->rx.max_seq);
    int64_t rtt = -1;
    rc = rtp_rtt_on_rb(&s->rtt, &rb, s->now + (a >> 1) * 1000, &rtt);
    CHECK(rc == 0 || rc == -ENOENT);
    if (rc == 0)
        CHECK(rtt >= 0);
}

static void step(struct state *s, const uint8_t *r)
{
    s->now += r[3] * 500;
    uint16_t abs_seq = (uint16_t)(r[1] << 8 | r[2]);
    switch (r[0] % 8) {
    case 0:
        on_packet(s, abs_seq, r[2]);
        break;
    case 1:
    case 2:
        on_packet(s, (uint16_t)(s->seq + (int8_t)r[1]), r[2]);
        break;
    case 3:
        poll_nacks(s, r[1] % 41);
        break;
    case 4:
        lookup(s, (uint16_t)(s->seq - r[1]), r[2] & 1);
        break;
    case 5:
        key_frames(s, true, false);
        break;
    case 6:
        key_frames(s, r[1] & 1, r[1] & 2);
        break;
    case 7:
        sr_rr(s, r[1]);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct state s = {0};
    struct nack_gen_cfg ncfg = {.window = 64, .max_retries = 3};
    struct rtp_history_cfg hcfg = {.slots = 16, .max_pkt = 80, .max_age_us = 50000};
    struct kf_throttle_cfg kcfg = {.interval_us = KF_INTERVAL_US, .max_repeats = 2};
    CHECK(rtp_rx_stats_init(&s.rx, 1, 90000, data && size ? data[0] % 3 : 0) == 0);
    CHECK(nack_gen_create(&ncfg, &s.ng) == 0);
    CHECK(rtp_history_create(&hcfg, &s.hist) == 0);
    CHECK(kf_throttle_init(&s.kf, &kcfg) == 0);
    rtp_rtt_init(&s.rtt);
    for (size_t i = 1; i + 4 <= size; i += 4)
        step(&s, data + i);
    nack_gen_destroy(s.ng);
    rtp_history_destroy(s.hist);
    return 0;
}
