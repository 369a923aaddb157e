/* sfu_link against a Unix socket server played by the test, on the default
 * GMainContext: connecting before the server exists, requests and replies
 * matched by id, events, lines split and joined across reads, junk and
 * over-long lines, link loss (pending requests fail, the link comes back by
 * itself) and freeing with requests pending. Over TCP, against a server
 * that checks the hello: the link is up only once the hello is answered, a
 * refused hello is retried without the owner hearing of it. Every wait is a
 * main-loop iteration toward a condition with a deadline. */
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>

#include "signaling/sfu_link.h"
#include "tests/unit/lib/gloop_wait.h"

#define WAIT_MS 3000

struct rec {
    int ups, downs;
    int events;
    char last_event[32];
    char last_candidate[64];
    int replies;
    json_t *last_reply;
};

static struct rec rec;
static char dir[64], sock_path[128];
static int listen_fd = -1;

static void on_state(void *arg, bool up)
{
    (void)arg;
    if (up)
        rec.ups++;
    else
        rec.downs++;
}

static void on_event(void *arg, const char *event, json_t *msg)
{
    (void)arg;
    rec.events++;
    snprintf(rec.last_event, sizeof rec.last_event, "%s", event);
    const char *c = json_string_value(json_object_get(msg, "candidate"));
    snprintf(rec.last_candidate, sizeof rec.last_candidate, "%s", c ? c : "");
}

static const struct sfu_link_ops ops = {.state = on_state, .event = on_event};

static void on_reply(void *arg, json_t *reply)
{
    int *count = arg;
    (*count)++;
    rec.replies++;
    json_decref(rec.last_reply);
    rec.last_reply = json_incref(reply);
}

struct at_least {
    const int *value;
    int want;
};

static bool reached(void *arg)
{
    const struct at_least *a = arg;
    return *a->value >= a->want;
}

/* Runs the main loop until *value >= want; false on timeout. */
static bool wait_for(const int *value, int want)
{
    struct at_least a = {value, want};
    return gloop_wait_for(NULL, reached, &a, WAIT_MS);
}

static void start_server(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    strcpy(sa.sun_path, sock_path);
    listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(listen_fd >= 0);
    assert_int_equal(bind(listen_fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(listen_fd, 4), 0);
}

static int accept_client(void)
{
    struct pollfd p = {.fd = listen_fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, WAIT_MS), 1);
    int fd = accept(listen_fd, NULL, NULL);
    assert_true(fd >= 0);
    return fd;
}

/* Reads one line the link sent, parsed. */
static json_t *read_line(int fd)
{
    char buf[4096];
    size_t n = 0;
    while (n < sizeof buf - 1) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        assert_int_equal(poll(&p, 1, WAIT_MS), 1);
        ssize_t r = read(fd, buf + n, 1);
        assert_int_equal(r, 1);
        if (buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = '\0';
    json_error_t je;
    json_t *j = json_loads(buf, 0, &je);
    if (!j)
        fail_msg("the link sent a line that is not JSON: %s", buf);
    return j;
}

/* Writes text without blocking, running the main loop (where the link
 * reads) whenever the socket is full. */
static void write_all(int fd, const char *text)
{
    size_t len = strlen(text), off = 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    gint64 deadline = g_get_monotonic_time() + WAIT_MS * 1000;
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n < 0 && errno == EAGAIN)
            g_main_context_iteration(NULL, FALSE);
        else
            fail_msg("write to the link failed: %s", strerror(errno));
        if (g_get_monotonic_time() > deadline)
            fail_msg("the link did not read %zu bytes in time", len);
    }
}

static int setup(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof rec);
    int n = snprintf(dir, sizeof dir, "%s/cau-sfu-link-XXXXXX", g_get_tmp_dir());
    assert_true(n > 0 && (size_t)n < sizeof dir); /* TMPDIR short enough */
    assert_non_null(mkdtemp(dir));
    snprintf(sock_path, sizeof sock_path, "%s/sfu.sock", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (listen_fd >= 0)
        close(listen_fd);
    listen_fd = -1;
    unlink(sock_path);
    rmdir(dir);
    json_decref(rec.last_reply);
    rec.last_reply = NULL;
    return 0;
}

/* A link created before the server exists, connected once it does. */
static struct sfu_link *connected_link(int *fd)
{
    struct sfu_link *l = sfu_link_new(sock_path, &ops, NULL);
    assert_non_null(l);
    assert_false(sfu_link_is_up(l));
    int dummy = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &dummy),
                     -ENOTCONN);
    /* Let a few retries fail first. */
    gloop_run_for(NULL, 3 * SFU_LINK_RETRY_MS);
    assert_int_equal(rec.ups, 0);
    start_server();
    assert_true(wait_for(&rec.ups, 1));
    assert_true(sfu_link_is_up(l));
    *fd = accept_client();
    return l;
}

static void test_request_reply_event(void **state)
{
    (void)state;
    int fd;
    struct sfu_link *l = connected_link(&fd);
    int a = 0, b = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &a), 0);
    assert_int_equal(
        sfu_link_request(l, json_pack("{s:s, s:s}", "op", "room_open", "room", "x"), on_reply, &b),
        0);
    json_t *r1 = read_line(fd), *r2 = read_line(fd);
    assert_string_equal(json_string_value(json_object_get(r1, "op")), "stats");
    assert_string_equal(json_string_value(json_object_get(r2, "op")), "room_open");
    json_int_t id1 = json_integer_value(json_object_get(r1, "id"));
    json_int_t id2 = json_integer_value(json_object_get(r2, "id"));
    assert_true(id1 > 0 && id2 > id1);
    /* Answers out of order, the second split over two writes, an event and
     * junk between them: each reaches its own callback. */
    char line[256];
    snprintf(line, sizeof line, "{\"id\":%lld,\"ok\":tr", (long long)id2);
    write_all(fd, line);
    write_all(fd, "ue}\nnot json\n[1]\n{\"id\":999,\"ok\":true}\n{\"ok\":true}\n\n");
    assert_true(wait_for(&b, 1));
    assert_int_equal(a, 0);
    assert_true(json_is_true(json_object_get(rec.last_reply, "ok")));
    snprintf(line, sizeof line,
             "{\"event\":\"candidate\",\"participant\":\"p\",\"pc\":\"publish\","
             "\"candidate\":\"c1\"}\n{\"id\":%lld,\"ok\":false,\"error\":{\"code\":"
             "\"bad_request\",\"message\":\"m\"}}\n",
             (long long)id1);
    write_all(fd, line);
    assert_true(wait_for(&a, 1));
    assert_int_equal(rec.events, 1);
    assert_string_equal(rec.last_event, "candidate");
    assert_string_equal(rec.last_candidate, "c1");
    assert_false(json_is_true(json_object_get(rec.last_reply, "ok")));
    assert_int_equal(b, 1);
    assert_true(sfu_link_is_up(l));
    assert_int_equal(sfu_link_request(l, json_array(), on_reply, &a), -EINVAL);
    json_decref(r1);
    json_decref(r2);
    sfu_link_free(l);
    close(fd);
    assert_int_equal(rec.downs, 0); /* freeing is not a link loss */
}

static void test_long_line_dropped(void **state)
{
    (void)state;
    int fd;
    struct sfu_link *l = connected_link(&fd);
    size_t n = SFU_LINK_MAX_LINE + 1000;
    char *big = malloc(n + 1);
    memset(big, 'x', n);
    big[0] = '{';
    big[n] = '\0';
    write_all(fd, big);
    write_all(fd, "}\n{\"event\":\"transport\",\"participant\":\"p\"}\n");
    free(big);
    assert_true(wait_for(&rec.events, 1));
    assert_string_equal(rec.last_event, "transport");
    assert_true(sfu_link_is_up(l));
    sfu_link_free(l);
    close(fd);
}

static void test_loss_and_reconnect(void **state)
{
    (void)state;
    int fd;
    struct sfu_link *l = connected_link(&fd);
    int a = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &a), 0);
    json_decref(read_line(fd));
    close(fd); /* the sfu goes away with the request unanswered */
    assert_true(wait_for(&rec.downs, 1));
    assert_int_equal(a, 1);
    json_t *err = json_object_get(rec.last_reply, "error");
    assert_false(json_is_true(json_object_get(rec.last_reply, "ok")));
    assert_string_equal(json_string_value(json_object_get(err, "code")), "internal");
    assert_false(sfu_link_is_up(l));
    /* The listener is still there: the link comes back by itself. */
    assert_true(wait_for(&rec.ups, 2));
    fd = accept_client();
    int b = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &b), 0);
    json_t *req = read_line(fd);
    char line[64];
    snprintf(line, sizeof line, "{\"id\":%lld,\"ok\":true}\n",
             (long long)json_integer_value(json_object_get(req, "id")));
    json_decref(req);
    write_all(fd, line);
    assert_true(wait_for(&b, 1));
    /* Freed with a request pending: its callback runs, with an error. */
    int c = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &c), 0);
    sfu_link_free(l);
    assert_int_equal(c, 1);
    assert_false(json_is_true(json_object_get(rec.last_reply, "ok")));
    close(fd);
}

#define TCP_SECRET "0123456789abcdef0123456789abcdef-tcp"

/* A TCP listener on 127.0.0.1 and a free port; its "HOST:PORT". */
static void start_tcp_server(char *addr, size_t n)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(listen_fd >= 0);
    assert_int_equal(bind(listen_fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(listen_fd, 4), 0);
    assert_int_equal(getsockname(listen_fd, (struct sockaddr *)&sa, &len), 0);
    snprintf(addr, n, "127.0.0.1:%d", ntohs(sa.sin_port));
}

static bool readable(void *arg)
{
    struct pollfd p = {.fd = *(int *)arg, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

/* Accepts the link and checks its first line is the hello with the secret,
 * while the link is not up yet. The main loop runs meanwhile: the link
 * connects and writes from there. */
static int accept_hello(struct sfu_link *l)
{
    assert_true(gloop_wait_for(NULL, readable, &listen_fd, WAIT_MS));
    int fd = accept_client();
    assert_true(gloop_wait_for(NULL, readable, &fd, WAIT_MS));
    json_t *hello = read_line(fd);
    assert_int_equal(json_object_size(hello), 2);
    assert_string_equal(json_string_value(json_object_get(hello, "op")), "hello");
    assert_string_equal(json_string_value(json_object_get(hello, "secret")), TCP_SECRET);
    json_decref(hello);
    assert_false(sfu_link_is_up(l));
    int dummy = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &dummy),
                     -ENOTCONN);
    return fd;
}

static void test_tcp_hello(void **state)
{
    (void)state;
    char addr[64];
    start_tcp_server(addr, sizeof addr);
    struct sfu_link *l = sfu_link_new_tcp(addr, TCP_SECRET, &ops, NULL);
    assert_non_null(l);
    int fd = accept_hello(l);
    gloop_run_for(NULL, 2 * SFU_LINK_RETRY_MS); /* no reply yet: still down */
    assert_int_equal(rec.ups, 0);
    write_all(fd, "{\"id\":0,\"ok\":true}\n");
    assert_true(wait_for(&rec.ups, 1));
    assert_true(sfu_link_is_up(l));
    /* From then on, requests as over the Unix socket. */
    int a = 0;
    assert_int_equal(sfu_link_request(l, json_pack("{s:s}", "op", "stats"), on_reply, &a), 0);
    json_t *req = read_line(fd);
    assert_string_equal(json_string_value(json_object_get(req, "op")), "stats");
    char line[64];
    snprintf(line, sizeof line, "{\"id\":%lld,\"ok\":true}\n",
             (long long)json_integer_value(json_object_get(req, "id")));
    json_decref(req);
    write_all(fd, line);
    assert_true(wait_for(&a, 1));
    assert_true(json_is_true(json_object_get(rec.last_reply, "ok")));
    /* A loss after the hello is a loss like any other. */
    close(fd);
    assert_true(wait_for(&rec.downs, 1));
    fd = accept_hello(l);
    write_all(fd, "{\"id\":0,\"ok\":true}\n");
    assert_true(wait_for(&rec.ups, 2));
    sfu_link_free(l);
    close(fd);
}

static void test_tcp_refused(void **state)
{
    (void)state;
    char addr[64];
    start_tcp_server(addr, sizeof addr);
    struct sfu_link *l = sfu_link_new_tcp(addr, TCP_SECRET, &ops, NULL);
    assert_non_null(l);
    /* Refused with an error line, then closed: the link tries again. */
    int fd = accept_hello(l);
    write_all(fd, "{\"id\":0,\"ok\":false,\"error\":{\"code\":\"unauthorized\","
                  "\"message\":\"wrong secret\"}}\n");
    close(fd);
    fd = accept_hello(l);
    /* Closed without a word: again. */
    close(fd);
    fd = accept_hello(l);
    /* A reply that is not the hello's (another id): refused too. */
    write_all(fd, "{\"id\":1,\"ok\":true}\n");
    int fd2 = accept_hello(l);
    close(fd);
    assert_int_equal(rec.ups, 0);
    assert_int_equal(rec.downs, 0); /* never up, so never down */
    write_all(fd2, "{\"id\":0,\"ok\":true}\n");
    assert_true(wait_for(&rec.ups, 1));
    sfu_link_free(l);
    close(fd2);
    assert_int_equal(rec.downs, 0);
}

static void test_tcp_bad_args(void **state)
{
    (void)state;
    assert_null(sfu_link_new_tcp("localhost:9000", TCP_SECRET, &ops, NULL));
    assert_null(sfu_link_new_tcp("127.0.0.1", TCP_SECRET, &ops, NULL));
    assert_null(sfu_link_new_tcp("127.0.0.1:9000", "", &ops, NULL));
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_null(sfu_link_new_tcp("[::1]:9000", big, &ops, NULL));
    struct sfu_link *l = sfu_link_new_tcp("[::1]:9000", TCP_SECRET, &ops, NULL);
    assert_non_null(l);
    sfu_link_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_request_reply_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_line_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loss_and_reconnect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_hello, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_bad_args, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
