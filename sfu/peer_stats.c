/* A peer's statistics as JSON (docs/control-protocol.md, "Stream
 * statistics"), for the room's stats post and /metrics: its streams with
 * their bitrates and round-trip times, and what its transports dropped. */
#include "media/core/twcc_rx.h"
#include "sfu/peer.h"

/* A smoothed RTT in milliseconds, or null before the first sample. */
static json_t *rtt_json(const struct rtp_rtt_est *e)
{
    return e->have_rtt ? json_real((double)e->srtt_us / 1000.0) : json_null();
}

/* The publish transport carries nothing toward the publisher, so no SR of
 * ours goes there and no report block can echo one: an in stream shows the
 * RTT of the same participant's subscribe transport (same hosts), null if
 * it has none. */
static json_t *in_json(const struct peer *p, const struct in_track *in, int kind)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I, s:o}", "kind",
                     kind == PEER_VIDEO ? "video" : "audio", "direction", "in", "ssrc",
                     (json_int_t)in->ssrc, "packets", (json_int_t)in->rs.counts.packets, "bytes",
                     (json_int_t)in->rs.counts.bytes, "bitrate_bps", (json_int_t)in->bitrate_bps,
                     "lost", (json_int_t)rtp_rx_stats_lost(&in->rs), "jitter_ms",
                     (double)rtp_rx_stats_jitter_us(&in->rs) / 1000.0, "nacks",
                     (json_int_t)in->nacks_sent, "plis", (json_int_t)in->plis_sent, "key_frames",
                     (json_int_t)in->key_frames, "rtt_ms", rtt_json(&p->sub_rtt.est));
}

static json_t *out_json(const struct out_track *o)
{
    struct fwd_stats fs;
    fwd_get_stats(&o->fwd, &fs);
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "kind",
                     o->kind == PEER_VIDEO ? "video" : "audio", "direction", "out", "source",
                     o->src ? o->src->id : "", "ssrc", (json_int_t)o->ssrc, "packets",
                     (json_int_t)o->packets, "bytes", (json_int_t)o->bytes, "bitrate_bps",
                     (json_int_t)o->bitrate_bps, "nacks", (json_int_t)o->nacks_received, "plis",
                     (json_int_t)o->plis_received, "resent", (json_int_t)o->resent, "dropped",
                     (json_int_t)fwd_stats_dropped(&fs), "rtt_ms", rtt_json(&o->rtt));
}

json_t *peer_stats_json(const struct peer *p)
{
    json_t *streams = json_array();
    for (int k = 0; k < 2; k++)
        if (p->in[k].on && p->in[k].have_ssrc)
            json_array_append_new(streams, in_json(p, &p->in[k], k));
    for (size_t i = 0; i < p->nout; i++)
        if (p->out[i].src)
            json_array_append_new(streams, out_json(&p->out[i]));
    json_t *twcc = json_null();
    if (p->twcc) {
        const struct twcc_rx_stats *t = &p->twcc->stats;
        twcc = json_pack("{s:I, s:I, s:I}", "packets", (json_int_t)t->packets, "late",
                         (json_int_t)t->late, "feedbacks", (json_int_t)t->feedbacks);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "participant", p->id, "name", p->name,
                     "role", p->role, "publish", transport_state_name(p->pub_state), "subscribe",
                     transport_state_name(p->sub_state), "twcc", twcc, "streams", streams);
}

/* Bits per second since the last call; 0 the first time and after the
 * count went back (a new SSRC). */
static uint64_t rate(uint64_t bytes, uint64_t *last, int64_t *last_us, int64_t now_us)
{
    uint64_t bps = 0;
    if (*last_us && now_us > *last_us && bytes >= *last)
        bps = (bytes - *last) * 8u * 1000000u / (uint64_t)(now_us - *last_us);
    *last = bytes;
    *last_us = now_us;
    return bps;
}

void peer_stats_tick(struct peer *p, int64_t now_us)
{
    for (int k = 0; k < 2; k++) {
        struct in_track *in = &p->in[k];
        if (in->on && in->have_ssrc)
            in->bitrate_bps = rate(in->rs.counts.bytes, &in->rate_bytes, &in->rate_us, now_us);
    }
    for (size_t i = 0; i < p->nout; i++) {
        struct out_track *o = &p->out[i];
        o->bitrate_bps = rate(o->bytes, &o->rate_bytes, &o->rate_us, now_us);
    }
}

void peer_drops_add(const struct peer *p, struct peer_drops *acc)
{
    const struct transport *ts[2] = {p->pub, p->sub};
    for (int i = 0; i < 2; i++) {
        if (!ts[i])
            continue;
        struct transport_stats t;
        transport_get_stats(ts[i], &t);
        acc->unknown += t.rx_dropped_unknown;
        acc->early += t.rx_dropped_early;
        acc->srtp += t.rx_dropped_srtp;
        acc->oversize += t.rx_dropped_oversize;
        acc->dtls += t.rx_dtls_errors;
        acc->closed += t.rx_dropped_closed + t.ice.rx_dropped;
    }
}

json_t *peer_drops_json(const struct peer_drops *d)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "unknown", (json_int_t)d->unknown, "early",
                     (json_int_t)d->early, "srtp", (json_int_t)d->srtp, "oversize",
                     (json_int_t)d->oversize, "dtls", (json_int_t)d->dtls, "closed",
                     (json_int_t)d->closed);
}
