#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_rb.h"

/* The report block of a Chromium receiver report, hand-assembled:
 *   5a 3b 1c 0d   source SSRC
 *   05            fraction lost 5/256
 *   00 00 2a      cumulative lost 42
 *   00 01 27 10   extended highest seq: 1 cycle, seq 10000 -> 75536
 *   00 00 00 91   jitter 145
 *   b5 c0 9d 8e   LSR
 *   00 00 4c cd   DLSR 19661/65536 s */
static const uint8_t block[24] = {0x5a, 0x3b, 0x1c, 0x0d, 0x05, 0x00, 0x00, 0x2a,
                                  0x00, 0x01, 0x27, 0x10, 0x00, 0x00, 0x00, 0x91,
                                  0xb5, 0xc0, 0x9d, 0x8e, 0x00, 0x00, 0x4c, 0xcd};

static void test_parse_known_block(void **state)
{
    (void)state;
    struct rtcp_rb rb;
    assert_int_equal(rtcp_rb_parse(&rb, block, sizeof block), 0);
    assert_int_equal(rb.ssrc, 0x5a3b1c0d);
    assert_int_equal(rb.fraction_lost, 5);
    assert_int_equal(rb.cumulative_lost, 42);
    assert_int_equal(rb.ext_highest_seq, 75536);
    assert_int_equal(rb.jitter, 145);
    assert_int_equal(rb.lsr, 0xb5c09d8e);
    assert_int_equal(rb.dlsr, 19661);
}

static void test_negative_cumulative_lost(void **state)
{
    (void)state;
    uint8_t p[24];
    memcpy(p, block, sizeof p);
    struct rtcp_rb rb;
    p[5] = 0xff, p[6] = 0xff, p[7] = 0xfe; /* -2: duplicates exceed losses */
    assert_int_equal(rtcp_rb_parse(&rb, p, sizeof p), 0);
    assert_int_equal(rb.cumulative_lost, -2);
    p[5] = 0x80, p[6] = 0x00, p[7] = 0x00;
    assert_int_equal(rtcp_rb_parse(&rb, p, sizeof p), 0);
    assert_int_equal(rb.cumulative_lost, -0x800000);
    p[5] = 0x7f, p[6] = 0xff, p[7] = 0xff;
    assert_int_equal(rtcp_rb_parse(&rb, p, sizeof p), 0);
    assert_int_equal(rb.cumulative_lost, 0x7fffff);
}

static void test_write_known_block_and_clamp(void **state)
{
    (void)state;
    struct rtcp_rb rb;
    assert_int_equal(rtcp_rb_parse(&rb, block, sizeof block), 0);
    uint8_t out[24];
    size_t w = 0;
    assert_int_equal(rtcp_rb_write(&rb, out, sizeof out, &w), 0);
    assert_int_equal(w, 24);
    assert_memory_equal(out, block, 24);

    rb.cumulative_lost = 0x1000000; /* beyond 24 bits: clamped (RFC 3550 A.3) */
    assert_int_equal(rtcp_rb_write(&rb, out, sizeof out, &w), 0);
    assert_int_equal(out[5], 0x7f);
    assert_int_equal(out[6], 0xff);
    assert_int_equal(out[7], 0xff);
    rb.cumulative_lost = -0x900000;
    assert_int_equal(rtcp_rb_write(&rb, out, sizeof out, &w), 0);
    assert_int_equal(out[5], 0x80);
    assert_int_equal(out[6], 0x00);
    assert_int_equal(out[7], 0x00);
    rb.cumulative_lost = -1;
    assert_int_equal(rtcp_rb_write(&rb, out, sizeof out, &w), 0);
    struct rtcp_rb back;
    assert_int_equal(rtcp_rb_parse(&back, out, sizeof out), 0);
    assert_int_equal(back.cumulative_lost, -1);
}

static void test_truncated_and_short_buffer(void **state)
{
    (void)state;
    struct rtcp_rb rb;
    assert_int_equal(rtcp_rb_parse(&rb, block, 23), -EBADMSG);
    assert_int_equal(rtcp_rb_parse(&rb, block, 0), -EBADMSG);
    assert_int_equal(rtcp_rb_parse(NULL, block, 24), -EINVAL);
    uint8_t out[23];
    size_t w = 0;
    assert_int_equal(rtcp_rb_parse(&rb, block, 24), 0);
    assert_int_equal(rtcp_rb_write(&rb, out, sizeof out, &w), -ENOSPC);
}

static void test_list(void **state)
{
    (void)state;
    struct rtcp_rb rbs[RTCP_RB_MAX];
    uint8_t buf[24 * 3];
    for (int i = 0; i < 3; i++) {
        memcpy(buf + 24 * i, block, 24);
        buf[24 * i + 3] = (uint8_t)i;
    }
    assert_int_equal(rtcp_rb_parse_list(rbs, 3, buf, sizeof buf), 0);
    assert_int_equal(rbs[2].ssrc, 0x5a3b1c02);
    assert_int_equal(rtcp_rb_parse_list(rbs, 3, buf, sizeof buf - 1), -EBADMSG);
    assert_int_equal(rtcp_rb_parse_list(rbs, 32, buf, sizeof buf), -EINVAL);
    uint8_t out[24 * 3];
    size_t w = 0;
    assert_int_equal(rtcp_rb_write_list(rbs, 3, out, sizeof out, &w), 0);
    assert_int_equal(w, 72);
    assert_memory_equal(out, buf, 72);
    assert_int_equal(rtcp_rb_write_list(rbs, 3, out, 71, &w), -ENOSPC);
    assert_int_equal(rtcp_rb_write_list(rbs, 0, NULL, 0, &w), 0);
    assert_int_equal(w, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_known_block),
        cmocka_unit_test(test_negative_cumulative_lost),
        cmocka_unit_test(test_write_known_block_and_clamp),
        cmocka_unit_test(test_truncated_and_short_buffer),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
