#include "sfu/sfu.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/mem.h"
#include "sfu/control.h"
#include "sfu/core/control_msgs.h"
#include "sfu/room.h"
#include "sfu/worker.h"
#include "signaling/core/schema.h"

struct room_ref {
    struct room *room;
    struct worker *w;
};

struct sfu {
    struct sfu_options opt;
    GMainContext *main;
    struct control *ctl;
    struct dtls_cert *cert;
    struct worker **workers;
    int nworkers, next;
    GHashTable *rooms; /* room id -> struct room_ref */
    GHashTable *parts; /* participant id -> room id */
    GHashTable *stats; /* room id -> json_t */
};

/* A job for a worker: one request for one room. */
struct job {
    struct room *room;
    uint64_t client;
    json_int_t id;
    json_t *req;
};

json_t *sfu_reply_ok(json_int_t id, json_t *fields)
{
    json_t *r = fields ? fields : json_object();
    json_object_set_new(r, "id", json_integer(id));
    json_object_set_new(r, "ok", json_true());
    return r;
}

json_t *sfu_reply_err(json_int_t id, const char *code, const char *message)
{
    return json_pack("{s:I, s:b, s:{s:s, s:s}}", "id", id, "ok", 0, "error", "code", code,
                     "message", message ? message : "");
}

/* Cross-thread posts: the message travels to the main context. */
struct post {
    struct sfu *s;
    uint64_t client; /* 0: broadcast */
    char room[72];
    json_t *msg;
    int kind; /* 0 reply, 1 event, 2 stats */
};

static gboolean deliver(gpointer data)
{
    struct post *p = data;
    if (p->kind != 2 && !p->s->ctl)
        json_decref(p->msg); /* shutting down (sfu_free): nobody to tell */
    else if (p->kind == 0)
        control_send(p->s->ctl, p->client, p->msg);
    else if (p->kind == 1)
        control_broadcast(p->s->ctl, p->msg);
    else if (g_hash_table_contains(p->s->rooms, p->room))
        g_hash_table_replace(p->s->stats, g_strdup(p->room), p->msg);
    else
        json_decref(p->msg);
    g_free(p);
    return G_SOURCE_REMOVE;
}

static void post(struct sfu *s, int kind, uint64_t client, const char *room, json_t *msg)
{
    if (!msg)
        return;
    struct post *p = g_new0(struct post, 1);
    p->s = s;
    p->kind = kind;
    p->client = client;
    if (room)
        snprintf(p->room, sizeof p->room, "%s", room);
    p->msg = msg;
    g_main_context_invoke(s->main, deliver, p);
}

void sfu_post_reply(struct sfu *s, uint64_t client, json_t *reply)
{
    post(s, 0, client, NULL, reply);
}

void sfu_post_event(struct sfu *s, json_t *event)
{
    post(s, 1, 0, NULL, event);
}

void sfu_post_stats(struct sfu *s, const char *room, json_t *stats)
{
    post(s, 2, 0, room, stats);
}

const struct sfu_options *sfu_options(const struct sfu *s)
{
    return &s->opt;
}

const struct dtls_cert *sfu_cert(const struct sfu *s)
{
    return s->cert;
}

static gboolean run_job(gpointer data)
{
    struct job *j = data;
    room_handle(j->room, j->client, j->id, j->req);
    return G_SOURCE_REMOVE;
}

static void free_job(gpointer data)
{
    struct job *j = data;
    json_decref(j->req);
    g_free(j);
}

/* The worker gets a copy of its own: Jansson's reference count does not
 * order one thread's reads before another's free, so no json_t is shared
 * across threads (ThreadSanitizer found the shared one). */
static void to_room(struct sfu *s, struct room_ref *ref, uint64_t client, json_int_t id,
                    json_t *req)
{
    json_t *copy = json_deep_copy(req);
    if (!copy) {
        control_send(s->ctl, client, sfu_reply_err(id, "internal", "out of memory"));
        return;
    }
    struct job *j = g_new0(struct job, 1);
    j->room = ref->room;
    j->client = client;
    j->id = id;
    j->req = copy;
    worker_call(ref->w, run_job, j, free_job);
}

static void room_open(struct sfu *s, uint64_t client, json_int_t id, json_t *req)
{
    const char *room = json_string_value(json_object_get(req, "room"));
    if (!g_hash_table_contains(s->rooms, room)) {
        struct room_ref *ref = g_new0(struct room_ref, 1);
        ref->w = s->workers[s->next++ % s->nworkers];
        ref->room = room_alloc(s, room, worker_context(ref->w));
        g_hash_table_insert(s->rooms, g_strdup(room), ref);
    }
    control_send(s->ctl, client, sfu_reply_ok(id, NULL));
}

static gboolean free_room_job(gpointer data)
{
    room_free(data);
    return G_SOURCE_REMOVE;
}

static void room_close(struct sfu *s, uint64_t client, json_int_t id, json_t *req)
{
    const char *room = json_string_value(json_object_get(req, "room"));
    struct room_ref *ref = g_hash_table_lookup(s->rooms, room);
    if (!ref) {
        control_send(s->ctl, client, sfu_reply_err(id, "no_such_room", room));
        return;
    }
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->parts);
    while (g_hash_table_iter_next(&it, &k, &v))
        if (strcmp(v, room) == 0)
            g_hash_table_iter_remove(&it);
    worker_call(ref->w, free_room_job, ref->room, NULL);
    g_hash_table_remove(s->stats, room);
    g_hash_table_remove(s->rooms, room);
    control_send(s->ctl, client, sfu_reply_ok(id, NULL));
}

static json_t *stats_reply(struct sfu *s, json_int_t id)
{
    json_t *rooms = json_array();
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->stats);
    while (g_hash_table_iter_next(&it, &k, &v))
        json_array_append(rooms, v);
    return sfu_reply_ok(id, json_pack("{s:o, s:{s:I}}", "rooms", rooms, "control", "unauthorized",
                                      (json_int_t)control_unauthorized(s->ctl)));
}

/* Requests about one participant go to the worker of its room. */
static void participant_op(struct sfu *s, uint64_t client, json_int_t id, const char *op,
                           json_t *req)
{
    const char *pid = json_string_value(json_object_get(req, "participant"));
    const char *room = NULL;
    if (strcmp(op, "participant_add") == 0) {
        room = json_string_value(json_object_get(req, "room"));
        if (!g_hash_table_contains(s->rooms, room)) {
            control_send(s->ctl, client, sfu_reply_err(id, "no_such_room", room));
            return;
        }
        g_hash_table_replace(s->parts, g_strdup(pid), g_strdup(room));
    } else {
        room = g_hash_table_lookup(s->parts, pid);
    }
    struct room_ref *ref = room ? g_hash_table_lookup(s->rooms, room) : NULL;
    if (!ref) {
        control_send(s->ctl, client, sfu_reply_err(id, "no_such_participant", pid));
        return;
    }
    to_room(s, ref, client, id, req);
    if (strcmp(op, "participant_remove") == 0)
        g_hash_table_remove(s->parts, pid);
}

static void on_line(void *arg, uint64_t client, const char *text, size_t len)
{
    struct sfu *s = arg;
    json_t *req = NULL;
    const struct schema_msg *which;
    char err[200];
    enum schema_result r = schema_parse(text, len, "op", control_msgs, control_msgs_count, &req,
                                        &which, err, sizeof err);
    json_int_t id = req ? json_integer_value(json_object_get(req, "id")) : 0;
    if (r != SCHEMA_OK && !req) {
        /* Answer with the request's id when one can be read at all. */
        json_t *any = json_loadb(text, len, 0, NULL);
        id = any ? json_integer_value(json_object_get(any, "id")) : 0;
        json_decref(any);
    }
    if (r != SCHEMA_OK) {
        control_send(s->ctl, client, sfu_reply_err(id, "bad_request", err));
        json_decref(req);
        return;
    }
    const char *op = which->type;
    if (strcmp(op, "room_open") == 0)
        room_open(s, client, id, req);
    else if (strcmp(op, "room_close") == 0)
        room_close(s, client, id, req);
    else if (strcmp(op, "stats") == 0)
        control_send(s->ctl, client, stats_reply(s, id));
    else
        participant_op(s, client, id, op, req);
    json_decref(req);
}

static void ref_free(gpointer p)
{
    g_free(p);
}

struct sfu *sfu_new(const struct sfu_options *opt, char *err, size_t errlen)
{
    struct sfu *s = g_new0(struct sfu, 1);
    s->opt = *opt;
    s->main = g_main_context_default();
    s->rooms = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ref_free);
    s->parts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->stats = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_decref);
    if (dtls_cert_create(&s->cert) != 0) {
        snprintf(err, errlen, "cannot make the DTLS certificate");
        sfu_free(s);
        return NULL;
    }
    s->nworkers = opt->workers > 0 ? opt->workers : 1;
    s->workers = g_new0(struct worker *, s->nworkers);
    for (int i = 0; i < s->nworkers; i++) {
        char name[32];
        snprintf(name, sizeof name, "sfu-worker-%d", i);
        if (!(s->workers[i] = worker_start(name))) {
            snprintf(err, errlen, "cannot start worker thread %d", i);
            sfu_free(s);
            return NULL;
        }
    }
    s->ctl = control_listen(opt->control_socket, on_line, s, err, errlen);
    if (s->ctl && opt->control_tcp && opt->control_tcp[0] &&
        control_listen_tcp(s->ctl, opt->control_tcp, opt->control_secret, err, errlen) != 0) {
        control_close(s->ctl);
        s->ctl = NULL;
    }
    if (!s->ctl) {
        sfu_free(s);
        return NULL;
    }
    return s;
}

void sfu_free(struct sfu *s)
{
    if (!s)
        return;
    control_close(s->ctl);
    s->ctl = NULL;
    /* Rooms go first, each on its worker; then the workers stop. */
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->rooms);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        struct room_ref *ref = v;
        worker_call(ref->w, free_room_job, ref->room, NULL);
    }
    for (int i = 0; s->workers && i < s->nworkers; i++)
        worker_stop(s->workers[i]);
    /* Posts the workers made on their way out are dropped with the tables. */
    while (g_main_context_iteration(s->main, FALSE))
        ;
    g_hash_table_destroy(s->rooms);
    g_hash_table_destroy(s->parts);
    g_hash_table_destroy(s->stats);
    g_free(s->workers);
    dtls_cert_free(s->cert);
    g_free(s);
}
