#define _XOPEN_SOURCE 700 /* realpath() */
#include "signaling/http.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libwebsockets.h>

#include "media/core/mem.h"
#include "signaling/admin.h"
#include "signaling/app.h"
#include "signaling/http_reply.h"
#include "signaling/metrics.h"
#include "signaling/request.h"
#include "signaling/sfu_link.h"
#include "signaling/web_path.h"

#define METRICS_TEXT_MAX (32 * 1024)

struct metrics_job {
    struct app *app;
    struct http_reply *reply;
};

static void send_metrics(struct app *app, struct http_reply *r, const json_t *stats)
{
    struct metrics m;
    app_metrics(app, &m);
    if (stats && request_ok(stats) && metrics_sfu_from_stats(stats, &m.sfu) != 0)
        fprintf(stderr, "signaling: sfu stats reply without the documented shape\n");
    char *text = mem_alloc(METRICS_TEXT_MAX);
    size_t len = 0;
    if (!text || metrics_format(&m, text, METRICS_TEXT_MAX, &len) != 0)
        http_reply_text(r, 500, "metrics unavailable");
    else
        http_reply_set(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
    mem_free(text);
}

static void on_stats(void *arg, json_t *reply)
{
    struct metrics_job *job = arg;
    send_metrics(job->app, job->reply, reply);
    mem_free(job);
}

static void metrics(struct app *app, struct http_reply *r)
{
    struct metrics_job *job = mem_zalloc(sizeof *job);
    if (job) {
        *job = (struct metrics_job){.app = app, .reply = r};
        json_t *req = json_pack("{s:s}", "op", "stats");
        if (sfu_link_request(app->link, req, on_stats, job) == 0)
            return; /* answered in on_stats */
        mem_free(job);
    }
    send_metrics(app, r, NULL);
}

/* A file of the web root; 0, or -1 to close. */
static int serve_file(struct app *app, struct lws *wsi, struct http_pss *h)
{
    char path[PATH_MAX], real[PATH_MAX];
    struct stat st;
    if (web_path_resolve(app->web_root, h->uri, path, sizeof path) != 0 || !realpath(path, real) ||
        !web_path_inside(app->web_root, real) || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        http_reply_text(h->reply, 404, "not found");
        return 0;
    }
    mem_free(h->reply); /* not needed: lws writes the file */
    h->reply = NULL;
    int n = lws_serve_http_file(wsi, real, web_path_mime(real), NULL, 0);
    if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
        return -1;
    return 0;
}

static int route(struct app *app, struct lws *wsi, struct http_pss *h)
{
    struct http_reply *r = h->reply;
    if (strncmp(h->uri, "/admin/", 7) == 0 || strcmp(h->uri, "/admin") == 0) {
        admin_route(app, wsi, h->method, h->uri, r);
        return 0;
    }
    if (h->method != LWSHUMETH_GET) {
        r->extra = "Allow: GET";
        http_reply_text(r, 405, "method not allowed");
    } else if (strcmp(h->uri, "/healthz") == 0) {
        if (sfu_link_is_up(app->link))
            http_reply_text(r, 200, "ok");
        else
            http_reply_text(r, 503, "sfu not connected");
    } else if (strcmp(h->uri, "/metrics") == 0) {
        metrics(app, r);
    } else if (strcmp(h->uri, "/ws") == 0) {
        http_reply_text(r, 426, "WebSocket upgrade required");
    } else {
        return serve_file(app, wsi, h);
    }
    return 0;
}

static bool has_body(struct lws *wsi)
{
    char len[32];
    if (lws_hdr_copy(wsi, len, sizeof len, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
        return false;
    return strtoull(len, NULL, 10) > 0;
}

int http_on_request(struct app *app, struct lws *wsi, struct http_pss *h, const char *uri)
{
    http_on_closed(h); /* a keep-alive connection's previous reply, if any */
    char *method_uri = NULL;
    int ulen = 0;
    h->method = lws_http_get_uri_and_method(wsi, &method_uri, &ulen);
    snprintf(h->uri, sizeof h->uri, "%s", uri ? uri : "/");
    h->reply = http_reply_new(wsi);
    if (!h->reply)
        return -1;
    /* lws 4.1 keeps a POST's connection open after the reply whatever the
     * client asked: close it after anything but a GET. */
    h->reply->close = h->method != LWSHUMETH_GET;
    if (h->method == LWSHUMETH_POST && has_body(wsi)) {
        h->body_wait = true; /* routed once the body has arrived */
        return 0;
    }
    return route(app, wsi, h);
}

int http_on_body_done(struct app *app, struct lws *wsi, struct http_pss *h)
{
    if (!h->body_wait || !h->reply)
        return 0;
    h->body_wait = false;
    return route(app, wsi, h);
}

int http_on_writable(struct http_pss *h)
{
    struct http_reply *r = h->reply;
    if (!r || !r->ready)
        return 0;
    h->reply = NULL;
    return http_reply_write(r);
}

void http_on_closed(struct http_pss *h)
{
    http_reply_orphan(h->reply);
    h->reply = NULL;
    h->body_wait = false;
}
