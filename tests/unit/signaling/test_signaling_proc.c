/* build/bin/signaling as a child process on loopback, with a fake sfu
 * (fake_sfu.h) on its control socket and the tests' own HTTP and WebSocket
 * clients (net_client.h): /healthz follows the sfu link, static files and
 * traversal, /metrics, join with good and bad tokens, the message errors of
 * docs/protocol.md, broadcasts, the admin API, SIGTERM (exit 0) and a bad
 * config (exit 1). Every wait polls a condition against a deadline. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <glib.h>

#include "signaling/jwt.h"
#include "tests/unit/lib/child_proc.h"
#include "tests/unit/signaling/fake_sfu.h"
#include "tests/unit/signaling/net_client.h"

#define WAIT_MS 5000
#define MAX_MSG 40960

static const char secret[] = "test-secret-0123456789abcdef-0123456789";
static const char admin_key[] = "test-admin-key";

static struct {
    char dir[64], sock[128], config[128];
    uint16_t port;
    struct child_proc child; /* build/bin/signaling */
    struct fake_sfu *sfu;
} fx;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static uint16_t free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static int timeout_s = 10; /* participant_timeout_s of the next config */

static void write_config(void)
{
    char text[1024];
    fx.port = free_port();
    snprintf(text, sizeof text,
             "{\"signaling\": {\"listen\": \"127.0.0.1\", \"port\": %u, \"web_root\": \"%s/web\","
             " \"token_secret\": \"%s\", \"admin_key\": \"%s\", \"max_message_bytes\": %d,"
             " \"messages_per_second\": 50, \"participant_timeout_s\": %d},"
             " \"sfu\": {\"control_socket\": \"%s\"},"
             " \"rooms\": [{\"id\": \"demo\", \"title\": \"Demo\"}, {\"id\": \"other\"}]}\n",
             (unsigned)fx.port, fx.dir, secret, admin_key, MAX_MSG, timeout_s, fx.sock);
    write_file(fx.dir, "config.json", text);
}

/* Starts build/bin/signaling --config config. */
static void spawn_signaling(struct child_proc *c, const char *config)
{
    const char *argv[] = {child_proc_bin("signaling"), "--config", config, NULL};
    child_proc_spawn(c, argv);
}

static void start_signaling(void)
{
    char want[64];
    snprintf(want, sizeof want, "signaling: listening http://127.0.0.1:%u\n", (unsigned)fx.port);
    spawn_signaling(&fx.child, fx.config);
    if (!child_proc_read_until(&fx.child, want, WAIT_MS)) {
        int status = child_proc_reap(&fx.child, WAIT_MS);
        fail_msg("no ready line (status %d): %s%s", status, fx.child.out, fx.child.err);
    }
}

static bool wait_status(const char *path, int want, struct http_resp *r);

/* Signaling started in a fresh directory; with_sfu: a fake sfu too, and
 * the link to it up (/healthz 200) before any test talks to signaling: a
 * join before that is refused with sfu_down, by design. */
static int setup_common(bool with_sfu)
{
    memset(&fx, 0, sizeof fx);
    child_proc_init(&fx.child);
    int n = snprintf(fx.dir, sizeof fx.dir, "%s/cau-signaling-XXXXXX", g_get_tmp_dir());
    assert_true(n > 0 && (size_t)n < sizeof fx.dir); /* TMPDIR short enough */
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.sock, sizeof fx.sock, "%s/sfu.sock", fx.dir);
    snprintf(fx.config, sizeof fx.config, "%s/config.json", fx.dir);
    char web[96];
    snprintf(web, sizeof web, "%s/web", fx.dir);
    assert_int_equal(mkdir(web, 0700), 0);
    write_file(web, "index.html", "<!doctype html><title>cau</title>\n");
    write_file(web, "app.js", "export const x = 1;\n");
    write_file(fx.dir, "secret.txt", "not for the web\n");
    write_config();
    if (with_sfu)
        assert_non_null(fx.sfu = fake_sfu_start(fx.sock));
    start_signaling();
    struct http_resp r;
    if (with_sfu)
        assert_true(wait_status("/healthz", 200, &r));
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return setup_common(true);
}

static int setup_no_sfu(void **state)
{
    (void)state;
    return setup_common(false);
}

static int setup_short_timeout(void **state)
{
    (void)state;
    timeout_s = 2;
    int rc = setup_common(true);
    timeout_s = 10;
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    int status = 0;
    if (fx.child.pid > 0) {
        kill(fx.child.pid, SIGTERM);
        status = child_proc_reap(&fx.child, WAIT_MS);
    }
    fake_sfu_stop(fx.sfu, fx.sock);
    /* Whatever a failed test left there goes too. */
    const char *files[] = {"web/index.html", "web/app.js", "web",     "secret.txt",
                           "config.json",    "bad.json",   "sfu.sock"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", fx.dir, files[i]);
        remove(path);
    }
    rmdir(fx.dir);
    /* SIGTERM is a clean exit. */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "signaling: status %d, stderr:\n%s\n", status, fx.child.err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return 0;
}

/* Polls GET path until it answers want (20 ms between tries). */
static bool wait_status(const char *path, int want, struct http_resp *r)
{
    for (int i = 0; i < WAIT_MS / 20; i++) {
        if (http_get(fx.port, path, NULL, r) && r->status == want)
            return true;
        poll(NULL, 0, 20);
    }
    return false;
}

static void mint(const char *room, const char *role, const char *name, int64_t ttl, char *out,
                 size_t cap)
{
    struct jwt_claims c = {.iat = time(NULL), .exp = time(NULL) + ttl};
    snprintf(c.room, sizeof c.room, "%s", room);
    snprintf(c.role, sizeof c.role, "%s", role);
    snprintf(c.name, sizeof c.name, "%s", name);
    assert_int_equal(jwt_sign(secret, strlen(secret), &c, out, cap), 0);
}

/* The next message, which must be of type; the caller json_decref()s it. */
static json_t *expect_msg(int ws, const char *type)
{
    static char text[65536];
    enum ws_got got = ws_recv(ws, text, sizeof text);
    if (got != WS_TEXT)
        fail_msg("expected a %s message, got %s", type,
                 got == WS_CLOSE ? text : "nothing (timeout or EOF)");
    json_t *j = json_loads(text, 0, NULL);
    const char *t = json_string_value(json_object_get(j, "type"));
    if (!t || strcmp(t, type) != 0)
        fail_msg("expected a %s message, got %s", type, text);
    return j;
}

static void expect_error(int ws, const char *code)
{
    json_t *j = expect_msg(ws, "error");
    const char *c = json_string_value(json_object_get(j, "code"));
    if (!c || strcmp(c, code) != 0)
        fail_msg("expected error %s, got %s (%s)", code, c ? c : "none",
                 json_string_value(json_object_get(j, "message")));
    json_decref(j);
}

static void expect_close(int ws, const char *status_reason)
{
    char text[256];
    assert_int_equal(ws_recv(ws, text, sizeof text), WS_CLOSE);
    assert_string_equal(text, status_reason);
}

/* Joins with a token for room demo; the joined message. */
static json_t *join(int ws, const char *name)
{
    char token[1024], msg[1200];
    mint("demo", "participant", name, 600, token, sizeof token);
    snprintf(msg, sizeof msg, "{\"type\":\"join\",\"token\":\"%s\",\"ref\":7}", token);
    assert_true(ws_send_text(ws, msg));
    return expect_msg(ws, "joined");
}

static void test_healthz_static_metrics(void **state)
{
    (void)state;
    struct http_resp r;
    assert_true(wait_status("/healthz", 200, &r));
    assert_string_equal(r.body, "ok\n");
    assert_true(http_get(fx.port, "/", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.head, "text/html"));
    assert_string_equal(r.body, "<!doctype html><title>cau</title>\n");
    assert_true(http_get(fx.port, "/app.js?v=1", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.head, "text/javascript"));
    static const char *const refused[] = {"/../secret.txt", "/%2e%2e/secret.txt",
                                          "/web/../../secret.txt", "/.hidden", "/nothere.js"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_true(http_get(fx.port, refused[i], NULL, &r));
        if (r.status != 404 || strstr(r.body, "not for the web"))
            fail_msg("%s: status %d, body %s", refused[i], r.status, r.body);
    }
    assert_true(http_get(fx.port, "/metrics", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\ncau_sfu_up 1\n"));
    assert_non_null(strstr(r.body, "\ncau_participants 0\n"));
    assert_non_null(strstr(r.body, "cau_ws_errors_total{code=\"bad_token\"} 0\n"));
    assert_true(fake_sfu_count(fx.sfu, "stats") >= 1);
    assert_true(fake_sfu_count(fx.sfu, "room_open") >= 2);
    assert_true(http_request(fx.port, "POST", "/healthz", NULL, &r));
    assert_int_equal(r.status, 405);
}

static void test_healthz_waits_for_sfu(void **state)
{
    (void)state;
    struct http_resp r;
    assert_true(http_get(fx.port, "/healthz", NULL, &r));
    assert_int_equal(r.status, 503);
    fx.sfu = fake_sfu_start(fx.sock);
    assert_non_null(fx.sfu);
    assert_true(wait_status("/healthz", 200, &r));
    /* Stop the sfu: the link goes down and healthz with it. */
    fake_sfu_stop(fx.sfu, fx.sock);
    fx.sfu = NULL;
    assert_true(wait_status("/healthz", 503, &r));
}

static void test_join_and_tokens(void **state)
{
    (void)state;
    struct http_resp r;
    assert_true(wait_status("/healthz", 200, &r));
    int ws = ws_open(fx.port, "/ws");
    assert_true(ws >= 0);
    json_t *j = join(ws, "Nguyễn An");
    json_t *self = json_object_get(j, "self");
    assert_string_equal(json_string_value(json_object_get(self, "name")), "Nguyễn An");
    assert_string_equal(json_string_value(json_object_get(self, "role")), "participant");
    assert_string_equal(json_string_value(json_object_get(j, "room")), "demo");
    assert_int_equal(json_array_size(json_object_get(j, "participants")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "ref")), 7);
    json_decref(j);
    assert_int_equal(fake_sfu_count(fx.sfu, "participant_add"), 1);
    assert_true(ws_send_text(ws, "{\"type\":\"publish\",\"sdp\":\"v=0\",\"ref\":\"p\"}"));
    json_decref(expect_msg(ws, "publish_answer"));
    close(ws);

    char token[1024], msg[1200];
    struct {
        const char *room, *secret;
        int64_t ttl;
        const char *code;
    } bad[] = {{"demo", "another-secret-0123456789abcdef-0123", 600, "bad_token"},
               {"demo", secret, -10, "expired_token"},
               {"nowhere", secret, 600, "no_such_room"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct jwt_claims c = {.iat = time(NULL), .exp = time(NULL) + bad[i].ttl};
        snprintf(c.room, sizeof c.room, "%s", bad[i].room);
        strcpy(c.role, "chair");
        strcpy(c.name, "X");
        assert_int_equal(jwt_sign(bad[i].secret, strlen(bad[i].secret), &c, token, sizeof token),
                         0);
        snprintf(msg, sizeof msg, "{\"type\":\"join\",\"token\":\"%s\"}", token);
        ws = ws_open(fx.port, "/ws");
        assert_true(ws_send_text(ws, msg));
        expect_error(ws, bad[i].code);
        char close_text[64];
        snprintf(close_text, sizeof close_text, "1008 %s", bad[i].code);
        expect_close(ws, close_text);
        close(ws);
    }
    ws = ws_open(fx.port, "/ws");
    assert_true(ws_send_text(ws, "{\"type\":\"join\",\"token\":\"not.a.token\"}"));
    expect_error(ws, "bad_token");
    close(ws);
    assert_int_equal(ws_open(fx.port, "/elsewhere"), -1);
}

static void test_message_errors(void **state)
{
    (void)state;
    int ws = ws_open(fx.port, "/ws");
    assert_true(ws >= 0);
    assert_true(ws_send_text(ws, "{\"type\":"));
    expect_error(ws, "bad_json");
    assert_true(ws_send_text(ws, "[1,2]"));
    expect_error(ws, "bad_json");
    assert_true(ws_send_text(ws, "{\"type\":\"dance\",\"ref\":3}"));
    json_t *j = expect_msg(ws, "error");
    assert_string_equal(json_string_value(json_object_get(j, "code")), "unknown_type");
    assert_int_equal(json_integer_value(json_object_get(j, "ref")), 3);
    json_decref(j);
    assert_true(ws_send_text(ws, "{\"type\":\"join\",\"token\":5}"));
    expect_error(ws, "bad_field");
    assert_true(ws_send_text(ws, "{\"type\":\"subscribe\"}"));
    expect_error(ws, "not_joined");
    /* One frame over the limit, then the same size in three fragments. */
    char *big = malloc(MAX_MSG + 2);
    memset(big, ' ', MAX_MSG + 1);
    big[MAX_MSG + 1] = '\0';
    assert_true(ws_send_text(ws, big));
    expect_error(ws, "too_large");
    assert_true(ws_frame(ws, 1, false, big, 20000));
    assert_true(ws_frame(ws, 0, false, big, 20000));
    assert_true(ws_frame(ws, 0, true, big, 1000));
    expect_error(ws, "too_large");
    /* Exactly the limit is fine: a JSON object padded with spaces. */
    memcpy(big, "{\"type\":\"leave\"}", 16);
    assert_true(ws_frame(ws, 1, true, big, MAX_MSG));
    expect_error(ws, "not_joined");
    free(big);
    /* The connection was kept through all of that. */
    json_decref(join(ws, "Bình"));
    assert_true(ws_send_text(ws, "{\"type\":\"join\",\"token\":\"x\"}"));
    expect_error(ws, "already_joined");
    close(ws);
}

static void test_presence(void **state)
{
    (void)state;
    struct http_resp r;
    assert_true(wait_status("/healthz", 200, &r));
    int a = ws_open(fx.port, "/ws"), b = ws_open(fx.port, "/ws");
    json_t *ja = join(a, "A");
    const char *ida = json_string_value(json_object_get(json_object_get(ja, "self"), "id"));
    json_t *jb = join(b, "B");
    json_t *others = json_object_get(jb, "participants");
    assert_int_equal(json_array_size(others), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(others, 0), "id")), ida);
    json_t *pj = expect_msg(a, "participant_joined");
    const char *idb = json_string_value(json_object_get(json_object_get(pj, "participant"), "id"));
    assert_string_equal(idb, json_string_value(json_object_get(json_object_get(jb, "self"), "id")));
    close(b); /* B vanishes: A hears of it */
    json_t *left = expect_msg(a, "participant_left");
    assert_string_equal(json_string_value(json_object_get(left, "id")), idb);
    assert_string_equal(json_string_value(json_object_get(left, "reason")), "gone");
    assert_true(http_get(fx.port, "/metrics", NULL, &r));
    assert_non_null(strstr(r.body, "\ncau_participants 1\n"));
    json_decref(left);
    json_decref(pj);
    json_decref(jb);
    json_decref(ja);
    close(a);
}

static const char *self_id(json_t *joined)
{
    return json_string_value(json_object_get(json_object_get(joined, "self"), "id"));
}

static void expect_left(int ws, const char *id, const char *reason)
{
    json_t *left = expect_msg(ws, "participant_left");
    assert_string_equal(json_string_value(json_object_get(left, "id")), id);
    assert_string_equal(json_string_value(json_object_get(left, "reason")), reason);
    json_decref(left);
}

/* A participant whose publish transport fails, and one that stops
 * answering pings, are removed; subscribe brings subscribe_offer, tracks. */
static void test_vanishing(void **state)
{
    (void)state;
    int a = ws_open(fx.port, "/ws"), b = ws_open(fx.port, "/ws");
    json_t *ja = join(a, "A"), *jb = join(b, "B");
    json_decref(expect_msg(a, "participant_joined"));
    assert_true(ws_send_text(a, "{\"type\":\"subscribe\"}"));
    json_decref(expect_msg(a, "subscribe_offer"));
    json_t *tracks = expect_msg(a, "tracks");
    json_t *t0 = json_array_get(json_object_get(tracks, "tracks"), 0);
    assert_string_equal(json_string_value(json_object_get(t0, "participant")), self_id(ja));
    json_decref(tracks);
    assert_true(ws_send_text(b, "{\"type\":\"publish\",\"sdp\":\"fail\"}"));
    json_decref(expect_msg(b, "publish_answer"));
    expect_left(b, self_id(jb), "gone");
    expect_close(b, "1000 gone");
    expect_left(a, self_id(jb), "gone");
    close(b);
    /* C joins and then reads nothing, so answers no ping: gone after the
     * 2 s timeout, while A, which answers, stays. */
    int c = ws_open(fx.port, "/ws");
    json_t *jc = join(c, "C");
    json_decref(expect_msg(a, "participant_joined"));
    expect_left(a, self_id(jc), "gone");
    assert_true(ws_send_text(a, "{\"type\":\"join\",\"token\":\"x\"}"));
    expect_error(a, "already_joined");
    json_decref(ja);
    json_decref(jb);
    json_decref(jc);
    close(a);
    close(c);
}

static void test_admin(void **state)
{
    (void)state;
    struct http_resp r;
    assert_true(wait_status("/healthz", 200, &r));
    assert_true(http_get(fx.port, "/admin/rooms", NULL, &r));
    assert_int_equal(r.status, 401);
    assert_true(http_get(fx.port, "/admin/rooms", "Authorization: Bearer wrong", &r));
    assert_int_equal(r.status, 401);
    assert_true(http_request(fx.port, "POST", "/admin/rooms/demo/end", NULL, &r));
    assert_int_equal(r.status, 401);
    int ws = ws_open(fx.port, "/ws");
    json_decref(join(ws, "Chủ tọa"));
    char auth[128];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin_key);
    assert_true(http_get(fx.port, "/admin/rooms", auth, &r));
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    json_t *demo = json_array_get(json_object_get(j, "rooms"), 0);
    assert_string_equal(json_string_value(json_object_get(demo, "id")), "demo");
    json_t *p = json_array_get(json_object_get(demo, "participants"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "name")), "Chủ tọa");
    json_decref(j);
    assert_true(http_request(fx.port, "POST", "/admin/rooms/nowhere/end", auth, &r));
    assert_int_equal(r.status, 404);
    assert_true(http_get(fx.port, "/admin/rooms/demo/end", auth, &r));
    assert_int_equal(r.status, 405);
    assert_true(http_request(fx.port, "POST", "/admin/rooms/demo/end", auth, &r));
    assert_int_equal(r.status, 200);
    json_t *left = expect_msg(ws, "participant_left");
    assert_string_equal(json_string_value(json_object_get(left, "reason")), "room_ended");
    json_decref(left);
    expect_close(ws, "1000 room_ended");
    close(ws);
    assert_true(fake_sfu_count(fx.sfu, "room_close") >= 1);
}

static void test_bad_config(void **state)
{
    (void)state;
    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad.json", fx.dir);
    write_file(fx.dir, "bad.json", "{\"signaling\": {\"port\": \"abc\"}}\n");
    struct child_proc run; /* besides the one setup started */
    spawn_signaling(&run, bad);
    int status = child_proc_reap(&run, WAIT_MS);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_non_null(strstr(run.err, "signaling.port"));
    remove(bad);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_healthz_static_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_healthz_waits_for_sfu, setup_no_sfu, teardown),
        cmocka_unit_test_setup_teardown(test_join_and_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_presence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vanishing, setup_short_timeout, teardown),
        cmocka_unit_test_setup_teardown(test_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
