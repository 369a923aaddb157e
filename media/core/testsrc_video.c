#include "media/core/testsrc_video.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define CODE_BITS 32
#define LUMA_BLACK 16
#define LUMA_WHITE 235
#define CHROMA_ZERO 128
/* Minimum mean-luma difference between a block and its inverted twin. Black
 * and white differ by 219; coding noise and scaling blur eat a fraction. */
#define MIN_CONTRAST 64

struct yuv {
    uint8_t y, u, v;
};

/* 75% colour bars, ITU-R BT.601 limited range. */
static const struct yuv bars[8] = {
    {180, 128, 128}, {162, 44, 142}, {131, 156, 44}, {112, 72, 58},
    {84, 184, 198},  {65, 100, 212}, {35, 212, 114}, {16, 128, 128},
};
static const struct yuv box_colour = {210, 16, 146};

struct geom {
    int bs; /* code block side */
    int x0; /* left edge of the code band */
};

static bool geom_of(int w, int h, struct geom *g)
{
    if (w < 2 * CODE_BITS || w > I420_MAX_DIM || h < 1 || h > I420_MAX_DIM)
        return false;
    g->bs = w / CODE_BITS;
    g->x0 = (w - CODE_BITS * g->bs) / 2;
    return h >= 4 * g->bs;
}

int testsrc_video_code_rows(int w)
{
    struct geom g;
    return geom_of(w, I420_MAX_DIM, &g) ? 2 * g.bs : 0;
}

/* CRC-8, polynomial x^8 + x^2 + x + 1, initial value 0. */
static uint8_t crc8(uint32_t v24)
{
    uint8_t crc = 0;
    for (int i = 2; i >= 0; i--) {
        crc ^= (uint8_t)(v24 >> (8 * i));
        for (int b = 0; b < 8; b++)
            crc = (uint8_t)((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
    }
    return crc;
}

static uint32_t code_word(uint32_t frame)
{
    uint32_t n = frame & TESTSRC_VIDEO_NUMBER_MASK;
    return n << 8 | crc8(n);
}

/* Position along a track of `range` steps that bounces at both ends. */
static int bounce(uint32_t pos, int range)
{
    if (range <= 0)
        return 0;
    uint32_t p = pos % (2u * (uint32_t)range);
    return p < (uint32_t)range ? (int)p : 2 * range - (int)p;
}

static void fill_rect(uint8_t *plane, int stride, int x, int y, int w, int h, uint8_t val)
{
    for (int r = 0; r < h; r++)
        memset(plane + (size_t)(y + r) * (size_t)stride + (size_t)x, val, (size_t)w);
}

/* Paint a luma rectangle and the chroma samples it covers (chroma sample
 * (cx, cy) takes the colour of luma pixel (2cx, 2cy)). */
static void paint(const struct i420 *img, int x, int y, int w, int h, struct yuv c)
{
    if (w <= 0 || h <= 0)
        return;
    fill_rect(img->y, img->stride_y, x, y, w, h, c.y);
    int cx0 = (x + 1) / 2, cy0 = (y + 1) / 2;
    int cx1 = (x + w + 1) / 2, cy1 = (y + h + 1) / 2;
    if (cx1 <= cx0 || cy1 <= cy0)
        return;
    fill_rect(img->u, img->stride_u, cx0, cy0, cx1 - cx0, cy1 - cy0, c.u);
    fill_rect(img->v, img->stride_v, cx0, cy0, cx1 - cx0, cy1 - cy0, c.v);
}

static void paint_code(const struct i420 *img, const struct geom *g, uint32_t word)
{
    const struct yuv black = {LUMA_BLACK, CHROMA_ZERO, CHROMA_ZERO};
    const struct yuv white = {LUMA_WHITE, CHROMA_ZERO, CHROMA_ZERO};
    paint(img, 0, 0, img->width, 2 * g->bs, black);
    for (int i = 0; i < CODE_BITS; i++) {
        bool bit = (word >> (CODE_BITS - 1 - i)) & 1;
        int x = g->x0 + i * g->bs;
        paint(img, x, 0, g->bs, g->bs, bit ? white : black);
        paint(img, x, g->bs, g->bs, g->bs, bit ? black : white);
    }
}

/* A well-mixed 32-bit hash (the murmur3 finalizer) of three coordinates. */
static uint32_t hash3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t h = a * 0x9E3779B1u ^ b * 0x85EBCA77u ^ c * 0xC2B2AE3Du;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}

/* Smooth value noise: random luma on a lattice of `cell` px, bilinearly
 * interpolated, scrolling left by `shift` px. Gives the encoder texture and
 * motion to work on, like a camera picture would. */
static void paint_texture(const struct i420 *img, int y0, int cell, uint32_t shift)
{
    for (int y = y0; y < img->height; y++) {
        uint8_t *row = img->y + (size_t)y * (size_t)img->stride_y;
        uint32_t j = (uint32_t)y / (uint32_t)cell, fy = (uint32_t)y % (uint32_t)cell;
        for (int x = 0; x < img->width; x++) {
            uint32_t sx = (uint32_t)x + shift;
            uint32_t i = sx / (uint32_t)cell, fx = sx % (uint32_t)cell;
            uint32_t a = hash3(i, j, 1) & 0x7F, b = hash3(i + 1, j, 1) & 0x7F;
            uint32_t c = hash3(i, j + 1, 1) & 0x7F, d = hash3(i + 1, j + 1, 1) & 0x7F;
            uint32_t top = a * ((uint32_t)cell - fx) + b * fx;
            uint32_t bot = c * ((uint32_t)cell - fx) + d * fx;
            uint32_t v = (top * ((uint32_t)cell - fy) + bot * fy) / ((uint32_t)(cell * cell));
            row[x] = (uint8_t)(48 + v);
        }
    }
}

/* Sensor-like grain of +-GRAIN on every luma sample, new in every frame. */
#define GRAIN 3
static void add_grain(const struct i420 *img, uint32_t frame)
{
    for (int y = 0; y < img->height; y++) {
        uint8_t *row = img->y + (size_t)y * (size_t)img->stride_y;
        for (int x = 0; x < img->width; x++) {
            int v =
                row[x] + (int)(hash3((uint32_t)x, (uint32_t)y, frame) % (2 * GRAIN + 1)) - GRAIN;
            row[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

int testsrc_video_fill(const struct i420 *img, uint32_t frame)
{
    struct geom g;
    if (!img || !img->y || !img->u || !img->v || !geom_of(img->width, img->height, &g))
        return -EINVAL;
    int w = img->width, h = img->height, top = 2 * g.bs, tex = h - (h - top) / 4;
    for (int i = 0; i < 8; i++) {
        int x0 = w * i / 8, x1 = w * (i + 1) / 8;
        paint(img, x0, top, x1 - x0, h - top, bars[i]);
    }
    const struct yuv grey = {128, CHROMA_ZERO, CHROMA_ZERO};
    paint(img, 0, tex, w, h - tex, grey);
    int cell = w / 40 > 4 ? w / 40 : 4;
    paint_texture(img, tex, cell, frame * (uint32_t)(cell / 4 + 1));
    int side = (w / 8) & ~1;
    int step = w / 160 > 2 ? w / 160 : 2;
    int bx = bounce(frame * (uint32_t)step, w - side);
    int by = top + bounce(frame * (uint32_t)step / 2, h - top - side);
    int bh = side < h - top ? side : h - top;
    paint(img, bx, by, side, bh, box_colour);
    paint_code(img, &g, code_word(frame));
    add_grain(img, frame);
    return 0;
}

/* Mean luma of the centre of the block at (x, y), leaving out a quarter of
 * the side on each edge where coding ringing and scaling blur live. */
static int block_mean(const uint8_t *y, int stride, int x, int yy, int bs)
{
    int m = bs / 4, n = bs - 2 * m;
    unsigned sum = 0;
    for (int r = 0; r < n; r++) {
        const uint8_t *row = y + (size_t)(yy + m + r) * (size_t)stride + (size_t)(x + m);
        for (int c = 0; c < n; c++)
            sum += row[c];
    }
    return (int)(sum / (unsigned)(n * n));
}

int testsrc_video_read_frame_number(const uint8_t *y, int stride, int w, int h, uint32_t *n)
{
    struct geom g;
    if (!y || !n || !geom_of(w, h, &g) || stride < w)
        return -EINVAL;
    uint32_t word = 0;
    for (int i = 0; i < CODE_BITS; i++) {
        int x = g.x0 + i * g.bs;
        int d = block_mean(y, stride, x, 0, g.bs) - block_mean(y, stride, x, g.bs, g.bs);
        if (d > -MIN_CONTRAST && d < MIN_CONTRAST)
            return -EBADMSG;
        word = word << 1 | (d > 0);
    }
    if (crc8(word >> 8) != (word & 0xFF))
        return -EBADMSG;
    *n = word >> 8;
    return 0;
}
