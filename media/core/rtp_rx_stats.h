/* rtp_rx_stats — receiver statistics of one inbound RTP stream (one SSRC),
 * as RFC 3550 §6.4.1 defines them for a reception report block:
 *
 *  - sequence tracking and source validation per appendix A.1: extended
 *    highest sequence number (cycles * 65536 + max_seq), a jump of
 *    MAX_DROPOUT (3000) or more ahead or of more than MAX_MISORDER (100)
 *    behind is discarded, and when the very next packet is its successor
 *    (seq + 1) the sender restarted and the counts start over (A.1 keeps
 *    waiting for that successor across good packets; here, as in seq_win,
 *    any packet accepted in between ends the wait). An optional
 *    probation (MIN_SEQUENTIAL of A.1) requires that many packets in
 *    sequence before a new source counts; 0 accepts the first packet (the
 *    default for SRTP, whose authentication already validates the source);
 *  - cumulative loss = expected - received and the fraction lost since the
 *    last report per appendix A.3. As A.3 says, `received` counts duplicate
 *    and late packets too, so the loss may go negative; duplicates of the
 *    last 128 sequence numbers are also counted apart (counts.duplicates);
 *  - interarrival jitter per appendix A.8 (J += (|D| - J) / 16, kept scaled
 *    by 16 as in A.8's integer version), with the arrival time now_us
 *    converted to RTP units at clock_rate. Like libwebrtc, and so comparable
 *    with a browser's getStats(), D is taken only between packets that
 *    advance the highest sequence number and carry a new timestamp: the
 *    later packets of one video frame, reordered packets and duplicates do
 *    not update J;
 *  - the last SR received from the sender: the middle 32 bits of its NTP
 *    timestamp and its arrival time, so that a report block carries LSR and
 *    DLSR (§6.4.1).
 *
 * rtp_rx_stats_make_rb() fills a struct rtcp_rb and starts a new report
 * interval (the fraction lost is "since the previous report").
 *
 * Ownership: the caller embeds the struct; nothing here allocates.
 * Single-threaded. Time only comes in as now_us.
 */
#ifndef CAU_RTP_RX_STATS_H
#define CAU_RTP_RX_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/rtcp_rb.h"

#define RTP_RX_STATS_MAX_DROPOUT 3000
#define RTP_RX_STATS_MAX_MISORDER 100
#define RTP_RX_STATS_DUP_WINDOW 128 /* > MAX_MISORDER: every accepted old seq is covered */

enum rtp_rx_verdict {
    RTP_RX_NEW,       /* in order (a gap is allowed): advanced the highest seq */
    RTP_RX_REORDERED, /* behind the highest, first copy */
    RTP_RX_DUPLICATE, /* a copy of one already received */
    RTP_RX_RESTART,   /* the sender restarted: counts started over at this packet */
    RTP_RX_PROBATION, /* new source not validated yet: not counted */
    RTP_RX_BAD_SEQ,   /* too far from the highest: discarded, not counted */
};

struct rtp_rx_stats_counts {
    uint64_t packets;    /* counted as received (A.1), over the stream's life */
    uint64_t bytes;      /* bytes of those packets, as passed in */
    uint64_t duplicates; /* of which duplicates */
    uint64_t reordered;  /* of which arrived behind the highest (not duplicates) */
    uint64_t discarded;  /* RTP_RX_BAD_SEQ and RTP_RX_PROBATION */
    uint64_t restarts;
};

struct rtp_rx_stats {
    uint32_t ssrc;
    uint32_t clock_rate;
    unsigned min_sequential;

    /* RFC 3550 A.1 */
    bool started;
    unsigned probation;
    uint16_t max_seq;
    uint64_t cycles; /* multiple of 65536 */
    uint32_t base_seq;
    uint32_t bad_seq; /* 65536 + 1: none */
    int64_t received;
    int64_t expected_prior;
    int64_t received_prior;

    /* duplicates: bit (ext & 127) set when ext in (highest - 128, highest]
     * was received */
    uint64_t seen[RTP_RX_STATS_DUP_WINDOW / 64];

    /* RFC 3550 A.8 */
    bool have_transit;
    int64_t t0_us;     /* arrival of the first packet: RTP arrival units count from it */
    uint32_t transit;  /* arrival - ts, RTP units, modulo 2^32 */
    uint32_t last_ts;  /* timestamp of the last packet that updated the jitter */
    uint64_t jitter16; /* J * 16 */

    /* last SR received */
    bool have_sr;
    uint32_t lsr;
    int64_t sr_at_us;

    struct rtp_rx_stats_counts counts;
};

/* Start tracking ssrc. clock_rate in Hz (8000..192000 would be usual; any
 * non-zero value), min_sequential 0 (no probation) .. 16. -EINVAL otherwise
 * or s NULL. */
__attribute__((warn_unused_result)) int rtp_rx_stats_init(struct rtp_rx_stats *s, uint32_t ssrc,
                                                          uint32_t clock_rate,
                                                          unsigned min_sequential);

/* Account one packet: its sequence number, timestamp, size (the caller
 * decides what it counts: whole packet or payload) and arrival time. */
enum rtp_rx_verdict rtp_rx_stats_on_packet(struct rtp_rx_stats *s, uint16_t seq, uint32_t ts,
                                           size_t bytes, int64_t now_us);

/* An SR from this source arrived at now_us; ntp is its NTP timestamp. */
void rtp_rx_stats_on_sr(struct rtp_rx_stats *s, uint64_t ntp, int64_t now_us);

/* Fill *rb for an RR or SR sent at now_us and start a new report interval.
 * -ENODATA (and *rb untouched) before the first counted packet, -EINVAL on
 * a NULL argument. */
__attribute__((warn_unused_result)) int rtp_rx_stats_make_rb(struct rtp_rx_stats *s, int64_t now_us,
                                                             struct rtcp_rb *rb);

/* Extended highest sequence number (cycles + max_seq), 0 before a packet. */
int64_t rtp_rx_stats_ext_highest(const struct rtp_rx_stats *s);
/* expected - received since the start (or the last restart); unclamped. */
int64_t rtp_rx_stats_lost(const struct rtp_rx_stats *s);
/* Interarrival jitter in RTP units (J of A.8) and in microseconds. */
uint32_t rtp_rx_stats_jitter(const struct rtp_rx_stats *s);
int64_t rtp_rx_stats_jitter_us(const struct rtp_rx_stats *s);

#endif
