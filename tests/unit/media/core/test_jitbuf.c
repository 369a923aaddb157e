/* jitbuf on a virtual clock: playout timing, reordering, loss reports,
 * the RFC 3550 A.8 jitter estimate and the target delay, sequence and
 * timestamp wrap, the window's limits, sender restarts; and a lossy,
 * jittery network between vp8_pack and vp8_depack through a jitbuf. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/jitbuf.h"
#include "media/core/mem.h"
#include "tests/unit/media/core/vp8_depack_fixture.h"

#define T0 1000000000LL /* the virtual clock starts at 1000 s */

static struct jitbuf *jmk(uint32_t rate, unsigned window, int64_t min_us, int64_t max_us)
{
    struct jitbuf_cfg c = {.clock_rate = rate,
                           .window = window,
                           .max_payload = 1000,
                           .min_delay_us = min_us,
                           .max_delay_us = max_us};
    struct jitbuf *jb = NULL;
    assert_int_equal(jitbuf_create(&c, &jb), 0);
    return jb;
}

/* Packet seq of a test stream: the payload names it. */
static int put(struct jitbuf *jb, uint16_t seq, uint32_t ts, int64_t now)
{
    uint8_t b[3] = {(uint8_t)(seq >> 8), (uint8_t)seq, 0xab};
    struct jitbuf_pkt p = {.seq = seq, .ts = ts, .marker = seq & 1, .payload = b, .len = 3};
    return jitbuf_handle_packet(jb, &p, now);
}

static void expect_packet(struct jitbuf *jb, uint16_t seq, int64_t playout)
{
    struct jitbuf_out o;
    assert_true(jitbuf_poll_output(jb, &o));
    assert_int_equal(o.kind, JITBUF_OUT_PACKET);
    assert_int_equal(o.seq, seq);
    assert_int_equal(o.len, 3);
    assert_int_equal(o.payload[0], seq >> 8);
    assert_int_equal(o.payload[1], seq & 0xff);
    assert_int_equal(o.marker, seq & 1);
    if (playout != INT64_MIN)
        assert_int_equal(o.playout_us, playout);
}

static void expect_lost(struct jitbuf *jb, uint16_t seq)
{
    struct jitbuf_out o;
    assert_true(jitbuf_poll_output(jb, &o));
    assert_int_equal(o.kind, JITBUF_OUT_LOST);
    assert_int_equal(o.seq, seq);
}

static void expect_none(struct jitbuf *jb)
{
    struct jitbuf_out o;
    assert_false(jitbuf_poll_output(jb, &o));
}

static void jb_check_identity(const struct jitbuf *jb)
{
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.packets_in, s.packets_bad + s.packets_late + s.packets_dup +
                                       s.packets_stray + s.packets_overflow + s.packets_released +
                                       s.packets_reset + jitbuf_held(jb));
}

static void test_create_args_and_enomem(void **state)
{
    (void)state;
    struct jitbuf *jb = (struct jitbuf *)1;
    const struct jitbuf_cfg bad[] = {
        {.clock_rate = 0},
        {.clock_rate = 1000001},
        {.clock_rate = 90000, .window = 8},
        {.clock_rate = 90000, .window = 100},
        {.clock_rate = 90000, .window = 8192},
        {.clock_rate = 90000, .max_payload = 65536},
        {.clock_rate = 90000, .min_delay_us = -1},
        {.clock_rate = 90000, .min_delay_us = 600000}, /* above the default max */
        {.clock_rate = 90000, .max_delay_us = 60000001},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(jitbuf_create(&bad[i], &jb), -EINVAL);
        assert_null(jb);
    }
    assert_int_equal(jitbuf_create(NULL, &jb), -EINVAL);
    const struct jitbuf_cfg ok = {.clock_rate = 48000};
    assert_int_equal(jitbuf_create(&ok, NULL), -EINVAL);
    long live = mem_live_count();
    unsigned long nth;
    for (nth = 1;; nth++) {
        mem_fail_nth(nth);
        int rc = jitbuf_create(&ok, &jb);
        mem_fail_nth(0);
        if (rc == 0)
            break;
        assert_int_equal(rc, -ENOMEM);
        assert_null(jb);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(nth, 4);                      /* the object, the slots, the payload pool */
    assert_int_equal(jitbuf_target_us(jb), 20000); /* the default minimum */
    assert_int_equal(jitbuf_poll_timeout(jb), INT64_MAX);
    expect_none(jb);
    jitbuf_destroy(jb);
    jitbuf_destroy(NULL);
    assert_int_equal(mem_live_count(), live);
}

/* Opus at 48 kHz, 20 ms packets arriving exactly on time: each comes out
 * one minimum delay after its arrival. */
static void test_steady_stream(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(48000, 0, 30000, 0);
    for (unsigned i = 0; i < 200; i++) {
        int64_t now = T0 + 20000LL * i;
        jitbuf_handle_timeout(jb, now);
        if (i >= 2)
            expect_packet(jb, (uint16_t)(100 + i - 2), T0 + 20000LL * (i - 2) + 30000);
        expect_none(jb);
        assert_int_equal(put(jb, (uint16_t)(100 + i), 960u * i, now), 0);
        assert_int_equal(jitbuf_poll_timeout(jb), T0 + 20000LL * (i - (i >= 1)) + 30000);
        if (i >= 1)
            expect_none(jb);
    }
    assert_int_equal(jitbuf_jitter_us(jb), 0);
    assert_int_equal(jitbuf_target_us(jb), 30000);
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.released_after_due, 0);
    assert_int_equal(s.lost, 0);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

/* Reordered, duplicated and missing packets within the delay. */
static void test_reorder_dup_loss(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(48000, 16, 60000, 60000);
    /* 20 ms apart; 1 arrives 25 ms late, twice; 4 never comes. */
    const uint16_t order[] = {0, 2, 1, 1, 3, 5, 6};
    const int64_t when[] = {0, 40000, 45000, 46000, 60000, 100000, 120000};
    for (unsigned i = 0; i < 7; i++)
        assert_int_equal(put(jb, order[i], 960u * order[i], T0 + when[i]), 0);
    /* Due: T0 + 60 ms + 20 ms * seq (packet 0's transit is the base). */
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 120000); /* already due */
    expect_packet(jb, 0, T0 + 60000);
    expect_packet(jb, 1, T0 + 80000);
    expect_packet(jb, 2, T0 + 100000);
    expect_packet(jb, 3, T0 + 120000);
    expect_none(jb);
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 160000);
    jitbuf_handle_timeout(jb, T0 + 159999);
    expect_none(jb);
    jitbuf_handle_timeout(jb, T0 + 160000);
    expect_lost(jb, 4); /* its turn comes with packet 5 */
    expect_packet(jb, 5, T0 + 160000);
    expect_none(jb);
    assert_int_equal(put(jb, 4, 960u * 4, T0 + 170000), 0); /* too late */
    assert_int_equal(put(jb, 2, 960u * 2, T0 + 170000), 0);
    jitbuf_handle_timeout(jb, T0 + 10000000);
    expect_packet(jb, 6, T0 + 180000);
    expect_none(jb);
    assert_int_equal(jitbuf_poll_timeout(jb), INT64_MAX);
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.packets_dup, 1);
    assert_int_equal(s.packets_late, 2);
    assert_int_equal(s.lost, 1);
    assert_int_equal(s.packets_released, 6);
    assert_int_equal(s.released_after_due, 0);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

/* The packets of one video frame share a timestamp and come out together;
 * the clock never goes back. */
static void test_video_frame_and_clock(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(90000, 0, 0, 0); /* defaults: 20 to 500 ms */
    for (unsigned i = 0; i < 5; i++)         /* frame 0: five packets over 4 ms */
        assert_int_equal(put(jb, (uint16_t)(65534 + i), 0xffffff00u, T0 + 1000 * i), 0);
    jitbuf_handle_timeout(jb, T0 + 19999);
    expect_none(jb);
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 20000);
    jitbuf_handle_timeout(jb, T0 + 20000);
    for (unsigned i = 0; i < 5; i++)
        expect_packet(jb, (uint16_t)(65534 + i), T0 + 20000);
    expect_none(jb);
    for (unsigned i = 5; i < 8; i++) /* frame 1, 33 ms later (2970 ticks, across 2^32) */
        assert_int_equal(put(jb, (uint16_t)(65534 + i), 0xffffff00u + 2970, T0 + 33000 + i), 0);
    assert_int_equal(jitbuf_target_us(jb), 20000);
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 53000);
    jitbuf_handle_timeout(jb, T0 + 60000);
    jitbuf_handle_timeout(jb, T0); /* going back is ignored */
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 60000);
    for (unsigned i = 5; i < 8; i++)
        expect_packet(jb, (uint16_t)(65534 + i), T0 + 53000);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

/* RFC 3550 A.8 on a known pattern: every other packet 10 ms late gives
 * |D| = 10 ms each time, so J climbs to 10 ms and the target to 4 J; when
 * the jitter stops, the target comes down by 1/64 of the gap per packet. */
static void test_jitter_and_target(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(48000, 0, 20000, 35000);
    int64_t j16 = 0;
    unsigned i;
    for (i = 0; i < 300; i++) {
        int64_t late = (i & 1) ? 10000 : 0;
        assert_int_equal(put(jb, (uint16_t)i, 960u * i, T0 + 20000LL * i + late), 0);
        if (i > 0) /* the RFC's integer form, J scaled by 16 */
            j16 += 10000 - ((j16 + 8) >> 4);
        assert_int_equal(jitbuf_jitter_us(jb), j16 >> 4);
        int64_t want = 4 * (j16 >> 4);
        want = want < 20000 ? 20000 : want > 35000 ? 35000 : want;
        assert_int_equal(jitbuf_target_us(jb), want); /* rises at once */
        struct jitbuf_out o;
        while (jitbuf_poll_output(jb, &o))
            ;
    }
    assert_true(jitbuf_jitter_us(jb) >= 9990 && jitbuf_jitter_us(jb) <= 10000); /* converged */
    assert_int_equal(jitbuf_target_us(jb), 35000);
    /* Steady now: J decays, and the target follows slowly. */
    int64_t target = 35000;
    for (; i < 400; i++) {
        assert_int_equal(put(jb, (uint16_t)i, 960u * i, T0 + 20000LL * i + 10000), 0);
        j16 -= (j16 + 8) >> 4; /* D = 0 */
        int64_t want = 4 * (j16 >> 4);
        want = want < 20000 ? 20000 : want > 35000 ? 35000 : want;
        if (want < target)
            target -= (target - want + 63) / 64;
        assert_int_equal(jitbuf_target_us(jb), target);
        struct jitbuf_out o;
        while (jitbuf_poll_output(jb, &o))
            ;
    }
    assert_true(target < 25000 && target > 20000);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

/* Extra path delay of packet i: +50 ms from 10 s to 50 s, then +10 ms. */
static int64_t step_delay(unsigned i)
{
    return i < 500 ? 0 : (i < 2500 ? 50000 : 10000);
}

/* The base transit follows a lasting change of the path delay within 10 to
 * 20 s: after a step of +50 ms, packets come out late at first, then one
 * target delay after arrival again. A step down is followed at once. */
static void test_base_follows_delay(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(48000, 0, 20000, 20000);
    struct jitbuf_out o;
    unsigned out = 0;
    for (unsigned i = 0; i < 3000; i++) { /* 60 s */
        assert_int_equal(put(jb, (uint16_t)i, 960u * i, T0 + 20000LL * i + step_delay(i)), 0);
        while (jitbuf_poll_output(jb, &o)) {
            assert_int_equal(o.kind, JITBUF_OUT_PACKET);
            assert_int_equal(o.seq, out);
            int64_t margin = o.playout_us - (T0 + 20000LL * o.seq + step_delay(o.seq));
            if (o.seq >= 500 && o.seq < 1000) /* old base until the window turns twice */
                assert_int_equal(margin, -30000);
            else if (o.seq == 2499) /* 2500 arrives first: 2499 is due at once */
                assert_int_equal(margin, 0);
            else
                assert_int_equal(margin, 20000);
            out++;
        }
    }
    assert_int_equal(out, 2999);
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.released_after_due, 500);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

static void test_sequence_wrap(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(8000, 16, 20000, 20000);
    for (unsigned i = 0; i < 70000; i++) {
        uint16_t seq = (uint16_t)(65500 + i);
        assert_int_equal(put(jb, seq, 0xfffff000u + 160u * i, T0 + 20000LL * i), 0);
        if (i > 0)
            expect_packet(jb, (uint16_t)(seq - 1), T0 + 20000LL * i);
        expect_none(jb);
    }
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.lost + s.packets_late + s.packets_stray, 0);
    jitbuf_destroy(jb);
}

/* A packet beyond the window is parked and everything before it is
 * released at once; a second one is refused meanwhile. */
static void test_window_overflow(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(48000, 16, 100000, 100000);
    assert_int_equal(put(jb, 10, 0, T0), 0);
    assert_int_equal(put(jb, 12, 960 * 2, T0 + 40000), 0);
    assert_int_equal(put(jb, 30, 960 * 20, T0 + 400000), 0); /* 30 - 10 >= 16: parked */
    assert_int_equal(put(jb, 31, 960 * 21, T0 + 400000), -ENOBUFS);
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 400000); /* due now */
    expect_packet(jb, 10, T0 + 100000);
    expect_lost(jb, 11);
    expect_packet(jb, 12, T0 + 140000);
    expect_lost(jb, 13); /* early, to make room */
    expect_lost(jb, 14);
    expect_none(jb); /* 30 fits now: back to the clock */
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 500000);
    assert_int_equal(put(jb, 31, 960 * 21, T0 + 420000), 0);
    jitbuf_handle_timeout(jb, T0 + 520000);
    for (uint16_t s = 15; s < 30; s++)
        expect_lost(jb, s);
    expect_packet(jb, 30, T0 + 500000);
    expect_packet(jb, 31, T0 + 520000);
    expect_none(jb);
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.packets_overflow, 1);
    assert_int_equal(s.lost, 18);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

/* RFC 3550 A.1: the sender restarts with new numbers and a new timestamp
 * base; the two packets that prove it come out on a fresh clock. */
static void test_sender_restart(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(48000, 64, 40000, 40000);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(put(jb, (uint16_t)(1000 + i), 960u * i, T0 + 20000LL * i), 0);
    assert_int_equal(put(jb, 40000, 123456, T0 + 100000), 0);
    assert_int_equal(put(jb, 40000, 123456, T0 + 100000), 0); /* a copy replaces it */
    assert_int_equal(jitbuf_held(jb), 6);
    assert_int_equal(put(jb, 40001, 123456 + 960, T0 + 120000), 0);
    struct jitbuf_out o;
    assert_true(jitbuf_poll_output(jb, &o));
    assert_int_equal(o.kind, JITBUF_OUT_RESET);
    assert_int_equal(o.count, 5);
    expect_none(jb);
    assert_int_equal(jitbuf_poll_timeout(jb), T0 + 140000);
    jitbuf_handle_timeout(jb, T0 + 160000);
    expect_packet(jb, 40000, T0 + 140000);
    expect_packet(jb, 40001, T0 + 160000);
    expect_none(jb);
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.resets, 1);
    assert_int_equal(s.packets_reset, 5);
    assert_int_equal(s.packets_stray, 1);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(90000, 16, 0, 0);
    static uint8_t big[1001];
    struct jitbuf_pkt p = {.seq = 5, .payload = big, .len = 1001};
    assert_int_equal(jitbuf_handle_packet(jb, &p, T0), -EMSGSIZE);
    p.payload = NULL;
    p.len = 1;
    assert_int_equal(jitbuf_handle_packet(jb, &p, T0), -EINVAL);
    assert_int_equal(jitbuf_handle_packet(jb, NULL, T0), -EINVAL);
    assert_int_equal(jitbuf_handle_packet(NULL, &p, T0), -EINVAL);
    assert_int_equal(jitbuf_poll_timeout(jb), INT64_MAX); /* nothing started */
    p.len = 0;                                            /* an empty payload is a packet */
    assert_int_equal(jitbuf_handle_packet(jb, &p, T0), 0);
    jitbuf_handle_timeout(jb, T0 + 20000);
    struct jitbuf_out o;
    assert_true(jitbuf_poll_output(jb, &o));
    assert_int_equal(o.len, 0);
    assert_false(jitbuf_poll_output(NULL, &o));
    assert_false(jitbuf_poll_output(jb, NULL));
    jitbuf_handle_timeout(NULL, 0);
    assert_int_equal(jitbuf_poll_timeout(NULL), INT64_MAX);
    struct jitbuf_stats s;
    jitbuf_get_stats(jb, &s);
    assert_int_equal(s.packets_bad, 1);
    assert_int_equal(s.packets_in, 2);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
}

/* A made-up clock: a 1 Hz rate and timestamps leaping 2^31 - 1 at a time
 * put media time far beyond any real call; it saturates instead of
 * overflowing, and packets still come out in order, once each. */
static void test_wild_timestamps(void **state)
{
    (void)state;
    struct jitbuf *jb = jmk(1, 16, 0, 0);
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(put(jb, (uint16_t)i, i * 0x7fffffffu, T0 + i), 0);
        jitbuf_handle_timeout(jb, INT64_MAX); /* clamped */
        expect_packet(jb, (uint16_t)i, INT64_MIN);
        expect_none(jb);
    }
    assert_int_equal(put(jb, 8, 0, INT64_MIN), 0); /* going back: ignored */
    expect_packet(jb, 8, INT64_MIN);
    jb_check_identity(jb);
    jitbuf_destroy(jb);
    /* A clock at the end of int64 and a packet before media time 0. */
    jb = jmk(1, 16, 0, 0);
    assert_int_equal(put(jb, 1, 1000000, T0), 0);
    assert_int_equal(put(jb, 0, 0, INT64_MAX), 0);
    expect_packet(jb, 0, INT64_MIN);
    expect_packet(jb, 1, INT64_MIN);
    assert_int_equal(jitbuf_poll_timeout(jb), INT64_MAX);
    jitbuf_destroy(jb);
}

/* vp8_pack -> a network with delay 0..60 ms, loss and duplicates ->
 * jitbuf -> vp8_depack: frames come out whole or not at all, and every
 * sequence number comes out of the jitter buffer once. */
static void test_pipeline_over_lossy_network(void **state)
{
    (void)state;
    static size_t sizes[MAX_FRAMES];
    static char keys[MAX_FRAMES + 1];
    static int64_t at[MAX_PKTS];
    static unsigned order[MAX_PKTS], seen[MAX_PKTS];
    uint32_t r = 99;
    for (unsigned i = 0; i < MAX_FRAMES - 4; i++) {
        sizes[i] = 200 + rnd(&r) % 4000;
        keys[i] = i % 15 == 0 ? 'K' : 'D';
    }
    keys[MAX_FRAMES - 4] = 0;
    gen(1000, 65000, 0x7ff0, sizes, keys);
    for (unsigned i = 0; i < npk; i++) { /* frame k captured at 33.333 ms * k */
        unsigned k = 0;
        while (k + 1 < nfr && fr[k + 1].first <= i)
            k++;
        at[i] = T0 + 33333LL * k + i % 3 * 500 + rnd(&r) % 60000;
        unsigned j = i;
        for (; j > 0 && at[order[j - 1]] > at[i]; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    struct jitbuf *jb = jmk(90000, 0, 20000, 200000);
    struct vp8_depack *d = mk(256, 1, 1000); /* in order from the jitbuf */
    uint16_t first = pk[0].seq;
    unsigned delivered = 0, hi = 0;
    for (unsigned k = 0; k < npk; k++) {
        unsigned i = order[k];
        uint32_t x = rnd(&r) % 100;
        if (x >= 3) {
            hi = i > hi ? i : hi;
            struct jitbuf_pkt p = {pk[i].seq, pk[i].ts, pk[i].marker, pk[i].b, pk[i].len};
            assert_int_equal(jitbuf_handle_packet(jb, &p, at[i]), 0);
            if (x >= 97)
                assert_int_equal(jitbuf_handle_packet(jb, &p, at[i] + 1), 0);
        }
        jitbuf_handle_timeout(jb, at[i]);
        struct jitbuf_out o;
        while (jitbuf_poll_output(jb, &o)) {
            assert_true(o.playout_us <= at[i]);
            unsigned idx = (uint16_t)(o.seq - first);
            seen[idx]++;
            if (o.kind == JITBUF_OUT_LOST) {
                vp8_depack_handle_lost(d, o.seq);
            } else {
                struct vp8_depack_pkt p = {o.seq, o.ts, o.marker, o.payload, o.len};
                assert_memory_equal(o.payload, pk[idx].b, o.len);
                assert_int_equal(vp8_depack_handle_packet(d, &p), 0);
            }
            delivered += drain(d);
        }
    }
    jitbuf_handle_timeout(jb, at[order[npk - 1]] + 1000000);
    struct jitbuf_out o;
    while (jitbuf_poll_output(jb, &o))
        seen[(uint16_t)(o.seq - first)]++;
    unsigned lo = 0;
    while (!seen[lo])
        lo++;
    assert_true(lo < 5);
    for (unsigned i = 0; i < npk; i++) /* once each, from the first out to the last in */
        assert_int_equal(seen[i], i >= lo && i <= hi);
    assert_true(delivered >= 30 && delivered < nfr); /* 3 % of the packets lost */
    jb_check_identity(jb);
    jitbuf_destroy(jb);
    vp8_depack_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_args_and_enomem),
        cmocka_unit_test(test_steady_stream),
        cmocka_unit_test(test_reorder_dup_loss),
        cmocka_unit_test(test_video_frame_and_clock),
        cmocka_unit_test(test_jitter_and_target),
        cmocka_unit_test(test_base_follows_delay),
        cmocka_unit_test(test_sequence_wrap),
        cmocka_unit_test(test_window_overflow),
        cmocka_unit_test(test_sender_restart),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_wild_timestamps),
        cmocka_unit_test(test_pipeline_over_lossy_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
