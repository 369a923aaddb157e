#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media/codec/vp8_dec.h"
#include "media/codec/vp8_enc.h"
#include "media/core/i420.h"
#include "media/core/mem.h"
#include "media/core/testsrc_video.h"
#include "tests/unit/lib/pic.h"

#define W 640
#define H 360
#define FRAME_US 33333

static double plane_sse(const uint8_t *a, int sa, const uint8_t *b, int sb, int w, int h)
{
    double sse = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int d = a[y * sa + x] - b[y * sb + x];
            sse += d * d;
        }
    return sse;
}

/* PSNR over all three planes, 8-bit peak. */
static double psnr(const struct i420 *a, const struct i420 *b)
{
    int cw = i420_chroma_dim(a->width), ch = i420_chroma_dim(a->height);
    double sse = plane_sse(a->y, a->stride_y, b->y, b->stride_y, a->width, a->height) +
                 plane_sse(a->u, a->stride_u, b->u, b->stride_u, cw, ch) +
                 plane_sse(a->v, a->stride_v, b->v, b->stride_v, cw, ch);
    double n = (double)a->width * a->height + 2.0 * cw * ch;
    return sse == 0 ? 99.0 : 10 * log10(255.0 * 255.0 * n / sse);
}

/* Encode picture i; exactly one frame must come out. */
static void encode_one(struct vp8_enc *e, struct pic *p, uint32_t i, struct vp8_enc_frame *f)
{
    assert_int_equal(testsrc_video_fill(&p->img, i), 0);
    assert_int_equal(vp8_enc_encode(e, &p->img, (int64_t)i * FRAME_US), 0);
    assert_true(vp8_enc_next(e, f));
    assert_int_equal(f->pts_us, (int64_t)i * FRAME_US);
    struct vp8_enc_frame extra;
    assert_false(vp8_enc_next(e, &extra));
}

static void test_round_trip_reads_every_number(void **state)
{
    (void)state;
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, W, H);
    cfg.bitrate_kbps = 800;
    struct vp8_enc *e;
    struct vp8_dec *d;
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    assert_int_equal(vp8_dec_create(1, &d), 0);
    struct pic p;
    pic_new(&p, W, H);
    size_t bytes = 0;
    double worst = 99;
    for (uint32_t i = 0; i < 30; i++) {
        if (i == 20)
            vp8_enc_request_key_frame(e);
        struct vp8_enc_frame f;
        encode_one(e, &p, i, &f);
        assert_int_equal(f.is_key, i == 0 || i == 20);
        assert_int_equal(f.temporal_id, 0);
        bytes += f.len;
        struct vp8_dec_frame out;
        assert_int_equal(vp8_dec_decode(d, f.data, f.len, &out), 0);
        assert_int_equal(out.img.width, W);
        assert_int_equal(out.img.height, H);
        assert_int_equal(out.is_key, f.is_key);
        assert_false(out.corrupt);
        assert_int_equal(pic_frame_number(&out.img), i);
        double q = psnr(&p.img, &out.img);
        worst = q < worst ? q : worst;
    }
    assert_true(worst > 30.0);
    /* One second at 800 kbps is 100 kB; allow the two key frames on top. */
    assert_true(bytes > 30000 && bytes < 200000);
    assert_int_equal(vp8_dec_errors(d), 0);
    assert_int_equal(vp8_dec_corrupt_frames(d), 0);
    vp8_enc_destroy(e);
    vp8_dec_destroy(d);
    pic_free(&p);
}

static void test_temporal_layers_drop_layer_one(void **state)
{
    (void)state;
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, 320, 180);
    cfg.bitrate_kbps = 400;
    cfg.temporal_layers = 2;
    struct vp8_enc *e;
    struct vp8_dec *all, *base;
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    assert_int_equal(vp8_dec_create(1, &all), 0);
    assert_int_equal(vp8_dec_create(1, &base), 0);
    struct pic p;
    pic_new(&p, 320, 180);
    for (uint32_t i = 0; i < 24; i++) {
        if (i == 13) /* lands on a layer-1 slot: the key frame restarts the pattern */
            vp8_enc_request_key_frame(e);
        struct vp8_enc_frame f;
        encode_one(e, &p, i, &f);
        int tid = i < 13 ? (int)(i % 2) : (int)((i - 13) % 2);
        assert_int_equal(f.temporal_id, tid);
        assert_int_equal(f.droppable, tid == 1);
        assert_int_equal(f.is_key, i == 0 || i == 13);
        struct vp8_dec_frame out;
        assert_int_equal(vp8_dec_decode(all, f.data, f.len, &out), 0);
        assert_int_equal(pic_frame_number(&out.img), i);
        if (tid == 1)
            continue; /* what an SFU forwarding layer 0 only would drop */
        assert_int_equal(vp8_dec_decode(base, f.data, f.len, &out), 0);
        assert_false(out.corrupt);
        assert_int_equal(pic_frame_number(&out.img), i);
    }
    vp8_enc_destroy(e);
    vp8_dec_destroy(all);
    vp8_dec_destroy(base);
    pic_free(&p);
}

/* Encodes n frames of 320x180 into a caller array of copies. */
struct coded {
    uint8_t data[64 * 1024];
    size_t len;
    bool is_key;
};

static void encode_stream(struct coded *c, int n, int key_at)
{
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, 320, 180);
    struct vp8_enc *e;
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    struct pic p;
    pic_new(&p, 320, 180);
    for (int i = 0; i < n; i++) {
        if (i == key_at)
            vp8_enc_request_key_frame(e);
        struct vp8_enc_frame f;
        encode_one(e, &p, (uint32_t)i, &f);
        assert_true(f.len <= sizeof(c[i].data));
        memcpy(c[i].data, f.data, f.len);
        c[i].len = f.len;
        c[i].is_key = f.is_key;
    }
    vp8_enc_destroy(e);
    pic_free(&p);
}

/* Size of the first partition of an inter frame (RFC 6386 §9.1). */
static size_t first_partition_len(const struct coded *c)
{
    return (size_t)((c->data[0] | c->data[1] << 8 | c->data[2] << 16) >> 5);
}

static void test_damage_is_reported_until_key_frame(void **state)
{
    (void)state;
    static struct coded c[16];
    encode_stream(c, 16, 8);
    struct vp8_dec *d;
    assert_int_equal(vp8_dec_create(1, &d), 0);
    struct vp8_dec_frame out;
    /* An inter frame before any key frame cannot be decoded. */
    assert_int_equal(vp8_dec_decode(d, c[1].data, c[1].len, &out), -EBADMSG);
    assert_int_equal(vp8_dec_decode(d, c[0].data, c[0].len, &out), 0);
    assert_false(out.corrupt);
    assert_int_equal(vp8_dec_decode(d, c[1].data, c[1].len, &out), 0);
    assert_false(out.corrupt);
    /* Frame 2 arrives cut inside its first partition: not decodable. */
    size_t p0 = first_partition_len(&c[2]);
    assert_true(3 + p0 < c[2].len);
    assert_int_equal(vp8_dec_decode(d, c[2].data, p0 / 2, &out), -EBADMSG);
    for (int i = 3; i < 8; i++) {
        assert_int_equal(vp8_dec_decode(d, c[i].data, c[i].len, &out), 0);
        assert_true(out.corrupt);
    }
    assert_true(c[8].is_key);
    assert_int_equal(vp8_dec_decode(d, c[8].data, c[8].len, &out), 0);
    assert_true(out.is_key);
    assert_false(out.corrupt);
    assert_int_equal(pic_frame_number(&out.img), 8);
    /* Frame 9 cut in its token partition: decodes, but damaged, and so is
     * everything predicted from it. */
    size_t cut = 3 + first_partition_len(&c[9]) + (c[9].len - 3 - first_partition_len(&c[9])) / 2;
    assert_int_equal(vp8_dec_decode(d, c[9].data, cut, &out), 0);
    assert_true(out.corrupt);
    assert_int_equal(vp8_dec_decode(d, c[10].data, c[10].len, &out), 0);
    assert_true(out.corrupt);
    assert_int_equal(vp8_dec_errors(d), 2);
    assert_int_equal(vp8_dec_corrupt_frames(d), 7);
    vp8_dec_destroy(d);
}

static void test_reported_loss_marks_corrupt(void **state)
{
    (void)state;
    static struct coded c[6];
    encode_stream(c, 6, -1);
    struct vp8_dec *d;
    assert_int_equal(vp8_dec_create(1, &d), 0);
    struct vp8_dec_frame out;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(vp8_dec_decode(d, c[i].data, c[i].len, &out), 0);
        assert_false(out.corrupt);
    }
    /* Frame 3 never arrived; libvpx cannot know, the caller tells it. */
    vp8_dec_mark_lost(d);
    assert_int_equal(vp8_dec_decode(d, c[4].data, c[4].len, &out), 0);
    assert_true(out.corrupt);
    assert_int_equal(vp8_dec_decode(d, c[5].data, c[5].len, &out), 0);
    assert_true(out.corrupt);
    /* A key frame heals it. */
    assert_int_equal(vp8_dec_decode(d, c[0].data, c[0].len, &out), 0);
    assert_false(out.corrupt);
    assert_int_equal(vp8_dec_errors(d), 0);
    vp8_dec_destroy(d);
}

static void test_garbage_and_bad_arguments(void **state)
{
    (void)state;
    struct vp8_dec *d;
    assert_int_equal(vp8_dec_create(1, &d), 0);
    struct vp8_dec_frame out;
    uint8_t junk[3] = {0x10, 0x02, 0x00}; /* a key frame tag with no start code */
    assert_int_equal(vp8_dec_decode(d, junk, sizeof(junk), &out), -EBADMSG);
    assert_int_equal(vp8_dec_decode(d, junk, 0, &out), -EINVAL);
    assert_int_equal(vp8_dec_decode(d, NULL, 3, &out), -EINVAL);
    assert_int_equal(vp8_dec_create(0, &d), -EINVAL);
    vp8_dec_destroy(d);

    struct vp8_enc_cfg cfg;
    struct vp8_enc *e;
    vp8_enc_cfg_default(&cfg, 8, 8);
    assert_int_equal(vp8_enc_create(&cfg, &e), -EINVAL);
    vp8_enc_cfg_default(&cfg, 320, 180);
    cfg.temporal_layers = 3;
    assert_int_equal(vp8_enc_create(&cfg, &e), -EINVAL);
    vp8_enc_cfg_default(&cfg, 320, 180);
    cfg.cpu_used = 2;
    assert_int_equal(vp8_enc_create(&cfg, &e), -EINVAL);
    vp8_enc_cfg_default(&cfg, 320, 180);
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    struct pic p;
    pic_new(&p, 640, 360);
    assert_int_equal(testsrc_video_fill(&p.img, 0), 0);
    assert_int_equal(vp8_enc_encode(e, &p.img, 0), -EINVAL); /* wrong size */
    assert_int_equal(vp8_enc_encode(e, NULL, 0), -EINVAL);
    assert_int_equal(vp8_enc_set_bitrate(e, 5), -EINVAL);
    vp8_enc_destroy(e);
    vp8_enc_destroy(NULL);
    vp8_dec_destroy(NULL);
    pic_free(&p);
}

static void test_padded_input_strides(void **state)
{
    (void)state;
    int w = 320, h = 180, sy = 384, sc = 208;
    uint8_t *buf = calloc((size_t)(sy * h + 2 * sc * 90), 1);
    assert_non_null(buf);
    struct i420 img = {buf, buf + sy * h, buf + sy * h + sc * 90, sy, sc, sc, w, h};
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, w, h);
    struct vp8_enc *e;
    struct vp8_dec *d;
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    assert_int_equal(vp8_dec_create(2, &d), 0);
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(testsrc_video_fill(&img, 100 + i), 0);
        assert_int_equal(vp8_enc_encode(e, &img, i * FRAME_US), 0);
        struct vp8_enc_frame f;
        assert_true(vp8_enc_next(e, &f));
        struct vp8_dec_frame out;
        assert_int_equal(vp8_dec_decode(d, f.data, f.len, &out), 0);
        assert_int_equal(pic_frame_number(&out.img), 100 + i);
        assert_true(psnr(&img, &out.img) > 30.0);
    }
    vp8_enc_destroy(e);
    vp8_dec_destroy(d);
    free(buf);
}

static size_t encode_bytes(struct vp8_enc *e, struct pic *p, uint32_t from, uint32_t n)
{
    size_t bytes = 0;
    for (uint32_t i = from; i < from + n; i++) {
        struct vp8_enc_frame f;
        encode_one(e, p, i, &f);
        bytes += f.len;
    }
    return bytes;
}

static void test_bitrate_change(void **state)
{
    (void)state;
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, 320, 180);
    cfg.bitrate_kbps = 1500;
    struct vp8_enc *e;
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    struct pic p;
    pic_new(&p, 320, 180);
    (void)encode_bytes(e, &p, 0, 30);
    size_t high = encode_bytes(e, &p, 30, 30);
    assert_int_equal(vp8_enc_set_bitrate(e, 150), 0);
    (void)encode_bytes(e, &p, 60, 30);
    size_t low = encode_bytes(e, &p, 90, 30);
    assert_true(low * 3 < high);
    /* Within a factor of two of the target (150 kbps = 18750 bytes a second). */
    assert_true(low > 18750 / 2 && low < 18750 * 2);
    vp8_enc_destroy(e);
    pic_free(&p);
}

static void test_create_allocation_failure(void **state)
{
    (void)state;
    long live = mem_live_count();
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, 320, 180);
    struct vp8_enc *e = NULL;
    struct vp8_dec *d = NULL;
    mem_fail_nth(1);
    assert_int_equal(vp8_enc_create(&cfg, &e), -ENOMEM);
    assert_int_equal(vp8_dec_create(1, &d), -ENOMEM);
    mem_fail_nth(0);
    assert_null(e);
    assert_null(d);
    assert_int_equal(mem_live_count(), live);
    /* One allocation each through mem.h; the second attempt succeeds. */
    mem_fail_nth(2);
    assert_int_equal(vp8_enc_create(&cfg, &e), 0);
    assert_int_equal(mem_alloc_count(), 1);
    mem_fail_nth(2);
    assert_int_equal(vp8_dec_create(1, &d), 0);
    assert_int_equal(mem_alloc_count(), 1);
    mem_fail_nth(0);
    vp8_enc_destroy(e);
    vp8_dec_destroy(d);
    assert_int_equal(mem_live_count(), live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_reads_every_number),
        cmocka_unit_test(test_temporal_layers_drop_layer_one),
        cmocka_unit_test(test_damage_is_reported_until_key_frame),
        cmocka_unit_test(test_reported_loss_marks_corrupt),
        cmocka_unit_test(test_garbage_and_bad_arguments),
        cmocka_unit_test(test_padded_input_strides),
        cmocka_unit_test(test_bitrate_change),
        cmocka_unit_test(test_create_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
