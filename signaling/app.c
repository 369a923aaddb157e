#define _XOPEN_SOURCE 700 /* realpath() */
#include "signaling/app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signaling/conn.h"
#include "signaling/linger.h"
#include "signaling/request.h"
#include "signaling/roster.h"
#include "signaling/server.h"
#include "signaling/sfu_events.h"
#include "signaling/sfu_link.h"

#define SWEEP_MS 500

int64_t app_now_s(void)
{
    return g_get_real_time() / G_USEC_PER_SEC;
}

int64_t app_mono_us(void)
{
    return g_get_monotonic_time();
}

void app_count_error(struct app *app, enum errcode code)
{
    if ((unsigned)code < ERRCODE_COUNT)
        app->ws_errors[code]++;
}

void app_count_drop(struct app *app, enum metrics_drop why)
{
    if ((unsigned)why < METRICS_DROP_COUNT)
        app->drops[why]++;
}

void app_metrics(const struct app *app, struct metrics *m)
{
    memset(m, 0, sizeof *m);
    m->rooms = roster_count_rooms(app->roster);
    m->participants = roster_count_joined(app->roster);
    m->connections = g_hash_table_size(app->conns);
    memcpy(m->ws_errors, app->ws_errors, sizeof m->ws_errors);
    memcpy(m->drops, app->drops, sizeof m->drops);
    m->sfu.up = sfu_link_is_up(app->link);
}

static gboolean on_sweep(gpointer data)
{
    struct app *app = data;
    int64_t now = app_mono_us();
    GHashTableIter it;
    gpointer c;
    g_hash_table_iter_init(&it, app->conns);
    while (g_hash_table_iter_next(&it, &c, NULL))
        conn_tick(c, now); /* never frees: a dropped conn closes later */
    return G_SOURCE_CONTINUE;
}

int app_start(struct app *app, const struct cau_config *cfg, GMainLoop *loop)
{
    memset(app, 0, sizeof *app);
    app->cfg = *cfg;
    app->loop = loop;
    if (!realpath(cfg->signaling.web_root, app->web_root)) {
        fprintf(stderr, "signaling: signaling.web_root: %s: %s\n", cfg->signaling.web_root,
                strerror(errno));
        return -1;
    }
    app->conns = g_hash_table_new(g_direct_hash, g_direct_equal);
    app->roster = roster_new();
    /* A remote sfu over TCP (with the hello), else the local Unix socket. */
    if (cfg->sfu.control_tcp[0])
        app->link =
            sfu_link_new_tcp(cfg->sfu.control_tcp, cfg->sfu.control_secret, &sfu_events_ops, app);
    else
        app->link = sfu_link_new(cfg->sfu.control_socket, &sfu_events_ops, app);
    if (!app->roster || !app->link || server_start(app) != 0) {
        app_stop(app);
        return -1;
    }
    app->sweep = g_timeout_add(SWEEP_MS, on_sweep, app);
    return 0;
}

/* Tells the sfu every participant is gone and forgets them, so that closing
 * the sockets broadcasts nothing. */
static void forget_participants(struct app *app)
{
    GPtrArray *all = roster_all(app->roster);
    for (guint i = 0; i < all->len; i++) {
        struct participant *p = g_ptr_array_index(all, i);
        request_forget(app,
                       json_pack("{s:s, s:s}", "op", "participant_remove", "participant", p->id));
        p->conn->state = CONN_NEW;
        p->conn->pid[0] = '\0';
        roster_remove(app->roster, p);
    }
    g_ptr_array_unref(all);
}

void app_stop(struct app *app)
{
    if (app->sweep)
        g_source_remove(app->sweep);
    app->sweep = 0;
    if (app->roster)
        forget_participants(app);
    server_stop(app);
    linger_stop_all();
    sfu_link_free(app->link);
    app->link = NULL;
    roster_free(app->roster);
    app->roster = NULL;
    if (app->conns)
        g_hash_table_destroy(app->conns);
    app->conns = NULL;
}
