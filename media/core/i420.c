#include "media/core/i420.h"

#include <errno.h>

int i420_chroma_dim(int luma_dim)
{
    return (luma_dim + 1) / 2;
}

size_t i420_size(int w, int h)
{
    if (w < 1 || h < 1 || w > I420_MAX_DIM || h > I420_MAX_DIM)
        return 0;
    size_t cw = (size_t)i420_chroma_dim(w), ch = (size_t)i420_chroma_dim(h);
    return (size_t)w * (size_t)h + 2 * cw * ch;
}

int i420_wrap(struct i420 *img, uint8_t *buf, size_t len, int w, int h)
{
    size_t need = i420_size(w, h);
    if (!img || !buf || need == 0)
        return -EINVAL;
    if (len < need)
        return -ENOSPC;
    int cw = i420_chroma_dim(w), ch = i420_chroma_dim(h);
    img->width = w;
    img->height = h;
    img->y = buf;
    img->stride_y = w;
    img->u = buf + (size_t)w * (size_t)h;
    img->stride_u = cw;
    img->v = img->u + (size_t)cw * (size_t)ch;
    img->stride_v = cw;
    return 0;
}
