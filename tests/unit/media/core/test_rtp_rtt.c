#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/ntp_time.h"
#include "media/core/rtp_rtt.h"
#include "media/core/rtp_rx_stats.h"

#define MS 1000LL
#define S (1000 * MS)

/* RFC 3550 §6.4.1's example, end to end. Our SR (NTP 46853.125 s in its
 * low bits, LSR 0xb705:2000) leaves at 100 s on our clock and takes 3 s to
 * the receiver, whose clock reads 500 s; it reports 5.25 s later (DLSR
 * 0x0005:4000); the block takes 3.125 s back and arrives at 111.375 s, when
 * our NTP clock would read 0xb710:8000. RTT = 6.125 s. */
static void test_rfc_example_end_to_end(void **state)
{
    (void)state;
    struct rtp_rtt r;
    rtp_rtt_init(&r);
    const uint64_t sr_ntp = 0xe1b7b70520000000ull;
    rtp_rtt_on_sr_sent(&r, sr_ntp, 100 * S);

    struct rtp_rx_stats rx;
    assert_int_equal(rtp_rx_stats_init(&rx, 0x1234, 90000, 0), 0);
    assert_int_equal(rtp_rx_stats_on_packet(&rx, 1, 0, 100, 499 * S), RTP_RX_NEW);
    rtp_rx_stats_on_sr(&rx, sr_ntp, 500 * S);
    struct rtcp_rb rb;
    assert_int_equal(rtp_rx_stats_make_rb(&rx, 505 * S + 250 * MS, &rb), 0);
    assert_int_equal(rb.lsr, 0xb7052000u);
    assert_int_equal(rb.dlsr, 0x00054000u);

    int64_t rtt = 0;
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 111 * S + 375 * MS, &rtt), 0);
    assert_int_equal(rtt, 6125 * MS);
    /* the same as the RFC's arithmetic on compact NTP values */
    assert_int_equal(ntp_time_rtt_us(0xb7108000u, rb.lsr, rb.dlsr), rtt);
    assert_true(r.have_rtt);
    assert_int_equal(r.rtt_us, 6125 * MS);
    assert_int_equal(r.srtt_us, 6125 * MS);
    assert_int_equal(r.min_rtt_us, 6125 * MS);
    assert_int_equal(r.samples, 1);
}

static void test_smoothing_and_min(void **state)
{
    (void)state;
    struct rtp_rtt r;
    rtp_rtt_init(&r);
    /* SRs once a second with NTP = now */
    for (int i = 1; i <= 3; i++)
        rtp_rtt_on_sr_sent(&r, ntp_time_from_us(i * S), i * S);
    struct rtcp_rb rb = {.lsr = ntp_time_mid32(ntp_time_from_us(1 * S)), .dlsr = 0x00008000u};
    /* held 0.5 s, answered 100 ms after that */
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 1 * S + 600 * MS, NULL), 0);
    assert_int_equal(r.rtt_us, 100 * MS);
    rb.lsr = ntp_time_mid32(ntp_time_from_us(3 * S));
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 3 * S + 680 * MS, NULL), 0);
    assert_int_equal(r.rtt_us, 180 * MS);
    assert_int_equal(r.srtt_us, 110 * MS); /* 100 + (180 - 100) / 8 */
    assert_int_equal(r.min_rtt_us, 100 * MS);
    rb.lsr = ntp_time_mid32(ntp_time_from_us(2 * S));
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 2 * S + 560 * MS, NULL), 0);
    assert_int_equal(r.rtt_us, 60 * MS);
    assert_int_equal(r.srtt_us, 103750); /* 110 + (60 - 110) / 8 */
    assert_int_equal(r.min_rtt_us, 60 * MS);
    assert_int_equal(r.samples, 3);
}

static void test_unknown_lsr_and_history_wrap(void **state)
{
    (void)state;
    struct rtp_rtt r;
    rtp_rtt_init(&r);
    struct rtcp_rb rb = {.lsr = 0, .dlsr = 0};
    int64_t rtt = -7;
    /* LSR 0: the peer has no SR yet */
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, S, &rtt), -ENOENT);
    rb.lsr = 0x12345678;
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, S, &rtt), -ENOENT);
    assert_int_equal(rtt, -7);
    assert_false(r.have_rtt);
    /* 33 SRs: the first one drops out of the 32 kept */
    for (int i = 0; i <= RTP_RTT_SR_HISTORY; i++)
        rtp_rtt_on_sr_sent(&r, ntp_time_from_us((10 + i) * S), (10 + i) * S);
    rb.lsr = ntp_time_mid32(ntp_time_from_us(10 * S));
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 50 * S, &rtt), -ENOENT);
    rb.lsr = ntp_time_mid32(ntp_time_from_us(11 * S));
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 50 * S, &rtt), 0);
    assert_int_equal(rtt, 39 * S);
    assert_int_equal(rtp_rtt_on_rb(NULL, &rb, 0, &rtt), -EINVAL);
    assert_int_equal(rtp_rtt_on_rb(&r, NULL, 0, &rtt), -EINVAL);
}

/* DLSR rounding at the peer may exceed the elapsed time: RTT 0. */
static void test_negative_is_zero(void **state)
{
    (void)state;
    struct rtp_rtt r;
    rtp_rtt_init(&r);
    rtp_rtt_on_sr_sent(&r, 0x0000123480000000ull, 0);
    struct rtcp_rb rb = {.lsr = 0x12348000u, .dlsr = 0x00010001u}; /* 1.000015 s */
    int64_t rtt = -1;
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, S, &rtt), 0);
    assert_int_equal(rtt, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example_end_to_end),
        cmocka_unit_test(test_smoothing_and_min),
        cmocka_unit_test(test_unknown_lsr_and_history_wrap),
        cmocka_unit_test(test_negative_is_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
