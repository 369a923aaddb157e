#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/ntp_time.h"

/* 1970-01-01 is 2208988800 s = 0x83aa7e80 after 1900-01-01. */
static void test_from_us_known(void **state)
{
    (void)state;
    assert_true(ntp_time_from_us(0) == 0x83aa7e8000000000ull);
    /* 1.5 s: one more second, half a second of fraction. */
    assert_true(ntp_time_from_us(1500000) == 0x83aa7e8180000000ull);
    /* 2023-11-14 22:13:20 UTC = Unix 1700000000 = NTP 0xe8fe6f80 s;
     * .25 s = 0x40000000. */
    assert_true(ntp_time_from_us(1700000000250000LL) == 0xe8fe6f8040000000ull);
    /* 1 us = 2^32 / 1e6 = 4294.97 -> truncated to 4294 */
    assert_true(ntp_time_from_us(1) == (0x83aa7e8000000000ull | 4294u));
    assert_true(ntp_time_from_us(-5) == 0);
}

static void test_to_us_round_trip(void **state)
{
    (void)state;
    assert_int_equal(ntp_time_to_us(0x83aa7e8180000000ull), 1500000);
    assert_int_equal(ntp_time_to_us(0xe8fe6f8040000000ull), 1700000000250000LL);
    /* before 1970 */
    assert_int_equal(ntp_time_to_us(0x83aa7e7f80000000ull), -500000);
    static const int64_t us[] = {0, 1, 999999, 1234567, 1700000000123456LL, 2085978495999999LL};
    for (size_t i = 0; i < sizeof us / sizeof us[0]; i++)
        assert_int_equal(ntp_time_to_us(ntp_time_from_us(us[i])), us[i]);
}

static void test_mid32(void **state)
{
    (void)state;
    /* RFC 3550 §6.4.1's example LSR 0xb705:2000 is 46853.125 s: any NTP
     * time whose low 16 bits of seconds are 0xb705 and fraction .125. */
    assert_int_equal(ntp_time_mid32(0xe1b7b70520000000ull), 0xb7052000u);
    assert_int_equal(ntp_time_mid32(0x83aa7e8180000000ull), 0x7e818000u);
}

static void test_short(void **state)
{
    (void)state;
    /* RFC 3550's DLSR example: 0x0005:4000 is 5.250 s. */
    assert_int_equal(ntp_time_short_from_us(5250000), 0x00054000u);
    assert_int_equal(ntp_time_short_to_us(0x00054000u), 5250000);
    assert_int_equal(ntp_time_short_from_us(0), 0);
    assert_int_equal(ntp_time_short_from_us(-3), 0);
    /* 1/65536 s = 15.2588 us: 7 us rounds to 0, 8 us to 1 */
    assert_int_equal(ntp_time_short_from_us(7), 0);
    assert_int_equal(ntp_time_short_from_us(8), 1);
    assert_int_equal(ntp_time_short_to_us(1), 15);
    assert_int_equal(ntp_time_short_to_us(3), 46); /* 45.78 */
    /* 65536 s and beyond do not fit: clamped */
    assert_int_equal(ntp_time_short_from_us(65535999000LL), 0xffffffbeu);
    assert_int_equal(ntp_time_short_from_us(65536000000LL), UINT32_MAX);
    assert_int_equal(ntp_time_short_from_us(INT64_MAX), UINT32_MAX);
}

/* RFC 3550 §6.4.1, figure 2: A = 0xb710:8000 (46864.500 s), DLSR =
 * 0x0005:4000 (5.250 s), LSR = 0xb705:2000 (46853.125 s): delay 0x0006:2000
 * (6.125 s). */
static void test_rtt_rfc_example(void **state)
{
    (void)state;
    assert_int_equal(ntp_time_rtt_us(0xb7108000u, 0xb7052000u, 0x00054000u), 6125000);
    /* across the wrap of the 16-bit seconds */
    assert_int_equal(ntp_time_rtt_us(0x00018000u, 0xfffe0000u, 0x00010000u), 2500000);
    /* DLSR a little larger than A - LSR: slightly negative */
    assert_int_equal(ntp_time_rtt_us(0x00010000u, 0x00008000u, 0x00008010u), -244);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_us_known),   cmocka_unit_test(test_to_us_round_trip),
        cmocka_unit_test(test_mid32),           cmocka_unit_test(test_short),
        cmocka_unit_test(test_rtt_rfc_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
