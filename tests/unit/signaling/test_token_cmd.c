#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "signaling/jwt.h"
#include "signaling/token_cmd.h"
#include "tests/unit/lib/tmp_file.h"

#define SECRET "token-cmd-test-secret-0123456789abcdef"
#define NAME_VI "Ch\xe1\xbb\x8b Lan"

static const char config_text[] =
    "{\"signaling\":{\"token_secret\":\"" SECRET "\"},"
    "\"rooms\":[{\"id\":\"demo\"},{\"id\":\"phuong-1\",\"title\":\"Ph\xc6\xb0\xe1\xbb\x9dng 1\"}]}";

/* Temporary files go next to the test binary. */
static char config_path[600], bad_config_path[600];

static void write_tmp(char *path, size_t cap, const char *text)
{
    tmp_file_write(path, cap, "test_token_cmd", text, strlen(text));
}

static int setup(void **state)
{
    (void)state;
    write_tmp(config_path, sizeof config_path, config_text);
    write_tmp(bad_config_path, sizeof bad_config_path, "{\"signaling\":{\"port\":\"abc\"}}");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(config_path);
    unlink(bad_config_path);
    return 0;
}

/* Everything written to f, NUL-terminated, in buf. */
static void slurp(FILE *f, char *buf, size_t cap)
{
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
}

struct run {
    int rc;
    char out[8192], err[8192];
};

static void run(struct run *r, int64_t now, int argc, char **argv)
{
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    r->rc = token_cmd_run(argc, argv, now, out, err);
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
    fclose(out);
    fclose(err);
}

#define RUN(r, now, ...)                                                                           \
    do {                                                                                           \
        char *argv_[] = {"token", __VA_ARGS__};                                                    \
        run(r, now, (int)(sizeof argv_ / sizeof argv_[0]), argv_);                                 \
    } while (0)

/* token_cmd_main itself: stdout redirected to a temporary file. */
static void test_main_prints_token(void **state)
{
    (void)state;
    char *argv[] = {"token",  "--config", config_path, "--room", "demo",
                    "--role", "chair",    "--name",    NAME_VI,  NULL};
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
    int64_t before = (int64_t)time(NULL);
    int rc = token_cmd_main(9, argv);
    int64_t after = (int64_t)time(NULL);
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    assert_int_equal(rc, 0);
    char buf[JWT_MAX_LEN + 8];
    slurp(tmp, buf, sizeof buf);
    fclose(tmp);
    size_t n = strlen(buf);
    assert_true(n > 2 && buf[n - 1] == '\n');
    buf[n - 1] = '\0';
    assert_null(strchr(buf, '\n'));
    struct jwt_claims c;
    assert_int_equal(jwt_verify(SECRET, strlen(SECRET), buf, after, &c), 0);
    assert_string_equal(c.room, "demo");
    assert_string_equal(c.role, "chair");
    assert_string_equal(c.name, NAME_VI);
    assert_true(c.iat >= before && c.iat <= after);
    assert_int_equal(c.exp - c.iat, TOKEN_CMD_DEFAULT_TTL);
}

static void test_ttl_and_forms(void **state)
{
    (void)state;
    static struct run r;
    RUN(&r, 1700000000, "--config=", "--room", "phuong-1", "--ttl=600", "--role=observer", "--name",
        "Kỹ thuật viên", "--config", config_path);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.err, "");
    r.out[strlen(r.out) - 1] = '\0';
    struct jwt_claims c;
    assert_int_equal(jwt_verify(SECRET, strlen(SECRET), r.out, 1700000599, &c), 0);
    assert_string_equal(c.room, "phuong-1");
    assert_string_equal(c.role, "observer");
    assert_int_equal(c.iat, 1700000000);
    assert_int_equal(c.exp, 1700000600);
    assert_int_equal(jwt_verify(SECRET, strlen(SECRET), r.out, 1700000600, &c), -ETIMEDOUT);
    /* The same claims signed directly give the same token. */
    struct jwt_claims want = {
        .room = "phuong-1", .role = "observer", .exp = 1700000600, .iat = 1700000000};
    strcpy(want.name, "Kỹ thuật viên");
    char tok[JWT_MAX_LEN + 1];
    assert_int_equal(jwt_sign(SECRET, strlen(SECRET), &want, tok, sizeof tok), 0);
    assert_string_equal(r.out, tok);
    RUN(&r, 5, "--config", config_path, "--room", "demo", "--role", "participant", "--name", "P",
        "--ttl", "31536000");
    assert_int_equal(r.rc, 0);
    r.out[strlen(r.out) - 1] = '\0';
    assert_int_equal(jwt_verify(SECRET, strlen(SECRET), r.out, 0, &c), 0);
    assert_int_equal(c.exp, 5 + 31536000);
}

/* Each bad invocation: exit 2 and a message naming the problem. */
static void expect_usage(struct run *r, const char *msg)
{
    assert_int_equal(r->rc, 2);
    assert_string_equal(r->out, "");
    if (!strstr(r->err, msg))
        fail_msg("stderr \"%s\" lacks \"%s\"", r->err, msg);
    assert_non_null(strstr(r->err, "usage: signaling token"));
}

static void test_usage_errors(void **state)
{
    (void)state;
    static struct run r;
    RUN(&r, 0, "--room", "demo", "--role", "chair", "--name", "N");
    expect_usage(&r, "signaling token: --config is required");
    RUN(&r, 0, "--config", config_path, "--role", "chair", "--name", "N");
    expect_usage(&r, "--room is required");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--name", "N");
    expect_usage(&r, "--role is required");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "chair");
    expect_usage(&r, "--name is required");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "chair", "--name");
    expect_usage(&r, "--name needs a value");
    RUN(&r, 0, "--config", config_path, "--rooms", "demo", "--role", "chair", "--name", "N");
    expect_usage(&r, "unknown option --rooms");
    RUN(&r, 0, "--config", config_path, "demo");
    expect_usage(&r, "unexpected argument \"demo\"");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "admin", "--name", "N");
    expect_usage(&r, "--role must be chair, participant or observer, not \"admin\"");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "chair", "--name", "");
    expect_usage(&r, "--name must be 1..64 bytes");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "chair", "--name",
        "01234567890123456789012345678901234567890123456789012345678901234");
    expect_usage(&r, "--name must be 1..64 bytes");
    RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "chair", "--name", "\xff");
    expect_usage(&r, "--name must be UTF-8");
    static const char *const bad_ttl[] = {
        "0", "-5", "abc", "10s", "", "31536001", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad_ttl / sizeof bad_ttl[0]; i++) {
        RUN(&r, 0, "--config", config_path, "--room", "demo", "--role", "chair", "--name", "N",
            "--ttl", (char *)bad_ttl[i]);
        expect_usage(&r, "--ttl must be 1..31536000 seconds");
    }
    RUN(&r, 0, "--config", config_path, "--room", "nope", "--role", "chair", "--name", "N");
    assert_int_equal(r.rc, 2);
    char want[700];
    snprintf(want, sizeof want, "signaling token: no room \"nope\" in %s\n", config_path);
    assert_string_equal(r.err, want);
}

static void test_config_errors(void **state)
{
    (void)state;
    static struct run r;
    RUN(&r, 0, "--config", "no/such/config.json", "--room", "demo", "--role", "chair", "--name",
        "N");
    assert_int_equal(r.rc, 1);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "signaling token: no/such/config.json: No such file or directory\n");
    RUN(&r, 0, "--config", bad_config_path, "--room", "demo", "--role", "chair", "--name", "N");
    assert_int_equal(r.rc, 1);
    char want[700];
    snprintf(want, sizeof want,
             "signaling token: %s: signaling.port: expected integer 1..65535, got \"abc\"\n",
             bad_config_path);
    assert_string_equal(r.err, want);
}

static void test_help_and_write_error(void **state)
{
    (void)state;
    static struct run r;
    RUN(&r, 0, "--help");
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "usage: signaling token --config FILE"));
    assert_string_equal(r.err, "");
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        return; /* no such device here: nothing to test */
    FILE *err = tmpfile();
    char *argv[] = {"token",  "--config", config_path, "--room", "demo",
                    "--role", "chair",    "--name",    "N"};
    assert_int_equal(token_cmd_run(9, argv, 0, full, err), 1);
    slurp(err, r.err, sizeof r.err);
    assert_string_equal(r.err, "signaling token: cannot write the token\n");
    fclose(full);
    fclose(err);
}

int main(int argc, char **argv)
{
    (void)argc;
    tmp_file_init(argv[0]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_main_prints_token),    cmocka_unit_test(test_ttl_and_forms),
        cmocka_unit_test(test_usage_errors),         cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_help_and_write_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
