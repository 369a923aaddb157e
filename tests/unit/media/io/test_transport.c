/* Two transports in one process on loopback: an ICE-lite DTLS server (the
 * bridge's side) and a full-ICE DTLS client (an endpoint), on one
 * GMainContext the test iterates until a condition holds or a deadline
 * passes. SRTP both ways, both profiles, a wrong fingerprint, garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/io/dtls_cert.h"
#include "media/io/transport.h"
#include "tests/unit/lib/gloop_wait.h"

static GMainContext *ctx;
static struct dtls_cert *certs[2];

struct peer {
    struct transport *t;
    struct peer *other;
    enum transport_state last;
    char reason[128];
    int rtp_count, rtcp_count;
    uint8_t rx[1600];
    size_t rx_len;
    bool no_remote; /* its remote description is not set (yet) */
};

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    struct peer *p = arg;
    p->last = s;
    snprintf(p->reason, sizeof p->reason, "%s", reason);
}

static void on_candidate(void *arg, const char *line)
{
    struct peer *p = arg;
    if (p->other->no_remote)
        return;
    assert_int_equal(transport_add_remote_candidate(p->other->t, line), 0);
}

static void on_gathered(void *arg)
{
    struct peer *p = arg;
    if (p->other->no_remote)
        return;
    assert_int_equal(transport_add_remote_candidate(p->other->t, "end-of-candidates"), 0);
}

static void on_rtp(void *arg, uint8_t *b, size_t n)
{
    struct peer *p = arg;
    p->rtp_count++;
    p->rx_len = n;
    memcpy(p->rx, b, n);
}

static void on_rtcp(void *arg, uint8_t *b, size_t n)
{
    struct peer *p = arg;
    p->rtcp_count++;
    p->rx_len = n;
    memcpy(p->rx, b, n);
}

static void make_peer(struct peer *p, int i, bool lite, const char *profiles,
                      transport_packet_fn rtp_fn)
{
    static const char *const addrs[] = {"127.0.0.1"};
    memset(p, 0, sizeof *p);
    struct transport_config cfg = {
        .lite = lite,
        .trickle = true,
        .addrs = addrs,
        .n_addrs = 1,
        .connect_timeout_ms = 5000,
        .cert = certs[i],
        .srtp_profiles = profiles,
    };
    struct transport_callbacks cb = {on_state, on_candidate, on_gathered, rtp_fn, on_rtcp, p};
    assert_int_equal(transport_new(&p->t, ctx, &cfg, &cb), 0);
}

static bool both_connected(void *arg)
{
    struct peer *p = arg;
    return p[0].last == TRANSPORT_STATE_CONNECTED && p[1].last == TRANSPORT_STATE_CONNECTED;
}

static bool any_failed(void *arg)
{
    struct peer *p = arg;
    return p[0].last == TRANSPORT_STATE_FAILED || p[1].last == TRANSPORT_STATE_FAILED;
}

static bool got_rtp(void *arg)
{
    return ((struct peer *)arg)->rtp_count > 0;
}

static bool got_rtcp(void *arg)
{
    return ((struct peer *)arg)->rtcp_count > 0;
}

/* p[0]: lite, DTLS server; p[1]: full, DTLS client. bad_fp: p[0] expects a
 * fingerprint that is not p[1]'s. */
static void open_pair_with(struct peer p[2], const char *server_profiles,
                           const char *client_profiles, bool bad_fp, transport_packet_fn server_rtp)
{
    make_peer(&p[0], 0, true, server_profiles, server_rtp);
    make_peer(&p[1], 1, false, client_profiles, on_rtp);
    p[0].other = &p[1];
    p[1].other = &p[0];
    struct transport_remote r0 = {
        .ufrag = transport_local_ufrag(p[1].t),
        .pwd = transport_local_pwd(p[1].t),
        .fingerprint = *dtls_cert_fp(certs[bad_fp ? 0 : 1]),
        .role = DTLS_ROLE_SERVER,
    };
    struct transport_remote r1 = {
        .ufrag = transport_local_ufrag(p[0].t),
        .pwd = transport_local_pwd(p[0].t),
        .fingerprint = *dtls_cert_fp(certs[0]),
        .role = DTLS_ROLE_CLIENT,
    };
    assert_int_equal(transport_set_remote(p[0].t, &r0), 0);
    assert_int_equal(transport_set_remote(p[1].t, &r1), 0);
    assert_int_equal(transport_gather(p[0].t), 0);
    assert_int_equal(transport_gather(p[1].t), 0);
}

static void open_pair(struct peer p[2], const char *server_profiles, const char *client_profiles,
                      bool bad_fp)
{
    open_pair_with(p, server_profiles, client_profiles, bad_fp, on_rtp);
}

static void close_pair(struct peer p[2])
{
    transport_destroy(p[0].t);
    transport_destroy(p[1].t);
}

/* A minimal RTP packet: version 2, PT 96, the given sequence and SSRC. */
static size_t make_rtp(uint8_t *b, uint16_t seq, uint32_t ssrc, size_t payload)
{
    uint8_t h[12] = {0x80,
                     96,
                     (uint8_t)(seq >> 8),
                     (uint8_t)seq,
                     0,
                     0,
                     0x12,
                     0x34,
                     (uint8_t)(ssrc >> 24),
                     (uint8_t)(ssrc >> 16),
                     (uint8_t)(ssrc >> 8),
                     (uint8_t)ssrc};
    memcpy(b, h, sizeof h);
    for (size_t i = 0; i < payload; i++)
        b[12 + i] = (uint8_t)(i * 13 + seq);
    return 12 + payload;
}

static void send_rtp_and_check(struct peer *from, struct peer *to, uint16_t seq, size_t payload)
{
    uint8_t b[1500];
    size_t n = make_rtp(b, seq, 0x11223344, payload);
    to->rtp_count = 0;
    assert_int_equal(transport_send_rtp(from->t, b, n), 0);
    assert_true(gloop_wait_for(ctx, got_rtp, to, 2000));
    assert_int_equal(to->rx_len, n);
    assert_memory_equal(to->rx, b, n);
}

static void check_profile(const char *server, const char *client, uint16_t want)
{
    struct peer p[2];
    open_pair(p, server, client, false);
    assert_true(gloop_wait_for(ctx, both_connected, p, 5000));
    struct transport_stats st;
    transport_get_stats(p[0].t, &st);
    assert_int_equal(st.srtp_profile, want);
    transport_get_stats(p[1].t, &st);
    assert_int_equal(st.srtp_profile, want);
    for (uint16_t seq = 1; seq <= 5; seq++) {
        send_rtp_and_check(&p[1], &p[0], seq, 1188);
        send_rtp_and_check(&p[0], &p[1], (uint16_t)(seq + 100), 88);
    }
    /* RTCP: an empty RR from SSRC 0x01020304. */
    const uint8_t rr[8] = {0x80, 201, 0, 1, 1, 2, 3, 4};
    assert_int_equal(transport_send_rtcp(p[1].t, rr, sizeof rr), 0);
    assert_true(gloop_wait_for(ctx, got_rtcp, &p[0], 2000));
    assert_int_equal(p[0].rx_len, sizeof rr);
    assert_memory_equal(p[0].rx, rr, sizeof rr);
    close_pair(p);
}

/* The server prefers GCM, as the bridge does. */
static void test_gcm_preferred(void **state)
{
    (void)state;
    check_profile(NULL, NULL, DTLS_SRTP_AEAD_AES_128_GCM);
}

/* A peer that only offers AES_CM gets AES_CM. */
static void test_aes_cm(void **state)
{
    (void)state;
    check_profile(NULL, "SRTP_AES128_CM_SHA1_80", DTLS_SRTP_AES128_CM_SHA1_80);
}

/* The server expects another certificate: the handshake is refused and
 * nothing can be sent. */
static void test_wrong_fingerprint(void **state)
{
    (void)state;
    struct peer p[2];
    open_pair(p, NULL, NULL, true);
    assert_true(gloop_wait_for(ctx, any_failed, p, 5000));
    assert_int_equal(p[0].last, TRANSPORT_STATE_FAILED);
    assert_non_null(strstr(p[0].reason, "fingerprint"));
    uint8_t b[100];
    size_t n = make_rtp(b, 1, 1, 20);
    assert_int_equal(transport_send_rtp(p[0].t, b, n), -ENOTCONN);
    close_pair(p);
}

/* Sending before the handshake, oversize packets, NULLs. */
static void test_misuse(void **state)
{
    (void)state;
    struct peer p[2];
    open_pair(p, NULL, NULL, false);
    uint8_t b[1600] = {0x80, 96};
    assert_int_equal(transport_send_rtp(p[1].t, b, 100), -ENOTCONN);
    assert_true(gloop_wait_for(ctx, both_connected, p, 5000));
    assert_int_equal(transport_send_rtp(p[1].t, b, sizeof b), -EMSGSIZE);
    assert_int_equal(transport_send_rtp(NULL, b, 100), -EINVAL);
    struct transport_remote r = {.ufrag = "abcd", .pwd = "0123456789012345678901"};
    assert_int_equal(transport_set_remote(p[0].t, &r), -EINVAL); /* only once */
    close_pair(p);
}

/* Destroying a transport from its own callback is safe. */
static void destroy_on_rtp(void *arg, uint8_t *b, size_t n)
{
    on_rtp(arg, b, n);
    struct peer *p = arg;
    transport_destroy(p->t);
    p->t = NULL;
}

static void test_destroy_in_callback(void **state)
{
    (void)state;
    struct peer p[2];
    open_pair_with(p, NULL, NULL, false, destroy_on_rtp);
    assert_true(gloop_wait_for(ctx, both_connected, p, 5000));
    uint8_t b[200];
    size_t n = make_rtp(b, 7, 9, 50);
    assert_int_equal(transport_send_rtp(p[1].t, b, n), 0);
    assert_true(gloop_wait_for(ctx, got_rtp, &p[0], 2000));
    assert_null(p[0].t);
    transport_destroy(p[1].t);
}

static bool held_early_dtls(void *arg)
{
    struct transport_stats st;
    transport_get_stats(((struct peer *)arg)->t, &st);
    return st.rx_dtls_held > 0;
}

/* The bridge offers; the answerer (a browser) connects ICE and sends its
 * ClientHello before its answer has come back through signaling. The
 * ClientHello is held and replayed when the answer is set, not lost. */
static void test_client_hello_before_answer(void **state)
{
    (void)state;
    struct peer p[2];
    make_peer(&p[0], 0, true, NULL, on_rtp);
    make_peer(&p[1], 1, false, NULL, on_rtp);
    p[0].other = &p[1];
    p[1].other = &p[0];
    p[0].no_remote = true;
    struct transport_remote r1 = {
        .ufrag = transport_local_ufrag(p[0].t),
        .pwd = transport_local_pwd(p[0].t),
        .fingerprint = *dtls_cert_fp(certs[0]),
        .role = DTLS_ROLE_CLIENT,
    };
    assert_int_equal(transport_set_remote(p[1].t, &r1), 0);
    assert_int_equal(transport_gather(p[0].t), 0);
    assert_int_equal(transport_gather(p[1].t), 0);
    assert_true(gloop_wait_for(ctx, held_early_dtls, &p[0], 5000));
    assert_int_equal(p[0].last, TRANSPORT_STATE_NEW);
    struct transport_remote r0 = {
        .ufrag = transport_local_ufrag(p[1].t),
        .pwd = transport_local_pwd(p[1].t),
        .fingerprint = *dtls_cert_fp(certs[1]),
        .role = DTLS_ROLE_SERVER,
    };
    p[0].no_remote = false;
    assert_int_equal(transport_set_remote(p[0].t, &r0), 0);
    assert_true(gloop_wait_for(ctx, both_connected, p, 5000));
    struct transport_stats st;
    transport_get_stats(p[0].t, &st);
    assert_true(st.rx_dtls_held >= 1 && st.rx_dtls_held <= 2);
    send_rtp_and_check(&p[1], &p[0], 1, 100);
    close_pair(p);
}

static int setup(void **state)
{
    (void)state;
    ctx = g_main_context_new();
    assert_int_equal(dtls_cert_create(&certs[0]), 0);
    assert_int_equal(dtls_cert_create(&certs[1]), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gloop_drain(ctx);
    g_main_context_unref(ctx);
    dtls_cert_free(certs[0]);
    dtls_cert_free(certs[1]);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_gcm_preferred, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aes_cm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_fingerprint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_in_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_client_hello_before_answer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
