/* control_hello: the first line of a TCP control connection — the right
 * hello, a wrong secret (longer, shorter, one byte off, empty), and every
 * line that is not a hello. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sfu/core/control_hello.h"

#define S "0123456789abcdef0123456789abcdef"

static int check(const char *line)
{
    return control_hello_check(line, strlen(line), S, strlen(S));
}

static void test_right_secret(void **state)
{
    (void)state;
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"" S "\"}"), 0);
    assert_int_equal(check(" {\"secret\":\"" S "\", \"op\":\"hello\"} "), 0);
    /* Other members are ignored, as in every request. */
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"" S "\",\"id\":3}"), 0);
    /* The line is not read past len. */
    const char *l = "{\"op\":\"hello\",\"secret\":\"" S "\"}garbage";
    assert_int_equal(control_hello_check(l, strlen(l) - 7, S, strlen(S)), 0);
}

static void test_wrong_secret(void **state)
{
    (void)state;
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"" S "0\"}"), -EACCES);
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"0123456789abcdef0123456789abcde\"}"),
                     -EACCES);
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"0123456789abcdef0123456789abcdeF\"}"),
                     -EACCES);
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"\"}"), -EACCES);
    assert_int_equal(check("{\"op\":\"hello\",\"secret\":\"X123456789abcdef0123456789abcdef\"}"),
                     -EACCES);
    assert_true(control_hello_equal("abc", 3, "abc", 3));
    assert_false(control_hello_equal("abc", 3, "abd", 3));
    assert_false(control_hello_equal("ab", 2, "ab\0", 3)); /* shorter a, padded with 0 */
    assert_false(control_hello_equal("abcd", 4, "abc", 3));
    assert_true(control_hello_equal("", 0, "", 0));
}

static void test_not_a_hello(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "not json",
        "[\"hello\"]",
        "\"hello\"",
        "{}",
        "{\"op\":\"hello\"}",
        "{\"secret\":\"" S "\"}",
        "{\"op\":\"room_open\",\"room\":\"x\",\"secret\":\"" S "\"}",
        "{\"op\":\"HELLO\",\"secret\":\"" S "\"}",
        "{\"op\":\"hello\",\"secret\":7}",
        "{\"op\":\"hello\",\"secret\":null}",
        "{\"op\":7,\"secret\":\"" S "\"}",
        "{\"op\":\"hello\",\"secret\":\"" S "\",\"op\":\"hello\"}",
        "{\"op\":\"hello\",\"secret\":\"" S "\"} {}",
        "{\"id\":1,\"op\":\"stats\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (check(bad[i]) != -EBADMSG)
            fail_msg("case %zu: %d for %s", i, check(bad[i]), bad[i]);
    /* Over CONTROL_HELLO_MAX_LINE: refused before parsing. */
    char big[CONTROL_HELLO_MAX_LINE + 64];
    int n = snprintf(big, sizeof big, "{\"op\":\"hello\",\"secret\":\"" S "\",\"pad\":\"");
    memset(big + n, 'x', sizeof big - (size_t)n - 3);
    memcpy(big + sizeof big - 3, "\"}", 3);
    assert_int_equal(check(big), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_right_secret),
        cmocka_unit_test(test_wrong_secret),
        cmocka_unit_test(test_not_a_hello),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
