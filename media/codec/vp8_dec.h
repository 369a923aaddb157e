/* vp8_dec — a VP8 decoder (libvpx) that reports damaged pictures.
 *
 * vp8_dec_create() returns a decoder the caller owns and frees with
 * vp8_dec_destroy(). vp8_dec_decode() takes one whole coded frame (the
 * depacketized VP8 payload) and returns the picture to show, as I420 planes
 * owned by the decoder and valid until the next vp8_dec_decode() or
 * vp8_dec_destroy().
 *
 * A picture is flagged corrupt when it was predicted from damaged references:
 * after a frame that failed to decode, or after the caller reported a loss
 * with vp8_dec_mark_lost(), until the next key frame decodes. A receiver
 * should ask for a key frame (PLI) when it sees one.
 *
 * Errors: -EINVAL bad arguments, -EBADMSG the frame could not be decoded
 * (truncated, not VP8, or an inter frame before any key frame), -EAGAIN the
 * frame decoded but holds no picture to show, -ENOMEM out of memory, -EIO
 * other libvpx failures.
 */
#ifndef CAU_VP8_DEC_H
#define CAU_VP8_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/i420.h"

struct vp8_dec;

struct vp8_dec_frame {
    struct i420 img; /* planes owned by the decoder */
    bool is_key;
    bool corrupt;
};

/* threads: 1..8 decoding threads. */
__attribute__((warn_unused_result)) int vp8_dec_create(int threads, struct vp8_dec **out);
void vp8_dec_destroy(struct vp8_dec *d);

__attribute__((warn_unused_result)) int vp8_dec_decode(struct vp8_dec *d, const uint8_t *data,
                                                       size_t len, struct vp8_dec_frame *out);

/* A frame that may have updated a reference went missing: pictures are
 * corrupt until the next key frame. */
void vp8_dec_mark_lost(struct vp8_dec *d);

/* Frames that failed to decode, and pictures returned flagged corrupt. */
uint64_t vp8_dec_errors(const struct vp8_dec *d);
uint64_t vp8_dec_corrupt_frames(const struct vp8_dec *d);

#endif
