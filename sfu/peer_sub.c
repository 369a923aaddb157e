/* The subscribe side of a peer: the offers the bridge makes as tracks come
 * and go, forwarding (one rewriter per outgoing track), and the
 * subscriber's RTCP: NACKs answered from the publisher's history, PLI/FIR
 * passed on to the publisher through its key-frame throttle, report blocks
 * answering our SRs made into round-trip times (RFC 3550 §6.4.1). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/ntp_time.h"
#include "media/core/rtcp_fir.h"
#include "media/core/rtcp_hdr.h"
#include "media/core/rtcp_nack.h"
#include "media/core/rtcp_pli.h"
#include "media/core/rtcp_rr.h"
#include "media/core/rtcp_sr.h"
#include "media/io/dtls_role.h"
#include "sfu/peer.h"
#include "sfu/room.h"
#include "sfu/sfu.h"

#define RESEND_GAP_US 10000
#define PKT_WORDS 400 /* 1600 bytes, 4-byte aligned for libsrtp */

static struct out_track *find_out(struct peer *p, const struct peer *src, int kind)
{
    for (size_t i = 0; i < p->nout; i++)
        if (p->out[i].src == src && p->out[i].kind == kind)
            return &p->out[i];
    return NULL;
}

static struct out_track *find_ssrc(struct peer *p, uint32_t ssrc)
{
    for (size_t i = 0; i < p->nout; i++)
        if (p->out[i].src && p->out[i].ssrc == ssrc)
            return &p->out[i];
    return NULL;
}

static struct out_track *free_slot(struct peer *p)
{
    for (size_t i = 0; i < p->nout; i++)
        if (!p->out[i].src)
            return &p->out[i];
    return p->nout < PEER_MAX_OUT ? &p->out[p->nout++] : NULL;
}

void peer_send_offer(struct peer *p)
{
    if (!p->sub || p->offer_pending)
        return;
    const char *cands[PEER_MAX_CANDS];
    for (size_t i = 0; i < p->sub_ctx.ncands; i++)
        cands[i] = p->sub_ctx.cands[i];
    struct sub_sdp_transport t = {transport_local_ufrag(p->sub), transport_local_pwd(p->sub),
                                  dtls_cert_fp_text(sfu_cert(room_sfu(p->room))), cands,
                                  p->sub_ctx.ncands};
    char *buf = g_malloc(65536);
    if (sub_sdp_write_offer(&p->sdp, &t, buf, 65536) < 0) {
        g_free(buf);
        return;
    }
    json_t *tracks = json_array();
    for (size_t i = 0; i < p->nout; i++)
        if (p->out[i].src)
            json_array_append_new(
                tracks,
                json_pack("{s:s, s:s, s:s}", "participant", p->out[i].src->id, "kind",
                          p->out[i].kind == PEER_VIDEO ? "video" : "audio", "mid", p->out[i].mid));
    sfu_post_event(room_sfu(p->room),
                   json_pack("{s:s, s:s, s:s, s:o}", "event", "subscribe_offer", "participant",
                             p->id, "sdp", buf, "tracks", tracks));
    g_free(buf);
    p->offer_pending = true;
    p->offer_dirty = false;
    p->sub_ctx.described = true;
    p->sdp_offered = p->sdp; /* tracks may change before the answer comes */
}

void peer_add_source(struct peer *p, struct peer *src)
{
    for (int k = 0; k < 2; k++) {
        if (!src->in[k].on || find_out(p, src, k))
            continue;
        struct out_track *o = free_slot(p);
        uint32_t ssrc = g_random_int() | 1u;
        int idx = o ? sub_sdp_add_track(&p->sdp, k == PEER_AUDIO, src->id, ssrc) : -ENOSPC;
        if (idx < 0)
            continue;
        memset(o, 0, sizeof *o);
        if (fwd_init(&o->fwd, ssrc, k == PEER_VIDEO ? 96 : 111, k == PEER_VIDEO ? 90000 : 48000,
                     k == PEER_VIDEO) != 0)
            continue;
        o->src = src;
        o->kind = k;
        o->ssrc = ssrc;
        snprintf(o->mid, sizeof o->mid, "%s", p->sdp.tracks[idx].mid);
        p->offer_dirty = true;
    }
    if (p->offer_dirty)
        peer_send_offer(p);
}

void peer_remove_source(struct peer *p, struct peer *src)
{
    for (size_t i = 0; i < p->nout; i++) {
        struct out_track *o = &p->out[i];
        if (o->src != src)
            continue;
        if (sub_sdp_remove_track(&p->sdp, o->mid) != 0)
            continue; /* not in the SDP: nothing to renegotiate */
        fwd_stop(&o->fwd);
        o->src = NULL;
        p->offer_dirty = true;
    }
    if (p->offer_dirty)
        peer_send_offer(p);
}

int peer_subscribe(struct peer *p, char *err, size_t errlen)
{
    p->sub_wanted = true;
    if (!p->sub) {
        int rc = peer_open_transport(p, false, &p->sub);
        if (rc) {
            snprintf(err, errlen, "no media port free (%s)", strerror(-rc));
            return rc;
        }
    }
    p->offer_pending = false; /* a new subscribe restarts the exchange */
    peer_send_offer(p);
    return 0;
}

static int start_sub_transport(struct peer *p, const struct sub_sdp_answer *a, char *err,
                               size_t errlen)
{
    struct transport_remote r = {a->ufrag, a->pwd, {{0}}, DTLS_ROLE_SERVER};
    if (dtls_cert_fp_parse(&r.fingerprint, a->fp_hash, a->fingerprint) != 0) {
        snprintf(err, errlen, "unusable fingerprint");
        return -EBADMSG;
    }
    r.role = a->setup == SDP_SETUP_PASSIVE ? DTLS_ROLE_CLIENT : DTLS_ROLE_SERVER;
    int rc = transport_set_remote(p->sub, &r);
    for (size_t i = 0; !rc && i < a->ncands; i++)
        if (transport_add_remote_candidate(p->sub, a->cands[i]) != 0)
            p->cands_refused++;
    if (rc)
        snprintf(err, errlen, "transport refused the answer");
    return rc;
}

int peer_subscribe_answer(struct peer *p, const char *sdp, char *err, size_t errlen)
{
    if (!p->sub || !p->offer_pending) {
        snprintf(err, errlen, "no subscribe offer is waiting for an answer");
        return -EINVAL;
    }
    struct sub_sdp_answer *a = g_new0(struct sub_sdp_answer, 1);
    int rc = sub_sdp_read_answer(sdp, strlen(sdp), a, err, errlen);
    if (!rc)
        rc = sub_sdp_check_answer(&p->sdp_offered, a, err, errlen);
    if (!rc && p->sub_state == TRANSPORT_STATE_NEW && !p->sub_started) {
        rc = start_sub_transport(p, a, err, errlen);
        p->sub_started = rc == 0;
    }
    g_free(a);
    p->offer_pending = false;
    if (rc) {
        p->offer_dirty = true; /* offer again rather than stay stuck */
        return rc;
    }
    if (p->offer_dirty)
        peer_send_offer(p);
    return 0;
}

static void send_one(struct peer *q, struct out_track *o, const struct in_track *in,
                     const uint8_t *pkt, size_t len, int64_t now, bool resend)
{
    uint32_t buf[PKT_WORDS];
    if (len + 1 > sizeof buf)
        return;
    memcpy(buf, pkt, len);
    size_t n = len;
    uint32_t cur;
    if (!resend && (!fwd_source(&o->fwd, &cur) || cur != in->source_id))
        fwd_switch(&o->fwd, in->source_id, now);
    if (fwd_rewrite(&o->fwd, in->source_id, (uint8_t *)buf, &n, sizeof buf, now) == 1 &&
        transport_send_rtp(q->sub, (uint8_t *)buf, n) == 0) {
        o->packets++;
        o->bytes += n;
        if (resend)
            o->resent++;
    }
    if (fwd_key_frame_needed(&o->fwd))
        peer_request_key_frame(o->src, now);
}

void peer_forward(struct peer *src, int kind, const uint8_t *pkt, size_t len, int64_t now_us)
{
    GPtrArray *peers = room_peers(src->room);
    for (guint i = 0; i < peers->len; i++) {
        struct peer *q = g_ptr_array_index(peers, i);
        struct out_track *o;
        if (q == src || !q->sub || q->sub_state != TRANSPORT_STATE_CONNECTED ||
            !(o = find_out(q, src, kind)))
            continue;
        send_one(q, o, &src->in[kind], pkt, len, now_us, false);
    }
}

static void answer_nack(struct peer *p, const struct rtcp_pkt *pk, int64_t now)
{
    struct rtcp_nack nack;
    static uint16_t seqs[RTCP_NACK_MAX_PAIRS * RTCP_NACK_SEQS_PER_PAIR];
    size_t n;
    struct out_track *o;
    if (rtcp_nack_parse(&nack, pk->data, pk->len) != 0 || !(o = find_ssrc(p, nack.media_ssrc)) ||
        rtcp_nack_to_seqs(&nack, seqs, sizeof seqs / sizeof seqs[0], &n) != 0)
        return;
    o->nacks_received++;
    struct in_track *in = &o->src->in[o->kind];
    for (size_t i = 0; i < n; i++) {
        uint32_t sid;
        uint16_t in_seq;
        const uint8_t *pp;
        size_t pl;
        if (fwd_map_nack(&o->fwd, seqs[i], &sid, &in_seq) == 0 && sid == in->source_id &&
            rtp_history_resend(in->hist, in_seq, now, RESEND_GAP_US, &pp, &pl) == 0)
            send_one(p, o, in, pp, pl, now, true);
    }
}

static void key_request(struct peer *p, uint32_t media_ssrc, int64_t now)
{
    struct out_track *o = find_ssrc(p, media_ssrc);
    if (!o)
        return;
    o->plis_received++;
    peer_request_key_frame(o->src, now);
}

/* Report blocks about our tracks: an RTT sample each for the track and the
 * transport. Blocks about other SSRCs, or echoing no SR we sent (LSR 0
 * before the subscriber got one), give none. */
static void report_blocks(struct peer *p, const struct rtcp_rb *rb, size_t n, int64_t now)
{
    for (size_t i = 0; i < n; i++) {
        struct out_track *o = find_ssrc(p, rb[i].ssrc);
        int64_t rtt;
        if (o && rtp_rtt_on_rb(&p->sub_rtt, &rb[i], now, &rtt) == 0)
            rtp_rtt_est_add(&o->rtt, rtt);
    }
}

static void receiver_report(struct peer *p, const struct rtcp_pkt *pk, int64_t now)
{
    if (pk->pt == RTCP_PT_RR) {
        struct rtcp_rr rr;
        if (rtcp_rr_parse(&rr, pk->data, pk->len) == 0)
            report_blocks(p, rr.rb, rr.rb_count, now);
    } else {
        struct rtcp_sr sr;
        if (rtcp_sr_parse(&sr, pk->data, pk->len) == 0)
            report_blocks(p, sr.rb, sr.rb_count, now);
    }
}

void peer_sub_rtcp(struct peer *p, const uint8_t *b, size_t len)
{
    struct rtcp_iter it;
    struct rtcp_pkt pk;
    int64_t now = g_get_monotonic_time();
    rtcp_iter_init(&it, b, len);
    while (rtcp_iter_next(&it, &pk) == 1) {
        if (pk.pt == RTCP_PT_RR || pk.pt == RTCP_PT_SR) {
            receiver_report(p, &pk, now);
        } else if (pk.pt == RTCP_PT_RTPFB && pk.fmt == RTCP_RTPFB_NACK) {
            answer_nack(p, &pk, now);
        } else if (pk.pt == RTCP_PT_PSFB && pk.fmt == RTCP_PSFB_PLI) {
            struct rtcp_pli pli;
            if (rtcp_pli_parse(&pli, pk.data, pk.len) == 0)
                key_request(p, pli.media_ssrc, now);
        } else if (pk.pt == RTCP_PT_PSFB && pk.fmt == RTCP_PSFB_FIR) {
            struct rtcp_fir fir;
            if (rtcp_fir_parse(&fir, pk.data, pk.len) == 0)
                for (size_t i = 0; i < fir.n; i++)
                    key_request(p, fir.e[i].ssrc, now);
        }
    }
}

/* An SR per outgoing track once a second, all with one NTP time, kept in
 * sub_rtt's history; a pending offer if tracks changed while the last one
 * waited for its answer. */
/* SRs for out streams [*i, nout) into one compound of at most
 * SR_PER_COMPOUND (28 bytes each: it stays well under the MTU with the
 * SRTCP trailer); advances *i; the number written, or -1 on an error. */
#define SR_PER_COMPOUND 20
static int build_srs(struct peer *p, size_t *i, int64_t now, uint64_t ntp, struct rtcp_build *bld)
{
    int count = 0;
    for (; *i < p->nout && count < SR_PER_COMPOUND; (*i)++) {
        struct out_track *o = &p->out[*i];
        struct rtcp_sr sr = {.ssrc = o->ssrc, .ntp = ntp};
        if (!o->src || !fwd_rtp_ts_at(&o->fwd, now, &sr.rtp_ts))
            continue;
        sr.pkt_count = (uint32_t)o->packets;
        sr.octet_count = (uint32_t)o->bytes;
        size_t w = 0;
        int rc = rtcp_sr_write(&sr, rtcp_build_pos(bld), rtcp_build_room(bld), &w);
        rtcp_build_add(bld, rc, w);
        count++;
    }
    return count;
}

/* Once a second: an SR for every out stream, in as many compounds as it
 * takes (a commune subscribing to 31 others has 62 out streams). */
void peer_sub_tick(struct peer *p, int64_t now, bool report)
{
    if (p->offer_dirty && !p->offer_pending)
        peer_send_offer(p);
    if (!report || !p->sub || p->sub_state != TRANSPORT_STATE_CONNECTED)
        return;
    uint64_t ntp = ntp_time_from_us(g_get_real_time());
    bool recorded = false;
    for (size_t i = 0; i < p->nout;) {
        uint32_t buf[300];
        struct rtcp_build bld;
        rtcp_build_init(&bld, (uint8_t *)buf, sizeof buf);
        size_t n;
        if (build_srs(p, &i, now, ntp, &bld) <= 0 || rtcp_build_finish(&bld, &n) != 0)
            continue;
        int64_t sent_us = g_get_monotonic_time();
        if (transport_send_rtcp(p->sub, (uint8_t *)buf, n) != 0) {
            p->rtcp_errors++;
        } else if (!recorded) { /* one NTP time per tick: its first send */
            rtp_rtt_on_sr_sent(&p->sub_rtt, ntp, sent_us);
            recorded = true;
        }
    }
}
