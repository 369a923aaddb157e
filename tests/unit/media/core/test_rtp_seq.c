#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/rtp_seq.h"

static void test_seq_compare(void **state)
{
    (void)state;
    assert_int_equal(rtp_seq_diff(5, 3), 2);
    assert_int_equal(rtp_seq_diff(3, 5), -2);
    assert_int_equal(rtp_seq_diff(0, 65535), 1);
    assert_int_equal(rtp_seq_diff(65535, 0), -1);
    assert_int_equal(rtp_seq_diff(100, 65000), 636);
    assert_int_equal(rtp_seq_diff(0x7fff, 0), 0x7fff);
    assert_int_equal(rtp_seq_diff(0x8001, 0), -0x7fff);
    assert_true(rtp_seq_newer(0, 65535));
    assert_false(rtp_seq_newer(65535, 0));
    assert_true(rtp_seq_older(65535, 0));
    assert_false(rtp_seq_newer(7, 7));
    assert_false(rtp_seq_older(7, 7));
    assert_int_equal(rtp_seq_max(65534, 2), 2);
    assert_int_equal(rtp_seq_max(2, 65534), 2);
    assert_int_equal(rtp_seq_max(10, 9), 10);
}

/* Exactly half the space apart: one of the two is newer, never both. */
static void test_seq_half_space(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 65536; a += 257) {
        uint16_t b = (uint16_t)(a + 0x8000);
        assert_true(rtp_seq_newer((uint16_t)a, b) != rtp_seq_newer(b, (uint16_t)a));
        assert_int_equal(rtp_seq_diff((uint16_t)a, b), -rtp_seq_diff(b, (uint16_t)a));
    }
    assert_true(rtp_seq_newer(0x8000, 0));
    assert_int_equal(rtp_seq_diff(0x8000, 0), 0x8000);
}

static void test_ts_compare(void **state)
{
    (void)state;
    assert_int_equal(rtp_seq_ts_diff(0, 0xffffffffu), 1);
    assert_int_equal(rtp_seq_ts_diff(0xffffffffu, 0), -1);
    assert_int_equal(rtp_seq_ts_diff(960, 0xfffffc40u), 1920);
    assert_true(rtp_seq_ts_newer(960, 0xfffffc40u));
    assert_true(rtp_seq_ts_older(0xfffffc40u, 960));
    assert_false(rtp_seq_ts_newer(90000, 90000));
    assert_int_equal(rtp_seq_ts_diff(0x80000000u, 0), 0x80000000LL);
    assert_int_equal(rtp_seq_ts_diff(0, 0x80000000u), -0x80000000LL);
    assert_true(rtp_seq_ts_newer(0x80000000u, 0) != rtp_seq_ts_newer(0, 0x80000000u));
}

static void test_unwrap_in_order_across_wrap(void **state)
{
    (void)state;
    struct rtp_seq_unwrapper u = {0};
    static const uint16_t in[] = {65533, 65534, 65535, 0, 1, 2};
    for (int i = 0; i < 6; i++)
        assert_int_equal(rtp_seq_unwrap(&u, in[i]), 65533 + i);
}

/* RFC 3550 A.1's concern: a late packet from before the wrap must not be
 * counted a whole cycle ahead. */
static void test_unwrap_reordered_around_wrap(void **state)
{
    (void)state;
    struct rtp_seq_unwrapper u = {0};
    assert_int_equal(rtp_seq_unwrap(&u, 65534), 65534);
    assert_int_equal(rtp_seq_unwrap(&u, 0), 65536);
    assert_int_equal(rtp_seq_unwrap(&u, 65535), 65535);
    assert_int_equal(rtp_seq_unwrap(&u, 65533), 65533);
    assert_int_equal(rtp_seq_unwrap(&u, 1), 65537);
    /* A late packet does not pull the reference back. */
    assert_int_equal(u.highest, 65537);
    assert_int_equal(rtp_seq_unwrap(&u, 2), 65538);
    /* Duplicates map to the same value. */
    assert_int_equal(rtp_seq_unwrap(&u, 2), 65538);
}

static void test_unwrap_many_cycles(void **state)
{
    (void)state;
    struct rtp_seq_unwrapper u;
    rtp_seq_reset(&u);
    int64_t expect = 40000;
    uint16_t s = 40000;
    assert_int_equal(rtp_seq_unwrap(&u, s), expect);
    /* Jumps up to half the space forward, over five wraps. */
    for (int i = 0; i < 40; i++) {
        uint16_t step = (uint16_t)(1000 + i * 700);
        s = (uint16_t)(s + step);
        expect += step;
        assert_int_equal(rtp_seq_unwrap(&u, s), expect);
    }
    assert_true(expect > 5 * 65536);
    assert_int_equal(expect & 0xffff, s);
}

static void test_unwrap_before_first_and_peek(void **state)
{
    (void)state;
    struct rtp_seq_unwrapper u = {0};
    assert_int_equal(rtp_seq_unwrap_peek(&u, 9), 9);
    assert_false(u.started);
    assert_int_equal(rtp_seq_unwrap(&u, 2), 2);
    /* Older than the first packet, across the wrap: negative. */
    assert_int_equal(rtp_seq_unwrap(&u, 65535), -1);
    assert_int_equal(rtp_seq_unwrap(&u, 65000), -536);
    assert_int_equal(rtp_seq_unwrap_peek(&u, 10), 10);
    assert_int_equal(rtp_seq_unwrap_peek(&u, 65535), -1);
    assert_int_equal(u.highest, 2);
    /* After a wrap below zero the next forward packets stay consistent. */
    assert_int_equal(rtp_seq_unwrap(&u, 3), 3);
    rtp_seq_reset(&u);
    assert_int_equal(rtp_seq_unwrap(&u, 65535), 65535);
}

static void test_ts_unwrap(void **state)
{
    (void)state;
    struct rtp_seq_ts_unwrapper u;
    rtp_seq_ts_reset(&u);
    /* Opus at 48 kHz, 20 ms frames, across the 32-bit wrap. */
    uint32_t ts = 0xffffe200u;
    int64_t expect = ts;
    for (int i = 0; i < 10; i++, ts += 960, expect += 960)
        assert_int_equal(rtp_seq_ts_unwrap(&u, ts), expect);
    assert_true(expect > 0xffffffffLL);
    /* A frame reordered from before the wrap. */
    assert_int_equal(rtp_seq_ts_unwrap(&u, 0xfffffe00u), 0xfffffe00LL);
    assert_int_equal(rtp_seq_ts_unwrap_peek(&u, ts), expect);
    /* Video at 90 kHz, jumps of a second forward over two wraps. */
    rtp_seq_ts_reset(&u);
    ts = 0x7ffffff0u;
    expect = ts;
    assert_int_equal(rtp_seq_ts_unwrap(&u, ts), expect);
    for (int i = 0; i < 3; i++) {
        ts += 0x7fff0000u;
        expect += 0x7fff0000LL;
        assert_int_equal(rtp_seq_ts_unwrap(&u, ts), expect);
    }
    assert_true(expect > 0x100000000LL * 1);
    assert_int_equal(rtp_seq_ts_unwrap(&u, 5), rtp_seq_ts_unwrap_peek(&u, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seq_compare),
        cmocka_unit_test(test_seq_half_space),
        cmocka_unit_test(test_ts_compare),
        cmocka_unit_test(test_unwrap_in_order_across_wrap),
        cmocka_unit_test(test_unwrap_reordered_around_wrap),
        cmocka_unit_test(test_unwrap_many_cycles),
        cmocka_unit_test(test_unwrap_before_first_and_peek),
        cmocka_unit_test(test_ts_unwrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
