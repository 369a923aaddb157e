/* Two struct dtls in one process, datagrams shuttled between them by hand on
 * a virtual clock (plus the little real time OpenSSL's own timer needs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "media/core/mem.h"
#include "media/io/dtls.h"

static struct dtls_cert *client_cert;
static struct dtls_cert *server_cert;

struct pair {
    struct dtls *c;
    struct dtls *s;
    int64_t now;
};

struct pair_opts {
    const char *client_profiles;
    const char *server_profiles;
    bool client_expects_wrong_fp;
    bool server_expects_wrong_fp;
    int64_t rto_initial_us;
    size_t mtu;
};

static int group_setup(void **state)
{
    (void)state;
    if (dtls_cert_create(&client_cert) != 0 || dtls_cert_create(&server_cert) != 0)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    dtls_cert_free(client_cert);
    dtls_cert_free(server_cert);
    return 0;
}

static struct dtls_cert_fp fp_of(const struct dtls_cert *c, bool wrong)
{
    struct dtls_cert_fp fp = *dtls_cert_fp(c);
    if (wrong)
        fp.sha256[31] ^= 0x01;
    return fp;
}

static void pair_open(struct pair *p, const struct pair_opts *o)
{
    struct dtls_config cc = {
        .role = DTLS_ROLE_CLIENT,
        .cert = client_cert,
        .remote_fp = fp_of(server_cert, o->client_expects_wrong_fp),
        .srtp_profiles = o->client_profiles,
        .rto_initial_us = o->rto_initial_us,
        .mtu = o->mtu,
    };
    struct dtls_config sc = {
        .role = DTLS_ROLE_SERVER,
        .cert = server_cert,
        .remote_fp = fp_of(client_cert, o->server_expects_wrong_fp),
        .srtp_profiles = o->server_profiles,
        .rto_initial_us = o->rto_initial_us,
        .mtu = o->mtu,
    };
    p->now = 1000000;
    assert_int_equal(dtls_create(&p->c, &cc), 0);
    assert_int_equal(dtls_create(&p->s, &sc), 0);
    assert_int_equal(dtls_state(p->c), DTLS_STATE_NEW);
    assert_int_equal(dtls_start(p->c, p->now), 0);
    assert_int_equal(dtls_start(p->s, p->now), 0);
    assert_int_equal(dtls_state(p->c), DTLS_STATE_CONNECTING);
}

static void pair_close(struct pair *p)
{
    dtls_free(p->c);
    dtls_free(p->s);
}

/* Moves every queued datagram from one side to the other; `drop` datagrams
 * are lost first. Returns how many were sent (lost ones included). */
static int shuttle(struct dtls *from, struct dtls *to, int64_t now, int drop)
{
    uint8_t buf[2048];
    size_t n = 0;
    int sent = 0;
    while (dtls_poll_transmit(from, buf, sizeof buf, &n) == 1) {
        assert_true(n > 0 && n <= DTLS_MTU_DEFAULT);
        if (sent++ < drop)
            continue;
        int err = dtls_handle_input(to, buf, n, now);
        assert_true(err == 0 || err == -EPROTO);
    }
    return sent;
}

static bool settled(const struct pair *p)
{
    enum dtls_state c = dtls_state(p->c), s = dtls_state(p->s);
    return (c == DTLS_STATE_CONNECTED && s == DTLS_STATE_CONNECTED) || c == DTLS_STATE_FAILED ||
           s == DTLS_STATE_FAILED;
}

/* Calls dtls_handle_timeout at the deadline until OpenSSL's own clock agrees
 * the timer expired and the flight is resent. */
static void fire_retransmission(struct dtls *d, int64_t *now)
{
    struct dtls_stats before, after;
    dtls_stats(d, &before);
    int64_t deadline = dtls_poll_timeout(d);
    assert_true(deadline != INT64_MAX);
    if (deadline > *now)
        *now = deadline;
    for (int i = 0; i < 500; i++) {
        dtls_handle_timeout(d, *now);
        dtls_stats(d, &after);
        if (after.retransmits > before.retransmits)
            break;
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    assert_int_equal(after.retransmits, before.retransmits + 1);
    assert_true(after.tx_datagrams > before.tx_datagrams);
}

/* Runs the exchange like an owner would: deliver every datagram (1 ms per
 * round trip of the virtual clock) and, when nothing is in flight, fire the
 * earliest retransmission timer. Stops once both are connected or one
 * failed; returns the number of delivery rounds. */
static int pair_run(struct pair *p)
{
    int rounds = 0;
    for (int i = 0; i < 50 && !settled(p); i++) {
        p->now += 500;
        int moved = shuttle(p->c, p->s, p->now, 0);
        p->now += 500;
        moved += shuttle(p->s, p->c, p->now, 0);
        if (moved) {
            rounds++;
            continue;
        }
        int64_t tc = dtls_poll_timeout(p->c), ts = dtls_poll_timeout(p->s);
        if (tc == INT64_MAX && ts == INT64_MAX)
            break;
        fire_retransmission(tc <= ts ? p->c : p->s, &p->now);
    }
    /* Let the last alert or flight reach the other side. */
    shuttle(p->c, p->s, p->now, 0);
    shuttle(p->s, p->c, p->now, 0);
    return rounds;
}

static void assert_keys_mirror(const struct pair *p, uint16_t profile)
{
    struct dtls_srtp_keys ck, sk;
    assert_int_equal(dtls_srtp_keys(p->c, &ck), 0);
    assert_int_equal(dtls_srtp_keys(p->s, &sk), 0);
    assert_int_equal(ck.profile, profile);
    assert_int_equal(sk.profile, profile);
    assert_int_equal(ck.key_len, 16);
    assert_int_equal(ck.salt_len, profile == DTLS_SRTP_AEAD_AES_128_GCM ? 12 : 14);
    assert_memory_equal(ck.local_key, sk.remote_key, 16);
    assert_memory_equal(ck.remote_key, sk.local_key, 16);
    assert_memory_equal(ck.local_salt, sk.remote_salt, ck.salt_len);
    assert_memory_equal(ck.remote_salt, sk.local_salt, ck.salt_len);
    assert_memory_not_equal(ck.local_key, ck.remote_key, 16);
}

static void test_handshake_default_prefers_gcm(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){0});
    int rounds = pair_run(&p);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    assert_true(rounds <= 3); /* two round trips plus the server's last flight */
    assert_keys_mirror(&p, DTLS_SRTP_AEAD_AES_128_GCM);
    assert_string_equal(dtls_error(p.c), "");
    assert_int_equal(dtls_failure(p.c), DTLS_FAIL_NONE);
    struct dtls_stats st;
    dtls_stats(p.c, &st);
    assert_true(st.tx_datagrams >= 2);
    assert_int_equal(st.tx_dropped, 0);
    pair_close(&p);
}

static void test_server_forces_aes_cm(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.server_profiles = "SRTP_AES128_CM_SHA1_80"});
    pair_run(&p);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    assert_keys_mirror(&p, DTLS_SRTP_AES128_CM_SHA1_80);
    pair_close(&p);
}

/* RFC 5764 §4.1.1: the server chooses, by its own preference order. */
static void test_server_preference_wins(void **state)
{
    (void)state;
    struct pair p;
    pair_open(
        &p, &(struct pair_opts){.server_profiles = "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM"});
    pair_run(&p);
    assert_keys_mirror(&p, DTLS_SRTP_AES128_CM_SHA1_80);
    pair_close(&p);
}

static void test_client_offers_only_gcm(void **state)
{
    (void)state;
    struct pair p;
    pair_open(
        &p, &(struct pair_opts){.client_profiles = "SRTP_AEAD_AES_128_GCM",
                                .server_profiles = "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM"});
    pair_run(&p);
    assert_keys_mirror(&p, DTLS_SRTP_AEAD_AES_128_GCM);
    pair_close(&p);
}

static void test_no_common_profile_fails(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.client_profiles = "SRTP_AEAD_AES_128_GCM",
                                      .server_profiles = "SRTP_AES128_CM_SHA1_80"});
    pair_run(&p);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_FAILED);
    assert_int_equal(dtls_failure(p.s), DTLS_FAIL_NO_SRTP);
    assert_non_null(strstr(dtls_error(p.s), "SRTP"));
    struct dtls_srtp_keys k;
    assert_int_equal(dtls_srtp_keys(p.s, &k), -EINVAL);
    pair_close(&p);
}

static void test_client_rejects_wrong_fingerprint(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.client_expects_wrong_fp = true});
    pair_run(&p);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_FAILED);
    assert_int_equal(dtls_failure(p.c), DTLS_FAIL_FINGERPRINT);
    assert_non_null(strstr(dtls_error(p.c), "fingerprint"));
    /* The server learns it from the bad_certificate alert. */
    assert_int_equal(dtls_state(p.s), DTLS_STATE_FAILED);
    assert_int_equal(dtls_failure(p.s), DTLS_FAIL_HANDSHAKE);
    assert_non_null(strstr(dtls_error(p.s), "bad certificate"));
    pair_close(&p);
}

static void test_server_rejects_wrong_fingerprint(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.server_expects_wrong_fp = true});
    pair_run(&p);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_FAILED);
    assert_int_equal(dtls_failure(p.s), DTLS_FAIL_FINGERPRINT);
    assert_int_not_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    struct dtls_srtp_keys k;
    assert_int_equal(dtls_srtp_keys(p.s, &k), -EINVAL);
    /* Input after FAILED is dropped and counted. */
    uint8_t junk[20] = {22, 0xfe, 0xfd};
    assert_int_equal(dtls_handle_input(p.s, junk, sizeof junk, p.now), 0);
    struct dtls_stats st;
    dtls_stats(p.s, &st);
    assert_int_equal(st.rx_dropped_closed, 1);
    pair_close(&p);
}

static void test_lost_client_hello_is_retransmitted(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.rto_initial_us = 20000});
    assert_int_equal(shuttle(p.c, p.s, p.now, 1), 1); /* the ClientHello is lost */
    assert_int_equal(shuttle(p.s, p.c, p.now, 0), 0);
    assert_int_equal(dtls_poll_timeout(p.s), INT64_MAX); /* a server waits */
    int64_t deadline = dtls_poll_timeout(p.c);
    assert_true(deadline > p.now && deadline <= p.now + 20000);
    fire_retransmission(p.c, &p.now);
    pair_run(&p);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    assert_keys_mirror(&p, DTLS_SRTP_AEAD_AES_128_GCM);
    pair_close(&p);
}

/* The server's first flight is lost: the client resends its ClientHello and
 * the server answers the duplicate by resending its flight. */
static void test_lost_server_flight_is_recovered(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.rto_initial_us = 20000});
    assert_int_equal(shuttle(p.c, p.s, p.now, 0), 1);
    assert_true(shuttle(p.s, p.c, p.now, 100) >= 1); /* all of it lost */
    fire_retransmission(p.c, &p.now);
    pair_run(&p);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    pair_close(&p);
}

static void test_close_notify(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){0});
    pair_run(&p);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    dtls_close(p.c, p.now);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CLOSED);
    assert_int_equal(shuttle(p.c, p.s, p.now, 0), 1);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CLOSED);
    assert_int_equal(dtls_failure(p.s), DTLS_FAIL_NONE);
    /* The server's answering close_notify reaches a closed client. */
    assert_int_equal(shuttle(p.s, p.c, p.now, 0), 1);
    struct dtls_stats st;
    dtls_stats(p.c, &st);
    assert_int_equal(st.rx_dropped_closed, 1);
    assert_int_equal(dtls_poll_timeout(p.c), INT64_MAX);
    pair_close(&p);
}

/* DTLS silently discards records it cannot use (RFC 6347 §4.1.2.7). */
static void test_garbage_is_ignored(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){0});
    uint8_t junk[64];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 37 + 11);
    uint8_t fake_record[13 + 8] = {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 200};
    assert_int_equal(dtls_handle_input(p.s, junk, sizeof junk, p.now), 0);
    assert_int_equal(dtls_handle_input(p.s, fake_record, sizeof fake_record, p.now), 0);
    assert_int_equal(dtls_handle_input(p.s, junk, 0, p.now), 0);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTING);
    pair_run(&p);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    assert_int_equal(dtls_handle_input(p.c, junk, sizeof junk, p.now), 0);
    assert_int_equal(dtls_handle_input(p.c, fake_record, sizeof fake_record, p.now), 0);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    pair_close(&p);
}

/* A small MTU splits the certificate flight over several datagrams. */
static void test_small_mtu_fragments_flights(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){.mtu = 300});
    uint8_t buf[2048];
    size_t n = 0;
    int server_datagrams = 0;
    for (int round = 0; round < 10 && !settled(&p); round++) {
        while (dtls_poll_transmit(p.c, buf, sizeof buf, &n) == 1) {
            assert_true(n <= 300);
            assert_int_equal(dtls_handle_input(p.s, buf, n, p.now), 0);
        }
        while (dtls_poll_transmit(p.s, buf, sizeof buf, &n) == 1) {
            assert_true(n <= 300);
            server_datagrams++;
            assert_int_equal(dtls_handle_input(p.c, buf, n, p.now), 0);
        }
    }
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    assert_true(server_datagrams >= 3);
    pair_close(&p);
}

static void test_short_transmit_buffer_keeps_datagram(void **state)
{
    (void)state;
    struct pair p;
    pair_open(&p, &(struct pair_opts){0});
    uint8_t small[16];
    size_t n = 0;
    assert_int_equal(dtls_poll_transmit(p.c, small, sizeof small, &n), -ENOSPC);
    uint8_t buf[2048];
    assert_int_equal(dtls_poll_transmit(p.c, buf, sizeof buf, &n), 1);
    assert_true(n > sizeof small);
    assert_int_equal(buf[0], 22); /* handshake record */
    assert_int_equal(dtls_poll_transmit(p.c, buf, sizeof buf, &n), 0);
    pair_close(&p);
}

static void test_server_starts_on_first_datagram(void **state)
{
    (void)state;
    struct dtls_config cc = {
        .role = DTLS_ROLE_CLIENT, .cert = client_cert, .remote_fp = *dtls_cert_fp(server_cert)};
    struct dtls_config sc = {
        .role = DTLS_ROLE_SERVER, .cert = server_cert, .remote_fp = *dtls_cert_fp(client_cert)};
    struct pair p = {.now = 5};
    assert_int_equal(dtls_create(&p.c, &cc), 0);
    assert_int_equal(dtls_create(&p.s, &sc), 0);
    assert_int_equal(dtls_poll_timeout(p.c), INT64_MAX);
    assert_int_equal(dtls_start(p.c, p.now), 0);
    assert_int_equal(dtls_start(p.c, p.now), -EINVAL);
    assert_true(dtls_poll_timeout(p.c) > p.now);
    pair_run(&p);
    assert_int_equal(dtls_state(p.s), DTLS_STATE_CONNECTED);
    assert_int_equal(dtls_state(p.c), DTLS_STATE_CONNECTED);
    pair_close(&p);
}

static void test_create_rejects_bad_config(void **state)
{
    (void)state;
    struct dtls *d = NULL;
    struct dtls_config cfg = {.role = DTLS_ROLE_SERVER, .cert = server_cert};
    assert_int_equal(dtls_create(&d, NULL), -EINVAL);
    cfg.cert = NULL;
    assert_int_equal(dtls_create(&d, &cfg), -EINVAL);
    cfg.cert = server_cert;
    cfg.srtp_profiles = "SRTP_NOT_A_PROFILE";
    assert_int_equal(dtls_create(&d, &cfg), -EINVAL);
    cfg.srtp_profiles = NULL;
    cfg.mtu = 40; /* below OpenSSL's minimum */
    assert_int_equal(dtls_create(&d, &cfg), -EINVAL);
    cfg.mtu = 0;
    cfg.rto_initial_us = -1;
    assert_int_equal(dtls_create(&d, &cfg), -EINVAL);
    cfg.rto_initial_us = 0;
    cfg.role = (enum dtls_role)7;
    assert_int_equal(dtls_create(&d, &cfg), -EINVAL);
    assert_null(d);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    long live = mem_live_count();
    struct dtls_config cc = {
        .role = DTLS_ROLE_CLIENT, .cert = client_cert, .remote_fp = *dtls_cert_fp(server_cert)};
    struct dtls *d = NULL;
    mem_fail_nth(1);
    assert_int_equal(dtls_create(&d, &cc), -ENOMEM);
    mem_fail_nth(0);
    assert_int_equal(mem_live_count(), live);
    /* A datagram that cannot be queued is dropped and counted, not fatal. */
    assert_int_equal(dtls_create(&d, &cc), 0);
    mem_fail_nth(1);
    assert_int_equal(dtls_start(d, 0), 0);
    mem_fail_nth(0);
    struct dtls_stats st;
    dtls_stats(d, &st);
    assert_int_equal(st.tx_dropped, 1);
    assert_int_equal(st.tx_datagrams, 0);
    assert_int_equal(dtls_state(d), DTLS_STATE_CONNECTING);
    dtls_free(d);
    assert_int_equal(mem_live_count(), live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_default_prefers_gcm),
        cmocka_unit_test(test_server_forces_aes_cm),
        cmocka_unit_test(test_server_preference_wins),
        cmocka_unit_test(test_client_offers_only_gcm),
        cmocka_unit_test(test_no_common_profile_fails),
        cmocka_unit_test(test_client_rejects_wrong_fingerprint),
        cmocka_unit_test(test_server_rejects_wrong_fingerprint),
        cmocka_unit_test(test_lost_client_hello_is_retransmitted),
        cmocka_unit_test(test_lost_server_flight_is_recovered),
        cmocka_unit_test(test_close_notify),
        cmocka_unit_test(test_garbage_is_ignored),
        cmocka_unit_test(test_small_mtu_fragments_flights),
        cmocka_unit_test(test_short_transmit_buffer_keeps_datagram),
        cmocka_unit_test(test_server_starts_on_first_datagram),
        cmocka_unit_test(test_create_rejects_bad_config),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
