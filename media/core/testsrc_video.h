/* testsrc_video — a synthetic moving picture whose frame number can be read
 * back after lossy coding and scaling.
 *
 * The picture (I420, BT.601 limited range) has three parts:
 *  - a code band across the top: 32 square blocks of side w/32 px, each black
 *    or white, carrying bit 31..0 of (frame number & 0xFFFFFF) << 8 | CRC-8,
 *    and under it a second row of 32 blocks with every bit inverted;
 *  - 75% colour bars (white, yellow, cyan, green, magenta, red, blue, black)
 *    under the band;
 *  - a box that moves with the frame number, bouncing off the edges.
 * The layout is proportional to the width, so a picture scaled down by 2 or
 * 4 (simulcast layers) still reads back at its own size when w is a
 * multiple of 32 there.
 *
 * The reader compares the mean luma of the centre of each block with that of
 * its inverted twin: a bit is valid only when they differ by a clear margin,
 * and the CRC-8 must match, so a wrong number is reported as -EBADMSG rather
 * than returned.
 *
 * Errors: -EINVAL NULL or a picture too small for the code band (w < 64 or
 * h < w/8), -EBADMSG the code does not validate. Nothing here allocates.
 */
#ifndef CAU_TESTSRC_VIDEO_H
#define CAU_TESTSRC_VIDEO_H

#include <stdint.h>

#include "media/core/i420.h"

#define TESTSRC_VIDEO_NUMBER_MASK 0xFFFFFFu /* frame numbers wrap at 2^24 */

/* Draw frame `frame` into img (which the caller owns, any strides). */
__attribute__((warn_unused_result)) int testsrc_video_fill(const struct i420 *img, uint32_t frame);

/* Read the frame number from a luma plane of w x h with the given stride.
 * On success *n = frame & TESTSRC_VIDEO_NUMBER_MASK. */
__attribute__((warn_unused_result)) int
testsrc_video_read_frame_number(const uint8_t *y, int stride, int w, int h, uint32_t *n);

/* Rows at the top taken by the code band for width w (0 if w < 64). */
int testsrc_video_code_rows(int w);

#endif
