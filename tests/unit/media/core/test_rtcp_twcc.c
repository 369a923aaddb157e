#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_twcc.h"

/* A feedback for 20 packets, hand-assembled:
 *   8f cd 00 0b   V=2 FMT=15 PT=205 length 11 -> 48 bytes
 *   00 00 00 01   sender SSRC 1
 *   5a 3b 1c 0d   media SSRC
 *   03 e8 00 14   base seq 1000, status count 20
 *   01 e2 40 07   reference time 123456 (x 64 ms = 7901.184 s), fb count 7
 * Statuses, seq 1000..1019: 5 small, 1 lost, 2 large (+70 ms, -1 ms),
 * 12 small. Chunks:
 *   d5 52   2-bit vector 11|01 01 01 01 01 00 10: seq 1000..1006
 *   e5 55   2-bit vector 11|10 01 01 01 01 01 01: seq 1007..1013
 *   20 06   run length 0|01|0000000000110: symbol 1 x 6, seq 1014..1019
 * Receive deltas (250 us ticks):
 *   0f 14 04 00 ff   15, 20, 4, 0, 255 (small)
 *   01 18            +280 = +70 ms (large)
 *   ff fc            -4 = -1 ms (large, negative: reordered)
 *   08 x 12          8 = 2 ms each
 *   00               zero padding: 20 + 6 + 21 = 47 -> 48 */
static const uint8_t twcc_pkt[] = {
    0x8f, 0xcd, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x01, 0x5a, 0x3b, 0x1c, 0x0d, 0x03, 0xe8, 0x00, 0x14,
    0x01, 0xe2, 0x40, 0x07, 0xd5, 0x52, 0xe5, 0x55, 0x20, 0x06, 0x0f, 0x14, 0x04, 0x00, 0xff, 0x01,
    0x18, 0xff, 0xfc, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x00,
};

#define REF_US (123456ll * 64000) /* 7901184000 */

static const int64_t want_arrival[20] = {
    REF_US + 3750,   REF_US + 8750,   REF_US + 9750,
    REF_US + 9750,   REF_US + 73500,  0,
    REF_US + 143500, REF_US + 142500, REF_US + 144500,
    REF_US + 146500, REF_US + 148500, REF_US + 150500,
    REF_US + 152500, REF_US + 154500, REF_US + 156500,
    REF_US + 158500, REF_US + 160500, REF_US + 162500,
    REF_US + 164500, REF_US + 166500,
};

static struct rtcp_twcc_pkt pkts[65536];

static void test_parse_known(void **state)
{
    (void)state;
    struct rtcp_twcc fb;
    assert_int_equal(rtcp_twcc_parse(&fb, twcc_pkt, sizeof twcc_pkt, pkts, 20), 0);
    assert_int_equal(fb.sender_ssrc, 1);
    assert_int_equal(fb.media_ssrc, 0x5a3b1c0d);
    assert_int_equal(fb.base_seq, 1000);
    assert_int_equal(fb.status_count, 20);
    assert_int_equal(fb.ref_time, 123456);
    assert_int_equal(fb.fb_count, 7);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(pkts[i].seq, 1000 + i);
        assert_int_equal(pkts[i].received, i != 5);
        assert_true(pkts[i].arrival_us == want_arrival[i]);
    }
}

/* The writer, given the same arrivals, picks the same chunks and emits the
 * same bytes. */
static void test_write_known(void **state)
{
    (void)state;
    struct rtcp_twcc fb = {
        .sender_ssrc = 1, .media_ssrc = 0x5a3b1c0d, .base_seq = 1000, .fb_count = 7};
    struct rtcp_twcc_pkt in[19];
    size_t n = 0;
    for (int i = 0; i < 20; i++)
        if (i != 5)
            in[n++] = (struct rtcp_twcc_pkt){(uint16_t)(1000 + i), true, want_arrival[i]};
    uint8_t out[64];
    size_t w = 0;
    assert_int_equal(rtcp_twcc_write(&fb, in, n, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof twcc_pkt);
    assert_memory_equal(out, twcc_pkt, sizeof twcc_pkt);
    assert_int_equal(rtcp_twcc_write(&fb, in, n, out, sizeof twcc_pkt - 1, &w), -ENOSPC);
    assert_int_equal(rtcp_twcc_write(&fb, in, n, out, 21, &w), -ENOSPC);
}

/* The draft's chunk examples (§3.1.3, §3.1.4) in one packet: run-length
 * example 1 (00 dd: "packet not received" x 221) then status vector
 * example 1 (9f 1c: 0 11111 000 111 00), status count 221 + 14 = 235,
 * 8 received with small deltas of 1 tick each. 20 + 4 + 8 = 32 bytes. */
static void test_draft_examples(void **state)
{
    (void)state;
    const uint8_t p[] = {0x8f, 0xcd, 0x00, 0x07, 0,    0,    0,    1,    0,    0,    0,
                         2,    0x00, 0x00, 0x00, 0xeb, 0x00, 0x00, 0x01, 0x00, 0x00, 0xdd,
                         0x9f, 0x1c, 1,    1,    1,    1,    1,    1,    1,    1};
    struct rtcp_twcc fb;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65536), 0);
    assert_int_equal(fb.status_count, 235);
    assert_int_equal(fb.ref_time, 1);
    int received = 0;
    for (int i = 0; i < 235; i++) {
        int off = i - 221;
        bool want = (off >= 1 && off <= 5) || (off >= 9 && off <= 11);
        assert_int_equal(pkts[i].received, want);
        if (want) {
            received++;
            assert_true(pkts[i].arrival_us == 64000 + 250 * received);
        }
    }
    assert_int_equal(received, 8);
}

/* The draft's run-length example 2 (60 18) and status vector example 2
 * (cd 50) use symbol 11, which §3.1.1 reserves: rejected. */
static void test_draft_reserved_symbol(void **state)
{
    (void)state;
    uint8_t p[] = {0x8f, 0xcd, 0x00, 0x05, 0,    0,    0,    1,    0,    0,    0, 2,
                   0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x01, 0x00, 0x60, 0x18, 0, 0};
    struct rtcp_twcc fb;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65536), -EBADMSG);
    p[15] = 0x07;
    p[20] = 0xcd, p[21] = 0x50;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65536), -EBADMSG);
    /* a reserved symbol in an unused slot past the status count is ignored */
    p[15] = 0x01;               /* one status: symbol 00 */
    p[20] = 0xc0, p[21] = 0x53; /* 11|00 00 00 01 01 00 11 */
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65536), 0);
    assert_false(pkts[0].received);
}

static int64_t floor250(int64_t t)
{
    int64_t r = t % 250;
    return r < 0 ? t - r - 250 : t - r;
}

/* Write then parse: the same statuses, and arrivals rounded down to 250 us
 * that keep their distances (the absolute value moves by a multiple of
 * 2^24 * 64 ms when the reference time wraps). */
static void check_round_trip(const struct rtcp_twcc *fb, const struct rtcp_twcc_pkt *in, size_t n)
{
    static uint8_t out[4 * 65536];
    size_t w = 0;
    assert_int_equal(rtcp_twcc_write(fb, in, n, out, sizeof out, &w), 0);
    struct rtcp_twcc back;
    assert_int_equal(rtcp_twcc_parse(&back, out, w, pkts, 65536), 0);
    assert_int_equal(back.base_seq, fb->base_seq);
    size_t j = 0;
    int64_t first_in = 0, first_out = 0;
    bool have_first = false;
    for (size_t i = 0; i < back.status_count; i++) {
        while (j < n && !in[j].received)
            j++; /* listed but not received: reported as lost */
        bool rx = j < n && in[j].seq == pkts[i].seq;
        assert_int_equal(pkts[i].received, rx);
        if (rx) {
            if (!have_first) {
                have_first = true;
                first_in = floor250(in[j].arrival_us);
                first_out = pkts[i].arrival_us;
            }
            assert_true(pkts[i].arrival_us - first_out == floor250(in[j].arrival_us) - first_in);
            j++;
        }
    }
    while (j < n && !in[j].received)
        j++;
    assert_int_equal(j, n);
}

static void test_round_trip_patterns(void **state)
{
    (void)state;
    static struct rtcp_twcc_pkt in[20000];
    struct rtcp_twcc fb = {.sender_ssrc = 5, .base_seq = 65000, .fb_count = 255};
    uint64_t x = 0x243f6a8885a308d3ull;
    for (int round = 0; round < 40; round++) {
        size_t n = 0;
        int64_t t = 1000000000 + round * 7;
        uint16_t seq = fb.base_seq;
        size_t len = 1 + (size_t)round * 500;
        for (size_t i = 0; i < len; i++, seq++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* long runs of loss and of small deltas, bursts of large and
             * negative deltas, depending on the round */
            if (round % 4 == 1 && (i / 300) % 2)
                continue;
            if (round % 4 == 2 && x % 3 == 0)
                continue;
            int64_t d = (int64_t)(x % 64000);
            if (round % 4 == 3 && x % 5 == 0)
                d = -(int64_t)(x % 8000000);
            t += d;
            in[n++] = (struct rtcp_twcc_pkt){seq, true, t};
        }
        if (n == 0)
            continue;
        check_round_trip(&fb, in, n);
    }
}

/* Arrival times in us and ticks: values below one reference unit, a
 * negative first arrival, and losses at the start and end. */
static void test_round_trip_edges(void **state)
{
    (void)state;
    struct rtcp_twcc fb = {.base_seq = 10, .status_count = 9};
    struct rtcp_twcc_pkt in[] = {
        {12, true, -1000001}, {13, false, 5},       {14, true, -1000001},
        {15, true, 7000000},  {16, true, -1190000},
    };
    check_round_trip(&fb, in, 5);
    struct rtcp_twcc back;
    uint8_t out[64];
    size_t w = 0;
    assert_int_equal(rtcp_twcc_write(&fb, in, 5, out, sizeof out, &w), 0);
    assert_int_equal(rtcp_twcc_parse(&back, out, w, pkts, 9), 0);
    assert_int_equal(back.status_count, 9);
    assert_false(pkts[0].received);
    assert_false(pkts[8].received);
    /* floor(-1000001 / 64000) = -16, written modulo 2^24 */
    assert_int_equal(back.ref_time, 0x1000000 - 16);

    /* status count 0: up to the last received */
    fb.status_count = 0;
    assert_int_equal(rtcp_twcc_write(&fb, in, 5, out, sizeof out, &w), 0);
    assert_int_equal(rtcp_twcc_parse(&back, out, w, pkts, 9), 0);
    assert_int_equal(back.status_count, 7);
}

/* Nothing received: one run of "not received", reference time kept. */
static void test_all_lost(void **state)
{
    (void)state;
    struct rtcp_twcc fb = {.base_seq = 3, .status_count = 9000, .ref_time = 0x123456};
    uint8_t out[32];
    size_t w = 0;
    assert_int_equal(rtcp_twcc_write(&fb, NULL, 0, out, sizeof out, &w), 0);
    /* 20 + two run chunks (8191 + 809) = 24 */
    assert_int_equal(w, 24);
    assert_int_equal(out[20] << 8 | out[21], 8191);
    assert_int_equal(out[22] << 8 | out[23], 809);
    struct rtcp_twcc back;
    assert_int_equal(rtcp_twcc_parse(&back, out, w, pkts, 65536), 0);
    assert_int_equal(back.ref_time, 0x123456);
    assert_int_equal(back.status_count, 9000);
    for (int i = 0; i < 9000; i++)
        assert_false(pkts[i].received);
    fb.status_count = 0;
    assert_int_equal(rtcp_twcc_write(&fb, NULL, 0, out, sizeof out, &w), -EINVAL);
}

/* Chunk choice: a long run of one symbol is one run-length chunk; an
 * alternating received/lost pattern packs 14 statuses per 1-bit vector;
 * mixed small and large deltas fall back to 2-bit vectors of 7. */
static void test_chunk_choice(void **state)
{
    (void)state;
    static struct rtcp_twcc_pkt in[100];
    struct rtcp_twcc fb = {.base_seq = 0};
    uint8_t out[256];
    size_t w = 0;
    for (int i = 0; i < 100; i++)
        in[i] = (struct rtcp_twcc_pkt){(uint16_t)i, true, 1000 * i};
    assert_int_equal(rtcp_twcc_write(&fb, in, 100, out, sizeof out, &w), 0);
    assert_int_equal(out[20] << 8 | out[21], 0x2064); /* 0|01|100 */
    assert_int_equal(w, 20 + 2 + 100 + 2);

    for (int i = 0; i < 14; i++) /* received, lost, received, ... 28 statuses */
        in[i] = (struct rtcp_twcc_pkt){(uint16_t)(2 * i), true, 1000 * i};
    fb.status_count = 28;
    assert_int_equal(rtcp_twcc_write(&fb, in, 14, out, sizeof out, &w), 0);
    assert_int_equal(out[20] << 8 | out[21], 0xaaaa); /* 1|0|10101010101010 */
    assert_int_equal(out[22] << 8 | out[23], 0xaaaa);
    assert_int_equal(w, 20 + 4 + 16);

    for (int i = 0; i < 14; i++) /* small and large deltas alternate */
        in[i] = (struct rtcp_twcc_pkt){(uint16_t)i, true, 100000 * (i / 2) + 1000 * (i % 2)};
    fb.status_count = 14;
    assert_int_equal(rtcp_twcc_write(&fb, in, 14, out, sizeof out, &w), 0);
    assert_int_equal(out[20] >> 6, 3); /* 2-bit vector */
    assert_int_equal(out[22] >> 6, 3);
    check_round_trip(&fb, in, 14);
}

static void test_write_misuse(void **state)
{
    (void)state;
    struct rtcp_twcc fb = {.base_seq = 100};
    uint8_t out[64];
    size_t w = 0;
    struct rtcp_twcc_pkt unsorted[] = {{101, true, 0}, {100, true, 0}};
    assert_int_equal(rtcp_twcc_write(&fb, unsorted, 2, out, sizeof out, &w), -EINVAL);
    struct rtcp_twcc_pkt dup[] = {{101, true, 0}, {101, true, 0}};
    assert_int_equal(rtcp_twcc_write(&fb, dup, 2, out, sizeof out, &w), -EINVAL);
    /* 8192 ms between two arrivals: beyond a 16-bit delta */
    struct rtcp_twcc_pkt gap[] = {{100, true, 0}, {101, true, 8192000}};
    assert_int_equal(rtcp_twcc_write(&fb, gap, 2, out, sizeof out, &w), -EINVAL);
    gap[1].arrival_us = 8191750; /* the largest delta that fits */
    assert_int_equal(rtcp_twcc_write(&fb, gap, 2, out, sizeof out, &w), 0);
    /* a received packet past the stated status count */
    fb.status_count = 1;
    assert_int_equal(rtcp_twcc_write(&fb, gap, 2, out, sizeof out, &w), -EINVAL);
    fb.status_count = 0;
    struct rtcp_twcc_pkt huge[] = {{100, true, (int64_t)1 << 61}};
    assert_int_equal(rtcp_twcc_write(&fb, huge, 1, out, sizeof out, &w), -EINVAL);
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_twcc fb;
    uint8_t p[sizeof twcc_pkt];
    /* truncated */
    assert_int_equal(rtcp_twcc_parse(&fb, twcc_pkt, sizeof twcc_pkt - 1, pkts, 20), -EBADMSG);
    /* deltas cut: length says 44 bytes, so the last 12 deltas do not fit */
    memcpy(p, twcc_pkt, sizeof p);
    p[3] = 0x0a;
    assert_int_equal(rtcp_twcc_parse(&fb, p, 44, pkts, 20), -EBADMSG);
    /* status count 0 */
    memcpy(p, twcc_pkt, sizeof p);
    p[14] = 0, p[15] = 0;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 20), -EBADMSG);
    /* the fixed part cut: length 3 */
    memcpy(p, twcc_pkt, sizeof p);
    p[3] = 0x03;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 20), -EBADMSG);
    /* a NACK is not a TWCC feedback */
    memcpy(p, twcc_pkt, sizeof p);
    p[0] = 0x81;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 20), -EINVAL);
}

/* Status count 65535 in a 24-byte packet: the walk runs out of chunks
 * after two and stops. Zero-length runs cannot spin it either. */
static void test_huge_status_count_tiny_buffer(void **state)
{
    (void)state;
    struct rtcp_twcc fb;
    const uint8_t p[] = {0x8f, 0xcd, 0x00, 0x05, 0,    0,    0,    1,    0,    0,    0,    2,
                         0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00, 0x3f, 0xff, 0x3f, 0xff};
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65536), -EBADMSG);
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, NULL, 0), -EBADMSG);
    static uint8_t zeros[4 + 16 + 1024];
    memcpy(zeros, p, 20);
    zeros[2] = (uint8_t)((sizeof zeros / 4 - 1) >> 8);
    zeros[3] = (uint8_t)(sizeof zeros / 4 - 1);
    assert_int_equal(rtcp_twcc_parse(&fb, zeros, sizeof zeros, pkts, 65536), -EBADMSG);
}

/* The largest legal feedback: 65535 statuses of runs, all received with a
 * small delta of 0 (65535 delta bytes). Capacity is checked after the
 * packet is known to be well formed. */
static void test_max_status_count(void **state)
{
    (void)state;
    static uint8_t p[20 + 18 + 65535 + 3]; /* padded to 32 bits */
    const uint8_t head[] = {0x8f, 0xcd, 0,    0,    0,    0,    0,    1,    0,    0,
                            0,    2,    0xff, 0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    memcpy(p, head, sizeof head);
    size_t words = sizeof p / 4 - 1;
    p[2] = (uint8_t)(words >> 8);
    p[3] = (uint8_t)words;
    for (int i = 0; i < 8; i++) /* 8 x 8191 + 7 = 65535: 0|01|run */
        p[20 + 2 * i] = 0x3f, p[21 + 2 * i] = 0xff;
    p[20 + 16] = 0x20, p[21 + 16] = 0x07;
    struct rtcp_twcc fb;
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 100), -ENOSPC);
    assert_int_equal(fb.status_count, 65535);
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65535), 0);
    assert_int_equal(pkts[65534].seq, (uint16_t)(0xfff0 + 65534));
    assert_true(pkts[65534].received);
    assert_true(pkts[65534].arrival_us == 0xffffffll * 64000);
    p[3] = (uint8_t)(words - 1); /* one word less: the last deltas are cut */
    assert_int_equal(rtcp_twcc_parse(&fb, p, sizeof p, pkts, 65535), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_known),
        cmocka_unit_test(test_write_known),
        cmocka_unit_test(test_draft_examples),
        cmocka_unit_test(test_draft_reserved_symbol),
        cmocka_unit_test(test_round_trip_patterns),
        cmocka_unit_test(test_round_trip_edges),
        cmocka_unit_test(test_all_lost),
        cmocka_unit_test(test_chunk_choice),
        cmocka_unit_test(test_write_misuse),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_huge_status_count_tiny_buffer),
        cmocka_unit_test(test_max_status_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
