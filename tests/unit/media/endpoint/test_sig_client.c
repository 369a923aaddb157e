/* sig_client against an in-process libwebsockets server on the same GLib
 * main context (loopback, a port the system picks). The server answers
 * what the client sends:
 *   {"type":"echo"}        the same text back
 *   {"type":"big","n":N}   {"type":"big","pad":"xx.."} of N bytes, in
 *                          fragments of "frag" bytes (0: one frame)
 *   {"type":"junk"}        "not json", a binary frame, "[1,2]", then
 *                          {"type":"after"}
 *   {"type":"bye"}         closes with status 4000 "bye now"
 * and records every text message it gets, and whether the client closed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libwebsockets.h>

#include "media/core/mem.h"
#include "media/endpoint/sig_client.h"
#include "tests/unit/lib/gloop_wait.h"

/* How long a test waits for a condition on the default main context. */
#define WAIT_MS 5000

#define MAX_OUT 8

struct out_frame {
    unsigned char *buf; /* LWS_PRE, then the bytes */
    size_t len;
    enum lws_write_protocol flags;
};

struct server {
    struct lws_context *lws;
    struct lws_vhost *vh;
    GMainLoop *loop;
    void *loops[1];
    int port;
    struct lws *wsi;
    GQueue out; /* struct out_frame */
    GString *rx;
    GPtrArray *got; /* text messages, in order */
    bool client_closed, close_now;
};

struct client {
    struct sig_client *sc;
    bool open;
    int closed;
    char why[200];
    GPtrArray *msgs; /* json_t *, in order */
};

static struct server srv;

static void queue_frame(const void *p, size_t len, enum lws_write_protocol flags)
{
    struct out_frame *f = g_new0(struct out_frame, 1);
    f->buf = g_malloc(LWS_PRE + len + 1);
    memcpy(f->buf + LWS_PRE, p, len);
    f->len = len;
    f->flags = flags;
    g_queue_push_tail(&srv.out, f);
    lws_callback_on_writable(srv.wsi);
}

/* text of n bytes sent in fragments of frag bytes (0: whole) */
static void queue_big(size_t n, size_t frag)
{
    GString *s = g_string_new("{\"type\":\"big\",\"pad\":\"");
    while (s->len < n - 2)
        g_string_append_c(s, (char)('a' + s->len % 26));
    g_string_append(s, "\"}");
    if (!frag)
        frag = s->len;
    for (size_t off = 0; off < s->len; off += frag) {
        size_t k = s->len - off < frag ? s->len - off : frag;
        unsigned flags = off == 0 ? LWS_WRITE_TEXT : LWS_WRITE_CONTINUATION;
        if (off + k < s->len)
            flags |= LWS_WRITE_NO_FIN;
        queue_frame(s->str + off, k, (enum lws_write_protocol)flags);
    }
    g_string_free(s, TRUE);
}

static void server_message(const char *text, size_t len)
{
    g_ptr_array_add(srv.got, g_strndup(text, len));
    json_t *m = json_loadb(text, len, 0, NULL);
    const char *type = json_string_value(json_object_get(m, "type"));
    if (type && strcmp(type, "echo") == 0) {
        queue_frame(text, len, LWS_WRITE_TEXT);
    } else if (type && strcmp(type, "big") == 0) {
        queue_big((size_t)json_integer_value(json_object_get(m, "n")),
                  (size_t)json_integer_value(json_object_get(m, "frag")));
    } else if (type && strcmp(type, "junk") == 0) {
        queue_frame("not json", 8, LWS_WRITE_TEXT);
        queue_frame("\x01\x02{}", 4, LWS_WRITE_BINARY);
        queue_frame("[1,2]", 5, LWS_WRITE_TEXT);
        queue_frame("{\"type\":\"after\"}", 16, LWS_WRITE_TEXT);
    } else if (type && strcmp(type, "bye") == 0) {
        srv.close_now = true;
        lws_callback_on_writable(srv.wsi);
    }
    json_decref(m);
}

static int server_writable(struct lws *wsi)
{
    struct out_frame *f = g_queue_pop_head(&srv.out);
    if (f) {
        int n = lws_write(wsi, f->buf + LWS_PRE, f->len, f->flags);
        g_free(f->buf);
        g_free(f);
        if (n < 0)
            return -1;
        if (!g_queue_is_empty(&srv.out) || srv.close_now)
            lws_callback_on_writable(wsi);
        return 0;
    }
    if (srv.close_now) {
        lws_close_reason(wsi, (enum lws_close_status)4000, (unsigned char *)"bye now", 7);
        return -1;
    }
    return 0;
}

static int server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                     size_t len)
{
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        srv.wsi = wsi;
        return 0;
    case LWS_CALLBACK_RECEIVE:
        g_string_append_len(srv.rx, in, (gssize)len);
        if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
            server_message(srv.rx->str, srv.rx->len);
            g_string_truncate(srv.rx, 0);
        }
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return server_writable(wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        srv.client_closed = true;
        return 0;
    case LWS_CALLBACK_CLOSED: {
        struct out_frame *f;
        while ((f = g_queue_pop_head(&srv.out))) {
            g_free(f->buf);
            g_free(f);
        }
        srv.wsi = NULL;
        srv.close_now = false;
        return 0;
    }
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols server_protocols[] = {
    {"test", server_cb, 0, 4096, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void server_start(void)
{
    memset(&srv, 0, sizeof srv);
    g_queue_init(&srv.out);
    srv.rx = g_string_new(NULL);
    srv.got = g_ptr_array_new_with_free_func(g_free);
    srv.loop = g_main_loop_new(NULL, FALSE);
    srv.loops[0] = srv.loop;
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.options =
        LWS_SERVER_OPTION_GLIB | LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
    info.foreign_loops = srv.loops;
    info.gid = -1;
    info.uid = -1;
    srv.lws = lws_create_context(&info);
    assert_non_null(srv.lws);
    info.vhost_name = "test";
    info.port = 0;
    info.iface = "127.0.0.1";
    info.protocols = server_protocols;
    srv.vh = lws_create_vhost(srv.lws, &info);
    assert_non_null(srv.vh);
    srv.port = lws_get_vhost_listen_port(srv.vh);
    assert_true(srv.port > 0);
}

static void server_stop(void)
{
    lws_context_destroy(srv.lws);
    struct out_frame *f;
    while ((f = g_queue_pop_head(&srv.out))) {
        g_free(f->buf);
        g_free(f);
    }
    g_string_free(srv.rx, TRUE);
    g_ptr_array_unref(srv.got);
    g_main_loop_unref(srv.loop);
}

static void on_open(void *arg)
{
    ((struct client *)arg)->open = true;
}

static void on_message(void *arg, json_t *msg)
{
    g_ptr_array_add(((struct client *)arg)->msgs, json_incref(msg));
}

static void on_closed(void *arg, const char *why)
{
    struct client *c = arg;
    c->closed++;
    snprintf(c->why, sizeof c->why, "%s", why);
}

static int client_new(struct client *c, const char *url)
{
    memset(c, 0, sizeof *c);
    c->msgs = g_ptr_array_new_with_free_func((GDestroyNotify)json_decref);
    struct sig_client_callbacks cb = {on_open, on_message, on_closed, c};
    char buf[64];
    if (!url) {
        snprintf(buf, sizeof buf, "ws://127.0.0.1:%d/ws", srv.port);
        url = buf;
    }
    return sig_client_new(&c->sc, g_main_context_default(), url, &cb);
}

static void client_free(struct client *c)
{
    sig_client_free(c->sc);
    g_ptr_array_unref(c->msgs);
}

static bool is_open(void *arg)
{
    return ((struct client *)arg)->open;
}

static bool is_closed(void *arg)
{
    return ((struct client *)arg)->closed > 0;
}

static size_t want_msgs;
static bool have_msgs(void *arg)
{
    return ((struct client *)arg)->msgs->len >= want_msgs;
}

static bool server_has(void *arg)
{
    return srv.got->len >= *(guint *)arg;
}

static const char *type_of(struct client *c, guint i)
{
    return json_string_value(json_object_get(g_ptr_array_index(c->msgs, i), "type"));
}

static void send_pack(struct client *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    json_t *m = json_vpack_ex(NULL, 0, fmt, ap);
    va_end(ap);
    assert_int_equal(sig_client_send(c->sc, m), 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct sig_client *sc;
    struct sig_client_callbacks cb = {0};
    GMainContext *ctx = g_main_context_default();
    assert_int_equal(sig_client_new(NULL, ctx, "ws://127.0.0.1:1/ws", &cb), -EINVAL);
    assert_int_equal(sig_client_new(&sc, NULL, "ws://127.0.0.1:1/ws", &cb), -EINVAL);
    assert_int_equal(sig_client_new(&sc, ctx, NULL, &cb), -EINVAL);
    assert_int_equal(sig_client_new(&sc, ctx, "ws://127.0.0.1:1/ws", NULL), -EINVAL);
    assert_int_equal(sig_client_new(&sc, ctx, "http://127.0.0.1:1/ws", &cb), -EINVAL);
    assert_int_equal(sig_client_new(&sc, ctx, "wss://127.0.0.1:1/ws", &cb), -EINVAL);
    assert_int_equal(sig_client_new(&sc, ctx, "ws://", &cb), -EINVAL);
    char long_url[700];
    memset(long_url, 'a', sizeof long_url - 1);
    memcpy(long_url, "ws://", 5);
    long_url[sizeof long_url - 1] = '\0';
    assert_int_equal(sig_client_new(&sc, ctx, long_url, &cb), -EINVAL);
    assert_int_equal(sig_client_send(NULL, json_object()), -EINVAL);
    sig_client_close(NULL);
    sig_client_free(NULL);
    assert_false(sig_client_is_open(NULL));
}

/* Messages sent before the connection is up go out first, in order. */
static void test_queue_and_echo(void **state)
{
    (void)state;
    server_start();
    struct client c;
    assert_int_equal(client_new(&c, NULL), 0);
    for (int i = 0; i < 3; i++)
        send_pack(&c, "{s:s, s:i}", "type", "echo", "i", i);
    assert_true(gloop_wait_for(NULL, is_open, &c, WAIT_MS));
    assert_true(sig_client_is_open(c.sc));
    want_msgs = 3;
    assert_true(gloop_wait_for(NULL, have_msgs, &c, WAIT_MS));
    for (guint i = 0; i < 3; i++) {
        json_t *m = g_ptr_array_index(c.msgs, i);
        assert_string_equal(type_of(&c, i), "echo");
        assert_int_equal(json_integer_value(json_object_get(m, "i")), i);
    }
    assert_int_equal(srv.got->len, 3);
    assert_string_equal(g_ptr_array_index(srv.got, 0), "{\"type\":\"echo\",\"i\":0}");
    assert_int_equal(sig_client_send(c.sc, NULL), -ENOMEM);
    client_free(&c);
    server_stop();
}

/* Large messages: many small fragments, and frames far larger than the
 * receive buffer (subscribe offers reach tens of kilobytes). */
static void test_large_and_fragmented(void **state)
{
    (void)state;
    server_start();
    struct client c;
    assert_int_equal(client_new(&c, NULL), 0);
    static const struct {
        int n, frag;
    } cases[] = {{40000, 1000}, {300000, 0}, {200000, 65536}, {100, 7}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        send_pack(&c, "{s:s, s:i, s:i}", "type", "big", "n", cases[i].n, "frag", cases[i].frag);
    want_msgs = 4;
    assert_true(gloop_wait_for(NULL, have_msgs, &c, WAIT_MS));
    for (guint i = 0; i < 4; i++) {
        const char *pad = json_string_value(json_object_get(g_ptr_array_index(c.msgs, i), "pad"));
        assert_non_null(pad);
        size_t n = strlen(pad);
        assert_int_equal(n + strlen("{\"type\":\"big\",\"pad\":\"\"}"), (size_t)cases[i].n);
        assert_int_equal(pad[n - 1], 'a' + (n - 1 + 21) % 26); /* the last byte arrived */
    }
    assert_int_equal(sig_client_bad_messages(c.sc), 0);
    /* a large message out too (a subscribe answer) */
    GString *big = g_string_new(NULL);
    while (big->len < 50000)
        g_string_append(big, "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\\r\\n");
    send_pack(&c, "{s:s, s:s}", "type", "echo", "sdp", big->str);
    want_msgs = 5;
    assert_true(gloop_wait_for(NULL, have_msgs, &c, WAIT_MS));
    assert_string_equal(json_string_value(json_object_get(g_ptr_array_index(c.msgs, 4), "sdp")),
                        big->str);
    g_string_free(big, TRUE);
    client_free(&c);
    server_stop();
}

static void test_junk_dropped(void **state)
{
    (void)state;
    server_start();
    struct client c;
    assert_int_equal(client_new(&c, NULL), 0);
    send_pack(&c, "{s:s}", "type", "junk");
    send_pack(&c, "{s:s, s:i, s:i}", "type", "big", "n", SIG_CLIENT_MAX_MESSAGE + 10, "frag",
              100000);
    send_pack(&c, "{s:s}", "type", "echo");
    want_msgs = 2;
    assert_true(gloop_wait_for(NULL, have_msgs, &c, WAIT_MS));
    assert_string_equal(type_of(&c, 0), "after");
    assert_string_equal(type_of(&c, 1), "echo");
    assert_int_equal(c.msgs->len, 2);
    assert_int_equal(sig_client_bad_messages(c.sc), 4); /* 3 junk, 1 too large */
    assert_int_equal(c.closed, 0);
    client_free(&c);
    server_stop();
}

static void test_server_closes(void **state)
{
    (void)state;
    server_start();
    struct client c;
    assert_int_equal(client_new(&c, NULL), 0);
    send_pack(&c, "{s:s}", "type", "bye");
    assert_true(gloop_wait_for(NULL, is_closed, &c, WAIT_MS));
    assert_non_null(strstr(c.why, "4000"));
    assert_non_null(strstr(c.why, "bye now"));
    assert_false(sig_client_is_open(c.sc));
    assert_int_equal(sig_client_send(c.sc, json_object()), -ENOTCONN);
    for (int i = 0; i < 20; i++)
        g_main_context_iteration(NULL, FALSE);
    assert_int_equal(c.closed, 1); /* once */
    client_free(&c);
    server_stop();
}

/* close: what is queued goes out, then the close handshake. */
static void test_client_closes(void **state)
{
    (void)state;
    server_start();
    struct client c;
    assert_int_equal(client_new(&c, NULL), 0);
    assert_true(gloop_wait_for(NULL, is_open, &c, WAIT_MS));
    send_pack(&c, "{s:s}", "type", "leave");
    sig_client_close(c.sc);
    assert_int_equal(sig_client_send(c.sc, json_object()), -ENOTCONN);
    assert_true(gloop_wait_for(NULL, is_closed, &c, WAIT_MS));
    guint one = 1;
    assert_true(server_has(&one));
    assert_string_equal(g_ptr_array_index(srv.got, 0), "{\"type\":\"leave\"}");
    assert_true(srv.client_closed);
    assert_string_equal(c.why, "closed");
    client_free(&c);
    server_stop();
}

static void test_refused(void **state)
{
    (void)state;
    server_start();
    int port = srv.port;
    server_stop(); /* nothing listens there now */
    char url[64];
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/ws", port);
    struct client c;
    assert_int_equal(client_new(&c, url), 0);
    send_pack(&c, "{s:s}", "type", "join");
    assert_true(gloop_wait_for(NULL, is_closed, &c, WAIT_MS));
    assert_non_null(strstr(c.why, "cannot connect"));
    assert_false(c.open);
    client_free(&c);
}

/* Freeing with the connection up (no callback), and with on_closed due. */
static void test_free_while_busy(void **state)
{
    (void)state;
    server_start();
    struct client c;
    assert_int_equal(client_new(&c, NULL), 0);
    assert_true(gloop_wait_for(NULL, is_open, &c, WAIT_MS));
    send_pack(&c, "{s:s}", "type", "echo");
    client_free(&c);
    assert_int_equal(client_new(&c, NULL), 0);
    send_pack(&c, "{s:s}", "type", "bye");
    while (!srv.close_now)
        g_main_context_iteration(NULL, TRUE);
    client_free(&c);
    for (int i = 0; i < 20; i++)
        g_main_context_iteration(NULL, FALSE);
    server_stop();
}

static void test_alloc_failures(void **state)
{
    (void)state;
    server_start();
    long base = mem_live_count();
    for (unsigned long n = 1; n < 20; n++) {
        struct client c;
        mem_fail_nth(n);
        int rc = client_new(&c, NULL);
        int rs = rc == 0 ? sig_client_send(c.sc, json_pack("{s:s}", "type", "echo")) : 0;
        mem_fail_nth(0);
        assert_true(rc == 0 || rc == -ENOMEM);
        assert_true(rs == 0 || rs == -ENOMEM);
        if (rc == 0)
            client_free(&c);
        else
            g_ptr_array_unref(c.msgs);
        assert_int_equal(mem_live_count(), base);
    }
    server_stop();
}

int main(void)
{
    lws_set_log_level(LLL_ERR, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_queue_and_echo),
        cmocka_unit_test(test_large_and_fragmented),
        cmocka_unit_test(test_junk_dropped),
        cmocka_unit_test(test_server_closes),
        cmocka_unit_test(test_client_closes),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_free_while_busy),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
