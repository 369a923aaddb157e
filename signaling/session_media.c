#include "signaling/session_media.h"

#include <errno.h>
#include <string.h>

#include "signaling/app.h"
#include "signaling/conn.h"
#include "signaling/request.h"
#include "signaling/roster.h"

static void on_published(struct app *app, struct participant *p, json_t *ref, json_t *reply)
{
    (void)app;
    const char *sdp = json_string_value(json_object_get(reply, "sdp"));
    if (!request_ok(reply) || !sdp) {
        request_error(p->conn, reply, ref);
        return;
    }
    json_t *msg = json_pack("{s:s, s:s}", "type", "publish_answer", "sdp", sdp);
    if (msg && ref)
        json_object_set(msg, "ref", ref);
    conn_send(p->conn, msg);
}

/* Replies that carry nothing for the client but a possible error. */
static void on_done(struct app *app, struct participant *p, json_t *ref, json_t *reply)
{
    (void)app;
    if (!request_ok(reply))
        request_error(p->conn, reply, ref);
}

static json_t *build(const char *type, const char *pid, json_t *msg, request_fn *fn)
{
    const char *sdp = json_string_value(json_object_get(msg, "sdp"));
    *fn = on_done;
    if (strcmp(type, "publish") == 0) {
        *fn = on_published;
        return json_pack("{s:s, s:s, s:s}", "op", "publish", "participant", pid, "sdp", sdp);
    }
    if (strcmp(type, "subscribe") == 0)
        return json_pack("{s:s, s:s}", "op", "subscribe", "participant", pid);
    if (strcmp(type, "subscribe_answer") == 0)
        return json_pack("{s:s, s:s, s:s}", "op", "subscribe_answer", "participant", pid, "sdp",
                         sdp);
    if (strcmp(type, "candidate") == 0)
        return json_pack("{s:s, s:s, s:O, s:O}", "op", "candidate", "participant", pid, "pc",
                         json_object_get(msg, "pc"), "candidate",
                         json_object_get(msg, "candidate"));
    return NULL;
}

void session_media_handle(struct conn *c, const char *type, json_t *msg, json_t *ref)
{
    request_fn fn;
    json_t *req = build(type, c->pid, msg, &fn);
    if (!req) {
        conn_error(c, ERRCODE_INTERNAL, "cannot build the request", ref);
        return;
    }
    int rc = request_send(c->app, c->pid, ref, req, fn);
    if (rc == 0)
        return;
    if (rc == -ENOTCONN)
        app_count_drop(c->app, METRICS_DROP_SFU_DOWN);
    conn_error(c, ERRCODE_INTERNAL,
               rc == -ENOTCONN ? "the media bridge is not reachable" : "out of memory", ref);
}
