/* web_path: request paths to files under the web root, every refused class
 * (traversal, hidden files, encodings, control bytes), MIME types, and the
 * canonical-path containment check. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "signaling/web_path.h"

static void expect_path(const char *root, const char *path, const char *want)
{
    char out[256];
    assert_int_equal(web_path_resolve(root, path, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_resolve(void **state)
{
    (void)state;
    expect_path("/srv/web", "/", "/srv/web/index.html");
    expect_path("/srv/web/", "/", "/srv/web/index.html");
    expect_path("/srv/web", "/app.js", "/srv/web/app.js");
    expect_path("/srv/web", "/lib/x.css", "/srv/web/lib/x.css");
    expect_path("/srv/web", "/lib/", "/srv/web/lib/index.html");
    expect_path("/srv/web", "/?token=abc.def", "/srv/web/index.html");
    expect_path("/srv/web", "/app.js?v=2#top", "/srv/web/app.js");
    expect_path("web", "/a.b.c", "web/a.b.c");
    expect_path("/", "/x.html", "/x.html");
}

static void test_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",        "x",      "..",     "/..",       "/../etc/passwd",
        "/a/../b", "/a/..",  "/./a",   "/a/./b",    "/.git/config",
        "/.env",   "/a//b",  "//etc",  "/a\\..\\b", "/%2e%2e/x",
        "/%2F",    "/a\x01", "/a\x7f", "/a\nb",     "/a/.hidden/",
    };
    char out[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = web_path_resolve("/srv/web", bad[i], out, sizeof out);
        if (rc != -EINVAL)
            fail_msg("path \"%s\": %d, expected -EINVAL", bad[i], rc);
    }
    assert_int_equal(web_path_resolve(NULL, "/", out, sizeof out), -EINVAL);
    assert_int_equal(web_path_resolve("", "/", out, sizeof out), -EINVAL);
    assert_int_equal(web_path_resolve("/r", NULL, out, sizeof out), -EINVAL);
    assert_int_equal(web_path_resolve("/r", "/", NULL, 0), -EINVAL);
}

static void test_short_buffer(void **state)
{
    (void)state;
    char out[16];
    /* "/srv/web/index.html" is 19 bytes + NUL. */
    assert_int_equal(web_path_resolve("/srv/web", "/", out, 19), -ENOSPC);
    assert_int_equal(web_path_resolve("/srv/web", "/", out, 16), -ENOSPC);
    char fit[20];
    assert_int_equal(web_path_resolve("/srv/web", "/", fit, sizeof fit), 0);
    assert_string_equal(fit, "/srv/web/index.html");
}

static void test_mime(void **state)
{
    (void)state;
    assert_string_equal(web_path_mime("/w/index.html"), "text/html; charset=utf-8");
    assert_string_equal(web_path_mime("/w/app.js"), "text/javascript; charset=utf-8");
    assert_string_equal(web_path_mime("/w/style.css"), "text/css; charset=utf-8");
    assert_string_equal(web_path_mime("/w/a.json"), "application/json");
    assert_string_equal(web_path_mime("/w/logo.svg"), "image/svg+xml");
    assert_string_equal(web_path_mime("/w/x.tar.gz"), "application/octet-stream");
    assert_string_equal(web_path_mime("/w.html/README"), "application/octet-stream");
    assert_string_equal(web_path_mime("/w/html"), "application/octet-stream");
    assert_string_equal(web_path_mime("/w/x.HTML"), "application/octet-stream");
    assert_string_equal(web_path_mime(NULL), "application/octet-stream");
}

static void test_inside(void **state)
{
    (void)state;
    assert_true(web_path_inside("/srv/web", "/srv/web/index.html"));
    assert_true(web_path_inside("/srv/web", "/srv/web"));
    assert_true(web_path_inside("/srv/web/", "/srv/web/a/b"));
    assert_true(web_path_inside("/", "/etc/passwd"));
    assert_false(web_path_inside("/srv/web", "/srv/webx/index.html"));
    assert_false(web_path_inside("/srv/web", "/srv/we"));
    assert_false(web_path_inside("/srv/web", "/etc/passwd"));
    assert_false(web_path_inside("/srv/web", "relative"));
    assert_false(web_path_inside(NULL, "/srv/web"));
    assert_false(web_path_inside("/srv/web", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),      cmocka_unit_test(test_refused),
        cmocka_unit_test(test_short_buffer), cmocka_unit_test(test_mime),
        cmocka_unit_test(test_inside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
