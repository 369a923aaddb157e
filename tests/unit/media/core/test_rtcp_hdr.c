#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_hdr.h"
#include "media/core/rtcp_pli.h"
#include "media/core/rtcp_rr.h"
#include "media/core/rtcp_sdes.h"

/* A compound RR + SDES as Chromium sends it from a receive-only video
 * stream (sender SSRC 1, the default receiver-report SSRC), hand-assembled:
 *   81 c9 00 07   V=2 RC=1 PT=201 length 7 -> 32 bytes
 *   00 00 00 01   sender SSRC 1
 *   5a 3b 1c 0d   report block: source SSRC
 *   05 00 00 2a   fraction 5/256, cumulative lost 42
 *   00 01 27 10   extended highest seq 75536 (1 cycle, seq 10000)
 *   00 00 00 91   jitter 145
 *   b5 c0 9d 8e   LSR
 *   00 00 4c cd   DLSR 19661/65536 s = 0.3 s
 *   81 ca 00 06   V=2 SC=1 PT=202 length 6 -> 28 bytes
 *   00 00 00 01   chunk SSRC 1
 *   01 10 ...     CNAME, 16 bytes "nJcR+6Gf0tHsyRnw"
 *   00 00         end of items + padding to 24 bytes of chunk */
static const uint8_t chromium_rr_sdes[] = {
    0x81, 0xc9, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x5a, 0x3b, 0x1c, 0x0d, 0x05, 0x00, 0x00,
    0x2a, 0x00, 0x01, 0x27, 0x10, 0x00, 0x00, 0x00, 0x91, 0xb5, 0xc0, 0x9d, 0x8e, 0x00, 0x00,
    0x4c, 0xcd, 0x81, 0xca, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x01, 0x10, 0x6e, 0x4a, 0x63,
    0x52, 0x2b, 0x36, 0x47, 0x66, 0x30, 0x74, 0x48, 0x73, 0x79, 0x52, 0x6e, 0x77, 0x00, 0x00,
};

static void test_parse_header(void **state)
{
    (void)state;
    struct rtcp_hdr h;
    assert_int_equal(rtcp_hdr_parse(&h, chromium_rr_sdes, sizeof chromium_rr_sdes), 0);
    assert_int_equal(h.pt, RTCP_PT_RR);
    assert_int_equal(h.count, 1);
    assert_false(h.padding);
    assert_int_equal(h.size, 32);
    assert_ptr_equal(h.body, chromium_rr_sdes + 4);
    assert_int_equal(h.body_len, 28);
}

static void test_parse_header_malformed(void **state)
{
    (void)state;
    struct rtcp_hdr h;
    uint8_t p[8] = {0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 1};
    assert_int_equal(rtcp_hdr_parse(&h, p, 3), -EBADMSG); /* truncated header */
    assert_int_equal(rtcp_hdr_parse(&h, p, 7), -EBADMSG); /* length says 8 */
    assert_int_equal(rtcp_hdr_parse(&h, p, 0), -EBADMSG);
    p[0] = 0x40; /* version 1 */
    assert_int_equal(rtcp_hdr_parse(&h, p, 8), -EBADMSG);
    p[0] = 0x80;
    p[3] = 0xff; /* length 255 words, 8 bytes given */
    assert_int_equal(rtcp_hdr_parse(&h, p, 8), -EBADMSG);
    assert_int_equal(rtcp_hdr_parse(NULL, p, 8), -EINVAL);
}

static void test_parse_padding(void **state)
{
    (void)state;
    struct rtcp_hdr h;
    /* RR with 4 octets of padding: 00 00 00 04 */
    uint8_t p[12] = {0xa0, 0xc9, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 4};
    assert_int_equal(rtcp_hdr_parse(&h, p, sizeof p), 0);
    assert_true(h.padding);
    assert_int_equal(h.size, 12);
    assert_int_equal(h.body_len, 4);
    p[11] = 0; /* padding count 0 */
    assert_int_equal(rtcp_hdr_parse(&h, p, sizeof p), -EBADMSG);
    p[11] = 9; /* reaches into the header */
    assert_int_equal(rtcp_hdr_parse(&h, p, sizeof p), -EBADMSG);
    p[11] = 8; /* the whole body is padding */
    assert_int_equal(rtcp_hdr_parse(&h, p, sizeof p), 0);
    assert_int_equal(h.body_len, 0);
}

static void test_write_header(void **state)
{
    (void)state;
    uint8_t out[4];
    size_t w = 0;
    assert_int_equal(rtcp_hdr_write(RTCP_PT_PSFB, RTCP_PSFB_PLI, 12, out, sizeof out, &w), 0);
    assert_int_equal(w, 4);
    const uint8_t want[4] = {0x81, 0xce, 0x00, 0x02};
    assert_memory_equal(out, want, 4);
    assert_int_equal(rtcp_hdr_write(RTCP_PT_RR, 0, RTCP_MAX_LEN, out, 4, &w), 0);
    assert_int_equal(out[2], 0xff);
    assert_int_equal(out[3], 0xff);
    assert_int_equal(rtcp_hdr_write(RTCP_PT_RR, 0, 8, out, 3, &w), -ENOSPC);
    assert_int_equal(rtcp_hdr_write(RTCP_PT_RR, 32, 8, out, 4, &w), -EINVAL);
    assert_int_equal(rtcp_hdr_write(RTCP_PT_RR, 0, 10, out, 4, &w), -EINVAL);
    assert_int_equal(rtcp_hdr_write(RTCP_PT_RR, 0, 0, out, 4, &w), -EINVAL);
    assert_int_equal(rtcp_hdr_write(RTCP_PT_RR, 0, RTCP_MAX_LEN + 4, out, 4, &w), -EINVAL);
}

static void test_iter_chromium_compound(void **state)
{
    (void)state;
    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    rtcp_iter_init(&it, chromium_rr_sdes, sizeof chromium_rr_sdes);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(pkt.pt, RTCP_PT_RR);
    assert_int_equal(pkt.fmt, 1);
    assert_ptr_equal(pkt.data, chromium_rr_sdes);
    assert_int_equal(pkt.len, 32);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(pkt.pt, RTCP_PT_SDES);
    assert_ptr_equal(pkt.data, chromium_rr_sdes + 32);
    assert_int_equal(pkt.len, 28);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 0);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 0);
}

static void test_iter_empty(void **state)
{
    (void)state;
    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    rtcp_iter_init(&it, NULL, 0);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 0);
}

/* RR, SDES, then a PLI whose length says 3 words where 2 remain, then a
 * valid PLI that must never be reached. */
static void test_iter_bad_length_in_middle(void **state)
{
    (void)state;
    uint8_t buf[sizeof chromium_rr_sdes + 24];
    memcpy(buf, chromium_rr_sdes, sizeof chromium_rr_sdes);
    const uint8_t pli[12] = {0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0x5a, 0x3b, 0x1c, 0x0d};
    memcpy(buf + 60, pli, 12);
    memcpy(buf + 72, pli, 12);
    buf[63] = 0x05; /* 24 bytes claimed; 24 remain */
    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    rtcp_iter_init(&it, buf, sizeof buf);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1); /* length 5 fits exactly */
    assert_int_equal(pkt.len, 24);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 0);

    buf[63] = 0x06; /* 28 bytes claimed; 24 remain */
    rtcp_iter_init(&it, buf, sizeof buf);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(pkt.pt, RTCP_PT_RR);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(pkt.pt, RTCP_PT_SDES);
    assert_int_equal(rtcp_iter_next(&it, &pkt), -EBADMSG);
    assert_int_equal(rtcp_iter_next(&it, &pkt), -EBADMSG); /* sticky */
}

static void test_iter_broken_framing(void **state)
{
    (void)state;
    uint8_t buf[sizeof chromium_rr_sdes + 3];
    memcpy(buf, chromium_rr_sdes, sizeof chromium_rr_sdes);
    memset(buf + 60, 0, 3);
    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    /* three trailing bytes */
    rtcp_iter_init(&it, buf, sizeof buf);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), -EBADMSG);
    /* the second packet is not version 2 */
    buf[32] = 0x01;
    rtcp_iter_init(&it, buf, sizeof chromium_rr_sdes);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), -EBADMSG);
    /* a padding count larger than its packet in the first packet */
    memcpy(buf, chromium_rr_sdes, sizeof chromium_rr_sdes);
    buf[0] |= 0x20;
    buf[31] = 40;
    rtcp_iter_init(&it, buf, sizeof chromium_rr_sdes);
    assert_int_equal(rtcp_iter_next(&it, &pkt), -EBADMSG);
}

/* Unknown types (here an APP packet and an XR, PT 207) are yielded with
 * their length so that the caller can skip them. */
static void test_iter_skips_unknown(void **state)
{
    (void)state;
    const uint8_t buf[] = {
        0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 1,                         /* empty RR */
        0x80, 0xcf, 0x00, 0x02, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, /* XR */
        0x81, 0xcc, 0x00, 0x02, 0, 0, 0, 1, 'n',  'a',  'm',  'e',  /* APP */
        0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0x5a, 0x3b, 0x1c, 0x0d, /* PLI */
    };
    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    rtcp_iter_init(&it, buf, sizeof buf);
    uint8_t types[4];
    int n = 0;
    int rc;
    while ((rc = rtcp_iter_next(&it, &pkt)) == 1)
        types[n++] = pkt.pt;
    assert_int_equal(rc, 0);
    assert_int_equal(n, 4);
    assert_int_equal(types[0], RTCP_PT_RR);
    assert_int_equal(types[1], 207);
    assert_int_equal(types[2], RTCP_PT_APP);
    assert_int_equal(types[3], RTCP_PT_PSFB);
    struct rtcp_pli pli;
    assert_int_equal(rtcp_pli_parse(&pli, pkt.data, pkt.len), 0);
    assert_int_equal(pli.media_ssrc, 0x5a3b1c0d);
}

static void test_build_compound(void **state)
{
    (void)state;
    uint8_t buf[128];
    struct rtcp_build b;
    size_t w = 0, len = 0;
    rtcp_build_init(&b, buf, sizeof buf);
    struct rtcp_rr rr = {.ssrc = 1};
    int rc = rtcp_rr_write(&rr, rtcp_build_pos(&b), rtcp_build_room(&b), &w);
    assert_int_equal(rtcp_build_add(&b, rc, w), 0);
    rc = rtcp_sdes_write_cname(1, "nJcR+6Gf0tHsyRnw", rtcp_build_pos(&b), rtcp_build_room(&b), &w);
    assert_int_equal(rtcp_build_add(&b, rc, w), 0);
    assert_int_equal(rtcp_build_finish(&b, &len), 0);
    assert_int_equal(len, 8 + 28);
    assert_memory_equal(buf + 8, chromium_rr_sdes + 32, 28);

    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    rtcp_iter_init(&it, buf, len);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 1);
    assert_int_equal(rtcp_iter_next(&it, &pkt), 0);
}

static void test_build_overflow_is_sticky(void **state)
{
    (void)state;
    uint8_t buf[40];
    struct rtcp_build b;
    size_t w = 0, len = 0;
    rtcp_build_init(&b, buf, sizeof buf);
    struct rtcp_pli pli = {1, 2};
    for (int i = 0; i < 3; i++) {
        int rc = rtcp_pli_write(&pli, rtcp_build_pos(&b), rtcp_build_room(&b), &w);
        assert_int_equal(rtcp_build_add(&b, rc, w), 0);
    }
    int rc = rtcp_pli_write(&pli, rtcp_build_pos(&b), rtcp_build_room(&b), &w);
    assert_int_equal(rc, -ENOSPC);
    assert_int_equal(rtcp_build_add(&b, rc, w), -ENOSPC);
    assert_int_equal(rtcp_build_room(&b), 0);
    rc = rtcp_pli_write(&pli, rtcp_build_pos(&b), rtcp_build_room(&b), &w);
    assert_int_equal(rtcp_build_add(&b, rc, w), -ENOSPC);
    assert_int_equal(rtcp_build_finish(&b, &len), -ENOSPC);
    assert_int_equal(b.len, 36);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_header),
        cmocka_unit_test(test_parse_header_malformed),
        cmocka_unit_test(test_parse_padding),
        cmocka_unit_test(test_write_header),
        cmocka_unit_test(test_iter_chromium_compound),
        cmocka_unit_test(test_iter_empty),
        cmocka_unit_test(test_iter_bad_length_in_middle),
        cmocka_unit_test(test_iter_broken_framing),
        cmocka_unit_test(test_iter_skips_unknown),
        cmocka_unit_test(test_build_compound),
        cmocka_unit_test(test_build_overflow_is_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
