#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/ntp_time.h"
#include "media/core/rtcp_rr.h"
#include "media/core/rtp_rx_stats.h"

#define MS 1000LL
#define SSRC 0x5a3b1c0du

static struct rtp_rx_stats fresh(uint32_t rate, unsigned min_seq)
{
    struct rtp_rx_stats s;
    assert_int_equal(rtp_rx_stats_init(&s, SSRC, rate, min_seq), 0);
    return s;
}

static void test_init_errors(void **state)
{
    (void)state;
    struct rtp_rx_stats s;
    assert_int_equal(rtp_rx_stats_init(NULL, 1, 8000, 0), -EINVAL);
    assert_int_equal(rtp_rx_stats_init(&s, 1, 0, 0), -EINVAL);
    assert_int_equal(rtp_rx_stats_init(&s, 1, 8000, 17), -EINVAL);
    assert_int_equal(rtp_rx_stats_init(&s, 1, 8000, 16), 0);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), -ENODATA);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, NULL), -EINVAL);
    assert_int_equal(rtp_rx_stats_make_rb(NULL, 0, &rb), -EINVAL);
}

/* RFC 3550 A.8 by hand. 8 kHz clock (125 us per unit), one packet per
 * 20 ms = 160 units. Transit = arrival - ts; D = change of transit;
 * J16 += |D| - ((J16 + 8) >> 4); J = J16 >> 4.
 *
 *  seq ts   arrival  transit  |D|  J16                      J  (A.8 float)
 *   0    0  0 ms        0      -    0                       0
 *   1  160  20 ms       0      0    0 + 0 - 0       = 0     0  0
 *   2  320  45 ms      40     40    0 + 40 - 0      = 40    2  2.5
 *   3  480  60 ms       0     40    40 + 40 - 3     = 77    4  4.84
 *   4  640  80 ms       0      0    77 + 0 - 5      = 72    4  4.54
 *   5  800  95 ms     -40     40    72 + 40 - 5     = 107   6  6.76
 * (arrival in units: 45 ms = 360, 95 ms = 760) */
static void test_jitter_by_hand(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(8000, 0);
    static const int64_t at_ms[] = {0, 20, 45, 60, 80, 95};
    static const uint32_t j16[] = {0, 0, 40, 77, 72, 107};
    const int64_t base = 1700000000000000LL; /* a wall-clock now_us works */
    for (unsigned i = 0; i < 6; i++) {
        assert_int_equal(rtp_rx_stats_on_packet(&s, (uint16_t)(1000 + i), 0xfffffe00u + 160 * i,
                                                172, base + at_ms[i] * MS),
                         RTP_RX_NEW);
        assert_int_equal(s.jitter16, j16[i]);
    }
    assert_int_equal(rtp_rx_stats_jitter(&s), 6);
    assert_int_equal(rtp_rx_stats_jitter_us(&s), 750);
    assert_int_equal(s.counts.packets, 6);
    assert_int_equal(s.counts.bytes, 6 * 172);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_make_rb(&s, base + 100 * MS, &rb), 0);
    assert_int_equal(rb.jitter, 6);
    assert_int_equal(rb.ssrc, SSRC);
    assert_int_equal(rb.ext_highest_seq, 1005);
    assert_int_equal(rb.cumulative_lost, 0);
    assert_int_equal(rb.fraction_lost, 0);
    assert_int_equal(rb.lsr, 0);
    assert_int_equal(rb.dlsr, 0);
}

/* Packets of one video frame share a timestamp: only the first updates J;
 * reordered and duplicate packets leave it alone. 90 kHz: 1 ms = 90. */
static void test_jitter_skips_same_frame_and_reorder(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(90000, 0);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 1, 3000, 1200, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 2, 3000, 1200, 4 * MS), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 4, 3000, 1200, 8 * MS), RTP_RX_NEW);
    assert_int_equal(s.jitter16, 0);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 3, 3000, 1200, 9 * MS), RTP_RX_REORDERED);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 3, 3000, 1200, 9 * MS), RTP_RX_DUPLICATE);
    assert_int_equal(s.jitter16, 0);
    /* next frame 33.333 ms later (3000 units) arrives at 35 ms: transit
     * moved from 0 to 3150 - 3000 = 150 units vs the frame's first packet */
    assert_int_equal(rtp_rx_stats_on_packet(&s, 5, 6000, 1200, 35 * MS), RTP_RX_NEW);
    assert_int_equal(s.jitter16, 150);
    assert_int_equal(rtp_rx_stats_jitter(&s), 9);
    assert_int_equal(rtp_rx_stats_jitter_us(&s), 100); /* 9 / 90 kHz */
    assert_int_equal(s.counts.reordered, 1);
    assert_int_equal(s.counts.duplicates, 1);
}

/* 65530 .. 65535, 0 .. 5 with 65535 missing, then late. */
static void test_seq_wrap_loss_and_reorder(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(48000, 0);
    int64_t t = 0;
    for (uint32_t q = 65530; q < 65536 + 6; q++, t += 20 * MS) {
        if (q == 65535)
            continue;
        assert_int_equal(rtp_rx_stats_on_packet(&s, (uint16_t)q, q * 960, 100, t), RTP_RX_NEW);
    }
    assert_int_equal(rtp_rx_stats_ext_highest(&s), 65536 + 5);
    assert_int_equal(rtp_rx_stats_lost(&s), 1);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_make_rb(&s, t, &rb), 0);
    assert_int_equal(rb.ext_highest_seq, 0x00010005u);
    assert_int_equal(rb.cumulative_lost, 1);
    assert_int_equal(rb.fraction_lost, 21); /* 1 of 12: 256 / 12 = 21.3 */
    /* the lost one arrives behind the wrap: reordered, loss back to 0;
     * the fraction of this interval is 0 (nothing expected, one received) */
    assert_int_equal(rtp_rx_stats_on_packet(&s, 65535, 0, 100, t), RTP_RX_REORDERED);
    assert_int_equal(rtp_rx_stats_lost(&s), 0);
    assert_int_equal(rtp_rx_stats_make_rb(&s, t, &rb), 0);
    assert_int_equal(rb.cumulative_lost, 0);
    assert_int_equal(rb.fraction_lost, 0);
    assert_int_equal(rb.ext_highest_seq, 0x00010005u);
    /* and again: a duplicate now */
    assert_int_equal(rtp_rx_stats_on_packet(&s, 65535, 0, 100, t), RTP_RX_DUPLICATE);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 5, 0, 100, t), RTP_RX_DUPLICATE);
    assert_int_equal(s.counts.duplicates, 2);
    assert_int_equal(s.counts.packets, 14);
}

/* A.3: the fraction covers the interval since the last report only;
 * duplicates count as received (the loss may go negative). */
static void test_fraction_per_interval_and_dups(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(8000, 0);
    struct rtcp_rb rb;
    /* interval 1: 0..9 expected, 3 and 7 lost: 2 * 256 / 10 = 51 */
    for (uint16_t q = 0; q < 10; q++)
        if (q != 3 && q != 7)
            assert_int_equal(rtp_rx_stats_on_packet(&s, q, q * 160u, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), 0);
    assert_int_equal(rb.fraction_lost, 51);
    assert_int_equal(rb.cumulative_lost, 2);
    /* interval 2: 10..19 all there */
    for (uint16_t q = 10; q < 20; q++)
        assert_int_equal(rtp_rx_stats_on_packet(&s, q, q * 160u, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), 0);
    assert_int_equal(rb.fraction_lost, 0);
    assert_int_equal(rb.cumulative_lost, 2);
    /* interval 3: nothing; interval 4: three duplicates */
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), 0);
    assert_int_equal(rb.fraction_lost, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rtp_rx_stats_on_packet(&s, 19, 19 * 160u, 10, 0), RTP_RX_DUPLICATE);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), 0);
    assert_int_equal(rb.fraction_lost, 0);
    assert_int_equal(rb.cumulative_lost, -1);
    assert_int_equal(rb.ext_highest_seq, 19);
    /* the block survives the RR writer and parser */
    struct rtcp_rr rr = {.ssrc = 1, .rb_count = 1, .rb = {rb}};
    uint8_t buf[32];
    size_t w;
    assert_int_equal(rtcp_rr_write(&rr, buf, sizeof buf, &w), 0);
    struct rtcp_rr back;
    assert_int_equal(rtcp_rr_parse(&back, buf, w), 0);
    assert_int_equal(back.rb[0].cumulative_lost, -1);
    assert_int_equal(back.rb[0].ext_highest_seq, 19);
}

/* A.1: a jump of 3000 or more is discarded unless its successor follows;
 * a packet more than 100 behind is discarded. */
static void test_big_jumps_and_restart(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(8000, 0);
    for (uint16_t q = 100; q <= 300; q++)
        assert_int_equal(rtp_rx_stats_on_packet(&s, q, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 150, 0, 10, 0), RTP_RX_BAD_SEQ);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 201, 0, 10, 0), RTP_RX_DUPLICATE);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 3300, 0, 10, 0), RTP_RX_BAD_SEQ);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 301, 0, 10, 0), RTP_RX_NEW);
    /* 301 + 3000: too far; its successor does not follow at once, so 3302
     * after 302 is another stray, not a restart */
    assert_int_equal(rtp_rx_stats_on_packet(&s, 3301, 0, 10, 0), RTP_RX_BAD_SEQ);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 302, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 3302, 0, 10, 0), RTP_RX_BAD_SEQ);
    assert_int_equal(rtp_rx_stats_ext_highest(&s), 302);
    assert_int_equal(rtp_rx_stats_lost(&s), -1); /* the duplicate of 201 */
    /* a restart: 40000, 40001 */
    assert_int_equal(rtp_rx_stats_on_packet(&s, 40000, 0, 10, 0), RTP_RX_BAD_SEQ);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 40001, 0, 10, 0), RTP_RX_RESTART);
    assert_int_equal(rtp_rx_stats_ext_highest(&s), 40001);
    assert_int_equal(rtp_rx_stats_lost(&s), 0);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 40003, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_lost(&s), 1);
    assert_int_equal(s.counts.restarts, 1);
    assert_int_equal(s.counts.discarded, 5);
    assert_int_equal(s.counts.packets, 201 + 1 + 2 + 2);
    /* the jump in between is permissible at 2999 */
    assert_int_equal(rtp_rx_stats_on_packet(&s, 43002, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_lost(&s), 1 + 2998);
}

/* MIN_SEQUENTIAL: two in a row before the source counts (A.1). */
static void test_probation(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(8000, 2);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_on_packet(&s, 50, 0, 10, 0), RTP_RX_PROBATION);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), -ENODATA);
    assert_int_equal(rtp_rx_stats_ext_highest(&s), 0);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 60, 0, 10, 0), RTP_RX_PROBATION);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 61, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 62, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), 0);
    assert_int_equal(rb.ext_highest_seq, 62);
    assert_int_equal(rb.cumulative_lost, 0);
    assert_int_equal(s.counts.discarded, 2);
    assert_int_equal(s.counts.packets, 2);
    /* a sequence number wrap during probation */
    s = fresh(8000, 2);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 65535, 0, 10, 0), RTP_RX_PROBATION);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 0, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 1, 0, 10, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_ext_highest(&s), 1);
}

/* LSR is the middle of the last SR's NTP time, DLSR the time since it
 * arrived, both in the RFC's example values. */
static void test_lsr_dlsr(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(90000, 0);
    assert_int_equal(rtp_rx_stats_on_packet(&s, 7, 0, 10, 9 * 1000 * MS), RTP_RX_NEW);
    rtp_rx_stats_on_sr(&s, 0xe1b7b70520000000ull, 10 * 1000 * MS);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_make_rb(&s, 10 * 1000 * MS + 5250 * MS, &rb), 0);
    assert_int_equal(rb.lsr, 0xb7052000u);
    assert_int_equal(rb.dlsr, 0x00054000u);
    /* a newer SR replaces it */
    rtp_rx_stats_on_sr(&s, 0xe1b7b71000000000ull, 20 * 1000 * MS);
    assert_int_equal(rtp_rx_stats_make_rb(&s, 20 * 1000 * MS + 125, &rb), 0);
    assert_int_equal(rb.lsr, 0xb7100000u);
    assert_int_equal(rb.dlsr, 8); /* 125 us = 8.19 / 65536 s */
    /* clock behind the SR's arrival: DLSR 0 */
    assert_int_equal(rtp_rx_stats_make_rb(&s, 19 * 1000 * MS, &rb), 0);
    assert_int_equal(rb.dlsr, 0);
}

/* The cumulative loss is clamped to 24 bits: 2800 jumps of 2999 lose
 * 2799 * 2998 = 8391402 > 0x7fffff. */
static void test_lost_clamp(void **state)
{
    (void)state;
    struct rtp_rx_stats s = fresh(8000, 0);
    uint16_t q = 0;
    for (int i = 0; i < 2800; i++, q = (uint16_t)(q + 2999))
        assert_int_equal(rtp_rx_stats_on_packet(&s, q, 0, 1, 0), RTP_RX_NEW);
    assert_int_equal(rtp_rx_stats_lost(&s), 8391402);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_make_rb(&s, 0, &rb), 0);
    assert_int_equal(rb.cumulative_lost, RTCP_RB_LOST_MAX);
    assert_int_equal(rb.fraction_lost, 255); /* 2998/2999 of the interval */
    assert_int_equal(rb.ext_highest_seq, (uint32_t)(2799LL * 2999));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_jitter_by_hand),
        cmocka_unit_test(test_jitter_skips_same_frame_and_reorder),
        cmocka_unit_test(test_seq_wrap_loss_and_reorder),
        cmocka_unit_test(test_fraction_per_interval_and_dups),
        cmocka_unit_test(test_big_jumps_and_restart),
        cmocka_unit_test(test_probation),
        cmocka_unit_test(test_lsr_dlsr),
        cmocka_unit_test(test_lost_clamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
