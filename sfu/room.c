#include "sfu/room.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/mem.h"
#include "sfu/peer.h"
#include "sfu/sfu.h"

#define TICK_MS 20
#define REPORT_US 1000000

struct room {
    struct sfu *sfu;
    char id[65];
    GMainContext *ctx;
    GPtrArray *peers;
    GSource *tick;
    int64_t last_report_us;
    struct peer_drops gone; /* what the transports of removed peers dropped */
};

struct sfu *room_sfu(const struct room *r)
{
    return r->sfu;
}

const char *room_id(const struct room *r)
{
    return r->id;
}

GMainContext *room_context(const struct room *r)
{
    return r->ctx;
}

GPtrArray *room_peers(struct room *r)
{
    return r->peers;
}

void room_for_each_peer(struct room *r, void (*fn)(struct peer *q, void *arg), void *arg)
{
    for (guint i = 0; i < r->peers->len; i++)
        fn(g_ptr_array_index(r->peers, i), arg);
}

static json_t *room_stats(struct room *r)
{
    json_t *parts = json_array();
    struct peer_drops drops = r->gone;
    for (guint i = 0; i < r->peers->len; i++) {
        json_array_append_new(parts, peer_stats_json(g_ptr_array_index(r->peers, i)));
        peer_drops_add(g_ptr_array_index(r->peers, i), &drops);
    }
    return json_pack("{s:s, s:o, s:o}", "room", r->id, "participants", parts, "drops",
                     peer_drops_json(&drops));
}

static gboolean on_tick(gpointer data)
{
    struct room *r = data;
    int64_t now = g_get_monotonic_time();
    bool report = now - r->last_report_us >= REPORT_US;
    if (report)
        r->last_report_us = now;
    for (guint i = 0; i < r->peers->len; i++) {
        struct peer *p = g_ptr_array_index(r->peers, i);
        peer_pub_tick(p, now, report);
        peer_sub_tick(p, now, report);
        if (report)
            peer_stats_tick(p, now);
    }
    if (report)
        sfu_post_stats(r->sfu, r->id, room_stats(r));
    return G_SOURCE_CONTINUE;
}

struct room *room_alloc(struct sfu *s, const char *id, GMainContext *ctx)
{
    struct room *r = g_new0(struct room, 1);
    r->sfu = s;
    snprintf(r->id, sizeof r->id, "%s", id);
    r->ctx = ctx;
    r->peers = g_ptr_array_new();
    return r;
}

void room_free(struct room *r)
{
    if (!r)
        return;
    for (guint i = 0; i < r->peers->len; i++)
        peer_free(g_ptr_array_index(r->peers, i));
    g_ptr_array_free(r->peers, TRUE);
    if (r->tick) {
        g_source_destroy(r->tick);
        g_source_unref(r->tick);
    }
    g_free(r);
}

static struct peer *find(struct room *r, const char *id)
{
    for (guint i = 0; id && i < r->peers->len; i++) {
        struct peer *p = g_ptr_array_index(r->peers, i);
        if (strcmp(p->id, id) == 0)
            return p;
    }
    return NULL;
}

static const char *str(json_t *req, const char *key)
{
    return json_string_value(json_object_get(req, key));
}

static json_t *add(struct room *r, json_int_t id, json_t *req)
{
    const char *pid = str(req, "participant");
    if (find(r, pid))
        return sfu_reply_ok(id, NULL); /* idempotent */
    struct peer *p = peer_new(r, pid, str(req, "name"), str(req, "role"));
    if (!p)
        return sfu_reply_err(id, "internal", "out of memory");
    g_ptr_array_add(r->peers, p);
    for (guint i = 0; i < r->peers->len; i++) {
        struct peer *q = g_ptr_array_index(r->peers, i);
        if (q != p && q->pub)
            peer_add_source(p, q);
    }
    return sfu_reply_ok(id, NULL);
}

static json_t *remove_peer(struct room *r, json_int_t id, struct peer *p)
{
    g_ptr_array_remove(r->peers, p);
    peer_drops_add(p, &r->gone);
    for (guint i = 0; i < r->peers->len; i++)
        peer_remove_source(g_ptr_array_index(r->peers, i), p);
    peer_free(p);
    return sfu_reply_ok(id, NULL);
}

static json_t *publish(struct room *r, json_int_t id, struct peer *p, json_t *req)
{
    char err[200] = "";
    char *answer = NULL;
    if (peer_publish(p, str(req, "sdp"), &answer, err, sizeof err) != 0)
        return sfu_reply_err(id, "sdp_rejected", err);
    for (guint i = 0; i < r->peers->len; i++) {
        struct peer *q = g_ptr_array_index(r->peers, i);
        if (q != p)
            peer_add_source(q, p);
    }
    json_t *reply = sfu_reply_ok(id, json_pack("{s:s}", "sdp", answer));
    g_free(answer);
    return reply;
}

static json_t *dispatch(struct room *r, json_int_t id, const char *op, json_t *req)
{
    if (strcmp(op, "participant_add") == 0)
        return add(r, id, req);
    struct peer *p = find(r, str(req, "participant"));
    if (!p)
        return sfu_reply_err(id, "no_such_participant", str(req, "participant"));
    char err[200] = "";
    if (strcmp(op, "participant_remove") == 0)
        return remove_peer(r, id, p);
    if (strcmp(op, "publish") == 0)
        return publish(r, id, p, req);
    if (strcmp(op, "subscribe") == 0)
        return peer_subscribe(p, err, sizeof err) == 0 ? sfu_reply_ok(id, NULL)
                                                       : sfu_reply_err(id, "internal", err);
    if (strcmp(op, "subscribe_answer") == 0)
        return peer_subscribe_answer(p, str(req, "sdp"), err, sizeof err) == 0
                   ? sfu_reply_ok(id, NULL)
                   : sfu_reply_err(id, "sdp_rejected", err);
    if (strcmp(op, "candidate") == 0) {
        bool publish_pc = strcmp(str(req, "pc"), "publish") == 0;
        int rc = peer_candidate(p, publish_pc, str(req, "candidate"));
        return rc == 0 || rc == -EPROTONOSUPPORT ? sfu_reply_ok(id, NULL)
                                                 : sfu_reply_err(id, "bad_request", "candidate");
    }
    return sfu_reply_err(id, "bad_request", op);
}

void room_handle(struct room *r, uint64_t client, json_int_t id, json_t *req)
{
    if (!r->tick) {
        r->tick = g_timeout_source_new(TICK_MS);
        g_source_set_callback(r->tick, on_tick, r, NULL);
        g_source_attach(r->tick, r->ctx);
    }
    json_t *reply = dispatch(r, id, str(req, "op"), req);
    sfu_post_reply(r->sfu, client, reply);
}
