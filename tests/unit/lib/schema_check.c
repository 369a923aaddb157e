/* schema_check — see schema_check.h. */
#include "tests/unit/lib/schema_check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static enum schema_result parse(const struct schema_check *t, const char *text, const char **type,
                                char *err, size_t errlen)
{
    json_t *out;
    const struct schema_msg *which;
    enum schema_result r =
        schema_parse(text, strlen(text), t->type_key, t->msgs, t->count, &out, &which, err, errlen);
    if (type)
        *type = which ? which->type : NULL;
    json_decref(out);
    return r;
}

void schema_check_ok(const struct schema_check *t, const char *text, const char *want)
{
    char err[256];
    const char *got = NULL;
    if (parse(t, text, &got, err, sizeof err) != SCHEMA_OK)
        fail_msg("%.80s: %s", text, err);
    assert_string_equal(got, want);
}

void schema_check_bad(const struct schema_check *t, const char *text, enum schema_result want,
                      const char *msg)
{
    char err[256];
    enum schema_result r = parse(t, text, NULL, err, sizeof err);
    if (r != want || (msg && strcmp(err, msg) != 0))
        fail_msg("%.80s: %d \"%s\", want %d \"%s\"", text, r, err, want, msg ? msg : "");
}
