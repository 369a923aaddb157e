#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_pli.h"

/* A picture loss indication, hand-assembled:
 *   81 ce 00 02   V=2 FMT=1 PT=206 length 2 -> 12 bytes
 *   00 00 00 01   sender SSRC 1
 *   5a 3b 1c 0d   media SSRC */
static const uint8_t pli_pkt[] = {0x81, 0xce, 0x00, 0x02, 0x00, 0x00,
                                  0x00, 0x01, 0x5a, 0x3b, 0x1c, 0x0d};

static void test_parse_and_write_known(void **state)
{
    (void)state;
    struct rtcp_pli p;
    assert_int_equal(rtcp_pli_parse(&p, pli_pkt, sizeof pli_pkt), 0);
    assert_int_equal(p.sender_ssrc, 1);
    assert_int_equal(p.media_ssrc, 0x5a3b1c0d);
    uint8_t out[12];
    size_t w = 0;
    assert_int_equal(rtcp_pli_write(&p, out, sizeof out, &w), 0);
    assert_int_equal(w, 12);
    assert_memory_equal(out, pli_pkt, 12);
    assert_int_equal(rtcp_pli_write(&p, out, 11, &w), -ENOSPC);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct rtcp_pli p = {.sender_ssrc = 0xffffffff, .media_ssrc = 0x80000001};
    uint8_t out[12];
    size_t w = 0;
    assert_int_equal(rtcp_pli_write(&p, out, sizeof out, &w), 0);
    struct rtcp_pli back;
    assert_int_equal(rtcp_pli_parse(&back, out, w), 0);
    assert_int_equal(back.sender_ssrc, 0xffffffff);
    assert_int_equal(back.media_ssrc, 0x80000001);
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_pli p;
    uint8_t b[sizeof pli_pkt];
    /* truncated */
    assert_int_equal(rtcp_pli_parse(&p, pli_pkt, 11), -EBADMSG);
    /* length 1: one SSRC only */
    memcpy(b, pli_pkt, sizeof b);
    b[3] = 0x01;
    assert_int_equal(rtcp_pli_parse(&p, b, sizeof b), -EBADMSG);
    /* FIR (FMT 4) and REMB (FMT 15) share the PT */
    memcpy(b, pli_pkt, sizeof b);
    b[0] = 0x84;
    assert_int_equal(rtcp_pli_parse(&p, b, sizeof b), -EINVAL);
    b[0] = 0x81;
    b[1] = 205; /* a NACK */
    assert_int_equal(rtcp_pli_parse(&p, b, sizeof b), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_write_known),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
