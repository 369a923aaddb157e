/* libFuzzer target: the test pattern's frame-number reader and the audio
 * level meters on arbitrary pixels and samples.
 *
 * Input: byte 0 picks the width (64..127), byte 1 the stride padding (0..7),
 * the rest is the luma plane, as many whole rows as fit. The reader must stay
 * inside the plane; a number it accepts must survive a redraw of that frame;
 * the same bytes as int16 samples must give a level in range. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/i420.h"
#include "media/core/media_sink.h"
#include "media/core/testsrc_video.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

static void check_redraw(uint32_t n, int w, int h)
{
    size_t size = i420_size(w, h);
    uint8_t *buf = malloc(size);
    CHECK(buf);
    struct i420 img;
    CHECK(i420_wrap(&img, buf, size, w, h) == 0);
    CHECK(testsrc_video_fill(&img, n) == 0);
    uint32_t again;
    CHECK(testsrc_video_read_frame_number(img.y, img.stride_y, w, h, &again) == 0);
    CHECK(again == n);
    free(buf);
}

static void check_audio(const uint8_t *data, size_t size)
{
    size_t n = size / 2;
    int16_t *pcm = malloc(n ? n * sizeof(*pcm) : 1);
    CHECK(pcm);
    memcpy(pcm, data, n * sizeof(*pcm));
    double db = media_sink_dbfs(pcm, n);
    CHECK(db >= MEDIA_SINK_SILENCE_DBFS && db <= 0.01);
    CHECK(media_sink_rfc6464_level(db) <= 127);
    struct media_sink_audio a;
    media_sink_audio_init(&a, 1 + (int)(n % 2));
    media_sink_audio_handle_samples(&a, pcm, n / (size_t)a.channels);
    double f = media_sink_audio_freq_hz(&a, 48000);
    CHECK(f >= 0 && f <= 24000);
    free(pcm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2) {
        int w = 64 + data[0] % 64;
        int stride = w + data[1] % 8;
        size_t rows = (size - 2) / (size_t)stride;
        if (rows > 0 && rows <= I420_MAX_DIM) {
            /* An exact-size copy so a sanitizer sees any read past the plane. */
            uint8_t *plane = malloc(rows * (size_t)stride);
            CHECK(plane);
            memcpy(plane, data + 2, rows * (size_t)stride);
            uint32_t n = 0;
            int rc = testsrc_video_read_frame_number(plane, stride, w, (int)rows, &n);
            CHECK(rc == 0 || rc == -EBADMSG || rc == -EINVAL);
            CHECK(rc != -EINVAL || (int)rows < 4 * (w / 32));
            if (rc == 0) {
                CHECK(n <= TESTSRC_VIDEO_NUMBER_MASK);
                check_redraw(n, w, (int)rows);
            }
            free(plane);
        }
    }
    check_audio(data, size);
    return 0;
}
