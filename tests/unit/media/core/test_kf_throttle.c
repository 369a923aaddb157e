#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/kf_throttle.h"
#include "media/core/rtcp_fir.h"

#define MS 1000LL
#define S (1000 * MS)

static void test_init(void **state)
{
    (void)state;
    struct kf_throttle t;
    assert_int_equal(kf_throttle_init(NULL, NULL), -EINVAL);
    struct kf_throttle_cfg bad = {.interval_us = -1};
    assert_int_equal(kf_throttle_init(&t, &bad), -EINVAL);
    assert_int_equal(kf_throttle_init(&t, NULL), 0);
    assert_int_equal(t.cfg.interval_us, 1 * S);
    assert_int_equal(kf_throttle_poll_timeout(&t), INT64_MAX);
    assert_false(kf_throttle_poll(&t, 0, NULL));
}

/* Default 1 s: the first request goes at once, the others wait for the
 * interval and go as one. */
static void test_one_per_interval(void **state)
{
    (void)state;
    struct kf_throttle t;
    assert_int_equal(kf_throttle_init(&t, NULL), 0);
    uint8_t fir = 99;
    kf_throttle_request(&t, 5 * S);
    assert_int_equal(kf_throttle_poll_timeout(&t), 5 * S);
    assert_true(kf_throttle_poll(&t, 5 * S, &fir));
    assert_int_equal(fir, 0);
    assert_false(kf_throttle_poll(&t, 5 * S, &fir));
    assert_int_equal(kf_throttle_poll_timeout(&t), INT64_MAX);
    /* three subscribers ask within the interval */
    kf_throttle_request(&t, 5 * S + 200 * MS);
    kf_throttle_request(&t, 5 * S + 300 * MS);
    kf_throttle_request(&t, 5 * S + 999 * MS);
    assert_int_equal(kf_throttle_poll_timeout(&t), 6 * S);
    assert_false(kf_throttle_poll(&t, 6 * S - 1, &fir));
    assert_true(kf_throttle_poll(&t, 6 * S, &fir));
    assert_int_equal(fir, 1);
    assert_false(kf_throttle_poll(&t, 6 * S + 1, &fir));
    /* 40 subscribers ask over the next 2.5 s (one per 62.5 ms): one
     * request per second, at 7 s and 8 s; the last ones wait for 9 s */
    int sent = 0;
    for (int64_t now = 6 * S + 500; now <= 8500 * MS; now += 500) {
        if ((now - 6 * S) % 62500 == 0)
            kf_throttle_request(&t, now);
        if (kf_throttle_poll(&t, now, &fir)) {
            sent++;
            assert_int_equal(now, (6 + sent) * S);
            assert_int_equal(fir, 1 + sent);
        }
    }
    assert_int_equal(sent, 2);
    assert_int_equal(kf_throttle_poll_timeout(&t), 9 * S);
    assert_int_equal(t.stats.requests, 4 + 40);
    assert_int_equal(t.stats.sent, 4);
    assert_int_equal(t.stats.coalesced, 2 + 15 + 15);
    assert_int_equal(t.stats.repeats, 0);
}

/* A key frame from the publisher answers the requests held so far. */
static void test_key_frame_answers(void **state)
{
    (void)state;
    struct kf_throttle t;
    struct kf_throttle_cfg cfg = {.interval_us = 500 * MS};
    assert_int_equal(kf_throttle_init(&t, &cfg), 0);
    kf_throttle_request(&t, 0);
    assert_true(kf_throttle_poll(&t, 0, NULL));
    kf_throttle_request(&t, 100 * MS);
    kf_throttle_request(&t, 150 * MS);
    kf_throttle_on_key_frame(&t, 200 * MS);
    assert_int_equal(kf_throttle_poll_timeout(&t), INT64_MAX);
    assert_false(kf_throttle_poll(&t, 500 * MS, NULL));
    assert_int_equal(t.stats.answered, 2);
    /* a request after the key frame still waits for the interval */
    kf_throttle_request(&t, 300 * MS);
    assert_int_equal(kf_throttle_poll_timeout(&t), 500 * MS);
    uint8_t fir;
    assert_true(kf_throttle_poll(&t, 500 * MS, &fir));
    assert_int_equal(fir, 1);
    /* after a long quiet spell: at once */
    kf_throttle_request(&t, 20 * S);
    assert_int_equal(kf_throttle_poll_timeout(&t), 20 * S);
    assert_true(kf_throttle_poll(&t, 20 * S, &fir));
    assert_int_equal(fir, 2);
}

/* RFC 5104 §4.3.1.1: repeats keep the FIR number, new requests take the
 * next one. */
static void test_repeats_keep_fir_seq(void **state)
{
    (void)state;
    struct kf_throttle t;
    struct kf_throttle_cfg cfg = {.interval_us = 500 * MS, .max_repeats = 2};
    assert_int_equal(kf_throttle_init(&t, &cfg), 0);
    uint8_t fir;
    kf_throttle_request(&t, 0);
    assert_true(kf_throttle_poll(&t, 0, &fir));
    assert_int_equal(fir, 0);
    /* no key frame: repeated at 500 and 1000 ms, then not any more */
    assert_int_equal(kf_throttle_poll_timeout(&t), 500 * MS);
    assert_true(kf_throttle_poll(&t, 500 * MS, &fir));
    assert_int_equal(fir, 0);
    assert_true(kf_throttle_poll(&t, 1000 * MS, &fir));
    assert_int_equal(fir, 0);
    assert_int_equal(kf_throttle_poll_timeout(&t), INT64_MAX);
    assert_false(kf_throttle_poll(&t, 1500 * MS, &fir));
    assert_int_equal(t.stats.repeats, 2);
    /* a new request: new number; answered before its repeat */
    kf_throttle_request(&t, 2 * S);
    assert_true(kf_throttle_poll(&t, 2 * S, &fir));
    assert_int_equal(fir, 1);
    kf_throttle_on_key_frame(&t, 2 * S + 100 * MS);
    assert_int_equal(kf_throttle_poll_timeout(&t), INT64_MAX);
    /* a new request while a repeat is due wins: new number */
    kf_throttle_request(&t, 3 * S);
    assert_true(kf_throttle_poll(&t, 3 * S, &fir));
    assert_int_equal(fir, 2);
    kf_throttle_request(&t, 3 * S + 100 * MS);
    assert_true(kf_throttle_poll(&t, 3 * S + 500 * MS, &fir));
    assert_int_equal(fir, 3);
    assert_int_equal(t.stats.repeats, 2);
    /* the FIR entry a PSFB writer gets */
    struct rtcp_fir f = {.sender_ssrc = 1, .n = 1, .e = {{.ssrc = 0xabcd, .seq = fir}}};
    uint8_t buf[20];
    size_t w;
    assert_int_equal(rtcp_fir_write(&f, buf, sizeof buf, &w), 0);
    assert_int_equal(buf[16], 3);
}

/* The FIR number is modulo 256. */
static void test_fir_seq_wraps(void **state)
{
    (void)state;
    struct kf_throttle t;
    struct kf_throttle_cfg cfg = {.interval_us = 1};
    assert_int_equal(kf_throttle_init(&t, &cfg), 0);
    uint8_t fir = 0;
    for (int i = 0; i < 258; i++) {
        kf_throttle_request(&t, i * 10);
        assert_true(kf_throttle_poll(&t, i * 10, &fir));
        assert_int_equal(fir, (uint8_t)i);
    }
    assert_int_equal(fir, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_one_per_interval),
        cmocka_unit_test(test_key_frame_answers),
        cmocka_unit_test(test_repeats_keep_fir_seq),
        cmocka_unit_test(test_fir_seq_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
