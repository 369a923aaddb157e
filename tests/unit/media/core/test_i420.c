#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "media/core/i420.h"

static void test_size_even_and_odd(void **state)
{
    (void)state;
    assert_int_equal(i420_size(640, 360), 640 * 360 * 3 / 2);
    /* Chroma rounds up: 3x3 luma has 2x2 chroma planes. */
    assert_int_equal(i420_size(3, 3), 9 + 2 * 4);
    assert_int_equal(i420_size(1, 1), 3);
    assert_int_equal(i420_size(0, 10), 0);
    assert_int_equal(i420_size(10, -1), 0);
    assert_int_equal(i420_size(I420_MAX_DIM + 1, 2), 0);
}

static void test_wrap_layout(void **state)
{
    (void)state;
    uint8_t buf[9 + 2 * 4];
    struct i420 img;
    assert_int_equal(i420_wrap(&img, buf, sizeof(buf), 3, 3), 0);
    assert_ptr_equal(img.y, buf);
    assert_ptr_equal(img.u, buf + 9);
    assert_ptr_equal(img.v, buf + 13);
    assert_int_equal(img.stride_y, 3);
    assert_int_equal(img.stride_u, 2);
    assert_int_equal(img.stride_v, 2);
    assert_int_equal(img.width, 3);
    assert_int_equal(img.height, 3);
}

static void test_wrap_errors(void **state)
{
    (void)state;
    uint8_t buf[64];
    struct i420 img;
    assert_int_equal(i420_wrap(&img, buf, 16, 4, 4), -ENOSPC); /* needs 24 */
    assert_int_equal(i420_wrap(&img, buf, 24, 4, 4), 0);
    assert_int_equal(i420_wrap(NULL, buf, 64, 4, 4), -EINVAL);
    assert_int_equal(i420_wrap(&img, NULL, 64, 4, 4), -EINVAL);
    assert_int_equal(i420_wrap(&img, buf, 64, 0, 4), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_even_and_odd),
        cmocka_unit_test(test_wrap_layout),
        cmocka_unit_test(test_wrap_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
