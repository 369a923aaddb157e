#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/vp8_desc.h"

/* RFC 7741 §4.6.1 shape: key frame in one packet, X=1 S=1 PID=0, I=1,
 * PictureID 17 (M=0), then the VP8 payload header with P=0. */
static const uint8_t rfc_key_frame[] = {0x90, 0x80, 0x11, 0x10, 0x02, 0x00, 0xaa};

/* RFC 7741 §4.6.2 shape: non-discardable interframe, X=0, S=1, PID=0, P=1. */
static const uint8_t rfc_interframe[] = {0x10, 0x11, 0x02, 0x00, 0xbb};

/* RFC 7741 §4.6.4 shape: long PictureID 4711 = 0x1267, M=1. */
static const uint8_t rfc_long_pic[] = {0x90, 0x80, 0x92, 0x67, 0x10, 0x02, 0x00};

/* First packet of a libwebrtc VP8 key frame with temporal layers:
 * X=1 S=1 PID=0; I, L, T set; 15-bit PictureID 6716 (0x1a3c); TL0PICIDX 45;
 * TID 0, Y 0. Then the key frame header: frame tag (P=0, version 0,
 * show_frame, first partition 0x1234 bytes), start code 9d 01 2a,
 * width 640 (0x0280), height 480 (0x01e0), then partition data. */
static const uint8_t chrome_key[] = {
    0x90, 0xe0, 0x9a, 0x3c, 0x2d, 0x00,             /* descriptor */
    0x90, 0x46, 0x02, 0x9d, 0x01, 0x2a,             /* tag, start code */
    0x80, 0x02, 0xe0, 0x01, 0x11, 0x22, 0x33, 0x44, /* 640x480, data */
};

static void test_rfc_key_frame(void **state)
{
    (void)state;
    struct vp8_desc d;
    assert_int_equal(vp8_desc_parse(rfc_key_frame, sizeof(rfc_key_frame), &d), 0);
    assert_true(d.x);
    assert_true(d.s);
    assert_false(d.n);
    assert_int_equal(d.pid, 0);
    assert_true(d.has_picture_id);
    assert_false(d.picture_id_long);
    assert_int_equal(d.picture_id, 17);
    assert_false(d.has_tl0picidx);
    assert_false(d.has_tid);
    assert_false(d.has_keyidx);
    assert_int_equal(d.desc_len, 3);
    assert_int_equal(d.payload_off, 3);
    assert_int_equal(d.payload_len, 4);
    assert_true(d.key_frame);
    assert_false(d.has_size); /* header too short for dimensions */
}

static void test_rfc_interframe(void **state)
{
    (void)state;
    struct vp8_desc d;
    assert_int_equal(vp8_desc_parse(rfc_interframe, sizeof(rfc_interframe), &d), 0);
    assert_false(d.x);
    assert_true(d.s);
    assert_false(d.has_picture_id);
    assert_int_equal(d.desc_len, 1);
    assert_int_equal(d.payload_len, 4);
    assert_false(d.key_frame);
}

static void test_rfc_long_picture_id(void **state)
{
    (void)state;
    struct vp8_desc d;
    assert_int_equal(vp8_desc_parse(rfc_long_pic, sizeof(rfc_long_pic), &d), 0);
    assert_true(d.picture_id_long);
    assert_int_equal(d.picture_id, 4711);
    assert_int_equal(d.desc_len, 4);
    assert_true(d.key_frame);
}

static void test_key_frame_needs_start_of_partition_zero(void **state)
{
    (void)state;
    struct vp8_desc d;
    /* RFC 7741 §4.6.3 shape: a later packet of partition 1 (S=1, PID=1) and
     * a continuation of partition 0 (S=0): the first payload byte is
     * partition data, not a payload header, even when its low bit is 0. */
    const uint8_t part1[] = {0x91, 0x80, 0x11, 0x10, 0x00};
    const uint8_t cont[] = {0x80, 0x80, 0x11, 0x10, 0x00};
    assert_int_equal(vp8_desc_parse(part1, sizeof(part1), &d), 0);
    assert_int_equal(d.pid, 1);
    assert_false(d.key_frame);
    assert_int_equal(vp8_desc_parse(cont, sizeof(cont), &d), 0);
    assert_false(d.s);
    assert_false(d.key_frame);
}

static void test_chrome_key_frame_640x480(void **state)
{
    (void)state;
    struct vp8_desc d;
    assert_int_equal(vp8_desc_parse(chrome_key, sizeof(chrome_key), &d), 0);
    assert_true(d.has_picture_id);
    assert_true(d.picture_id_long);
    assert_int_equal(d.picture_id, 6716);
    assert_true(d.has_tl0picidx);
    assert_int_equal(d.tl0picidx, 45);
    assert_true(d.has_tid);
    assert_false(d.has_keyidx);
    assert_int_equal(d.tid, 0);
    assert_false(d.y);
    assert_int_equal(d.desc_len, 6);
    assert_int_equal(d.payload_off, 6);
    assert_int_equal(d.payload_len, sizeof(chrome_key) - 6);
    assert_true(d.key_frame);
    assert_true(d.has_size);
    assert_int_equal(d.width, 640);
    assert_int_equal(d.height, 480);
    assert_int_equal(d.hscale, 0);
    assert_int_equal(d.vscale, 0);
}

static void test_key_frame_scale_bits_and_bad_start_code(void **state)
{
    (void)state;
    struct vp8_desc d;
    uint8_t p[sizeof(chrome_key)];
    memcpy(p, chrome_key, sizeof(p));
    p[13] |= 0x80; /* hscale 2 */
    p[15] |= 0x40; /* vscale 1 */
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.width, 640);
    assert_int_equal(d.height, 480);
    assert_int_equal(d.hscale, 2);
    assert_int_equal(d.vscale, 1);
    p[10] = 0x02; /* broken start code: still a key frame, no size */
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_true(d.key_frame);
    assert_false(d.has_size);
    /* Key frame header cut at 9 bytes: no size either. */
    assert_int_equal(vp8_desc_parse(chrome_key, 6 + 9, &d), 0);
    assert_true(d.key_frame);
    assert_false(d.has_size);
    assert_int_equal(vp8_desc_parse(chrome_key, 6 + 10, &d), 0);
    assert_true(d.has_size);
}

static void test_tid_y_keyidx_and_flags(void **state)
{
    (void)state;
    struct vp8_desc d;
    /* X, N, S, PID 3; T and K; TID 2, Y 1, KEYIDX 5. Reserved bits set. */
    const uint8_t p[] = {0xfb, 0x3f, 0xa5, 0x00};
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_true(d.n);
    assert_true(d.s);
    assert_int_equal(d.pid, 3);
    assert_false(d.has_picture_id);
    assert_false(d.has_tl0picidx);
    assert_true(d.has_tid);
    assert_true(d.has_keyidx);
    assert_int_equal(d.tid, 2);
    assert_true(d.y);
    assert_int_equal(d.keyidx, 5);
    assert_int_equal(d.desc_len, 3);
    assert_false(d.key_frame); /* PID 3 */
    /* L without T is accepted (lenient receiver). */
    const uint8_t l_only[] = {0x80, 0x40, 0x07, 0x00};
    assert_int_equal(vp8_desc_parse(l_only, sizeof(l_only), &d), 0);
    assert_true(d.has_tl0picidx);
    assert_int_equal(d.tl0picidx, 7);
    assert_int_equal(d.desc_len, 3);
}

static void test_truncated_at_every_byte(void **state)
{
    (void)state;
    struct vp8_desc d;
    /* Every cut inside the descriptor, or right after it (no payload). */
    for (size_t n = 0; n <= 6; n++)
        assert_int_equal(vp8_desc_parse(chrome_key, n, &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(chrome_key, 7, &d), 0);
    assert_int_equal(d.payload_len, 1);
    assert_false(d.has_size);
    const uint8_t all[] = {0x90, 0xf0, 0x92, 0x67, 0x01, 0xe5, 0x00};
    for (size_t n = 0; n < sizeof(all); n++)
        assert_int_equal(vp8_desc_parse(all, n, &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(all, sizeof(all), &d), 0);
    assert_int_equal(d.desc_len, 6);
}

static void test_malformed_classes(void **state)
{
    (void)state;
    struct vp8_desc d;
    const uint8_t x_no_ext[] = {0x90};
    const uint8_t i_no_pic[] = {0x90, 0x80};
    const uint8_t m_one_byte[] = {0x90, 0x80, 0x92};
    const uint8_t m_no_payload[] = {0x90, 0x80, 0x92, 0x67};
    const uint8_t l_missing[] = {0x90, 0xc0, 0x11};
    const uint8_t tk_missing[] = {0x90, 0x90, 0x11};
    assert_int_equal(vp8_desc_parse(x_no_ext, sizeof(x_no_ext), &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(i_no_pic, sizeof(i_no_pic), &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(m_one_byte, sizeof(m_one_byte), &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(m_no_payload, sizeof(m_no_payload), &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(l_missing, sizeof(l_missing), &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(tk_missing, sizeof(tk_missing), &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(NULL, 5, &d), -EBADMSG);
    assert_int_equal(vp8_desc_parse(rfc_key_frame, sizeof(rfc_key_frame), NULL), -EINVAL);
}

static void test_rewrite_picture_id_15_bit_wraps(void **state)
{
    (void)state;
    struct vp8_desc d;
    uint8_t p[sizeof(chrome_key)];
    memcpy(p, chrome_key, sizeof(p));
    assert_int_equal(vp8_desc_set_picture_id(p, sizeof(p), 32767), 0);
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.picture_id, 32767);
    assert_true(d.picture_id_long);
    assert_int_equal(p[2], 0xff);
    assert_int_equal(p[3], 0xff);
    /* The next id wraps to 0 and keeps the 15-bit form (M stays set). */
    assert_int_equal(vp8_desc_set_picture_id(p, sizeof(p), (uint16_t)(32767 + 1)), 0);
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.picture_id, 0);
    assert_true(d.picture_id_long);
    assert_int_equal(p[2], 0x80);
    /* Nothing else changed. */
    assert_memory_equal(p, chrome_key, 2);
    assert_memory_equal(p + 4, chrome_key + 4, sizeof(p) - 4);
    assert_int_equal(d.tl0picidx, 45);
    assert_int_equal(d.width, 640);
}

static void test_rewrite_picture_id_7_bit_wraps(void **state)
{
    (void)state;
    struct vp8_desc d;
    uint8_t p[sizeof(rfc_key_frame)];
    memcpy(p, rfc_key_frame, sizeof(p));
    assert_int_equal(vp8_desc_set_picture_id(p, sizeof(p), 127), 0);
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.picture_id, 127);
    assert_false(d.picture_id_long);
    assert_int_equal(vp8_desc_set_picture_id(p, sizeof(p), 128), 0);
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.picture_id, 0);
    assert_false(d.picture_id_long);
    assert_int_equal(vp8_desc_set_picture_id(p, sizeof(p), 6716), 0); /* 0x1a3c */
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.picture_id, 0x3c);
    assert_int_equal(d.desc_len, 3);
    assert_memory_equal(p + 3, rfc_key_frame + 3, sizeof(p) - 3);
}

static void test_rewrite_tl0_tid_keyidx(void **state)
{
    (void)state;
    struct vp8_desc d;
    uint8_t p[] = {0x90, 0xf0, 0x92, 0x67, 0x01, 0xe5, 0x00};
    assert_int_equal(vp8_desc_set_tl0picidx(p, sizeof(p), 255), 0);
    assert_int_equal(vp8_desc_set_tid(p, sizeof(p), 1, false), 0);
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.tl0picidx, 255);
    assert_int_equal(d.tid, 1);
    assert_false(d.y);
    assert_int_equal(d.keyidx, 5); /* kept */
    assert_int_equal(vp8_desc_set_keyidx(p, sizeof(p), 31), 0);
    assert_int_equal(vp8_desc_parse(p, sizeof(p), &d), 0);
    assert_int_equal(d.keyidx, 31);
    assert_int_equal(d.tid, 1); /* kept */
    assert_int_equal(d.picture_id, 4711);
    assert_int_equal(vp8_desc_set_tid(p, sizeof(p), 3, true), 0);
    assert_int_equal(p[5], 0xff);
    /* Out of range values are misuse; the buffer stays as it was. */
    uint8_t before[sizeof(p)];
    memcpy(before, p, sizeof(p));
    assert_int_equal(vp8_desc_set_tid(p, sizeof(p), 4, false), -EINVAL);
    assert_int_equal(vp8_desc_set_keyidx(p, sizeof(p), 32), -EINVAL);
    assert_memory_equal(p, before, sizeof(p));
}

static void test_rewrite_absent_or_malformed(void **state)
{
    (void)state;
    uint8_t p[sizeof(rfc_interframe)];
    memcpy(p, rfc_interframe, sizeof(p));
    assert_int_equal(vp8_desc_set_picture_id(p, sizeof(p), 1), -EINVAL);
    assert_int_equal(vp8_desc_set_tl0picidx(p, sizeof(p), 1), -EINVAL);
    assert_int_equal(vp8_desc_set_tid(p, sizeof(p), 1, true), -EINVAL);
    assert_int_equal(vp8_desc_set_keyidx(p, sizeof(p), 1), -EINVAL);
    assert_memory_equal(p, rfc_interframe, sizeof(p));
    /* K only: TID cannot be set; T only: KEYIDX cannot be set. */
    uint8_t k_only[] = {0x90, 0x10, 0x05, 0x00};
    uint8_t t_only[] = {0x90, 0x20, 0x40, 0x00};
    assert_int_equal(vp8_desc_set_tid(k_only, sizeof(k_only), 1, false), -EINVAL);
    assert_int_equal(vp8_desc_set_keyidx(t_only, sizeof(t_only), 1), -EINVAL);
    /* Cut short: rejected before anything is written. */
    uint8_t cut[] = {0x90, 0x80, 0x92};
    assert_int_equal(vp8_desc_set_picture_id(cut, sizeof(cut), 5), -EBADMSG);
    assert_int_equal(cut[2], 0x92);
}

static void test_write_matches_chrome_bytes(void **state)
{
    (void)state;
    struct vp8_desc d;
    uint8_t out[VP8_DESC_MAX_LEN];
    size_t w = 0;
    assert_int_equal(vp8_desc_parse(chrome_key, sizeof(chrome_key), &d), 0);
    assert_int_equal(vp8_desc_len(&d), 6);
    assert_int_equal(vp8_desc_write(&d, out, sizeof(out), &w), 0);
    assert_int_equal(w, 6);
    assert_memory_equal(out, chrome_key, 6);
    /* Every short buffer is -ENOSPC. */
    for (size_t cap = 0; cap < 6; cap++)
        assert_int_equal(vp8_desc_write(&d, out, cap, &w), -ENOSPC);
}

static void test_write_round_trip(void **state)
{
    (void)state;
    struct vp8_desc in = {.s = true, .pid = 0};
    struct vp8_desc back;
    uint8_t buf[VP8_DESC_MAX_LEN + 1];
    size_t w = 0;
    /* Plain one-byte descriptor. */
    assert_int_equal(vp8_desc_write(&in, buf, sizeof(buf), &w), 0);
    assert_int_equal(w, 1);
    assert_int_equal(buf[0], 0x10);
    /* 7-bit PictureID, KEYIDX only, N and PID 7. */
    in = (struct vp8_desc){.n = true,
                           .pid = 7,
                           .has_picture_id = true,
                           .picture_id = 99,
                           .has_keyidx = true,
                           .keyidx = 17};
    assert_int_equal(vp8_desc_write(&in, buf, sizeof(buf), &w), 0);
    assert_int_equal(w, 4);
    buf[w] = 0x00; /* one payload byte */
    assert_int_equal(vp8_desc_parse(buf, w + 1, &back), 0);
    assert_true(back.x);
    assert_true(back.n);
    assert_int_equal(back.pid, 7);
    assert_int_equal(back.picture_id, 99);
    assert_false(back.picture_id_long);
    assert_true(back.has_keyidx);
    assert_false(back.has_tid);
    assert_int_equal(back.keyidx, 17);
    /* X alone (empty extension byte) survives the round trip. */
    in = (struct vp8_desc){.x = true};
    assert_int_equal(vp8_desc_write(&in, buf, sizeof(buf), &w), 0);
    assert_int_equal(w, 2);
    assert_int_equal(buf[0], 0x80);
    assert_int_equal(buf[1], 0x00);
}

static void test_write_rejects_out_of_range(void **state)
{
    (void)state;
    uint8_t buf[VP8_DESC_MAX_LEN];
    size_t w = 0;
    struct vp8_desc d = {.pid = 8};
    assert_int_equal(vp8_desc_write(&d, buf, sizeof(buf), &w), -EINVAL);
    d = (struct vp8_desc){.has_tid = true, .tid = 4};
    assert_int_equal(vp8_desc_write(&d, buf, sizeof(buf), &w), -EINVAL);
    d = (struct vp8_desc){.has_keyidx = true, .keyidx = 32};
    assert_int_equal(vp8_desc_write(&d, buf, sizeof(buf), &w), -EINVAL);
    d = (struct vp8_desc){.has_picture_id = true, .picture_id = 128};
    assert_int_equal(vp8_desc_write(&d, buf, sizeof(buf), &w), -EINVAL);
    d.picture_id_long = true;
    assert_int_equal(vp8_desc_write(&d, buf, sizeof(buf), &w), 0);
    assert_int_equal(w, 4);
    assert_int_equal(buf[2], 0x80);
    assert_int_equal(buf[3], 0x80);
    d.picture_id = 32768;
    assert_int_equal(vp8_desc_write(&d, buf, sizeof(buf), &w), -EINVAL);
    assert_int_equal(vp8_desc_write(NULL, buf, sizeof(buf), &w), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_key_frame),
        cmocka_unit_test(test_rfc_interframe),
        cmocka_unit_test(test_rfc_long_picture_id),
        cmocka_unit_test(test_key_frame_needs_start_of_partition_zero),
        cmocka_unit_test(test_chrome_key_frame_640x480),
        cmocka_unit_test(test_key_frame_scale_bits_and_bad_start_code),
        cmocka_unit_test(test_tid_y_keyidx_and_flags),
        cmocka_unit_test(test_truncated_at_every_byte),
        cmocka_unit_test(test_malformed_classes),
        cmocka_unit_test(test_rewrite_picture_id_15_bit_wraps),
        cmocka_unit_test(test_rewrite_picture_id_7_bit_wraps),
        cmocka_unit_test(test_rewrite_tl0_tid_keyidx),
        cmocka_unit_test(test_rewrite_absent_or_malformed),
        cmocka_unit_test(test_write_matches_chrome_bytes),
        cmocka_unit_test(test_write_round_trip),
        cmocka_unit_test(test_write_rejects_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
