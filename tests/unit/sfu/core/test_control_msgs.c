#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sfu/core/control_msgs.h"
#include "tests/unit/lib/schema_check.h"

static void ok(const char *text, const char *op)
{
    schema_check_ok(&(struct schema_check){"op", control_msgs, control_msgs_count}, text, op);
}

static void bad(const char *text, enum schema_result want, const char *msg)
{
    schema_check_bad(&(struct schema_check){"op", control_msgs, control_msgs_count}, text, want,
                     msg);
}

/* The requests of docs/control-protocol.md, in its order. */
static void test_table_matches_protocol(void **state)
{
    (void)state;
    static const char *const ops[] = {"room_open",          "room_close", "participant_add",
                                      "participant_remove", "publish",    "subscribe",
                                      "subscribe_answer",   "candidate",  "stats"};
    assert_int_equal(control_msgs_count, 9);
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(control_msgs[i].type, ops[i]);
        /* every request carries a required integer id */
        assert_string_equal(control_msgs[i].fields[0].name, "id");
        assert_int_equal(control_msgs[i].fields[0].type, SCHEMA_INT);
        assert_true(control_msgs[i].fields[0].required);
    }
}

static void test_valid_requests(void **state)
{
    (void)state;
    ok("{\"id\":1,\"op\":\"room_open\",\"room\":\"demo\"}", "room_open");
    ok("{\"id\":2,\"op\":\"room_close\",\"room\":\"demo\"}", "room_close");
    ok("{\"id\":3,\"op\":\"participant_add\",\"room\":\"demo\",\"participant\":\"p1\","
       "\"name\":\"Ch\xe1\xbb\x8b Lan\",\"role\":\"chair\"}",
       "participant_add");
    ok("{\"id\":4,\"op\":\"participant_remove\",\"participant\":\"p1\"}", "participant_remove");
    ok("{\"id\":7,\"op\":\"publish\",\"participant\":\"p1\",\"sdp\":\"v=0...\"}", "publish");
    ok("{\"id\":8,\"op\":\"subscribe\",\"participant\":\"p1\"}", "subscribe");
    ok("{\"id\":9,\"op\":\"subscribe_answer\",\"participant\":\"p1\",\"sdp\":\"v=0\"}",
       "subscribe_answer");
    ok("{\"id\":10,\"op\":\"candidate\",\"participant\":\"p1\",\"pc\":\"subscribe\","
       "\"candidate\":\"\"}",
       "candidate");
    ok("{\"id\":0,\"op\":\"stats\"}", "stats");
    ok("{\"id\":-1,\"op\":\"stats\",\"verbose\":true}", "stats");
}

static void test_bad_requests(void **state)
{
    (void)state;
    bad("{\"op\":\"stats\"}", SCHEMA_BAD_FIELD, "field \"id\": missing");
    bad("{\"id\":\"7\",\"op\":\"stats\"}", SCHEMA_BAD_FIELD, "field \"id\": expected integer");
    bad("{\"id\":7.5,\"op\":\"stats\"}", SCHEMA_BAD_FIELD, "field \"id\": expected integer");
    bad("{\"id\":1,\"op\":\"room_open\"}", SCHEMA_BAD_FIELD, "field \"room\": missing");
    bad("{\"id\":1,\"op\":\"room_open\",\"room\":1}", SCHEMA_BAD_FIELD,
        "field \"room\": expected string of at most 64 bytes");
    bad("{\"id\":3,\"op\":\"participant_add\",\"room\":\"demo\",\"participant\":\"p1\","
        "\"name\":\"N\",\"role\":\"admin\"}",
        SCHEMA_BAD_FIELD,
        "field \"role\": expected one of \"chair\", \"participant\", \"observer\"");
    bad("{\"id\":3,\"op\":\"participant_add\",\"room\":\"demo\",\"participant\":\"p1\","
        "\"role\":\"chair\"}",
        SCHEMA_BAD_FIELD, "field \"name\": missing");
    bad("{\"id\":7,\"op\":\"publish\",\"participant\":\"p1\"}", SCHEMA_BAD_FIELD,
        "field \"sdp\": missing");
    bad("{\"id\":10,\"op\":\"candidate\",\"participant\":\"p1\",\"pc\":\"both\","
        "\"candidate\":\"\"}",
        SCHEMA_BAD_FIELD, "field \"pc\": expected one of \"publish\", \"subscribe\"");
    bad("{\"id\":1,\"op\":\"hello\"}", SCHEMA_UNKNOWN_TYPE, "unknown op \"hello\"");
    bad("{\"id\":1,\"type\":\"stats\"}", SCHEMA_UNKNOWN_TYPE, "missing \"op\"");
    bad("{\"id\":1,\"op\":\"stats\"", SCHEMA_BAD_JSON, NULL);
}

static void test_limits(void **state)
{
    (void)state;
    char *t = malloc(CONTROL_MSGS_SDP_MAX + 128);
    assert_non_null(t);
    int n = sprintf(t, "{\"id\":1,\"op\":\"publish\",\"participant\":\"p\",\"sdp\":\"");
    memset(t + n, 's', CONTROL_MSGS_SDP_MAX);
    strcpy(t + n + CONTROL_MSGS_SDP_MAX, "\"}");
    ok(t, "publish");
    strcpy(t + n + CONTROL_MSGS_SDP_MAX, "s\"}");
    bad(t, SCHEMA_BAD_FIELD, "field \"sdp\": expected string of at most 65536 bytes");
    n = sprintf(t, "{\"id\":1,\"op\":\"participant_remove\",\"participant\":\"");
    memset(t + n, 'p', CONTROL_MSGS_ID_MAX);
    strcpy(t + n + CONTROL_MSGS_ID_MAX, "\"}");
    ok(t, "participant_remove");
    strcpy(t + n + CONTROL_MSGS_ID_MAX, "p\"}");
    bad(t, SCHEMA_BAD_FIELD, "field \"participant\": expected string of at most 64 bytes");
    free(t);
}

/* A failed request is answered with its id when one can be read. */
static void test_peek_id(void **state)
{
    (void)state;
    const char *t = "{\"id\":8,\"op\":\"publish\",\"participant\":\"nobody\"}";
    json_t *out;
    assert_int_equal(
        schema_parse(t, strlen(t), "op", control_msgs, control_msgs_count, &out, NULL, NULL, 0),
        SCHEMA_BAD_FIELD);
    json_decref(out);
    json_t *id = schema_peek(t, strlen(t), "id");
    assert_true(json_is_integer(id));
    assert_int_equal(json_integer_value(id), 8);
    json_decref(id);
    assert_null(schema_peek("not json", 8, "id"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_matches_protocol),
        cmocka_unit_test(test_valid_requests),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_peek_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
