#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/rtp_ext.h"

/* Extension ids as Chromium offers them in its SDP (a=extmap). */
enum { ID_LEVEL = 1, ID_AST = 2, ID_TWCC = 3, ID_MID = 4, ID_RID = 10, ID_RRID = 11 };

/* Chromium Opus: audio-level, abs-send-time, transport-wide-cc, mid. */
static const uint8_t opus_pkt[] = {
    0x90, 0x6f, 0x1f, 0x40, 0x00, 0x01, 0xe2, 0x40, 0x3a, 0xde, 0x68, 0xb1,
    0xbe, 0xde, 0x00, 0x03, 0x10, 0xaa, 0x22, 0x12, 0x34, 0x56, 0x31, 0x01,
    0x2c, 0x40, 0x30, 0x00, 0x78, 0x0b, 0xe4, 0xc1, 0x36, 0xec, 0xc5, 0x8d,
};

/* Chromium VP8 simulcast, layer "h": abs-send-time, twcc, mid "1",
 * rid "h", then a VP8 payload descriptor (X, S, I with a 15-bit picture
 * id) and the start of a key frame (start code 9d 01 2a). */
static const uint8_t vp8_pkt[] = {
    0x90, 0xe0, 0x4e, 0x21, 0x5b, 0x8d, 0x80, 0x00, 0x71, 0x6e, 0x2c, 0x0b, 0xbe, 0xde,
    0x00, 0x03, 0x22, 0x00, 0x40, 0x00, 0x31, 0xff, 0xff, 0x40, 0x31, 0xa0, 0x68, 0x00,
    0x90, 0x80, 0x81, 0x23, 0x50, 0x1f, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01,
};

/* Two-byte form (profile 0x1000): an empty element (id 5), a 17-byte mid
 * (too long for the one-byte form), padding, an id above 14 (id 200). */
static const uint8_t two_byte_pkt[] = {
    0x90, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
    0x00, 0x03, 0x10, 0x00, 0x00, 0x07, /* 7 words = 28 bytes */
    0x05, 0x00,                         /* id 5, empty */
    0x04, 0x11, 'a',  'u',  'd',  'i',  'o',  '-',  'a',  'n',
    'd',  '-',  'v',  'i',  'd',  'e',  'o',  '-',  '1',  0x00, /* padding */
    0xc8, 0x02, 0x01, 0x2c,                                     /* id 200, twcc 300 */
    0x00, 0x00,                                                 /* padding */
    0xde, 0xad,                                                 /* payload */
};

static void parse(struct rtp_hdr *h, const uint8_t *p, size_t n)
{
    assert_int_equal(rtp_hdr_parse(h, p, n), 0);
}

static void test_iterate_chromium_opus(void **state)
{
    (void)state;
    struct rtp_hdr h;
    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    static const uint8_t ids[] = {1, 2, 3, 4}, lens[] = {1, 3, 2, 1};
    parse(&h, opus_pkt, sizeof opus_pkt);
    assert_int_equal(rtp_ext_iter_init_hdr(&it, &h), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
        assert_int_equal(e.id, ids[i]);
        assert_int_equal(e.len, lens[i]);
    }
    assert_memory_equal(e.data, "0", 1);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -ENOENT);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -ENOENT);
}

static void test_typed_chromium_opus(void **state)
{
    (void)state;
    struct rtp_hdr h;
    bool voice = false;
    uint8_t level = 0;
    uint32_t t = 0;
    uint16_t seq = 0;
    char mid[16];
    parse(&h, opus_pkt, sizeof opus_pkt);
    assert_int_equal(rtp_ext_audio_level(&h, ID_LEVEL, &voice, &level), 0);
    assert_true(voice);
    assert_int_equal(level, 42);
    assert_int_equal(rtp_ext_abs_send_time(&h, ID_AST, &t), 0);
    assert_int_equal(t, 0x123456);
    assert_int_equal(rtp_ext_twcc(&h, ID_TWCC, &seq), 0);
    assert_int_equal(seq, 300);
    assert_int_equal(rtp_ext_mid(&h, ID_MID, mid, sizeof mid), 0);
    assert_string_equal(mid, "0");
    /* Not negotiated / not present. */
    assert_int_equal(rtp_ext_rid(&h, ID_RID, mid, sizeof mid), -ENOENT);
    assert_int_equal(rtp_ext_twcc(&h, 0, &seq), -ENOENT);
    assert_int_equal(rtp_ext_twcc(&h, 15, &seq), -ENOENT);
    /* The right id with the wrong type: sizes do not match. */
    assert_int_equal(rtp_ext_twcc(&h, ID_AST, &seq), -EBADMSG);
    assert_int_equal(rtp_ext_abs_send_time(&h, ID_LEVEL, &t), -EBADMSG);
    assert_int_equal(rtp_ext_audio_level(&h, ID_TWCC, &voice, &level), -EBADMSG);
}

static void test_typed_vp8_rid(void **state)
{
    (void)state;
    struct rtp_hdr h;
    char s[8];
    uint16_t seq;
    uint32_t t;
    parse(&h, vp8_pkt, sizeof vp8_pkt);
    assert_true(h.marker);
    assert_int_equal(h.pt, 96);
    assert_int_equal(rtp_ext_rid(&h, ID_RID, s, sizeof s), 0);
    assert_string_equal(s, "h");
    assert_int_equal(rtp_ext_mid(&h, ID_MID, s, sizeof s), 0);
    assert_string_equal(s, "1");
    assert_int_equal(rtp_ext_repaired_rid(&h, ID_RRID, s, sizeof s), -ENOENT);
    assert_int_equal(rtp_ext_twcc(&h, ID_TWCC, &seq), 0);
    assert_int_equal(seq, 65535);
    assert_int_equal(rtp_ext_abs_send_time(&h, ID_AST, &t), 0);
    assert_int_equal(t, 0x004000);
    assert_int_equal(rtp_ext_abs_send_time_to_us(t), 62500); /* 1/16 s */
    assert_int_equal(h.payload[0], 0x90);
    /* "1" needs two bytes with its NUL. */
    assert_int_equal(rtp_ext_mid(&h, ID_MID, s, 1), -ENOSPC);
    assert_int_equal(rtp_ext_mid(&h, ID_MID, NULL, 8), -EINVAL);
}

static void test_two_byte_form(void **state)
{
    (void)state;
    struct rtp_hdr h;
    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    char mid[32];
    uint16_t seq;
    parse(&h, two_byte_pkt, sizeof two_byte_pkt);
    assert_int_equal(h.ext_profile, 0x1000);
    assert_int_equal(h.payload_len, 2);
    assert_int_equal(rtp_ext_iter_init_hdr(&it, &h), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(e.id, 5);
    assert_int_equal(e.len, 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(e.id, 4);
    assert_int_equal(e.len, 17);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(e.id, 200);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -ENOENT);

    assert_int_equal(rtp_ext_mid(&h, 4, mid, sizeof mid), 0);
    assert_string_equal(mid, "audio-and-video-1");
    assert_int_equal(rtp_ext_mid(&h, 4, mid, 18), 0);
    assert_int_equal(rtp_ext_mid(&h, 4, mid, 17), -ENOSPC);
    assert_int_equal(rtp_ext_twcc(&h, 200, &seq), 0);
    assert_int_equal(seq, 300);
    /* An empty string extension is malformed. */
    assert_int_equal(rtp_ext_rid(&h, 5, mid, sizeof mid), -EBADMSG);
}

static void test_two_byte_appbits(void **state)
{
    (void)state;
    const uint8_t block[] = {0x03, 0x02, 0x00, 0x07};
    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    assert_int_equal(rtp_ext_iter_init(&it, 0x100f, block, sizeof block), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(e.id, 3);
    assert_memory_equal(e.data, "\x00\x07", 2);
    assert_int_equal(rtp_ext_iter_init(&it, 0x1010, block, sizeof block), -ENOTSUP);
    assert_int_equal(rtp_ext_iter_init(&it, 0xbedf, block, sizeof block), -ENOTSUP);
    assert_int_equal(rtp_ext_iter_init(&it, 0xbede, NULL, 4), -EINVAL);
}

static void test_unknown_profile_and_no_extension(void **state)
{
    (void)state;
    struct rtp_hdr h;
    struct rtp_ext_elem e;
    uint8_t p[sizeof opus_pkt];
    memcpy(p, opus_pkt, sizeof p);
    p[12] = 0xab; /* a profile that is not RFC 8285 */
    parse(&h, p, sizeof p);
    assert_int_equal(rtp_ext_find(&h, ID_TWCC, &e), -ENOTSUP);

    const uint8_t bare[] = {0x80, 0x6f, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x78};
    parse(&h, bare, sizeof bare);
    assert_int_equal(rtp_ext_find(&h, ID_TWCC, &e), -ENOENT);
}

/* Iterate a raw one-byte block; return how many elements came before the
 * end (or the error). */
static int count_one_byte(const uint8_t *b, size_t n, int *err)
{
    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    int k = 0, rc;
    assert_int_equal(rtp_ext_iter_init(&it, 0xbede, b, n), 0);
    while ((rc = rtp_ext_iter_next(&it, &e)) == 0)
        k++;
    *err = rc;
    return k;
}

static void test_one_byte_stop_and_padding(void **state)
{
    (void)state;
    int err;
    /* Padding between elements is skipped. */
    const uint8_t pad[] = {0x10, 0x01, 0x00, 0x00, 0x20, 0x02, 0x00, 0x00};
    assert_int_equal(count_one_byte(pad, sizeof pad, &err), 2);
    assert_int_equal(err, -ENOENT);
    /* Id 15 ends the block even though its length would overrun. */
    const uint8_t stop[] = {0x10, 0x01, 0xff, 0x20, 0x02, 0x00, 0x00, 0x00};
    assert_int_equal(count_one_byte(stop, sizeof stop, &err), 1);
    assert_int_equal(err, -ENOENT);
    /* So does an id-0 byte with a length. */
    const uint8_t zero[] = {0x10, 0x01, 0x03, 0x20, 0x02, 0x00, 0x00, 0x00};
    assert_int_equal(count_one_byte(zero, sizeof zero, &err), 1);
    assert_int_equal(err, -ENOENT);
    /* Only padding, or nothing at all. */
    assert_int_equal(count_one_byte((const uint8_t *)"\0\0\0\0", 4, &err), 0);
    assert_int_equal(err, -ENOENT);
    assert_int_equal(count_one_byte(NULL, 0, &err), 0);
    assert_int_equal(err, -ENOENT);
}

static void test_one_byte_overrun(void **state)
{
    (void)state;
    int err;
    /* id 2 says 6 bytes, 3 remain. */
    const uint8_t over[] = {0x10, 0x01, 0x25, 0x00};
    assert_int_equal(count_one_byte(over, sizeof over, &err), 1);
    assert_int_equal(err, -EBADMSG);
    /* A length byte as the very last byte. */
    const uint8_t last[] = {0x00, 0x00, 0x00, 0x30};
    assert_int_equal(count_one_byte(last, sizeof last, &err), 0);
    assert_int_equal(err, -EBADMSG);

    /* In a packet, find fails whichever id is asked, even one before the
     * overrun, and the iterator stays failed. */
    const uint8_t pkt[] = {0x90, 0x60, 0,    1,    0, 0, 0,    2,    0,    0,
                           0,    3,    0xbe, 0xde, 0, 1, 0x10, 0x01, 0x25, 0x00};
    struct rtp_hdr h;
    struct rtp_ext_elem e;
    struct rtp_ext_iter it;
    uint16_t seq;
    parse(&h, pkt, sizeof pkt);
    assert_int_equal(rtp_ext_find(&h, 1, &e), -EBADMSG);
    assert_int_equal(rtp_ext_twcc(&h, 2, &seq), -EBADMSG);
    assert_int_equal(rtp_ext_iter_init_hdr(&it, &h), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -EBADMSG);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -EBADMSG);
}

static void test_two_byte_overrun(void **state)
{
    (void)state;
    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    /* id 5 says 9 bytes, 2 remain. */
    const uint8_t over[] = {0x05, 0x09, 0xaa, 0xbb};
    assert_int_equal(rtp_ext_iter_init(&it, 0x1000, over, sizeof over), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -EBADMSG);
    /* An element header cut after its id byte. */
    const uint8_t cut[] = {0x01, 0x01, 0x7f, 0x09};
    assert_int_equal(rtp_ext_iter_init(&it, 0x1000, cut, sizeof cut), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(e.id, 1);
    assert_int_equal(rtp_ext_iter_next(&it, &e), -EBADMSG);
    /* In the two-byte form id 15 is an ordinary id. */
    const uint8_t f[] = {0x0f, 0x01, 0x55, 0x00};
    assert_int_equal(rtp_ext_iter_init(&it, 0x1000, f, sizeof f), 0);
    assert_int_equal(rtp_ext_iter_next(&it, &e), 0);
    assert_int_equal(e.id, 15);
    assert_int_equal(e.data[0], 0x55);
}

static void test_string_validation(void **state)
{
    (void)state;
    uint8_t pkt[] = {0x90, 0x60, 0,    1,    0, 0, 0,    2,   0,   0,
                     0,    3,    0xbe, 0xde, 0, 1, 0xa2, 'h', 'i', 0x00};
    struct rtp_hdr h;
    char s[8];
    parse(&h, pkt, sizeof pkt);
    assert_int_equal(rtp_ext_rid(&h, ID_RID, s, sizeof s), 0);
    assert_string_equal(s, "hi");
    /* A NUL ends the value (trailing NULs are tolerated). */
    pkt[18] = 0;
    parse(&h, pkt, sizeof pkt);
    assert_int_equal(rtp_ext_rid(&h, ID_RID, s, sizeof s), 0);
    assert_string_equal(s, "h");
    /* A leading NUL is an empty value. */
    pkt[17] = 0;
    parse(&h, pkt, sizeof pkt);
    assert_int_equal(rtp_ext_rid(&h, ID_RID, s, sizeof s), -EBADMSG);
    /* Space, quote and control bytes are not token characters. */
    static const uint8_t bad[] = {' ', '"', '(', ':', '@', 0x7f, 0x80, 0x0a};
    for (size_t i = 0; i < sizeof bad; i++) {
        pkt[17] = 'a';
        pkt[18] = bad[i];
        parse(&h, pkt, sizeof pkt);
        assert_int_equal(rtp_ext_repaired_rid(&h, ID_RID, s, sizeof s), -EBADMSG);
    }
}

static void test_set_in_place(void **state)
{
    (void)state;
    uint8_t p[sizeof opus_pkt];
    struct rtp_hdr h;
    uint16_t seq;
    uint32_t t;
    memcpy(p, opus_pkt, sizeof p);
    assert_int_equal(rtp_ext_set_twcc(p, sizeof p, ID_TWCC, 0xbeef), 0);
    assert_int_equal(rtp_ext_set_abs_send_time(p, sizeof p, ID_AST, 0xfedcba), 0);
    parse(&h, p, sizeof p);
    assert_int_equal(rtp_ext_twcc(&h, ID_TWCC, &seq), 0);
    assert_int_equal(seq, 0xbeef);
    assert_int_equal(rtp_ext_abs_send_time(&h, ID_AST, &t), 0);
    assert_int_equal(t, 0xfedcba);
    /* Only those five bytes changed. */
    for (size_t i = 0; i < sizeof p; i++)
        if (i < 19 || (i > 21 && i < 23) || i > 24)
            assert_int_equal(p[i], opus_pkt[i]);

    assert_int_equal(rtp_ext_set_abs_send_time(p, sizeof p, ID_AST, 1u << 24), -EINVAL);
    assert_int_equal(rtp_ext_set_twcc(p, sizeof p, ID_RID, 1), -ENOENT);
    assert_int_equal(rtp_ext_set_twcc(p, sizeof p, ID_AST, 1), -EBADMSG);
    assert_int_equal(rtp_ext_set_twcc(p, 20, ID_TWCC, 1), -EBADMSG);
}

static void test_abs_send_time_conversion(void **state)
{
    (void)state;
    assert_int_equal(rtp_ext_abs_send_time_from_us(0), 0);
    assert_int_equal(rtp_ext_abs_send_time_from_us(1000000), 1 << 18);
    assert_int_equal(rtp_ext_abs_send_time_from_us(500000), 1 << 17);
    assert_int_equal(rtp_ext_abs_send_time_from_us(63500000), 63 << 18 | 1 << 17);
    assert_int_equal(rtp_ext_abs_send_time_from_us(64000000), 0);        /* wraps at 64 s */
    assert_int_equal(rtp_ext_abs_send_time_from_us(-1000000), 63 << 18); /* -1 s = 63 s */
    assert_int_equal(rtp_ext_abs_send_time_from_us(INT64_MAX) >> 24, 0);
    assert_int_equal(rtp_ext_abs_send_time_from_us(INT64_MIN) >> 24, 0);
    /* One unit is 2^-18 s, about 3.8 us: round trips within that. */
    for (int64_t us = 0; us < 64000000; us += 999983) {
        int64_t back = rtp_ext_abs_send_time_to_us(rtp_ext_abs_send_time_from_us(us));
        assert_true(back - us <= 4 && us - back <= 4);
    }
}

/* The Chromium Opus block comes out byte for byte. */
static void test_write_one_byte(void **state)
{
    (void)state;
    const struct rtp_ext_elem el[] = {
        {ID_LEVEL, 1, (const uint8_t *)"\xaa"},
        {ID_AST, 3, (const uint8_t *)"\x12\x34\x56"},
        {ID_TWCC, 2, (const uint8_t *)"\x01\x2c"},
        {ID_MID, 1, (const uint8_t *)"0"},
    };
    uint8_t out[16];
    uint16_t profile = 0;
    size_t n = 0;
    assert_int_equal(rtp_ext_write(el, 4, out, sizeof out, &profile, &n), 0);
    assert_int_equal(profile, 0xbede);
    assert_int_equal(n, 12);
    assert_memory_equal(out, opus_pkt + 16, 12);
    /* Nothing to write: an empty block. */
    assert_int_equal(rtp_ext_write(NULL, 0, NULL, 0, &profile, &n), 0);
    assert_int_equal(n, 0);
}

/* Ids 1..14 with 1..16 bytes use one byte; anything else needs two. */
static void test_write_form_choice(void **state)
{
    (void)state;
    static const uint8_t d[17] = "0123456789abcdef";
    struct rtp_ext_elem e = {14, 16, d};
    uint8_t out[32];
    uint16_t profile;
    size_t n;
    assert_int_equal(rtp_ext_write(&e, 1, out, sizeof out, &profile, &n), 0);
    assert_int_equal(profile, 0xbede);
    assert_int_equal(n, 20);
    assert_int_equal(out[0], 0xef);
    const struct rtp_ext_elem two[] = {{15, 1, d}, {1, 17, d}, {1, 0, NULL}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(rtp_ext_write(&two[i], 1, out, sizeof out, &profile, &n), 0);
        assert_int_equal(profile, 0x1000);
        assert_int_equal(out[0], two[i].id);
        assert_int_equal(out[1], two[i].len);
        assert_int_equal(n, (2 + two[i].len + 3) / 4 * 4);
    }
}

/* Elements -> block -> RTP header -> parse -> typed accessors. */
static void test_write_round_trip(void **state)
{
    (void)state;
    const struct rtp_ext_elem el[] = {
        {ID_MID, 17, (const uint8_t *)"audio-and-video-1"},
        {200, 2, (const uint8_t *)"\x01\x2c"},
        {ID_RRID, 1, (const uint8_t *)"q"},
        {ID_LEVEL, 1, (const uint8_t *)"\x05"},
    };
    uint8_t block[64], pkt[128];
    uint16_t profile;
    size_t blen, hlen;
    assert_int_equal(rtp_ext_write(el, 4, block, sizeof block, &profile, &blen), 0);
    assert_int_equal(profile, 0x1000);
    struct rtp_hdr h = {.extension = true,
                        .pt = 96,
                        .seq = 1,
                        .ssrc = 7,
                        .ext_profile = profile,
                        .ext = block,
                        .ext_len = blen};
    assert_int_equal(rtp_hdr_write(&h, pkt, sizeof pkt, &hlen), 0);
    pkt[hlen] = 0x10;
    parse(&h, pkt, hlen + 1);
    assert_int_equal(h.payload_len, 1);

    char s[32];
    uint16_t seq;
    bool voice = true;
    uint8_t level;
    assert_int_equal(rtp_ext_mid(&h, ID_MID, s, sizeof s), 0);
    assert_string_equal(s, "audio-and-video-1");
    assert_int_equal(rtp_ext_repaired_rid(&h, ID_RRID, s, sizeof s), 0);
    assert_string_equal(s, "q");
    assert_int_equal(rtp_ext_twcc(&h, 200, &seq), 0);
    assert_int_equal(seq, 300);
    assert_int_equal(rtp_ext_audio_level(&h, ID_LEVEL, &voice, &level), 0);
    assert_false(voice);
    assert_int_equal(level, 5);
}

static void test_write_misuse(void **state)
{
    (void)state;
    const uint8_t d[4] = {1, 2, 3, 4};
    uint8_t out[32];
    uint16_t profile;
    size_t n;
    const struct rtp_ext_elem zero = {0, 1, d};
    const struct rtp_ext_elem nul = {3, 2, NULL};
    const struct rtp_ext_elem dup[] = {{3, 2, d}, {4, 1, d}, {3, 2, d}};
    assert_int_equal(rtp_ext_write(&zero, 1, out, sizeof out, &profile, &n), -EINVAL);
    assert_int_equal(rtp_ext_write(&nul, 1, out, sizeof out, &profile, &n), -EINVAL);
    assert_int_equal(rtp_ext_write(dup, 3, out, sizeof out, &profile, &n), -EINVAL);
    assert_int_equal(rtp_ext_write(NULL, 1, out, sizeof out, &profile, &n), -EINVAL);
    assert_int_equal(rtp_ext_write(dup, 2, out, sizeof out, NULL, &n), -EINVAL);
    /* Short buffers: -ENOSPC and not a byte written. */
    for (size_t cap = 0; cap < 8; cap++) {
        memset(out, 0xee, sizeof out);
        assert_int_equal(rtp_ext_write(dup, 2, out, cap, &profile, &n), -ENOSPC);
        for (size_t i = 0; i < sizeof out; i++)
            assert_int_equal(out[i], 0xee);
    }
    assert_int_equal(rtp_ext_write(dup, 2, out, 8, &profile, &n), 0);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "\x31\x01\x02\x40\x01\x00\x00\x00", 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iterate_chromium_opus),
        cmocka_unit_test(test_typed_chromium_opus),
        cmocka_unit_test(test_typed_vp8_rid),
        cmocka_unit_test(test_two_byte_form),
        cmocka_unit_test(test_two_byte_appbits),
        cmocka_unit_test(test_unknown_profile_and_no_extension),
        cmocka_unit_test(test_one_byte_stop_and_padding),
        cmocka_unit_test(test_one_byte_overrun),
        cmocka_unit_test(test_two_byte_overrun),
        cmocka_unit_test(test_string_validation),
        cmocka_unit_test(test_set_in_place),
        cmocka_unit_test(test_abs_send_time_conversion),
        cmocka_unit_test(test_write_one_byte),
        cmocka_unit_test(test_write_form_choice),
        cmocka_unit_test(test_write_round_trip),
        cmocka_unit_test(test_write_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
