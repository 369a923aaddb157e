#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/nack_gen.h"
#include "media/core/rtcp_nack.h"

#define MS 1000LL

static struct nack_gen *make(const struct nack_gen_cfg *cfg)
{
    struct nack_gen *g = NULL;
    assert_int_equal(nack_gen_create(cfg, &g), 0);
    assert_non_null(g);
    return g;
}

static struct nack_gen_stats stats(const struct nack_gen *g)
{
    struct nack_gen_stats st;
    nack_gen_get_stats(g, &st);
    return st;
}

static void test_create_errors_and_enomem(void **state)
{
    (void)state;
    struct nack_gen *g = (struct nack_gen *)&g;
    assert_int_equal(nack_gen_create(NULL, NULL), -EINVAL);
    const struct nack_gen_cfg bad[] = {
        {.window = 32},           {.window = 1000},        {.window = 32768},
        {.max_retries = 256},     {.min_interval_us = -1}, {.first_delay_us = -1},
        {.initial_rtt_us = -100},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(nack_gen_create(&bad[i], &g), -EINVAL);
        assert_null(g);
    }
    long live = mem_live_count();
    mem_fail_nth(1);
    assert_int_equal(nack_gen_create(NULL, &g), -ENOMEM);
    mem_fail_nth(0);
    assert_null(g);
    assert_int_equal(mem_live_count(), live);
    struct nack_gen_cfg ok = {.window = 64, .max_retries = 255};
    g = make(&ok);
    nack_gen_destroy(g);
    nack_gen_destroy(NULL);
    assert_int_equal(mem_live_count(), live);
}

/* Defaults: NACK at once, retry every 1.5 * 100 ms; a NACKed packet that
 * arrives is recovered. */
static void test_gap_nack_retry_recover(void **state)
{
    (void)state;
    struct nack_gen *g = make(NULL);
    uint16_t seqs[16];
    assert_int_equal(nack_gen_poll_timeout(g), INT64_MAX);
    assert_int_equal(nack_gen_on_packet(g, 100, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 101, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 104, 1 * MS), NACK_GEN_NEW);
    assert_int_equal(nack_gen_missing(g), 2);
    assert_int_equal(nack_gen_poll_timeout(g), 1 * MS);
    assert_int_equal(nack_gen_poll(g, 0, seqs, 16), 0);
    assert_int_equal(nack_gen_poll(g, 1 * MS, seqs, 16), 2);
    assert_int_equal(seqs[0], 102);
    assert_int_equal(seqs[1], 103);
    assert_int_equal(nack_gen_poll_timeout(g), 151 * MS);
    assert_int_equal(nack_gen_poll(g, 150 * MS, seqs, 16), 0);
    assert_int_equal(nack_gen_poll(g, 151 * MS, seqs, 16), 2);
    assert_int_equal(nack_gen_on_packet(g, 103, 170 * MS), NACK_GEN_RECOVERED);
    assert_int_equal(nack_gen_on_packet(g, 103, 171 * MS), NACK_GEN_OLD);
    assert_int_equal(nack_gen_missing(g), 1);
    /* the RTT drops to 40 ms: the next retry comes 60 ms after the last */
    nack_gen_set_rtt(g, 40 * MS);
    nack_gen_set_rtt(g, 0); /* ignored */
    assert_int_equal(nack_gen_poll(g, 301 * MS, seqs, 16), 1);
    assert_int_equal(seqs[0], 102);
    assert_int_equal(nack_gen_poll_timeout(g), 361 * MS);
    assert_int_equal(nack_gen_on_packet(g, 102, 330 * MS), NACK_GEN_RECOVERED);
    assert_int_equal(nack_gen_poll_timeout(g), INT64_MAX);
    assert_int_equal(nack_gen_poll(g, 400 * MS, seqs, 16), 0);
    struct nack_gen_stats st = stats(g);
    assert_int_equal(st.requested, 5);
    assert_int_equal(st.nacked, 2);
    assert_int_equal(st.recovered, 2);
    assert_int_equal(st.given_up, 0);
    assert_false(nack_gen_poll_key_frame(g));
    nack_gen_destroy(g);
}

/* On a virtual clock: RTT 10 ms gives max(15, 20) = 20 ms between NACKs;
 * 10 NACKs at 0, 20, ..., 180 ms, given up at 200 ms with a key frame. */
static void test_retry_timing_and_give_up(void **state)
{
    (void)state;
    struct nack_gen *g = make(NULL);
    nack_gen_set_rtt(g, 10 * MS);
    assert_int_equal(nack_gen_on_packet(g, 7, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 9, 0), NACK_GEN_NEW);
    int64_t sent_at[16];
    int n = 0;
    uint16_t seqs[4];
    for (int64_t t = 0; t <= 300 * MS; t += 1 * MS) {
        if (nack_gen_poll_timeout(g) > t)
            continue;
        size_t k = nack_gen_poll(g, t, seqs, 4);
        if (k) {
            assert_int_equal(k, 1);
            assert_int_equal(seqs[0], 8);
            sent_at[n++] = t;
        }
    }
    assert_int_equal(n, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(sent_at[i], i * 20 * MS);
    assert_int_equal(nack_gen_missing(g), 0);
    assert_int_equal(nack_gen_poll_timeout(g), INT64_MAX);
    assert_true(nack_gen_poll_key_frame(g));
    assert_false(nack_gen_poll_key_frame(g));
    struct nack_gen_stats st = stats(g);
    assert_int_equal(st.requested, 10);
    assert_int_equal(st.nacked, 1);
    assert_int_equal(st.given_up, 1);
    assert_int_equal(st.key_frames, 1);
    /* too late now */
    assert_int_equal(nack_gen_on_packet(g, 8, 301 * MS), NACK_GEN_OLD);
    nack_gen_destroy(g);
}

/* The gap across 65535 -> 0 comes out in RTP order and packs into one
 * NACK pair. */
static void test_wrap_into_rtcp_nack(void **state)
{
    (void)state;
    struct nack_gen *g = make(NULL);
    assert_int_equal(nack_gen_on_packet(g, 65533, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 2, 0), NACK_GEN_NEW);
    uint16_t seqs[8];
    size_t n = nack_gen_poll(g, 0, seqs, 8);
    assert_int_equal(n, 4);
    const uint16_t want[] = {65534, 65535, 0, 1};
    assert_memory_equal(seqs, want, sizeof want);
    struct rtcp_nack nk = {.sender_ssrc = 1, .media_ssrc = 2};
    assert_int_equal(rtcp_nack_from_seqs(&nk, seqs, n), 0);
    assert_int_equal(nk.n_pairs, 1);
    assert_int_equal(nk.pairs[0].pid, 65534);
    assert_int_equal(nk.pairs[0].blp, 0x0007);
    uint8_t buf[16];
    size_t w;
    assert_int_equal(rtcp_nack_write(&nk, buf, sizeof buf, &w), 0);
    assert_int_equal(w, 16);
    assert_int_equal(nack_gen_on_packet(g, 0, 5 * MS), NACK_GEN_RECOVERED);
    assert_int_equal(nack_gen_on_packet(g, 3, 5 * MS), NACK_GEN_NEW);
    assert_int_equal(nack_gen_missing(g), 3);
    nack_gen_destroy(g);
}

/* With a first delay, a packet that is only reordered is never NACKed. */
static void test_reorder_before_first_nack(void **state)
{
    (void)state;
    struct nack_gen_cfg cfg = {.first_delay_us = 10 * MS};
    struct nack_gen *g = make(&cfg);
    uint16_t seqs[4];
    assert_int_equal(nack_gen_on_packet(g, 10, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 12, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_poll_timeout(g), 10 * MS);
    assert_int_equal(nack_gen_poll(g, 9 * MS, seqs, 4), 0);
    assert_int_equal(nack_gen_on_packet(g, 11, 5 * MS), NACK_GEN_REORDERED);
    assert_int_equal(nack_gen_poll_timeout(g), INT64_MAX);
    assert_int_equal(nack_gen_poll(g, 10 * MS, seqs, 4), 0);
    /* a later gap waits its own delay */
    assert_int_equal(nack_gen_on_packet(g, 14, 20 * MS), NACK_GEN_NEW);
    assert_int_equal(nack_gen_poll_timeout(g), 30 * MS);
    assert_int_equal(nack_gen_poll(g, 30 * MS, seqs, 4), 1);
    assert_int_equal(seqs[0], 13);
    struct nack_gen_stats st = stats(g);
    assert_int_equal(st.reordered, 1);
    assert_int_equal(st.nacked, 1);
    nack_gen_destroy(g);
}

/* window 64: a gap of 63 is tracked, 64 resets; a missing number falls
 * out of the window as the highest moves on. */
static void test_window_overflow_and_reset(void **state)
{
    (void)state;
    struct nack_gen_cfg cfg = {.window = 64};
    struct nack_gen *g = make(&cfg);
    assert_int_equal(nack_gen_on_packet(g, 0, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 64, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_missing(g), 63);
    assert_false(nack_gen_poll_key_frame(g));
    /* 65: the window is (1, 65]: number 1 falls out */
    assert_int_equal(nack_gen_on_packet(g, 65, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_missing(g), 62);
    assert_true(nack_gen_poll_key_frame(g));
    assert_int_equal(stats(g).given_up, 1);
    uint16_t seqs[64];
    assert_int_equal(nack_gen_poll(g, 0, seqs, 64), 62);
    assert_int_equal(seqs[0], 2);
    assert_int_equal(seqs[61], 63);
    /* 1 is outside: ignored; 2 is inside: recovered */
    assert_int_equal(nack_gen_on_packet(g, 1, 0), NACK_GEN_OLD);
    assert_int_equal(nack_gen_on_packet(g, 2, 0), NACK_GEN_RECOVERED);
    /* a jump leaving 64 missing: reset, key frame, nothing to NACK */
    assert_int_equal(nack_gen_on_packet(g, 65 + 65, 0), NACK_GEN_RESET);
    assert_int_equal(nack_gen_missing(g), 0);
    assert_true(nack_gen_poll_key_frame(g));
    assert_int_equal(nack_gen_poll(g, 1000 * MS, seqs, 64), 0);
    struct nack_gen_stats st = stats(g);
    assert_int_equal(st.resets, 1);
    assert_int_equal(st.given_up, 1 + 61);
    assert_int_equal(st.key_frames, 2);
    /* and it goes on from there */
    assert_int_equal(nack_gen_on_packet(g, 132, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_poll(g, 1000 * MS, seqs, 64), 1);
    assert_int_equal(seqs[0], 131);
    nack_gen_destroy(g);
}

/* Far behind: a stray is ignored, a stray followed by its successor is a
 * sender restart. */
static void test_far_behind_and_restart(void **state)
{
    (void)state;
    struct nack_gen *g = make(NULL);
    uint16_t seqs[4];
    assert_int_equal(nack_gen_on_packet(g, 5000, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 5002, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 3000, 0), NACK_GEN_OLD);
    assert_int_equal(nack_gen_on_packet(g, 5003, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 3001, 0), NACK_GEN_OLD); /* not right after 3000 */
    assert_int_equal(nack_gen_missing(g), 1);
    assert_int_equal(nack_gen_on_packet(g, 3002, 0), NACK_GEN_RESET);
    assert_int_equal(nack_gen_missing(g), 0);
    assert_true(nack_gen_poll_key_frame(g));
    assert_int_equal(nack_gen_on_packet(g, 3004, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_poll(g, 0, seqs, 4), 1);
    assert_int_equal(seqs[0], 3003);
    /* 40000 ahead of 3004 unwraps behind it: stray, then a restart */
    assert_int_equal(nack_gen_on_packet(g, 43004, 0), NACK_GEN_OLD);
    assert_int_equal(nack_gen_on_packet(g, 43005, 0), NACK_GEN_RESET);
    assert_int_equal(nack_gen_on_packet(g, 43007, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_poll(g, 0, seqs, 4), 1);
    assert_int_equal(seqs[0], 43006);
    assert_int_equal(stats(g).resets, 2);
    nack_gen_destroy(g);
}

/* A short output buffer: the rest stays due for the next poll. */
static void test_poll_cap(void **state)
{
    (void)state;
    struct nack_gen *g = make(NULL);
    assert_int_equal(nack_gen_on_packet(g, 0, 0), NACK_GEN_NEW);
    assert_int_equal(nack_gen_on_packet(g, 41, 0), NACK_GEN_NEW);
    uint16_t seqs[16];
    assert_int_equal(nack_gen_poll(g, 0, seqs, 16), 16);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(nack_gen_poll_timeout(g), 0);
    assert_int_equal(nack_gen_poll(g, 0, seqs, 16), 16);
    assert_int_equal(seqs[0], 17);
    assert_int_equal(nack_gen_poll(g, 1 * MS, seqs, 16), 8);
    assert_int_equal(seqs[0], 33);
    assert_int_equal(seqs[7], 40);
    assert_int_equal(nack_gen_poll_timeout(g), 150 * MS);
    assert_int_equal(nack_gen_poll(g, 1 * MS, NULL, 16), 0);
    assert_int_equal(stats(g).requested, 40);
    nack_gen_destroy(g);
}

/* A lossy trace: 10 % of the packets arrive 30 ms late (one RTT of 20 ms
 * later), 1 in 50 never. Every late one is recovered, every lost one
 * given up, nothing is left over. */
static void test_lossy_trace(void **state)
{
    (void)state;
    struct nack_gen *g = make(NULL);
    nack_gen_set_rtt(g, 20 * MS);
    uint16_t seqs[64];
    uint32_t late[64];
    int64_t late_at[64];
    size_t n_late = 0;
    unsigned lost = 0, delayed = 0;
    uint32_t q = 65000; /* crosses the wrap */
    for (int64_t t = 0; t < 10000 * MS; t += 5 * MS, q++) {
        for (size_t i = 0; i < n_late;) {
            if (late_at[i] <= t) {
                assert_int_equal(nack_gen_on_packet(g, (uint16_t)late[i], t), NACK_GEN_RECOVERED);
                late[i] = late[--n_late];
                late_at[i] = late_at[n_late];
            } else {
                i++;
            }
        }
        if (q % 50 == 7) {
            lost++;
        } else if (q % 10 == 3) {
            late[n_late] = q;
            late_at[n_late++] = t + 30 * MS;
            delayed++;
        } else {
            assert_int_not_equal(nack_gen_on_packet(g, (uint16_t)q, t), NACK_GEN_RESET);
        }
        if (nack_gen_poll_timeout(g) <= t)
            (void)nack_gen_poll(g, t, seqs, 64);
    }
    for (int64_t t = 10000 * MS; t < 11000 * MS; t += 5 * MS)
        (void)nack_gen_poll(g, t, seqs, 64);
    struct nack_gen_stats st = stats(g);
    assert_int_equal(st.recovered, delayed);
    assert_int_equal(st.given_up, lost);
    assert_int_equal(st.requested, delayed + 10 * lost);
    assert_int_equal(nack_gen_missing(g), 0);
    nack_gen_destroy(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_errors_and_enomem),
        cmocka_unit_test(test_gap_nack_retry_recover),
        cmocka_unit_test(test_retry_timing_and_give_up),
        cmocka_unit_test(test_wrap_into_rtcp_nack),
        cmocka_unit_test(test_reorder_before_first_nack),
        cmocka_unit_test(test_window_overflow_and_reset),
        cmocka_unit_test(test_far_behind_and_restart),
        cmocka_unit_test(test_poll_cap),
        cmocka_unit_test(test_lossy_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
