#include "media/io/ice.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <nice/agent.h>

#include "media/core/ice_sdp.h"
#include "media/core/ice_watch.h"
#include "media/core/mem.h"

#define COMPONENT 1 /* rtcp-mux + BUNDLE: one component, one 5-tuple */

struct ice {
    GMainContext *ctx;
    NiceAgent *agent;
    guint stream;
    struct ice_callbacks cb;
    struct ice_watch watch;
    struct ice_stats stats;
    enum ice_state state;
    bool lite, trickle, gathered, have_remote_creds, was_connected;
    NiceAddress peer; /* remote address of the selected pair */
    bool have_peer;
    GSource *timer; /* ice_watch deadline, one per transport */
    GSource *probe; /* armed while looking for the peer's STUN */
    int depth;      /* nesting of calls that may reach the owner's callbacks */
    bool dead;      /* ice_destroy was called inside a callback */
    char ufrag[ICE_SDP_CRED_MAX + 1];
    char pwd[ICE_SDP_CRED_MAX + 1];
};

static void ice_free(struct ice *t);

/* Reentrancy guard: the owner may destroy the transport from a callback. */
static void enter(struct ice *t)
{
    t->depth++;
}

/* true when the transport was freed: the caller must not touch it again. */
static bool leave(struct ice *t)
{
    if (--t->depth == 0 && t->dead) {
        ice_free(t);
        return true;
    }
    return false;
}

static bool terminal(enum ice_state s)
{
    return s == ICE_STATE_FAILED || s == ICE_STATE_GONE;
}

static bool connected(enum ice_state s)
{
    return s == ICE_STATE_CONNECTED || s == ICE_STATE_READY;
}

static void set_state(struct ice *t, enum ice_state s)
{
    if (t->dead || terminal(t->state) || t->state == s)
        return;
    t->state = s;
    if (t->cb.on_state)
        t->cb.on_state(t->cb.arg, s);
}

static void drop_probe(struct ice *t)
{
    if (!t->probe)
        return;
    g_source_destroy(t->probe);
    g_source_unref(t->probe);
    t->probe = NULL;
}

static void rearm(struct ice *t)
{
    int64_t due = ice_watch_poll_timeout(&t->watch);
    g_source_set_ready_time(t->timer, due == INT64_MAX ? -1 : due);
}

static void fail(struct ice *t, enum ice_state s)
{
    ice_watch_stop(&t->watch);
    rearm(t);
    drop_probe(t);
    set_state(t, s);
}

/* The peek: is the datagram waiting on the selected socket from the peer?
 * Nothing is consumed; libnice reads it next (this source runs at a higher
 * priority, so before libnice's, and is removed at once so that libnice is
 * never starved). */
static gboolean on_probe(GSocket *sock, GIOCondition cond, gpointer data)
{
    struct ice *t = data;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char byte;
    (void)cond;
    ssize_t r = recvfrom(g_socket_get_fd(sock), &byte, 1, MSG_PEEK, (struct sockaddr *)&ss, &sl);
    if (r >= 0 && t->have_peer) {
        NiceAddress from;
        nice_address_set_from_sockaddr(&from, (struct sockaddr *)&ss);
        if (nice_address_equal(&from, &t->peer))
            ice_watch_handle_rx(&t->watch, g_get_monotonic_time());
    }
    g_source_unref(t->probe);
    t->probe = NULL;
    return G_SOURCE_REMOVE;
}

static void arm_probe(struct ice *t)
{
    if (t->probe || !t->have_peer)
        return;
    GSocket *sock = nice_agent_get_selected_socket(t->agent, t->stream, COMPONENT);
    if (!sock)
        return;
    t->probe = g_socket_create_source(sock, G_IO_IN, NULL);
    g_object_unref(sock);
    g_source_set_priority(t->probe, G_PRIORITY_HIGH);
    g_source_set_callback(t->probe, G_SOURCE_FUNC(on_probe), t, NULL);
    g_source_attach(t->probe, t->ctx);
    t->stats.probes++;
}

static gboolean on_timer(gpointer data)
{
    struct ice *t = data;
    enum ice_watch_verdict v = ice_watch_handle_timeout(&t->watch, g_get_monotonic_time());
    enter(t);
    if (v == ICE_WATCH_PROBE)
        arm_probe(t);
    else if (v == ICE_WATCH_CONNECT_FAILED)
        fail(t, ICE_STATE_FAILED);
    else if (v == ICE_WATCH_GONE)
        fail(t, ICE_STATE_GONE);
    if (!t->dead)
        rearm(t);
    leave(t);
    return G_SOURCE_CONTINUE;
}

static gboolean timer_dispatch(GSource *source, GSourceFunc fn, gpointer data)
{
    (void)source;
    return fn(data);
}

static GSourceFuncs timer_funcs = {.dispatch = timer_dispatch};

static void on_component_state(NiceAgent *agent, guint stream, guint component, guint state,
                               gpointer data)
{
    struct ice *t = data;
    (void)agent;
    if (t->dead || stream != t->stream || component != COMPONENT)
        return;
    enter(t);
    switch (state) {
    case NICE_COMPONENT_STATE_GATHERING:
        set_state(t, ICE_STATE_GATHERING);
        break;
    case NICE_COMPONENT_STATE_CONNECTING:
        set_state(t, ICE_STATE_CHECKING);
        break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
        if (terminal(t->state))
            break;
        t->was_connected = true;
        ice_watch_connected(&t->watch, g_get_monotonic_time());
        rearm(t);
        set_state(t, state == NICE_COMPONENT_STATE_READY ? ICE_STATE_READY : ICE_STATE_CONNECTED);
        break;
    case NICE_COMPONENT_STATE_FAILED:
        /* After being connected this is libnice's RFC 7675 consent loss. */
        fail(t, t->was_connected ? ICE_STATE_GONE : ICE_STATE_FAILED);
        break;
    default:
        break;
    }
    leave(t);
}

static void on_new_candidate(NiceAgent *agent, NiceCandidate *c, gpointer data)
{
    struct ice *t = data;
    /* Only gathered host candidates are signalled (never peer-reflexive). */
    if (t->dead || c->stream_id != t->stream || c->type != NICE_CANDIDATE_TYPE_HOST ||
        !t->cb.on_candidate)
        return;
    gchar *line = nice_agent_generate_local_candidate_sdp(agent, c);
    if (!line)
        return;
    enter(t);
    t->cb.on_candidate(t->cb.arg, line);
    g_free(line);
    leave(t);
}

static void on_gathering_done(NiceAgent *agent, guint stream, gpointer data)
{
    struct ice *t = data;
    (void)agent;
    if (t->dead || stream != t->stream || !t->cb.on_gathering_done)
        return;
    enter(t);
    t->cb.on_gathering_done(t->cb.arg);
    leave(t);
}

static void on_selected_pair(NiceAgent *agent, guint stream, guint component, NiceCandidate *local,
                             NiceCandidate *remote, gpointer data)
{
    struct ice *t = data;
    (void)agent;
    (void)local;
    if (t->dead || stream != t->stream || component != COMPONENT)
        return;
    t->peer = remote->addr;
    t->have_peer = true;
    drop_probe(t); /* the selected socket may have changed */
}

static void on_recv(NiceAgent *agent, guint stream, guint component, guint len, gchar *buf,
                    gpointer data)
{
    struct ice *t = data;
    (void)agent;
    (void)stream;
    (void)component;
    if (t->dead || terminal(t->state)) {
        t->stats.rx_dropped++;
        return;
    }
    t->stats.rx_packets++;
    t->stats.rx_bytes += len;
    ice_watch_handle_rx(&t->watch, g_get_monotonic_time());
    if (!t->cb.on_recv)
        return;
    enter(t);
    t->cb.on_recv(t->cb.arg, (const uint8_t *)buf, len);
    leave(t);
}

static int check_config(const struct ice_config *cfg, NiceAddress *addrs)
{
    if (cfg->n_addrs == 0 || cfg->n_addrs > ICE_MAX_ADDRS || !cfg->addrs)
        return -EINVAL;
    for (size_t i = 0; i < cfg->n_addrs; i++) {
        nice_address_init(&addrs[i]);
        if (!cfg->addrs[i] || !nice_address_set_from_string(&addrs[i], cfg->addrs[i]))
            return -EINVAL;
    }
    if (cfg->port_min > cfg->port_max || (cfg->port_min == 0 && cfg->port_max != 0))
        return -EINVAL;
    return 0;
}

static NiceAgent *make_agent(GMainContext *ctx, const struct ice_config *cfg)
{
    NiceAgentOption opts = NICE_AGENT_OPTION_LITE_MODE;
    if (!cfg->lite) {
        opts = NICE_AGENT_OPTION_REGULAR_NOMINATION | NICE_AGENT_OPTION_CONSENT_FRESHNESS;
        if (cfg->trickle)
            opts |= NICE_AGENT_OPTION_ICE_TRICKLE;
    }
    NiceAgent *agent = nice_agent_new_full(ctx, NICE_COMPATIBILITY_RFC5245, opts);
    g_object_set(agent, "controlling-mode", !cfg->lite, "upnp", FALSE, "ice-tcp", FALSE, "ice-udp",
                 TRUE, NULL);
    return agent;
}

static void connect_signals(struct ice *t)
{
    g_signal_connect(t->agent, "component-state-changed", G_CALLBACK(on_component_state), t);
    g_signal_connect(t->agent, "new-candidate-full", G_CALLBACK(on_new_candidate), t);
    g_signal_connect(t->agent, "candidate-gathering-done", G_CALLBACK(on_gathering_done), t);
    g_signal_connect(t->agent, "new-selected-pair-full", G_CALLBACK(on_selected_pair), t);
    nice_agent_attach_recv(t->agent, t->stream, COMPONENT, t->ctx, on_recv, t);
}

static int copy_local_credentials(struct ice *t)
{
    gchar *ufrag = NULL, *pwd = NULL;
    int err = -EINVAL;
    if (nice_agent_get_local_credentials(t->agent, t->stream, &ufrag, &pwd) &&
        strlen(ufrag) < sizeof t->ufrag && strlen(pwd) < sizeof t->pwd) {
        strcpy(t->ufrag, ufrag);
        strcpy(t->pwd, pwd);
        err = 0;
    }
    g_free(ufrag);
    g_free(pwd);
    return err;
}

int ice_new(struct ice **out, GMainContext *ctx, const struct ice_config *cfg,
            const struct ice_callbacks *cb)
{
    NiceAddress addrs[ICE_MAX_ADDRS];
    if (!out || !ctx || !cfg || !cb)
        return -EINVAL;
    int err = check_config(cfg, addrs);
    if (err)
        return err;
    struct ice *t = mem_zalloc(sizeof *t);
    if (!t)
        return -ENOMEM;
    t->ctx = g_main_context_ref(ctx);
    t->cb = *cb;
    t->lite = cfg->lite;
    t->trickle = cfg->trickle && !cfg->lite;
    t->agent = make_agent(ctx, cfg);
    for (size_t i = 0; i < cfg->n_addrs; i++)
        nice_agent_add_local_address(t->agent, &addrs[i]);
    t->stream = nice_agent_add_stream(t->agent, 1);
    if (cfg->port_min)
        nice_agent_set_port_range(t->agent, t->stream, COMPONENT, cfg->port_min, cfg->port_max);
    uint32_t consent =
        cfg->consent_timeout_ms ? cfg->consent_timeout_ms : ICE_DEFAULT_CONSENT_TIMEOUT_MS;
    uint32_t conn =
        cfg->connect_timeout_ms ? cfg->connect_timeout_ms : ICE_DEFAULT_CONNECT_TIMEOUT_MS;
    ice_watch_init(&t->watch, (int64_t)conn * 1000, (int64_t)consent * 1000);
    t->timer = g_source_new(&timer_funcs, sizeof(GSource));
    g_source_set_callback(t->timer, on_timer, t, NULL);
    g_source_attach(t->timer, ctx);
    connect_signals(t);
    err = t->stream ? copy_local_credentials(t) : -EINVAL;
    if (err) {
        ice_free(t);
        return err;
    }
    *out = t;
    return 0;
}

int ice_gather(struct ice *t)
{
    if (!t || t->dead || t->gathered)
        return -EINVAL;
    t->gathered = true;
    enter(t);
    gboolean ok = nice_agent_gather_candidates(t->agent, t->stream);
    if (leave(t))
        return -ECANCELED;
    return ok ? 0 : -EADDRINUSE;
}

const char *ice_local_ufrag(const struct ice *t)
{
    return t->ufrag;
}

const char *ice_local_pwd(const struct ice *t)
{
    return t->pwd;
}

int ice_local_candidates(struct ice *t, ice_candidate_fn fn, void *arg)
{
    if (!t || !fn || t->dead)
        return -EINVAL;
    GSList *list = nice_agent_get_local_candidates(t->agent, t->stream, COMPONENT);
    for (GSList *i = list; i; i = i->next) {
        NiceCandidate *c = i->data;
        if (c->type != NICE_CANDIDATE_TYPE_HOST)
            continue;
        gchar *line = nice_agent_generate_local_candidate_sdp(t->agent, c);
        if (line)
            fn(arg, line);
        g_free(line);
    }
    g_slist_free_full(list, (GDestroyNotify)nice_candidate_free);
    return 0;
}

int ice_set_remote_credentials(struct ice *t, const char *ufrag, const char *pwd)
{
    if (!t || t->dead || t->have_remote_creds)
        return -EINVAL;
    if (!ice_sdp_valid_ufrag(ufrag) || !ice_sdp_valid_pwd(pwd))
        return -EBADMSG;
    t->have_remote_creds = true;
    enter(t);
    gboolean ok = nice_agent_set_remote_credentials(t->agent, t->stream, ufrag, pwd);
    if (ok && !t->dead) {
        ice_watch_start(&t->watch, g_get_monotonic_time());
        rearm(t);
    }
    if (leave(t))
        return -ECANCELED;
    return ok ? 0 : -EINVAL;
}

/* Hand one checked candidate to libnice, in the "a=candidate:" form its
 * parser wants. */
static int add_candidate(struct ice *t, const struct ice_sdp_cand *c)
{
    char line[ICE_SDP_CAND_MAX + 3];
    snprintf(line, sizeof line, "a=%.*s", (int)c->body_len, c->body);
    NiceCandidate *nc = nice_agent_parse_remote_candidate_sdp(t->agent, t->stream, line);
    if (!nc) { /* e.g. a host name where libnice wants an IP address */
        t->stats.cand_rejected++;
        return -EBADMSG;
    }
    GSList one = {.data = nc, .next = NULL};
    enter(t);
    int n = nice_agent_set_remote_candidates(t->agent, t->stream, COMPONENT, &one);
    nice_candidate_free(nc);
    if (leave(t))
        return -ECANCELED;
    return n < 0 ? -EINVAL : 0;
}

int ice_add_remote_candidate(struct ice *t, const char *line)
{
    struct ice_sdp_cand c;
    if (!t || t->dead)
        return -EINVAL;
    int r = ice_sdp_parse_candidate(line, &c);
    if (r == ICE_SDP_END_OF_CANDIDATES)
        return ice_remote_candidates_done(t);
    if (r < 0) {
        t->stats.cand_rejected++;
        return r;
    }
    if (!c.udp || c.component != COMPONENT || c.mdns) {
        t->stats.cand_rejected++;
        return -EPROTONOSUPPORT;
    }
    if (!t->have_remote_creds)
        return -EINVAL;
    if (terminal(t->state))
        return -ENOTCONN;
    return add_candidate(t, &c);
}

int ice_remote_candidates_done(struct ice *t)
{
    if (!t || t->dead)
        return -EINVAL;
    if (!t->trickle)
        return 0; /* without trickle every candidate came with the SDP */
    enter(t);
    nice_agent_peer_candidate_gathering_done(t->agent, t->stream);
    return leave(t) ? -ECANCELED : 0;
}

static int send_error(GError *err)
{
    int r = -EIO;
    if (err && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        r = -EAGAIN;
    else if (err && g_error_matches(err, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        r = -EMSGSIZE;
    else if (!err)
        r = -EAGAIN; /* nothing sent, nothing said: the socket is full */
    g_clear_error(&err);
    return r;
}

int ice_send(struct ice *t, const uint8_t *p, size_t n)
{
    if (!t || !p || n == 0 || t->dead)
        return -EINVAL;
    int r = 0;
    if (n > ICE_MAX_DATAGRAM)
        r = -EMSGSIZE;
    else if (!connected(t->state))
        r = -ENOTCONN;
    if (r == 0) {
        GOutputVector vec = {.buffer = p, .size = n};
        NiceOutputMessage msg = {.buffers = &vec, .n_buffers = 1};
        GError *err = NULL;
        gint sent = nice_agent_send_messages_nonblocking(t->agent, t->stream, COMPONENT, &msg, 1,
                                                         NULL, &err);
        r = sent == 1 ? 0 : send_error(err);
    }
    if (r < 0) {
        t->stats.tx_errors++;
        return r;
    }
    t->stats.tx_packets++;
    t->stats.tx_bytes += n;
    return 0;
}

enum ice_state ice_get_state(const struct ice *t)
{
    return t->state;
}

const char *ice_state_name(enum ice_state state)
{
    static const char *const names[] = {
        [ICE_STATE_NEW] = "new",           [ICE_STATE_GATHERING] = "gathering",
        [ICE_STATE_CHECKING] = "checking", [ICE_STATE_CONNECTED] = "connected",
        [ICE_STATE_READY] = "ready",       [ICE_STATE_FAILED] = "failed",
        [ICE_STATE_GONE] = "gone",
    };
    if ((unsigned)state >= sizeof names / sizeof names[0])
        return "?";
    return names[state];
}

void ice_get_stats(const struct ice *t, struct ice_stats *out)
{
    *out = t->stats;
}

static void ice_free(struct ice *t)
{
    drop_probe(t);
    g_source_destroy(t->timer);
    g_source_unref(t->timer);
    g_signal_handlers_disconnect_by_data(t->agent, t);
    if (t->stream) {
        nice_agent_attach_recv(t->agent, t->stream, COMPONENT, t->ctx, NULL, NULL);
        nice_agent_remove_stream(t->agent, t->stream);
    }
    g_object_unref(t->agent);
    g_main_context_unref(t->ctx);
    mem_free(t);
}

void ice_destroy(struct ice *t)
{
    if (!t)
        return;
    if (t->depth > 0) {
        /* Inside one of our callbacks: silence it now, free on the way out. */
        t->dead = true;
        memset(&t->cb, 0, sizeof t->cb);
        ice_watch_stop(&t->watch);
        return;
    }
    ice_free(t);
}
