/* media_sink — what a receiver measures about the media it decoded.
 *
 * Video (struct media_sink_video): frames counted, frame rate over a sliding
 * window, current resolution and the number of resolution changes, and,
 * when the caller reads frame numbers out of the picture (testsrc_video),
 * how many numbers were skipped or came back out of order.
 *
 * Audio (struct media_sink_audio): RMS level in dBFS of the samples fed
 * since the last reset, the RFC 6464 level (0..127, -dBov, 127 = silence),
 * and the frequency of the dominant tone from positive-going zero crossings
 * of the first channel. 0 dBFS is the RMS of a full-scale square wave.
 *
 * Both structs are plain values the caller owns; time comes in as now_us.
 * Nothing here allocates. Errors: -EINVAL for misuse.
 */
#ifndef CAU_MEDIA_SINK_H
#define CAU_MEDIA_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEDIA_SINK_FPS_RING 512 /* frame times kept for the rate */
#define MEDIA_SINK_SILENCE_DBFS -127.0

struct media_sink_video {
    int64_t window_us;
    uint64_t frames;             /* frames handled in total */
    uint64_t resolution_changes; /* after the first frame */
    int width, height;           /* of the last frame, 0 before any */
    /* frame numbers (media_sink_video_handle_number) */
    bool have_number;
    uint32_t last_number;
    uint64_t numbers_missing;   /* numbers skipped going forward */
    uint64_t numbers_reordered; /* numbers at or behind the last one */
    /* arrival times, a ring of the last MEDIA_SINK_FPS_RING frames */
    int64_t times[MEDIA_SINK_FPS_RING];
    unsigned head, count;
};

struct media_sink_audio {
    double sum_sq;    /* over all channels */
    uint64_t samples; /* all channels */
    int channels;
    /* zero crossings of channel 0 */
    int sign; /* -1 below -hysteresis, +1 above, 0 unknown */
    uint64_t frame_index;
    uint64_t crossings;
    uint64_t first_crossing, last_crossing;
};

/* Frame rate is measured over the last window_us (> 0) microseconds. */
__attribute__((warn_unused_result)) int media_sink_video_init(struct media_sink_video *s,
                                                              int64_t window_us);
/* One decoded frame of width x height shown at now_us. */
void media_sink_video_handle_frame(struct media_sink_video *s, int width, int height,
                                   int64_t now_us);
/* The frame number read from the last frame (wraps at 2^24 for testsrc). */
void media_sink_video_handle_number(struct media_sink_video *s, uint32_t number);
/* Frames per second over the window ending at now_us: (k - 1) intervals
 * between the k frames in the window over the time they span; 0 when fewer
 * than two frames fall in the window. */
double media_sink_video_fps(const struct media_sink_video *s, int64_t now_us);

void media_sink_audio_init(struct media_sink_audio *a, int channels);
/* frames sample frames of interleaved int16. */
void media_sink_audio_handle_samples(struct media_sink_audio *a, const int16_t *pcm, size_t frames);
/* RMS level of everything fed since init/reset, MEDIA_SINK_SILENCE_DBFS if
 * nothing or digital silence. */
double media_sink_audio_dbfs(const struct media_sink_audio *a);
/* Frequency of the tone fed since init/reset, 0 if under two crossings. */
double media_sink_audio_freq_hz(const struct media_sink_audio *a, int sample_rate);
/* Start a new measurement window. */
void media_sink_audio_reset(struct media_sink_audio *a);

/* RMS dBFS of n int16 samples, MEDIA_SINK_SILENCE_DBFS for silence or n = 0. */
double media_sink_dbfs(const int16_t *pcm, size_t n);
/* RFC 6464 §3 level: -dBov rounded, clamped to 0..127. */
uint8_t media_sink_rfc6464_level(double dbfs);

#endif
