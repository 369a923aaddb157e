/* control_hello — the first line of a TCP control connection
 * (docs/control-protocol.md, "TCP and the hello"): {"op":"hello","secret":S}.
 * control_hello_check() says whether a line is exactly that, with the
 * right secret. The secret is compared in time that depends on its length
 * only, not on where it differs.
 *
 * Errors: 0 the hello with the right secret; -EACCES a hello with another
 * secret; -EBADMSG anything else (not JSON, not an object, another op, no
 * string secret). Nothing here keeps or leaks the secret; the JSON tree is
 * freed before returning.
 */
#ifndef CAU_CONTROL_HELLO_H
#define CAU_CONTROL_HELLO_H

#include <stdbool.h>
#include <stddef.h>

/* A hello line is at most this long (the secret has at most 255 bytes). */
#define CONTROL_HELLO_MAX_LINE 1024

int control_hello_check(const char *line, size_t len, const char *secret, size_t secret_len);
/* Whether a[0..alen) equals b[0..blen), in time that depends on blen only. */
bool control_hello_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
