#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/rtp_hdr.h"
#include "media/core/rtp_history.h"

#define MS 1000LL

static struct rtp_history *make(const struct rtp_history_cfg *cfg)
{
    struct rtp_history *h = NULL;
    assert_int_equal(rtp_history_create(cfg, &h), 0);
    assert_non_null(h);
    return h;
}

static struct rtp_history_stats stats(const struct rtp_history *h)
{
    struct rtp_history_stats st;
    rtp_history_get_stats(h, &st);
    return st;
}

/* A VP8 packet as sent: header, then `len` payload bytes derived from seq. */
static size_t packet(uint8_t *buf, uint16_t seq, size_t payload)
{
    struct rtp_hdr h = {.pt = 96, .seq = seq, .ts = 90000u * seq, .ssrc = 0x11223344};
    size_t hl;
    assert_int_equal(rtp_hdr_write(&h, buf, 12, &hl), 0);
    for (size_t i = 0; i < payload; i++)
        buf[12 + i] = (uint8_t)(seq * 7 + i);
    return 12 + payload;
}

static void check_held(struct rtp_history *h, uint16_t seq, size_t payload, int64_t now)
{
    uint8_t want[1500];
    size_t n = packet(want, seq, payload);
    const uint8_t *p = NULL;
    size_t len = 0;
    assert_int_equal(rtp_history_get(h, seq, now, &p, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(p, want, n);
}

static void test_create_errors_and_enomem(void **state)
{
    (void)state;
    struct rtp_history *h = (struct rtp_history *)&h;
    assert_int_equal(rtp_history_create(NULL, NULL), -EINVAL);
    const struct rtp_history_cfg bad[] = {
        {.slots = 8}, {.slots = 1000}, {.slots = 65536}, {.max_pkt = 65536}, {.max_age_us = -1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(rtp_history_create(&bad[i], &h), -EINVAL);
        assert_null(h);
    }
    long live = mem_live_count();
    unsigned nth;
    for (nth = 1;; nth++) {
        mem_fail_nth(nth);
        int rc = rtp_history_create(NULL, &h);
        mem_fail_nth(0);
        if (rc == 0)
            break;
        assert_int_equal(rc, -ENOMEM);
        assert_null(h);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(nth, 4); /* three allocations */
    rtp_history_destroy(h);
    rtp_history_destroy(NULL);
    assert_int_equal(mem_live_count(), live);
}

/* Default sizing: 1024 slots of 1500 bytes, allocated at creation. */
static void test_put_get_bytes(void **state)
{
    (void)state;
    struct rtp_history *h = make(NULL);
    uint8_t buf[1600];
    const uint8_t *p;
    size_t len;
    assert_int_equal(rtp_history_get(h, 0, 0, &p, &len), -ENOENT); /* empty */
    size_t n = packet(buf, 40000, 1488);
    assert_int_equal(rtp_history_put(h, 40000, buf, n, 0), 0);
    n = packet(buf, 40001, 1489);
    assert_int_equal(rtp_history_put(h, 40001, buf, n, 0), -ENOSPC);
    n = packet(buf, 40001, 100);
    assert_int_equal(rtp_history_put(h, 40001, buf, n, 0), 0);
    check_held(h, 40000, 1488, 10 * MS);
    check_held(h, 40001, 100, 10 * MS);
    assert_int_equal(rtp_history_get(h, 40002, 10 * MS, &p, &len), -ENOENT);
    /* seq 40000 + 1024 shares the slot of 40000 but is not it */
    assert_int_equal(rtp_history_get(h, 41024, 10 * MS, &p, &len), -ENOENT);
    assert_int_equal(rtp_history_put(h, 1, NULL, 5, 0), -EINVAL);
    assert_int_equal(rtp_history_put(h, 1, buf, 0, 0), -EINVAL);
    assert_int_equal(rtp_history_put(NULL, 1, buf, 5, 0), -EINVAL);
    assert_int_equal(rtp_history_get(h, 1, 0, NULL, &len), -EINVAL);
    assert_int_equal(rtp_history_resend(h, 1, 0, 0, &p, NULL), -EINVAL);
    struct rtp_history_stats st = stats(h);
    assert_int_equal(st.stored, 2);
    assert_int_equal(st.too_big, 1);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.misses, 3);
    rtp_history_destroy(h);
}

/* 16 slots: the 17th packet overwrites the first. */
static void test_evict_by_count_across_wrap(void **state)
{
    (void)state;
    struct rtp_history_cfg cfg = {.slots = 16, .max_pkt = 200};
    struct rtp_history *h = make(&cfg);
    uint8_t buf[200];
    for (uint32_t q = 65530; q < 65530 + 32; q++) {
        size_t n = packet(buf, (uint16_t)q, q % 50);
        assert_int_equal(rtp_history_put(h, (uint16_t)q, buf, n, (int64_t)(q - 65530) * MS), 0);
    }
    const uint8_t *p;
    size_t len;
    for (uint32_t q = 65530; q < 65530 + 16; q++)
        assert_int_equal(rtp_history_get(h, (uint16_t)q, 40 * MS, &p, &len), -ENOENT);
    for (uint32_t q = 65530 + 16; q < 65530 + 32; q++)
        check_held(h, (uint16_t)q, q % 50, 40 * MS);
    assert_int_equal(stats(h).misses, 16);
    assert_int_equal(stats(h).hits, 16);
    rtp_history_destroy(h);
}

/* 500 ms: held at exactly 500 ms, gone 1 us later. */
static void test_evict_by_age(void **state)
{
    (void)state;
    struct rtp_history_cfg cfg = {.max_age_us = 500 * MS};
    struct rtp_history *h = make(&cfg);
    uint8_t buf[100];
    const uint8_t *p;
    size_t len;
    /* a 1.5 Mbit/s stream: one 1200-byte packet per 6.4 ms */
    for (int i = 0; i < 100; i++) {
        size_t n = packet(buf, (uint16_t)(100 + i), 80);
        assert_int_equal(rtp_history_put(h, (uint16_t)(100 + i), buf, n, i * 6400), 0);
    }
    /* at 600 ms: packets sent at or after 100 ms are held */
    int64_t now = 600 * MS;
    for (int i = 0; i < 100; i++) {
        int want = i * 6400 >= 100 * MS ? 0 : -ENOENT;
        assert_int_equal(rtp_history_get(h, (uint16_t)(100 + i), now, &p, &len), want);
    }
    /* packet 16 (102.4 ms) is the oldest held: until 602.4 ms inclusive */
    assert_int_equal(rtp_history_get(h, 116, 602400, &p, &len), 0);
    assert_int_equal(rtp_history_get(h, 116, 602401, &p, &len), -ENOENT);
    assert_int_equal(rtp_history_get(h, 115, 596000, &p, &len), 0);
    rtp_history_destroy(h);
}

/* Once per RTT: a second NACK within 80 ms of the resend is refused. */
static void test_resend_guard(void **state)
{
    (void)state;
    struct rtp_history *h = make(NULL);
    uint8_t buf[100];
    const uint8_t *p;
    size_t len;
    size_t n = packet(buf, 9, 50);
    assert_int_equal(rtp_history_put(h, 9, buf, n, 0), 0);
    assert_int_equal(rtp_history_resend(h, 9, 10 * MS, 80 * MS, &p, &len), 0);
    assert_int_equal(len, n);
    assert_memory_equal(p, buf, n);
    assert_int_equal(rtp_history_resend(h, 9, 89 * MS, 80 * MS, &p, &len), -EALREADY);
    assert_int_equal(rtp_history_resend(h, 9, 90 * MS, 80 * MS, &p, &len), 0);
    assert_int_equal(rtp_history_resend(h, 9, 91 * MS, 0, &p, &len), 0); /* guard off */
    /* get neither checks nor moves the guard */
    assert_int_equal(rtp_history_get(h, 9, 92 * MS, &p, &len), 0);
    assert_int_equal(rtp_history_resend(h, 9, 100 * MS, 80 * MS, &p, &len), -EALREADY);
    assert_int_equal(rtp_history_resend(h, 10, 100 * MS, 80 * MS, &p, &len), -ENOENT);
    /* a new packet in the slot starts with a clear guard */
    n = packet(buf, 9, 60);
    assert_int_equal(rtp_history_put(h, 9, buf, n, 100 * MS), 0);
    assert_int_equal(rtp_history_resend(h, 9, 101 * MS, 80 * MS, &p, &len), 0);
    assert_int_equal(len, n);
    struct rtp_history_stats st = stats(h);
    assert_int_equal(st.throttled, 2);
    assert_int_equal(st.hits, 5);
    assert_int_equal(st.misses, 1);
    rtp_history_destroy(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_errors_and_enomem),
        cmocka_unit_test(test_put_get_bytes),
        cmocka_unit_test(test_evict_by_count_across_wrap),
        cmocka_unit_test(test_evict_by_age),
        cmocka_unit_test(test_resend_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
