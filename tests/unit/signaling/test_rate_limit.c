/* rate_limit: the token bucket of docs/protocol.md, on a virtual clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "signaling/rate_limit.h"

#define S 1000000LL

/* How many of n messages sent at time t pass. */
static int burst(struct rate_limit *r, int n, int64_t t)
{
    int passed = 0;
    for (int i = 0; i < n; i++)
        passed += rate_limit_take(r, t);
    return passed;
}

static void test_burst_is_window(void **state)
{
    (void)state;
    struct rate_limit r;
    rate_limit_init(&r, 50, 2, 1000);
    assert_int_equal(burst(&r, 150, 1000), 100); /* 50/s over 2 s */
    assert_false(rate_limit_take(&r, 1000));
}

static void test_refill(void **state)
{
    (void)state;
    struct rate_limit r;
    rate_limit_init(&r, 50, 2, 0);
    assert_int_equal(burst(&r, 100, 0), 100);
    /* 20 ms is exactly one message at 50/s; 19.999 ms is not. */
    assert_false(rate_limit_take(&r, 19999));
    assert_true(rate_limit_take(&r, 20000));
    assert_false(rate_limit_take(&r, 20000));
    /* One second later: 50 more. */
    assert_int_equal(burst(&r, 80, 20000 + S), 50);
    /* A long pause refills to the window, not beyond. */
    assert_int_equal(burst(&r, 500, 3600 * S), 100);
}

static void test_steady_rate_passes(void **state)
{
    (void)state;
    struct rate_limit r;
    rate_limit_init(&r, 50, 2, 0);
    int passed = 0;
    /* 50 per second, evenly, for a minute: all pass. */
    for (int i = 0; i < 3000; i++)
        passed += rate_limit_take(&r, (int64_t)i * 20000);
    assert_int_equal(passed, 3000);
    /* 100 per second for 10 s: the bucket's 100 plus 50/s pass. */
    rate_limit_init(&r, 50, 2, 0);
    passed = 0;
    for (int i = 0; i < 1000; i++)
        passed += rate_limit_take(&r, (int64_t)i * 10000);
    assert_in_range(passed, 100 + 499, 100 + 500);
}

static void test_clock_backwards(void **state)
{
    (void)state;
    struct rate_limit r;
    rate_limit_init(&r, 10, 1, 5 * S);
    assert_int_equal(burst(&r, 10, 5 * S), 10);
    assert_false(rate_limit_take(&r, 4 * S)); /* earlier: no refill */
    assert_false(rate_limit_take(&r, 5 * S));
    assert_true(rate_limit_take(&r, 5 * S + S / 10));
}

static void test_unlimited_and_zero_window(void **state)
{
    (void)state;
    struct rate_limit r;
    rate_limit_init(&r, 0, 2, 0);
    assert_int_equal(burst(&r, 100000, 0), 100000);
    rate_limit_init(&r, 3, 0, 0); /* window 0 counts as 1 s */
    assert_int_equal(burst(&r, 10, 0), 3);
}

static void test_large_values(void **state)
{
    (void)state;
    struct rate_limit r;
    rate_limit_init(&r, 10000, 2, INT64_MAX / 2);
    assert_int_equal(burst(&r, 30000, INT64_MAX / 2), 20000);
    assert_int_equal(burst(&r, 30000, INT64_MAX - 1), 20000); /* no overflow */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_is_window),           cmocka_unit_test(test_refill),
        cmocka_unit_test(test_steady_rate_passes),        cmocka_unit_test(test_clock_backwards),
        cmocka_unit_test(test_unlimited_and_zero_window), cmocka_unit_test(test_large_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
