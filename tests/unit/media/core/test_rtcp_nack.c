#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_nack.h"

/* A generic NACK as a browser sends it, hand-assembled:
 *   81 cd 00 03   V=2 FMT=1 PT=205 length 3 -> 16 bytes
 *   00 00 00 01   sender SSRC 1
 *   5a 3b 1c 0d   media SSRC
 *   27 10 00 05   PID 10000, BLP 0b101: 10000, 10001 and 10003 lost */
static const uint8_t nack_pkt[] = {0x81, 0xcd, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
                                   0x5a, 0x3b, 0x1c, 0x0d, 0x27, 0x10, 0x00, 0x05};

static void test_parse_known(void **state)
{
    (void)state;
    struct rtcp_nack n;
    assert_int_equal(rtcp_nack_parse(&n, nack_pkt, sizeof nack_pkt), 0);
    assert_int_equal(n.sender_ssrc, 1);
    assert_int_equal(n.media_ssrc, 0x5a3b1c0d);
    assert_int_equal(n.n_pairs, 1);
    assert_int_equal(n.pairs[0].pid, 10000);
    assert_int_equal(n.pairs[0].blp, 5);
    uint16_t seqs[17];
    size_t count = 0;
    assert_int_equal(rtcp_nack_to_seqs(&n, seqs, 17, &count), 0);
    assert_int_equal(count, 3);
    assert_int_equal(seqs[0], 10000);
    assert_int_equal(seqs[1], 10001);
    assert_int_equal(seqs[2], 10003);
    assert_int_equal(rtcp_nack_to_seqs(&n, seqs, 2, &count), -ENOSPC);
}

static void test_write_known(void **state)
{
    (void)state;
    struct rtcp_nack n = {.sender_ssrc = 1, .media_ssrc = 0x5a3b1c0d};
    const uint16_t lost[] = {10000, 10001, 10003};
    assert_int_equal(rtcp_nack_from_seqs(&n, lost, 3), 0);
    uint8_t out[16];
    size_t w = 0;
    assert_int_equal(rtcp_nack_write(&n, out, sizeof out, &w), 0);
    assert_int_equal(w, 16);
    assert_memory_equal(out, nack_pkt, 16);
    assert_int_equal(rtcp_nack_write(&n, out, 15, &w), -ENOSPC);
}

static void test_from_seqs_wrap_and_dups(void **state)
{
    (void)state;
    struct rtcp_nack n = {0};
    /* 65534 heads a pair covering 65535 (bit 0) and 0 (bit 1); 17 is 19
     * after 65534, too far: a new pair, whose bit 15 covers 33. */
    const uint16_t lost[] = {65534, 65535, 65535, 0, 17, 33};
    assert_int_equal(rtcp_nack_from_seqs(&n, lost, 6), 0);
    assert_int_equal(n.n_pairs, 2);
    assert_int_equal(n.pairs[0].pid, 65534);
    assert_int_equal(n.pairs[0].blp, 0x0003);
    assert_int_equal(n.pairs[1].pid, 17);
    assert_int_equal(n.pairs[1].blp, 0x8000);
    uint16_t seqs[34];
    size_t count = 0;
    assert_int_equal(rtcp_nack_to_seqs(&n, seqs, 34, &count), 0);
    assert_int_equal(count, 5);
    const uint16_t want[] = {65534, 65535, 0, 17, 33};
    assert_memory_equal(seqs, want, sizeof want);
}

static void test_from_seqs_errors(void **state)
{
    (void)state;
    struct rtcp_nack n = {0};
    const uint16_t unsorted[] = {10, 12, 11};
    assert_int_equal(rtcp_nack_from_seqs(&n, unsorted, 3), -EINVAL);
    assert_int_equal(n.n_pairs, 0);
    assert_int_equal(rtcp_nack_from_seqs(&n, unsorted, 0), -EINVAL);
    /* one pair per 17 apart: 129 pairs do not fit */
    uint16_t far[RTCP_NACK_MAX_PAIRS + 1];
    for (size_t i = 0; i < RTCP_NACK_MAX_PAIRS + 1; i++)
        far[i] = (uint16_t)(i * 17);
    assert_int_equal(rtcp_nack_from_seqs(&n, far, RTCP_NACK_MAX_PAIRS), 0);
    assert_int_equal(n.n_pairs, RTCP_NACK_MAX_PAIRS);
    assert_int_equal(rtcp_nack_from_seqs(&n, far, RTCP_NACK_MAX_PAIRS + 1), -ENOSPC);
}

/* Every set of lost packets in a 64-packet window survives
 * list -> pairs -> packet -> pairs -> list unchanged (sampled). */
static void test_round_trip_windows(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int iter = 0; iter < 2000; iter++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint16_t start = (uint16_t)(x >> 48);
        uint16_t lost[64];
        size_t nl = 0;
        for (unsigned b = 0; b < 64; b++)
            if (x >> b & 1)
                lost[nl++] = (uint16_t)(start + b);
        if (nl == 0)
            continue;
        struct rtcp_nack n = {.sender_ssrc = 3, .media_ssrc = 4};
        assert_int_equal(rtcp_nack_from_seqs(&n, lost, nl), 0);
        uint8_t out[12 + 4 * 64];
        size_t w = 0;
        assert_int_equal(rtcp_nack_write(&n, out, sizeof out, &w), 0);
        struct rtcp_nack back;
        assert_int_equal(rtcp_nack_parse(&back, out, w), 0);
        uint16_t seqs[64 * 17];
        size_t count = 0;
        assert_int_equal(rtcp_nack_to_seqs(&back, seqs, 64 * 17, &count), 0);
        assert_int_equal(count, nl);
        assert_memory_equal(seqs, lost, nl * sizeof lost[0]);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_nack n;
    /* length 0 FCI: only the two SSRCs */
    const uint8_t empty[] = {0x81, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0x5a, 0x3b, 0x1c, 0x0d};
    assert_int_equal(rtcp_nack_parse(&n, empty, sizeof empty), -EBADMSG);
    /* truncated */
    assert_int_equal(rtcp_nack_parse(&n, nack_pkt, sizeof nack_pkt - 2), -EBADMSG);
    /* the length claims a second entry that is not there */
    uint8_t p[sizeof nack_pkt];
    memcpy(p, nack_pkt, sizeof p);
    p[3] = 0x04;
    assert_int_equal(rtcp_nack_parse(&n, p, sizeof p), -EBADMSG);
    /* padding leaving half an entry */
    uint8_t q[20];
    memcpy(q, nack_pkt, 16);
    q[0] |= 0x20;
    q[3] = 0x04;
    q[16] = 0xaa, q[17] = 0xbb, q[18] = 0, q[19] = 2;
    assert_int_equal(rtcp_nack_parse(&n, q, sizeof q), -EBADMSG);
    q[19] = 4; /* a whole word of padding: fine */
    assert_int_equal(rtcp_nack_parse(&n, q, sizeof q), 0);
    assert_int_equal(n.n_pairs, 1);
    /* not a NACK: TWCC uses the same PT */
    memcpy(p, nack_pkt, sizeof p);
    p[0] = 0x8f;
    assert_int_equal(rtcp_nack_parse(&n, p, sizeof p), -EINVAL);
    struct rtcp_nack none = {0};
    size_t w = 0;
    assert_int_equal(rtcp_nack_write(&none, p, sizeof p, &w), -EINVAL);
}

static void test_too_many_pairs(void **state)
{
    (void)state;
    static uint8_t big[12 + 4 * (RTCP_NACK_MAX_PAIRS + 1)];
    memcpy(big, nack_pkt, 12);
    size_t words = sizeof big / 4 - 1;
    big[2] = (uint8_t)(words >> 8);
    big[3] = (uint8_t)words;
    struct rtcp_nack n;
    assert_int_equal(rtcp_nack_parse(&n, big, sizeof big), -ENOSPC);
    assert_int_equal(rtcp_nack_parse(&n, big, sizeof big - 1), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_known),
        cmocka_unit_test(test_write_known),
        cmocka_unit_test(test_from_seqs_wrap_and_dups),
        cmocka_unit_test(test_from_seqs_errors),
        cmocka_unit_test(test_round_trip_windows),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_too_many_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
