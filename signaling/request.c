#include "signaling/request.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/mem.h"
#include "signaling/app.h"
#include "signaling/conn.h"
#include "signaling/roster.h"
#include "signaling/sfu_link.h"

struct request {
    struct app *app;
    char pid[ROSTER_ID_MAX];
    json_t *ref;
    request_fn fn;
};

static void on_reply(void *arg, json_t *reply)
{
    struct request *rq = arg;
    struct participant *p = roster_get(rq->app->roster, rq->pid);
    if (p)
        rq->fn(rq->app, p, rq->ref, reply);
    else
        app_count_drop(rq->app, METRICS_DROP_UNROUTED);
    json_decref(rq->ref);
    mem_free(rq);
}

int request_send(struct app *app, const char *pid, json_t *ref, json_t *req, request_fn fn)
{
    struct request *rq = mem_zalloc(sizeof *rq);
    if (!rq) {
        json_decref(req);
        return -ENOMEM;
    }
    rq->app = app;
    snprintf(rq->pid, sizeof rq->pid, "%s", pid);
    rq->ref = json_incref(ref);
    rq->fn = fn;
    int rc = sfu_link_request(app->link, req, on_reply, rq);
    if (rc) {
        json_decref(rq->ref);
        mem_free(rq);
    }
    return rc;
}

static const char *error_field(const json_t *reply, const char *key)
{
    const char *s = json_string_value(json_object_get(json_object_get(reply, "error"), key));
    return s ? s : "";
}

static void on_forgotten(void *arg, json_t *reply)
{
    const char *op = arg;
    /* Closing a room the sfu does not have is how every (re)connection
     * starts (sfu_events.c): not worth a line. */
    if (strcmp(op, "room_close") == 0 && strcmp(error_field(reply, "code"), "no_such_room") == 0)
        return;
    if (!request_ok(reply))
        fprintf(stderr, "signaling: sfu refused %s: %s %s\n", op, error_field(reply, "code"),
                error_field(reply, "message"));
}

void request_forget(struct app *app, json_t *req)
{
    /* The op names are static strings of the callers; keep one alive. */
    const char *op = json_string_value(json_object_get(req, "op"));
    static const char *const ops[] = {"participant_remove", "room_open", "room_close"};
    const char *name = "request";
    for (size_t i = 0; op && i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(op, ops[i]) == 0)
            name = ops[i];
    if (sfu_link_request(app->link, req, on_forgotten, (void *)name) == -ENOTCONN)
        app_count_drop(app, METRICS_DROP_SFU_DOWN);
}

bool request_ok(const json_t *reply)
{
    return json_is_true(json_object_get(reply, "ok"));
}

void request_error(struct conn *c, const json_t *reply, json_t *ref)
{
    const char *code = error_field(reply, "code");
    const char *message = error_field(reply, "message");
    enum errcode e = strcmp(code, "sdp_rejected") == 0 ? ERRCODE_SDP_REJECTED : ERRCODE_INTERNAL;
    char text[512];
    if (e == ERRCODE_INTERNAL && *code)
        snprintf(text, sizeof text, "%s: %s", code, message);
    else
        snprintf(text, sizeof text, "%s", message);
    conn_error(c, e, text, ref);
}
