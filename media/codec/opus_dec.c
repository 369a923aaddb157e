#include "media/codec/opus_dec.h"

#include <errno.h>
#include <stdbool.h>
#include <opus.h>

#include "media/core/mem.h"

struct opus_dec {
    int channels;
    OpusDecoder *st; /* libopus state in memory from mem.h */
};

static int map_err(int opus_err)
{
    switch (opus_err) {
    case OPUS_OK:
        return 0;
    case OPUS_BAD_ARG:
        return -EINVAL;
    case OPUS_BUFFER_TOO_SMALL:
        return -ENOSPC;
    case OPUS_INVALID_PACKET:
        return -EBADMSG;
    case OPUS_ALLOC_FAIL:
        return -ENOMEM;
    default:
        return -EIO;
    }
}

int opus_dec_create(int channels, struct opus_dec **out)
{
    if (!out || (channels != 1 && channels != 2))
        return -EINVAL;
    int rc = -ENOMEM;
    struct opus_dec *d = mem_zalloc(sizeof(*d));
    if (!d)
        goto out;
    d->channels = channels;
    d->st = mem_alloc((size_t)opus_decoder_get_size(channels));
    if (!d->st)
        goto out;
    rc = map_err(opus_decoder_init(d->st, OPUS_DEC_RATE, channels));
out:
    if (rc != 0) {
        opus_dec_destroy(d);
        return rc;
    }
    *out = d;
    return 0;
}

void opus_dec_destroy(struct opus_dec *d)
{
    if (!d)
        return;
    mem_free(d->st);
    mem_free(d);
}

static int run(struct opus_dec *d, const uint8_t *pkt, size_t len, int16_t *pcm, size_t cap,
               size_t *frames, bool fec)
{
    if (!d || !pcm || !frames || (pkt && (len == 0 || len > INT32_MAX)))
        return -EINVAL;
    int frame_size;
    if (!pkt || fec) {
        /* Loss recovery produces exactly the 20 ms that went missing. */
        if (cap < OPUS_DEC_FRAME_SAMPLES)
            return -ENOSPC;
        frame_size = OPUS_DEC_FRAME_SAMPLES;
    } else {
        frame_size = cap > OPUS_DEC_MAX_FRAME_SAMPLES ? OPUS_DEC_MAX_FRAME_SAMPLES : (int)cap;
    }
    int n = opus_decode(d->st, pkt, pkt ? (opus_int32)len : 0, pcm, frame_size, fec ? 1 : 0);
    if (n < 0)
        return map_err(n);
    *frames = (size_t)n;
    return 0;
}

int opus_dec_decode(struct opus_dec *d, const uint8_t *pkt, size_t len, int16_t *pcm, size_t cap,
                    size_t *frames)
{
    return run(d, pkt, len, pcm, cap, frames, false);
}

int opus_dec_decode_fec(struct opus_dec *d, const uint8_t *next, size_t len, int16_t *pcm,
                        size_t cap, size_t *frames)
{
    if (!next)
        return -EINVAL;
    return run(d, next, len, pcm, cap, frames, true);
}

int opus_dec_channels(const struct opus_dec *d)
{
    return d->channels;
}
