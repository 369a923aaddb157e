#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "media/core/mem.h"
#include "signaling/core/config.h"
#include "tests/unit/lib/tmp_file.h"

#define SECRET "0123456789abcdef0123456789abcdef"
#define TS "\"token_secret\":\"" SECRET "\","
#define SIG_MIN "\"signaling\":{\"token_secret\":\"" SECRET "\"}"

/* The built-in defaults, which configs/default.json spells out too (all
 * but the secrets and the rooms). */
static void assert_defaults(const struct cau_config *c)
{
    assert_string_equal(c->signaling.listen, "127.0.0.1");
    assert_int_equal(c->signaling.port, 8080);
    assert_string_equal(c->signaling.web_root, "signaling/web");
    assert_int_equal(c->signaling.max_message_bytes, 65536);
    assert_int_equal(c->signaling.messages_per_second, 50);
    assert_int_equal(c->signaling.participant_timeout_s, 10);
    assert_string_equal(c->sfu.control_socket, "build/run/sfu.sock");
    assert_int_equal(c->sfu.n_media_addrs, 1);
    assert_string_equal(c->sfu.media_addrs[0], "127.0.0.1");
    assert_int_equal(c->sfu.port_min, 40000);
    assert_int_equal(c->sfu.port_max, 40999);
    assert_int_equal(c->sfu.workers, 2);
    assert_string_equal(c->sfu.control_tcp, "");
    assert_string_equal(c->sfu.control_secret, "");
}

static void test_default_json(void **state)
{
    (void)state;
    struct cau_config c;
    char err[256];
    int rc = config_load_file("configs/default.json", &c, err, sizeof err);
    if (rc)
        fail_msg("%s", err);
    assert_string_equal(err, "");
    assert_defaults(&c);
    assert_true(strlen(c.signaling.token_secret) >= CONFIG_TOKEN_SECRET_MIN);
    assert_true(strlen(c.signaling.admin_key) >= 16);
    assert_int_equal(c.n_rooms, 1);
    assert_string_equal(c.rooms[0].id, "demo");
    assert_string_equal(c.rooms[0].title, "Demo meeting");
    assert_ptr_equal(config_find_room(&c, "demo"), &c.rooms[0]);
    assert_null(config_find_room(&c, "Demo"));
    assert_null(config_find_room(&c, ""));
}

static void test_defaults(void **state)
{
    (void)state;
    struct cau_config c;
    char err[256];
    const char *t = "{" SIG_MIN "}";
    assert_int_equal(config_load_string(t, strlen(t), &c, err, sizeof err), 0);
    assert_defaults(&c);
    assert_string_equal(c.signaling.token_secret, SECRET);
    assert_string_equal(c.signaling.admin_key, "");
    assert_int_equal(c.n_rooms, 0);
}

static void test_values(void **state)
{
    (void)state;
    struct cau_config c;
    char err[256];
    const char *t =
        "{\"rooms\":[{\"id\":\"tinh-thai-nguyen\",\"title\":\"H\xe1\xbb\x8dp t\xe1\xbb\x89nh\"},"
        "{\"id\":\"Phuong_1\"},{\"id\":\"x\",\"title\":\"\"}],"
        "\"sfu\":{\"media_addrs\":[\"10.0.0.2\",\"::1\",\"fe80::1\",\"0.0.0.0\"],"
        "\"port_min\":1024,\"port_max\":1024,\"workers\":64,\"control_socket\":\"/run/cau/s\"},"
        "\"signaling\":{\"listen\":\"::\",\"port\":1,\"token_secret\":\"" SECRET "\","
        "\"admin_key\":\"k\",\"max_message_bytes\":40960,\"messages_per_second\":10000,"
        "\"participant_timeout_s\":3600,\"web_root\":\"/srv/web\"}}";
    assert_int_equal(config_load_string(t, strlen(t), &c, err, sizeof err), 0);
    assert_string_equal(c.signaling.listen, "::");
    assert_int_equal(c.signaling.port, 1);
    assert_string_equal(c.signaling.admin_key, "k");
    assert_int_equal(c.signaling.max_message_bytes, 40960);
    assert_int_equal(c.sfu.n_media_addrs, 4);
    assert_string_equal(c.sfu.media_addrs[1], "::1");
    assert_string_equal(c.sfu.media_addrs[3], "0.0.0.0");
    assert_int_equal(c.sfu.port_min, 1024);
    assert_int_equal(c.sfu.workers, 64);
    assert_int_equal(c.n_rooms, 3);
    assert_string_equal(c.rooms[0].title, "H\xe1\xbb\x8dp t\xe1\xbb\x89nh");
    assert_string_equal(c.rooms[1].title, "Phuong_1"); /* default: the id */
    assert_string_equal(c.rooms[2].title, "x");
    assert_ptr_equal(config_find_room(&c, "Phuong_1"), &c.rooms[1]);
}

#define CSECRET "\"control_secret\":\"" SECRET "\""

/* sfu.control_tcp: "HOST:PORT", IPv6 in brackets; the secret it needs. */
static void test_control_tcp(void **state)
{
    (void)state;
    static const struct {
        const char *addr, *host;
        int port;
    } good[] = {
        {"127.0.0.1:9000", "127.0.0.1", 9000},
        {"0.0.0.0:1", "0.0.0.0", 1},
        {"[::1]:65535", "::1", 65535},
        {"[2001:db8::7]:0443", "2001:db8::7", 443},
        {"[::ffff:10.0.0.1]:9", "::ffff:10.0.0.1", 9},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char t[512], err[256];
        struct cau_config c;
        snprintf(t, sizeof t, "{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"%s\"," CSECRET "}}",
                 good[i].addr);
        if (config_load_string(t, strlen(t), &c, err, sizeof err) != 0)
            fail_msg("%s: %s", good[i].addr, err);
        assert_string_equal(c.sfu.control_tcp, good[i].addr);
        assert_string_equal(c.sfu.control_secret, SECRET);
        char host[64];
        int port = 0;
        assert_int_equal(config_host_port(c.sfu.control_tcp, host, sizeof host, &port), 0);
        assert_string_equal(host, good[i].host);
        assert_int_equal(port, good[i].port);
    }
    /* A secret without control_tcp is allowed (and unused); "" is off. */
    struct cau_config c;
    char err[256], host[64];
    int port = 7;
    const char *t = "{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"\",\"control_secret\":\"x\"}}";
    assert_int_equal(config_load_string(t, strlen(t), &c, err, sizeof err), 0);
    assert_string_equal(c.sfu.control_tcp, "");
    /* config_host_port refuses what the config would. */
    static const char *const bad[] = {"",
                                      "9000",
                                      ":9000",
                                      "127.0.0.1",
                                      "127.0.0.1:",
                                      "127.0.0.1:0",
                                      "1.2.3.4:65536",
                                      "::1:9000",
                                      "[127.0.0.1]:9",
                                      "[::1]9000",
                                      "[::1]:",
                                      "h:9000",
                                      "1.2.3.4:+9",
                                      "1.2.3.4:123456",
                                      "[]:9",
                                      "1.2.3.4: 9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (config_host_port(bad[i], host, sizeof host, &port) != -EINVAL)
            fail_msg("\"%s\" accepted", bad[i]);
    assert_int_equal(port, 7);
    /* host must fit. */
    assert_int_equal(config_host_port("[2001:db8::7]:9", host, 11, &port), -EINVAL);
    assert_int_equal(config_host_port("[2001:db8::7]:9", host, 12, &port), 0);
}

static void test_limits(void **state)
{
    (void)state;
    static char t[16384];
    struct cau_config c;
    char err[256];
    /* 64 rooms with 64-byte ids and 128-byte titles; a 255-byte secret. */
    size_t n = (size_t)snprintf(t, sizeof t,
                                "{\"signaling\":{\"token_secret\":\"%0255d\"},"
                                "\"rooms\":[",
                                7);
    for (int i = 0; i < CONFIG_MAX_ROOMS; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "%s{\"id\":\"%064d\",\"title\":\"%0128d\"}",
                              i ? "," : "", i, i);
    snprintf(t + n, sizeof t - n, "]}");
    assert_int_equal(config_load_string(t, strlen(t), &c, err, sizeof err), 0);
    assert_int_equal(c.n_rooms, 64);
    assert_int_equal(strlen(c.rooms[63].id), 64);
    assert_int_equal(strlen(c.rooms[63].title), 128);
    assert_int_equal(strlen(c.signaling.token_secret), 255);
    /* One room more. */
    snprintf(t + n, sizeof t - n, ",{\"id\":\"r\"}]}");
    assert_int_equal(config_load_string(t, strlen(t), &c, err, sizeof err), -EINVAL);
    assert_string_equal(err, "rooms: expected array of at most 64 rooms, got 65");
}

struct bad_case {
    const char *json;
    const char *err;
};

static const struct bad_case bad_cases[] = {
    {"{\"signaling\":{\"port\":\"abc\",\"token_secret\":\"" SECRET "\"}}",
     "signaling.port: expected integer 1..65535, got \"abc\""},
    {"{\"signaling\":{\"port\":0,\"token_secret\":\"" SECRET "\"}}",
     "signaling.port: expected integer 1..65535, got 0"},
    {"{\"signaling\":{\"port\":65536}}", "signaling.port: expected integer 1..65535, got 65536"},
    {"{\"signaling\":{\"port\":80.5}}", "signaling.port: expected integer 1..65535, got 80.5"},
    {"{\"signaling\":{\"port\":true}}", "signaling.port: expected integer 1..65535, got true"},
    {"{\"signaling\":{\"port\":null}}", "signaling.port: expected integer 1..65535, got null"},
    {"{\"signaling\":{\"port\":[8080]}}",
     "signaling.port: expected integer 1..65535, got an array"},
    {"{\"signaling\":{\"port\":-4294959216}}",
     "signaling.port: expected integer 1..65535, got -4294959216"},
    {"{}", "signaling.token_secret: missing"},
    {"{\"signaling\":{}}", "signaling.token_secret: missing"},
    {"{\"signaling\":{\"token_secret\":\"short\"}}",
     "signaling.token_secret: expected string of 32..255 bytes, got 5 bytes"},
    {"{\"signaling\":{\"token_secret\":\"0123456789abcdef0123456789abcde\"}}",
     "signaling.token_secret: expected string of 32..255 bytes, got 31 bytes"},
    {"{\"signaling\":{\"token_secret\":32}}",
     "signaling.token_secret: expected string of 32..255 bytes, got 32"},
    {"{\"signalling\":{}}", "signalling: unknown key"},
    {"{\"signaling\":{\"prot\":1}}", "signaling.prot: unknown key"},
    {"{" SIG_MIN ",\"sfu\":{\"worker\":2}}", "sfu.worker: unknown key"},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"a\",\"name\":\"b\"}]}", "rooms[0].name: unknown key"},
    {"{\"signaling\":{\"\\u00e9\":1}}", "signaling: unknown key of 2 bytes"},
    {"{\"signaling\":{\"listen\":\"localhost\"}}",
     "signaling.listen: expected an IPv4 or IPv6 address, got \"localhost\""},
    {"{\"signaling\":{\"listen\":\"127.0.0.1 \"}}",
     "signaling.listen: expected an IPv4 or IPv6 address, got \"127.0.0.1 \""},
    {"{\"signaling\":{\"web_root\":\"\"}}",
     "signaling.web_root: expected string of 1..255 bytes, got 0 bytes"},
    {"{\"signaling\":{" TS "\"max_message_bytes\":1000}}",
     "signaling.max_message_bytes: expected integer 40960..1048576, got 1000"},
    {"{\"signaling\":{" TS "\"messages_per_second\":0}}",
     "signaling.messages_per_second: expected integer 1..10000, got 0"},
    {"{\"signaling\":{" TS "\"participant_timeout_s\":3601}}",
     "signaling.participant_timeout_s: expected integer 1..3600, got 3601"},
    {"{" SIG_MIN ",\"sfu\":{\"media_addrs\":[]}}",
     "sfu.media_addrs: expected array of 1..4 addresses, got 0"},
    {"{" SIG_MIN ",\"sfu\":{\"media_addrs\":[\"1.1.1.1\",\"1.1.1.2\",\"1.1.1.3\",\"1.1.1.4\","
     "\"1.1.1.5\"]}}",
     "sfu.media_addrs: expected array of 1..4 addresses, got 5"},
    {"{" SIG_MIN ",\"sfu\":{\"media_addrs\":\"127.0.0.1\"}}",
     "sfu.media_addrs: expected array of 1..4 addresses, got \"127.0.0.1\""},
    {"{" SIG_MIN ",\"sfu\":{\"media_addrs\":[\"127.0.0.1\",\"127.0.0.256\"]}}",
     "sfu.media_addrs[1]: expected an IPv4 or IPv6 address, got \"127.0.0.256\""},
    {"{" SIG_MIN ",\"sfu\":{\"media_addrs\":[1]}}",
     "sfu.media_addrs[0]: expected an IPv4 or IPv6 address, got 1"},
    {"{" SIG_MIN ",\"sfu\":{\"port_min\":40001,\"port_max\":40000}}",
     "sfu.port_max: 40000 is below sfu.port_min 40001"},
    {"{" SIG_MIN ",\"sfu\":{\"port_min\":80}}",
     "sfu.port_min: expected integer 1024..65535, got 80"},
    {"{" SIG_MIN ",\"sfu\":{\"workers\":0}}", "sfu.workers: expected integer 1..64, got 0"},
    {"{" SIG_MIN ",\"sfu\":{\"control_socket\":\"\"}}",
     "sfu.control_socket: expected string of 1..107 bytes, got 0 bytes"},
    {"{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"localhost:9000\"," CSECRET "}}",
     "sfu.control_tcp: expected \"\" or HOST:PORT (\"127.0.0.1:9000\", \"[::1]:9000\"), got "
     "\"localhost:9000\""},
    {"{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"::1:9000\"," CSECRET "}}",
     "sfu.control_tcp: expected \"\" or HOST:PORT (\"127.0.0.1:9000\", \"[::1]:9000\"), got "
     "\"::1:9000\""},
    {"{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"127.0.0.1:70000\"," CSECRET "}}",
     "sfu.control_tcp: expected \"\" or HOST:PORT (\"127.0.0.1:9000\", \"[::1]:9000\"), got "
     "\"127.0.0.1:70000\""},
    {"{" SIG_MIN ",\"sfu\":{\"control_tcp\":9000}}",
     "sfu.control_tcp: expected \"\" or HOST:PORT (\"127.0.0.1:9000\", \"[::1]:9000\"), got "
     "9000"},
    {"{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"127.0.0.1:9000\"}}",
     "sfu.control_secret: required, 32..255 bytes, when sfu.control_tcp is set, got 0 bytes"},
    {"{" SIG_MIN ",\"sfu\":{\"control_tcp\":\"[::1]:9000\",\"control_secret\":"
     "\"hunter2-hunter2-hunter2-hunter2\"}}",
     "sfu.control_secret: required, 32..255 bytes, when sfu.control_tcp is set, got 31 bytes"},
    {"{" SIG_MIN ",\"sfu\":{\"control_secret\":7}}",
     "sfu.control_secret: expected string of at most 255 bytes, got 7"},
    {"{" SIG_MIN ",\"sfu\":[]}", "sfu: expected object, got an array"},
    {"{\"signaling\":\"x\"}", "signaling: expected object, got \"x\""},
    {"{" SIG_MIN ",\"rooms\":{}}", "rooms: expected array of at most 64 rooms, got an object"},
    {"{" SIG_MIN ",\"rooms\":[\"demo\"]}", "rooms[0]: expected object, got \"demo\""},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"title\":\"c\"}]}",
     "rooms[2].id: missing"},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"a b\"}]}",
     "rooms[0].id: expected 1..64 letters, digits, '-' or '_', got \"a b\""},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"\"}]}",
     "rooms[0].id: expected 1..64 letters, digits, '-' or '_', got \"\""},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"ph\\u01b0\\u1eddng\"}]}",
     "rooms[0].id: expected 1..64 letters, digits, '-' or '_', got a string of 9 bytes"},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"demo\"},{\"id\":\"x\"},{\"id\":\"demo\"}]}",
     "rooms[2].id: duplicate of rooms[0].id \"demo\""},
    {"{" SIG_MIN ",\"rooms\":[{\"id\":\"a\",\"title\":7}]}",
     "rooms[0].title: expected string of at most 128 bytes, got 7"},
    {"[]", "expected a JSON object"},
    {"", "line 1 column 0: '[' or '{' expected near end of file"},
    {"{\n  \"signaling\": {\n    \"port\": 8080,\n      x\n", "line 4 column 7: string or '}' "
                                                              "expected near 'x'"},
    {"{\"signaling\":{},\"signaling\":{}}",
     "line 1 column 27: duplicate object key near '\"signaling\"'"},
    {"{" SIG_MIN "} trailing", "line 1 column 74: end of file expected near 'trailing'"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        struct cau_config c;
        char err[256];
        memset(&c, 0x5a, sizeof c);
        int rc =
            config_load_string(bad_cases[i].json, strlen(bad_cases[i].json), &c, err, sizeof err);
        if (rc != -EINVAL || strcmp(err, bad_cases[i].err) != 0)
            fail_msg("case %zu: rc %d, \"%s\", want \"%s\"", i, rc, err, bad_cases[i].err);
        /* untouched on error */
        for (size_t k = 0; k < sizeof c; k++)
            assert_int_equal(((unsigned char *)&c)[k], 0x5a);
        assert_int_equal(
            config_load_string(bad_cases[i].json, strlen(bad_cases[i].json), &c, NULL, 0), -EINVAL);
    }
}

/* Writes text to a new temporary file; returns its path (static buffer). */
static const char *tmp_file(const char *text, size_t len)
{
    static char path[600];
    tmp_file_write(path, sizeof path, "test_config", text, len);
    return path;
}

static void test_file_errors(void **state)
{
    (void)state;
    struct cau_config c;
    char err[700], want[700];
    assert_int_equal(config_load_file("configs/no-such.json", &c, err, sizeof err), -EINVAL);
    assert_string_equal(err, "configs/no-such.json: No such file or directory");
    assert_int_equal(config_load_file("configs", &c, err, sizeof err), -EINVAL);
    assert_string_equal(err, "configs: read error");
    const char *bad = "{\"signaling\":{\"port\":\"abc\"}}";
    const char *p = tmp_file(bad, strlen(bad));
    assert_int_equal(config_load_file(p, &c, err, sizeof err), -EINVAL);
    snprintf(want, sizeof want, "%s: signaling.port: expected integer 1..65535, got \"abc\"", p);
    assert_string_equal(err, want);
    unlink(p);
    char *big = malloc(CONFIG_FILE_MAX + 1);
    assert_non_null(big);
    memset(big, ' ', CONFIG_FILE_MAX + 1);
    p = tmp_file(big, CONFIG_FILE_MAX + 1);
    assert_int_equal(config_load_file(p, &c, err, sizeof err), -EINVAL);
    snprintf(want, sizeof want, "%s: larger than 1048576 bytes", p);
    assert_string_equal(err, want);
    unlink(p);
    /* Exactly the limit: read, then judged as JSON (blank: no object). */
    p = tmp_file(big, CONFIG_FILE_MAX);
    assert_int_equal(config_load_file(p, &c, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "'[' or '{' expected near end of file"));
    unlink(p);
    free(big);
}

/* Every allocation (the file buffer through mem.h, Jansson's routed there
 * too) may fail: an error, no leak, and success once none fails. */
static void test_enomem_sweep(void **state)
{
    (void)state;
    json_set_alloc_funcs(mem_alloc, mem_free);
    long base = mem_live_count();
    struct cau_config c;
    char err[256];
    int rc = -ENOMEM;
    unsigned long n;
    for (n = 1; rc != 0 && n < 2000; n++) {
        mem_fail_nth(n);
        rc = config_load_file("configs/default.json", &c, err, sizeof err);
        mem_fail_nth(0);
        if (n == 1)
            assert_int_equal(rc, -ENOMEM);
        assert_true(rc == -ENOMEM || rc == -EINVAL || rc == 0);
        assert_int_equal(mem_live_count(), base);
    }
    assert_int_equal(rc, 0);
    assert_true(n > 20);
    assert_string_equal(c.rooms[0].id, "demo");
    json_set_alloc_funcs(malloc, free);
}

int main(int argc, char **argv)
{
    (void)argc;
    tmp_file_init(argv[0]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_json), cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values),       cmocka_unit_test(test_limits),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_enomem_sweep), cmocka_unit_test(test_control_tcp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
