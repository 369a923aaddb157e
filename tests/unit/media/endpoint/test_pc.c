/* Two C endpoint peer connections in one process on loopback: A (full ICE,
 * offers) and B (ICE-lite, answers, as the bridge will). First on a clean
 * link, both ways; then with B behind build/bin/netem-relay dropping 5 % of
 * the datagrams each way, where NACK must recover the video. The test
 * iterates the GMainContext until a condition holds or a deadline passes. */
#include <inttypes.h>
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
#include <unistd.h>

#include "media/endpoint/pc.h"
#include "tests/unit/lib/child_proc.h"
#include "tests/unit/lib/gloop_wait.h"

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

/* s[0] full ICE, s[1] lite, each sending and receiving, connected. */
static void connect_both_ways(struct side s[2])
{
    make_side(&s[0], cert_a, false, true, true);
    make_side(&s[1], cert_b, true, true, true);
    negotiate(s, 0);
    assert_true(gloop_wait_for(ctx, both_connected, s, 5000));
}

static void test_both_ways(void **state)
{
    (void)state;
    struct side s[2];
    connect_both_ways(s);
    struct decoded_cond ca = {s[0].pc, 40}, cb = {s[1].pc, 40};
    assert_true(gloop_wait_for(ctx, decoded, &ca, 10000));
    assert_true(gloop_wait_for(ctx, decoded, &cb, 10000));
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

/* A stall of the sender's main loop (a busy machine): an idle callback
 * that holds the loop for STALL_MS. */
#define STALL_MS 300

static gboolean stall(gpointer data)
{
    (void)data;
    g_usleep(STALL_MS * 1000);
    return G_SOURCE_REMOVE;
}

/* The audio sender keeps to real time through a stall: the 20 ms frames
 * that fell due while the loop was held are sent when it runs again, so
 * the frames encoded match the time that passed (a GLib timeout re-armed
 * from each late run lost them, and the stream's clock fell behind). */
static void test_audio_keeps_time_through_a_stall(void **state)
{
    (void)state;
    struct side s[2];
    connect_both_ways(s);
    struct pc_stats a, b;
    pc_get_stats(s[0].pc, &a);
    int64_t t0 = g_get_monotonic_time();
    GSource *idle = g_idle_source_new();
    g_source_set_callback(idle, stall, NULL, NULL);
    g_source_attach(idle, ctx);
    g_source_unref(idle);
    gloop_run_for(ctx, 700);
    pc_get_stats(s[0].pc, &b);
    int64_t elapsed_ms = (g_get_monotonic_time() - t0) / 1000;
    uint64_t frames = b.out[PC_AUDIO].frames_encoded - a.out[PC_AUDIO].frames_encoded;
    uint64_t skipped = b.out[PC_AUDIO].frames_skipped - a.out[PC_AUDIO].frames_skipped;
    print_message("  %" PRIu64 " audio frames sent, %" PRIu64 " skipped in %" PRId64
                  " ms with a %d ms stall\n",
                  frames, skipped, elapsed_ms, STALL_MS);
    /* One frame per 20 ms that passed (less the one not yet due at each
     * end): sent, or skipped when a loaded machine held the loop for over
     * 0.5 s; either way the stream's clock kept to real time. */
    assert_true(frames + skipped + 2 >= (uint64_t)(elapsed_ms / 20));
    assert_true(frames + skipped <= (uint64_t)(elapsed_ms / 20) + 2);
    pc_destroy(s[0].pc);
    pc_destroy(s[1].pc);
}

/* Start netem-relay in front of port; its listening port, or -1. */
static int start_relay(int to_port, struct child_proc *relay, const char *loss)
{
    char to[32];
    snprintf(to, sizeof to, "127.0.0.1:%d", to_port);
    const char *bin = child_proc_bin("netem-relay");
    const char *argv[] = {bin,      "--listen", "127.0.0.1:0", "--to", to,
                          "--loss", loss,       "--seed",      "7",    NULL};
    child_proc_spawn(relay, argv);
    int port = -1;
    if (child_proc_read_until(relay, "\n", 5000))
        sscanf(relay->out, "netem-relay: listening 127.0.0.1:%d", &port);
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
    struct child_proc relay;
    int port = start_relay(candidate_port(s[1].cands[0]), &relay, "0.05");
    assert_true(port > 0);
    negotiate(s, port);
    bool up = gloop_wait_for(ctx, both_connected, s, 15000);
    if (up)
        gloop_run_for(ctx, 6000);
    struct pc_stats pub, sub;
    pc_get_stats(s[0].pc, &pub);
    pc_get_stats(s[1].pc, &sub);
    kill(relay.pid, SIGTERM);
    child_proc_reap(&relay, 5000);
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
    gloop_drain(ctx);
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
        cmocka_unit_test_setup_teardown(test_audio_keeps_time_through_a_stall, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
