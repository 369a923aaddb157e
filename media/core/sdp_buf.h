/* sdp_buf — the output side of the SDP writers: appends text to a caller
 * buffer, counts what would not fit, and remembers the first misuse.
 *
 * The caller owns buf. Appending never writes past cap - 1 and keeps the
 * text NUL-terminated when cap > 0; `len` counts every byte asked for, so a
 * short buffer shows how much room the whole text needs. A NULL string or
 * one holding CR or LF (which would forge a line) sets err to -EINVAL.
 * sdp_buf_finish() gives 0, -EINVAL, or -ENOSPC when the text did not fit.
 */
#ifndef CAU_SDP_BUF_H
#define CAU_SDP_BUF_H

#include <stddef.h>
#include <stdint.h>

struct sdp_buf {
    char *buf;
    size_t cap;
    size_t len; /* bytes asked for, excluding the NUL */
    int err;
};

void sdp_buf_init(struct sdp_buf *b, char *buf, size_t cap);
void sdp_buf_mem(struct sdp_buf *b, const char *p, size_t n);
/* A string field: -EINVAL if NULL or holding CR/LF. */
void sdp_buf_str(struct sdp_buf *b, const char *s);
/* Mark the output invalid (-EINVAL): something required is missing. */
void sdp_buf_invalid(struct sdp_buf *b);
void sdp_buf_char(struct sdp_buf *b, char c);
void sdp_buf_u64(struct sdp_buf *b, uint64_t v);
/* "\r\n" */
void sdp_buf_eol(struct sdp_buf *b);
/* "a=<name>:" */
void sdp_buf_attr(struct sdp_buf *b, const char *name);
__attribute__((warn_unused_result)) int sdp_buf_finish(const struct sdp_buf *b);

#endif
