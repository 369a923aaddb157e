#include "media/core/sdp_buf.h"

#include <errno.h>
#include <string.h>

void sdp_buf_init(struct sdp_buf *b, char *buf, size_t cap)
{
    b->buf = buf;
    b->cap = buf ? cap : 0;
    b->len = 0;
    b->err = 0;
    if (b->cap)
        b->buf[0] = '\0';
}

void sdp_buf_mem(struct sdp_buf *b, const char *p, size_t n)
{
    if (b->len < b->cap) {
        size_t room = b->cap - 1 - b->len;
        size_t k = n < room ? n : room;
        memcpy(b->buf + b->len, p, k);
        b->buf[b->len + k] = '\0';
    }
    b->len += n;
}

void sdp_buf_invalid(struct sdp_buf *b)
{
    if (!b->err)
        b->err = -EINVAL;
}

void sdp_buf_str(struct sdp_buf *b, const char *s)
{
    if (!s || strpbrk(s, "\r\n")) {
        sdp_buf_invalid(b);
        return;
    }
    sdp_buf_mem(b, s, strlen(s));
}

void sdp_buf_char(struct sdp_buf *b, char c)
{
    sdp_buf_mem(b, &c, 1);
}

void sdp_buf_u64(struct sdp_buf *b, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sdp_buf_mem(b, tmp + i, sizeof tmp - i);
}

void sdp_buf_eol(struct sdp_buf *b)
{
    sdp_buf_mem(b, "\r\n", 2);
}

void sdp_buf_attr(struct sdp_buf *b, const char *name)
{
    sdp_buf_mem(b, "a=", 2);
    sdp_buf_mem(b, name, strlen(name));
    sdp_buf_char(b, ':');
}

int sdp_buf_finish(const struct sdp_buf *b)
{
    if (b->err)
        return b->err;
    return b->len < b->cap ? 0 : -ENOSPC;
}
