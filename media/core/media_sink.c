#include "media/core/media_sink.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* A crossing counts only once the signal has left a band of +-HYSTERESIS
 * around zero, so coding noise on a quiet tone does not add crossings. */
#define HYSTERESIS 64

int media_sink_video_init(struct media_sink_video *s, int64_t window_us)
{
    if (!s || window_us <= 0)
        return -EINVAL;
    memset(s, 0, sizeof(*s));
    s->window_us = window_us;
    return 0;
}

void media_sink_video_handle_frame(struct media_sink_video *s, int width, int height,
                                   int64_t now_us)
{
    if (s->frames > 0 && (width != s->width || height != s->height))
        s->resolution_changes++;
    s->frames++;
    s->width = width;
    s->height = height;
    s->times[s->head] = now_us;
    s->head = (s->head + 1) % MEDIA_SINK_FPS_RING;
    if (s->count < MEDIA_SINK_FPS_RING)
        s->count++;
}

void media_sink_video_handle_number(struct media_sink_video *s, uint32_t number)
{
    if (s->have_number) {
        /* Signed 24-bit distance, so the testsrc wrap at 2^24 counts as +1. */
        int32_t d = (int32_t)((number - s->last_number) << 8) >> 8;
        if (d <= 0) {
            s->numbers_reordered++;
            return;
        }
        s->numbers_missing += (uint64_t)(d - 1);
    }
    s->have_number = true;
    s->last_number = number;
}

double media_sink_video_fps(const struct media_sink_video *s, int64_t now_us)
{
    unsigned k = 0;
    int64_t newest = 0, oldest = 0;
    for (unsigned i = 0; i < s->count; i++) {
        unsigned idx = (s->head + MEDIA_SINK_FPS_RING - 1 - i) % MEDIA_SINK_FPS_RING;
        int64_t t = s->times[idx];
        if (t > now_us)
            continue; /* a frame from the caller's future: not in this window */
        if (t <= now_us - s->window_us)
            break;
        if (k == 0)
            newest = t;
        oldest = t;
        k++;
    }
    if (k < 2 || newest <= oldest)
        return 0;
    return (double)(k - 1) * 1e6 / (double)(newest - oldest);
}

void media_sink_audio_init(struct media_sink_audio *a, int channels)
{
    memset(a, 0, sizeof(*a));
    a->channels = channels > 0 ? channels : 1;
}

void media_sink_audio_reset(struct media_sink_audio *a)
{
    media_sink_audio_init(a, a->channels);
}

static void track_crossing(struct media_sink_audio *a, int16_t v)
{
    int sign = v > HYSTERESIS ? 1 : v < -HYSTERESIS ? -1 : 0;
    if (sign == 0)
        return;
    if (sign > 0 && a->sign < 0) {
        if (a->crossings == 0)
            a->first_crossing = a->frame_index;
        a->last_crossing = a->frame_index;
        a->crossings++;
    }
    a->sign = sign;
}

void media_sink_audio_handle_samples(struct media_sink_audio *a, const int16_t *pcm, size_t frames)
{
    size_t ch = (size_t)a->channels;
    for (size_t i = 0; i < frames; i++) {
        for (size_t c = 0; c < ch; c++) {
            double v = pcm[i * ch + c];
            a->sum_sq += v * v;
        }
        track_crossing(a, pcm[i * ch]);
        a->frame_index++;
    }
    a->samples += frames * ch;
}

static double dbfs_of(double sum_sq, uint64_t n)
{
    if (n == 0 || sum_sq <= 0)
        return MEDIA_SINK_SILENCE_DBFS;
    double db = 10.0 * log10(sum_sq / (double)n / (32768.0 * 32768.0));
    return db < MEDIA_SINK_SILENCE_DBFS ? MEDIA_SINK_SILENCE_DBFS : db;
}

double media_sink_audio_dbfs(const struct media_sink_audio *a)
{
    return dbfs_of(a->sum_sq, a->samples);
}

double media_sink_audio_freq_hz(const struct media_sink_audio *a, int sample_rate)
{
    if (a->crossings < 2 || a->last_crossing <= a->first_crossing)
        return 0;
    return (double)(a->crossings - 1) * sample_rate /
           (double)(a->last_crossing - a->first_crossing);
}

double media_sink_dbfs(const int16_t *pcm, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)pcm[i] * pcm[i];
    return dbfs_of(sum, n);
}

uint8_t media_sink_rfc6464_level(double dbfs)
{
    if (isnan(dbfs))
        return 127;
    if (dbfs >= 0)
        return 0;
    double level = -dbfs;
    return level >= 127 ? 127 : (uint8_t)lrint(level);
}
