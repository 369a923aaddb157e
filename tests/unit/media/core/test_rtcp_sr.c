#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_sr.h"

/* A video sender report with one report block, hand-assembled:
 *   81 c8 00 0c   V=2 RC=1 PT=200 length 12 -> 52 bytes (4 + 24 + 24)
 *   5a 3b 1c 0d   sender SSRC
 *   e9 4b 32 10   NTP seconds
 *   9e 35 3f 7c   NTP fraction
 *   00 2d c6 c0   RTP timestamp 3000000
 *   00 00 03 e8   packet count 1000
 *   00 0c 35 00   octet count 800000
 *   00 00 00 01   report block: source SSRC 1
 *   00 ff ff fe   fraction 0, cumulative lost -2 (two duplicates)
 *   00 00 03 20   extended highest seq 800
 *   00 00 00 0a   jitter 10
 *   00 00 00 00   LSR: no SR received yet
 *   00 00 00 00   DLSR */
static const uint8_t sr_pkt[] = {
    0x81, 0xc8, 0x00, 0x0c, 0x5a, 0x3b, 0x1c, 0x0d, 0xe9, 0x4b, 0x32, 0x10, 0x9e,
    0x35, 0x3f, 0x7c, 0x00, 0x2d, 0xc6, 0xc0, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x0c,
    0x35, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x03,
    0x20, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static void test_parse_known_sr(void **state)
{
    (void)state;
    struct rtcp_sr sr;
    assert_int_equal(rtcp_sr_parse(&sr, sr_pkt, sizeof sr_pkt), 0);
    assert_int_equal(sr.ssrc, 0x5a3b1c0d);
    assert_true(sr.ntp == 0xe94b32109e353f7cull);
    assert_int_equal(sr.rtp_ts, 3000000);
    assert_int_equal(sr.pkt_count, 1000);
    assert_int_equal(sr.octet_count, 800000);
    assert_int_equal(sr.rb_count, 1);
    assert_int_equal(sr.rb[0].ssrc, 1);
    assert_int_equal(sr.rb[0].cumulative_lost, -2);
    assert_int_equal(sr.rb[0].ext_highest_seq, 800);
    assert_int_equal(sr.rb[0].jitter, 10);
    /* A receiver echoes the middle 32 bits of the NTP time as LSR. */
    assert_int_equal(rtcp_sr_lsr(&sr), 0x32109e35);
}

static void test_write_known_sr(void **state)
{
    (void)state;
    struct rtcp_sr sr;
    assert_int_equal(rtcp_sr_parse(&sr, sr_pkt, sizeof sr_pkt), 0);
    uint8_t out[64];
    size_t w = 0;
    assert_int_equal(rtcp_sr_write(&sr, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof sr_pkt);
    assert_memory_equal(out, sr_pkt, sizeof sr_pkt);
    assert_int_equal(rtcp_sr_write(&sr, out, sizeof sr_pkt - 1, &w), -ENOSPC);
    sr.rb_count = 32;
    assert_int_equal(rtcp_sr_write(&sr, out, sizeof out, &w), -EINVAL);
}

static void test_round_trip_full(void **state)
{
    (void)state;
    struct rtcp_sr sr = {.ssrc = 7,
                         .ntp = 0x0123456789abcdefull,
                         .rtp_ts = 0xfffffff0,
                         .pkt_count = 1,
                         .octet_count = 0xffffffff,
                         .rb_count = RTCP_RB_MAX};
    for (int i = 0; i < RTCP_RB_MAX; i++)
        sr.rb[i] = (struct rtcp_rb){.ssrc = 100u + i,
                                    .fraction_lost = (uint8_t)i,
                                    .cumulative_lost = -i * 1000,
                                    .ext_highest_seq = 65536u * i,
                                    .jitter = 3u * i,
                                    .lsr = 5u * i,
                                    .dlsr = 7u * i};
    uint8_t out[4 + 24 + 24 * RTCP_RB_MAX];
    size_t w = 0;
    assert_int_equal(rtcp_sr_write(&sr, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof out);
    assert_int_equal(out[0], 0x80 | 31);
    struct rtcp_sr back;
    assert_int_equal(rtcp_sr_parse(&back, out, w), 0);
    assert_int_equal(back.rb_count, RTCP_RB_MAX);
    assert_true(back.ntp == sr.ntp);
    assert_int_equal(back.octet_count, 0xffffffff);
    for (int i = 0; i < RTCP_RB_MAX; i++) {
        assert_int_equal(back.rb[i].ssrc, 100u + i);
        assert_int_equal(back.rb[i].cumulative_lost, -i * 1000);
        assert_int_equal(back.rb[i].ext_highest_seq, 65536u * i);
        assert_int_equal(back.rb[i].dlsr, 7u * i);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_sr sr;
    uint8_t p[sizeof sr_pkt + 8];
    memcpy(p, sr_pkt, sizeof sr_pkt);
    /* truncated: the buffer ends before the length says */
    assert_int_equal(rtcp_sr_parse(&sr, p, sizeof sr_pkt - 4), -EBADMSG);
    assert_int_equal(rtcp_sr_parse(&sr, p, 2), -EBADMSG);
    /* RC 2 but room for one block */
    p[0] = 0x82;
    assert_int_equal(rtcp_sr_parse(&sr, p, sizeof sr_pkt), -EBADMSG);
    /* length shorter than the sender info */
    p[0] = 0x80;
    p[3] = 0x04; /* 20 bytes */
    assert_int_equal(rtcp_sr_parse(&sr, p, sizeof sr_pkt), -EBADMSG);
    /* not an SR */
    memcpy(p, sr_pkt, sizeof sr_pkt);
    p[1] = 201;
    assert_int_equal(rtcp_sr_parse(&sr, p, sizeof sr_pkt), -EINVAL);
    assert_int_equal(rtcp_sr_parse(NULL, sr_pkt, sizeof sr_pkt), -EINVAL);
}

static void test_profile_extension_ignored(void **state)
{
    (void)state;
    uint8_t p[sizeof sr_pkt + 8];
    memcpy(p, sr_pkt, sizeof sr_pkt);
    memset(p + sizeof sr_pkt, 0xee, 8);
    p[3] = 0x0e; /* 8 more bytes of profile-specific extension */
    struct rtcp_sr sr;
    assert_int_equal(rtcp_sr_parse(&sr, p, sizeof p), 0);
    assert_int_equal(sr.rb_count, 1);
    assert_int_equal(sr.rb[0].jitter, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_known_sr),
        cmocka_unit_test(test_write_known_sr),
        cmocka_unit_test(test_round_trip_full),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_profile_extension_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
