#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "media/core/demux.h"

/* RFC 7983 §7, restated as a table of [lo, hi] ranges. */
static enum demux_kind expected_kind(unsigned b)
{
    static const struct {
        unsigned lo, hi;
        enum demux_kind k;
    } ranges[] = {
        {0, 3, DEMUX_STUN},           {16, 19, DEMUX_ZRTP},  {20, 63, DEMUX_DTLS},
        {64, 79, DEMUX_TURN_CHANNEL}, {128, 191, DEMUX_RTP},
    };
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (b >= ranges[i].lo && b <= ranges[i].hi)
            return ranges[i].k;
    return DEMUX_UNKNOWN;
}

static void test_every_first_byte(void **state)
{
    (void)state;
    uint8_t p[2] = {0, 0x60}; /* second byte: RTP payload type 96 */
    for (unsigned b = 0; b < 256; b++) {
        p[0] = (uint8_t)b;
        assert_int_equal(demux_classify(p, sizeof(p)), expected_kind(b));
        assert_int_equal(demux_classify(p, 1), expected_kind(b));
    }
}

static void test_range_boundaries(void **state)
{
    (void)state;
    static const struct {
        uint8_t b;
        enum demux_kind k;
    } cases[] = {
        {0, DEMUX_STUN},          {3, DEMUX_STUN},          {4, DEMUX_UNKNOWN},
        {15, DEMUX_UNKNOWN},      {16, DEMUX_ZRTP},         {19, DEMUX_ZRTP},
        {20, DEMUX_DTLS},         {22, DEMUX_DTLS},         {63, DEMUX_DTLS},
        {64, DEMUX_TURN_CHANNEL}, {79, DEMUX_TURN_CHANNEL}, {80, DEMUX_UNKNOWN},
        {127, DEMUX_UNKNOWN},     {128, DEMUX_RTP},         {191, DEMUX_RTP},
        {192, DEMUX_UNKNOWN},     {255, DEMUX_UNKNOWN},
    };
    uint8_t p[2] = {0, 0x00};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        p[0] = cases[i].b;
        assert_int_equal(demux_classify(p, sizeof(p)), cases[i].k);
    }
}

static void test_rtp_rtcp_split(void **state)
{
    (void)state;
    uint8_t p[2] = {0x80, 0};
    for (unsigned b = 0; b < 256; b++) {
        p[1] = (uint8_t)b;
        enum demux_kind want = (b >= 192 && b <= 223) ? DEMUX_RTCP : DEMUX_RTP;
        assert_int_equal(demux_classify(p, 2), want);
    }
    p[1] = 191;
    assert_int_equal(demux_classify(p, 2), DEMUX_RTP);
    p[1] = 192; /* FIR, RFC 2032 */
    assert_int_equal(demux_classify(p, 2), DEMUX_RTCP);
    p[1] = 200; /* SR */
    assert_int_equal(demux_classify(p, 2), DEMUX_RTCP);
    p[1] = 223;
    assert_int_equal(demux_classify(p, 2), DEMUX_RTCP);
    p[1] = 224; /* marker + PT 96 */
    assert_int_equal(demux_classify(p, 2), DEMUX_RTP);
    p[0] = 0xbf; /* top of the range, padding+extension+15 CSRCs */
    p[1] = 201;
    assert_int_equal(demux_classify(p, 2), DEMUX_RTCP);
    /* One byte: RTP/RTCP cannot be told apart; the first byte says RTP. */
    assert_int_equal(demux_classify(p, 1), DEMUX_RTP);
}

static void test_empty(void **state)
{
    (void)state;
    uint8_t p[1] = {0};
    assert_int_equal(demux_classify(p, 0), DEMUX_UNKNOWN);
    assert_int_equal(demux_classify(NULL, 0), DEMUX_UNKNOWN);
    assert_int_equal(demux_classify(NULL, 12), DEMUX_UNKNOWN);
    assert_int_equal(demux_classify_strict(p, 0), DEMUX_UNKNOWN);
    assert_int_equal(demux_classify_strict(NULL, 0), DEMUX_UNKNOWN);
}

/* A STUN Binding request with no attributes (RFC 5389 §6). */
static const uint8_t stun_binding[20] = {
    0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 0x01, 0x02,
    0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
};

static void test_strict_stun(void **state)
{
    (void)state;
    uint8_t p[28];
    memcpy(p, stun_binding, sizeof(stun_binding));
    assert_int_equal(demux_classify_strict(p, 20), DEMUX_STUN);
    assert_int_equal(demux_classify_strict(p, 19), DEMUX_UNKNOWN);
    assert_int_equal(demux_classify(p, 19), DEMUX_STUN);
    /* An 8-byte attribute: the length must fit the buffer. */
    p[3] = 8;
    memset(p + 20, 0, 8);
    assert_int_equal(demux_classify_strict(p, 28), DEMUX_STUN);
    assert_int_equal(demux_classify_strict(p, 27), DEMUX_UNKNOWN);
    /* Length not a multiple of 4. */
    p[3] = 6;
    assert_int_equal(demux_classify_strict(p, 28), DEMUX_UNKNOWN);
    /* Wrong magic cookie: RFC 3489 era or not STUN at all. */
    p[3] = 8;
    p[7] = 0x43;
    assert_int_equal(demux_classify_strict(p, 28), DEMUX_UNKNOWN);
    assert_int_equal(demux_classify(p, 28), DEMUX_STUN);
}

static void test_strict_min_lengths(void **state)
{
    (void)state;
    uint8_t p[64];
    memset(p, 0, sizeof(p));
    /* RTP: 12 bytes. */
    p[0] = 0x80;
    p[1] = 0x60;
    assert_int_equal(demux_min_len(DEMUX_RTP), 12);
    assert_int_equal(demux_classify_strict(p, 12), DEMUX_RTP);
    assert_int_equal(demux_classify_strict(p, 11), DEMUX_UNKNOWN);
    /* RTCP: 8 bytes (an empty RR). */
    p[1] = 201;
    p[3] = 1;
    assert_int_equal(demux_classify_strict(p, 8), DEMUX_RTCP);
    assert_int_equal(demux_classify_strict(p, 7), DEMUX_UNKNOWN);
    /* DTLS: 13-byte record header (handshake, DTLS 1.2). */
    p[0] = 22;
    p[1] = 0xfe;
    p[2] = 0xfd;
    assert_int_equal(demux_classify_strict(p, 13), DEMUX_DTLS);
    assert_int_equal(demux_classify_strict(p, 12), DEMUX_UNKNOWN);
    /* TURN ChannelData: 4-byte header, its length must fit. */
    p[0] = 0x40;
    p[1] = 0x00;
    p[2] = 0x00;
    p[3] = 0x04;
    assert_int_equal(demux_classify_strict(p, 8), DEMUX_TURN_CHANNEL);
    assert_int_equal(demux_classify_strict(p, 7), DEMUX_UNKNOWN);
    p[3] = 0;
    assert_int_equal(demux_classify_strict(p, 4), DEMUX_TURN_CHANNEL);
    assert_int_equal(demux_classify_strict(p, 3), DEMUX_UNKNOWN);
    /* ZRTP: 12-byte header with its cookie. */
    memset(p, 0, sizeof(p));
    p[0] = 0x10;
    memcpy(p + 4, "ZRTP", 4);
    assert_int_equal(demux_classify_strict(p, 12), DEMUX_ZRTP);
    assert_int_equal(demux_classify_strict(p, 11), DEMUX_UNKNOWN);
    p[4] = 'X';
    assert_int_equal(demux_classify_strict(p, 12), DEMUX_UNKNOWN);
}

/* Strict never contradicts the first-byte answer, only narrows it. */
static void test_strict_is_a_refinement(void **state)
{
    (void)state;
    uint8_t p[32];
    for (unsigned b = 0; b < 256; b++) {
        memset(p, 0, sizeof(p));
        p[0] = (uint8_t)b;
        for (size_t n = 0; n <= sizeof(p); n++) {
            enum demux_kind loose = demux_classify(p, n);
            enum demux_kind strict = demux_classify_strict(p, n);
            assert_true(strict == loose || strict == DEMUX_UNKNOWN);
            if (strict != DEMUX_UNKNOWN)
                assert_true(n >= demux_min_len(strict));
            if (loose == DEMUX_RTP || loose == DEMUX_RTCP || loose == DEMUX_DTLS)
                assert_int_equal(strict, n >= demux_min_len(loose) ? loose : DEMUX_UNKNOWN);
        }
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(demux_kind_name(DEMUX_UNKNOWN), "unknown");
    assert_string_equal(demux_kind_name(DEMUX_STUN), "stun");
    assert_string_equal(demux_kind_name(DEMUX_ZRTP), "zrtp");
    assert_string_equal(demux_kind_name(DEMUX_DTLS), "dtls");
    assert_string_equal(demux_kind_name(DEMUX_TURN_CHANNEL), "turn_channel");
    assert_string_equal(demux_kind_name(DEMUX_RTP), "rtp");
    assert_string_equal(demux_kind_name(DEMUX_RTCP), "rtcp");
    assert_int_equal(demux_min_len(DEMUX_UNKNOWN), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_first_byte),
        cmocka_unit_test(test_range_boundaries),
        cmocka_unit_test(test_rtp_rtcp_split),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_strict_stun),
        cmocka_unit_test(test_strict_min_lengths),
        cmocka_unit_test(test_strict_is_a_refinement),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
