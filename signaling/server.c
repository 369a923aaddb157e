#include "signaling/server.h"

#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>

#include "signaling/app.h"
#include "signaling/conn.h"
#include "signaling/http.h"

struct pss {
    struct conn *conn; /* the WebSocket, once established */
    struct http_pss http;
};

static bool ws_path_ok(struct lws *wsi)
{
    char uri[64];
    return lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) > 0 && strcmp(uri, "/ws") == 0;
}

static int on_ws(struct app *app, struct lws *wsi, enum lws_callback_reasons reason,
                 struct pss *pss, void *in, size_t len)
{
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return ws_path_ok(wsi) ? 0 : 1;
    case LWS_CALLBACK_ESTABLISHED:
        pss->conn = conn_new(app, wsi);
        return pss->conn ? 0 : -1;
    case LWS_CALLBACK_RECEIVE:
        if (pss->conn)
            conn_receive(pss->conn, in, len);
        return 0;
    case LWS_CALLBACK_RECEIVE_PONG:
        if (pss->conn)
            conn_pong(pss->conn);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return pss->conn ? conn_writable(pss->conn) : 0;
    case LWS_CALLBACK_CLOSED:
        conn_closed(pss->conn);
        pss->conn = NULL;
        return 0;
    default:
        return 0;
    }
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct app *app = lws_context_user(lws_get_context(wsi));
    struct pss *pss = user;
    if (!pss)
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        return http_on_request(app, wsi, &pss->http, in);
    case LWS_CALLBACK_HTTP_BODY:
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return http_on_body_done(app, wsi, &pss->http);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return http_on_writable(&pss->http);
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    case LWS_CALLBACK_CLOSED_HTTP:
        http_on_closed(&pss->http);
        return 0;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
    case LWS_CALLBACK_ESTABLISHED:
    case LWS_CALLBACK_RECEIVE:
    case LWS_CALLBACK_RECEIVE_PONG:
    case LWS_CALLBACK_SERVER_WRITEABLE:
    case LWS_CALLBACK_CLOSED:
        return on_ws(app, wsi, reason, pss, in, len);
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols protocols[] = {
    {"cau", callback, sizeof(struct pss), 16384, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

int server_start(struct app *app)
{
    static void *loops[1];
    loops[0] = app->loop;
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.options = LWS_SERVER_OPTION_GLIB | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    if (!strchr(app->cfg.signaling.listen, ':'))
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    info.foreign_loops = loops;
    info.user = app;
    lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
    app->lws = lws_create_context(&info);
    if (!app->lws) {
        fprintf(stderr, "signaling: cannot create the lws context (glib event library?)\n");
        return -1;
    }
    info.vhost_name = "cau";
    info.port = app->cfg.signaling.port;
    info.iface = app->cfg.signaling.listen;
    info.protocols = protocols;
    info.server_string = "cau-signaling";
    app->vhost = lws_create_vhost(app->lws, &info);
    if (!app->vhost) {
        fprintf(stderr, "signaling: cannot listen on %s:%d\n", app->cfg.signaling.listen,
                app->cfg.signaling.port);
        lws_context_destroy(app->lws);
        app->lws = NULL;
        return -1;
    }
    return 0;
}

int server_port(const struct app *app)
{
    return app->vhost ? lws_get_vhost_listen_port(app->vhost) : -1;
}

void server_stop(struct app *app)
{
    if (app->lws)
        lws_context_destroy(app->lws);
    app->lws = NULL;
    app->vhost = NULL;
}
