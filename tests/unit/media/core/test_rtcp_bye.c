#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_bye.h"

/* BYE with a reason, hand-assembled:
 *   81 cb 00 04   V=2 SC=1 PT=203 length 4 -> 20 bytes
 *   5a 3b 1c 0d   SSRC
 *   08            reason length 8
 *   "shutdown"    73 68 75 74 64 6f 77 6e
 *   00 00 00      null octets to the boundary */
static const uint8_t bye_reason[] = {
    0x81, 0xcb, 0x00, 0x04, 0x5a, 0x3b, 0x1c, 0x0d, 0x08, 0x73,
    0x68, 0x75, 0x74, 0x64, 0x6f, 0x77, 0x6e, 0x00, 0x00, 0x00,
};

/* BYE for two sources (an SSRC and its RTX SSRC), no reason. */
static const uint8_t bye_two[] = {0x82, 0xcb, 0x00, 0x02, 0x5a, 0x3b,
                                  0x1c, 0x0d, 0x5a, 0x3b, 0x1c, 0x0e};

static void test_parse_with_reason(void **state)
{
    (void)state;
    struct rtcp_bye b;
    assert_int_equal(rtcp_bye_parse(&b, bye_reason, sizeof bye_reason), 0);
    assert_int_equal(b.n_ssrc, 1);
    assert_int_equal(b.ssrc[0], 0x5a3b1c0d);
    assert_true(b.has_reason);
    assert_int_equal(b.reason_len, 8);
    assert_memory_equal(b.reason, "shutdown", 8);
    uint8_t out[32];
    size_t w = 0;
    assert_int_equal(rtcp_bye_write(&b, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof bye_reason);
    assert_memory_equal(out, bye_reason, sizeof bye_reason);
    assert_int_equal(rtcp_bye_write(&b, out, sizeof bye_reason - 1, &w), -ENOSPC);
}

static void test_parse_without_reason(void **state)
{
    (void)state;
    struct rtcp_bye b;
    assert_int_equal(rtcp_bye_parse(&b, bye_two, sizeof bye_two), 0);
    assert_int_equal(b.n_ssrc, 2);
    assert_int_equal(b.ssrc[1], 0x5a3b1c0e);
    assert_false(b.has_reason);
    uint8_t out[16];
    size_t w = 0;
    assert_int_equal(rtcp_bye_write(&b, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof bye_two);
    assert_memory_equal(out, bye_two, sizeof bye_two);
}

static void test_round_trip_reason_lengths(void **state)
{
    (void)state;
    uint8_t text[255];
    memset(text, 'r', sizeof text);
    for (size_t len = 0; len <= 255; len += 1) {
        struct rtcp_bye b = {
            .n_ssrc = 31, .has_reason = true, .reason_len = (uint8_t)len, .reason = text};
        for (int i = 0; i < 31; i++)
            b.ssrc[i] = 0xabc00000u + i;
        uint8_t out[4 + 124 + 256];
        size_t w = 0;
        assert_int_equal(rtcp_bye_write(&b, out, sizeof out, &w), 0);
        assert_int_equal(w % 4, 0);
        struct rtcp_bye back;
        assert_int_equal(rtcp_bye_parse(&back, out, w), 0);
        assert_int_equal(back.n_ssrc, 31);
        assert_int_equal(back.ssrc[30], 0xabc00000u + 30);
        assert_true(back.has_reason);
        assert_int_equal(back.reason_len, len);
        assert_memory_equal(back.reason, text, len);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_bye b;
    uint8_t p[sizeof bye_reason];
    /* truncated */
    assert_int_equal(rtcp_bye_parse(&b, bye_reason, sizeof bye_reason - 4), -EBADMSG);
    /* SC larger than the length allows: 5 SSRCs in 16 bytes of body */
    memcpy(p, bye_reason, sizeof p);
    p[0] = 0x85;
    assert_int_equal(rtcp_bye_parse(&b, p, sizeof p), -EBADMSG);
    /* the reason length runs past the packet */
    memcpy(p, bye_reason, sizeof p);
    p[8] = 12;
    assert_int_equal(rtcp_bye_parse(&b, p, sizeof p), -EBADMSG);
    p[8] = 11; /* exactly fills it: fine, no terminating null needed */
    assert_int_equal(rtcp_bye_parse(&b, p, sizeof p), 0);
    assert_int_equal(b.reason_len, 11);
    /* not a BYE */
    memcpy(p, bye_reason, sizeof p);
    p[1] = 202;
    assert_int_equal(rtcp_bye_parse(&b, p, sizeof p), -EINVAL);
    struct rtcp_bye bad = {.n_ssrc = 32};
    size_t w = 0;
    assert_int_equal(rtcp_bye_write(&bad, p, sizeof p, &w), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_with_reason),
        cmocka_unit_test(test_parse_without_reason),
        cmocka_unit_test(test_round_trip_reason_lengths),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
