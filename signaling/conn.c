#include "signaling/conn.h"

#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>

#include "media/core/mem.h"
#include "signaling/app.h"
#include "signaling/linger.h"
#include "signaling/session.h"

struct conn_frame {
    size_t len;
    unsigned char buf[]; /* LWS_PRE bytes, then len bytes of text */
};

struct conn *conn_new(struct app *app, struct lws *wsi)
{
    struct conn *c = mem_zalloc(sizeof *c);
    if (!c)
        return NULL;
    c->app = app;
    c->wsi = wsi;
    g_queue_init(&c->out);
    c->rx = g_byte_array_new();
    int64_t now = app_mono_us();
    rate_limit_init(&c->rate, (unsigned)app->cfg.signaling.messages_per_second, CONN_RATE_WINDOW_S,
                    now);
    c->last_rx_us = c->ping_us = now;
    g_hash_table_add(app->conns, c);
    return c;
}

void conn_closed(struct conn *c)
{
    if (!c)
        return;
    /* A close of ours (a policy close): the client may still be sending. */
    if (c->closing && c->close_status)
        linger_start(lws_get_socket_fd(c->wsi));
    session_on_close(c);
    g_hash_table_remove(c->app->conns, c);
    struct conn_frame *f;
    while ((f = g_queue_pop_head(&c->out)))
        mem_free(f);
    g_byte_array_unref(c->rx);
    mem_free(c);
}

void conn_kill(struct conn *c)
{
    c->closing = true;
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    /* From outside an lws callback (a GLib timer, an sfu event) lws's glib
     * timer is not re-armed for the new timeout: wake lws so that it runs it. */
    lws_cancel_service(lws_get_context(c->wsi));
}

void conn_send(struct conn *c, json_t *msg)
{
    char *text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    if (!text)
        return;
    size_t len = strlen(text);
    struct conn_frame *f = mem_alloc(sizeof *f + LWS_PRE + len);
    if (f) {
        f->len = len;
        memcpy(f->buf + LWS_PRE, text, len);
    }
    free(text);
    if (!f || c->out_bytes + len > CONN_MAX_BACKLOG) {
        mem_free(f);
        app_count_drop(c->app, METRICS_DROP_SLOW_CLIENT);
        fprintf(stderr, "signaling: client output over its limit; dropped\n");
        conn_kill(c);
        return;
    }
    g_queue_push_tail(&c->out, f);
    c->out_bytes += len;
    lws_callback_on_writable(c->wsi);
}

void conn_error(struct conn *c, enum errcode code, const char *message, json_t *ref)
{
    json_t *msg = json_pack("{s:s, s:s, s:s}", "type", "error", "code", errcode_name(code),
                            "message", message ? message : "");
    if (msg && ref)
        json_object_set(msg, "ref", ref);
    app_count_error(c->app, code);
    conn_send(c, msg);
    if (errcode_closes(code))
        conn_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION, errcode_name(code));
}

void conn_close(struct conn *c, int status, const char *reason)
{
    if (c->closing)
        return;
    c->closing = true;
    c->close_status = status;
    snprintf(c->close_reason, sizeof c->close_reason, "%s", reason ? reason : "");
    lws_callback_on_writable(c->wsi);
}

/* One strike for a dropped message; the tenth of a kind closes. */
static void strike(struct conn *c, enum errcode code, unsigned *count, const char *message)
{
    app_count_drop(c->app,
                   code == ERRCODE_TOO_LARGE ? METRICS_DROP_TOO_LARGE : METRICS_DROP_RATE_LIMITED);
    conn_error(c, code, message, NULL);
    if (++*count >= CONN_MAX_STRIKES)
        conn_close(c,
                   code == ERRCODE_TOO_LARGE ? LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE
                                             : LWS_CLOSE_STATUS_POLICY_VIOLATION,
                   errcode_name(code));
}

static void whole_message(struct conn *c, bool dropped)
{
    char msg[96];
    if (dropped) {
        snprintf(msg, sizeof msg, "message over %d bytes", c->app->cfg.signaling.max_message_bytes);
        strike(c, ERRCODE_TOO_LARGE, &c->too_large, msg);
        return;
    }
    if (!rate_limit_take(&c->rate, app_mono_us())) {
        snprintf(msg, sizeof msg, "over %d messages per second",
                 c->app->cfg.signaling.messages_per_second);
        strike(c, ERRCODE_RATE_LIMITED, &c->rate_limited, msg);
        return;
    }
    session_on_message(c, (const char *)c->rx->data, c->rx->len);
}

void conn_receive(struct conn *c, const void *in, size_t len)
{
    if (c->closing)
        return; /* not traffic either: a closing client that never reads times out */
    c->last_rx_us = app_mono_us();
    size_t max = (size_t)c->app->cfg.signaling.max_message_bytes;
    if (!c->rx_drop && c->rx->len + len > max) {
        c->rx_drop = true;
        g_byte_array_set_size(c->rx, 0);
    }
    if (!c->rx_drop)
        g_byte_array_append(c->rx, in, (guint)len);
    if (!lws_is_final_fragment(c->wsi))
        return;
    bool dropped = c->rx_drop;
    c->rx_drop = false;
    whole_message(c, dropped);
    g_byte_array_set_size(c->rx, 0);
}

void conn_pong(struct conn *c)
{
    c->last_rx_us = app_mono_us();
}

static int write_ping(struct conn *c)
{
    /* With a payload: lws does not report an empty pong (RECEIVE_PONG). */
    unsigned char buf[LWS_PRE + 4];
    memcpy(buf + LWS_PRE, "cau", 4);
    c->ping_due = false;
    return lws_write(c->wsi, buf + LWS_PRE, 4, LWS_WRITE_PING) < 0 ? -1 : 0;
}

int conn_writable(struct conn *c)
{
    if (c->ping_due && !c->closing) {
        if (write_ping(c) < 0)
            return -1;
        if (!g_queue_is_empty(&c->out))
            lws_callback_on_writable(c->wsi);
        return 0;
    }
    struct conn_frame *f = g_queue_pop_head(&c->out);
    if (f) {
        c->out_bytes -= f->len;
        int n = lws_write(c->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
        mem_free(f);
        if (n < 0)
            return -1;
    }
    if (!g_queue_is_empty(&c->out)) {
        lws_callback_on_writable(c->wsi);
    } else if (c->closing) {
        lws_close_reason(c->wsi, (enum lws_close_status)c->close_status,
                         (unsigned char *)c->close_reason, strlen(c->close_reason));
        return -1;
    }
    return 0;
}

void conn_tick(struct conn *c, int64_t now_us)
{
    int64_t timeout = (int64_t)c->app->cfg.signaling.participant_timeout_s * 1000000;
    int64_t idle = now_us - c->last_rx_us;
    if (idle >= timeout) {
        fprintf(stderr, "signaling: client %s silent for %d s; dropped\n",
                c->pid[0] ? c->pid : "(not joined)", c->app->cfg.signaling.participant_timeout_s);
        conn_kill(c);
        return;
    }
    if (idle >= timeout / 3 && now_us - c->ping_us >= timeout / 3 && !c->closing) {
        c->ping_us = now_us;
        c->ping_due = true;
        lws_callback_on_writable(c->wsi);
    }
}
