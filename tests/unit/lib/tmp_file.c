/* tmp_file — see tmp_file.h. */
#include "tests/unit/lib/tmp_file.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char tmp_dir[512] = ".";

void tmp_file_init(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    if (slash)
        snprintf(tmp_dir, sizeof tmp_dir, "%.*s", (int)(slash - argv0), argv0);
}

void tmp_file_write(char *path, size_t cap, const char *prefix, const void *data, size_t len)
{
    int n = snprintf(path, cap, "%s/%s.XXXXXX", tmp_dir, prefix);
    assert_true(n > 0 && (size_t)n < cap);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}
