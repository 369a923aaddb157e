#include "media/codec/opus_enc.h"

#include <errno.h>
#include <opus.h>

#include "media/core/mem.h"

struct opus_enc {
    int channels;
    OpusEncoder *st; /* libopus state in memory from mem.h */
};

void opus_enc_cfg_default(struct opus_enc_cfg *cfg)
{
    cfg->channels = 1;
    cfg->bitrate_bps = 32000;
    cfg->fec = false;
    cfg->loss_pct = 0;
    cfg->dtx = false;
    cfg->complexity = 9;
}

static int map_err(int opus_err)
{
    switch (opus_err) {
    case OPUS_OK:
        return 0;
    case OPUS_BAD_ARG:
        return -EINVAL;
    case OPUS_BUFFER_TOO_SMALL:
        return -ENOSPC;
    case OPUS_ALLOC_FAIL:
        return -ENOMEM;
    default:
        return -EIO;
    }
}

static bool cfg_valid(const struct opus_enc_cfg *cfg)
{
    return (cfg->channels == 1 || cfg->channels == 2) && cfg->bitrate_bps >= 6000 &&
           cfg->bitrate_bps <= 510000 && cfg->loss_pct >= 0 && cfg->loss_pct <= 100 &&
           cfg->complexity >= 0 && cfg->complexity <= 10;
}

static int apply_cfg(OpusEncoder *st, const struct opus_enc_cfg *cfg)
{
    int loss = cfg->fec && cfg->loss_pct == 0 ? 10 : cfg->loss_pct;
    int rc = opus_encoder_ctl(st, OPUS_SET_BITRATE(cfg->bitrate_bps));
    if (rc == OPUS_OK)
        rc = opus_encoder_ctl(st, OPUS_SET_INBAND_FEC(cfg->fec ? 1 : 0));
    if (rc == OPUS_OK)
        rc = opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC(loss));
    if (rc == OPUS_OK)
        rc = opus_encoder_ctl(st, OPUS_SET_DTX(cfg->dtx ? 1 : 0));
    if (rc == OPUS_OK)
        rc = opus_encoder_ctl(st, OPUS_SET_COMPLEXITY(cfg->complexity));
    return map_err(rc);
}

int opus_enc_create(const struct opus_enc_cfg *cfg, struct opus_enc **out)
{
    if (!cfg || !out || !cfg_valid(cfg))
        return -EINVAL;
    int rc = -ENOMEM;
    struct opus_enc *e = mem_zalloc(sizeof(*e));
    if (!e)
        goto out;
    e->channels = cfg->channels;
    e->st = mem_alloc((size_t)opus_encoder_get_size(cfg->channels));
    if (!e->st)
        goto out;
    rc = map_err(opus_encoder_init(e->st, OPUS_ENC_RATE, cfg->channels, OPUS_APPLICATION_VOIP));
    if (rc == 0)
        rc = apply_cfg(e->st, cfg);
out:
    if (rc != 0) {
        opus_enc_destroy(e);
        return rc;
    }
    *out = e;
    return 0;
}

void opus_enc_destroy(struct opus_enc *e)
{
    if (!e)
        return;
    mem_free(e->st);
    mem_free(e);
}

int opus_enc_encode(struct opus_enc *e, const int16_t *pcm, uint8_t *out, size_t cap, size_t *len)
{
    if (!e || !pcm || !out || !len)
        return -EINVAL;
    if (cap == 0)
        return -ENOSPC;
    if (cap > OPUS_ENC_MAX_PACKET)
        cap = OPUS_ENC_MAX_PACKET;
    opus_int32 n = opus_encode(e->st, pcm, OPUS_ENC_FRAME_SAMPLES, out, (opus_int32)cap);
    if (n < 0)
        return map_err(n);
    *len = (size_t)n;
    return 0;
}

int opus_enc_set_bitrate(struct opus_enc *e, int bitrate_bps)
{
    if (!e || bitrate_bps < 6000 || bitrate_bps > 510000)
        return -EINVAL;
    return map_err(opus_encoder_ctl(e->st, OPUS_SET_BITRATE(bitrate_bps)));
}

int opus_enc_set_loss_pct(struct opus_enc *e, int loss_pct)
{
    if (!e || loss_pct < 0 || loss_pct > 100)
        return -EINVAL;
    return map_err(opus_encoder_ctl(e->st, OPUS_SET_PACKET_LOSS_PERC(loss_pct)));
}

int opus_enc_channels(const struct opus_enc *e)
{
    return e->channels;
}
