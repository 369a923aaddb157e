/* http — the plain HTTP routes of the signaling vhost:
 *
 *   GET /healthz        200 "ok" once the sfu link is up, 503 before
 *   GET /metrics        Prometheus text (metrics.h), with the sfu's stats
 *   /admin/...          the admin REST API (admin.h)
 *   GET /ws             426 without a WebSocket upgrade
 *   GET anything else   a file of signaling.web_root (web_path.h), index.html
 *                       for "/", 404 for anything refused or missing
 *
 * Other methods get 405. struct http_pss lives in the connection's lws
 * per-session data; http_on_closed() must run when the connection closes.
 * The functions return what the lws callback returns: 0, or -1 to close.
 */
#ifndef CAU_HTTP_H
#define CAU_HTTP_H

#include <stdbool.h>

struct app;
struct lws;
struct http_reply;

struct http_pss {
    struct http_reply *reply; /* the response waiting to be written */
    bool body_wait;           /* a POST whose body is still coming */
    int method;               /* LWSHUMETH_* */
    char uri[256];
};

int http_on_request(struct app *app, struct lws *wsi, struct http_pss *h, const char *uri);
int http_on_body_done(struct app *app, struct lws *wsi, struct http_pss *h);
int http_on_writable(struct http_pss *h);
void http_on_closed(struct http_pss *h);

#endif
