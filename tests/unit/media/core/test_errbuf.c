/* errbuf: the message lands in the buffer, truncated and NUL-terminated;
 * a NULL buffer or a length of 0 is left alone; the code comes back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/errbuf.h"

static void test_fmt_writes_and_returns_code(void **state)
{
    (void)state;
    char err[64];
    assert_int_equal(errbuf_fmt(err, sizeof err, -EBADMSG, "line %d: %s", 7, "bad"), -EBADMSG);
    assert_string_equal(err, "line 7: bad");
    assert_int_equal(errbuf_fmt(err, sizeof err, 0, "%s", ""), 0);
    assert_string_equal(err, "");
}

static void test_truncates(void **state)
{
    (void)state;
    char err[8];
    memset(err, 'x', sizeof err);
    assert_int_equal(errbuf_fmt(err, 6, -EINVAL, "%s", "abcdefghij"), -EINVAL);
    assert_string_equal(err, "abcde");
    assert_int_equal(err[6], 'x'); /* nothing past errlen */
    errbuf_set(err, 1, "%d", 12345);
    assert_string_equal(err, "");
}

static void test_no_buffer(void **state)
{
    (void)state;
    assert_int_equal(errbuf_fmt(NULL, 64, -ENOSPC, "%s", "ignored"), -ENOSPC);
    char err[4] = "abc";
    assert_int_equal(errbuf_fmt(err, 0, -EINVAL, "%s", "zz"), -EINVAL);
    assert_string_equal(err, "abc");
    errbuf_set(NULL, 16, "%s", "ignored");
    errbuf_set(err, 0, "%s", "zz");
    assert_string_equal(err, "abc");
    errbuf_set(err, sizeof err, "%c%c", 'o', 'k');
    assert_string_equal(err, "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fmt_writes_and_returns_code),
        cmocka_unit_test(test_truncates),
        cmocka_unit_test(test_no_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
