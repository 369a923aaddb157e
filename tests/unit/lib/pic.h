/* pic — an I420 test picture in a malloc'd buffer (test memory, not
 * media/core/mem.h), and the frame number media/core/testsrc_video drew
 * into a picture. A failed allocation or an unreadable number fails the
 * running cmocka test. The caller frees with pic_free. */
#ifndef CAU_TEST_PIC_H
#define CAU_TEST_PIC_H

#include <stdint.h>

#include "media/core/i420.h"

struct pic {
    uint8_t *buf;
    struct i420 img;
};

/* A w x h picture, all bytes 0. */
void pic_new(struct pic *p, int w, int h);
void pic_free(struct pic *p);
/* The frame number in img (testsrc_video_read_frame_number must succeed). */
uint32_t pic_frame_number(const struct i420 *img);

#endif
