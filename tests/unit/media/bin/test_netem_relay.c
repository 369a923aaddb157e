/* netem-relay, run as a child process on loopback: every datagram of a
 * clean link arrives in order both ways; with 5 % loss the datagrams that
 * arrive are exactly those the netem core drops for the same seed, and
 * the relay's closing counters agree. Every wait is a poll() on a socket
 * or pipe with a timeout, never a fixed sleep. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "media/core/netem.h"
#include "tests/unit/lib/child_proc.h"

#define WAIT_MS 5000
#define COUNT 1000
#define WINDOW 50

static struct child_proc relay = {.pid = -1, .out_fd = -1, .err_fd = -1};

static int teardown(void **state)
{
    (void)state;
    child_proc_kill(&relay);
    return 0;
}

/* Starts the relay with extra arguments (NULL-terminated). */
static void spawn_relay(const char *const *args)
{
    const char *argv[32] = {child_proc_bin("netem-relay")};
    int n = 1;
    for (; args[n - 1]; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    child_proc_spawn(&relay, argv);
}

static int udp_socket(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* Starts the relay toward to_port; returns the port it listens on. */
static uint16_t start_relay(uint16_t to_port, const char *const *impair)
{
    char to[32];
    snprintf(to, sizeof to, "127.0.0.1:%u", (unsigned)to_port);
    const char *args[24] = {"--listen", "127.0.0.1:0", "--to", to};
    int n = 4;
    for (; impair[n - 4]; n++)
        args[n] = impair[n - 4];
    args[n] = NULL;
    spawn_relay(args);
    if (!child_proc_read_until(&relay, "\n", WAIT_MS))
        fail_msg("netem-relay printed no ready line within %d ms", WAIT_MS);
    unsigned port = 0;
    assert_int_equal(sscanf(relay.out, "netem-relay: listening 127.0.0.1:%u", &port), 1);
    assert_true(port > 0 && port < 65536);
    return (uint16_t)port;
}

struct counters {
    uint64_t in, out, loss, queue, pool, size, dup, reordered, held, send_errors;
};

static void parse_stats(const char *dir, struct counters *c)
{
    char key[32];
    snprintf(key, sizeof key, "netem-relay: %s in=", dir);
    const char *line = strstr(relay.out, key);
    if (!line)
        fail_msg("no '%s' counters in the relay's output:\n%s", dir, relay.out);
    int got =
        sscanf(line + strlen(key) - strlen("in="),
               "in=%" SCNu64 " out=%" SCNu64 " dropped_loss=%" SCNu64 " dropped_queue=%" SCNu64
               " dropped_pool=%" SCNu64 " dropped_size=%" SCNu64 " duplicated=%" SCNu64
               " reordered=%" SCNu64 " held=%" SCNu64 " send_errors=%" SCNu64,
               &c->in, &c->out, &c->loss, &c->queue, &c->pool, &c->size, &c->dup, &c->reordered,
               &c->held, &c->send_errors);
    assert_int_equal(got, 10);
}

/* Stops the relay by SIGTERM; it must exit 0 after its counters. */
static void stop_relay(struct counters *up, struct counters *down)
{
    assert_int_equal(kill(relay.pid, SIGTERM), 0);
    int status = child_proc_reap(&relay, WAIT_MS);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    parse_stats("up", up);
    parse_stats("down", down);
}

static void send_index(int fd, uint16_t port, uint32_t i)
{
    uint8_t b[100];
    memset(b, (int)(i & 0xff), sizeof b);
    memcpy(b, &i, 4);
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(port)};
    assert_int_equal(sendto(fd, b, sizeof b, 0, (struct sockaddr *)&sa, sizeof sa), sizeof b);
}

/* Waits for the next datagram; its index, and its sender's port. */
static uint32_t recv_index(int fd, uint16_t *from_port)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, WAIT_MS) != 1)
        fail_msg("no datagram within %d ms", WAIT_MS);
    uint8_t b[200];
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    ssize_t n = recvfrom(fd, b, sizeof b, 0, (struct sockaddr *)&sa, &len);
    assert_int_equal(n, 100);
    uint32_t i;
    memcpy(&i, b, 4);
    for (int k = 4; k < 100; k++)
        assert_int_equal(b[k], i & 0xff);
    if (from_port)
        *from_port = ntohs(sa.sin_port);
    return i;
}

static bool pending(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1;
}

/* A clean link: 1000 datagrams up and back down, in windows of 50, each
 * window in order; the counters say nothing was lost or reordered. */
static void test_clean_in_order(void **state)
{
    (void)state;
    uint16_t cport, sport, back = 0;
    int client = udp_socket(&cport), server = udp_socket(&sport);
    const char *none[] = {NULL};
    uint16_t rport = start_relay(sport, none);
    for (uint32_t w = 0; w < COUNT; w += WINDOW) {
        for (uint32_t i = w; i < w + WINDOW; i++)
            send_index(client, rport, i);
        for (uint32_t i = w; i < w + WINDOW; i++)
            assert_int_equal(recv_index(server, &back), i);
        for (uint32_t i = w; i < w + WINDOW; i++)
            send_index(server, back, i);
        for (uint32_t i = w; i < w + WINDOW; i++) {
            uint16_t from = 0;
            assert_int_equal(recv_index(client, &from), i);
            assert_int_equal(from, rport);
        }
    }
    struct counters up, down;
    stop_relay(&up, &down);
    assert_false(pending(client));
    assert_false(pending(server));
    const struct counters want = {.in = COUNT, .out = COUNT};
    assert_memory_equal(&up, &want, sizeof want);
    assert_memory_equal(&down, &want, sizeof want);
    close(client);
    close(server);
}

/* Which of n datagrams pushed one way the core passes with 5 % loss and
 * the relay's seed. */
static void expected_pattern(bool *up, bool *down, uint32_t n)
{
    struct netem_cfg cfg = {.seed = 1};
    cfg.link[NETEM_UP].loss = cfg.link[NETEM_DOWN].loss = 0.05;
    struct netem *em = NULL;
    assert_int_equal(netem_create(&cfg, &em), 0);
    struct netem_datagram g;
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(netem_push(em, NETEM_UP, (const uint8_t *)"x", 1, 0), 0);
        up[i] = netem_poll(em, 0, &g);
        assert_int_equal(netem_push(em, NETEM_DOWN, (const uint8_t *)"x", 1, 0), 0);
        down[i] = netem_poll(em, 0, &g);
    }
    netem_destroy(em);
}

/* 5 % loss, seed 1: datagram by datagram, one waits for exactly those the
 * core lets through (up, then echoed back down). Past the 1000th, it goes
 * on until one makes the whole round trip, so that the relay has read
 * everything sent to it when it is stopped; its counters must then match
 * what arrived. */
static void test_loss_matches_stats(void **state)
{
    (void)state;
    static bool up_ok[2 * COUNT], down_ok[2 * COUNT];
    expected_pattern(up_ok, down_ok, 2 * COUNT);
    uint16_t cport, sport, back = 0;
    int client = udp_socket(&cport), server = udp_socket(&sport);
    const char *impair[] = {"--loss", "0.05", "--seed", "1", NULL};
    uint16_t rport = start_relay(sport, impair);
    uint64_t at_server = 0, at_client = 0;
    uint32_t sent = 0;
    for (bool round_trip = false; sent < COUNT || !round_trip; sent++) {
        assert_true(sent < 2 * COUNT);
        send_index(client, rport, sent);
        round_trip = false;
        if (!up_ok[sent])
            continue;
        assert_int_equal(recv_index(server, &back), sent);
        send_index(server, back, sent);
        if (down_ok[at_server++]) {
            assert_int_equal(recv_index(client, NULL), sent);
            at_client++;
            round_trip = true;
        }
    }
    struct counters up, down;
    stop_relay(&up, &down);
    assert_false(pending(client));
    assert_false(pending(server));
    assert_int_equal(up.in, sent);
    assert_int_equal(up.out, at_server);
    assert_int_equal(up.loss, sent - at_server);
    assert_int_equal(down.in, at_server);
    assert_int_equal(down.out, at_client);
    assert_int_equal(down.loss, at_server - at_client);
    /* 5 % of 1000: sd 6.9, 6 sd = 41 */
    assert_true(up.loss > 50 - 41 && up.loss < 50 + 41);
    assert_int_equal(up.queue + up.pool + up.size + up.dup + up.reordered + up.held, 0);
    assert_int_equal(up.send_errors + down.send_errors, 0);
    close(client);
    close(server);
}

/* Bad arguments: a message naming the culprit on stderr, exit 2. */
static void test_bad_arguments(void **state)
{
    (void)state;
    const char *const cases[][8] = {
        {"--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--loss", "1.5", NULL},
        {"--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--up-jitter-ms", "x", NULL},
        {"--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--burst", "0.1", NULL},
        {"--listen", "127.0.0.1:0", "--to", "127.0.0.1:9", "--frobnicate", NULL},
        {"--listen", "127.0.0.1:0", "--to", "localhost:9", NULL},
        {"--listen", "127.0.0.1:0", NULL},
    };
    const char *culprit[] = {"--loss", "--up-jitter-ms", "--burst", "--frobnicate", "--to", "--to"};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        spawn_relay(cases[k]);
        int status = child_proc_reap(&relay, WAIT_MS);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 2);
        assert_non_null(strstr(relay.err, culprit[k]));
        assert_int_equal(relay.out_len, 0); /* no ready line */
    }
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_clean_in_order, teardown),
        cmocka_unit_test_teardown(test_loss_matches_stats, teardown),
        cmocka_unit_test_teardown(test_bad_arguments, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
