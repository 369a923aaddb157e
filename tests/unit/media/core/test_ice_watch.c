#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/ice_watch.h"

#define MS 1000
#define S 1000000

static void test_idle_does_nothing(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 5 * S, 30 * S);
    assert_int_equal(ice_watch_poll_timeout(&w), INT64_MAX);
    assert_int_equal(ice_watch_handle_timeout(&w, 100 * S), ICE_WATCH_OK);
    ice_watch_handle_rx(&w, 1 * S);
    assert_int_equal(w.phase, ICE_WATCH_IDLE);
}

static void test_connect_deadline(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 5 * S, 30 * S);
    ice_watch_start(&w, 1 * S);
    ice_watch_start(&w, 3 * S); /* a second start does not push the deadline */
    assert_int_equal(ice_watch_poll_timeout(&w), 6 * S);
    assert_int_equal(ice_watch_handle_timeout(&w, 6 * S - 1), ICE_WATCH_OK);
    assert_int_equal(ice_watch_handle_timeout(&w, 6 * S), ICE_WATCH_CONNECT_FAILED);
    /* Given once; nothing after, not even a late connection. */
    assert_int_equal(ice_watch_poll_timeout(&w), INT64_MAX);
    assert_int_equal(ice_watch_handle_timeout(&w, 7 * S), ICE_WATCH_OK);
    ice_watch_connected(&w, 7 * S);
    assert_int_equal(w.phase, ICE_WATCH_DONE);
}

static void test_connected_then_silent(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 5 * S, 4 * S); /* tick: 1 s */
    ice_watch_start(&w, 0);
    ice_watch_connected(&w, 2 * S);
    assert_int_equal(ice_watch_poll_timeout(&w), 3 * S);
    ice_watch_handle_rx(&w, 2500 * MS);
    assert_int_equal(ice_watch_handle_timeout(&w, 3 * S), ICE_WATCH_OK); /* heard 0.5 s ago */
    assert_int_equal(ice_watch_poll_timeout(&w), 4 * S);
    assert_int_equal(ice_watch_handle_timeout(&w, 4 * S), ICE_WATCH_PROBE);
    assert_int_equal(ice_watch_handle_timeout(&w, 5 * S), ICE_WATCH_PROBE);
    assert_int_equal(ice_watch_handle_timeout(&w, 6 * S), ICE_WATCH_PROBE);
    /* The tick would be at 7 s, but the peer is gone at 6.5 s. */
    assert_int_equal(ice_watch_poll_timeout(&w), 6500 * MS);
    assert_int_equal(ice_watch_handle_timeout(&w, 6500 * MS - 1), ICE_WATCH_OK);
    assert_int_equal(ice_watch_handle_timeout(&w, 6500 * MS), ICE_WATCH_GONE);
    assert_int_equal(ice_watch_handle_timeout(&w, 7 * S), ICE_WATCH_OK);
    assert_int_equal(ice_watch_poll_timeout(&w), INT64_MAX);
}

static void test_rx_never_goes_back(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 0, 4 * S);
    ice_watch_start(&w, 0);
    assert_int_equal(ice_watch_poll_timeout(&w), INT64_MAX); /* no connect deadline */
    ice_watch_connected(&w, 10 * S);
    ice_watch_handle_rx(&w, 9 * S);
    assert_int_equal(w.last_rx_us, 10 * S);
    ice_watch_connected(&w, 12 * S); /* connected again (READY after CONNECTED) */
    assert_int_equal(w.last_rx_us, 12 * S);
    assert_int_equal(ice_watch_handle_timeout(&w, 16 * S), ICE_WATCH_GONE);
}

/* A peer that sends only its RFC 7675 consent checks (every 5 s) stays for
 * a minute of virtual time, and is gone 30 s after its last one. */
static void test_consent_checks_keep_alive(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 30 * S, 30 * S);
    assert_int_equal(w.tick_us, ICE_WATCH_MAX_TICK_US);
    ice_watch_start(&w, 0);
    ice_watch_connected(&w, 100 * MS);
    int64_t now = 0, next_rx = 5 * S, last_rx = 0;
    int probes = 0;
    enum ice_watch_verdict v = ICE_WATCH_OK;
    while (v != ICE_WATCH_GONE) {
        int64_t due = ice_watch_poll_timeout(&w);
        assert_true(due > now && due != INT64_MAX);
        if (next_rx < due) {
            now = next_rx;
            ice_watch_handle_rx(&w, now);
            last_rx = now;
            next_rx = now < 60 * S ? now + 5 * S : INT64_MAX;
            continue;
        }
        now = due;
        v = ice_watch_handle_timeout(&w, now);
        probes += v == ICE_WATCH_PROBE;
    }
    assert_int_equal(last_rx, 60 * S);
    assert_int_equal(now, 90 * S);
    assert_true(probes >= 60);
}

static void test_no_consent_timeout(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 1 * S, 0);
    ice_watch_start(&w, 0);
    ice_watch_connected(&w, 1);
    assert_int_equal(ice_watch_poll_timeout(&w), INT64_MAX);
    assert_int_equal(ice_watch_handle_timeout(&w, 1000 * S), ICE_WATCH_OK);
    ice_watch_stop(&w);
    assert_int_equal(w.phase, ICE_WATCH_DONE);
}

static void test_tick_bounds(void **state)
{
    (void)state;
    struct ice_watch w;
    ice_watch_init(&w, 0, 2 * S);
    assert_int_equal(w.tick_us, 500 * MS);
    ice_watch_init(&w, 0, 2);
    assert_int_equal(w.tick_us, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_does_nothing),
        cmocka_unit_test(test_connect_deadline),
        cmocka_unit_test(test_connected_then_silent),
        cmocka_unit_test(test_rx_never_goes_back),
        cmocka_unit_test(test_consent_checks_keep_alive),
        cmocka_unit_test(test_no_consent_timeout),
        cmocka_unit_test(test_tick_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
