/* meeting — see meeting.h. The signaling side; the two peer connections'
 * plumbing (creation, descriptions, candidates) is in meeting_pc.c. */
#include "media/endpoint/meeting.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/endpoint/meeting_int.h"
#include "media/endpoint/pc_stats_json.h"

void meeting_event(struct meeting *m, json_t *ev)
{
    if (ev && m->cb.on_event)
        m->cb.on_event(m->cb.arg, ev);
    json_decref(ev);
}

void meeting_error(struct meeting *m, const char *what, const char *detail)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
    meeting_event(m, json_pack("{s:s, s:s}", "type", "error", "message", buf));
}

void meeting_send(struct meeting *m, json_t *msg)
{
    int err = sig_client_send(m->sig, msg);
    if (err && err != -ENOTCONN)
        meeting_error(m, "cannot send to the signaling server", strerror(-err));
}

/* The end, with status; the connection's close brings on_end. */
static void fail(struct meeting *m, const char *what, const char *detail)
{
    meeting_error(m, what, detail);
    m->status = 1;
    sig_client_close(m->sig);
}

/* The token's payload, unverified (name_check compares it with joined). */
static json_t *token_claims(const char *token)
{
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2 || dot2 - dot1 - 1 > 8192)
        return NULL;
    size_t n = (size_t)(dot2 - dot1 - 1);
    char b64[8192 + 4];
    for (size_t i = 0; i < n; i++)
        b64[i] = dot1[1 + i] == '-' ? '+' : dot1[1 + i] == '_' ? '/' : dot1[1 + i];
    while (n % 4)
        b64[n++] = '=';
    b64[n] = '\0';
    gsize len = 0;
    guchar *raw = g_base64_decode(b64, &len);
    json_t *claims = raw ? json_loadb((const char *)raw, len, 0, NULL) : NULL;
    g_free(raw);
    return claims;
}

static bool same_str(json_t *a, json_t *b)
{
    return json_is_string(a) && json_is_string(b) &&
           strcmp(json_string_value(a), json_string_value(b)) == 0;
}

static bool name_ok(struct meeting *m, json_t *joined)
{
    json_t *claims = token_claims(m->token);
    json_t *self = json_object_get(joined, "self");
    bool ok = claims && same_str(json_object_get(self, "name"), json_object_get(claims, "name")) &&
              same_str(json_object_get(self, "role"), json_object_get(claims, "role")) &&
              same_str(json_object_get(joined, "room"), json_object_get(claims, "room"));
    json_decref(claims);
    return ok;
}

static void on_joined(struct meeting *m, json_t *msg)
{
    if (m->joined)
        return;
    if (m->name_check && !name_ok(m, msg)) {
        fail(m, "name check", "joined does not match the token's name, role and room");
        return;
    }
    m->joined = true;
    json_decref(m->self);
    m->self = json_incref(json_object_get(msg, "self"));
    json_decref(m->participants);
    m->participants = json_deep_copy(json_object_get(msg, "participants"));
    if (!json_is_array(m->participants)) {
        json_decref(m->participants);
        m->participants = json_array();
    }
    const char *role = json_string_value(json_object_get(m->self, "role"));
    if (!role || strcmp(role, "observer") != 0)
        meeting_pc_publish(m);
    if (m->subscribe)
        meeting_send(m, json_pack("{s:s}", "type", "subscribe"));
}

static void roster_change(struct meeting *m, const char *type, json_t *msg)
{
    if (!m->participants)
        return;
    if (strcmp(type, "participant_joined") == 0) {
        json_t *p = json_object_get(msg, "participant");
        if (json_is_object(p))
            json_array_append(m->participants, p);
        return;
    }
    const char *id = json_string_value(json_object_get(msg, "id"));
    size_t i;
    json_t *p;
    json_array_foreach(m->participants, i, p)
    {
        const char *pid = json_string_value(json_object_get(p, "id"));
        if (id && pid && strcmp(id, pid) == 0) {
            json_array_remove(m->participants, i);
            return;
        }
    }
}

static void on_error_msg(struct meeting *m, json_t *msg)
{
    const char *code = json_string_value(json_object_get(msg, "code"));
    const char *text = json_string_value(json_object_get(msg, "message"));
    meeting_event(m, json_pack("{s:s, s:s, s:s}", "type", "error", "code", code ? code : "",
                               "message", text ? text : ""));
    if (!m->joined) { /* the join failed: the server closes, or we do */
        m->status = 1;
        sig_client_close(m->sig);
    }
}

static void on_message(void *arg, json_t *msg)
{
    struct meeting *m = arg;
    const char *type = json_string_value(json_object_get(msg, "type"));
    const char *sdp = json_string_value(json_object_get(msg, "sdp"));
    if (!type)
        return;
    if (strcmp(type, "joined") == 0) {
        meeting_event(m, json_incref(msg));
        on_joined(m, msg);
    } else if (strcmp(type, "publish_answer") == 0 && sdp) {
        meeting_pc_remote(m, &m->pub, sdp);
    } else if (strcmp(type, "subscribe_offer") == 0 && sdp) {
        meeting_pc_remote(m, &m->sub, sdp);
    } else if (strcmp(type, "candidate") == 0) {
        meeting_pc_candidate(m, json_string_value(json_object_get(msg, "pc")),
                             json_string_value(json_object_get(msg, "candidate")));
    } else if (strcmp(type, "error") == 0) {
        on_error_msg(m, msg);
    } else {
        if (strcmp(type, "participant_joined") == 0 || strcmp(type, "participant_left") == 0)
            roster_change(m, type, msg);
        meeting_event(m, json_incref(msg)); /* tracks, and what may come later */
    }
}

static void on_open(void *arg)
{
    struct meeting *m = arg;
    meeting_send(m, json_pack("{s:s, s:s}", "type", "join", "token", m->token));
}

static void on_closed(void *arg, const char *why)
{
    struct meeting *m = arg;
    meeting_event(m, json_pack("{s:s, s:s}", "type", "closed", "reason", why));
    if (!m->leaving)
        m->status = 1;
    if (m->cb.on_end)
        m->cb.on_end(m->cb.arg, m->status);
}

int meeting_new(struct meeting **out, const struct meeting_config *cfg,
                const struct meeting_callbacks *cb)
{
    if (!out || !cfg || !cfg->url || !cfg->token || !cfg->pc.ctx || !cb)
        return -EINVAL;
    *out = NULL;
    struct meeting *m = mem_zalloc(sizeof *m);
    if (!m)
        return -ENOMEM;
    m->cb = *cb;
    m->pcfg = cfg->pc;
    m->subscribe = cfg->subscribe;
    m->name_check = cfg->name_check;
    m->hold_pub = cfg->hold_publish_candidates;
    m->token = mem_strdup(cfg->token);
    m->pub.m = m->sub.m = m;
    m->pub.name = "publish";
    m->sub.name = "subscribe";
    struct sig_client_callbacks scb = {on_open, on_message, on_closed, m};
    int err = m->token ? sig_client_new(&m->sig, cfg->pc.ctx, cfg->url, &scb) : -ENOMEM;
    if (err) {
        meeting_free(m);
        return err;
    }
    *out = m;
    return 0;
}

void meeting_leave(struct meeting *m)
{
    if (!m || m->leaving)
        return;
    m->leaving = true;
    if (m->joined)
        meeting_send(m, json_pack("{s:s}", "type", "leave"));
    sig_client_close(m->sig);
}

int meeting_add_publish_candidate(struct meeting *m, const char *candidate)
{
    if (!m || !candidate || !m->hold_pub)
        return -EINVAL;
    return meeting_pc_add_candidate(&m->pub, candidate);
}

static json_t *pc_json(struct pc *pc)
{
    if (!pc)
        return json_null();
    json_t *o = pc_stats_json(pc);
    json_object_del(o, "type");
    return o;
}

json_t *meeting_stats_json(struct meeting *m)
{
    json_t *self = m->self ? json_incref(m->self) : json_null();
    json_t *others = m->participants ? json_incref(m->participants) : json_array();
    return json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "type", "stats", "joined", m->joined, "self",
                     self, "participants", others, "publish", pc_json(m->pub.pc), "subscribe",
                     pc_json(m->sub.pc));
}

void meeting_free(struct meeting *m)
{
    if (!m)
        return;
    sig_client_free(m->sig);
    meeting_pc_free(&m->pub);
    meeting_pc_free(&m->sub);
    json_decref(m->self);
    json_decref(m->participants);
    mem_free(m->token);
    mem_free(m);
}
