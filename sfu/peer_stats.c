/* A peer's statistics as JSON (docs/control-protocol.md, "Stream
 * statistics"), for the room's stats post and /metrics. */
#include "sfu/peer.h"

static json_t *in_json(const struct in_track *in, int kind)
{
    return json_pack(
        "{s:s, s:s, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I}", "kind",
        kind == PEER_VIDEO ? "video" : "audio", "direction", "in", "ssrc", (json_int_t)in->ssrc,
        "packets", (json_int_t)in->rs.counts.packets, "bytes", (json_int_t)in->rs.counts.bytes,
        "lost", (json_int_t)rtp_rx_stats_lost(&in->rs), "jitter_ms",
        (double)rtp_rx_stats_jitter_us(&in->rs) / 1000.0, "nacks", (json_int_t)in->nacks_sent,
        "plis", (json_int_t)in->plis_sent, "key_frames", (json_int_t)in->key_frames);
}

static json_t *out_json(const struct out_track *o)
{
    struct fwd_stats fs;
    fwd_get_stats(&o->fwd, &fs);
    return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "kind",
                     o->kind == PEER_VIDEO ? "video" : "audio", "direction", "out", "source",
                     o->src ? o->src->id : "", "ssrc", (json_int_t)o->ssrc, "packets",
                     (json_int_t)o->packets, "bytes", (json_int_t)o->bytes, "nacks",
                     (json_int_t)o->nacks_received, "plis", (json_int_t)o->plis_received, "resent",
                     (json_int_t)o->resent, "dropped", (json_int_t)fwd_stats_dropped(&fs));
}

json_t *peer_stats_json(const struct peer *p)
{
    json_t *streams = json_array();
    for (int k = 0; k < 2; k++)
        if (p->in[k].on && p->in[k].have_ssrc)
            json_array_append_new(streams, in_json(&p->in[k], k));
    for (size_t i = 0; i < p->nout; i++)
        if (p->out[i].src)
            json_array_append_new(streams, out_json(&p->out[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "participant", p->id, "name", p->name,
                     "role", p->role, "publish", transport_state_name(p->pub_state), "subscribe",
                     transport_state_name(p->sub_state), "streams", streams);
}
