#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "signaling/core/client_msgs.h"
#include "tests/unit/lib/schema_check.h"

static void ok(const char *text, const char *type)
{
    schema_check_ok(&(struct schema_check){"type", client_msgs, client_msgs_count}, text, type);
}

static void bad(const char *text, enum schema_result want, const char *msg)
{
    schema_check_bad(&(struct schema_check){"type", client_msgs, client_msgs_count}, text, want,
                     msg);
}

/* The six requests of docs/protocol.md, in its order. */
static void test_table_matches_protocol(void **state)
{
    (void)state;
    static const char *const types[] = {"join",      "publish", "subscribe", "subscribe_answer",
                                        "candidate", "leave"};
    assert_int_equal(client_msgs_count, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(client_msgs[i].type, types[i]);
}

static void test_valid_messages(void **state)
{
    (void)state;
    ok("{\"type\":\"join\",\"token\":\"eyJ.eyJ.sig\"}", "join");
    ok("{\"type\":\"join\",\"token\":\"t\",\"ref\":1}", "join");
    ok("{\"type\":\"publish\",\"sdp\":\"v=0\\r\\n\",\"ref\":\"p1\"}", "publish");
    ok("{\"type\":\"subscribe\"}", "subscribe");
    ok("{\"type\":\"subscribe\",\"ref\":2.5}", "subscribe");
    ok("{\"type\":\"subscribe_answer\",\"sdp\":\"v=0\\r\\n\"}", "subscribe_answer");
    ok("{\"type\":\"candidate\",\"pc\":\"publish\",\"candidate\":\"candidate:1 1 udp 2122260223 "
       "127.0.0.1 50000 typ host\"}",
       "candidate");
    ok("{\"type\":\"candidate\",\"pc\":\"subscribe\",\"candidate\":\"\"}", "candidate");
    ok("{\"type\":\"leave\"}", "leave");
    ok("{\"ref\":\"x\",\"type\":\"leave\",\"reason\":\"bye\"}", "leave");
}

static void test_limits(void **state)
{
    (void)state;
    size_t big = CLIENT_MSGS_SDP_MAX + 1;
    char *t = malloc(big + 64);
    assert_non_null(t);
    int n = sprintf(t, "{\"type\":\"publish\",\"sdp\":\"");
    memset(t + n, 'a', CLIENT_MSGS_SDP_MAX);
    strcpy(t + n + CLIENT_MSGS_SDP_MAX, "\"}");
    ok(t, "publish");
    memset(t + n, 'a', big);
    strcpy(t + n + big, "\"}");
    bad(t, SCHEMA_BAD_FIELD, "field \"sdp\": expected string of at most 32768 bytes");
    n = sprintf(t, "{\"type\":\"join\",\"token\":\"");
    memset(t + n, 'a', CLIENT_MSGS_TOKEN_MAX + 1);
    strcpy(t + n + CLIENT_MSGS_TOKEN_MAX + 1, "\"}");
    bad(t, SCHEMA_BAD_FIELD, "field \"token\": expected string of at most 4096 bytes");
    n = sprintf(t, "{\"type\":\"candidate\",\"pc\":\"publish\",\"candidate\":\"");
    memset(t + n, 'a', CLIENT_MSGS_CANDIDATE_MAX + 1);
    strcpy(t + n + CLIENT_MSGS_CANDIDATE_MAX + 1, "\"}");
    bad(t, SCHEMA_BAD_FIELD, "field \"candidate\": expected string of at most 1024 bytes");
    n = sprintf(t, "{\"type\":\"leave\",\"ref\":\"");
    memset(t + n, 'a', CLIENT_MSGS_REF_MAX);
    strcpy(t + n + CLIENT_MSGS_REF_MAX, "\"}");
    ok(t, "leave");
    strcpy(t + n + CLIENT_MSGS_REF_MAX, "a\"}");
    bad(t, SCHEMA_BAD_FIELD, "field \"ref\": expected number or string of at most 256 bytes");
    free(t);
}

static void test_bad_messages(void **state)
{
    (void)state;
    bad("{\"type\":\"join\"}", SCHEMA_BAD_FIELD, "field \"token\": missing");
    bad("{\"type\":\"join\",\"token\":7}", SCHEMA_BAD_FIELD,
        "field \"token\": expected string of at most 4096 bytes");
    bad("{\"type\":\"publish\"}", SCHEMA_BAD_FIELD, "field \"sdp\": missing");
    bad("{\"type\":\"subscribe_answer\",\"sdp\":{}}", SCHEMA_BAD_FIELD,
        "field \"sdp\": expected string of at most 32768 bytes");
    bad("{\"type\":\"candidate\",\"candidate\":\"\"}", SCHEMA_BAD_FIELD, "field \"pc\": missing");
    bad("{\"type\":\"candidate\",\"pc\":\"recv\",\"candidate\":\"\"}", SCHEMA_BAD_FIELD,
        "field \"pc\": expected one of \"publish\", \"subscribe\"");
    bad("{\"type\":\"candidate\",\"pc\":\"publish\"}", SCHEMA_BAD_FIELD,
        "field \"candidate\": missing");
    bad("{\"type\":\"candidate\",\"pc\":\"publish\",\"candidate\":null}", SCHEMA_BAD_FIELD, NULL);
    bad("{\"type\":\"leave\",\"ref\":[1]}", SCHEMA_BAD_FIELD, NULL);
    bad("{\"type\":\"leave\",\"ref\":null}", SCHEMA_BAD_FIELD, NULL);
    bad("{\"type\":\"joined\"}", SCHEMA_UNKNOWN_TYPE, "unknown type \"joined\"");
    bad("{\"type\":\"error\"}", SCHEMA_UNKNOWN_TYPE, NULL);
    bad("{\"token\":\"t\"}", SCHEMA_UNKNOWN_TYPE, "missing \"type\"");
    bad("{\"type\":\"leave\"", SCHEMA_BAD_JSON, NULL);
    bad("[\"leave\"]", SCHEMA_BAD_JSON, "expected a JSON object");
}

static void test_error_codes(void **state)
{
    (void)state;
    assert_null(client_error_code(SCHEMA_OK));
    assert_string_equal(client_error_code(SCHEMA_BAD_JSON), "bad_json");
    assert_string_equal(client_error_code(SCHEMA_UNKNOWN_TYPE), "unknown_type");
    assert_string_equal(client_error_code(SCHEMA_BAD_FIELD), "bad_field");
    assert_string_equal(client_error_code((enum schema_result)99), "bad_json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_matches_protocol),
        cmocka_unit_test(test_valid_messages),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_bad_messages),
        cmocka_unit_test(test_error_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
