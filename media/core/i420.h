/* i420 — a view of one planar YUV 4:2:0 picture (8-bit, BT.601 ranges).
 *
 * struct i420 does not own its planes: it points at memory owned by whoever
 * filled it (a caller buffer laid out by i420_wrap, a codec's internal frame).
 * Chroma planes are ceil(width/2) x ceil(height/2).
 *
 * Errors: -EINVAL bad dimensions or NULL, -ENOSPC buffer too short.
 * Nothing here allocates.
 */
#ifndef CAU_I420_H
#define CAU_I420_H

#include <stddef.h>
#include <stdint.h>

#define I420_MAX_DIM 16384

struct i420 {
    uint8_t *y, *u, *v;
    int stride_y, stride_u, stride_v;
    int width, height;
};

/* Bytes of a tightly packed picture of w x h (Y then U then V), or 0 when
 * w or h is outside 1..I420_MAX_DIM. */
size_t i420_size(int w, int h);

/* Lay out a tightly packed w x h picture over buf[0..len): *img points into
 * buf, which must outlive it. */
__attribute__((warn_unused_result)) int i420_wrap(struct i420 *img, uint8_t *buf, size_t len, int w,
                                                  int h);

/* Chroma plane width/height for a luma dimension. */
int i420_chroma_dim(int luma_dim);

#endif
