#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_twcc.h"
#include "media/core/twcc_rx.h"

#define MS 1000LL
#define SENDER 0x11223344u
#define MEDIA 0x55667788u

/* The receiver under test, and what each 16-bit seq is expected to report:
 * its first accepted arrival, or -1 (not received). */
static struct twcc_rx rx;
static int64_t fed[65536];
static struct rtcp_twcc_pkt parsed[65536];
static uint8_t buf[2048];

struct seen {
    uint16_t base;
    uint16_t count;
    uint8_t fb_count;
    size_t len;
};

static int setup(void **state)
{
    (void)state;
    twcc_rx_init(&rx);
    for (size_t i = 0; i < 65536; i++)
        fed[i] = -1;
    return 0;
}

/* A packet that the receiver should take. */
static void feed(uint16_t seq, int64_t t)
{
    twcc_rx_on_packet(&rx, seq, t);
    fed[seq] = t;
}

static int64_t floor_tick(int64_t t)
{
    return t / RTCP_TWCC_TICK_US * RTCP_TWCC_TICK_US;
}

/* Parse the feedback in buf[0..len) and compare it status by status with
 * fed[]: received flags, reference time, arrivals (rounded down to 250 us)
 * and the deltas between received packets. */
static struct seen check_fb(size_t len)
{
    struct rtcp_twcc fb;
    assert_int_equal(rtcp_twcc_parse(&fb, buf, len, parsed, 65536), 0);
    assert_int_equal(((size_t)buf[2] << 8 | buf[3]) * 4 + 4, len);
    assert_int_equal(fb.sender_ssrc, SENDER);
    assert_int_equal(fb.media_ssrc, MEDIA);
    assert_true(fb.status_count <= TWCC_RX_MAX_STATUSES);
    int prev = -1;
    for (int i = 0; i < fb.status_count; i++) {
        uint16_t seq = (uint16_t)(fb.base_seq + i);
        assert_int_equal(parsed[i].seq, seq);
        assert_int_equal(parsed[i].received, fed[seq] >= 0);
        if (!parsed[i].received)
            continue;
        if (prev < 0)
            assert_int_equal(fb.ref_time, fed[seq] / RTCP_TWCC_REF_US);
        assert_int_equal(parsed[i].arrival_us, floor_tick(fed[seq]));
        if (prev >= 0) {
            uint16_t ps = (uint16_t)(fb.base_seq + prev);
            assert_int_equal(parsed[i].arrival_us - parsed[prev].arrival_us,
                             floor_tick(fed[seq]) - floor_tick(fed[ps]));
        }
        prev = i;
    }
    /* Ends on a received status, unless there is none at all (a whole block
     * lost, or the lost ones before a packet when the cap is tiny). */
    if (prev >= 0)
        assert_int_equal(prev, fb.status_count - 1);
    else
        assert_true(len == 24 || fb.status_count == TWCC_RX_MAX_STATUSES);
    return (struct seen){fb.base_seq, fb.status_count, fb.fb_count, len};
}

static int poll_cap(size_t cap, struct seen *s)
{
    size_t len = 0;
    int rc = twcc_rx_poll(&rx, SENDER, MEDIA, buf, cap, &len);
    if (rc == 1) {
        assert_true(len <= cap);
        *s = check_fb(len);
    }
    return rc;
}

/* One feedback (cap 1500), with the given base and count. */
static struct seen expect_fb(uint16_t base, uint16_t count)
{
    struct seen s;
    assert_int_equal(poll_cap(1500, &s), 1);
    assert_int_equal(s.base, base);
    assert_int_equal(s.count, count);
    return s;
}

static void expect_none(void)
{
    size_t len = 12345;
    assert_int_equal(twcc_rx_poll(&rx, SENDER, MEDIA, buf, sizeof buf, &len), 0);
    assert_int_equal(len, 12345);
}

static void test_in_order(void **state)
{
    (void)state;
    for (int i = 0; i < 20; i++)
        feed((uint16_t)(100 + i), 5 * 1000 * MS + i * 20 * MS + i * 37);
    struct seen s = expect_fb(100, 20);
    assert_int_equal(s.fb_count, 0);
    expect_none();
    assert_int_equal(rx.next, 120);
    assert_int_equal(rx.stats.packets, 20);
    assert_int_equal(rx.stats.feedbacks, 1);
    assert_int_equal(rx.stats.duplicates + rx.stats.late + rx.stats.restarts, 0);
}

static void test_loss_gaps(void **state)
{
    (void)state;
    for (int i = 0; i < 30; i++)
        if (i != 3 && (i < 10 || i > 12) && i != 20)
            feed((uint16_t)i, i * 3 * MS + 100);
    expect_fb(0, 30);
    /* A loss run right after what was reported: the feedback starts with
     * 20 not-received statuses. */
    feed(50, 400 * MS);
    expect_fb(30, 21);
    feed(51, 401 * MS);
    expect_fb(51, 1);
    expect_none();
}

static void test_wrap(void **state)
{
    (void)state;
    for (int i = 0; i < 16; i++)
        feed((uint16_t)(65530 + i), i * MS);
    expect_fb(65530, 16);
    assert_int_equal(rx.next, 65546);
    assert_int_equal(rx.highest, 65545);
    for (int i = 16; i < 20; i++)
        feed((uint16_t)(65530 + i), i * MS);
    expect_fb(10, 4);
    /* Reordered across the wrap, inside the unreported range. */
    setup(NULL);
    feed(65534, 0);
    feed(0, 2 * MS);
    feed(1, 3 * MS);
    feed(65535, 4 * MS);
    expect_fb(65534, 4);
    assert_int_equal(rx.stats.late, 0);
}

static void test_reorder_negative_delta(void **state)
{
    (void)state;
    feed(10, 1000 * MS);
    feed(12, 1010 * MS + 10);
    feed(11, 1030 * MS + 999); /* after 12: 12's delta from it is negative */
    feed(14, 1005 * MS);
    feed(13, 1006 * MS);
    expect_fb(10, 5);
    assert_int_equal(parsed[2].arrival_us - parsed[1].arrival_us, -20750);
    assert_int_equal(parsed[3].arrival_us - parsed[2].arrival_us, -4000);
    assert_int_equal(rx.stats.late + rx.stats.duplicates, 0);
}

static void test_late(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++)
        if (i != 4)
            feed((uint16_t)i, i * MS);
    expect_fb(0, 10);
    twcc_rx_on_packet(&rx, 4, 20 * MS); /* reported lost: late */
    twcc_rx_on_packet(&rx, 8, 21 * MS); /* reported received: late */
    twcc_rx_on_packet(&rx, 65000, 22 * MS);
    assert_int_equal(rx.stats.late, 3);
    expect_none();
    feed(10, 23 * MS);
    expect_fb(10, 1);
    assert_int_equal(rx.stats.packets, 13);
}

static void test_duplicates(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        feed((uint16_t)i, 1000 * MS + i * MS);
    twcc_rx_on_packet(&rx, 2, 2000 * MS); /* fed[] keeps the first */
    twcc_rx_on_packet(&rx, 4, 3000 * MS); /* the highest */
    assert_int_equal(rx.stats.duplicates, 2);
    expect_fb(0, 5);
    assert_int_equal(rx.stats.packets, 7);
    assert_int_equal(rx.stats.late, 0);
}

static void test_jump_restart(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++)
        feed((uint16_t)i, i * MS);
    /* Unreported 0..9 are dropped with the restart. */
    twcc_rx_on_packet(&rx, 9 + TWCC_RX_WINDOW, 50 * MS);
    fed[9 + TWCC_RX_WINDOW] = 50 * MS;
    assert_int_equal(rx.stats.restarts, 1);
    expect_fb(9 + TWCC_RX_WINDOW, 1);
    expect_none();
    /* Backwards is late, not a restart. */
    twcc_rx_on_packet(&rx, 5, 60 * MS);
    assert_int_equal(rx.stats.late, 1);
    assert_int_equal(rx.stats.restarts, 1);
}

/* A jump of TWCC_RX_WINDOW - 1 is no restart: the gap is reported lost,
 * whole blocks of it in feedbacks with no received status. */
static void test_jump_below_window(void **state)
{
    (void)state;
    feed(0, 0);
    feed(TWCC_RX_WINDOW - 1, 100 * MS);
    assert_int_equal(rx.stats.restarts, 0);
    expect_fb(0, 1);
    uint16_t base = 1;
    for (int i = 0; i < 3; i++) {
        expect_fb(base, TWCC_RX_MAX_STATUSES);
        base += TWCC_RX_MAX_STATUSES;
    }
    expect_fb(base, (uint16_t)(TWCC_RX_WINDOW - base));
    expect_none();
}

/* Without polls the window slides: the oldest statuses are never reported. */
static void test_window_slides(void **state)
{
    (void)state;
    for (int i = 0; i <= 5000; i++)
        feed((uint16_t)i, i * MS);
    assert_int_equal(rx.next, 5000 - TWCC_RX_WINDOW + 1);
    assert_int_equal(rx.stats.restarts, 0);
    twcc_rx_on_packet(&rx, 100, 6000 * MS);
    assert_int_equal(rx.stats.late, 1);
    uint16_t base = 5000 - TWCC_RX_WINDOW + 1;
    struct seen s;
    while (poll_cap(1500, &s) == 1) {
        assert_int_equal(s.base, base);
        base = (uint16_t)(base + s.count);
    }
    assert_int_equal(base, 5001);
}

static void test_split_max_statuses(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++)
        feed((uint16_t)(60000 + i), i * MS);
    uint16_t base = 60000;
    const uint16_t counts[3] = {TWCC_RX_MAX_STATUSES, TWCC_RX_MAX_STATUSES,
                                3000 - 2 * TWCC_RX_MAX_STATUSES};
    for (int i = 0; i < 3; i++) {
        struct seen s;
        assert_int_equal(poll_cap(sizeof buf, &s), 1);
        assert_int_equal(s.base, base);
        assert_int_equal(s.count, counts[i]);
        base = (uint16_t)(base + s.count);
    }
    assert_int_equal(base, (uint16_t)(60000 + 3000));
    expect_none();
    assert_int_equal(rx.stats.feedbacks, 3);
}

/* The next received packet after a feedback that ends at `end`. */
static int next_received(uint16_t end)
{
    for (int d = 1; d < 2000; d++)
        if (fed[(uint16_t)(end + d)] >= 0)
            return (uint16_t)(end + d);
    return -1;
}

/* Would a feedback of [base, seq] (with fed[]'s arrivals) fit in cap? */
static bool fits(uint16_t base, uint16_t seq, size_t cap)
{
    struct rtcp_twcc_pkt in[256];
    size_t n = 0;
    for (uint16_t s = base;; s++) {
        if (fed[s] >= 0)
            in[n++] = (struct rtcp_twcc_pkt){s, true, fed[s]};
        if (s == seq)
            break;
    }
    struct rtcp_twcc fb = {.base_seq = base};
    uint8_t tmp[2048];
    size_t w;
    return rtcp_twcc_write(&fb, in, n, tmp, cap, &w) == 0;
}

/* 200 statuses from 65500 on, lost or with small, large and negative
 * deltas: a mix of chunk types. The first (65500) is lost, the last
 * received. */
static void feed_mix(void)
{
    int64_t t = 1000 * MS;
    for (int i = 0; i < 200; i++) {
        t += (i % 7 == 3) ? 90 * MS : (i % 11 == 5) ? -3 * MS : 1 * MS + i;
        if (i % 5 != 2 && i % 13 != 0)
            feed((uint16_t)(65500 + i), t);
    }
}

static void test_split_cap(void **state)
{
    (void)state;
    const size_t caps[] = {24, 28, 40, 64, 100};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        setup(NULL);
        feed_mix();
        uint16_t base = 65501;
        struct seen s;
        int n = 0;
        while (poll_cap(caps[c], &s) == 1) {
            assert_int_equal(s.base, base);
            uint16_t end = (uint16_t)(base + s.count - 1);
            int nxt = next_received(end);
            /* The largest prefix: one more packet would not fit. */
            if (nxt >= 0)
                assert_false(fits(base, (uint16_t)nxt, caps[c]));
            base = (uint16_t)(end + 1);
            n++;
        }
        assert_int_equal(base, (uint16_t)(65500 + 200));
        assert_true(n > 1);
    }
    /* With room for all: one feedback. */
    setup(NULL);
    feed_mix();
    expect_fb(65501, 199);
}

static void test_split_time_gap(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        feed((uint16_t)i, i * MS);
    feed(5, 4 * MS + 8200 * MS);
    feed(6, 4 * MS + 8201 * MS);
    expect_fb(0, 5);
    expect_fb(5, 2);
    /* Limits of one delta, 32767 and -32768 ticks, in both directions. */
    setup(NULL);
    feed(0, 0);
    feed(1, 32767 * 250 + 249);               /* +32767 ticks: fits */
    feed(2, 32767 * 250 + 249 + 32768 * 250); /* +32768: splits */
    expect_fb(0, 2);
    expect_fb(2, 1);
    setup(NULL);
    feed(0, 20000 * MS);
    feed(1, 20000 * MS - 32768 * 250);               /* -32768 ticks: fits */
    feed(2, 20000 * MS - 32768 * 250 - 32769 * 250); /* -32769: splits */
    expect_fb(0, 2);
    expect_fb(2, 1);
}

static void test_fb_count_wraps(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        feed((uint16_t)i, i * 10 * MS);
        struct seen s = expect_fb((uint16_t)i, 1);
        assert_int_equal(s.fb_count, i & 255);
    }
    assert_int_equal(rx.fb_count, 300 & 255);
    assert_int_equal(rx.stats.feedbacks, 300);
}

static void test_nothing_new(void **state)
{
    (void)state;
    expect_none(); /* not started */
    feed(7, 0);
    expect_fb(7, 1);
    expect_none();
    twcc_rx_on_packet(&rx, 7, 1); /* late: still nothing */
    expect_none();
    assert_int_equal(rx.stats.feedbacks, 1);
}

static void test_enospc(void **state)
{
    (void)state;
    feed(1000, 123456789);
    struct seen s;
    size_t len = 99;
    assert_int_equal(twcc_rx_poll(&rx, SENDER, MEDIA, buf, 23, &len), -ENOSPC);
    assert_int_equal(twcc_rx_poll(&rx, SENDER, MEDIA, buf, 0, &len), -ENOSPC);
    assert_int_equal(len, 99);
    assert_int_equal(rx.next, 1000);
    assert_int_equal(rx.fb_count, 0);
    assert_int_equal(poll_cap(24, &s), 1);
    assert_int_equal(s.len, 24);
    /* 30 lost, then a packet: at 24 bytes the lost run goes alone first. */
    feed(1031, 123456789 + 5 * MS);
    assert_int_equal(poll_cap(24, &s), 1);
    assert_int_equal(s.base, 1001);
    assert_int_equal(s.count, 30);
    assert_int_equal(poll_cap(24, &s), 1);
    assert_int_equal(s.base, 1031);
    assert_int_equal(s.count, 1);
    /* 8 lost and a packet share one 1-bit vector: one 24-byte feedback. */
    feed(1040, 123456789 + 6 * MS);
    assert_int_equal(poll_cap(24, &s), 1);
    assert_int_equal(s.base, 1032);
    assert_int_equal(s.count, 9);
    assert_int_equal(s.len, 24);
    assert_int_equal(rx.stats.feedbacks, 4);
}

static void test_null(void **state)
{
    (void)state;
    size_t len;
    feed(1, 0);
    assert_int_equal(twcc_rx_poll(NULL, 0, 0, buf, sizeof buf, &len), -EINVAL);
    assert_int_equal(twcc_rx_poll(&rx, 0, 0, NULL, sizeof buf, &len), -EINVAL);
    assert_int_equal(twcc_rx_poll(&rx, 0, 0, buf, sizeof buf, NULL), -EINVAL);
    twcc_rx_on_packet(NULL, 1, 0);
    twcc_rx_init(NULL);
    /* Arrivals outside 0..2^60 are ignored, not counted. */
    twcc_rx_on_packet(&rx, 2, -1);
    twcc_rx_on_packet(&rx, 2, INT64_MAX);
    assert_int_equal(rx.stats.packets, 1);
    expect_fb(1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_in_order, setup),
        cmocka_unit_test_setup(test_loss_gaps, setup),
        cmocka_unit_test_setup(test_wrap, setup),
        cmocka_unit_test_setup(test_reorder_negative_delta, setup),
        cmocka_unit_test_setup(test_late, setup),
        cmocka_unit_test_setup(test_duplicates, setup),
        cmocka_unit_test_setup(test_jump_restart, setup),
        cmocka_unit_test_setup(test_jump_below_window, setup),
        cmocka_unit_test_setup(test_window_slides, setup),
        cmocka_unit_test_setup(test_split_max_statuses, setup),
        cmocka_unit_test_setup(test_split_cap, setup),
        cmocka_unit_test_setup(test_split_time_gap, setup),
        cmocka_unit_test_setup(test_fb_count_wraps, setup),
        cmocka_unit_test_setup(test_nothing_new, setup),
        cmocka_unit_test_setup(test_enospc, setup),
        cmocka_unit_test_setup(test_null, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
