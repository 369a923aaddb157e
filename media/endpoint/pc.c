/* pc lifecycle: the transport, offer/answer, candidates, stats. Sending,
 * receiving and RTCP live in pc_send.c, pc_recv.c and pc_rtcp.c. */
#include "media/endpoint/pc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/ice_sdp.h"
#include "media/core/mem.h"
#include "media/endpoint/pc_int.h"
#include "media/io/dtls_role.h"

int64_t pc_now_us(void)
{
    return g_get_monotonic_time();
}

static void set_err(struct pc *pc, const char *fmt, const char *what)
{
    snprintf(pc->err, sizeof pc->err, fmt, what);
}

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    struct pc *pc = arg;
    pc->state = s;
    if (s == TRANSPORT_STATE_CONNECTED) {
        pc_tx_start(pc);
        pc_rtcp_start(pc);
    } else if (s != TRANSPORT_STATE_CONNECTING && s != TRANSPORT_STATE_NEW) {
        set_err(pc, "transport %s", reason);
        pc_rtcp_stop(pc);
    }
    if (pc->cb.on_state)
        pc->cb.on_state(pc->cb.arg, s, reason);
}

static void on_candidate(void *arg, const char *line)
{
    struct pc *pc = arg;
    if (pc->ncands < PC_SDP_MAX_CANDS)
        snprintf(pc->cands[pc->ncands++], PC_SDP_CAND_MAX, "%s", line);
    if (pc->cb.on_candidate)
        pc->cb.on_candidate(pc->cb.arg, strncmp(line, "a=", 2) == 0 ? line + 2 : line);
}

static void on_gathered(void *arg)
{
    struct pc *pc = arg;
    if (pc->cb.on_candidate)
        pc->cb.on_candidate(pc->cb.arg, "");
}

static void on_rtp(void *arg, uint8_t *p, size_t n)
{
    pc_rx_packet(arg, p, n);
}

static void on_rtcp(void *arg, uint8_t *p, size_t n)
{
    pc_rtcp_packet(arg, p, n);
}

static void defaults(struct pc_config *c)
{
    if (!c->width || !c->height) {
        c->width = 640;
        c->height = 360;
    }
    if (!c->fps)
        c->fps = 30;
    if (!c->video_kbps)
        c->video_kbps = 800;
    if (!c->audio_channels)
        c->audio_channels = 1;
    if (c->tone_hz <= 0)
        c->tone_hz = 440;
    if (!c->cname)
        c->cname = "cau";
}

int pc_new(struct pc **out, const struct pc_config *cfg, const struct pc_callbacks *cb)
{
    if (!out || !cfg || !cfg->ctx || !cfg->cert || !cb)
        return -EINVAL;
    *out = NULL;
    struct pc *pc = mem_zalloc(sizeof *pc);
    if (!pc)
        return -ENOMEM;
    pc->cfg = *cfg;
    defaults(&pc->cfg);
    pc->cb = *cb;
    pc->rtcp_ssrc = g_random_int() | 1u;
    struct transport_config tc = {
        .lite = cfg->lite,
        .trickle = true,
        .addrs = cfg->addrs,
        .n_addrs = cfg->n_addrs,
        .consent_timeout_ms = cfg->consent_timeout_ms,
        .cert = cfg->cert,
        .srtp_profiles = cfg->srtp_profiles,
    };
    struct transport_callbacks tcb = {on_state, on_candidate, on_gathered, on_rtp, on_rtcp, pc};
    int err = transport_new(&pc->tr, cfg->ctx, &tc, &tcb);
    if (!err)
        err = transport_gather(pc->tr);
    if (err) {
        transport_destroy(pc->tr);
        mem_free(pc);
        return err;
    }
    *out = pc;
    return 0;
}

void pc_destroy(struct pc *pc)
{
    if (!pc)
        return;
    pc_rtcp_stop(pc);
    pc_tx_free(pc);
    pc_rx_free(pc);
    transport_destroy(pc->tr);
    mem_free(pc);
}

static void fill_local(struct pc *pc, struct pc_sdp_local *l, const char **cand_ptrs)
{
    memset(l, 0, sizeof *l);
    l->sess_id = (uint64_t)(uintptr_t)pc ^ 0x5eed;
    l->sess_version = 2;
    l->ufrag = transport_local_ufrag(pc->tr);
    l->pwd = transport_local_pwd(pc->tr);
    l->fingerprint = dtls_cert_fp_text(pc->cfg.cert);
    l->ice_lite = pc->cfg.lite;
    l->cname = pc->cfg.cname;
    const bool send[2] = {pc->cfg.send_audio, pc->cfg.send_video};
    const bool recv[2] = {pc->cfg.recv_audio, pc->cfg.recv_video};
    static const char *const mids[2] = {"0", "1"};
    static const int pts[2] = {111, 96};
    for (int k = 0; k < 2; k++) {
        l->track[k].send = send[k];
        l->track[k].recv = recv[k];
        l->track[k].mid = mids[k];
        l->track[k].pt = pts[k];
        l->track[k].channels = pc->cfg.audio_channels;
        l->track[k].ssrc = pc->tx[k].ssrc;
    }
    for (size_t i = 0; i < pc->ncands; i++)
        cand_ptrs[i] = pc->cands[i];
    l->cands = cand_ptrs;
    l->ncands = pc->ncands;
}

int pc_create_offer(struct pc *pc, const char **sdp)
{
    if (!pc || !sdp || pc->have_remote)
        return -EINVAL;
    for (int k = 0; k < 2; k++)
        if (!pc->tx[k].ssrc)
            pc->tx[k].ssrc = g_random_int() | 1u;
    struct pc_sdp_local l;
    const char *cands[PC_SDP_MAX_CANDS];
    fill_local(pc, &l, cands);
    l.setup = SDP_SETUP_ACTPASS;
    int err = pc_sdp_write(&l, NULL, pc->sdp, sizeof pc->sdp);
    if (err)
        return err;
    pc->offered = true;
    *sdp = pc->sdp;
    return 0;
}

/* What we send, once both sides have spoken (receivers: pc_rx_sync). */
static void negotiate(struct pc *pc)
{
    const bool send[2] = {pc->cfg.send_audio, pc->cfg.send_video};
    for (int k = 0; k < 2; k++) {
        const struct pc_sdp_track *t = &pc->remote.track[k];
        if (!t->present)
            continue;
        /* In an answer the peer's direction is its own; in an offer too. */
        bool peer_recv = t->dir == SDP_DIR_SENDRECV || t->dir == SDP_DIR_RECVONLY;
        pc->tx[k].on = send[k] && peer_recv;
        pc->tx[k].pt = t->pt;
    }
}

static bool loopback(const char *line)
{
    struct ice_sdp_cand c;
    if (ice_sdp_parse_candidate(line, &c) != 0)
        return false;
    /* the connection address is the 5th field after "candidate:" */
    char addr[64];
    if (sscanf(c.body, "candidate:%*s %*s %*s %*s %63s", addr) != 1)
        return false;
    return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

int pc_add_remote_candidate(struct pc *pc, const char *line)
{
    if (!pc || !line || !pc->have_remote)
        return -EINVAL;
    bool end = !*line || strstr(line, "end-of-candidates");
    if (!end && pc->cfg.loopback_only && !loopback(line))
        return 0; /* ignored on purpose: tests stay on loopback */
    int err = transport_add_remote_candidate(pc->tr, line);
    /* TCP, mDNS or RTCP-component candidates are valid, just not ours to
     * use (UDP, rtcp-mux only): counted by ICE, not an error to the peer. */
    return err == -EPROTONOSUPPORT ? 0 : err;
}

static int start_transport(struct pc *pc)
{
    enum dtls_role_setup rs;
    const char *setup = sdp_setup_name(pc->remote.setup);
    int err = dtls_role_parse_setup(setup, strlen(setup), &rs);
    if (!err)
        err = dtls_role_from_remote(rs, &pc->role);
    if (err) {
        set_err(pc, "remote a=setup:%s leaves no DTLS role", setup);
        return -EBADMSG;
    }
    struct transport_remote r = {pc->remote.ufrag, pc->remote.pwd, pc->remote.fingerprint,
                                 pc->role};
    if (pc->cfg.tamper_remote_fingerprint)
        r.fingerprint.sha256[0] ^= 0xff;
    err = transport_set_remote(pc->tr, &r);
    for (size_t i = 0; !err && i < pc->remote.ncands; i++)
        err = pc_add_remote_candidate(pc, pc->remote.cands[i]);
    return err == -EPROTONOSUPPORT ? 0 : err;
}

/* A new offer after our answer: the same ICE credentials and certificate;
 * received tracks may come and go, what we send stays. */
static int renegotiate(struct pc *pc, const char *sdp, size_t len)
{
    if (!pc->answered)
        return -EINVAL;
    struct pc_sdp_remote *r = mem_alloc(sizeof *r);
    if (!r)
        return -ENOMEM;
    int err = pc_sdp_read(sdp, len, r, pc->err, sizeof pc->err);
    if (!err && (strcmp(r->ufrag, pc->remote.ufrag) != 0 || strcmp(r->pwd, pc->remote.pwd) != 0)) {
        set_err(pc, "%s", "the new offer restarts ICE (not supported)");
        err = -ENOTSUP;
    } else if (!err && memcmp(&r->fingerprint, &pc->remote.fingerprint, sizeof r->fingerprint)) {
        set_err(pc, "%s", "the new offer changes the DTLS fingerprint");
        err = -EBADMSG;
    }
    if (!err) {
        memcpy(r->track, pc->remote.track, sizeof r->track); /* we send as before */
        pc->remote = *r;
        err = pc_rx_sync(pc);
        pc->answered = err != 0; /* after a failure the offer may come again */
    }
    mem_free(r);
    return err;
}

int pc_set_remote(struct pc *pc, const char *sdp, size_t len)
{
    if (!pc || !sdp)
        return -EINVAL;
    if (pc->have_remote)
        return renegotiate(pc, sdp, len);
    int err = pc_sdp_read(sdp, len, &pc->remote, pc->err, sizeof pc->err);
    if (err)
        return err;
    pc->have_remote = true;
    negotiate(pc);
    for (int k = 0; k < 2; k++)
        if (!pc->tx[k].ssrc)
            pc->tx[k].ssrc = g_random_int() | 1u;
    err = pc_tx_setup(pc);
    if (!err)
        err = pc_rx_sync(pc);
    if (!err)
        err = start_transport(pc);
    return err;
}

int pc_create_answer(struct pc *pc, const char **sdp)
{
    if (!pc || !sdp || !pc->have_remote || pc->offered)
        return -EINVAL;
    struct pc_sdp_local l;
    const char *cands[PC_SDP_MAX_CANDS];
    fill_local(pc, &l, cands);
    l.setup = pc->role == DTLS_ROLE_SERVER ? SDP_SETUP_PASSIVE : SDP_SETUP_ACTIVE;
    int err = pc_sdp_write(&l, &pc->remote, pc->sdp, sizeof pc->sdp);
    if (err)
        return err;
    pc->answered = true;
    *sdp = pc->sdp;
    return 0;
}

void pc_get_stats(struct pc *pc, struct pc_stats *out)
{
    memset(out, 0, sizeof *out);
    out->state = pc->state;
    transport_get_stats(pc->tr, &out->transport);
    out->srtp_profile = out->transport.srtp_profile;
    int64_t now = pc_now_us();
    for (int k = 0; k < 2; k++) {
        out->out[k] = pc->tx[k].st;
        out->out[k].active = pc->tx[k].on;
        out->out[k].ssrc = pc->tx[k].ssrc;
        const struct pc_rx *rx = pc_rx_first(pc, k);
        if (rx)
            pc_rx_fill_stats(rx, &out->in[k], now);
    }
}

size_t pc_rx_count(const struct pc *pc)
{
    return pc ? pc->nrx : 0;
}

int pc_get_rx(struct pc *pc, size_t i, struct pc_rx_info *out)
{
    if (!pc || !out || i >= pc->nrx)
        return -EINVAL;
    const struct pc_rx *rx = pc->rx[i];
    memset(out, 0, sizeof *out);
    out->kind = rx->kind == PC_VIDEO ? PC_VIDEO : PC_AUDIO;
    snprintf(out->mid, sizeof out->mid, "%s", rx->mid);
    snprintf(out->stream, sizeof out->stream, "%s", rx->stream);
    pc_rx_fill_stats(rx, &out->st, pc_now_us());
    return 0;
}

const char *pc_last_error(const struct pc *pc)
{
    return pc->err;
}
