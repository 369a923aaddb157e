/* The sfu's top level in-process: it starts on a control socket in a fresh
 * directory and stops cleanly, also with a worker's reply and event still
 * on their way to the main thread when it stops. sfu_free closes the
 * control channel first and then drains what the workers posted; that
 * drain once handed a reply to the closed channel (a crash seen when a
 * test stopped the sfu just after a participant left). Under ASan the
 * dropped messages must also be freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>
#include <jansson.h>

#include "sfu/sfu.h"

static char *dir;
static char sock_path[256];

static int make_dir(void **state)
{
    (void)state;
    dir = g_dir_make_tmp("cau-test-sfu-XXXXXX", NULL);
    if (!dir)
        return -1;
    snprintf(sock_path, sizeof sock_path, "%s/sfu.sock", dir);
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    unlink(sock_path);
    int r = rmdir(dir);
    g_free(dir);
    return r;
}

static struct sfu *start(void)
{
    static const char *const addrs[] = {"127.0.0.1"};
    struct sfu_options opt = {
        .addrs = addrs,
        .n_addrs = 1,
        .port_min = 0,
        .port_max = 0,
        .workers = 2,
        .control_socket = sock_path,
    };
    char err[256] = "";
    struct sfu *s = sfu_new(&opt, err, sizeof err);
    if (!s)
        fail_msg("sfu_new: %s", err);
    return s;
}

static void test_starts_and_stops(void **state)
{
    (void)state;
    struct sfu *s = start();
    assert_int_equal(access(sock_path, F_OK), 0);
    sfu_free(s);
}

/* A worker's posts: from another thread with its own thread-default
 * context, as a worker has, so that they wait on the main context. */
static gpointer worker_posts(gpointer data)
{
    struct sfu *s = data;
    GMainContext *ctx = g_main_context_new();
    g_main_context_push_thread_default(ctx);
    sfu_post_reply(s, 1, sfu_reply_ok(7, NULL));
    sfu_post_event(s, json_pack("{s:s, s:s}", "event", "transport", "state", "closed"));
    sfu_post_stats(s, "no-such-room", json_object());
    g_main_context_pop_thread_default(ctx);
    g_main_context_unref(ctx);
    return NULL;
}

static void test_stops_with_posts_in_flight(void **state)
{
    (void)state;
    struct sfu *s = start();
    /* What a worker posts when a request is answered, or a transport
     * changes state, just before the stop; not yet delivered. */
    g_thread_join(g_thread_new("poster", worker_posts, s));
    assert_true(g_main_context_pending(NULL));
    sfu_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_starts_and_stops, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_stops_with_posts_in_flight, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
