#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/rtcp_sdes.h"

/* The SDES half of a Chromium compound RR + SDES, hand-assembled:
 *   81 ca 00 06   V=2 SC=1 PT=202 length 6 -> 28 bytes
 *   00 00 00 01   chunk SSRC 1
 *   01 10         CNAME, 16 bytes: "nJcR+6Gf0tHsyRnw"
 *   00 00         end of items, then one null octet to the boundary */
static const uint8_t chromium_sdes[] = {
    0x81, 0xca, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x01, 0x10, 0x6e, 0x4a, 0x63, 0x52,
    0x2b, 0x36, 0x47, 0x66, 0x30, 0x74, 0x48, 0x73, 0x79, 0x52, 0x6e, 0x77, 0x00, 0x00,
};

/* Two chunks: the first with NAME, CNAME and TOOL items (the CNAME is not
 * first), the second with no item at all.
 *   82 ca 00 07   SC=2 length 7 -> 32 bytes
 *   00 00 00 02   SSRC 2
 *   02 03 B o b   NAME "Bob"
 *   01 04 a @ h x CNAME "a@hx"
 *   06 02 c u     TOOL "cu"
 *   00            end (4 + 5 + 6 + 4 + 1 = 20, on a boundary)
 *   00 00 00 03   SSRC 3
 *   00 00 00 00   end + padding */
static const uint8_t two_chunks[] = {
    0x82, 0xca, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02, 0x02, 0x03, 'B',  'o',  'b',  0x01, 0x04, 'a',
    '@',  'h',  'x',  0x06, 0x02, 'c',  'u',  0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
};

static void test_parse_chromium_cname(void **state)
{
    (void)state;
    struct rtcp_sdes s;
    assert_int_equal(rtcp_sdes_parse(&s, chromium_sdes, sizeof chromium_sdes), 0);
    assert_int_equal(s.n_chunks, 1);
    assert_int_equal(s.chunks[0].ssrc, 1);
    assert_true(s.chunks[0].has_cname);
    assert_int_equal(s.chunks[0].cname_len, 16);
    assert_memory_equal(s.chunks[0].cname, "nJcR+6Gf0tHsyRnw", 16);
    assert_ptr_equal(s.chunks[0].cname, chromium_sdes + 10);
}

static void test_write_cname_matches_chromium(void **state)
{
    (void)state;
    uint8_t out[64];
    size_t w = 0;
    assert_int_equal(rtcp_sdes_write_cname(1, "nJcR+6Gf0tHsyRnw", out, sizeof out, &w), 0);
    assert_int_equal(w, sizeof chromium_sdes);
    assert_memory_equal(out, chromium_sdes, sizeof chromium_sdes);
    assert_int_equal(rtcp_sdes_write_cname(1, "nJcR+6Gf0tHsyRnw", out, 27, &w), -ENOSPC);
    char big[257];
    memset(big, 'x', 256);
    big[256] = 0;
    assert_int_equal(rtcp_sdes_write_cname(1, big, out, sizeof out, &w), -EINVAL);
    assert_int_equal(rtcp_sdes_write_cname(1, NULL, out, sizeof out, &w), -EINVAL);
}

static void test_other_items_skipped(void **state)
{
    (void)state;
    struct rtcp_sdes s;
    assert_int_equal(rtcp_sdes_parse(&s, two_chunks, sizeof two_chunks), 0);
    assert_int_equal(s.n_chunks, 2);
    assert_int_equal(s.chunks[0].ssrc, 2);
    assert_true(s.chunks[0].has_cname);
    assert_int_equal(s.chunks[0].cname_len, 4);
    assert_memory_equal(s.chunks[0].cname, "a@hx", 4);
    assert_int_equal(s.chunks[1].ssrc, 3);
    assert_false(s.chunks[1].has_cname);
}

static void test_round_trip(void **state)
{
    (void)state;
    struct rtcp_sdes s;
    assert_int_equal(rtcp_sdes_parse(&s, two_chunks, sizeof two_chunks), 0);
    uint8_t out[64];
    size_t w = 0;
    assert_int_equal(rtcp_sdes_write(&s, out, sizeof out, &w), 0);
    /* CNAME chunk: 4 + 6 + 1 -> 12; empty chunk: 8 */
    assert_int_equal(w, 4 + 12 + 8);
    struct rtcp_sdes back;
    assert_int_equal(rtcp_sdes_parse(&back, out, w), 0);
    assert_int_equal(back.n_chunks, 2);
    assert_int_equal(back.chunks[0].ssrc, 2);
    assert_int_equal(back.chunks[0].cname_len, 4);
    assert_memory_equal(back.chunks[0].cname, "a@hx", 4);
    assert_false(back.chunks[1].has_cname);

    /* every CNAME length lands on a boundary correctly */
    char name[256];
    for (size_t len = 0; len < sizeof name; len++) {
        memset(name, 'a' + len % 26, len);
        name[len] = 0;
        uint8_t buf[4 + 4 + 2 + 255 + 4];
        assert_int_equal(rtcp_sdes_write_cname(9, name, buf, sizeof buf, &w), 0);
        assert_int_equal(w % 4, 0);
        assert_int_equal(rtcp_sdes_parse(&back, buf, w), 0);
        assert_int_equal(back.chunks[0].cname_len, len);
        assert_memory_equal(back.chunks[0].cname, name, len);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    struct rtcp_sdes s;
    uint8_t p[sizeof two_chunks];
    /* truncated */
    assert_int_equal(rtcp_sdes_parse(&s, chromium_sdes, sizeof chromium_sdes - 1), -EBADMSG);
    /* SC larger than the chunks present */
    memcpy(p, two_chunks, sizeof p);
    p[0] = 0x83;
    assert_int_equal(rtcp_sdes_parse(&s, p, sizeof p), -EBADMSG);
    /* an item length running past the packet */
    memcpy(p, two_chunks, sizeof p);
    p[9] = 0x30;
    assert_int_equal(rtcp_sdes_parse(&s, p, sizeof p), -EBADMSG);
    /* no terminating null octet: the TOOL item eats the end of the packet */
    const uint8_t noterm[] = {0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x06, 0x02, 'c', 'u'};
    assert_int_equal(rtcp_sdes_parse(&s, noterm, sizeof noterm), -EBADMSG);
    /* item header cut after the type octet */
    const uint8_t cut[] = {0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x02, 0x01, 'x', 0x06};
    assert_int_equal(rtcp_sdes_parse(&s, cut, sizeof cut), -EBADMSG);
    /* a chunk cut inside its SSRC */
    const uint8_t half[] = {0x81, 0xca, 0x00, 0x00};
    assert_int_equal(rtcp_sdes_parse(&s, half, sizeof half), -EBADMSG);
    /* not an SDES */
    memcpy(p, two_chunks, sizeof p);
    p[1] = 203;
    assert_int_equal(rtcp_sdes_parse(&s, p, sizeof p), -EINVAL);
}

static void test_zero_chunks(void **state)
{
    (void)state;
    const uint8_t p[] = {0x80, 0xca, 0x00, 0x00}; /* SC=0 is valid but useless */
    struct rtcp_sdes s;
    assert_int_equal(rtcp_sdes_parse(&s, p, sizeof p), 0);
    assert_int_equal(s.n_chunks, 0);
    uint8_t out[4];
    size_t w = 0;
    assert_int_equal(rtcp_sdes_write(&s, out, sizeof out, &w), 0);
    assert_memory_equal(out, p, 4);
    s.n_chunks = 32;
    assert_int_equal(rtcp_sdes_write(&s, out, sizeof out, &w), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_chromium_cname),
        cmocka_unit_test(test_write_cname_matches_chromium),
        cmocka_unit_test(test_other_items_skipped),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_zero_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
