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
    assert_true(r.est.have_rtt);
    assert_int_equal(r.est.rtt_us, 6125 * MS);
    assert_int_equal(r.est.srtt_us, 6125 * MS);
    assert_int_equal(r.est.min_rtt_us, 6125 * MS);
    assert_int_equal(r.est.samples, 1);
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
    assert_int_equal(r.est.rtt_us, 100 * MS);
    rb.lsr = ntp_time_mid32(ntp_time_from_us(3 * S));
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 3 * S + 680 * MS, NULL), 0);
    assert_int_equal(r.est.rtt_us, 180 * MS);
    assert_int_equal(r.est.srtt_us, 110 * MS); /* 100 + (180 - 100) / 8 */
    assert_int_equal(r.est.min_rtt_us, 100 * MS);
    rb.lsr = ntp_time_mid32(ntp_time_from_us(2 * S));
    assert_int_equal(rtp_rtt_on_rb(&r, &rb, 2 * S + 560 * MS, NULL), 0);
    assert_int_equal(r.est.rtt_us, 60 * MS);
    assert_int_equal(r.est.srtt_us, 103750); /* 110 + (60 - 110) / 8 */
    assert_int_equal(r.est.min_rtt_us, 60 * MS);
    assert_int_equal(r.est.samples, 3);
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
    assert_false(r.est.have_rtt);
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

static void test_est_add(void **state)
{
    (void)state;
    struct rtp_rtt_est e = {0};
    rtp_rtt_est_add(&e, 40 * MS);
    assert_true(e.have_rtt);
    assert_int_equal(e.rtt_us, 40 * MS);
    assert_int_equal(e.srtt_us, 40 * MS);
    assert_int_equal(e.min_rtt_us, 40 * MS);
    rtp_rtt_est_add(&e, 120 * MS);
    assert_int_equal(e.srtt_us, 50 * MS); /* 40 + (120 - 40) / 8 */
    assert_int_equal(e.min_rtt_us, 40 * MS);
    rtp_rtt_est_add(&e, -5); /* DLSR rounding: 0 */
    assert_int_equal(e.rtt_us, 0);
    assert_int_equal(e.srtt_us, 43750); /* 50 - 50 / 8 */
    assert_int_equal(e.min_rtt_us, 0);
    assert_int_equal(e.samples, 3);
}

/* One history for a connection whose compound SRs carry two streams with
 * one NTP timestamp (the bridge toward a subscriber), the receiver's real
 * report blocks (rtp_rx_stats), one estimate per stream besides the
 * connection's. */
static void test_shared_history_per_stream(void **state)
{
    (void)state;
    struct rtp_rtt conn;
    struct rtp_rtt_est est[2] = {{0}};
    struct rtp_rx_stats rx[2];
    rtp_rtt_init(&conn);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(rtp_rx_stats_init(&rx[k], 0x100u + (uint32_t)k, 90000, 0), 0);
        assert_int_equal(rtp_rx_stats_on_packet(&rx[k], 7, 0, 1000, 0), RTP_RX_NEW);
    }
    /* Our clock and the receiver's differ by 1000 s; one way takes 2 ms. */
    const int64_t off = 1000 * S;
    for (int i = 1; i <= 2; i++) {
        uint64_t ntp = ntp_time_from_us(1700000000LL * S + i * S);
        rtp_rtt_on_sr_sent(&conn, ntp, i * S);
        for (int k = 0; k < 2; k++)
            rtp_rx_stats_on_sr(&rx[k], ntp, off + i * S + 2 * MS);
    }
    /* Stream 0 reported 300 ms after the second SR, stream 1 500 ms; the
     * blocks take 2 ms (stream 0) and 4 ms (stream 1) back. */
    const int64_t held[2] = {300 * MS, 500 * MS}, back[2] = {2 * MS, 4 * MS};
    for (int k = 0; k < 2; k++) {
        struct rtcp_rb rb;
        int64_t at = 2 * S + 2 * MS + held[k];
        assert_int_equal(rtp_rx_stats_make_rb(&rx[k], off + at, &rb), 0);
        assert_int_equal(rb.ssrc, 0x100u + (uint32_t)k);
        assert_int_equal(rb.dlsr, k == 0 ? 19661u : 32768u);
        int64_t rtt = -1;
        assert_int_equal(rtp_rtt_on_rb(&conn, &rb, at + back[k], &rtt), 0);
        rtp_rtt_est_add(&est[k], rtt);
    }
    /* DLSR is in 1/65536 s: 300 ms goes as 19661/65536 s = 300.003 ms, 500
     * ms exactly */
    assert_int_equal(est[0].rtt_us, 4 * MS - 3);
    assert_int_equal(est[1].rtt_us, 6 * MS);
    assert_int_equal(conn.est.samples, 2);
    assert_int_equal(conn.est.rtt_us, 6 * MS);
    assert_int_equal(conn.est.srtt_us, 4247); /* 3997 + (6000 - 3997) / 8 */
    assert_int_equal(conn.est.min_rtt_us, 3997);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example_end_to_end),
        cmocka_unit_test(test_smoothing_and_min),
        cmocka_unit_test(test_unknown_lsr_and_history_wrap),
        cmocka_unit_test(test_negative_is_zero),
        cmocka_unit_test(test_est_add),
        cmocka_unit_test(test_shared_history_per_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
