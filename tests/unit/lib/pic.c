/* pic — see pic.h. */
#include "tests/unit/lib/pic.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "media/core/testsrc_video.h"

void pic_new(struct pic *p, int w, int h)
{
    size_t n = i420_size(w, h);
    p->buf = calloc(1, n);
    assert_non_null(p->buf);
    assert_int_equal(i420_wrap(&p->img, p->buf, n, w, h), 0);
}

void pic_free(struct pic *p)
{
    free(p->buf);
    p->buf = NULL;
}

uint32_t pic_frame_number(const struct i420 *img)
{
    uint32_t n = 0xDEADBEEF;
    assert_int_equal(
        testsrc_video_read_frame_number(img->y, img->stride_y, img->width, img->height, &n), 0);
    return n;
}
