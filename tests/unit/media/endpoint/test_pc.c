/* Two C endpoint peer connections in one process on loopback: A (full ICE,
 * offers) and B (ICE-lite, answers, as the bridge will). First on a clean
 * link, both ways; then with B behind build/bin/netem-relay dropping 5 % of
 * the datagrams each way, where NACK must recover the video. The test
 * iterates the GMainContext until a condition holds or a deadline passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "media/endpoint/pc.h"

#define MAX_CANDS 16

struct side {
    struct pc *pc;
    struct side *other;
    enum transport_state state;
    char cands[MAX_CANDS][256];
    int ncands;
    bool forward; /* hand candidates to the other side */
};

static GMainContext *ctx;
static struct dtls_cert *cert_a, *cert_b;

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    struct side *x = arg;
    x->state = s;
    if (s == TRANSPORT_STATE_FAILED)
        fprintf(stderr, "transport failed: %s\n", reason);
}

static void on_candidate(void *arg, const char *c)
{
    struct side *x = arg;
    if (*c && x->ncands < MAX_CANDS)
        snprintf(x->cands[x->ncands++], sizeof x->cands[0], "%s", c);
}

static gboolean wake(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

static bool wait_for(bool (*cond)(void *), void *arg, int ms)
{
    int64_t deadline = g_get_monotonic_time() + (int64_t)ms * 1000;
    GSource *tick = g_timeout_source_new(20);
    g_source_set_callback(tick, wake, NULL, NULL);
    g_source_attach(tick, ctx);
    while (!cond(arg) && g_get_monotonic_time() < deadline)
        g_main_context_iteration(ctx, TRUE);
    g_source_destroy(tick);
    g_source_unref(tick);
    return cond(arg);
}

static bool both_connected(void *arg)
{
    struct side *s = arg;
    return s[0].state == TRANSPORT_STATE_CONNECTED && s[1].state == TRANSPORT_STATE_CONNECTED;
}

static void make_side(struct side *x, struct dtls_cert *cert, bool lite, bool send, bool recv)
{
    static const char *const addrs[] = {"127.0.0.1"};
    memset(x, 0, sizeof *x);
    struct pc_config cfg = {
        .ctx = ctx,
        .cert = cert,
        .addrs = addrs,
        .n_addrs = 1,
        .loopback_only = true,
        .lite = lite,
        .send_audio = send,
        .send_video = send,
        .recv_audio = recv,
        .recv_video = recv,
    };
    struct pc_callbacks cb = {on_state, on_candidate, x};
    assert_int_equal(pc_new(&x->pc, &cfg, &cb), 0);
}

/* A offers, B answers; each side's candidates reach the other, except
 * that `rewrite_port` (when non-zero) replaces B's port in what A gets
 * and A's candidates are withheld from B (B then only learns the relay). */
static void negotiate(struct side s[2], int rewrite_port)
{
    const char *offer, *answer;
    assert_int_equal(pc_create_offer(s[0].pc, &offer), 0);
    assert_int_equal(pc_set_remote(s[1].pc, offer, strlen(offer)), 0);
    assert_int_equal(pc_create_answer(s[1].pc, &answer), 0);
    if (!rewrite_port) {
        assert_int_equal(pc_set_remote(s[0].pc, answer, strlen(answer)), 0);
        for (int i = 0; i < s[1].ncands; i++)
            assert_int_equal(pc_add_remote_candidate(s[0].pc, s[1].cands[i]), 0);
        return;
    }
    /* Drop the candidate lines from the answer; give A a relay candidate. */
    char *copy = g_strdup(answer), *out = g_malloc0(strlen(answer) + 1);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, "a=candidate:", 12) != 0)
            strcat(strcat(out, line), "\n");
    assert_int_equal(pc_set_remote(s[0].pc, out, strlen(out)), 0);
    char cand[256];
    snprintf(cand, sizeof cand, "candidate:1 1 udp 2130706431 127.0.0.1 %d typ host", rewrite_port);
    assert_int_equal(pc_add_remote_candidate(s[0].pc, cand), 0);
    g_free(copy);
    g_free(out);
}

static void run_for(int ms)
{
    int64_t until = g_get_monotonic_time() + (int64_t)ms * 1000;
    GSource *tick = g_timeout_source_new(20);
    g_source_set_callback(tick, wake, NULL, NULL);
    g_source_attach(tick, ctx);
    while (g_get_monotonic_time() < until)
        g_main_context_iteration(ctx, TRUE);
    g_source_destroy(tick);
    g_source_unref(tick);
}

struct decoded_cond {
    struct pc *pc;
    uint64_t frames;
};

static bool decoded(void *arg)
{
    struct decoded_cond *c = arg;
    struct pc_stats st;
    pc_get_stats(c->pc, &st);
    return st.in[PC_VIDEO].frames_decoded >= c->frames &&
           st.in[PC_AUDIO].frames_decoded >= c->frames;
}

static void check_receiver(const struct pc_stats *st)
{
    const struct pc_stream_stats *v = &st->in[PC_VIDEO], *a = &st->in[PC_AUDIO];
    assert_int_equal(v->width, 640);
    assert_int_equal(v->height, 360);
    assert_true(v->has_frame_number); /* our own test pattern came through */
    assert_true(a->audio_dbfs > -30.0 && a->audio_dbfs < -10.0);
}

static void test_both_ways(void **state)
{
    (void)state;
    struct side s[2];
    make_side(&s[0], cert_a, false, true, true);
    make_side(&s[1], cert_b, true, true, true);
    negotiate(s, 0);
    assert_true(wait_for(both_connected, s, 5000));
    struct decoded_cond ca = {s[0].pc, 40}, cb = {s[1].pc, 40};
    assert_true(wait_for(decoded, &ca, 10000));
    assert_true(wait_for(decoded, &cb, 10000));
    struct pc_stats sa, sb;
    pc_get_stats(s[0].pc, &sa);
    pc_get_stats(s[1].pc, &sb);
    check_receiver(&sa);
    check_receiver(&sb);
    assert_int_equal(sa.srtp_profile, DTLS_SRTP_AEAD_AES_128_GCM);
    assert_int_equal(sb.in[PC_VIDEO].packets_lost, 0);
    pc_destroy(s[0].pc);
    pc_destroy(s[1].pc);
}

/* Start netem-relay in front of port; its listening port, or -1. */
static int start_relay(int to_port, pid_t *pid, const char *loss)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char to[32];
    snprintf(to, sizeof to, "127.0.0.1:%d", to_port);
    *pid = fork();
    if (*pid < 0)
        return -1;
    if (*pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl("build/bin/netem-relay", "netem-relay", "--listen", "127.0.0.1:0", "--to", to,
              "--loss", loss, "--seed", "7", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[128] = "";
    int port = -1;
    if (f && fgets(line, sizeof line, f))
        sscanf(line, "netem-relay: listening 127.0.0.1:%d", &port);
    if (f)
        fclose(f);
    return port;
}

static int candidate_port(const char *c)
{
    int port = -1;
    sscanf(c, "candidate:%*s %*s %*s %*s %*s %d", &port);
    return port;
}

static void test_nack_recovers_loss(void **state)
{
    (void)state;
    struct side s[2];
    make_side(&s[0], cert_a, false, true, false); /* publisher */
    make_side(&s[1], cert_b, true, false, true);  /* subscriber, behind the relay */
    assert_true(s[1].ncands > 0);
    pid_t relay = -1;
    int port = start_relay(candidate_port(s[1].cands[0]), &relay, "0.05");
    assert_true(port > 0);
    negotiate(s, port);
    bool up = wait_for(both_connected, s, 15000);
    if (up)
        run_for(6000);
    struct pc_stats pub, sub;
    pc_get_stats(s[0].pc, &pub);
    pc_get_stats(s[1].pc, &sub);
    kill(relay, SIGTERM);
    waitpid(relay, NULL, 0);
    assert_true(up);
    const struct pc_stream_stats *in = &sub.in[PC_VIDEO], *out = &pub.out[PC_VIDEO];
    printf("  5%% loss: sent %llu frames / %llu packets; received %llu packets, lost %lld, "
           "NACKs sent %llu, recovered %llu, retransmitted %llu, PLIs %llu, decoded %llu frames\n",
           (unsigned long long)out->frames_encoded, (unsigned long long)out->packets,
           (unsigned long long)in->packets, (long long)in->packets_lost,
           (unsigned long long)in->nacks_sent, (unsigned long long)in->nack_recovered,
           (unsigned long long)out->retransmitted, (unsigned long long)in->plis_sent,
           (unsigned long long)in->frames_decoded);
    assert_true(in->nacks_sent > 0);
    assert_true(out->nacks_received > 0);
    assert_true(out->retransmitted > 0);
    assert_true(in->nack_recovered > 0);
    /* Most frames play: NACK repaired most losses (a frame whose resend
     * was lost too costs a key-frame wait). */
    assert_true(in->frames_decoded * 10 >= out->frames_encoded * 7);
    pc_destroy(s[0].pc);
    pc_destroy(s[1].pc);
}

static int setup(void **state)
{
    (void)state;
    ctx = g_main_context_new();
    assert_int_equal(dtls_cert_create(&cert_a), 0);
    assert_int_equal(dtls_cert_create(&cert_b), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    while (g_main_context_iteration(ctx, FALSE))
        ;
    g_main_context_unref(ctx);
    dtls_cert_free(cert_a);
    dtls_cert_free(cert_b);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nack_recovers_loss, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
