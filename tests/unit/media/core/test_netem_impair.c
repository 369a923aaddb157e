/* netem: the random impairments. The emulator is seeded, so every figure
 * below is deterministic: each test pins the exact value for its seed (a
 * change of the random stream shows up here) and also checks it against a
 * band of six standard deviations derived from the model, so that the pin
 * is known to be a plausible draw and not an artefact. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/netem.h"
#include "media/core/prng.h"

#define MAX_RECS 220000

struct rec {
    uint32_t idx;
    uint8_t dir;
    int64_t release_us;
    size_t len;
};

static struct rec recs[MAX_RECS];
static struct rec recs2[MAX_RECS];

static struct netem *make(const struct netem_cfg *cfg)
{
    struct netem *em = NULL;
    assert_int_equal(netem_create(cfg, &em), 0);
    return em;
}

static bool same_recs(const struct rec *a, const struct rec *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].idx != b[i].idx || a[i].dir != b[i].dir || a[i].release_us != b[i].release_us ||
            a[i].len != b[i].len)
            return false;
    return true;
}

static size_t drain(struct netem *em, int64_t now, struct rec *out, size_t n)
{
    struct netem_datagram g;
    while (netem_poll(em, now, &g)) {
        assert_true(n < MAX_RECS);
        uint32_t idx;
        memcpy(&idx, g.data, 4);
        out[n++] = (struct rec){idx, (uint8_t)g.dir, g.release_us, g.len};
    }
    return n;
}

/* Pushes datagram i (4..63 bytes carrying i) in dir at i * step_us,
 * collecting everything released; returns the number of outputs. */
static size_t run(struct netem *em, enum netem_dir dir, uint32_t n, int64_t step_us,
                  struct rec *out)
{
    size_t got = 0;
    uint8_t b[64] = {0};
    for (uint32_t i = 0; i < n; i++) {
        int64_t t = (int64_t)i * step_us;
        got = drain(em, t, out, got);
        memcpy(b, &i, 4);
        assert_int_equal(netem_push(em, dir, b, 4 + i % 60, t), 0);
    }
    return drain(em, INT64_MAX, out, got);
}

/* Datagrams that come out after one pushed later (RFC 4737), counted from
 * the outputs. */
static uint64_t count_reordered(const struct rec *r, size_t n)
{
    uint64_t late = 0;
    int64_t max = -1;
    for (size_t i = 0; i < n; i++) {
        if ((int64_t)r[i].idx < max)
            late++;
        else
            max = r[i].idx;
    }
    return late;
}

/* 5 % random loss over 10^5 datagrams: the count is B(10^5, 0.05), mean
 * 5000, sd sqrt(10^5 * 0.05 * 0.95) = 68.9; 6 sd = 414. */
static void test_random_loss(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 1};
    cfg.link[NETEM_UP].loss = 0.05;
    cfg.link[NETEM_DOWN].loss = 0.05;
    struct netem *em = make(&cfg);
    size_t n = run(em, NETEM_UP, 100000, 10, recs);
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.in, 100000);
    assert_int_equal(s.dropped_loss, 100000 - n);
    assert_int_equal(s.out, n);
    assert_true(s.dropped_loss > 5000 - 414 && s.dropped_loss < 5000 + 414);
    assert_int_equal(s.dropped_loss, 4961); /* seed 1 */
    assert_int_equal(count_reordered(recs, n), 0);
    /* the other direction draws from its own stream: another pattern */
    size_t n2 = run(em, NETEM_DOWN, 100000, 10, recs2);
    assert_true(n2 > 95000 - 414 && n2 < 95000 + 414);
    size_t same = 0;
    for (size_t i = 0; i < 1000; i++)
        same += recs[i].idx == recs2[i].idx;
    assert_true(same < 1000);
    netem_destroy(em);
    /* other seeds stay in the band too */
    for (uint64_t seed = 2; seed <= 20; seed++) {
        cfg.seed = seed;
        em = make(&cfg);
        n = run(em, NETEM_UP, 100000, 10, recs);
        assert_true(n > 95000 - 414 && n < 95000 + 414);
        netem_destroy(em);
    }
}

/* Gilbert model p = 0.01, r = 0.25, all lost in the bad state. Long-run
 * loss p / (p + r) = 3.846 %; the chain's second eigenvalue is
 * l = 1 - p - r = 0.74, so the loss count has variance about
 * N pi_b pi_g (1 + l) / (1 - l) = 10^5 * 0.0370 * 6.69 = 24 750, sd 157,
 * 6 sd = 944. Bursts are geometric with mean 1 / r = 4 and variance
 * (1 - r) / r^2 = 12; about 960 of them, so their mean length has sd
 * sqrt(12 / 960) = 0.11: 6 sd = 0.67. */
static void test_burst_loss(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 7};
    cfg.link[NETEM_UP] = (struct netem_link){.burst_p = 0.01, .burst_r = 0.25, .burst_loss = 1};
    struct netem *em = make(&cfg);
    size_t n = run(em, NETEM_UP, 100000, 10, recs);
    uint64_t lost = 100000 - n, bursts = 0;
    uint32_t expect = 0;
    for (size_t i = 0; i < n; i++) {
        bursts += recs[i].idx != expect;
        expect = recs[i].idx + 1;
    }
    bursts += expect != 100000;
    assert_true(lost > 3846 - 944 && lost < 3846 + 944);
    double mean = (double)lost / (double)bursts;
    assert_true(mean > 4 - 0.67 && mean < 4 + 0.67);
    assert_int_equal(lost, 3718); /* seed 7 */
    assert_int_equal(bursts, 951);
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.dropped_loss, lost);
    /* burst_loss 0.5 halves the loss in the bad state */
    netem_destroy(em);
    cfg.link[NETEM_UP].burst_loss = 0.5;
    em = make(&cfg);
    n = run(em, NETEM_UP, 100000, 10, recs);
    assert_true(100000 - n > 1923 - 600 && 100000 - n < 1923 + 600);
    netem_destroy(em);
}

/* Uniform jitter +-10 ms on a 50 ms delay, one datagram a millisecond:
 * every delay in [40, 60] ms; the mean of 20 000 has sd 5774 / sqrt(20000)
 * = 41 us (6 sd = 245). Jitter reorders; jitter_in_order does not. */
static void test_jitter_uniform(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 11};
    cfg.link[NETEM_UP] = (struct netem_link){.delay_us = 50000, .jitter_us = 10000};
    struct netem *em = make(&cfg);
    size_t n = run(em, NETEM_UP, 20000, 1000, recs);
    assert_int_equal(n, 20000);
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t d = recs[i].release_us - (int64_t)recs[i].idx * 1000;
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
        sum += (double)d;
    }
    assert_true(lo >= 40000 && lo < 40100);
    assert_true(hi <= 60000 && hi > 59900);
    assert_true(fabs(sum / (double)n - 50000) < 245);
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_true(s.reordered > 1000);
    assert_int_equal(s.reordered, count_reordered(recs, n));
    netem_destroy(em);

    cfg.link[NETEM_UP].jitter_in_order = true;
    em = make(&cfg);
    n = run(em, NETEM_UP, 20000, 1000, recs);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(recs[i].idx, i);
        assert_true(recs[i].release_us - (int64_t)i * 1000 >= 40000);
        assert_true(i == 0 || recs[i].release_us >= recs[i - 1].release_us);
    }
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.reordered, 0);
    netem_destroy(em);

    /* jitter larger than the delay: never released before the push */
    cfg.link[NETEM_UP] = (struct netem_link){.delay_us = 1000, .jitter_us = 5000};
    em = make(&cfg);
    n = run(em, NETEM_UP, 5000, 1000, recs);
    for (size_t i = 0; i < n; i++)
        assert_true(recs[i].release_us >= (int64_t)recs[i].idx * 1000);
    netem_destroy(em);
}

/* Normal-like jitter, sd 10 ms: bounded by 2 sqrt(3) sd; the sample sd of
 * 20 000 draws (kurtosis 2.7) is within 6 * sqrt(1.7 / 80000) = 2.8 %. */
static void test_jitter_normal(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 12};
    cfg.link[NETEM_DOWN] = (struct netem_link){
        .delay_us = 100000, .jitter_us = 10000, .jitter_dist = NETEM_JITTER_NORMAL};
    struct netem *em = make(&cfg);
    size_t n = run(em, NETEM_DOWN, 20000, 1000, recs);
    assert_int_equal(n, 20000);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)(recs[i].release_us - (int64_t)recs[i].idx * 1000) - 100000;
        assert_true(fabs(d) <= 34642);
        sum += d;
        sum2 += d * d;
    }
    double mean = sum / (double)n;
    double sd = sqrt(sum2 / (double)n - mean * mean);
    assert_true(fabs(mean) < 6 * 10000 / sqrt(20000.0));
    assert_true(fabs(sd / 10000 - 1) < 0.028);
    netem_destroy(em);
}

/* Reordering 10 % on a 20 ms delay, one datagram a millisecond: a chosen
 * datagram leaves 10 ms late (or reorder_extra_us) and is overtaken by
 * the next ones, so the reordered count is exactly the number chosen:
 * B(20000, 0.1), mean 2000, sd 42.4, 6 sd = 255. */
static void test_reorder(void **state)
{
    (void)state;
    for (int64_t extra = 0; extra <= 5000; extra += 5000) {
        struct netem_cfg cfg = {.seed = 13};
        cfg.link[NETEM_UP] =
            (struct netem_link){.delay_us = 20000, .reorder = 0.1, .reorder_extra_us = extra};
        struct netem *em = make(&cfg);
        size_t n = run(em, NETEM_UP, 20000, 1000, recs);
        assert_int_equal(n, 20000);
        uint64_t held = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t d = recs[i].release_us - (int64_t)recs[i].idx * 1000;
            assert_true(d == 20000 || d == 20000 + (extra ? extra : 10000));
            held += d != 20000;
        }
        struct netem_stats s;
        netem_get_stats(em, NETEM_UP, &s);
        assert_int_equal(s.reordered, held);
        assert_int_equal(count_reordered(recs, n), held);
        assert_true(held > 2000 - 255 && held < 2000 + 255);
        netem_destroy(em);
    }
}

/* Duplication 10 %: B(10^5, 0.1), sd 94.9, 6 sd = 569; the copy comes
 * right after the original. */
static void test_duplicate(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 14};
    cfg.link[NETEM_UP].duplicate = 0.1;
    struct netem *em = make(&cfg);
    size_t n = run(em, NETEM_UP, 100000, 10, recs);
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.out, n);
    assert_int_equal(s.out, s.in + s.duplicated);
    assert_true(s.duplicated > 10000 - 569 && s.duplicated < 10000 + 569);
    uint64_t pairs = 0;
    for (size_t i = 1; i < n; i++) {
        assert_true(recs[i].idx >= recs[i - 1].idx);
        if (recs[i].idx == recs[i - 1].idx) {
            assert_int_equal(recs[i].len, recs[i - 1].len);
            pairs++;
        }
    }
    assert_int_equal(pairs, s.duplicated);
    assert_int_equal(s.reordered, 0);
    netem_destroy(em);
}

/* Everything at once, both directions, pushes at random times: two
 * emulators with one seed give the same outputs; another seed does not;
 * the counters balance. */
static size_t run_mixed(uint64_t seed, struct rec *out)
{
    struct netem_link l = {.loss = 0.02,
                           .burst_p = 0.005,
                           .burst_r = 0.3,
                           .burst_loss = 0.8,
                           .delay_us = 30000,
                           .jitter_us = 8000,
                           .jitter_dist = NETEM_JITTER_NORMAL,
                           .reorder = 0.02,
                           .duplicate = 0.01,
                           .rate_bps = 1500000,
                           .queue_bytes = 8000};
    struct netem_cfg cfg = {.seed = seed, .max_datagrams = 256, .link = {l, l}};
    cfg.link[NETEM_DOWN].jitter_dist = NETEM_JITTER_UNIFORM;
    struct netem *em = make(&cfg);
    struct prng r;
    prng_seed(&r, 99);
    uint8_t b[1200] = {0};
    size_t got = 0;
    int64_t t = 0;
    for (uint32_t i = 0; i < 20000; i++) {
        t += (int64_t)prng_below(&r, 3000);
        got = drain(em, t, out, got);
        memcpy(b, &i, 4);
        int rc = netem_push(em, (enum netem_dir)(i & 1), b, 100 + prng_below(&r, 1100), t);
        assert_true(rc == 0 || rc == -ENOBUFS);
    }
    got = drain(em, INT64_MAX, out, got);
    uint64_t dropped = 0;
    for (int d = 0; d < NETEM_DIRS; d++) {
        struct netem_stats s;
        netem_get_stats(em, (enum netem_dir)d, &s);
        assert_int_equal(s.in + s.duplicated, s.out + s.dropped_loss + s.dropped_queue +
                                                  s.dropped_pool + s.dropped_size);
        assert_true(s.dropped_loss > 0 && s.dropped_queue > 0 && s.duplicated > 0 &&
                    s.reordered > 0);
        dropped += s.dropped_loss + s.dropped_queue + s.dropped_pool;
    }
    assert_int_equal(netem_held(em, NETEM_DIRS), 0);
    assert_int_equal(netem_poll_timeout(em), INT64_MAX);
    assert_true(dropped > 0);
    netem_destroy(em);
    return got;
}

static void test_deterministic(void **state)
{
    (void)state;
    size_t n1 = run_mixed(5, recs);
    size_t n2 = run_mixed(5, recs2);
    assert_int_equal(n1, n2);
    assert_true(same_recs(recs, recs2, n1));
    size_t n3 = run_mixed(6, recs2);
    assert_true(n3 != n1 || !same_recs(recs, recs2, n1));
}

/* netem_set_link applies from the next push; queued datagrams keep their
 * release time. */
static void test_set_link(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 15};
    cfg.link[NETEM_UP].delay_us = 50000;
    struct netem *em = make(&cfg);
    uint8_t b[4] = {1, 2, 3, 4};
    assert_int_equal(netem_push(em, NETEM_UP, b, 4, 0), 0);
    struct netem_link l = {.loss = 1.0};
    assert_int_equal(netem_set_link(em, NETEM_UP, &l), 0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(netem_push(em, NETEM_UP, b, 4, 1000 + i), 0);
    l = (struct netem_link){.delay_us = 1000, .rate_bps = 32000};
    assert_int_equal(netem_set_link(em, NETEM_UP, &l), 0);
    assert_int_equal(netem_push(em, NETEM_UP, b, 4, 2000), 0);
    assert_int_equal(netem_poll_timeout(em), 2000 + 1000 + 1000); /* 32 bits at 32 kbit/s */
    struct netem_datagram g;
    assert_true(netem_poll(em, 4000, &g));
    assert_false(netem_poll(em, 49999, &g));
    assert_true(netem_poll(em, 50000, &g));
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.dropped_loss, 100);
    assert_int_equal(s.out, 2);
    assert_int_equal(s.reordered, 1);
    netem_destroy(em);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_loss),    cmocka_unit_test(test_burst_loss),
        cmocka_unit_test(test_jitter_uniform), cmocka_unit_test(test_jitter_normal),
        cmocka_unit_test(test_reorder),        cmocka_unit_test(test_duplicate),
        cmocka_unit_test(test_deterministic),  cmocka_unit_test(test_set_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
