#include "media/codec/vp8_enc.h"

#include <errno.h>
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include "media/core/mem.h"

/* Layer-0 frames reference and update only LAST; layer-1 frames reference
 * LAST and update nothing, not even the entropy context. */
#define TL0_FLAGS                                                                                  \
    (VP8_EFLAG_NO_REF_GF | VP8_EFLAG_NO_REF_ARF | VP8_EFLAG_NO_UPD_GF | VP8_EFLAG_NO_UPD_ARF)
#define TL1_FLAGS (TL0_FLAGS | VP8_EFLAG_NO_UPD_LAST | VP8_EFLAG_NO_UPD_ENTROPY)
#define TL0_SHARE_PCT 60 /* layer 0's share of the bitrate with two layers */

struct vp8_enc {
    vpx_codec_ctx_t ctx;
    vpx_codec_enc_cfg_t vcfg;
    struct vp8_enc_cfg cfg;
    bool force_key;
    uint64_t pattern; /* position in the temporal layer pattern */
    int last_tid;     /* layer of the last picture given to libvpx */
    vpx_codec_iter_t iter;
};

void vp8_enc_cfg_default(struct vp8_enc_cfg *cfg, int width, int height)
{
    cfg->width = width;
    cfg->height = height;
    cfg->fps = 30;
    cfg->bitrate_kbps = 800;
    cfg->cpu_used = 8;
    cfg->temporal_layers = 1;
    cfg->threads = 1;
    cfg->kf_max_dist = 3000;
    cfg->drop_frames = false;
}

static int map_err(vpx_codec_err_t err)
{
    switch (err) {
    case VPX_CODEC_OK:
        return 0;
    case VPX_CODEC_MEM_ERROR:
        return -ENOMEM;
    case VPX_CODEC_INVALID_PARAM:
        return -EINVAL;
    default:
        return -EIO;
    }
}

static bool cfg_valid(const struct vp8_enc_cfg *c)
{
    return c->width >= 16 && c->width <= 4096 && c->height >= 16 && c->height <= 4096 &&
           c->fps >= 1 && c->fps <= 120 && c->bitrate_kbps >= 10 && c->bitrate_kbps <= 50000 &&
           c->cpu_used >= 4 && c->cpu_used <= 16 &&
           (c->temporal_layers == 1 || c->temporal_layers == 2) && c->threads >= 1 &&
           c->threads <= 8 && c->kf_max_dist >= 0;
}

static void set_layer_rates(vpx_codec_enc_cfg_t *v, int kbps)
{
    v->rc_target_bitrate = (unsigned)kbps;
    if (v->ts_number_layers == 2) {
        v->ts_target_bitrate[0] = (unsigned)kbps * TL0_SHARE_PCT / 100;
        v->ts_target_bitrate[1] = (unsigned)kbps;
    }
}

/* Rate control as WebRTC sets it up for real-time VP8. */
static void fill_vpx_cfg(vpx_codec_enc_cfg_t *v, const struct vp8_enc_cfg *c)
{
    v->g_w = (unsigned)c->width;
    v->g_h = (unsigned)c->height;
    v->g_timebase.num = 1;
    v->g_timebase.den = 1000000; /* pts in microseconds */
    v->g_threads = (unsigned)c->threads;
    v->g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;
    v->g_lag_in_frames = 0;
    v->g_pass = VPX_RC_ONE_PASS;
    v->rc_end_usage = VPX_CBR;
    v->rc_resize_allowed = 0;
    v->rc_dropframe_thresh = c->drop_frames ? 30 : 0;
    v->rc_min_quantizer = 2;
    v->rc_max_quantizer = 56;
    v->rc_undershoot_pct = 100;
    v->rc_overshoot_pct = 15;
    v->rc_buf_initial_sz = 500;
    v->rc_buf_optimal_sz = 600;
    v->rc_buf_sz = 1000;
    v->kf_mode = c->kf_max_dist > 0 ? VPX_KF_AUTO : VPX_KF_DISABLED;
    v->kf_min_dist = 0;
    v->kf_max_dist = (unsigned)c->kf_max_dist;
    v->ts_number_layers = (unsigned)c->temporal_layers;
    if (c->temporal_layers == 2) {
        v->ts_periodicity = 2;
        v->ts_layer_id[0] = 0;
        v->ts_layer_id[1] = 1;
        v->ts_rate_decimator[0] = 2;
        v->ts_rate_decimator[1] = 1;
    }
    set_layer_rates(v, c->bitrate_kbps);
}

static int set_controls(vpx_codec_ctx_t *ctx, const struct vp8_enc_cfg *c)
{
    /* A key frame may take this % of a frame's share of the bitrate: half
     * the optimal buffer, as WebRTC does, never under 3 frames' worth. */
    int intra_pct = 600 / 2 * c->fps / 10;
    vpx_codec_err_t err = vpx_codec_control(ctx, VP8E_SET_CPUUSED, -c->cpu_used);
    if (err == VPX_CODEC_OK)
        err = vpx_codec_control(ctx, VP8E_SET_STATIC_THRESHOLD, 1);
    if (err == VPX_CODEC_OK)
        err = vpx_codec_control(ctx, VP8E_SET_NOISE_SENSITIVITY, 0);
    if (err == VPX_CODEC_OK)
        err = vpx_codec_control(ctx, VP8E_SET_TOKEN_PARTITIONS, VP8_ONE_TOKENPARTITION);
    if (err == VPX_CODEC_OK)
        err = vpx_codec_control(ctx, VP8E_SET_MAX_INTRA_BITRATE_PCT,
                                intra_pct < 300 ? 300 : intra_pct);
    return map_err(err);
}

int vp8_enc_create(const struct vp8_enc_cfg *cfg, struct vp8_enc **out)
{
    if (!cfg || !out || !cfg_valid(cfg))
        return -EINVAL;
    struct vp8_enc *e = mem_zalloc(sizeof(*e));
    if (!e)
        return -ENOMEM;
    e->cfg = *cfg;
    int rc = map_err(vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &e->vcfg, 0));
    if (rc != 0)
        goto fail;
    fill_vpx_cfg(&e->vcfg, cfg);
    rc = map_err(vpx_codec_enc_init(&e->ctx, vpx_codec_vp8_cx(), &e->vcfg, 0));
    if (rc != 0)
        goto fail;
    rc = set_controls(&e->ctx, cfg);
    if (rc != 0) {
        vpx_codec_destroy(&e->ctx);
        goto fail;
    }
    *out = e;
    return 0;
fail:
    mem_free(e);
    return rc;
}

void vp8_enc_destroy(struct vp8_enc *e)
{
    if (!e)
        return;
    vpx_codec_destroy(&e->ctx);
    mem_free(e);
}

/* Frame flags and layer of the next picture. A forced key frame restarts the
 * layer pattern so that it is a layer-0 frame. */
static vpx_enc_frame_flags_t next_flags(struct vp8_enc *e, int *tid)
{
    vpx_enc_frame_flags_t flags = 0;
    if (e->force_key) {
        flags |= VPX_EFLAG_FORCE_KF;
        e->pattern = 0;
        e->force_key = false;
    }
    *tid = 0;
    if (e->cfg.temporal_layers == 2) {
        *tid = (int)(e->pattern % 2);
        flags |= *tid ? TL1_FLAGS : TL0_FLAGS;
    }
    e->pattern++;
    return flags;
}

int vp8_enc_encode(struct vp8_enc *e, const struct i420 *img, int64_t pts_us)
{
    if (!e || !img || !img->y || !img->u || !img->v || img->width != e->cfg.width ||
        img->height != e->cfg.height)
        return -EINVAL;
    vpx_image_t vimg;
    if (!vpx_img_wrap(&vimg, VPX_IMG_FMT_I420, (unsigned)img->width, (unsigned)img->height, 1,
                      img->y))
        return -EINVAL;
    /* Point libvpx at the caller's planes and strides, no copy. */
    vimg.planes[VPX_PLANE_Y] = img->y;
    vimg.planes[VPX_PLANE_U] = img->u;
    vimg.planes[VPX_PLANE_V] = img->v;
    vimg.stride[VPX_PLANE_Y] = img->stride_y;
    vimg.stride[VPX_PLANE_U] = img->stride_u;
    vimg.stride[VPX_PLANE_V] = img->stride_v;
    int tid;
    vpx_enc_frame_flags_t flags = next_flags(e, &tid);
    if (e->cfg.temporal_layers == 2) {
        int rc = map_err(vpx_codec_control(&e->ctx, VP8E_SET_TEMPORAL_LAYER_ID, tid));
        if (rc != 0)
            return rc;
    }
    e->last_tid = tid;
    e->iter = NULL;
    unsigned long duration = (unsigned long)(1000000 / e->cfg.fps);
    return map_err(vpx_codec_encode(&e->ctx, &vimg, pts_us, duration, flags, VPX_DL_REALTIME));
}

bool vp8_enc_next(struct vp8_enc *e, struct vp8_enc_frame *out)
{
    const vpx_codec_cx_pkt_t *pkt;
    while ((pkt = vpx_codec_get_cx_data(&e->ctx, &e->iter)) != NULL) {
        if (pkt->kind != VPX_CODEC_CX_FRAME_PKT)
            continue;
        out->data = pkt->data.frame.buf;
        out->len = pkt->data.frame.sz;
        out->is_key = (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
        out->temporal_id = out->is_key ? 0 : e->last_tid;
        out->droppable = !out->is_key && e->last_tid == 1;
        out->pts_us = pkt->data.frame.pts;
        return true;
    }
    return false;
}

void vp8_enc_request_key_frame(struct vp8_enc *e)
{
    e->force_key = true;
}

int vp8_enc_set_bitrate(struct vp8_enc *e, int bitrate_kbps)
{
    if (!e || bitrate_kbps < 10 || bitrate_kbps > 50000)
        return -EINVAL;
    set_layer_rates(&e->vcfg, bitrate_kbps);
    int rc = map_err(vpx_codec_enc_config_set(&e->ctx, &e->vcfg));
    if (rc == 0)
        e->cfg.bitrate_kbps = bitrate_kbps;
    return rc;
}
