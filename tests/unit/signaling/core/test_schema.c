#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "signaling/core/schema.h"

static const char *const ab[] = {"a", "b", NULL};

static const struct schema_field t1_fields[] = {
    {"s", SCHEMA_STRING, true, 5, NULL},
    {"i", SCHEMA_INT, true, 0, NULL},
    {"b", SCHEMA_BOOL, false, 0, NULL},
    {"o", SCHEMA_OBJECT, false, 0, NULL},
    {"a", SCHEMA_ARRAY, false, 2, NULL},
    {"e", SCHEMA_STRING, false, 0, ab},
    {"r", SCHEMA_STRING_OR_NUMBER, false, 3, NULL},
    {"u", SCHEMA_STRING, false, 0, NULL},
    {"v", SCHEMA_ARRAY, false, 0, NULL},
};

static const struct schema_msg table[] = {
    {"t1", t1_fields, sizeof t1_fields / sizeof t1_fields[0]},
    {"t2", NULL, 0},
};

static enum schema_result parse_key(const char *text, const char *key, json_t **out,
                                    const struct schema_msg **which, char *err, size_t errlen)
{
    return schema_parse(text, strlen(text), key, table, 2, out, which, err, errlen);
}

/* Parse text, expect result want and message msg (NULL: don't check). */
static void expect(const char *text, enum schema_result want, const char *msg)
{
    json_t *out = (json_t *)1;
    const struct schema_msg *which = (const struct schema_msg *)1;
    char err[256];
    enum schema_result r = parse_key(text, "type", &out, &which, err, sizeof err);
    if (r != want)
        fail_msg("%s: got %d want %d (%s)", text, r, want, err);
    if (msg && strcmp(err, msg) != 0)
        fail_msg("%s: message \"%s\", want \"%s\"", text, err, msg);
    if (want == SCHEMA_OK) {
        assert_non_null(out);
        assert_true(json_is_object(out));
        assert_non_null(which);
        json_decref(out);
    } else {
        assert_null(out);
        if (want == SCHEMA_BAD_FIELD)
            assert_ptr_equal(which, &table[0]);
        else
            assert_null(which);
        assert_true(err[0] != '\0');
    }
}

static void test_ok(void **state)
{
    (void)state;
    expect("{\"type\":\"t2\"}", SCHEMA_OK, "");
    expect("{\"type\":\"t1\",\"s\":\"abcde\",\"i\":-7}", SCHEMA_OK, "");
    expect("{\"i\":0,\"s\":\"\",\"type\":\"t1\",\"b\":false,\"o\":{},\"a\":[1,\"x\"],\"e\":\"b\","
           "\"r\":\"xyz\",\"u\":\"unbounded\",\"v\":[1,2,3,4],\"extra\":{\"deep\":[null]}}",
           SCHEMA_OK, "");
    expect("{\"type\":\"t1\",\"s\":\"\xe1\xbb\x8b\",\"i\":1,\"r\":1.5e300}", SCHEMA_OK, "");
    expect(" \n{\"type\":\"t1\",\"s\":\"x\",\"i\":9223372036854775807,\"r\":-1}\n ", SCHEMA_OK, "");

    json_t *out;
    const struct schema_msg *which;
    char err[64];
    const char *t = "{\"type\":\"t1\",\"s\":\"hi\",\"i\":42}";
    assert_int_equal(parse_key(t, "type", &out, &which, err, sizeof err), SCHEMA_OK);
    assert_ptr_equal(which, &table[0]);
    assert_string_equal(json_string_value(json_object_get(out, "s")), "hi");
    assert_int_equal(json_integer_value(json_object_get(out, "i")), 42);
    json_decref(out);
    /* which and err are optional. */
    assert_int_equal(schema_parse(t, strlen(t), "type", table, 2, &out, NULL, NULL, 0), SCHEMA_OK);
    json_decref(out);
    /* Another type key. */
    assert_int_equal(parse_key("{\"op\":\"t2\",\"type\":7}", "op", &out, &which, err, sizeof err),
                     SCHEMA_OK);
    assert_ptr_equal(which, &table[1]);
    json_decref(out);
}

static void test_bad_json(void **state)
{
    (void)state;
    expect("", SCHEMA_BAD_JSON, NULL);
    expect("{", SCHEMA_BAD_JSON, NULL);
    expect("[{\"type\":\"t2\"}]", SCHEMA_BAD_JSON, "expected a JSON object");
    expect("\"t2\"", SCHEMA_BAD_JSON, NULL);
    expect("42", SCHEMA_BAD_JSON, NULL);
    expect("null", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\"} {}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",}", SCHEMA_BAD_JSON, NULL);
    expect("{'type':'t2'}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"type\":\"t2\"}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"x\":\"\\u0000\"}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"x\":\"\xff\"}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"x\":\"\xed\xa0\x80\"}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"x\":1e999}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"x\":99999999999999999999}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\",\"x\":NaN}", SCHEMA_BAD_JSON, NULL);
    expect("{\"type\":\"t2\"\n,\n  x}", SCHEMA_BAD_JSON,
           "line 3 column 3: string or '}' expected near 'x'");
    /* Jansson's message quotes the input: only printable ASCII comes back. */
    char err[256];
    json_t *out;
    assert_int_equal(parse_key("{\"a\":\x01\xc3\xa9}", "type", &out, NULL, err, sizeof err),
                     SCHEMA_BAD_JSON);
    for (const char *p = err; *p; p++)
        assert_true(*p >= 0x20 && *p <= 0x7e);
}

static void test_length_respected(void **state)
{
    (void)state;
    json_t *out;
    char err[128];
    static const char t[] = "{\"type\":\"t2\"}garbage";
    assert_int_equal(schema_parse(t, 13, "type", table, 2, &out, NULL, err, sizeof err), SCHEMA_OK);
    json_decref(out);
    assert_int_equal(schema_parse(t, 12, "type", table, 2, &out, NULL, err, sizeof err),
                     SCHEMA_BAD_JSON);
    assert_int_equal(schema_parse(t, 0, "type", table, 2, &out, NULL, err, sizeof err),
                     SCHEMA_BAD_JSON);
    /* An embedded NUL is not JSON. */
    static const char nul[] = "{\"type\":\"t2\"}\0";
    assert_int_equal(
        schema_parse(nul, sizeof nul - 1, "type", table, 2, &out, NULL, err, sizeof err),
        SCHEMA_BAD_JSON);
    static const char nul2[] = "{\"type\":\"t2\",\0\"x\":1}";
    assert_int_equal(
        schema_parse(nul2, sizeof nul2 - 1, "type", table, 2, &out, NULL, err, sizeof err),
        SCHEMA_BAD_JSON);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *t = malloc(2 * depth + 32);
    assert_non_null(t);
    size_t n = (size_t)sprintf(t, "{\"type\":\"t2\",\"x\":");
    memset(t + n, '[', depth);
    memset(t + n + depth, ']', depth);
    strcpy(t + n + 2 * depth, "}");
    expect(t, SCHEMA_BAD_JSON, NULL);
    free(t);
}

static void test_unknown_type(void **state)
{
    (void)state;
    expect("{}", SCHEMA_UNKNOWN_TYPE, "missing \"type\"");
    expect("{\"Type\":\"t2\"}", SCHEMA_UNKNOWN_TYPE, "missing \"type\"");
    expect("{\"type\":2}", SCHEMA_UNKNOWN_TYPE, "\"type\" must be a string");
    expect("{\"type\":null}", SCHEMA_UNKNOWN_TYPE, "\"type\" must be a string");
    expect("{\"type\":[\"t2\"]}", SCHEMA_UNKNOWN_TYPE, "\"type\" must be a string");
    expect("{\"type\":\"t3\"}", SCHEMA_UNKNOWN_TYPE, "unknown type \"t3\"");
    expect("{\"type\":\"\"}", SCHEMA_UNKNOWN_TYPE, "unknown type \"\"");
    expect("{\"type\":\"T2\"}", SCHEMA_UNKNOWN_TYPE, "unknown type \"T2\"");
    expect("{\"type\":\"t2 \"}", SCHEMA_UNKNOWN_TYPE, "unknown type \"t2 \"");
    expect("{\"type\":\"t\"}", SCHEMA_UNKNOWN_TYPE, "unknown type \"t\"");
    expect("{\"type\":\"a\\\"b\"}", SCHEMA_UNKNOWN_TYPE, "unknown type (a string of 3 bytes)");
    expect("{\"type\":\"c\xe1\xba\xa7u\"}", SCHEMA_UNKNOWN_TYPE,
           "unknown type (a string of 5 bytes)");
    expect("{\"type\":\"0123456789012345678901234567890123456789\"}", SCHEMA_UNKNOWN_TYPE,
           "unknown type (a string of 40 bytes)");
    json_t *out;
    char err[64];
    assert_int_equal(parse_key("{\"op\":\"x\"}", "op", &out, NULL, err, sizeof err),
                     SCHEMA_UNKNOWN_TYPE);
    assert_string_equal(err, "unknown op \"x\"");
    /* An empty table knows no type. */
    assert_int_equal(
        schema_parse("{\"type\":\"t2\"}", 13, "type", table, 0, &out, NULL, err, sizeof err),
        SCHEMA_UNKNOWN_TYPE);
}

#define T1(rest) "{\"type\":\"t1\",\"s\":\"x\",\"i\":1" rest "}"

static void test_bad_field(void **state)
{
    (void)state;
    expect("{\"type\":\"t1\",\"i\":1}", SCHEMA_BAD_FIELD, "field \"s\": missing");
    expect("{\"type\":\"t1\",\"s\":\"x\"}", SCHEMA_BAD_FIELD, "field \"i\": missing");
    expect("{\"type\":\"t1\",\"s\":\"abcdef\",\"i\":1}", SCHEMA_BAD_FIELD,
           "field \"s\": expected string of at most 5 bytes");
    expect("{\"type\":\"t1\",\"s\":\"\xe1\xbb\x8b\xe1\xbb\x8b\",\"i\":1}", SCHEMA_BAD_FIELD,
           "field \"s\": expected string of at most 5 bytes");
    expect("{\"type\":\"t1\",\"s\":5,\"i\":1}", SCHEMA_BAD_FIELD,
           "field \"s\": expected string of at most 5 bytes");
    expect("{\"type\":\"t1\",\"s\":null,\"i\":1}", SCHEMA_BAD_FIELD,
           "field \"s\": expected string of at most 5 bytes");
    expect("{\"type\":\"t1\",\"s\":\"x\",\"i\":1.0}", SCHEMA_BAD_FIELD,
           "field \"i\": expected integer");
    expect("{\"type\":\"t1\",\"s\":\"x\",\"i\":\"1\"}", SCHEMA_BAD_FIELD,
           "field \"i\": expected integer");
    expect("{\"type\":\"t1\",\"s\":\"x\",\"i\":true}", SCHEMA_BAD_FIELD,
           "field \"i\": expected integer");
    expect(T1(",\"b\":1"), SCHEMA_BAD_FIELD, "field \"b\": expected boolean");
    expect(T1(",\"b\":null"), SCHEMA_BAD_FIELD, "field \"b\": expected boolean");
    expect(T1(",\"o\":[]"), SCHEMA_BAD_FIELD, "field \"o\": expected object");
    expect(T1(",\"a\":{}"), SCHEMA_BAD_FIELD, "field \"a\": expected array of at most 2 elements");
    expect(T1(",\"a\":[1,2,3]"), SCHEMA_BAD_FIELD,
           "field \"a\": expected array of at most 2 elements");
    expect(T1(",\"e\":\"c\""), SCHEMA_BAD_FIELD, "field \"e\": expected one of \"a\", \"b\"");
    expect(T1(",\"e\":\"ab\""), SCHEMA_BAD_FIELD, "field \"e\": expected one of \"a\", \"b\"");
    expect(T1(",\"e\":\"\""), SCHEMA_BAD_FIELD, "field \"e\": expected one of \"a\", \"b\"");
    expect(T1(",\"e\":1"), SCHEMA_BAD_FIELD, "field \"e\": expected one of \"a\", \"b\"");
    expect(T1(",\"r\":\"abcd\""), SCHEMA_BAD_FIELD,
           "field \"r\": expected number or string of at most 3 bytes");
    expect(T1(",\"r\":true"), SCHEMA_BAD_FIELD,
           "field \"r\": expected number or string of at most 3 bytes");
    expect(T1(",\"r\":{}"), SCHEMA_BAD_FIELD,
           "field \"r\": expected number or string of at most 3 bytes");
    expect(T1(",\"u\":[]"), SCHEMA_BAD_FIELD, "field \"u\": expected string");
    expect(T1(",\"v\":\"\""), SCHEMA_BAD_FIELD, "field \"v\": expected array");
}

static void test_err_buffer(void **state)
{
    (void)state;
    json_t *out;
    char err[8];
    memset(err, 'z', sizeof err);
    assert_int_equal(parse_key("{\"type\":\"t1\"}", "type", &out, NULL, err, sizeof err),
                     SCHEMA_BAD_FIELD);
    assert_string_equal(err, "field \"");
    assert_int_equal(parse_key("{\"type\":\"t1\"}", "type", &out, NULL, NULL, 0), SCHEMA_BAD_FIELD);
    assert_int_equal(parse_key("{", "type", &out, NULL, err, 1), SCHEMA_BAD_JSON);
    assert_string_equal(err, "");
}

static void test_peek(void **state)
{
    (void)state;
    const char *t = "{\"type\":\"t1\",\"ref\":\"r-7\",\"id\":12,\"s\":9}";
    json_t *out;
    assert_int_equal(parse_key(t, "type", &out, NULL, NULL, 0), SCHEMA_BAD_FIELD);
    json_t *ref = schema_peek(t, strlen(t), "ref");
    assert_string_equal(json_string_value(ref), "r-7");
    json_decref(ref);
    json_t *id = schema_peek(t, strlen(t), "id");
    assert_int_equal(json_integer_value(id), 12);
    json_decref(id);
    assert_null(schema_peek(t, strlen(t), "nope"));
    assert_null(schema_peek("[1]", 3, "ref"));
    assert_null(schema_peek("{\"ref\":1", 8, "ref"));
    assert_null(schema_peek("", 0, "ref"));
}

/* Jansson allocates through mem.h here: every failure is clean. */
static void test_enomem_sweep(void **state)
{
    (void)state;
    json_set_alloc_funcs(mem_alloc, mem_free);
    long base = mem_live_count();
    const char *t = "{\"type\":\"t1\",\"s\":\"abc\",\"i\":1,\"o\":{\"k\":[1,\"two\",{}]},"
                    "\"a\":[true,null],\"e\":\"a\",\"r\":\"xy\",\"z\":1.5}";
    enum schema_result r = SCHEMA_BAD_JSON;
    unsigned long n;
    for (n = 1; r != SCHEMA_OK && n < 1000; n++) {
        json_t *out;
        mem_fail_nth(n);
        r = parse_key(t, "type", &out, NULL, NULL, 0);
        mem_fail_nth(0);
        assert_true(r == SCHEMA_OK || r == SCHEMA_BAD_JSON);
        if (r == SCHEMA_OK)
            json_decref(out);
        assert_int_equal(mem_live_count(), base);
    }
    assert_int_equal(r, SCHEMA_OK);
    assert_true(n > 10);
    json_set_alloc_funcs(malloc, free);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_length_respected),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_bad_field),
        cmocka_unit_test(test_err_buffer),
        cmocka_unit_test(test_peek),
        cmocka_unit_test(test_enomem_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
