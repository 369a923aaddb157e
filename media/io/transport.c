#include "media/io/transport.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/demux.h"
#include "media/core/mem.h"
#include "media/io/srtp_sess.h"

/* Room for the SRTP/SRTCP trailer (16-byte GCM tag + 4-byte index). */
#define SRTP_HEADROOM 64u
#define BUF_WORDS ((TRANSPORT_MAX_PACKET + SRTP_HEADROOM) / 4u)
#define DTLS_DATAGRAM_MAX 2048u
/* The peer's first DTLS flight is one ClientHello, retransmitted. */
#define EARLY_DTLS_MAX 2u

struct transport {
    GMainContext *ctx;
    struct ice *ice;
    struct dtls *dtls;
    struct srtp_sess *srtp;
    struct transport_callbacks cb;
    const struct dtls_cert *cert;
    const char *srtp_profiles;
    enum transport_state state;
    bool have_remote;
    enum dtls_role role;
    GSource *timer;
    int depth;  /* nesting of our own calls and callbacks */
    bool dying; /* transport_destroy was called inside a call */
    struct transport_stats st;
    /* DTLS that arrived before the remote description: the peer's
     * ClientHello can outrun its answer through signaling. Replayed once
     * the DTLS state exists, rather than waiting ~1 s for the peer to
     * retransmit it. */
    uint16_t early_len[EARLY_DTLS_MAX];
    unsigned n_early;
    uint8_t early[EARLY_DTLS_MAX][DTLS_DATAGRAM_MAX];
    /* 4-byte aligned: libsrtp reads headers as 32-bit words. */
    uint32_t rx[BUF_WORDS];
    uint32_t tx[BUF_WORDS];
};

static void free_now(struct transport *t)
{
    if (t->timer) {
        g_source_destroy(t->timer);
        g_source_unref(t->timer);
    }
    ice_destroy(t->ice);
    dtls_free(t->dtls);
    srtp_sess_free(t->srtp);
    g_main_context_unref(t->ctx);
    mem_free(t);
}

static void enter(struct transport *t)
{
    t->depth++;
}

/* true when the transport was freed: the caller must not touch it. */
static bool leave(struct transport *t)
{
    if (--t->depth == 0 && t->dying) {
        free_now(t);
        return true;
    }
    return false;
}

static bool terminal(enum transport_state s)
{
    return s == TRANSPORT_STATE_FAILED || s == TRANSPORT_STATE_GONE || s == TRANSPORT_STATE_CLOSED;
}

static void set_state(struct transport *t, enum transport_state s, const char *reason)
{
    if (t->state == s || terminal(t->state) || t->dying)
        return;
    t->state = s;
    if (t->cb.on_state)
        t->cb.on_state(t->cb.arg, s, reason ? reason : "");
}

static bool ice_up(const struct transport *t)
{
    enum ice_state s = ice_get_state(t->ice);
    return s == ICE_STATE_CONNECTED || s == ICE_STATE_READY;
}

/* Send every datagram DTLS has queued. Before ICE has a pair to send on
 * they stay queued, and on_ice_state sends them: a DTLS server answers a
 * ClientHello that comes with the peer's first checks, before the peer
 * nominates a pair, and a flight lost then would wait for OpenSSL's
 * retransmission timer (DTLS_RTO_INITIAL_US_DEFAULT). */
static void flush_dtls(struct transport *t)
{
    uint8_t buf[DTLS_DATAGRAM_MAX];
    size_t len;
    if (!ice_up(t))
        return;
    while (dtls_poll_transmit(t->dtls, buf, sizeof buf, &len) == 1)
        if (ice_send(t->ice, buf, len) < 0)
            t->st.tx_errors++;
}

static gboolean on_timer(gpointer data);

static void rearm_timer(struct transport *t)
{
    if (t->timer) {
        g_source_destroy(t->timer);
        g_source_unref(t->timer);
        t->timer = NULL;
    }
    int64_t due = t->dtls ? dtls_poll_timeout(t->dtls) : INT64_MAX;
    if (due == INT64_MAX || terminal(t->state))
        return;
    int64_t now = g_get_monotonic_time();
    guint ms = due > now ? (guint)((due - now + 999) / 1000) : 0;
    t->timer = g_timeout_source_new(ms);
    g_source_set_callback(t->timer, on_timer, t, NULL);
    g_source_attach(t->timer, t->ctx);
}

/* After any DTLS call: send what it queued, follow its state, rearm. */
static void after_dtls(struct transport *t)
{
    flush_dtls(t);
    switch (dtls_state(t->dtls)) {
    case DTLS_STATE_CONNECTED:
        if (!t->srtp) {
            struct dtls_srtp_keys keys;
            int err = dtls_srtp_keys(t->dtls, &keys);
            if (!err)
                err = srtp_sess_create(&t->srtp, &keys);
            if (err) {
                set_state(t, TRANSPORT_STATE_FAILED, "SRTP set-up failed");
                break;
            }
            t->st.srtp_profile = keys.profile;
            set_state(t, TRANSPORT_STATE_CONNECTED, "");
        }
        break;
    case DTLS_STATE_FAILED:
        set_state(t, TRANSPORT_STATE_FAILED, dtls_error(t->dtls));
        break;
    case DTLS_STATE_CLOSED:
        set_state(t, TRANSPORT_STATE_CLOSED, "peer closed DTLS");
        break;
    default:
        break;
    }
    rearm_timer(t);
}

static gboolean on_timer(gpointer data)
{
    struct transport *t = data;
    g_source_unref(t->timer);
    t->timer = NULL;
    enter(t);
    dtls_handle_timeout(t->dtls, g_get_monotonic_time());
    after_dtls(t);
    leave(t);
    return G_SOURCE_REMOVE;
}

static void on_ice_state(void *arg, enum ice_state s)
{
    struct transport *t = arg;
    enter(t);
    bool up = s == ICE_STATE_CONNECTED || s == ICE_STATE_READY;
    if (up && t->dtls && dtls_state(t->dtls) == DTLS_STATE_NEW && t->role == DTLS_ROLE_CLIENT) {
        if (dtls_start(t->dtls, g_get_monotonic_time()) == 0)
            after_dtls(t);
        else
            set_state(t, TRANSPORT_STATE_FAILED, "DTLS start failed");
    } else if (up && t->dtls && !terminal(t->state)) {
        after_dtls(t); /* what DTLS queued before ICE was up */
    } else if (s == ICE_STATE_FAILED) {
        set_state(t, TRANSPORT_STATE_FAILED, "ICE failed");
    } else if (s == ICE_STATE_GONE) {
        set_state(t, TRANSPORT_STATE_GONE, "peer stopped answering (consent expired)");
    } else if (s == ICE_STATE_CHECKING) {
        set_state(t, TRANSPORT_STATE_CONNECTING, "");
    }
    leave(t);
}

static void on_ice_candidate(void *arg, const char *line)
{
    struct transport *t = arg;
    enter(t);
    if (t->cb.on_candidate && !t->dying)
        t->cb.on_candidate(t->cb.arg, line);
    leave(t);
}

static void on_ice_gathered(void *arg)
{
    struct transport *t = arg;
    enter(t);
    if (t->cb.on_gathering_done && !t->dying)
        t->cb.on_gathering_done(t->cb.arg);
    leave(t);
}

static void recv_srtp(struct transport *t, enum demux_kind k, const uint8_t *p, size_t n)
{
    if (!t->srtp) {
        t->st.rx_dropped_early++;
        return;
    }
    if (n > sizeof t->rx) {
        t->st.rx_dropped_oversize++;
        return;
    }
    uint8_t *buf = (uint8_t *)t->rx;
    memcpy(buf, p, n);
    size_t len;
    int err = k == DEMUX_RTP ? srtp_sess_unprotect_rtp(t->srtp, buf, n, &len)
                             : srtp_sess_unprotect_rtcp(t->srtp, buf, n, &len);
    if (err) {
        t->st.rx_dropped_srtp++;
        return;
    }
    if (k == DEMUX_RTP) {
        t->st.rx_rtp++;
        if (t->cb.on_rtp)
            t->cb.on_rtp(t->cb.arg, buf, len);
    } else {
        t->st.rx_rtcp++;
        if (t->cb.on_rtcp)
            t->cb.on_rtcp(t->cb.arg, buf, len);
    }
}

static void hold_early_dtls(struct transport *t, const uint8_t *p, size_t n)
{
    if (t->n_early == EARLY_DTLS_MAX || n > DTLS_DATAGRAM_MAX) {
        t->st.rx_dropped_early++;
        return;
    }
    memcpy(t->early[t->n_early], p, n);
    t->early_len[t->n_early++] = (uint16_t)n;
    t->st.rx_dtls_held++;
}

/* Inside enter/leave, after the DTLS state was made. */
static void replay_early_dtls(struct transport *t)
{
    for (unsigned i = 0; i < t->n_early && !t->dying && !terminal(t->state); i++) {
        t->st.rx_dtls++;
        if (dtls_handle_input(t->dtls, t->early[i], t->early_len[i], g_get_monotonic_time()) < 0)
            t->st.rx_dtls_errors++;
        after_dtls(t);
    }
    t->n_early = 0;
}

static void on_ice_recv(void *arg, const uint8_t *p, size_t n)
{
    struct transport *t = arg;
    if (t->dying || terminal(t->state)) {
        t->st.rx_dropped_closed++;
        return;
    }
    enter(t);
    enum demux_kind k = demux_classify_strict(p, n);
    if (k == DEMUX_DTLS && !t->dtls) {
        hold_early_dtls(t, p, n);
    } else if (k == DEMUX_DTLS) {
        t->st.rx_dtls++;
        /* A bad record only counts in the DTLS stats; a fatal one shows
         * up as the FAILED state that after_dtls reports. */
        if (dtls_handle_input(t->dtls, p, n, g_get_monotonic_time()) < 0)
            t->st.rx_dtls_errors++;
        after_dtls(t);
    } else if (k == DEMUX_RTP || k == DEMUX_RTCP) {
        recv_srtp(t, k, p, n);
    } else {
        t->st.rx_dropped_unknown++;
    }
    leave(t);
}

int transport_new(struct transport **out, GMainContext *ctx, const struct transport_config *cfg,
                  const struct transport_callbacks *cb)
{
    if (!out || !ctx || !cfg || !cb || !cfg->cert)
        return -EINVAL;
    *out = NULL;
    struct transport *t = mem_zalloc(sizeof *t);
    if (!t)
        return -ENOMEM;
    t->ctx = g_main_context_ref(ctx);
    t->cb = *cb;
    t->cert = cfg->cert;
    t->srtp_profiles = cfg->srtp_profiles;
    struct ice_config ic = {
        .lite = cfg->lite,
        .trickle = cfg->trickle,
        .addrs = cfg->addrs,
        .n_addrs = cfg->n_addrs,
        .port_min = cfg->port_min,
        .port_max = cfg->port_max,
        .consent_timeout_ms = cfg->consent_timeout_ms,
        .connect_timeout_ms = cfg->connect_timeout_ms,
    };
    struct ice_callbacks icb = {on_ice_state, on_ice_candidate, on_ice_gathered, on_ice_recv, t};
    int err = ice_new(&t->ice, ctx, &ic, &icb);
    if (err) {
        g_main_context_unref(t->ctx);
        mem_free(t);
        return err;
    }
    *out = t;
    return 0;
}

int transport_gather(struct transport *t)
{
    if (!t)
        return -EINVAL;
    enter(t);
    int err = ice_gather(t->ice);
    return leave(t) ? -ECANCELED : err;
}

const char *transport_local_ufrag(const struct transport *t)
{
    return ice_local_ufrag(t->ice);
}

const char *transport_local_pwd(const struct transport *t)
{
    return ice_local_pwd(t->ice);
}

int transport_local_candidates(struct transport *t, ice_candidate_fn fn, void *arg)
{
    return t ? ice_local_candidates(t->ice, fn, arg) : -EINVAL;
}

int transport_set_remote(struct transport *t, const struct transport_remote *r)
{
    if (!t || !r || !r->ufrag || !r->pwd || t->have_remote)
        return -EINVAL;
    struct dtls_config dc = {
        .role = r->role,
        .cert = t->cert,
        .remote_fp = r->fingerprint,
        .srtp_profiles = t->srtp_profiles,
    };
    int err = dtls_create(&t->dtls, &dc);
    if (err)
        return err;
    t->role = r->role;
    t->have_remote = true;
    enter(t);
    err = ice_set_remote_credentials(t->ice, r->ufrag, r->pwd);
    if (!err)
        set_state(t, TRANSPORT_STATE_CONNECTING, "");
    if (!err && !t->dying)
        replay_early_dtls(t);
    return leave(t) ? -ECANCELED : err;
}

int transport_add_remote_candidate(struct transport *t, const char *line)
{
    if (!t || !line)
        return -EINVAL;
    enter(t);
    int err = ice_add_remote_candidate(t->ice, line);
    return leave(t) ? -ECANCELED : err;
}

static int send_srtp(struct transport *t, bool rtp, const uint8_t *p, size_t n)
{
    if (!t || !p)
        return -EINVAL;
    if (t->state != TRANSPORT_STATE_CONNECTED || !t->srtp)
        return -ENOTCONN;
    if (n > TRANSPORT_MAX_PACKET)
        return -EMSGSIZE;
    uint8_t *buf = (uint8_t *)t->tx;
    memcpy(buf, p, n);
    size_t len;
    int err = rtp ? srtp_sess_protect_rtp(t->srtp, buf, n, sizeof t->tx, &len)
                  : srtp_sess_protect_rtcp(t->srtp, buf, n, sizeof t->tx, &len);
    if (!err)
        err = ice_send(t->ice, buf, len);
    if (err) {
        t->st.tx_errors++;
        return err;
    }
    if (rtp)
        t->st.tx_rtp++;
    else
        t->st.tx_rtcp++;
    return 0;
}

int transport_send_rtp(struct transport *t, const uint8_t *p, size_t n)
{
    return send_srtp(t, true, p, n);
}

int transport_send_rtcp(struct transport *t, const uint8_t *p, size_t n)
{
    return send_srtp(t, false, p, n);
}

enum transport_state transport_get_state(const struct transport *t)
{
    return t->state;
}

const char *transport_state_name(enum transport_state s)
{
    switch (s) {
    case TRANSPORT_STATE_NEW:
        return "new";
    case TRANSPORT_STATE_CONNECTING:
        return "connecting";
    case TRANSPORT_STATE_CONNECTED:
        return "connected";
    case TRANSPORT_STATE_FAILED:
        return "failed";
    case TRANSPORT_STATE_GONE:
        return "gone";
    case TRANSPORT_STATE_CLOSED:
        return "closed";
    }
    return "?";
}

void transport_get_stats(const struct transport *t, struct transport_stats *out)
{
    *out = t->st;
    ice_get_stats(t->ice, &out->ice);
    if (t->dtls)
        dtls_stats(t->dtls, &out->dtls);
    else
        memset(&out->dtls, 0, sizeof out->dtls);
}

void transport_destroy(struct transport *t)
{
    if (!t || t->dying)
        return;
    if (t->dtls && dtls_state(t->dtls) == DTLS_STATE_CONNECTED) {
        dtls_close(t->dtls, g_get_monotonic_time());
        flush_dtls(t);
    }
    t->dying = true;
    if (t->depth == 0)
        free_now(t);
}
