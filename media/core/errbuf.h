/* errbuf — a printf-style message into a caller's optional error buffer.
 *
 * Parsers and validators that explain a refusal take (char *err, size_t
 * errlen) from their caller; err may be NULL or errlen 0 when the caller
 * does not want the text. The message is truncated to fit and always
 * NUL-terminated when written.
 *
 * Ownership: the caller owns the buffer (no allocation). No errors of its
 * own: errbuf_fmt hands back the code it is given, so that a failing
 * function can `return errbuf_fmt(err, errlen, -EBADMSG, "...", ...);`.
 */
#ifndef CAU_ERRBUF_H
#define CAU_ERRBUF_H

#include <stddef.h>

/* Write the message into err[0..errlen) when err is not NULL and errlen is
 * not 0; return code unchanged. */
int errbuf_fmt(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same, for callers with nothing to return. */
void errbuf_set(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
