#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/netem.h"

static struct netem *make(const struct netem_cfg *cfg)
{
    struct netem *em = NULL;
    assert_int_equal(netem_create(cfg, &em), 0);
    assert_non_null(em);
    return em;
}

/* Datagram i carries i as 4 bytes, then filler up to len. */
static int push_i(struct netem *em, enum netem_dir dir, uint32_t i, size_t len, int64_t now)
{
    uint8_t b[2000];
    assert_true(len >= 4 && len <= sizeof b);
    memset(b, (int)(i & 0xff), len);
    memcpy(b, &i, 4);
    return netem_push(em, dir, b, len, now);
}

static uint32_t index_of(const struct netem_datagram *g)
{
    uint32_t i;
    assert_true(g->len >= 4);
    memcpy(&i, g->data, 4);
    return i;
}

/* in + duplicated == out + drops + held, in each direction. */
static void check_balance(const struct netem *em)
{
    for (int dir = 0; dir < NETEM_DIRS; dir++) {
        struct netem_stats s;
        netem_get_stats(em, (enum netem_dir)dir, &s);
        assert_int_equal(s.in + s.duplicated, s.out + s.dropped_loss + s.dropped_queue +
                                                  s.dropped_pool + s.dropped_size +
                                                  netem_held(em, (enum netem_dir)dir));
    }
}

static void test_invalid(void **state)
{
    (void)state;
    struct netem *em = (struct netem *)1;
    struct netem_cfg cfg = {0};
    assert_int_equal(netem_create(NULL, &em), -EINVAL);
    assert_null(em);
    assert_int_equal(netem_create(&cfg, NULL), -EINVAL);
    const struct netem_link bad[] = {{.loss = -0.01},        {.loss = 1.01},
                                     {.loss = NAN},          {.burst_p = 2},
                                     {.burst_r = -1},        {.burst_loss = 1.5},
                                     {.reorder = 1.1},       {.duplicate = -0.5},
                                     {.delay_us = -1},       {.delay_us = 60000001},
                                     {.jitter_us = -5},      {.reorder_extra_us = -1},
                                     {.jitter_dist = 2},     {.rate_bps = 100000000001ull},
                                     {.jitter_us = 60000001}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg.link[i % 2] = bad[i];
        assert_int_equal(netem_create(&cfg, &em), -EINVAL);
        cfg.link[i % 2] = (struct netem_link){0};
    }
    cfg.max_datagrams = (1u << 20) + 1;
    assert_int_equal(netem_create(&cfg, &em), -EINVAL);
    cfg.max_datagrams = 0;
    cfg.max_datagram_size = 65536;
    assert_int_equal(netem_create(&cfg, &em), -EINVAL);
    cfg.max_datagram_size = 0;
    /* the limits themselves are fine */
    cfg.link[0] = (struct netem_link){.loss = 1, .delay_us = 60000000, .rate_bps = 100000000000ull};
    em = make(&cfg);
    assert_int_equal(netem_set_link(em, NETEM_UP, &bad[0]), -EINVAL);
    assert_int_equal(netem_set_link(em, 2, &cfg.link[1]), -EINVAL);
    assert_int_equal(netem_set_link(em, NETEM_UP, NULL), -EINVAL);
    assert_int_equal(netem_push(em, 2, (const uint8_t *)"x", 1, 0), -EINVAL);
    assert_int_equal(netem_push(em, NETEM_UP, NULL, 1, 0), -EINVAL);
    assert_int_equal(netem_push(NULL, NETEM_UP, (const uint8_t *)"x", 1, 0), -EINVAL);
    struct netem_stats s;
    netem_get_stats(em, 5, &s);
    assert_int_equal(s.in, 0);
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.in, 0); /* rejected calls count nothing */
    struct netem_datagram g;
    assert_false(netem_poll(NULL, 0, &g));
    assert_false(netem_poll(em, 0, NULL));
    assert_int_equal(netem_poll_timeout(NULL), INT64_MAX);
    netem_destroy(em);
    netem_destroy(NULL);
}

/* A perfect link hands everything back at once, in push order over both
 * directions, with its direction and bytes intact; empty datagrams too. */
static void test_perfect_link(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 1};
    struct netem *em = make(&cfg);
    assert_int_equal(netem_poll_timeout(em), INT64_MAX);
    for (uint32_t i = 0; i < 500; i++)
        assert_int_equal(push_i(em, (enum netem_dir)(i % 3 == 0), i, 4 + i % 1000, 1000), 0);
    assert_int_equal(netem_push(em, NETEM_DOWN, NULL, 0, 1000), 0);
    assert_int_equal(netem_held(em, NETEM_DIRS), 501);
    assert_int_equal(netem_poll_timeout(em), 1000);
    struct netem_datagram g;
    for (uint32_t i = 0; i < 500; i++) {
        assert_true(netem_poll(em, 1000, &g));
        assert_int_equal(index_of(&g), i);
        assert_int_equal(g.dir, (enum netem_dir)(i % 3 == 0));
        assert_int_equal(g.len, 4 + i % 1000);
        assert_int_equal(g.release_us, 1000);
        for (size_t k = 4; k < g.len; k++)
            assert_int_equal(g.data[k], i & 0xff);
    }
    assert_true(netem_poll(em, 1000, &g));
    assert_int_equal(g.len, 0);
    assert_int_equal(g.dir, NETEM_DOWN);
    assert_false(netem_poll(em, 1000000, &g));
    struct netem_stats up, down;
    netem_get_stats(em, NETEM_UP, &up);
    netem_get_stats(em, NETEM_DOWN, &down);
    assert_int_equal(up.in, 333);
    assert_int_equal(up.out, 333);
    assert_int_equal(down.in, 168);
    assert_int_equal(down.out, 168);
    assert_int_equal(up.reordered + down.reordered + up.dropped_loss + down.duplicated, 0);
    check_balance(em);
    netem_destroy(em);
}

/* A fixed delay without jitter: on a clock ticking every microsecond,
 * each datagram comes out exactly delay_us after its push, never earlier;
 * a clock that goes back counts as the latest time seen. */
static void test_delay_exact(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 3};
    cfg.link[NETEM_UP].delay_us = 25000;
    cfg.link[NETEM_DOWN].delay_us = 40000;
    struct netem *em = make(&cfg);
    struct netem_datagram g;
    uint32_t next_push = 0, next_out = 0;
    for (int64_t t = 0; t <= 100000; t++) {
        if (next_push < 100 && t == 1000 + 333 * (int64_t)next_push)
            assert_int_equal(push_i(em, NETEM_UP, next_push++, 100, t), 0);
        while (netem_poll(em, t, &g)) {
            assert_int_equal(index_of(&g), next_out);
            assert_int_equal(t, 1000 + 333 * (int64_t)next_out + 25000);
            assert_int_equal(g.release_us, t);
            next_out++;
        }
        if (next_out < next_push)
            assert_int_equal(netem_poll_timeout(em), 1000 + 333 * (int64_t)next_out + 25000);
    }
    assert_int_equal(next_out, 100);
    /* now is 100000: an older push time counts as that */
    assert_int_equal(push_i(em, NETEM_DOWN, 7, 10, 5), 0);
    assert_int_equal(netem_poll_timeout(em), 140000);
    assert_false(netem_poll(em, 139999, &g));
    assert_true(netem_poll(em, 140000, &g));
    assert_int_equal(g.dir, NETEM_DOWN);
    /* at the end of time, delays and the rate cap saturate */
    assert_int_equal(push_i(em, NETEM_DOWN, 8, 10, 150000), 0);
    assert_true(netem_poll(em, INT64_MAX, &g));
    struct netem_link l = {.delay_us = 1000, .reorder = 1, .rate_bps = 3};
    assert_int_equal(netem_set_link(em, NETEM_UP, &l), 0);
    assert_int_equal(push_i(em, NETEM_UP, 9, 10, 0), 0);
    assert_int_equal(push_i(em, NETEM_UP, 10, 10, 0), 0);
    assert_int_equal(netem_poll_timeout(em), INT64_MAX);
    assert_true(netem_poll(em, INT64_MAX, &g));
    assert_int_equal(index_of(&g), 9);
    assert_int_equal(g.release_us, INT64_MAX);
    assert_true(netem_poll(em, INT64_MAX, &g));
    check_balance(em);
    netem_destroy(em);
}

/* Rate cap: 1000 bytes at 800 kbit/s take 10 ms each, back to back; an
 * uneven rate (100 bytes at 3 kbit/s = 266 666.67 us) rounds each release
 * up without drift; an idle link starts afresh; the delay comes after. */
static void test_rate_cap_exact(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 4};
    cfg.link[NETEM_UP].rate_bps = 800000;
    cfg.link[NETEM_DOWN].rate_bps = 3000;
    cfg.link[NETEM_DOWN].delay_us = 5000;
    struct netem *em = make(&cfg);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(push_i(em, NETEM_UP, i, 1000, 0), 0);
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(push_i(em, NETEM_DOWN, i, 100, 0), 0);
    const int64_t up_due[] = {10000, 20000, 30000, 40000, 50000};
    const int64_t down_due[] = {266667 + 5000, 533334 + 5000, 800000 + 5000};
    struct netem_datagram g;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(netem_poll_timeout(em), up_due[i]);
        assert_false(netem_poll(em, up_due[i] - 1, &g));
        assert_true(netem_poll(em, up_due[i], &g));
        assert_int_equal(g.dir, NETEM_UP);
        assert_int_equal(index_of(&g), (uint32_t)i);
    }
    for (int i = 0; i < 3; i++) {
        assert_int_equal(netem_poll_timeout(em), down_due[i]);
        assert_false(netem_poll(em, down_due[i] - 1, &g));
        assert_true(netem_poll(em, down_due[i], &g));
        assert_int_equal(index_of(&g), (uint32_t)i);
    }
    /* the up link has been idle since 50 ms: a push at 70 ms takes 10 ms */
    assert_int_equal(push_i(em, NETEM_UP, 9, 1000, 70000 + 805000), 0);
    assert_int_equal(netem_poll_timeout(em), 885000);
    /* pushed while busy: queued behind it */
    assert_int_equal(push_i(em, NETEM_UP, 10, 500, 880000), 0);
    assert_true(netem_poll(em, 885000, &g));
    assert_int_equal(netem_poll_timeout(em), 890000);
    check_balance(em);
    netem_destroy(em);
}

/* Drop-tail: at 8 kbit/s (1 byte per ms) with a 3000-byte queue, three
 * 1000-byte datagrams fit, the next seven are dropped; once the first is
 * sent (1 s) there is room for one more. */
static void test_queue_overflow(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 5};
    cfg.link[NETEM_UP].rate_bps = 8000;
    cfg.link[NETEM_UP].queue_bytes = 3000;
    struct netem *em = make(&cfg);
    for (uint32_t i = 0; i < 10; i++)
        assert_int_equal(push_i(em, NETEM_UP, i, 1000, 0), 0);
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.in, 10);
    assert_int_equal(s.dropped_queue, 7);
    assert_int_equal(netem_held(em, NETEM_UP), 3);
    assert_int_equal(push_i(em, NETEM_UP, 10, 1000, 999999), 0);
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.dropped_queue, 8);
    assert_int_equal(push_i(em, NETEM_UP, 11, 1000, 1000000), 0);
    assert_int_equal(push_i(em, NETEM_UP, 12, 4, 1000000), 0);
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.dropped_queue, 9);
    /* bigger than the whole queue (now 1200 bytes) */
    cfg.link[NETEM_UP].queue_bytes = 1200;
    assert_int_equal(netem_set_link(em, NETEM_UP, &cfg.link[NETEM_UP]), 0);
    assert_int_equal(push_i(em, NETEM_UP, 13, 1500, 4000000), 0);
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.dropped_queue, 10);
    struct netem_datagram g;
    const uint32_t want[] = {0, 1, 2, 11};
    const int64_t due[] = {1000000, 2000000, 3000000, 4000000};
    for (int i = 0; i < 4; i++) {
        assert_true(netem_poll(em, 10000000, &g));
        assert_int_equal(index_of(&g), want[i]);
        assert_int_equal(g.release_us, due[i]);
    }
    assert_false(netem_poll(em, 10000000, &g));
    check_balance(em);
    netem_destroy(em);
}

/* The pool bounds what is held; an oversized datagram is refused. */
static void test_pool_and_size(void **state)
{
    (void)state;
    struct netem_cfg cfg = {.seed = 6, .max_datagrams = 4, .max_datagram_size = 100};
    cfg.link[NETEM_DOWN].delay_us = 1000;
    cfg.link[NETEM_DOWN].duplicate = 1.0;
    struct netem *em = make(&cfg);
    for (uint32_t i = 0; i < 4; i++)
        assert_int_equal(push_i(em, NETEM_UP, i, 100, 0), 0);
    assert_int_equal(push_i(em, NETEM_UP, 4, 10, 0), -ENOBUFS);
    assert_int_equal(push_i(em, NETEM_UP, 5, 101, 0), -EMSGSIZE);
    struct netem_stats s;
    netem_get_stats(em, NETEM_UP, &s);
    assert_int_equal(s.in, 6);
    assert_int_equal(s.dropped_pool, 1);
    assert_int_equal(s.dropped_size, 1);
    check_balance(em);
    struct netem_datagram g;
    assert_true(netem_poll(em, 0, &g));
    /* one slot left: the copy finds none */
    assert_int_equal(push_i(em, NETEM_DOWN, 6, 10, 0), -ENOBUFS);
    netem_get_stats(em, NETEM_DOWN, &s);
    assert_int_equal(s.duplicated, 1);
    assert_int_equal(s.dropped_pool, 1);
    assert_int_equal(netem_held(em, NETEM_DOWN), 1);
    check_balance(em);
    netem_destroy(em);
}

static void test_enomem_sweep(void **state)
{
    (void)state;
    long live = mem_live_count();
    struct netem_cfg cfg = {.seed = 9, .max_datagrams = 16};
    cfg.link[NETEM_UP].rate_bps = 1000000;
    for (unsigned long nth = 1;; nth++) {
        struct netem *em = (struct netem *)1;
        mem_fail_nth(nth);
        int rc = netem_create(&cfg, &em);
        mem_fail_nth(0);
        if (rc == 0) {
            assert_int_equal(nth, 8); /* 7 allocations: struct, 4 tables, 2 rings */
            /* pushing and polling allocate nothing */
            mem_fail_nth(1);
            for (uint32_t i = 0; i < 20; i++)
                (void)push_i(em, (enum netem_dir)(i & 1), i, 50, i);
            struct netem_datagram g;
            while (netem_poll(em, INT64_MAX, &g))
                ;
            assert_int_equal(mem_alloc_count(), 0);
            mem_fail_nth(0);
            netem_destroy(em);
            break;
        }
        assert_int_equal(rc, -ENOMEM);
        assert_null(em);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(mem_live_count(), live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid),        cmocka_unit_test(test_perfect_link),
        cmocka_unit_test(test_delay_exact),    cmocka_unit_test(test_rate_cap_exact),
        cmocka_unit_test(test_queue_overflow), cmocka_unit_test(test_pool_and_size),
        cmocka_unit_test(test_enomem_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
