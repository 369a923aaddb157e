/* Two ICE transports in one process on loopback, on one GMainContext that
 * the test iterates until a condition holds or a deadline passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "media/core/mem.h"
#include "media/io/ice.h"
#include "tests/unit/lib/gloop_wait.h"

#define MAX_CANDS 8
#define CONSENT_MS 1000

static GMainContext *ctx;

struct peer {
    struct ice *t;
    struct peer *trickle_to; /* forward candidates as they come */
    unsigned states;         /* bit per state seen */
    enum ice_state last;
    int64_t terminal_at_us;
    char cands[MAX_CANDS][256];
    int n_cands;
    bool gathered;
    uint8_t rx[2048];
    size_t rx_len;
    int rx_count;
    int calls;
    int destroy_on_state; /* -1: never */
    bool destroy_on_recv;
};

static void on_state(void *arg, enum ice_state s)
{
    struct peer *p = arg;
    p->calls++;
    p->states |= 1u << s;
    p->last = s;
    if (s == ICE_STATE_FAILED || s == ICE_STATE_GONE)
        p->terminal_at_us = g_get_monotonic_time();
    if ((int)s == p->destroy_on_state) {
        ice_destroy(p->t);
        p->t = NULL;
    }
}

static void on_candidate(void *arg, const char *line)
{
    struct peer *p = arg;
    p->calls++;
    assert_true(strncmp(line, "a=candidate:", 12) == 0);
    if (p->n_cands < MAX_CANDS)
        snprintf(p->cands[p->n_cands++], sizeof p->cands[0], "%s", line);
    /* Trickle in the browser's form, without "a=". */
    if (p->trickle_to)
        assert_int_equal(ice_add_remote_candidate(p->trickle_to->t, line + 2), 0);
}

static void on_gathering_done(void *arg)
{
    struct peer *p = arg;
    p->calls++;
    p->gathered = true;
    if (p->trickle_to)
        assert_int_equal(ice_add_remote_candidate(p->trickle_to->t, "a=end-of-candidates"), 0);
}

static void on_recv(void *arg, const uint8_t *b, size_t n)
{
    struct peer *p = arg;
    p->calls++;
    p->rx_count++;
    p->rx_len = n < sizeof p->rx ? n : sizeof p->rx;
    memcpy(p->rx, b, p->rx_len);
    if (p->destroy_on_recv) {
        ice_destroy(p->t);
        p->t = NULL;
    }
}

static void make_peer(struct peer *p, bool lite, bool trickle)
{
    static const char *const addrs[] = {"127.0.0.1"};
    memset(p, 0, sizeof *p);
    p->destroy_on_state = -1;
    struct ice_config cfg = {
        .lite = lite,
        .trickle = trickle,
        .addrs = addrs,
        .n_addrs = 1,
        .consent_timeout_ms = CONSENT_MS,
        .connect_timeout_ms = 3000,
    };
    struct ice_callbacks cb = {on_state, on_candidate, on_gathering_done, on_recv, p};
    assert_int_equal(ice_new(&p->t, ctx, &cfg, &cb), 0);
}

static bool is_ready(void *arg)
{
    return ((struct peer *)arg)->last == ICE_STATE_READY;
}

static bool both_ready(void *arg)
{
    struct peer *p = arg;
    return is_ready(&p[0]) && is_ready(&p[1]);
}

static bool is_gone(void *arg)
{
    return ((struct peer *)arg)->last == ICE_STATE_GONE;
}

static bool got_packet(void *arg)
{
    return ((struct peer *)arg)->rx_count > 0;
}

static void exchange_credentials(struct peer *a, struct peer *b)
{
    assert_int_equal(ice_set_remote_credentials(a->t, ice_local_ufrag(b->t), ice_local_pwd(b->t)),
                     0);
    assert_int_equal(ice_set_remote_credentials(b->t, ice_local_ufrag(a->t), ice_local_pwd(a->t)),
                     0);
}

/* Lite bridge p[0] and full endpoint p[1], both trickling, gathering. */
static void start_trickle(struct peer p[2])
{
    make_peer(&p[0], true, false);
    make_peer(&p[1], false, true);
    p[0].trickle_to = &p[1];
    p[1].trickle_to = &p[0];
    exchange_credentials(&p[0], &p[1]);
    assert_int_equal(ice_gather(p[0].t), 0);
    assert_int_equal(ice_gather(p[1].t), 0);
}

/* The same, connected. */
static void connect_trickle(struct peer p[2])
{
    start_trickle(p);
    assert_true(gloop_wait_for(ctx, both_ready, p, 3000));
}

static void send_and_check(struct peer *from, struct peer *to, size_t n, uint8_t seed)
{
    uint8_t buf[1500];
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(seed + i * 7);
    to->rx_count = 0;
    assert_int_equal(ice_send(from->t, buf, n), 0);
    assert_true(gloop_wait_for(ctx, got_packet, to, 1000));
    assert_int_equal(to->rx_len, n);
    assert_memory_equal(to->rx, buf, n);
}

static int setup(void **state)
{
    (void)state;
    ctx = g_main_context_new();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gloop_drain(ctx);
    g_main_context_unref(ctx);
    ctx = NULL;
    return 0;
}

static void test_trickle_connect_and_exchange(void **state)
{
    (void)state;
    struct peer p[2];
    connect_trickle(p);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(p[i].n_cands, 1);
        assert_true(p[i].gathered);
        assert_true(p[i].states & (1u << ICE_STATE_CHECKING));
        assert_true(p[i].states & (1u << ICE_STATE_CONNECTED));
        assert_int_equal(ice_get_state(p[i].t), ICE_STATE_READY);
    }
    /* Sizes: a byte, an RTCP-sized packet, a full video packet. */
    send_and_check(&p[1], &p[0], 1, 0x80);
    send_and_check(&p[0], &p[1], 1, 0x16);
    send_and_check(&p[1], &p[0], 100, 3);
    send_and_check(&p[0], &p[1], 1200, 9);
    send_and_check(&p[1], &p[0], 1200, 11);

    struct ice_stats s0, s1;
    ice_get_stats(p[0].t, &s0);
    ice_get_stats(p[1].t, &s1);
    assert_int_equal(s0.tx_packets, 2);
    assert_int_equal(s0.tx_bytes, 1201);
    assert_int_equal(s0.rx_packets, 3);
    assert_int_equal(s0.rx_bytes, 1301);
    assert_int_equal(s1.rx_packets, 2);
    assert_int_equal(s1.tx_errors, 0);
    assert_int_equal(s0.cand_rejected, 0);
    ice_destroy(p[0].t);
    ice_destroy(p[1].t);
}

/* SDP style: the endpoint gets the bridge's candidates in one batch; the
 * bridge gets none (a browser's mDNS names cannot be used) and learns the
 * peer from its checks. */
static void test_sdp_connect_without_remote_candidates(void **state)
{
    (void)state;
    struct peer p[2];
    make_peer(&p[0], true, false);
    make_peer(&p[1], false, false);
    exchange_credentials(&p[0], &p[1]);
    assert_int_equal(ice_gather(p[0].t), 0);
    assert_int_equal(ice_gather(p[1].t), 0);
    assert_true(p[0].gathered); /* host candidates come at once */
    assert_int_equal(ice_add_remote_candidate(p[0].t, "candidate:1 1 udp 2122260223 "
                                                      "0d4f1b6e-1f2e-4c2b-9d3a-2f8e5b6c7d8e.local "
                                                      "54321 typ host generation 0"),
                     -EPROTONOSUPPORT);
    /* ice_local_candidates sees the same lines the callback gave. */
    struct peer copy = {.destroy_on_state = -1};
    assert_int_equal(ice_local_candidates(p[0].t, on_candidate, &copy), 0);
    assert_int_equal(copy.n_cands, 1);
    assert_string_equal(copy.cands[0], p[0].cands[0]);
    assert_int_equal(ice_add_remote_candidate(p[1].t, copy.cands[0]), 0);
    assert_true(gloop_wait_for(ctx, both_ready, p, 3000));
    send_and_check(&p[0], &p[1], 200, 1);
    send_and_check(&p[1], &p[0], 200, 2);
    ice_destroy(p[1].t);
    ice_destroy(p[0].t);
}

static gboolean ping(gpointer data)
{
    struct peer *p = data;
    static const uint8_t b[] = {0x80, 0x60, 0, 1};
    assert_int_equal(ice_send(p[0].t, b, sizeof b), 0);
    assert_int_equal(ice_send(p[1].t, b, sizeof b), 0);
    return G_SOURCE_CONTINUE;
}

/* While datagrams flow nobody is declared gone, even past the timeout;
 * once the bridge disappears the endpoint says so after the timeout. */
static void test_consent_endpoint_sees_bridge_vanish(void **state)
{
    (void)state;
    struct peer p[2];
    connect_trickle(p);
    GSource *tick = g_timeout_source_new(100);
    g_source_set_callback(tick, ping, p, NULL);
    g_source_attach(tick, ctx);
    gloop_run_for(ctx, CONSENT_MS * 13 / 10);
    g_source_destroy(tick);
    g_source_unref(tick);
    assert_int_equal(p[0].last, ICE_STATE_READY);
    assert_int_equal(p[1].last, ICE_STATE_READY);

    int64_t t0 = g_get_monotonic_time();
    ice_destroy(p[0].t);
    assert_true(gloop_wait_for(ctx, is_gone, &p[1], CONSENT_MS * 2));
    int64_t waited_ms = (p[1].terminal_at_us - t0) / 1000;
    assert_in_range(waited_ms, CONSENT_MS - 150, CONSENT_MS + 500);
    assert_int_equal(ice_get_state(p[1].t), ICE_STATE_GONE);
    uint8_t b[4] = {0};
    assert_int_equal(ice_send(p[1].t, b, sizeof b), -ENOTCONN);
    ice_destroy(p[1].t);
}

static int udp_socket(uint16_t port, uint16_t *bound)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    if (bound)
        *bound = ntohs(a.sin_port);
    return fd;
}

/* "a=candidate:1 1 UDP 2015364095 127.0.0.1 40034 typ host" -> 40034 */
static uint16_t cand_port(const char *line)
{
    unsigned port = 0;
    assert_int_equal(sscanf(line, "a=candidate:%*s %*u %*s %*u %*s %u", &port), 1);
    return (uint16_t)port;
}

struct stun_sender {
    int fd;
    uint16_t to_port;
};

/* CRC-32 (ISO 3309, as RFC 5389 §15.5 FINGERPRINT uses). */
static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

/* A STUN Binding Indication with FINGERPRINT (RFC 5389 §6, §15.5), as a
 * keepalive looks: libnice consumes it without handing anything up. */
static gboolean send_indication(gpointer data)
{
    struct stun_sender *s = data;
    uint8_t m[28] = {0x00, 0x11, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42, 1,    2,    3,    4,
                     5,    6,    7,    8,    9,    10,   11,   12,   0x80, 0x28, 0x00, 0x04};
    uint32_t fp = crc32(m, 20) ^ 0x5354554eu;
    m[24] = (uint8_t)(fp >> 24);
    m[25] = (uint8_t)(fp >> 16);
    m[26] = (uint8_t)(fp >> 8);
    m[27] = (uint8_t)fp;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(s->to_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(sendto(s->fd, m, sizeof m, 0, (struct sockaddr *)&a, sizeof a), sizeof m);
    return G_SOURCE_CONTINUE;
}

static GSource *start_indications(struct stun_sender *s)
{
    GSource *src = g_timeout_source_new(150);
    g_source_set_callback(src, send_indication, s, NULL);
    g_source_attach(src, ctx);
    return src;
}

/* The bridge only hears STUN from a quiet peer: packets peeked from the
 * peer's address keep it alive, the same packets from anyone else do not. */
static void test_consent_bridge_counts_only_the_peer(void **state)
{
    (void)state;
    struct peer p[2];
    connect_trickle(p);
    uint16_t bridge_port = cand_port(p[0].cands[0]);
    uint16_t endpoint_port = cand_port(p[1].cands[0]);
    ice_destroy(p[1].t); /* frees the endpoint's port: impersonate it */
    struct stun_sender peer = {udp_socket(endpoint_port, NULL), bridge_port};
    GSource *src = start_indications(&peer);
    assert_false(gloop_wait_for(ctx, is_gone, &p[0], CONSENT_MS * 15 / 10));
    g_source_destroy(src);
    g_source_unref(src);
    struct ice_stats st;
    ice_get_stats(p[0].t, &st);
    assert_int_equal(st.rx_packets, 0); /* STUN never reached on_recv */
    assert_true(st.probes > 0);

    struct stun_sender stranger = {udp_socket(0, NULL), bridge_port};
    src = start_indications(&stranger);
    int64_t t0 = g_get_monotonic_time();
    assert_true(gloop_wait_for(ctx, is_gone, &p[0], CONSENT_MS * 2));
    assert_true((p[0].terminal_at_us - t0) / 1000 <= CONSENT_MS + 500);
    g_source_destroy(src);
    g_source_unref(src);
    close(peer.fd);
    close(stranger.fd);
    ice_destroy(p[0].t);
}

static void test_bad_candidates_rejected(void **state)
{
    (void)state;
    static const char *const malformed[] = {
        "garbage",
        "candidate:",
        "a=candidate:1 1 UDP 2015364095 127.0.0.1 99999 typ host",
        "a=candidate:1 1 UDP 2015364095 127.0.0.1 0 typ host",
        "a=candidate:1 1 UDP 2015364095 127.0.0.1 5000",
        "a=candidate:1 1 UDP 2015364095 127.0.0.1 5000 type host",
        "a=candidate:1 1 UDP 99999999999 127.0.0.1 5000 typ host",
        "a=candidate:1 0 UDP 1 127.0.0.1 5000 typ host",
        "a=candidate:1 1 UDP 1 host.example 5000 typ host", /* libnice wants an IP */
        "a=candidate:1 1 UDP 1 999.1.1.1 5000 typ host",
        "a=ice-ufrag:abcd",
    };
    static const char *const unusable[] = {
        "candidate:1 1 TCP 1 127.0.0.1 9 typ host tcptype active",
        "candidate:1 2 UDP 1 127.0.0.1 5001 typ host",
        "candidate:1 1 UDP 1 abc.local 5001 typ host",
    };
    struct peer p;
    make_peer(&p, false, true);
    assert_int_equal(ice_add_remote_candidate(p.t, "candidate:1 1 UDP 1 127.0.0.1 5000 typ host"),
                     -EINVAL); /* before the credentials */
    assert_int_equal(ice_set_remote_credentials(p.t, "ab", "0123456789012345678901"), -EBADMSG);
    assert_int_equal(ice_set_remote_credentials(p.t, "abcd", "short"), -EBADMSG);
    assert_int_equal(ice_set_remote_credentials(p.t, "ab-d", "0123456789012345678901"), -EBADMSG);
    assert_int_equal(ice_set_remote_credentials(p.t, NULL, NULL), -EBADMSG);
    assert_int_equal(ice_set_remote_credentials(p.t, "abcd", "0123456789012345678901"), 0);
    assert_int_equal(ice_set_remote_credentials(p.t, "abcd", "0123456789012345678901"), -EINVAL);
    char longline[2100] = "candidate:1 1 UDP 1 127.0.0.1 5000 typ host";
    memset(longline + strlen(longline), 'x', 2000);
    assert_int_equal(ice_add_remote_candidate(p.t, longline), -EBADMSG);
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
        assert_int_equal(ice_add_remote_candidate(p.t, malformed[i]), -EBADMSG);
    for (size_t i = 0; i < sizeof unusable / sizeof unusable[0]; i++)
        assert_int_equal(ice_add_remote_candidate(p.t, unusable[i]), -EPROTONOSUPPORT);
    assert_int_equal(ice_add_remote_candidate(NULL, malformed[0]), -EINVAL);
    assert_int_equal(ice_add_remote_candidate(p.t, NULL), -EINVAL);
    struct ice_stats st;
    ice_get_stats(p.t, &st);
    assert_int_equal(st.cand_rejected, 1 + 11 + 3 + 1);
    assert_int_equal(ice_get_state(p.t), ICE_STATE_NEW);
    ice_destroy(p.t);
}

static void test_destroy_while_connecting(void **state)
{
    (void)state;
    struct peer p[2];
    start_trickle(p);
    g_main_context_iteration(ctx, FALSE); /* checks are on their way */
    ice_destroy(p[1].t);
    ice_destroy(p[0].t);
    int calls[2] = {p[0].calls, p[1].calls};
    gloop_run_for(ctx, 200);
    assert_int_equal(p[0].calls, calls[0]);
    assert_int_equal(p[1].calls, calls[1]);
}

/* The owner may destroy its transport from inside a callback: from a state
 * change reported inside ice_gather, and from a received datagram. */
static void test_destroy_from_callbacks(void **state)
{
    (void)state;
    struct peer g;
    make_peer(&g, true, false);
    g.destroy_on_state = ICE_STATE_GATHERING;
    assert_int_equal(ice_gather(g.t), -ECANCELED);
    assert_null(g.t);
    assert_int_equal(g.n_cands, 0); /* nothing after the destroy */

    struct peer p[2];
    connect_trickle(p);
    p[0].destroy_on_recv = true;
    static const uint8_t b[] = {1, 2, 3};
    assert_int_equal(ice_send(p[1].t, b, sizeof b), 0);
    assert_int_equal(ice_send(p[1].t, b, sizeof b), 0);
    assert_true(gloop_wait_for(ctx, got_packet, &p[0], 1000));
    gloop_run_for(ctx, 100);
    assert_null(p[0].t);
    assert_int_equal(p[0].rx_count, 1);
    ice_destroy(p[1].t);
}

static void test_new_rejects_bad_config(void **state)
{
    (void)state;
    static const char *const good[] = {"127.0.0.1"};
    static const char *const bad[] = {"300.1.1.1"};
    struct ice_callbacks cb = {0};
    struct ice *t = NULL;
    struct ice_config cfg = {.lite = true, .addrs = good, .n_addrs = 1};
    assert_int_equal(ice_new(NULL, ctx, &cfg, &cb), -EINVAL);
    assert_int_equal(ice_new(&t, NULL, &cfg, &cb), -EINVAL);
    assert_int_equal(ice_new(&t, ctx, NULL, &cb), -EINVAL);
    cfg.n_addrs = 0;
    assert_int_equal(ice_new(&t, ctx, &cfg, &cb), -EINVAL);
    cfg.n_addrs = 1;
    cfg.addrs = bad;
    assert_int_equal(ice_new(&t, ctx, &cfg, &cb), -EINVAL);
    cfg.addrs = good;
    cfg.port_min = 5000;
    cfg.port_max = 4000;
    assert_int_equal(ice_new(&t, ctx, &cfg, &cb), -EINVAL);
    cfg.port_min = cfg.port_max = 0;
    long live = mem_live_count();
    mem_fail_nth(1);
    assert_int_equal(ice_new(&t, ctx, &cfg, &cb), -ENOMEM);
    mem_fail_nth(0);
    assert_int_equal(mem_live_count(), live);
    assert_null(t);
    assert_int_equal(ice_new(&t, ctx, &cfg, &cb), 0);
    assert_int_equal(mem_live_count(), live + 1);
    assert_int_equal(strlen(ice_local_ufrag(t)) >= 4, 1);
    assert_int_equal(strlen(ice_local_pwd(t)) >= 22, 1);
    ice_destroy(t);
    assert_int_equal(mem_live_count(), live);
    ice_destroy(NULL);
}

static void test_send_misuse(void **state)
{
    (void)state;
    struct peer p;
    make_peer(&p, false, false);
    static uint8_t big[ICE_MAX_DATAGRAM + 1];
    assert_int_equal(ice_send(p.t, big, 10), -ENOTCONN);
    assert_int_equal(ice_send(p.t, big, 0), -EINVAL);
    assert_int_equal(ice_send(p.t, NULL, 10), -EINVAL);
    assert_int_equal(ice_send(p.t, big, sizeof big), -EMSGSIZE);
    struct ice_stats st;
    ice_get_stats(p.t, &st);
    assert_int_equal(st.tx_errors, 2);
    assert_int_equal(st.tx_packets, 0);
    assert_int_equal(ice_gather(p.t), 0);
    assert_int_equal(ice_gather(p.t), -EINVAL);
    assert_string_equal(ice_state_name(ICE_STATE_GONE), "gone");
    assert_string_equal(ice_state_name((enum ice_state)99), "?");
    ice_destroy(p.t);
}

/* The port range is honoured, and a full range is an error, not a hang. */
static void test_port_range(void **state)
{
    (void)state;
    static const char *const addrs[] = {"127.0.0.1"};
    uint16_t port;
    close(udp_socket(0, &port)); /* a port that was free a moment ago */
    struct ice_config cfg = {.lite = true, .addrs = addrs, .n_addrs = 1};
    cfg.port_min = cfg.port_max = port;
    struct peer a = {.destroy_on_state = -1}, b = {.destroy_on_state = -1};
    struct ice_callbacks cba = {on_state, on_candidate, on_gathering_done, on_recv, &a};
    struct ice_callbacks cbb = {on_state, on_candidate, on_gathering_done, on_recv, &b};
    assert_int_equal(ice_new(&a.t, ctx, &cfg, &cba), 0);
    assert_int_equal(ice_new(&b.t, ctx, &cfg, &cbb), 0);
    assert_int_equal(ice_gather(a.t), 0);
    assert_int_equal(a.n_cands, 1);
    assert_int_equal(cand_port(a.cands[0]), port);
    assert_int_equal(ice_gather(b.t), -EADDRINUSE);
    assert_int_equal(b.n_cands, 0);
    ice_destroy(a.t);
    ice_destroy(b.t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_trickle_connect_and_exchange),
        T(test_sdp_connect_without_remote_candidates),
        T(test_consent_endpoint_sees_bridge_vanish),
        T(test_consent_bridge_counts_only_the_peer),
        T(test_bad_candidates_rejected),
        T(test_destroy_while_connecting),
        T(test_destroy_from_callbacks),
        T(test_new_rejects_bad_config),
        T(test_send_misuse),
        T(test_port_range),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
