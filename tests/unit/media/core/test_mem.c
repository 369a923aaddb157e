#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/mem.h"

static void test_alloc_and_free_balance(void **state)
{
    (void)state;
    long before = mem_live_count();
    char *s = mem_strdup("cầu");
    assert_non_null(s);
    assert_string_equal(s, "cầu");
    assert_int_equal(mem_live_count(), before + 1);
    mem_free(s);
    assert_int_equal(mem_live_count(), before);
}

static void test_nth_allocation_fails(void **state)
{
    (void)state;
    mem_fail_nth(2);
    void *a = mem_alloc(8);
    void *b = mem_alloc(8);
    void *c = mem_zalloc(8);
    assert_non_null(a);
    assert_null(b);
    assert_null(c);
    assert_int_equal(mem_alloc_count(), 3);
    mem_fail_nth(0);
    mem_free(a);
}

static void test_realloc_failure_keeps_block(void **state)
{
    (void)state;
    char *p = mem_strndup("abcdef", 3);
    assert_string_equal(p, "abc");
    mem_fail_nth(1);
    assert_null(mem_realloc(p, 64));
    mem_fail_nth(0);
    assert_string_equal(p, "abc");
    mem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_and_free_balance),
        cmocka_unit_test(test_nth_allocation_fails),
        cmocka_unit_test(test_realloc_failure_keeps_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
