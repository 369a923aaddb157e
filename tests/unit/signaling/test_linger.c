/* linger over real loopback TCP, on the default GMainContext. The server
 * side writes a reply and closes while the client still sends; the client
 * then reads to the end. Without a lingering close the stream ends in a
 * reset (ECONNRESET), and a WebSocket client that sees a reset reports
 * 1006 and drops what it had not yet handled; with it the client reads the
 * reply and then a clean end of stream. Also: a client that never closes is let go after
 * LINGER_TIMEOUT_MS, and no more than LINGER_MAX sockets linger. */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>

#include "signaling/linger.h"
#include "tests/unit/lib/gloop_wait.h"

#define REPLY "the reply and the close frame"

struct pair {
    int client, server;
};

static struct pair connect_pair(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l >= 0);
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 4), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
    struct pair p = {.client = socket(AF_INET, SOCK_STREAM, 0)};
    assert_int_equal(connect(p.client, (struct sockaddr *)&a, sizeof a), 0);
    p.server = accept(l, NULL, NULL);
    assert_true(p.server >= 0);
    close(l);
    return p;
}

static bool none_lingering(void *arg)
{
    (void)arg;
    return linger_count() == 0;
}

/* The client sends a flood the server never reads; the server writes its
 * reply and closes (lingering or not); the client sends more, then reads
 * to the end. Returns how the stream ended: 0 (end of stream) or -errno;
 * *got is how many bytes came before that. */
static int flood_then_read(bool lingering, size_t *got)
{
    struct pair p = connect_pair();
    static char flood[16384];
    memset(flood, 'x', sizeof flood);
    assert_int_equal(send(p.client, flood, sizeof flood, 0), (ssize_t)sizeof flood);
    assert_int_equal(send(p.server, REPLY, strlen(REPLY), 0), (ssize_t)strlen(REPLY));
    if (lingering)
        assert_int_equal(linger_start(p.server), 0);
    close(p.server);
    /* More input after the close: what a flooding client does. A reset
     * that is already in shows here (and then not again in recv). */
    gloop_run_for(NULL, 50);
    bool reset = send(p.client, flood, sizeof flood, MSG_NOSIGNAL) < 0 && errno == ECONNRESET;
    gloop_run_for(NULL, 50);
    char buf[256];
    *got = 0;
    int end;
    for (;;) {
        ssize_t n = recv(p.client, buf + *got, sizeof buf - *got, MSG_DONTWAIT);
        if (n <= 0) {
            end = n < 0 ? -errno : 0;
            break;
        }
        *got += (size_t)n;
    }
    if (*got == strlen(REPLY))
        assert_memory_equal(buf, REPLY, strlen(REPLY));
    close(p.client);
    return reset ? -ECONNRESET : end;
}

static void test_plain_close_resets(void **state)
{
    (void)state;
    /* The premise: without lingering the stream ends in a reset. */
    size_t got;
    assert_int_equal(flood_then_read(false, &got), -ECONNRESET);
}

static void test_lingering_close_ends_cleanly(void **state)
{
    (void)state;
    size_t got;
    assert_int_equal(flood_then_read(true, &got), 0);
    assert_int_equal(got, strlen(REPLY));
    /* The client closed: the lingering socket goes. */
    assert_true(gloop_wait_for(NULL, none_lingering, NULL, LINGER_TIMEOUT_MS / 2));
}

static void test_ends_when_the_client_closes(void **state)
{
    (void)state;
    struct pair p = connect_pair();
    assert_int_equal(linger_start(p.server), 0);
    close(p.server);
    assert_int_equal(linger_count(), 1);
    close(p.client);
    assert_true(gloop_wait_for(NULL, none_lingering, NULL, LINGER_TIMEOUT_MS / 2));
}

static void test_silent_client_is_let_go(void **state)
{
    (void)state;
    struct pair p = connect_pair();
    assert_int_equal(linger_start(p.server), 0);
    close(p.server);
    gloop_run_for(NULL, LINGER_TIMEOUT_MS / 4);
    assert_int_equal(linger_count(), 1);
    assert_true(gloop_wait_for(NULL, none_lingering, NULL, LINGER_TIMEOUT_MS * 2));
    /* Our side is gone: the client sees the FIN. */
    char c;
    assert_int_equal(recv(p.client, &c, 1, 0), 0);
    close(p.client);
}

static void test_at_most_linger_max(void **state)
{
    (void)state;
    int clients[LINGER_MAX + 1];
    for (int i = 0; i <= LINGER_MAX; i++) {
        struct pair p = connect_pair();
        clients[i] = p.client;
        assert_int_equal(linger_start(p.server), i < LINGER_MAX ? 0 : -1);
        close(p.server);
    }
    assert_int_equal(linger_count(), LINGER_MAX);
    assert_int_equal(linger_start(-1), -1);
    linger_stop_all();
    assert_int_equal(linger_count(), 0);
    for (int i = 0; i <= LINGER_MAX; i++)
        close(clients[i]);
}

static int start_empty(void **state)
{
    (void)state;
    return linger_count() == 0 ? 0 : -1;
}

static int stop_all(void **state)
{
    (void)state;
    linger_stop_all();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_close_resets, start_empty, stop_all),
        cmocka_unit_test_setup_teardown(test_lingering_close_ends_cleanly, start_empty, stop_all),
        cmocka_unit_test_setup_teardown(test_ends_when_the_client_closes, start_empty, stop_all),
        cmocka_unit_test_setup_teardown(test_silent_client_is_let_go, start_empty, stop_all),
        cmocka_unit_test_setup_teardown(test_at_most_linger_max, start_empty, stop_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
