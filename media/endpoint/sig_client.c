/* sig_client — see sig_client.h. One lws context per client (client only,
 * no listener) on the caller's GMainContext; the client is the context's
 * user data. */
#include "media/endpoint/sig_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "media/core/mem.h"

#define URL_MAX 512
#define WHY_MAX 160

struct out_msg {
    size_t len;
    unsigned char data[]; /* LWS_PRE bytes, then len bytes of text */
};

struct sig_client {
    GMainContext *ctx;
    GMainLoop *loop; /* on ctx: what the glib event library takes */
    void *loops[1];
    struct lws_context *lws;
    struct lws *wsi;
    struct sig_client_callbacks cb;
    GQueue out;
    unsigned char *in;
    size_t in_len, in_cap;
    bool in_bad;
    bool open, closing, ended, freeing;
    GSource *closed_idle;
    char why[WHY_MAX];
    uint64_t bad;
    char url[URL_MAX];
};

static gboolean report_closed(gpointer data)
{
    struct sig_client *sc = data;
    g_source_unref(sc->closed_idle);
    sc->closed_idle = NULL;
    if (sc->cb.on_closed)
        sc->cb.on_closed(sc->cb.arg, sc->why);
    return G_SOURCE_REMOVE;
}

/* The connection is over: once, from an idle source (see the header). */
static void ended(struct sig_client *sc, const char *why)
{
    sc->wsi = NULL;
    sc->open = false;
    if (sc->ended || sc->freeing)
        return;
    sc->ended = true;
    if (!sc->why[0])
        snprintf(sc->why, sizeof sc->why, "%s", why);
    sc->closed_idle = g_idle_source_new();
    g_source_set_callback(sc->closed_idle, report_closed, sc, NULL);
    g_source_attach(sc->closed_idle, sc->ctx);
}

static void deliver(struct sig_client *sc)
{
    json_t *msg = NULL;
    if (!sc->in_bad)
        msg = json_loadb((const char *)sc->in, sc->in_len, JSON_REJECT_DUPLICATES, NULL);
    if (json_is_object(msg) && sc->cb.on_message)
        sc->cb.on_message(sc->cb.arg, msg);
    else if (!json_is_object(msg))
        sc->bad++;
    json_decref(msg);
    sc->in_len = 0;
    sc->in_bad = false;
}

static void receive(struct sig_client *sc, struct lws *wsi, const void *in, size_t len)
{
    if (lws_frame_is_binary(wsi) || sc->in_len + len > SIG_CLIENT_MAX_MESSAGE)
        sc->in_bad = true;
    if (!sc->in_bad && sc->in_len + len > sc->in_cap) {
        size_t cap = sc->in_cap ? sc->in_cap : 4096;
        while (cap < sc->in_len + len)
            cap *= 2;
        unsigned char *p = mem_realloc(sc->in, cap);
        if (p) {
            sc->in = p;
            sc->in_cap = cap;
        } else {
            sc->in_bad = true;
        }
    }
    if (!sc->in_bad && len) {
        memcpy(sc->in + sc->in_len, in, len);
        sc->in_len += len;
    }
    if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi))
        deliver(sc);
}

/* One queued message out; then more, or the close when asked for. */
static int writable(struct sig_client *sc, struct lws *wsi)
{
    struct out_msg *m = g_queue_pop_head(&sc->out);
    if (m) {
        int n = lws_write(wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
        mem_free(m);
        if (n < 0) {
            snprintf(sc->why, sizeof sc->why, "write failed");
            return -1;
        }
    }
    if (!g_queue_is_empty(&sc->out)) {
        lws_callback_on_writable(wsi);
        return 0;
    }
    if (sc->closing) {
        snprintf(sc->why, sizeof sc->why, "closed");
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
        return -1;
    }
    return 0;
}

static void peer_close(struct sig_client *sc, const unsigned char *in, size_t len)
{
    unsigned code = len >= 2 ? (unsigned)(in[0] << 8 | in[1]) : 0;
    int rlen = len > 2 ? (int)(len - 2 > 100 ? 100 : len - 2) : 0;
    snprintf(sc->why, sizeof sc->why, "closed by the server (%u%s%.*s)", code, rlen ? " " : "",
             rlen, rlen ? (const char *)in + 2 : "");
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct sig_client *sc = lws_context_user(lws_get_context(wsi));
    char why[WHY_MAX];
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        sc->open = true;
        if (!g_queue_is_empty(&sc->out) || sc->closing)
            lws_callback_on_writable(wsi);
        if (sc->cb.on_open)
            sc->cb.on_open(sc->cb.arg);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        receive(sc, wsi, in, len);
        return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return writable(sc, wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        peer_close(sc, in, len);
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        snprintf(why, sizeof why, "cannot connect to %.60s: %.70s", sc->url,
                 in ? (const char *)in : "error");
        ended(sc, why);
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        ended(sc, "connection lost");
        return 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols protocols[] = {
    {"cau-client", callback, 0, 16384, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static int start_lws(struct sig_client *sc)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_GLIB;
    sc->loops[0] = sc->loop;
    info.foreign_loops = sc->loops;
    info.user = sc;
    info.gid = -1;
    info.uid = -1;
    lws_set_log_level(LLL_ERR, NULL);
    sc->lws = lws_create_context(&info);
    return sc->lws ? 0 : -EIO;
}

static int connect_to(struct sig_client *sc, const char *url)
{
    char buf[URL_MAX], path[URL_MAX];
    const char *prot, *host, *p;
    int port;
    snprintf(buf, sizeof buf, "%s", url);
    if (lws_parse_uri(buf, &prot, &host, &port, &p) != 0 || strcmp(prot, "ws") != 0 || !*host)
        return -EINVAL;
    snprintf(path, sizeof path, "/%s", p);
    int err = start_lws(sc);
    if (err)
        return err;
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = sc->lws;
    ci.address = host;
    ci.port = port;
    ci.path = path;
    ci.host = host;
    ci.local_protocol_name = protocols[0].name;
    ci.pwsi = &sc->wsi;
    sc->freeing = true; /* no callback for a failure here: it is returned */
    struct lws *wsi = lws_client_connect_via_info(&ci);
    sc->freeing = false;
    return wsi && sc->wsi ? 0 : -EIO;
}

int sig_client_new(struct sig_client **out, GMainContext *ctx, const char *url,
                   const struct sig_client_callbacks *cb)
{
    if (!out || !ctx || !url || !cb || strlen(url) >= URL_MAX || strncmp(url, "ws://", 5) != 0)
        return -EINVAL;
    *out = NULL;
    struct sig_client *sc = mem_zalloc(sizeof *sc);
    if (!sc)
        return -ENOMEM;
    sc->ctx = ctx;
    sc->cb = *cb;
    g_queue_init(&sc->out);
    snprintf(sc->url, sizeof sc->url, "%s", url);
    sc->loop = g_main_loop_new(ctx, FALSE);
    int err = connect_to(sc, url);
    if (err) {
        sig_client_free(sc);
        return err;
    }
    *out = sc;
    return 0;
}

int sig_client_send(struct sig_client *sc, json_t *msg)
{
    if (!sc || !msg) {
        json_decref(msg);
        return sc ? -ENOMEM : -EINVAL;
    }
    if (sc->ended || sc->closing) {
        json_decref(msg);
        return -ENOTCONN;
    }
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!text)
        return -ENOMEM;
    size_t len = strlen(text);
    struct out_msg *m = mem_alloc(sizeof *m + LWS_PRE + len);
    if (!m) {
        free(text);
        return -ENOMEM;
    }
    m->len = len;
    memcpy(m->data + LWS_PRE, text, len);
    free(text);
    g_queue_push_tail(&sc->out, m);
    if (sc->open && sc->wsi)
        lws_callback_on_writable(sc->wsi);
    return 0;
}

void sig_client_close(struct sig_client *sc)
{
    if (!sc || sc->closing || sc->ended)
        return;
    sc->closing = true;
    if (sc->open && sc->wsi)
        lws_callback_on_writable(sc->wsi);
}

void sig_client_free(struct sig_client *sc)
{
    if (!sc)
        return;
    sc->freeing = true;
    if (sc->lws)
        lws_context_destroy(sc->lws);
    if (sc->closed_idle) {
        g_source_destroy(sc->closed_idle);
        g_source_unref(sc->closed_idle);
    }
    struct out_msg *m;
    while ((m = g_queue_pop_head(&sc->out)))
        mem_free(m);
    mem_free(sc->in);
    if (sc->loop)
        g_main_loop_unref(sc->loop);
    mem_free(sc);
}

bool sig_client_is_open(const struct sig_client *sc)
{
    return sc && sc->open && !sc->closing;
}

uint64_t sig_client_bad_messages(const struct sig_client *sc)
{
    return sc ? sc->bad : 0;
}
