/* A receive-only pc taking the bridge's subscribe offers (written by
 * sfu/core/sub_sdp) one after the other, as a meeting changes: one
 * receiver per forwarded track, kept by mid, added and ended with each
 * offer; what a new offer may not change (ICE credentials, fingerprint);
 * allocation failures. No media flows: the offers' candidate leads
 * nowhere. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "media/core/mem.h"
#include "media/endpoint/pc.h"
#include "sfu/core/sub_sdp.h"

#define FP                                                                                         \
    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"   \
    "EE:FF"
#define FP2                                                                                        \
    "FF:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"   \
    "EE:FF"

static struct dtls_cert *cert;
static struct sub_sdp sub;
static char offer[65536];

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    (void)arg, (void)s, (void)reason;
}

static void on_candidate(void *arg, const char *c)
{
    (void)arg, (void)c;
}

static struct pc *make_pc(bool send, bool recv_video)
{
    static const char *const addrs[] = {"127.0.0.1"};
    struct pc_config cfg = {.ctx = g_main_context_default(),
                            .cert = cert,
                            .addrs = addrs,
                            .n_addrs = 1,
                            .loopback_only = true,
                            .send_audio = send,
                            .send_video = send,
                            .recv_audio = !send,
                            .recv_video = !send && recv_video};
    struct pc_callbacks cb = {on_state, on_candidate, NULL};
    struct pc *pc = NULL;
    int rc = pc_new(&pc, &cfg, &cb);
    return rc == 0 ? pc : NULL;
}

static const char *write_offer(const char *ufrag, const char *fp)
{
    static const char *const cands[] = {"candidate:1 1 udp 2130706431 127.0.0.1 9 typ host"};
    struct sub_sdp_transport t = {ufrag, "bridgepassword0123456789", fp, cands, 1};
    assert_true(sub_sdp_write_offer(&sub, &t, offer, sizeof offer) > 0);
    return offer;
}

static int take(struct pc *pc, const char *sdp)
{
    int rc = pc_set_remote(pc, sdp, strlen(sdp));
    const char *answer;
    if (rc == 0)
        rc = pc_create_answer(pc, &answer);
    return rc;
}

/* "mid:kind:stream,..." of the receivers */
static const char *receivers(struct pc *pc)
{
    static char buf[512];
    size_t n = 0;
    buf[0] = '\0';
    struct pc_rx_info ri;
    for (size_t i = 0; i < pc_rx_count(pc); i++) {
        assert_int_equal(pc_get_rx(pc, i, &ri), 0);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%s:%s", i ? "," : "", ri.mid,
                              ri.kind == PC_VIDEO ? "v" : "a", ri.stream);
        assert_true(ri.st.active);
    }
    return buf;
}

static void test_offers_as_the_meeting_changes(void **state)
{
    (void)state;
    struct pc *pc = make_pc(false, true);
    assert_non_null(pc);
    sub_sdp_init(&sub);
    /* nobody publishes yet: section 0 idle */
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_int_equal(pc_rx_count(pc), 0);
    assert_int_equal(sub_sdp_add_track(&sub, true, "p1", 11), 0);
    assert_int_equal(sub_sdp_add_track(&sub, false, "p1", 12), 1);
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_string_equal(receivers(pc), "0:a:p1,1:v:p1");
    struct pc_rx_info ri;
    assert_int_equal(pc_get_rx(pc, 1, &ri), 0);
    assert_int_equal(ri.st.ssrc, 12); /* the signaled one, until packets come */
    assert_int_equal(pc_get_rx(pc, 2, &ri), -EINVAL);
    /* a second offer before our answer: refused */
    assert_int_equal(pc_set_remote(pc, offer, strlen(offer)), 0);
    assert_int_equal(pc_set_remote(pc, offer, strlen(offer)), -EINVAL);
    const char *answer;
    assert_int_equal(pc_create_answer(pc, &answer), 0);
    assert_non_null(strstr(answer, "a=mid:1\r\na=recvonly"));
    assert_int_equal(sub_sdp_add_track(&sub, true, "p2", 21), 2);
    assert_int_equal(sub_sdp_add_track(&sub, false, "p2", 22), 3);
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_string_equal(receivers(pc), "0:a:p1,1:v:p1,2:a:p2,3:v:p2");
    /* p1 leaves: its sections go idle / ended */
    assert_int_equal(sub_sdp_remove_track(&sub, "0"), 0);
    assert_int_equal(sub_sdp_remove_track(&sub, "1"), 0);
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_string_equal(receivers(pc), "2:a:p2,3:v:p2");
    /* p3 takes section 0 (same mid, new SSRC) and the ended video one */
    assert_int_equal(sub_sdp_add_track(&sub, true, "p3", 31), 0);
    assert_int_equal(sub_sdp_add_track(&sub, false, "p3", 32), 1);
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_string_equal(receivers(pc), "0:a:p3,4:v:p3,2:a:p2,3:v:p2");
    struct pc_stats st;
    pc_get_stats(pc, &st);
    assert_true(st.in[PC_AUDIO].active && st.in[PC_VIDEO].active);
    assert_int_equal(st.in[PC_VIDEO].ssrc, 32); /* the first video receiver */
    /* what a new offer may not change; nothing changes then */
    assert_int_equal(sub_sdp_remove_track(&sub, "2"), 0);
    assert_int_equal(take(pc, write_offer("ufragB", FP)), -ENOTSUP);
    assert_non_null(strstr(pc_last_error(pc), "restarts ICE"));
    assert_int_equal(take(pc, write_offer("ufragA", FP2)), -EBADMSG);
    assert_non_null(strstr(pc_last_error(pc), "fingerprint"));
    assert_int_equal(take(pc, "v=0\r\nnonsense\r\n"), -EBADMSG);
    assert_string_equal(receivers(pc), "0:a:p3,4:v:p3,2:a:p2,3:v:p2");
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_string_equal(receivers(pc), "0:a:p3,4:v:p3,3:v:p2");
    pc_destroy(pc);
}

static void test_audio_only_receiver(void **state)
{
    (void)state;
    struct pc *pc = make_pc(false, false);
    assert_non_null(pc);
    sub_sdp_init(&sub);
    assert_int_equal(sub_sdp_add_track(&sub, true, "p1", 11), 0);
    assert_int_equal(sub_sdp_add_track(&sub, false, "p1", 12), 1);
    assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
    assert_string_equal(receivers(pc), "0:a:p1");
    pc_destroy(pc);
}

/* A pc that offered takes one answer only. */
static void test_offerer_takes_one_answer(void **state)
{
    (void)state;
    struct pc *a = make_pc(true, false), *b = make_pc(false, true);
    assert_non_null(a);
    assert_non_null(b);
    const char *o, *ans;
    assert_int_equal(pc_create_offer(a, &o), 0);
    assert_int_equal(pc_set_remote(b, o, strlen(o)), 0);
    assert_int_equal(pc_create_answer(b, &ans), 0);
    assert_string_equal(receivers(b), "0:a:cau,1:v:cau");
    char copy[65536];
    snprintf(copy, sizeof copy, "%s", ans);
    assert_int_equal(pc_set_remote(a, copy, strlen(copy)), 0);
    assert_int_equal(pc_set_remote(a, copy, strlen(copy)), -EINVAL);
    assert_int_equal(pc_rx_count(a), 0);
    pc_destroy(a);
    pc_destroy(b);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    long base = mem_live_count();
    int failed = 0;
    for (unsigned long n = 1; n < 40; n++) {
        struct pc *pc = make_pc(false, true);
        assert_non_null(pc);
        sub_sdp_init(&sub);
        assert_int_equal(take(pc, write_offer("ufragA", FP)), 0);
        assert_int_equal(sub_sdp_add_track(&sub, true, "p1", 11), 0);
        assert_int_equal(sub_sdp_add_track(&sub, false, "p1", 12), 1);
        assert_int_equal(sub_sdp_add_track(&sub, false, "p2", 22), 2);
        write_offer("ufragA", FP);
        mem_fail_nth(n);
        int rc = pc_set_remote(pc, offer, strlen(offer));
        mem_fail_nth(0);
        assert_true(rc == 0 || rc == -ENOMEM);
        if (rc) {
            failed++;
            /* the same offer again, now with memory */
            assert_int_equal(take(pc, offer), 0);
        } else {
            const char *answer;
            assert_int_equal(pc_create_answer(pc, &answer), 0);
        }
        assert_string_equal(receivers(pc), "0:a:p1,1:v:p1,2:v:p2");
        pc_destroy(pc);
        assert_int_equal(mem_live_count(), base);
    }
    assert_true(failed > 3);
}

static int setup(void **state)
{
    (void)state;
    return dtls_cert_create(&cert);
}

static int teardown(void **state)
{
    (void)state;
    dtls_cert_free(cert);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offers_as_the_meeting_changes),
        cmocka_unit_test(test_audio_only_receiver),
        cmocka_unit_test(test_offerer_takes_one_answer),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
