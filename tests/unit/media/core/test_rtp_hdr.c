#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/rtp_hdr.h"

/* A Chromium Opus packet: PT 111, X set, one-byte extensions
 * audio-level (id 1), abs-send-time (id 2), transport-wide-cc (id 3),
 * mid (id 4) and one padding byte, then an Opus payload (TOC 0x78). */
static const uint8_t opus_pkt[] = {
    0x90, 0x6f, 0x1f, 0x40,                         /* V=2 X, PT 111, seq 8000 */
    0x00, 0x01, 0xe2, 0x40,                         /* ts 123456 */
    0x3a, 0xde, 0x68, 0xb1,                         /* ssrc */
    0xbe, 0xde, 0x00, 0x03,                         /* one-byte form, 3 words */
    0x10, 0xaa,                                     /* id 1 L=0: V=1 level 42 */
    0x22, 0x12, 0x34, 0x56,                         /* id 2 L=2: abs-send-time */
    0x31, 0x01, 0x2c,                               /* id 3 L=1: twcc 300 */
    0x40, 0x30,                                     /* id 4 L=0: mid "0" */
    0x00,                                           /* padding */
    0x78, 0x0b, 0xe4, 0xc1, 0x36, 0xec, 0xc5, 0x8d, /* Opus */
};

/* An audio-mixer packet with two CSRCs, marker set, PT 0, no extension. */
static const uint8_t csrc_pkt[] = {
    0x82, 0x80, 0xff, 0xff, 0x00, 0x00, 0x03, 0x20, 0x11, 0x22, 0x33, 0x44,
    0xaa, 0xaa, 0xaa, 0xaa, 0xbb, 0xbb, 0xbb, 0xbb, 0xd5, 0xd5, 0xd5, 0xd5,
};

/* VP8 (PT 96) with 3 bytes of payload and 4 padding octets. */
static const uint8_t pad_pkt[] = {
    0xa0, 0x60, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x02, 0x10, 0x9d, 0x01, 0x00, 0x00, 0x00, 0x04,
};

static void test_parse_chromium_opus(void **state)
{
    (void)state;
    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, opus_pkt, sizeof opus_pkt), 0);
    assert_false(h.padding);
    assert_true(h.extension);
    assert_false(h.marker);
    assert_int_equal(h.cc, 0);
    assert_int_equal(h.pt, 111);
    assert_int_equal(h.seq, 8000);
    assert_int_equal(h.ts, 123456);
    assert_int_equal(h.ssrc, 0x3ade68b1);
    assert_int_equal(h.ext_profile, 0xbede);
    assert_int_equal(h.ext_off, 16);
    assert_int_equal(h.ext_len, 12);
    assert_ptr_equal(h.ext, opus_pkt + 16);
    assert_int_equal(h.payload_off, 28);
    assert_int_equal(h.payload_len, 8);
    assert_ptr_equal(h.payload, opus_pkt + 28);
    assert_int_equal(h.payload[0], 0x78);
    assert_int_equal(h.pad_len, 0);
    assert_int_equal(rtp_hdr_len(&h), 28);
}

static void test_parse_csrc_list(void **state)
{
    (void)state;
    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, csrc_pkt, sizeof csrc_pkt), 0);
    assert_true(h.marker);
    assert_false(h.extension);
    assert_int_equal(h.pt, 0);
    assert_int_equal(h.seq, 65535);
    assert_int_equal(h.ts, 800);
    assert_int_equal(h.cc, 2);
    assert_int_equal(h.csrc[0], 0xaaaaaaaa);
    assert_int_equal(h.csrc[1], 0xbbbbbbbb);
    assert_int_equal(h.payload_off, 20);
    assert_int_equal(h.payload_len, 4);
}

static void test_parse_padding(void **state)
{
    (void)state;
    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, pad_pkt, sizeof pad_pkt), 0);
    assert_true(h.padding);
    assert_int_equal(h.pad_len, 4);
    assert_int_equal(h.payload_off, 12);
    assert_int_equal(h.payload_len, 3);
    assert_memory_equal(h.payload, "\x10\x9d\x01", 3);
}

/* A bandwidth probe: padding only (count = everything after the header). */
static void test_parse_padding_only(void **state)
{
    (void)state;
    uint8_t p[12 + 8] = {0xa0, 0x60, 0x00, 0x08};
    p[sizeof p - 1] = 8;
    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, p, sizeof p), 0);
    assert_int_equal(h.pad_len, 8);
    assert_int_equal(h.payload_len, 0);
}

/* X set with a zero-length block is legal (§5.3.1 length counts words). */
static void test_parse_empty_extension(void **state)
{
    (void)state;
    const uint8_t p[] = {0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 0, 0x42};
    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, p, sizeof p), 0);
    assert_true(h.extension);
    assert_int_equal(h.ext_len, 0);
    assert_int_equal(h.payload_off, 16);
    assert_int_equal(h.payload_len, 1);
}

static void test_truncated_prefixes(void **state)
{
    (void)state;
    struct rtp_hdr h;
    /* Every cut inside the header fails; a cut in the payload only
     * shortens the payload. */
    for (size_t n = 0; n < 28; n++)
        assert_int_equal(rtp_hdr_parse(&h, opus_pkt, n), -EBADMSG);
    for (size_t n = 28; n <= sizeof opus_pkt; n++) {
        assert_int_equal(rtp_hdr_parse(&h, opus_pkt, n), 0);
        assert_int_equal(h.payload_len, n - 28);
    }
    for (size_t n = 0; n < 20; n++)
        assert_int_equal(rtp_hdr_parse(&h, csrc_pkt, n), -EBADMSG);
    assert_int_equal(rtp_hdr_parse(&h, NULL, 0), -EBADMSG);
    assert_int_equal(rtp_hdr_parse(NULL, opus_pkt, sizeof opus_pkt), -EINVAL);
}

struct bad_case {
    const char *what;
    uint8_t pkt[32];
    size_t len;
};

static const struct bad_case bad_cases[] = {
    {"version 0", {0x00, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2}, 14},
    {"version 1", {0x40, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2}, 14},
    {"version 3", {0xc0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2}, 14},
    {"cc 15, 2 CSRCs present",
     {0x8f, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1, 1, 2, 2, 2, 2},
     20},
    {"cc 1, 3 bytes", {0x81, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1}, 15},
    {"X, no extension header", {0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}, 12},
    {"X, half an extension header", {0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde}, 14},
    {"extension length past the end",
     {0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 2, 0x10, 1, 0, 0},
     20},
    {"extension length 0xffff",
     {0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x10, 0x00, 0xff, 0xff, 1, 2, 3, 4},
     20},
    {"padding count 0", {0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 0}, 16},
    {"padding larger than the payload", {0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 5}, 16},
    {"padding reaching into the extension",
     {0xb0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 1, 0x10, 1, 0, 0, 9, 3},
     22},
    {"padding on a bare header", {0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1}, 12},
};

static void test_malformed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        struct rtp_hdr h;
        int rc = rtp_hdr_parse(&h, bad_cases[i].pkt, bad_cases[i].len);
        if (rc != -EBADMSG)
            fail_msg("%s: got %d", bad_cases[i].what, rc);
    }
}

static void test_set_fields_in_place(void **state)
{
    (void)state;
    uint8_t p[sizeof opus_pkt];
    memcpy(p, opus_pkt, sizeof p);
    assert_int_equal(rtp_hdr_set_ssrc(p, sizeof p, 0xcafebabe), 0);
    assert_int_equal(rtp_hdr_set_seq(p, sizeof p, 65535), 0);
    assert_int_equal(rtp_hdr_set_ts(p, sizeof p, 0xfffffff0), 0);
    assert_int_equal(rtp_hdr_set_pt(p, sizeof p, 100), 0);
    assert_int_equal(rtp_hdr_set_marker(p, sizeof p, true), 0);

    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, p, sizeof p), 0);
    assert_int_equal(h.ssrc, 0xcafebabe);
    assert_int_equal(h.seq, 65535);
    assert_int_equal(h.ts, 0xfffffff0);
    assert_int_equal(h.pt, 100);
    assert_true(h.marker);
    assert_true(h.extension);
    assert_int_equal(p[0], opus_pkt[0]);
    assert_memory_equal(p + 12, opus_pkt + 12, sizeof p - 12);

    /* The marker and payload type share a byte: each keeps the other. */
    assert_int_equal(rtp_hdr_set_pt(p, sizeof p, 0), 0);
    assert_int_equal(p[1], 0x80);
    assert_int_equal(rtp_hdr_set_marker(p, sizeof p, false), 0);
    assert_int_equal(rtp_hdr_set_pt(p, sizeof p, 127), 0);
    assert_int_equal(p[1], 0x7f);
}

static void test_set_fields_misuse(void **state)
{
    (void)state;
    uint8_t p[12] = {0x80};
    uint8_t before[12];
    memcpy(before, p, sizeof p);
    assert_int_equal(rtp_hdr_set_pt(p, sizeof p, 128), -EINVAL);
    assert_int_equal(rtp_hdr_set_ssrc(p, 11, 1), -EINVAL);
    assert_int_equal(rtp_hdr_set_seq(p, 11, 1), -EINVAL);
    assert_int_equal(rtp_hdr_set_ts(p, 0, 1), -EINVAL);
    assert_int_equal(rtp_hdr_set_pt(p, 11, 1), -EINVAL);
    assert_int_equal(rtp_hdr_set_marker(NULL, 12, true), -EINVAL);
    assert_memory_equal(p, before, sizeof p);
}

/* Serialize the Opus packet's header again: identical bytes. */
static void test_write_reproduces_packet(void **state)
{
    (void)state;
    struct rtp_hdr h;
    uint8_t out[64];
    size_t n = 0;
    assert_int_equal(rtp_hdr_parse(&h, opus_pkt, sizeof opus_pkt), 0);
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), 0);
    assert_int_equal(n, 28);
    memcpy(out + n, h.payload, h.payload_len);
    assert_memory_equal(out, opus_pkt, sizeof opus_pkt);

    assert_int_equal(rtp_hdr_parse(&h, csrc_pkt, sizeof csrc_pkt), 0);
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), 0);
    assert_int_equal(n, 20);
    assert_memory_equal(out, csrc_pkt, n);
}

static void test_write_then_parse(void **state)
{
    (void)state;
    const uint8_t ext[8] = {0x10, 0xff, 0x31, 0xbe, 0xef, 0, 0, 0};
    struct rtp_hdr in = {
        .padding = true,
        .extension = true,
        .marker = true,
        .cc = 15,
        .pt = 96,
        .seq = 4242,
        .ts = 0x89abcdef,
        .ssrc = 0x01020304,
        .ext_profile = 0xbede,
        .ext = ext,
        .ext_len = sizeof ext,
    };
    for (unsigned i = 0; i < 15; i++)
        in.csrc[i] = 0x1000 + i;
    uint8_t out[200];
    size_t n = 0;
    assert_int_equal(rtp_hdr_write(&in, out, sizeof out, &n), 0);
    assert_int_equal(n, 12 + 60 + 4 + 8);
    out[n] = 0x55;  /* one payload byte */
    out[n + 1] = 0; /* then two padding octets */
    out[n + 2] = 2;

    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, out, n + 3), 0);
    assert_true(h.padding && h.extension && h.marker);
    assert_int_equal(h.cc, 15);
    assert_int_equal(h.pt, 96);
    assert_int_equal(h.seq, 4242);
    assert_int_equal(h.ts, 0x89abcdef);
    assert_int_equal(h.ssrc, 0x01020304);
    assert_memory_equal(h.csrc, in.csrc, sizeof in.csrc);
    assert_int_equal(h.ext_profile, 0xbede);
    assert_int_equal(h.ext_len, 8);
    assert_memory_equal(h.ext, ext, 8);
    assert_int_equal(h.payload_len, 1);
    assert_int_equal(h.payload[0], 0x55);
    assert_int_equal(h.pad_len, 2);

    /* Every output buffer one byte short fails without writing past it. */
    for (size_t cap = 0; cap < n; cap++) {
        uint8_t small[84];
        size_t got = 0;
        memset(small, 0xee, sizeof small);
        assert_int_equal(rtp_hdr_write(&in, small, cap, &got), -ENOSPC);
        for (size_t i = cap; i < sizeof small; i++)
            assert_int_equal(small[i], 0xee);
    }
}

static void test_write_misuse(void **state)
{
    (void)state;
    uint8_t out[128];
    size_t n;
    struct rtp_hdr h = {.pt = 128};
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), -EINVAL);
    h = (struct rtp_hdr){.cc = 16};
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), -EINVAL);
    h = (struct rtp_hdr){.extension = true, .ext = out, .ext_len = 6};
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), -EINVAL);
    h = (struct rtp_hdr){.extension = true, .ext = NULL, .ext_len = 4};
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), -EINVAL);
    h = (struct rtp_hdr){.extension = true, .ext = out, .ext_len = 65536 * 4};
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), -EINVAL);
    /* X with an empty block: the 4-byte extension header alone. */
    h = (struct rtp_hdr){.extension = true, .ext_profile = 0x1000};
    assert_int_equal(rtp_hdr_write(&h, out, sizeof out, &n), 0);
    assert_int_equal(n, 16);
    assert_memory_equal(out + 12, "\x10\x00\x00\x00", 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_chromium_opus),
        cmocka_unit_test(test_parse_csrc_list),
        cmocka_unit_test(test_parse_padding),
        cmocka_unit_test(test_parse_padding_only),
        cmocka_unit_test(test_parse_empty_extension),
        cmocka_unit_test(test_truncated_prefixes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_set_fields_in_place),
        cmocka_unit_test(test_set_fields_misuse),
        cmocka_unit_test(test_write_reproduces_packet),
        cmocka_unit_test(test_write_then_parse),
        cmocka_unit_test(test_write_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
