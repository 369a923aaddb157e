/* vp8_enc — a VP8 encoder for real-time video (libvpx): one-pass CBR, no
 * look-ahead, the realtime deadline, error-resilient mode (so a decoder can
 * resume after loss without a stale probability context), and key frames on
 * request. Optionally two temporal layers (RFC 7741 §4.2 TID): even frames
 * form layer 0, odd frames layer 1, and no frame references a layer-1 frame,
 * so an SFU can drop layer 1 to halve the frame rate.
 *
 * vp8_enc_create() returns an encoder the caller owns and frees with
 * vp8_enc_destroy(). vp8_enc_encode() takes a picture (read, not kept) and
 * vp8_enc_next() then hands out the coded frames one by one (zero or one per
 * picture; none when rate control drops the picture). A frame's data is
 * owned by the encoder and valid until the next vp8_enc_encode() or
 * vp8_enc_destroy().
 *
 * Errors: -EINVAL bad configuration or a picture of the wrong size, -ENOMEM
 * out of memory, -EIO any other libvpx failure.
 */
#ifndef CAU_VP8_ENC_H
#define CAU_VP8_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/i420.h"

struct vp8_enc;

struct vp8_enc_cfg {
    int width, height;   /* 16..4096 */
    int fps;             /* 1..120, the nominal rate for rate control */
    int bitrate_kbps;    /* 10..50000 */
    int cpu_used;        /* speed 4..16: 6 is WebRTC's desktop setting, 12 mobile */
    int temporal_layers; /* 1, or 2 */
    int threads;         /* 1..8 */
    int kf_max_dist;     /* automatic key frame at least every n frames; 0 = on request only */
    bool drop_frames;    /* let rate control skip pictures when over budget */
};

struct vp8_enc_frame {
    const uint8_t *data;
    size_t len;
    bool is_key;
    bool droppable; /* no later frame references this one */
    int temporal_id;
    int64_t pts_us;
};

/* width x height, 30 fps, 800 kbps, speed 8, one layer, one thread, a key
 * frame at least every 3000 frames, no frame dropping. */
void vp8_enc_cfg_default(struct vp8_enc_cfg *cfg, int width, int height);

__attribute__((warn_unused_result)) int vp8_enc_create(const struct vp8_enc_cfg *cfg,
                                                       struct vp8_enc **out);
void vp8_enc_destroy(struct vp8_enc *e);

/* Encode one picture of the configured size taken at pts_us (increasing). */
__attribute__((warn_unused_result)) int vp8_enc_encode(struct vp8_enc *e, const struct i420 *img,
                                                       int64_t pts_us);
/* Next coded frame of the last vp8_enc_encode(); false when there is none. */
bool vp8_enc_next(struct vp8_enc *e, struct vp8_enc_frame *out);

/* Make the next encoded picture a key frame. */
void vp8_enc_request_key_frame(struct vp8_enc *e);
/* Change the target bitrate (10..50000 kbps) from the next picture on. */
__attribute__((warn_unused_result)) int vp8_enc_set_bitrate(struct vp8_enc *e, int bitrate_kbps);

#endif
