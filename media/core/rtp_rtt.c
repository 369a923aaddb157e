/* rtp_rtt — sender-side RTT from LSR/DLSR (RFC 3550 §6.4.1). */
#include "media/core/rtp_rtt.h"

#include <errno.h>
#include <string.h>

#include "media/core/ntp_time.h"

void rtp_rtt_init(struct rtp_rtt *r)
{
    memset(r, 0, sizeof *r);
}

void rtp_rtt_on_sr_sent(struct rtp_rtt *r, uint64_t ntp, int64_t now_us)
{
    r->sr[r->next].lsr = ntp_time_mid32(ntp);
    r->sr[r->next].sent_us = now_us;
    r->next = (r->next + 1) % RTP_RTT_SR_HISTORY;
    if (r->n_sr < RTP_RTT_SR_HISTORY)
        r->n_sr++;
}

void rtp_rtt_est_add(struct rtp_rtt_est *e, int64_t rtt_us)
{
    int64_t rtt = rtt_us < 0 ? 0 : rtt_us;
    if (!e->have_rtt) {
        e->srtt_us = rtt;
        e->min_rtt_us = rtt;
    } else {
        e->srtt_us += (rtt - e->srtt_us) / 8;
        if (rtt < e->min_rtt_us)
            e->min_rtt_us = rtt;
    }
    e->have_rtt = true;
    e->rtt_us = rtt;
    e->samples++;
}

/* The newest SR sent with this LSR. */
static const struct rtp_rtt_sr *find_sr(const struct rtp_rtt *r, uint32_t lsr)
{
    for (unsigned i = 1; i <= r->n_sr; i++) {
        unsigned k = (r->next + RTP_RTT_SR_HISTORY - i) % RTP_RTT_SR_HISTORY;
        if (r->sr[k].lsr == lsr)
            return &r->sr[k];
    }
    return NULL;
}

int rtp_rtt_on_rb(struct rtp_rtt *r, const struct rtcp_rb *rb, int64_t now_us, int64_t *rtt_us)
{
    if (!r || !rb)
        return -EINVAL;
    if (rb->lsr == 0)
        return -ENOENT;
    const struct rtp_rtt_sr *sr = find_sr(r, rb->lsr);
    if (!sr)
        return -ENOENT;
    int64_t rtt = now_us - sr->sent_us - ntp_time_short_to_us(rb->dlsr);
    if (rtt < 0)
        rtt = 0;
    rtp_rtt_est_add(&r->est, rtt);
    if (rtt_us)
        *rtt_us = rtt;
    return 0;
}
