#include "media/core/testsrc_audio.h"

#include <errno.h>
#include <math.h>

#define TWO_PI 6.283185307179586

double testsrc_audio_sine_peak(double dbfs)
{
    /* RMS of a sine is peak / sqrt(2); full scale is 32768. */
    double peak = 32768.0 * sqrt(2.0) * pow(10.0, dbfs / 20.0);
    return peak > 32767.0 ? 32767.0 : peak;
}

static int valid_freq(double f)
{
    return f > 0 && f < TESTSRC_AUDIO_RATE / 2.0;
}

int testsrc_audio_init_tone(struct testsrc_audio *s, double freq_hz, double dbfs, int channels)
{
    return testsrc_audio_init_chirp(s, freq_hz, freq_hz, 0, dbfs, channels);
}

int testsrc_audio_init_chirp(struct testsrc_audio *s, double f0_hz, double f1_hz, double seconds,
                             double dbfs, int channels)
{
    if (!s || !valid_freq(f0_hz) || !valid_freq(f1_hz) || !(dbfs <= 0) || channels < 1 ||
        channels > TESTSRC_AUDIO_MAX_CHANNELS || !(seconds >= 0) || seconds > 3600)
        return -EINVAL;
    s->channels = channels;
    s->amp = testsrc_audio_sine_peak(dbfs);
    s->phase = 0;
    s->f0_hz = f0_hz;
    s->f1_hz = f1_hz;
    s->sweep_len = (int64_t)(seconds * TESTSRC_AUDIO_RATE);
    s->pos = 0;
    return 0;
}

static double freq_now(const struct testsrc_audio *s)
{
    if (s->sweep_len <= 0)
        return s->f0_hz;
    return s->f0_hz + (s->f1_hz - s->f0_hz) * (double)s->pos / (double)s->sweep_len;
}

void testsrc_audio_fill(struct testsrc_audio *s, int16_t *out, size_t frames)
{
    for (size_t i = 0; i < frames; i++) {
        double v = s->amp * sin(s->phase);
        int16_t sample = (int16_t)lrint(v);
        for (int c = 0; c < s->channels; c++)
            out[i * (size_t)s->channels + (size_t)c] = sample;
        s->phase += TWO_PI * freq_now(s) / TESTSRC_AUDIO_RATE;
        if (s->phase >= TWO_PI)
            s->phase -= TWO_PI;
        if (s->sweep_len > 0 && ++s->pos >= s->sweep_len)
            s->pos = 0;
    }
}
