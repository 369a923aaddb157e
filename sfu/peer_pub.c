/* The publish side of a peer: answering the client's offer, receiving its
 * RTP (statistics, history, loss tracking) and asking it for what was lost
 * (NACK) and for key frames (PLI, throttled). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/ntp_time.h"
#include "media/core/rtcp_hdr.h"
#include "media/core/rtcp_nack.h"
#include "media/core/rtcp_pli.h"
#include "media/core/rtcp_rr.h"
#include "media/core/rtcp_sr.h"
#include "media/core/rtp_hdr.h"
#include "media/core/vp8_desc.h"
#include "media/endpoint/pc_sdp.h"
#include "media/io/dtls_role.h"
#include "sfu/peer.h"
#include "sfu/peer_twcc.h"
#include "sfu/room.h"
#include "sfu/sfu.h"

#define HISTORY_SLOTS 2048 /* ~1 s of 1.5 Mbps video with room to spare */
#define HISTORY_AGE_US 1000000

static int setup_in_tracks(struct peer *p, const struct pc_sdp_remote *r)
{
    for (int k = 0; k < 2; k++) {
        const struct pc_sdp_track *t = &r->track[k];
        struct in_track *in = &p->in[k];
        in->on = t->present && (t->dir == SDP_DIR_SENDONLY || t->dir == SDP_DIR_SENDRECV);
        if (!in->on)
            continue;
        in->pt = t->pt;
        struct rtp_history_cfg hc = {HISTORY_SLOTS, 1500, HISTORY_AGE_US};
        struct nack_gen_cfg nc = {0};
        struct kf_throttle_cfg kc = {0};
        int err = rtp_history_create(&hc, &in->hist);
        if (!err && k == PEER_VIDEO)
            err = nack_gen_create(&nc, &in->ng);
        if (!err)
            err = kf_throttle_init(&in->kt, &kc);
        if (err)
            return err;
    }
    return 0;
}

static int write_answer(struct peer *p, const struct pc_sdp_remote *r, enum dtls_role role,
                        char **answer)
{
    struct pc_sdp_local l = {0};
    const char *cands[PEER_MAX_CANDS];
    l.sess_id = g_random_int();
    l.sess_version = 1;
    l.ufrag = transport_local_ufrag(p->pub);
    l.pwd = transport_local_pwd(p->pub);
    l.fingerprint = dtls_cert_fp_text(sfu_cert(room_sfu(p->room)));
    l.setup = role == DTLS_ROLE_SERVER ? SDP_SETUP_PASSIVE : SDP_SETUP_ACTIVE;
    l.ice_lite = true;
    l.cname = p->id;
    l.twcc = true;
    for (int k = 0; k < 2; k++) {
        l.track[k].recv = true;
        l.track[k].channels = 2;
    }
    for (size_t i = 0; i < p->pub_ctx.ncands; i++)
        cands[i] = p->pub_ctx.cands[i];
    l.cands = cands;
    l.ncands = p->pub_ctx.ncands;
    char *buf = g_malloc(16384);
    int err = pc_sdp_write(&l, r, buf, 16384);
    if (err) {
        g_free(buf);
        return err;
    }
    *answer = buf;
    p->pub_ctx.described = true;
    return 0;
}

int peer_publish(struct peer *p, const char *offer, char **answer, char *err, size_t errlen)
{
    if (p->pub) {
        snprintf(err, errlen, "already publishing (renegotiation is not supported yet)");
        return -EALREADY;
    }
    struct pc_sdp_remote *r = g_new0(struct pc_sdp_remote, 1);
    enum dtls_role_setup rs;
    enum dtls_role role = DTLS_ROLE_SERVER;
    int rc = pc_sdp_read(offer, strlen(offer), r, err, errlen);
    if (!rc) {
        const char *setup = sdp_setup_name(r->setup);
        rc = dtls_role_parse_setup(setup, strlen(setup), &rs);
        if (!rc)
            rc = dtls_role_from_remote(rs, &role);
        if (rc)
            snprintf(err, errlen, "a=setup:%s leaves no DTLS role", setup);
    }
    if (!rc && (rc = peer_open_transport(p, true, &p->pub)))
        snprintf(err, errlen, "no media port free (%s)", strerror(-rc));
    if (!rc && (rc = setup_in_tracks(p, r)))
        snprintf(err, errlen, "out of memory");
    if (!rc && (rc = write_answer(p, r, role, answer)))
        snprintf(err, errlen, "cannot write the answer (%s)", strerror(-rc));
    if (!rc && (rc = peer_twcc_start(p, r)))
        snprintf(err, errlen, "out of memory");
    if (!rc) {
        struct transport_remote tr = {r->ufrag, r->pwd, r->fingerprint, role};
        rc = transport_set_remote(p->pub, &tr);
        for (size_t i = 0; !rc && i < r->ncands; i++)
            if (transport_add_remote_candidate(p->pub, r->cands[i]) != 0)
                p->cands_refused++;
        if (rc)
            snprintf(err, errlen, "transport refused the remote description");
    }
    g_free(r);
    return rc;
}

static uint32_t next_source_id(void)
{
    static uint32_t n; /* per worker thread use only: ids only need to differ */
    return __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED);
}

void peer_pub_rtp(struct peer *p, uint8_t *pkt, size_t len)
{
    struct rtp_hdr h;
    if (rtp_hdr_parse(&h, pkt, len) != 0)
        return;
    int64_t now = g_get_monotonic_time();
    peer_twcc_on_rtp(p, &h, now); /* every packet on the transport counts */
    int k = p->in[PEER_AUDIO].on && h.pt == p->in[PEER_AUDIO].pt   ? PEER_AUDIO
            : p->in[PEER_VIDEO].on && h.pt == p->in[PEER_VIDEO].pt ? PEER_VIDEO
                                                                   : -1;
    if (k < 0)
        return;
    struct in_track *in = &p->in[k];
    if (!in->have_ssrc || h.ssrc != in->ssrc) {
        /* First packet, or the publisher restarted with a new SSRC. */
        if (rtp_rx_stats_init(&in->rs, h.ssrc, k == PEER_VIDEO ? 90000 : 48000, 0) != 0)
            return;
        in->ssrc = h.ssrc;
        in->have_ssrc = true;
        in->source_id = next_source_id();
    }
    enum rtp_rx_verdict v = rtp_rx_stats_on_packet(&in->rs, h.seq, h.ts, len, now);
    if (v == RTP_RX_DUPLICATE || v == RTP_RX_BAD_SEQ)
        return;
    (void)rtp_history_put(in->hist, h.seq, pkt, len, now);
    if (in->ng)
        (void)nack_gen_on_packet(in->ng, h.seq, now);
    if (k == PEER_VIDEO) {
        struct vp8_desc d;
        if (vp8_desc_parse(h.payload, h.payload_len, &d) == 0 && d.key_frame) {
            in->key_frames++;
            kf_throttle_on_key_frame(&in->kt, now);
        }
    }
    peer_forward(p, k, pkt, len, now);
}

void peer_request_key_frame(struct peer *src, int64_t now_us)
{
    if (src->in[PEER_VIDEO].on)
        kf_throttle_request(&src->in[PEER_VIDEO].kt, now_us);
}

void peer_key_frame_for(struct peer *q, void *arg)
{
    if (q != arg)
        peer_request_key_frame(q, g_get_monotonic_time());
}

void peer_send_pub_rtcp(struct peer *p, const uint8_t *b, size_t n)
{
    if (p->pub && p->pub_state == TRANSPORT_STATE_CONNECTED &&
        transport_send_rtcp(p->pub, b, n) != 0)
        p->rtcp_errors++;
}

/* NACKs for what the publisher's stream lost, PLIs when asked (throttled),
 * an RR once a second. */
void peer_pub_tick(struct peer *p, int64_t now, bool report)
{
    uint32_t buf[300];
    size_t n;
    for (int k = 0; k < 2; k++) {
        struct in_track *in = &p->in[k];
        if (!in->on || !in->have_ssrc)
            continue;
        uint16_t seqs[256];
        size_t ns = in->ng ? nack_gen_poll(in->ng, now, seqs, 256) : 0;
        struct rtcp_nack nack;
        if (ns && rtcp_nack_from_seqs(&nack, seqs, ns) == 0) {
            nack.sender_ssrc = p->rtcp_ssrc;
            nack.media_ssrc = in->ssrc;
            if (rtcp_nack_write(&nack, (uint8_t *)buf, sizeof buf, &n) == 0) {
                peer_send_pub_rtcp(p, (uint8_t *)buf, n);
                in->nacks_sent++;
            }
        }
        if (in->ng && nack_gen_poll_key_frame(in->ng))
            kf_throttle_request(&in->kt, now);
        uint8_t fir_seq;
        struct rtcp_pli pli = {p->rtcp_ssrc, in->ssrc};
        if (k == PEER_VIDEO && kf_throttle_poll(&in->kt, now, &fir_seq) &&
            rtcp_pli_write(&pli, (uint8_t *)buf, sizeof buf, &n) == 0) {
            peer_send_pub_rtcp(p, (uint8_t *)buf, n);
            in->plis_sent++;
        }
    }
    peer_twcc_tick(p, now);
    if (!report)
        return;
    struct rtcp_rr rr = {.ssrc = p->rtcp_ssrc};
    for (int k = 0; k < 2; k++)
        if (p->in[k].on && p->in[k].have_ssrc &&
            rtp_rx_stats_make_rb(&p->in[k].rs, now, &rr.rb[rr.rb_count]) == 0)
            rr.rb_count++;
    if (rr.rb_count && rtcp_rr_write(&rr, (uint8_t *)buf, sizeof buf, &n) == 0)
        peer_send_pub_rtcp(p, (uint8_t *)buf, n);
}

void peer_pub_rtcp(struct peer *p, const uint8_t *b, size_t len)
{
    struct rtcp_iter it;
    struct rtcp_pkt pk;
    rtcp_iter_init(&it, b, len);
    while (rtcp_iter_next(&it, &pk) == 1) {
        struct rtcp_sr sr;
        if (pk.pt != RTCP_PT_SR || rtcp_sr_parse(&sr, pk.data, pk.len) != 0)
            continue;
        for (int k = 0; k < 2; k++)
            if (p->in[k].have_ssrc && p->in[k].ssrc == sr.ssrc)
                rtp_rx_stats_on_sr(&p->in[k].rs, sr.ntp, g_get_monotonic_time());
    }
}
