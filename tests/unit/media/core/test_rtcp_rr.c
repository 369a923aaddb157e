#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_rr.h"

/* The RR half of a Chromium compound RR + SDES (receive-only video stream,
 * sender SSRC 1), hand-assembled:
 *   81 c9 00 07   V=2 RC=1 PT=201 length 7 -> 32 bytes
 *   00 00 00 01   sender SSRC 1
 *   5a 3b 1c 0d   source SSRC
 *   05 00 00 2a   fraction 5/256, cumulative lost 42
 *   00 01 27 10   extended highest seq 75536
 *   00 00 00 91   jitter 145
 *   b5 c0 9d 8e   LSR
 *   00 00 4c cd   DLSR 19661/65536 s */
static const uint8_t rr_pkt[] = {
    0x81, 0xc9, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x5a, 0x3b, 0x1c, 0x0d, 0x05, 0x00, 0x00, 0x2a,
    0x00, 0x01, 0x27, 0x10, 0x00, 0x00, 0x00, 0x91, 0xb5, 0xc0, 0x9d, 0x8e, 0x00, 0x00, 0x4c, 0xcd,
};

/* The empty RR that heads a compound when there is nothing to report. */
static const uint8_t empty_rr[] = {0x80, 0xc9, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01};

static void test_parse_chromium_rr(void **state)
{
    (void)state;
    struct rtcp_rr rr;
    assert_int_equal(rtcp_rr_parse(&rr, rr_pkt, sizeof rr_pkt), 0);
    assert_int_equal(rr.ssrc, 1);
    assert_int_equal(rr.rb_count, 1);
    assert_int_equal(rr.rb[0].ssrc, 0x5a3b1c0d);
    assert_int_equal(rr.rb[0].fraction_lost, 5);
    assert_int_equal(rr.rb[0].cumulative_lost, 42);
    assert_int_equal(rr.rb[0].ext_highest_seq, 75536);
    assert_int_equal(rr.rb[0].jitter, 145);
    assert_int_equal(rr.rb[0].lsr, 0xb5c09d8e);
    assert_int_equal(rr.rb[0].dlsr, 0x4ccd);
}

static void test_empty_rr(void **state)
{
    (void)state;
    struct rtcp_rr rr;
    assert_int_equal(rtcp_rr_parse(&rr, empty_rr, sizeof empty_rr), 0);
    assert_int_equal(rr.ssrc, 1);
    assert_int_equal(rr.rb_count, 0);
    uint8_t out[8];
    size_t w = 0;
    assert_int_equal(rtcp_rr_write(&rr, out, sizeof out, &w), 0);
    assert_int_equal(w, 8);
    assert_memory_equal(out, empty_rr, 8);
}

static void test_write_known_and_round_trip(void **state)
{
    (void)state;
    struct rtcp_rr rr;
    assert_int_equal(rtcp_rr_parse(&rr, rr_pkt, sizeof rr_pkt), 0);
    uint8_t out[4 + 4 + 24 * RTCP_RB_MAX];
    size_t w = 0;
    assert_int_equal(rtcp_rr_write(&rr, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof rr_pkt);
    assert_memory_equal(out, rr_pkt, sizeof rr_pkt);

    rr.rb_count = RTCP_RB_MAX;
    for (int i = 1; i < RTCP_RB_MAX; i++) {
        rr.rb[i] = rr.rb[0];
        rr.rb[i].ssrc = 0x1000u + i;
        rr.rb[i].cumulative_lost = -i;
    }
    assert_int_equal(rtcp_rr_write(&rr, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof out);
    struct rtcp_rr back;
    assert_int_equal(rtcp_rr_parse(&back, out, w), 0);
    assert_int_equal(back.rb_count, RTCP_RB_MAX);
    assert_int_equal(back.rb[30].ssrc, 0x1000u + 30);
    assert_int_equal(back.rb[30].cumulative_lost, -30);
    assert_int_equal(back.rb[30].lsr, 0xb5c09d8e);
    assert_int_equal(rtcp_rr_write(&rr, out, sizeof out - 1, &w), -ENOSPC);
    rr.rb_count = 32;
    assert_int_equal(rtcp_rr_write(&rr, out, sizeof out, &w), -EINVAL);
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_rr rr;
    uint8_t p[sizeof rr_pkt];
    memcpy(p, rr_pkt, sizeof p);
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p - 1), -EBADMSG); /* truncated */
    p[0] = 0x83; /* RC 3, one block's worth of length */
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p), -EBADMSG);
    p[0] = 0x9f; /* RC 31 */
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p), -EBADMSG);
    memcpy(p, rr_pkt, sizeof p);
    p[3] = 0x08; /* the length lies: 36 bytes in a 32-byte buffer */
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p), -EBADMSG);
    /* an RR of just the header: no sender SSRC */
    const uint8_t bare[4] = {0x80, 0xc9, 0x00, 0x00};
    assert_int_equal(rtcp_rr_parse(&rr, bare, sizeof bare), -EBADMSG);
    assert_int_equal(rtcp_rr_parse(&rr, empty_rr, 0), -EBADMSG);
    memcpy(p, rr_pkt, sizeof p);
    p[1] = 200; /* an SR */
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p), -EINVAL);
}

/* Padding at the end of an RR must not be read as a report block. */
static void test_padding_not_a_block(void **state)
{
    (void)state;
    uint8_t p[8 + 24];
    memcpy(p, empty_rr, 8);
    memset(p + 8, 0, 24);
    p[0] = 0xa1; /* P=1, RC=1 */
    p[3] = 0x07;
    p[31] = 24; /* all 24 bytes after the SSRC are padding */
    struct rtcp_rr rr;
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p), -EBADMSG);
    p[0] = 0xa0; /* RC=0: fine */
    assert_int_equal(rtcp_rr_parse(&rr, p, sizeof p), 0);
    assert_int_equal(rr.rb_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_chromium_rr),          cmocka_unit_test(test_empty_rr),
        cmocka_unit_test(test_write_known_and_round_trip), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_padding_not_a_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
