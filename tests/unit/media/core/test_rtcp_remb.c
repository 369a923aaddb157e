#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_remb.h"

/* A REMB of 1 Mbit/s for one stream, hand-assembled:
 *   8f ce 00 05   V=2 FMT=15 PT=206 length 5 -> 24 bytes
 *   00 00 00 01   sender SSRC 1
 *   00 00 00 00   media SSRC 0
 *   52 45 4d 42   'R' 'E' 'M' 'B'
 *   01            Num SSRC 1
 *   0b d0 90      exp 2 (0b000010), mantissa 0x3d090 = 250000:
 *                 0x0b = 2 << 2 | 0x3d090 >> 16; 250000 << 2 = 1000000
 *   5a 3b 1c 0d   SSRC feedback */
static const uint8_t remb_pkt[] = {0x8f, 0xce, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01,
                                   0x00, 0x00, 0x00, 0x00, 0x52, 0x45, 0x4d, 0x42,
                                   0x01, 0x0b, 0xd0, 0x90, 0x5a, 0x3b, 0x1c, 0x0d};

static void test_parse_and_write_known(void **state)
{
    (void)state;
    struct rtcp_remb r;
    assert_int_equal(rtcp_remb_parse(&r, remb_pkt, sizeof remb_pkt), 0);
    assert_int_equal(r.sender_ssrc, 1);
    assert_int_equal(r.media_ssrc, 0);
    assert_true(r.bitrate == 1000000);
    assert_int_equal(r.n_ssrc, 1);
    assert_int_equal(r.ssrc[0], 0x5a3b1c0d);
    uint8_t out[24];
    size_t w = 0;
    assert_int_equal(rtcp_remb_write(&r, out, sizeof out, &w), 0);
    assert_int_equal(w, 24);
    assert_memory_equal(out, remb_pkt, 24);
    assert_int_equal(rtcp_remb_write(&r, out, 23, &w), -ENOSPC);
}

static uint64_t through_wire(uint64_t bitrate)
{
    struct rtcp_remb r = {.bitrate = bitrate};
    uint8_t out[20];
    size_t w = 0;
    assert_int_equal(rtcp_remb_write(&r, out, sizeof out, &w), 0);
    assert_int_equal(w, 20);
    struct rtcp_remb back;
    assert_int_equal(rtcp_remb_parse(&back, out, w), 0);
    assert_int_equal(back.n_ssrc, 0);
    return back.bitrate;
}

static void test_bitrate_encoding(void **state)
{
    (void)state;
    assert_true(through_wire(0) == 0);
    assert_true(through_wire(0x3ffff) == 0x3ffff); /* exp 0 */
    assert_true(through_wire(0x40000) == 0x40000); /* exp 1 */
    assert_true(through_wire(2500000) == 2500000); /* 0x2625a0: exp 4, exact */
    assert_true(through_wire(0x40001) == 0x40000); /* rounded down */
    assert_true(through_wire(UINT64_MAX) == 0x3ffffull << 46);
    assert_true(through_wire(0x3ffffull << 46) == 0x3ffffull << 46);
    /* exact for every m << e that fits */
    for (unsigned e = 0; e < 47; e++)
        assert_true(through_wire(0x2aaabull << e) == 0x2aaabull << e);
}

static void test_many_ssrcs(void **state)
{
    (void)state;
    struct rtcp_remb r = {.sender_ssrc = 2, .bitrate = 300000, .n_ssrc = 255};
    for (int i = 0; i < 255; i++)
        r.ssrc[i] = 0x77000000u + i;
    uint8_t out[20 + 4 * 255];
    size_t w = 0;
    assert_int_equal(rtcp_remb_write(&r, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof out);
    struct rtcp_remb back;
    assert_int_equal(rtcp_remb_parse(&back, out, w), 0);
    assert_int_equal(back.n_ssrc, 255);
    assert_int_equal(back.ssrc[254], 0x77000000u + 254);
    assert_true(back.bitrate == 300000);
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_remb r;
    uint8_t p[sizeof remb_pkt];
    assert_int_equal(rtcp_remb_parse(&r, remb_pkt, sizeof remb_pkt - 1), -EBADMSG);
    /* Num SSRC larger than the length allows */
    memcpy(p, remb_pkt, sizeof p);
    p[16] = 2;
    assert_int_equal(rtcp_remb_parse(&r, p, sizeof p), -EBADMSG);
    /* another application-layer message */
    memcpy(p, remb_pkt, sizeof p);
    p[15] = 'X';
    assert_int_equal(rtcp_remb_parse(&r, p, sizeof p), -EBADMSG);
    /* too short to hold the identifier */
    memcpy(p, remb_pkt, sizeof p);
    p[3] = 0x03;
    assert_int_equal(rtcp_remb_parse(&r, p, sizeof p), -EBADMSG);
    /* exp 63 with a non-zero mantissa: over 64 bits */
    memcpy(p, remb_pkt, sizeof p);
    p[17] = 63 << 2;
    assert_int_equal(rtcp_remb_parse(&r, p, sizeof p), -EBADMSG);
    p[18] = 0, p[19] = 1; /* mantissa 1 << 63 still fits */
    assert_int_equal(rtcp_remb_parse(&r, p, sizeof p), 0);
    assert_true(r.bitrate == 1ull << 63);
    /* PLI is not REMB */
    memcpy(p, remb_pkt, sizeof p);
    p[0] = 0x81;
    assert_int_equal(rtcp_remb_parse(&r, p, sizeof p), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_write_known),
        cmocka_unit_test(test_bitrate_encoding),
        cmocka_unit_test(test_many_ssrcs),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
