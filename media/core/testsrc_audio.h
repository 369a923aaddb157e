/* testsrc_audio — synthetic audio at 48 kHz, int16, interleaved: a steady
 * sine tone or a repeating linear chirp, the same signal on every channel.
 *
 * Levels are RMS dBFS with 0 dBFS the RMS of a full-scale square wave (the
 * reference RFC 6464 levels and media_sink use), so a sine's peak sits
 * 3.01 dB above its level; a sine louder than -3.01 dBFS is clipped.
 *
 * struct testsrc_audio is a plain value the caller owns; the phase carries
 * over between testsrc_audio_fill() calls, so a stream can be produced in
 * frames of any size. Errors: -EINVAL for out-of-range arguments. Nothing
 * here allocates.
 */
#ifndef CAU_TESTSRC_AUDIO_H
#define CAU_TESTSRC_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define TESTSRC_AUDIO_RATE 48000
#define TESTSRC_AUDIO_MAX_CHANNELS 8

struct testsrc_audio {
    int channels;
    double amp;   /* peak amplitude, <= 32767 */
    double phase; /* radians, in [0, 2 pi) */
    double f0_hz, f1_hz;
    int64_t sweep_len; /* samples per chirp sweep; 0 for a steady tone */
    int64_t pos;       /* sample index within the sweep */
};

/* A sine of freq_hz (0 < f < 24000) at level dbfs (<= 0). */
__attribute__((warn_unused_result)) int
testsrc_audio_init_tone(struct testsrc_audio *s, double freq_hz, double dbfs, int channels);

/* A linear sweep from f0_hz to f1_hz over `seconds`, then again from f0_hz
 * (the phase stays continuous). */
__attribute__((warn_unused_result)) int testsrc_audio_init_chirp(struct testsrc_audio *s,
                                                                 double f0_hz, double f1_hz,
                                                                 double seconds, double dbfs,
                                                                 int channels);

/* Write `frames` sample frames (frames * channels int16) to out. */
void testsrc_audio_fill(struct testsrc_audio *s, int16_t *out, size_t frames);

/* Peak amplitude of a sine whose RMS level is dbfs, capped at 32767. */
double testsrc_audio_sine_peak(double dbfs);

#endif
