#include "media/endpoint/pc_stats_json.h"

#include <math.h>

static json_t *stream_json(const struct pc_stream_stats *s, int kind, bool in)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "kind", json_string(kind == PC_VIDEO ? "video" : "audio"));
    json_object_set_new(o, "active", json_boolean(s->active));
    json_object_set_new(o, "ssrc", json_integer(s->ssrc));
    json_object_set_new(o, "packets", json_integer((json_int_t)s->packets));
    json_object_set_new(o, "bytes", json_integer((json_int_t)s->bytes));
    if (in) {
        json_object_set_new(o, "packets_lost", json_integer(s->packets_lost));
        json_object_set_new(o, "jitter_ms", json_real(s->jitter_ms));
        json_object_set_new(o, "nacks_sent", json_integer((json_int_t)s->nacks_sent));
        json_object_set_new(o, "nack_recovered", json_integer((json_int_t)s->nack_recovered));
        json_object_set_new(o, "plis_sent", json_integer((json_int_t)s->plis_sent));
        json_object_set_new(o, "frames_decoded", json_integer((json_int_t)s->frames_decoded));
        json_object_set_new(o, "frames_dropped", json_integer((json_int_t)s->frames_dropped));
        json_object_set_new(o, "key_frames", json_integer((json_int_t)s->key_frames));
        json_object_set_new(o, "fps", json_real(s->fps));
        json_object_set_new(o, "width", json_integer(s->width));
        json_object_set_new(o, "height", json_integer(s->height));
        if (s->has_frame_number)
            json_object_set_new(o, "last_frame_number", json_integer(s->last_frame_number));
        if (kind == PC_AUDIO)
            json_object_set_new(o, "audio_dbfs",
                                json_real(isfinite(s->audio_dbfs) ? s->audio_dbfs : -127.0));
    } else {
        json_object_set_new(o, "frames_encoded", json_integer((json_int_t)s->frames_encoded));
        json_object_set_new(o, "key_frames", json_integer((json_int_t)s->key_frames));
        json_object_set_new(o, "retransmitted", json_integer((json_int_t)s->retransmitted));
        json_object_set_new(o, "nacks_received", json_integer((json_int_t)s->nacks_received));
        json_object_set_new(o, "plis_received", json_integer((json_int_t)s->plis_received));
        json_object_set_new(o, "rtt_ms", json_real(s->rtt_ms));
    }
    return o;
}

const char *pc_stats_profile_name(uint16_t profile)
{
    switch (profile) {
    case DTLS_SRTP_AEAD_AES_128_GCM:
        return "AEAD_AES_128_GCM";
    case DTLS_SRTP_AES128_CM_SHA1_80:
        return "AES_CM_128_HMAC_SHA1_80";
    default:
        return "";
    }
}

/* Every receiver with its mid and the sender's stream id. */
static json_t *tracks_json(struct pc *pc)
{
    json_t *a = json_array();
    struct pc_rx_info ri;
    for (size_t i = 0; a && i < pc_rx_count(pc); i++) {
        if (pc_get_rx(pc, i, &ri) != 0)
            continue;
        json_t *o = stream_json(&ri.st, ri.kind, true);
        if (o) {
            json_object_set_new(o, "mid", json_string(ri.mid));
            json_object_set_new(o, "stream", json_string(ri.stream));
        }
        json_array_append_new(a, o);
    }
    return a;
}

json_t *pc_stats_json(struct pc *pc)
{
    struct pc_stats st;
    pc_get_stats(pc, &st);
    json_t *in = json_pack("{s:o, s:o}", "audio", stream_json(&st.in[PC_AUDIO], PC_AUDIO, true),
                           "video", stream_json(&st.in[PC_VIDEO], PC_VIDEO, true));
    json_t *out = json_pack("{s:o, s:o}", "audio", stream_json(&st.out[PC_AUDIO], PC_AUDIO, false),
                            "video", stream_json(&st.out[PC_VIDEO], PC_VIDEO, false));
    const struct transport_stats *t = &st.transport;
    json_t *tr =
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "rx_rtp", (json_int_t)t->rx_rtp, "rx_rtcp",
                  (json_int_t)t->rx_rtcp, "rx_dropped_srtp", (json_int_t)t->rx_dropped_srtp,
                  "rx_dropped_unknown", (json_int_t)t->rx_dropped_unknown, "tx_rtp",
                  (json_int_t)t->tx_rtp, "tx_errors", (json_int_t)t->tx_errors);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "type", "stats", "state",
                     transport_state_name(st.state), "srtp_profile",
                     pc_stats_profile_name(st.srtp_profile), "in", in, "out", out, "tracks",
                     tracks_json(pc), "transport", tr);
}
