#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_fir.h"

/* A full intra request, hand-assembled:
 *   84 ce 00 04   V=2 FMT=4 PT=206 length 4 -> 20 bytes
 *   00 00 00 01   sender SSRC 1
 *   00 00 00 00   media SSRC: unused, 0 (RFC 5104 §4.3.1.2)
 *   5a 3b 1c 0d   FCI: SSRC of the stream to refresh
 *   07 00 00 00   command sequence number 7, reserved */
static const uint8_t fir_pkt[] = {0x84, 0xce, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                                  0x00, 0x00, 0x5a, 0x3b, 0x1c, 0x0d, 0x07, 0x00, 0x00, 0x00};

static void test_parse_and_write_known(void **state)
{
    (void)state;
    struct rtcp_fir f;
    assert_int_equal(rtcp_fir_parse(&f, fir_pkt, sizeof fir_pkt), 0);
    assert_int_equal(f.sender_ssrc, 1);
    assert_int_equal(f.media_ssrc, 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.e[0].ssrc, 0x5a3b1c0d);
    assert_int_equal(f.e[0].seq, 7);
    uint8_t out[20];
    size_t w = 0;
    assert_int_equal(rtcp_fir_write(&f, out, sizeof out, &w), 0);
    assert_int_equal(w, 20);
    assert_memory_equal(out, fir_pkt, 20);
    assert_int_equal(rtcp_fir_write(&f, out, 19, &w), -ENOSPC);
}

static void test_reserved_ignored(void **state)
{
    (void)state;
    uint8_t p[sizeof fir_pkt];
    memcpy(p, fir_pkt, sizeof p);
    p[17] = 0xff, p[18] = 0xff, p[19] = 0xff;
    struct rtcp_fir f;
    assert_int_equal(rtcp_fir_parse(&f, p, sizeof p), 0);
    assert_int_equal(f.e[0].seq, 7);
    uint8_t out[20];
    size_t w = 0;
    assert_int_equal(rtcp_fir_write(&f, out, sizeof out, &w), 0);
    assert_memory_equal(out, fir_pkt, 20); /* written back as zero */
}

static void test_round_trip_many(void **state)
{
    (void)state;
    struct rtcp_fir f = {.sender_ssrc = 9, .n = RTCP_FIR_MAX};
    for (size_t i = 0; i < RTCP_FIR_MAX; i++)
        f.e[i] =
            (struct rtcp_fir_entry){.ssrc = 0xf0000000u + (uint32_t)i, .seq = (uint8_t)(250 + i)};
    uint8_t out[12 + 8 * RTCP_FIR_MAX];
    size_t w = 0;
    assert_int_equal(rtcp_fir_write(&f, out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof out);
    struct rtcp_fir back;
    assert_int_equal(rtcp_fir_parse(&back, out, w), 0);
    assert_int_equal(back.n, RTCP_FIR_MAX);
    for (size_t i = 0; i < RTCP_FIR_MAX; i++) {
        assert_int_equal(back.e[i].ssrc, 0xf0000000u + i);
        assert_int_equal(back.e[i].seq, (uint8_t)(250 + i));
    }
    f.n = RTCP_FIR_MAX + 1;
    assert_int_equal(rtcp_fir_write(&f, out, sizeof out, &w), -EINVAL);
    f.n = 0;
    assert_int_equal(rtcp_fir_write(&f, out, sizeof out, &w), -EINVAL);
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_fir f;
    uint8_t p[sizeof fir_pkt];
    assert_int_equal(rtcp_fir_parse(&f, fir_pkt, sizeof fir_pkt - 1), -EBADMSG); /* truncated */
    /* no FCI entry */
    memcpy(p, fir_pkt, sizeof p);
    p[3] = 0x02;
    assert_int_equal(rtcp_fir_parse(&f, p, sizeof p), -EBADMSG);
    /* half an entry */
    p[3] = 0x03;
    assert_int_equal(rtcp_fir_parse(&f, p, sizeof p), -EBADMSG);
    /* the length lies */
    p[3] = 0x06;
    assert_int_equal(rtcp_fir_parse(&f, p, sizeof p), -EBADMSG);
    /* a PLI is not a FIR */
    memcpy(p, fir_pkt, sizeof p);
    p[0] = 0x81;
    assert_int_equal(rtcp_fir_parse(&f, p, sizeof p), -EINVAL);
    /* more entries than the struct holds */
    static uint8_t big[12 + 8 * (RTCP_FIR_MAX + 1)];
    memcpy(big, fir_pkt, 12);
    big[3] = (uint8_t)(sizeof big / 4 - 1);
    assert_int_equal(rtcp_fir_parse(&f, big, sizeof big), -ENOSPC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_write_known),
        cmocka_unit_test(test_reserved_ignored),
        cmocka_unit_test(test_round_trip_many),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
