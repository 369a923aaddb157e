#include "signaling/session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "signaling/app.h"
#include "signaling/conn.h"
#include "signaling/core/client_msgs.h"
#include "signaling/jwt.h"
#include "signaling/presence.h"
#include "signaling/request.h"
#include "signaling/roster.h"
#include "signaling/session_media.h"
#include "signaling/sfu_link.h"

static void on_added(struct app *app, struct participant *p, json_t *ref, json_t *reply)
{
    struct conn *c = p->conn;
    if (!request_ok(reply)) {
        roster_remove(app->roster, p);
        c->state = CONN_NEW;
        c->pid[0] = '\0';
        request_error(c, reply, ref);
        return;
    }
    p->joined = true;
    c->state = CONN_JOINED;
    presence_joined(app, p, ref);
}

/* The token's claims, or an error sent (and false). */
static bool check_token(struct conn *c, const char *token, json_t *ref, struct jwt_claims *cl)
{
    const struct cau_config *cfg = &c->app->cfg;
    int rc = jwt_verify(cfg->signaling.token_secret, strlen(cfg->signaling.token_secret), token,
                        app_now_s(), cl);
    if (rc == -ETIMEDOUT)
        conn_error(c, ERRCODE_EXPIRED_TOKEN, "the token has expired", ref);
    else if (rc == -EACCES)
        conn_error(c, ERRCODE_BAD_TOKEN, "the token's signature does not verify", ref);
    else if (rc == -ENOMEM)
        conn_error(c, ERRCODE_INTERNAL, "out of memory", ref);
    else if (rc)
        conn_error(c, ERRCODE_BAD_TOKEN, "malformed token", ref);
    else if (!jwt_role_valid(cl->role))
        conn_error(c, ERRCODE_BAD_TOKEN, "unknown role", ref);
    else if (!config_find_room(cfg, cl->room))
        conn_error(c, ERRCODE_NO_SUCH_ROOM, "the token names a room that does not exist", ref);
    else
        return true;
    return false;
}

static void join(struct conn *c, json_t *msg, json_t *ref)
{
    struct app *app = c->app;
    struct jwt_claims cl;
    if (!check_token(c, json_string_value(json_object_get(msg, "token")), ref, &cl))
        return;
    if (!sfu_link_is_up(app->link)) {
        app_count_drop(app, METRICS_DROP_SFU_DOWN);
        conn_error(c, ERRCODE_INTERNAL, "the media bridge is not reachable", ref);
        return;
    }
    struct participant *p = roster_add(app->roster, cl.room, cl.name, cl.role, c);
    if (!p) {
        conn_error(c, ERRCODE_INTERNAL, "out of memory", ref);
        return;
    }
    json_t *req = json_pack("{s:s, s:s, s:s, s:s, s:s}", "op", "participant_add", "room", p->room,
                            "participant", p->id, "name", p->name, "role", p->role);
    if (request_send(app, p->id, ref, req, on_added) != 0) {
        roster_remove(app->roster, p);
        conn_error(c, ERRCODE_INTERNAL, "the media bridge is not reachable", ref);
        return;
    }
    c->state = CONN_JOINING;
    snprintf(c->pid, sizeof c->pid, "%s", p->id);
}

static void leave(struct conn *c)
{
    struct participant *p = roster_get(c->app->roster, c->pid);
    if (p)
        presence_remove(c->app, p, "left", PRESENCE_KEEP);
    c->state = CONN_NEW;
    c->pid[0] = '\0';
}

/* The client's ref of a message that failed validation, if it is usable. */
static json_t *peek_ref(const char *text, size_t len)
{
    json_t *ref = schema_peek(text, len, "ref");
    bool ok = json_is_number(ref) ||
              (json_is_string(ref) && json_string_length(ref) <= CLIENT_MSGS_REF_MAX);
    if (!ok) {
        json_decref(ref);
        return NULL;
    }
    return ref;
}

static void refuse(struct conn *c, enum errcode code, const char *message, json_t *ref)
{
    app_count_drop(c->app, METRICS_DROP_INVALID);
    conn_error(c, code, message, ref);
}

static void dispatch(struct conn *c, const char *type, json_t *msg, json_t *ref)
{
    if (strcmp(type, "join") == 0) {
        if (c->state != CONN_NEW)
            refuse(c, ERRCODE_ALREADY_JOINED, "this connection has joined already", ref);
        else
            join(c, msg, ref);
    } else if (c->state != CONN_JOINED) {
        refuse(c, ERRCODE_NOT_JOINED, "join first", ref);
    } else if (strcmp(type, "leave") == 0) {
        leave(c);
    } else {
        session_media_handle(c, type, msg, ref);
    }
}

void session_on_message(struct conn *c, const char *text, size_t len)
{
    char err[256];
    json_t *msg = NULL;
    const struct schema_msg *which = NULL;
    enum schema_result r = schema_parse(text, len, "type", client_msgs, client_msgs_count, &msg,
                                        &which, err, sizeof err);
    if (r != SCHEMA_OK) {
        json_t *ref = peek_ref(text, len);
        enum errcode code = errcode_from_name(client_error_code(r));
        refuse(c, code == ERRCODE_COUNT ? ERRCODE_BAD_JSON : code, err, ref);
        json_decref(ref);
        return;
    }
    dispatch(c, which->type, msg, json_object_get(msg, "ref"));
    json_decref(msg);
}

void session_on_close(struct conn *c)
{
    struct participant *p = c->pid[0] ? roster_get(c->app->roster, c->pid) : NULL;
    if (p)
        presence_remove(c->app, p, "gone", PRESENCE_KEEP);
    c->state = CONN_NEW;
    c->pid[0] = '\0';
}
