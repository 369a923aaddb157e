#include "media/codec/vp8_dec.h"

#include <errno.h>
#include <limits.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "media/core/mem.h"

struct vp8_dec {
    vpx_codec_ctx_t ctx;
    bool refs_broken; /* a reference may be damaged until the next key frame */
    uint64_t errors;
    uint64_t corrupt_frames;
};

static int map_err(vpx_codec_err_t err)
{
    switch (err) {
    case VPX_CODEC_OK:
        return 0;
    case VPX_CODEC_MEM_ERROR:
        return -ENOMEM;
    case VPX_CODEC_INVALID_PARAM:
    case VPX_CODEC_UNSUP_BITSTREAM:
    case VPX_CODEC_CORRUPT_FRAME:
    case VPX_CODEC_ERROR:
        return -EBADMSG;
    default:
        return -EIO;
    }
}

int vp8_dec_create(int threads, struct vp8_dec **out)
{
    if (!out || threads < 1 || threads > 8)
        return -EINVAL;
    struct vp8_dec *d = mem_zalloc(sizeof(*d));
    if (!d)
        return -ENOMEM;
    vpx_codec_dec_cfg_t cfg = {.threads = (unsigned)threads, .w = 0, .h = 0};
    vpx_codec_err_t err = vpx_codec_dec_init(&d->ctx, vpx_codec_vp8_dx(), &cfg, 0);
    if (err != VPX_CODEC_OK) {
        mem_free(d);
        return err == VPX_CODEC_MEM_ERROR ? -ENOMEM : -EIO;
    }
    *out = d;
    return 0;
}

void vp8_dec_destroy(struct vp8_dec *d)
{
    if (!d)
        return;
    vpx_codec_destroy(&d->ctx);
    mem_free(d);
}

void vp8_dec_mark_lost(struct vp8_dec *d)
{
    d->refs_broken = true;
}

static void export_image(const vpx_image_t *img, struct i420 *out)
{
    out->y = img->planes[VPX_PLANE_Y];
    out->u = img->planes[VPX_PLANE_U];
    out->v = img->planes[VPX_PLANE_V];
    out->stride_y = img->stride[VPX_PLANE_Y];
    out->stride_u = img->stride[VPX_PLANE_U];
    out->stride_v = img->stride[VPX_PLANE_V];
    out->width = (int)img->d_w;
    out->height = (int)img->d_h;
}

int vp8_dec_decode(struct vp8_dec *d, const uint8_t *data, size_t len, struct vp8_dec_frame *out)
{
    if (!d || !data || !out || len == 0 || len > UINT_MAX)
        return -EINVAL;
    /* Frame tag bit 0 is 0 for a key frame (RFC 6386 §9.1). */
    bool is_key = (data[0] & 1) == 0;
    vpx_codec_err_t err = vpx_codec_decode(&d->ctx, data, (unsigned)len, NULL, 0);
    if (err != VPX_CODEC_OK) {
        d->errors++;
        d->refs_broken = true;
        return err == VPX_CODEC_MEM_ERROR ? -ENOMEM : map_err(err);
    }
    if (is_key)
        d->refs_broken = false;
    vpx_codec_iter_t iter = NULL;
    vpx_image_t *img = vpx_codec_get_frame(&d->ctx, &iter);
    if (!img)
        return -EAGAIN;
    int lib_corrupt = 0;
    if (vpx_codec_control(&d->ctx, VP8D_GET_FRAME_CORRUPTED, &lib_corrupt) != VPX_CODEC_OK)
        lib_corrupt = 0;
    /* libvpx flags a picture whose token partition ran short, and carries
     * the flag to pictures predicted from it; keep our own flag in step. */
    if (lib_corrupt)
        d->refs_broken = true;
    export_image(img, &out->img);
    out->is_key = is_key;
    out->corrupt = d->refs_broken;
    if (out->corrupt)
        d->corrupt_frames++;
    return 0;
}

uint64_t vp8_dec_errors(const struct vp8_dec *d)
{
    return d->errors;
}

uint64_t vp8_dec_corrupt_frames(const struct vp8_dec *d)
{
    return d->corrupt_frames;
}
