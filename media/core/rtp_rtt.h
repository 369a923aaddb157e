/* rtp_rtt — round-trip time of an outbound RTP stream, measured on the
 * sender side from the report blocks that answer its SRs (RFC 3550 §6.4.1).
 *
 * The sender records every SR it sends (rtp_rtt_on_sr_sent: the SR's NTP
 * timestamp and now_us). A report block about the stream carries LSR, the
 * middle 32 bits of the NTP time of the last SR the receiver got, and DLSR,
 * how long the receiver held it. With A the arrival time of the block,
 *
 *     RTT = A - LSR - DLSR
 *
 * Here LSR is looked up in the history of SRs sent, and A - LSR is the
 * elapsed now_us since that SR was sent: the result does not depend on the
 * NTP clock being right, only on now_us (a monotonic clock is fine). A
 * result below 0 (DLSR rounding at the peer) counts as 0.
 *
 * The last RTT_SR_HISTORY SRs are kept: with one SR per second, a report
 * block up to half a minute late still matches.
 *
 * The samples go into an estimate (struct rtp_rtt_est: last, smoothed,
 * minimum). A sender whose SRs for several streams leave together with one
 * NTP timestamp (the bridge's compound SR to a subscriber) may keep one
 * history for the connection and, besides the connection's own estimate,
 * one rtp_rtt_est per stream, fed with the sample rtp_rtt_on_rb returns.
 *
 * Ownership: the caller embeds the struct; nothing here allocates.
 * Errors: -ENOENT the block's LSR is 0 (the peer has no SR yet) or matches
 * no SR sent (too old, or not ours); -EINVAL a NULL argument.
 */
#ifndef CAU_RTP_RTT_H
#define CAU_RTP_RTT_H

#include <stdbool.h>
#include <stdint.h>

#include "media/core/rtcp_rb.h"

#define RTP_RTT_SR_HISTORY 32

struct rtp_rtt_sr {
    uint32_t lsr; /* middle 32 bits of the SR's NTP time */
    int64_t sent_us;
};

struct rtp_rtt_est {
    bool have_rtt;   /* at least one sample; the rest is 0 until then */
    int64_t rtt_us;  /* last sample */
    int64_t srtt_us; /* smoothed: srtt += (rtt - srtt) / 8 (RFC 6298) */
    int64_t min_rtt_us;
    uint64_t samples;
};

struct rtp_rtt {
    struct rtp_rtt_sr sr[RTP_RTT_SR_HISTORY];
    unsigned n_sr; /* valid entries, at most RTP_RTT_SR_HISTORY */
    unsigned next; /* where the next SR goes */
    struct rtp_rtt_est est;
};

void rtp_rtt_init(struct rtp_rtt *r);

/* One sample (>= 0; a negative one counts as 0) into e. An all-zero
 * struct is an empty estimate. */
void rtp_rtt_est_add(struct rtp_rtt_est *e, int64_t rtt_us);

/* We sent an SR with NTP timestamp ntp at now_us. */
void rtp_rtt_on_sr_sent(struct rtp_rtt *r, uint64_t ntp, int64_t now_us);

/* A report block about our stream arrived at now_us: one RTT sample, stored
 * in *rtt_us (optional) and added to r->est. */
__attribute__((warn_unused_result)) int rtp_rtt_on_rb(struct rtp_rtt *r, const struct rtcp_rb *rb,
                                                      int64_t now_us, int64_t *rtt_us);

#endif
