/* bench_codec — how long the codec wrappers take per frame on this machine.
 * VP8: 640x360 test pattern at 1 Mbps, realtime, one thread. Opus: mono at
 * 32 kbps, 20 ms frames. Prints one line per figure; never fails on time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media/codec/opus_dec.h"
#include "media/codec/opus_enc.h"
#include "media/codec/vp8_dec.h"
#include "media/codec/vp8_enc.h"
#include "media/core/testsrc_audio.h"
#include "media/core/testsrc_video.h"

#define VP8_W 640
#define VP8_H 360
#define VP8_FRAMES 100
#define VP8_KBPS 1000
#define OPUS_FRAMES 500

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct coded {
    uint8_t *data;
    size_t len;
};

static int bench_vp8_encode(struct coded *out, double *ms_per_frame, size_t *bytes)
{
    struct vp8_enc_cfg cfg;
    vp8_enc_cfg_default(&cfg, VP8_W, VP8_H);
    cfg.bitrate_kbps = VP8_KBPS;
    struct vp8_enc *e;
    if (vp8_enc_create(&cfg, &e) != 0)
        return -1;
    size_t n = i420_size(VP8_W, VP8_H);
    uint8_t *buf = malloc(n);
    struct i420 img;
    if (!buf || i420_wrap(&img, buf, n, VP8_W, VP8_H) != 0)
        return -1;
    int64_t spent = 0;
    *bytes = 0;
    for (int i = 0; i < VP8_FRAMES; i++) {
        if (testsrc_video_fill(&img, (uint32_t)i) != 0)
            return -1;
        int64_t t0 = now_ns();
        if (vp8_enc_encode(e, &img, (int64_t)i * 33333) != 0)
            return -1;
        struct vp8_enc_frame f;
        bool got = vp8_enc_next(e, &f);
        spent += now_ns() - t0;
        out[i].len = got ? f.len : 0;
        out[i].data = got ? malloc(f.len) : NULL;
        if (got && !out[i].data)
            return -1;
        if (got)
            memcpy(out[i].data, f.data, f.len);
        *bytes += out[i].len;
    }
    *ms_per_frame = (double)spent / 1e6 / VP8_FRAMES;
    vp8_enc_destroy(e);
    free(buf);
    return 0;
}

static int bench_vp8_decode(const struct coded *in, double *ms_per_frame)
{
    struct vp8_dec *d;
    if (vp8_dec_create(1, &d) != 0)
        return -1;
    int64_t spent = 0;
    for (int i = 0; i < VP8_FRAMES; i++) {
        if (in[i].len == 0)
            continue;
        struct vp8_dec_frame f;
        int64_t t0 = now_ns();
        int rc = vp8_dec_decode(d, in[i].data, in[i].len, &f);
        spent += now_ns() - t0;
        if (rc != 0)
            return -1;
    }
    *ms_per_frame = (double)spent / 1e6 / VP8_FRAMES;
    vp8_dec_destroy(d);
    return 0;
}

static int bench_opus(double *enc_us, double *dec_us)
{
    static uint8_t pkts[OPUS_FRAMES][OPUS_ENC_MAX_PACKET];
    static size_t lens[OPUS_FRAMES];
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    struct opus_enc *e;
    struct opus_dec *d;
    struct testsrc_audio src;
    if (opus_enc_create(&cfg, &e) != 0 || opus_dec_create(1, &d) != 0 ||
        testsrc_audio_init_chirp(&src, 100, 4000, 2.0, -20, 1) != 0)
        return -1;
    int16_t pcm[OPUS_DEC_MAX_FRAME_SAMPLES];
    int64_t spent = 0;
    for (int i = 0; i < OPUS_FRAMES; i++) {
        testsrc_audio_fill(&src, pcm, OPUS_ENC_FRAME_SAMPLES);
        int64_t t0 = now_ns();
        if (opus_enc_encode(e, pcm, pkts[i], sizeof(pkts[i]), &lens[i]) != 0)
            return -1;
        spent += now_ns() - t0;
    }
    *enc_us = (double)spent / 1e3 / OPUS_FRAMES;
    spent = 0;
    for (int i = 0; i < OPUS_FRAMES; i++) {
        size_t n;
        int64_t t0 = now_ns();
        if (opus_dec_decode(d, pkts[i], lens[i], pcm, OPUS_DEC_MAX_FRAME_SAMPLES, &n) != 0)
            return -1;
        spent += now_ns() - t0;
    }
    *dec_us = (double)spent / 1e3 / OPUS_FRAMES;
    opus_enc_destroy(e);
    opus_dec_destroy(d);
    return 0;
}

int main(void)
{
    static struct coded frames[VP8_FRAMES];
    double enc_ms, dec_ms, oenc_us, odec_us;
    size_t bytes;
    if (bench_vp8_encode(frames, &enc_ms, &bytes) != 0 || bench_vp8_decode(frames, &dec_ms) != 0 ||
        bench_opus(&oenc_us, &odec_us) != 0) {
        fprintf(stderr, "bench_codec: codec failure\n");
        return 1;
    }
    printf("vp8 encode %dx%d @ %d kbps realtime: %.2f ms/frame (%d frames, %.0f kbps out)\n", VP8_W,
           VP8_H, VP8_KBPS, enc_ms, VP8_FRAMES, (double)bytes * 8 * 30 / VP8_FRAMES / 1000);
    printf("vp8 decode %dx%d: %.2f ms/frame\n", VP8_W, VP8_H, dec_ms);
    printf("opus encode mono 32 kbps: %.1f us per 20 ms frame (%d frames)\n", oenc_us, OPUS_FRAMES);
    printf("opus decode mono 32 kbps: %.1f us per 20 ms frame\n", odec_us);
    for (int i = 0; i < VP8_FRAMES; i++)
        free(frames[i].data);
    return 0;
}
