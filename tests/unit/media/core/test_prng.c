#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/prng.h"

/* splitmix64 from state 0: the first outputs of the reference code
 * (prng.di.unimi.it/splitmix64.c), as listed in many ports' test suites. */
static void test_splitmix64_vector(void **state)
{
    (void)state;
    uint64_t s = 0;
    assert_int_equal(prng_splitmix64(&s), 0xe220a8397b1dcdafull);
    assert_int_equal(prng_splitmix64(&s), 0x6e789e6aa1b965f4ull);
    assert_int_equal(prng_splitmix64(&s), 0x06c45d188009454full);
    assert_int_equal(prng_splitmix64(&s), 0xf88bb8a8724c81ecull);
}

/* xoshiro256** from the state {1, 2, 3, 4}: the reference outputs (the
 * same vector as the rand_xoshiro crate's tests). */
static void test_xoshiro_vector(void **state)
{
    (void)state;
    struct prng r = {.s = {1, 2, 3, 4}};
    const uint64_t want[] = {11520ull,
                             0ull,
                             1509978240ull,
                             1215971899390074240ull,
                             1216172134540287360ull,
                             607988272756665600ull,
                             16172922978634559625ull,
                             8476171486693032832ull,
                             10595114339597558777ull,
                             2904607092377533576ull};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(prng_next(&r), want[i]);
}

static void test_seed_reproducible(void **state)
{
    (void)state;
    struct prng a, b, c;
    prng_seed(&a, 42);
    prng_seed(&b, 42);
    prng_seed(&c, 43);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = prng_next(&a);
        assert_int_equal(x, prng_next(&b));
        differ += x != prng_next(&c);
    }
    assert_int_equal(differ, 100);
    /* seed 0 fills the state from splitmix64(0): never the all-zero state */
    prng_seed(&a, 0);
    assert_int_equal(a.s[0], 0xe220a8397b1dcdafull);
    assert_int_equal(a.s[3], 0xf88bb8a8724c81ecull);
}

static void test_unit_and_chance(void **state)
{
    (void)state;
    struct prng r;
    prng_seed(&r, 7);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = prng_unit(&r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
    }
    /* mean of 10^5 uniforms: sd 1/sqrt(12 * 10^5) = 0.00091; 6 sd */
    assert_true(fabs(sum / 100000 - 0.5) < 0.0055);
    struct prng before = r;
    assert_false(prng_chance(&r, 0.0));
    assert_false(prng_chance(&r, -1.0));
    assert_false(prng_chance(&r, NAN));
    assert_true(prng_chance(&r, 1.0));
    assert_true(prng_chance(&r, 2.0));
    assert_memory_equal(&before, &r, sizeof r); /* none of these drew */
    (void)prng_chance(&r, 0.5);
    assert_memory_not_equal(&before, &r, sizeof r);
}

static void test_below(void **state)
{
    (void)state;
    struct prng r;
    prng_seed(&r, 1);
    assert_int_equal(prng_below(&r, 0), 0);
    assert_int_equal(prng_below(&r, 1), 0);
    unsigned counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t x = prng_below(&r, 7);
        assert_true(x < 7);
        counts[x]++;
    }
    /* each count is B(70000, 1/7): mean 10000, sd 92.6; 6 sd = 556 */
    for (int i = 0; i < 7; i++)
        assert_true(counts[i] > 10000 - 556 && counts[i] < 10000 + 556);
    /* a bound near 2^64 takes the rejection path and stays in range */
    for (int i = 0; i < 1000; i++)
        assert_true(prng_below(&r, UINT64_MAX - 1) < UINT64_MAX - 1);
    uint64_t big = (1ull << 63) + 1;
    for (int i = 0; i < 1000; i++)
        assert_true(prng_below(&r, big) < big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_splitmix64_vector),
        cmocka_unit_test(test_xoshiro_vector),
        cmocka_unit_test(test_seed_reproducible),
        cmocka_unit_test(test_unit_and_chance),
        cmocka_unit_test(test_below),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
