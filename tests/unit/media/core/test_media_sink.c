#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "media/core/media_sink.h"
#include "media/core/testsrc_audio.h"

#define SEC 1000000

static void test_fps_steady_stream(void **state)
{
    (void)state;
    struct media_sink_video s;
    assert_int_equal(media_sink_video_init(&s, 1 * SEC), 0);
    assert_float_equal(media_sink_video_fps(&s, 0), 0, 0);
    int64_t t = 5 * SEC; /* any epoch */
    for (int i = 0; i < 90; i++, t += SEC / 30)
        media_sink_video_handle_frame(&s, 640, 360, t);
    t -= SEC / 30;
    assert_float_equal(media_sink_video_fps(&s, t), 30.0, 0.05);
    assert_int_equal(s.frames, 90);
    assert_int_equal(s.width, 640);
    assert_int_equal(s.height, 360);
    assert_int_equal(s.resolution_changes, 0);
    /* 15 fps afterwards: after one window the reading follows. */
    for (int i = 0; i < 30; i++) {
        t += SEC / 15;
        media_sink_video_handle_frame(&s, 640, 360, t);
    }
    assert_float_equal(media_sink_video_fps(&s, t), 15.0, 0.05);
}

static void test_fps_stall_and_first_frames(void **state)
{
    (void)state;
    struct media_sink_video s;
    assert_int_equal(media_sink_video_init(&s, 2 * SEC), 0);
    media_sink_video_handle_frame(&s, 320, 180, 0);
    assert_float_equal(media_sink_video_fps(&s, 0), 0, 0); /* one frame: no rate */
    media_sink_video_handle_frame(&s, 320, 180, 40000);
    assert_float_equal(media_sink_video_fps(&s, 40000), 25.0, 0.01);
    /* Nothing for a window: the rate drops to 0. */
    assert_float_equal(media_sink_video_fps(&s, 40000 + 2 * SEC), 0, 0);
    /* Frames newer than now_us are ignored, not counted. */
    assert_float_equal(media_sink_video_fps(&s, 20000), 0, 0);
}

static void test_fps_ring_overflow(void **state)
{
    (void)state;
    struct media_sink_video s;
    assert_int_equal(media_sink_video_init(&s, 60 * SEC), 0);
    int64_t t = 0;
    for (int i = 0; i < 3 * MEDIA_SINK_FPS_RING; i++, t += SEC / 60)
        media_sink_video_handle_frame(&s, 1280, 720, t);
    /* Only the last MEDIA_SINK_FPS_RING frames are kept; the rate holds. */
    assert_float_equal(media_sink_video_fps(&s, t), 60.0, 0.1);
}

static void test_resolution_changes(void **state)
{
    (void)state;
    struct media_sink_video s;
    assert_int_equal(media_sink_video_init(&s, SEC), 0);
    media_sink_video_handle_frame(&s, 640, 360, 0);
    media_sink_video_handle_frame(&s, 640, 360, 1);
    media_sink_video_handle_frame(&s, 320, 180, 2);
    media_sink_video_handle_frame(&s, 320, 180, 3);
    media_sink_video_handle_frame(&s, 640, 360, 4);
    assert_int_equal(s.resolution_changes, 2);
    assert_int_equal(s.width, 640);
    assert_int_equal(media_sink_video_init(&s, 0), -EINVAL);
    assert_int_equal(media_sink_video_init(NULL, SEC), -EINVAL);
}

static void test_frame_numbers(void **state)
{
    (void)state;
    struct media_sink_video s;
    assert_int_equal(media_sink_video_init(&s, SEC), 0);
    static const uint32_t seq[] = {10, 11, 12, 15, 14, 16, 16, 0xFFFFFE, 0xFFFFFF};
    for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
        media_sink_video_handle_number(&s, seq[i]);
    /* 13, 14 skipped then 14 late; 16 twice; the jump to 0xFFFFFE is 2^24 - 18
     * behind 16 in 24-bit serial arithmetic: counted as reordered. */
    assert_int_equal(s.numbers_missing, 2);
    assert_int_equal(s.numbers_reordered, 4);
    /* Wrap at 2^24 is continuity. */
    assert_int_equal(media_sink_video_init(&s, SEC), 0);
    media_sink_video_handle_number(&s, 0xFFFFFE);
    media_sink_video_handle_number(&s, 0xFFFFFF);
    media_sink_video_handle_number(&s, 0);
    media_sink_video_handle_number(&s, 2);
    assert_int_equal(s.numbers_missing, 1);
    assert_int_equal(s.numbers_reordered, 0);
    assert_int_equal(s.last_number, 2);
}

static void test_dbfs_reference_points(void **state)
{
    (void)state;
    int16_t square[480], silence[480] = {0};
    for (int i = 0; i < 480; i++)
        square[i] = (i / 24) % 2 ? -32768 : 32767;
    /* A full-scale square wave is 0 dBFS, the top of the RFC 6464 scale. */
    assert_float_equal(media_sink_dbfs(square, 480), 0.0, 0.01);
    assert_int_equal(media_sink_rfc6464_level(media_sink_dbfs(square, 480)), 0);
    assert_float_equal(media_sink_dbfs(silence, 480), MEDIA_SINK_SILENCE_DBFS, 0);
    assert_int_equal(media_sink_rfc6464_level(media_sink_dbfs(silence, 480)), 127);
    assert_float_equal(media_sink_dbfs(silence, 0), MEDIA_SINK_SILENCE_DBFS, 0);
    /* A single LSB of DC: 20 log10(1/32768) = -90.3 dBFS. */
    int16_t lsb[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    assert_float_equal(media_sink_dbfs(lsb, 10), -90.31, 0.01);
    assert_int_equal(media_sink_rfc6464_level(-90.31), 90);
    assert_int_equal(media_sink_rfc6464_level(-0.4), 0);
    assert_int_equal(media_sink_rfc6464_level(-126.6), 127);
    assert_int_equal(media_sink_rfc6464_level(-300), 127);
    assert_int_equal(media_sink_rfc6464_level(3), 0);
    assert_int_equal(media_sink_rfc6464_level(NAN), 127);
}

static void test_audio_tone_measured(void **state)
{
    (void)state;
    static int16_t pcm[2 * 960];
    struct testsrc_audio src;
    struct media_sink_audio a;
    assert_int_equal(testsrc_audio_init_tone(&src, 1000, -23, 2), 0);
    media_sink_audio_init(&a, 2);
    for (int i = 0; i < 50; i++) { /* one second in 20 ms frames */
        testsrc_audio_fill(&src, pcm, 960);
        media_sink_audio_handle_samples(&a, pcm, 960);
    }
    assert_float_equal(media_sink_audio_dbfs(&a), -23.0, 0.05);
    assert_int_equal(media_sink_rfc6464_level(media_sink_audio_dbfs(&a)), 23);
    assert_float_equal(media_sink_audio_freq_hz(&a, 48000), 1000.0, 0.5);
    /* A new window measures the new signal only. */
    media_sink_audio_reset(&a);
    assert_float_equal(media_sink_audio_dbfs(&a), MEDIA_SINK_SILENCE_DBFS, 0);
    assert_float_equal(media_sink_audio_freq_hz(&a, 48000), 0, 0);
    assert_int_equal(testsrc_audio_init_tone(&src, 300, -40, 2), 0);
    for (int i = 0; i < 25; i++) {
        testsrc_audio_fill(&src, pcm, 960);
        media_sink_audio_handle_samples(&a, pcm, 960);
    }
    assert_float_equal(media_sink_audio_dbfs(&a), -40.0, 0.1);
    assert_float_equal(media_sink_audio_freq_hz(&a, 48000), 300.0, 0.5);
}

static void test_audio_noise_below_hysteresis(void **state)
{
    (void)state;
    int16_t pcm[4800];
    for (int i = 0; i < 4800; i++)
        pcm[i] = (int16_t)((i % 3) * 20 - 20); /* -20, 0, 20: no crossings */
    struct media_sink_audio a;
    media_sink_audio_init(&a, 1);
    media_sink_audio_handle_samples(&a, pcm, 4800);
    assert_float_equal(media_sink_audio_freq_hz(&a, 48000), 0, 0);
    assert_true(media_sink_audio_dbfs(&a) < -60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fps_steady_stream),
        cmocka_unit_test(test_fps_stall_and_first_frames),
        cmocka_unit_test(test_fps_ring_overflow),
        cmocka_unit_test(test_resolution_changes),
        cmocka_unit_test(test_frame_numbers),
        cmocka_unit_test(test_dbfs_reference_points),
        cmocka_unit_test(test_audio_tone_measured),
        cmocka_unit_test(test_audio_noise_below_hysteresis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
