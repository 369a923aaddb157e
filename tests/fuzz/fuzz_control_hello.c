/* The first line of a TCP control connection (sfu/core/control_hello.h)
 * against a fixed secret: never reads past the line (it gets no NUL),
 * returns only its documented codes, and a line it accepts is refused with
 * -EACCES under a secret that differs in one byte. control_hello_equal
 * agrees with memcmp. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sfu/core/control_hello.h"

static const char secret[] = "fuzz-secret-0123456789abcdef-0123456789";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size ? size : 1);
    if (!line)
        return 0;
    memcpy(line, data, size); /* no NUL: the checker must honour len */
    int rc = control_hello_check(line, size, secret, sizeof secret - 1);
    if (rc != 0 && rc != -EACCES && rc != -EBADMSG)
        abort();
    if (rc == 0) {
        char other[sizeof secret];
        memcpy(other, secret, sizeof secret);
        other[sizeof secret - 2] ^= 1;
        if (control_hello_check(line, size, other, sizeof other - 1) != -EACCES)
            abort();
    }
    bool eq = control_hello_equal((const char *)data, size, secret, sizeof secret - 1);
    if (eq != (size == sizeof secret - 1 && memcmp(data, secret, size) == 0))
        abort();
    free(line);
    return 0;
}
