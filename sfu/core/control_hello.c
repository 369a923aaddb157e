#include "sfu/core/control_hello.h"

#include <errno.h>
#include <string.h>

#include <jansson.h>

bool control_hello_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    /* Every byte of b is looked at whatever a holds; a shorter a is read
     * as if padded, so only b's length shows in the timing. */
    volatile unsigned char diff = (unsigned char)(alen != blen);
    for (size_t i = 0; i < blen; i++) {
        unsigned char x = i < alen ? (unsigned char)a[i] : 0;
        diff |= (unsigned char)(x ^ (unsigned char)b[i]);
    }
    return diff == 0;
}

int control_hello_check(const char *line, size_t len, const char *secret, size_t secret_len)
{
    if (len > CONTROL_HELLO_MAX_LINE)
        return -EBADMSG;
    json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
    const char *op = json_string_value(json_object_get(j, "op"));
    const json_t *s = json_object_get(j, "secret");
    int rc = -EBADMSG;
    if (json_is_object(j) && op && strcmp(op, "hello") == 0 && json_is_string(s))
        rc = control_hello_equal(json_string_value(s), json_string_length(s), secret, secret_len)
                 ? 0
                 : -EACCES;
    json_decref(j);
    return rc;
}
