#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/i420.h"
#include "media/core/testsrc_audio.h"
#include "media/core/testsrc_video.h"
#include "tests/unit/lib/pic.h"

static int try_read(const struct pic *p)
{
    uint32_t n;
    return testsrc_video_read_frame_number(p->img.y, p->img.stride_y, p->img.width, p->img.height,
                                           &n);
}

static void test_number_round_trip(void **state)
{
    (void)state;
    static const uint32_t numbers[] = {0, 1, 2, 29, 1000, 0x123456, 0xFFFFFE, 0xFFFFFF};
    struct pic p;
    pic_new(&p, 640, 360);
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        assert_int_equal(testsrc_video_fill(&p.img, numbers[i]), 0);
        assert_int_equal(pic_frame_number(&p.img), numbers[i]);
    }
    /* Numbers wrap at 2^24. */
    assert_int_equal(testsrc_video_fill(&p.img, 0x1000005), 0);
    assert_int_equal(pic_frame_number(&p.img), 5);
    pic_free(&p);
}

static void test_many_sizes(void **state)
{
    (void)state;
    static const int sizes[][2] = {{64, 8},    {64, 36},   {160, 90},   {320, 180},
                                   {641, 361}, {333, 101}, {1280, 720}, {1920, 1080}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct pic p;
        pic_new(&p, sizes[i][0], sizes[i][1]);
        for (uint32_t n = 0; n < 300; n += 37) {
            assert_int_equal(testsrc_video_fill(&p.img, n), 0);
            assert_int_equal(pic_frame_number(&p.img), n);
        }
        pic_free(&p);
    }
}

static void test_padded_strides(void **state)
{
    (void)state;
    int w = 320, h = 180, sy = 352, sc = 192;
    uint8_t *buf = calloc((size_t)(sy * h + 2 * sc * 90), 1);
    assert_non_null(buf);
    struct i420 img = {.y = buf,
                       .u = buf + sy * h,
                       .v = buf + sy * h + sc * 90,
                       .stride_y = sy,
                       .stride_u = sc,
                       .stride_v = sc,
                       .width = w,
                       .height = h};
    assert_int_equal(testsrc_video_fill(&img, 4242), 0);
    uint32_t n;
    assert_int_equal(testsrc_video_read_frame_number(buf, sy, w, h, &n), 0);
    assert_int_equal(n, 4242);
    /* Padding columns stay untouched. */
    for (int r = 0; r < h; r++)
        for (int c = w; c < sy; c++)
            assert_int_equal(buf[r * sy + c], 0);
    free(buf);
}

/* 2:1 box-filter downscale of the luma plane, as a simulcast layer would be. */
static void halve_luma(const struct pic *src, struct pic *dst)
{
    for (int y = 0; y < dst->img.height; y++)
        for (int x = 0; x < dst->img.width; x++) {
            const uint8_t *s = src->img.y + 2 * y * src->img.stride_y + 2 * x;
            int sum = s[0] + s[1] + s[src->img.stride_y] + s[src->img.stride_y + 1];
            dst->img.y[y * dst->img.stride_y + x] = (uint8_t)((sum + 2) / 4);
        }
}

static void test_survives_downscaling(void **state)
{
    (void)state;
    struct pic full, half, quarter;
    pic_new(&full, 640, 360);
    pic_new(&half, 320, 180);
    pic_new(&quarter, 160, 90);
    assert_int_equal(testsrc_video_fill(&full.img, 777777), 0);
    halve_luma(&full, &half);
    halve_luma(&half, &quarter);
    assert_int_equal(pic_frame_number(&half.img), 777777);
    assert_int_equal(pic_frame_number(&quarter.img), 777777);
    pic_free(&full);
    pic_free(&half);
    pic_free(&quarter);
}

static void test_survives_noise(void **state)
{
    (void)state;
    struct pic p;
    pic_new(&p, 640, 360);
    assert_int_equal(testsrc_video_fill(&p.img, 31337), 0);
    uint32_t seed = 1;
    for (int i = 0; i < 640 * 360; i++) {
        seed = seed * 1103515245u + 12345u;
        int v = p.img.y[i] + (int)((seed >> 16) % 81) - 40; /* +-40 */
        p.img.y[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    assert_int_equal(pic_frame_number(&p.img), 31337);
    pic_free(&p);
}

static void test_damaged_code_is_rejected(void **state)
{
    (void)state;
    struct pic p;
    pic_new(&p, 640, 360);
    int bs = 640 / 32;
    assert_int_equal(testsrc_video_fill(&p.img, 1234), 0);
    /* Flip one bit consistently in both rows: the CRC catches it. */
    for (int r = 0; r < 2 * bs; r++)
        for (int c = 5 * bs; c < 6 * bs; c++)
            p.img.y[r * 640 + c] = (uint8_t)(251 - p.img.y[r * 640 + c]);
    assert_int_equal(try_read(&p), -EBADMSG);
    /* A block that is neither black nor white against its twin. */
    assert_int_equal(testsrc_video_fill(&p.img, 1234), 0);
    for (int r = 0; r < 2 * bs; r++)
        memset(p.img.y + r * 640 + 9 * bs, 128, (size_t)bs);
    assert_int_equal(try_read(&p), -EBADMSG);
    /* A blank or uniformly grey picture. */
    memset(p.buf, 0, i420_size(640, 360));
    assert_int_equal(try_read(&p), -EBADMSG);
    memset(p.buf, 200, i420_size(640, 360));
    assert_int_equal(try_read(&p), -EBADMSG);
    pic_free(&p);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    uint8_t y[64 * 64] = {0};
    uint32_t n;
    assert_int_equal(testsrc_video_read_frame_number(NULL, 64, 64, 64, &n), -EINVAL);
    assert_int_equal(testsrc_video_read_frame_number(y, 64, 64, 64, NULL), -EINVAL);
    assert_int_equal(testsrc_video_read_frame_number(y, 63, 63, 64, &n), -EINVAL); /* narrow */
    assert_int_equal(testsrc_video_read_frame_number(y, 64, 64, 7, &n), -EINVAL);  /* short */
    assert_int_equal(testsrc_video_read_frame_number(y, 32, 64, 64, &n), -EINVAL); /* stride */
    struct pic p;
    pic_new(&p, 32, 32);
    assert_int_equal(testsrc_video_fill(&p.img, 0), -EINVAL);
    assert_int_equal(testsrc_video_fill(NULL, 0), -EINVAL);
    pic_free(&p);
    assert_int_equal(testsrc_video_code_rows(640), 40);
    assert_int_equal(testsrc_video_code_rows(63), 0);
}

static void test_picture_content(void **state)
{
    (void)state;
    struct pic a, b;
    pic_new(&a, 640, 360);
    pic_new(&b, 640, 360);
    assert_int_equal(testsrc_video_fill(&a.img, 10), 0);
    assert_int_equal(testsrc_video_fill(&b.img, 10), 0);
    assert_memory_equal(a.buf, b.buf, i420_size(640, 360)); /* deterministic */
    /* Colour bars between the code band and the textured bottom quarter,
     * row 200 (the box is higher up at frame 10); luma carries +-3 grain. */
    assert_in_range(a.img.y[200 * 640 + 200], 128, 134); /* cyan, 131 */
    assert_in_range(a.img.y[200 * 640 + 630], 13, 19);   /* black, 16 */
    assert_int_equal(a.img.u[100 * 320 + 60], 44);       /* yellow */
    assert_int_equal(a.img.v[100 * 320 + 60], 142);
    /* The textured bottom quarter is neither flat nor bars. */
    int lo = 255, hi = 0;
    for (int x = 0; x < 640; x++) {
        int v = a.img.y[350 * 640 + x];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    assert_true(hi - lo > 60);
    assert_int_equal(a.img.u[175 * 320 + 100], 128);
    /* The box moves: pictures under the code band differ from frame to frame. */
    assert_int_equal(testsrc_video_fill(&b.img, 11), 0);
    size_t band = 40 * 640;
    assert_memory_not_equal(a.buf + band, b.buf + band, 640 * 360 - band);
    pic_free(&a);
    pic_free(&b);
}

/* Positive-going zero crossings of channel 0 per second. */
static double crossing_freq(const int16_t *pcm, size_t frames, int channels)
{
    int crossings = 0;
    size_t first = 0, last = 0;
    for (size_t i = 1; i < frames; i++)
        if (pcm[(i - 1) * channels] < 0 && pcm[i * channels] >= 0) {
            if (crossings++ == 0)
                first = i;
            last = i;
        }
    return crossings < 2 ? 0 : (crossings - 1) * 48000.0 / (double)(last - first);
}

static double rms_dbfs(const int16_t *pcm, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)pcm[i] * pcm[i];
    return 10 * log10(sum / (double)n / (32768.0 * 32768.0));
}

static void test_tone_level_and_frequency(void **state)
{
    (void)state;
    static int16_t pcm[48000];
    struct testsrc_audio s;
    assert_int_equal(testsrc_audio_init_tone(&s, 1000, -20, 1), 0);
    testsrc_audio_fill(&s, pcm, 48000);
    assert_float_equal(rms_dbfs(pcm, 48000), -20.0, 0.05);
    assert_float_equal(crossing_freq(pcm, 48000, 1), 1000.0, 0.5);
    assert_int_equal(testsrc_audio_init_tone(&s, 440, -6, 1), 0);
    testsrc_audio_fill(&s, pcm, 48000);
    assert_float_equal(rms_dbfs(pcm, 48000), -6.0, 0.05);
    assert_float_equal(crossing_freq(pcm, 48000, 1), 440.0, 0.5);
    /* 0 dBFS RMS asks for more than full scale: the sine is capped. */
    assert_int_equal(testsrc_audio_init_tone(&s, 1000, 0, 1), 0);
    testsrc_audio_fill(&s, pcm, 4800);
    int peak = 0;
    for (int i = 0; i < 4800; i++)
        peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
    assert_int_equal(peak, 32767);
}

static void test_tone_continuous_and_stereo(void **state)
{
    (void)state;
    static int16_t once[2 * 2000], parts[2 * 2000];
    struct testsrc_audio a, b;
    assert_int_equal(testsrc_audio_init_tone(&a, 997, -12, 2), 0);
    assert_int_equal(testsrc_audio_init_tone(&b, 997, -12, 2), 0);
    testsrc_audio_fill(&a, once, 2000);
    testsrc_audio_fill(&b, parts, 960);
    testsrc_audio_fill(&b, parts + 2 * 960, 1040);
    assert_memory_equal(once, parts, sizeof(once));
    for (int i = 0; i < 2000; i++)
        assert_int_equal(once[2 * i], once[2 * i + 1]);
}

static void test_chirp_sweeps_up(void **state)
{
    (void)state;
    static int16_t pcm[48000];
    struct testsrc_audio s;
    assert_int_equal(testsrc_audio_init_chirp(&s, 200, 4000, 1.0, -10, 1), 0);
    testsrc_audio_fill(&s, pcm, 48000);
    /* Mean frequency of the first and last tenth: ~390 Hz and ~3810 Hz. */
    double lo = crossing_freq(pcm, 4800, 1), hi = crossing_freq(pcm + 43200, 4800, 1);
    assert_float_equal(lo, 390, 15);
    assert_float_equal(hi, 3810, 40);
    assert_float_equal(rms_dbfs(pcm, 48000), -10.0, 0.1);
    /* The sweep starts over after a second. */
    testsrc_audio_fill(&s, pcm, 4800);
    assert_float_equal(crossing_freq(pcm, 4800, 1), 390, 15);
}

static void test_audio_bad_arguments(void **state)
{
    (void)state;
    struct testsrc_audio s;
    assert_int_equal(testsrc_audio_init_tone(NULL, 1000, -20, 1), -EINVAL);
    assert_int_equal(testsrc_audio_init_tone(&s, 0, -20, 1), -EINVAL);
    assert_int_equal(testsrc_audio_init_tone(&s, 24000, -20, 1), -EINVAL);
    assert_int_equal(testsrc_audio_init_tone(&s, 1000, 1, 1), -EINVAL);
    assert_int_equal(testsrc_audio_init_tone(&s, 1000, NAN, 1), -EINVAL);
    assert_int_equal(testsrc_audio_init_tone(&s, 1000, -20, 0), -EINVAL);
    assert_int_equal(testsrc_audio_init_tone(&s, 1000, -20, 9), -EINVAL);
    assert_int_equal(testsrc_audio_init_chirp(&s, 100, 200, -1, -20, 1), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_round_trip),
        cmocka_unit_test(test_many_sizes),
        cmocka_unit_test(test_padded_strides),
        cmocka_unit_test(test_survives_downscaling),
        cmocka_unit_test(test_survives_noise),
        cmocka_unit_test(test_damaged_code_is_rejected),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_picture_content),
        cmocka_unit_test(test_tone_level_and_frequency),
        cmocka_unit_test(test_tone_continuous_and_stereo),
        cmocka_unit_test(test_chirp_sweeps_up),
        cmocka_unit_test(test_audio_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
