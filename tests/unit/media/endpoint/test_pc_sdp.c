/* pc_sdp against the bridge's own subscribe descriptions: offers written by
 * sfu/core/sub_sdp (one m= section per forwarded track, an idle section 0,
 * ended sections with port 0) are read section by section, and our
 * answers pass the bridge's answer checks (sub_sdp_read_answer,
 * sub_sdp_check_answer). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "media/endpoint/pc_sdp.h"
#include "sfu/core/sub_sdp.h"
#include "tests/unit/media/core/sdp_fixture.h"

#define FP                                                                                         \
    "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:"   \
    "EE:FF"
#define OFFER_MAX (128 * 1024)
#define ANSWER_MAX 65536

static char offer[OFFER_MAX], answer[ANSWER_MAX];
static struct pc_sdp_remote remote;
static struct sub_sdp sub;
static struct sub_sdp_answer parsed;

static int write_offer(void)
{
    static const char *const cands[] = {"candidate:1 1 udp 2130706431 127.0.0.1 41000 typ host"};
    struct sub_sdp_transport t = {"brufrag1", "bridgepassword0123456789", FP, cands, 1};
    return sub_sdp_write_offer(&sub, &t, offer, sizeof offer);
}

/* Our answer: recv-only, or sending too. */
static int write_answer(bool send)
{
    struct pc_sdp_local l = {.sess_id = 7,
                             .sess_version = 2,
                             .ufrag = "epufrag1",
                             .pwd = "endpointpassword01234567",
                             .fingerprint = FP,
                             .setup = SDP_SETUP_ACTIVE,
                             .cname = "ep"};
    for (int k = 0; k < PC_SDP_KINDS; k++) {
        l.track[k].send = send;
        l.track[k].recv = true;
        l.track[k].channels = 1;
        l.track[k].ssrc = 1000u + (uint32_t)k;
    }
    return pc_sdp_write(&l, &remote, answer, sizeof answer);
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* sub: p1 audio (section 0, mid 0), p1 video (1), p2 audio (2), p2 video (3). */
static void two_participants(void)
{
    sub_sdp_init(&sub);
    assert_int_equal(sub_sdp_add_track(&sub, true, "p1", 111), 0);
    assert_int_equal(sub_sdp_add_track(&sub, false, "p1", 112), 1);
    assert_int_equal(sub_sdp_add_track(&sub, true, "p2", 221), 2);
    assert_int_equal(sub_sdp_add_track(&sub, false, "p2", 222), 3);
}

static void check_answer_ok(void)
{
    char err[160] = "";
    assert_int_equal(sub_sdp_read_answer(answer, strlen(answer), &parsed, err, sizeof err), 0);
    int rc = sub_sdp_check_answer(&sub, &parsed, err, sizeof err);
    if (rc)
        fail_msg("the bridge refuses our answer: %s\n%s", err, answer);
}

static void test_reads_every_section(void **state)
{
    (void)state;
    two_participants();
    assert_true(write_offer() > 0);
    char err[160];
    assert_int_equal(pc_sdp_read(offer, strlen(offer), &remote, err, sizeof err), 0);
    assert_string_equal(remote.ufrag, "brufrag1");
    assert_string_equal(remote.pwd, "bridgepassword0123456789");
    assert_true(remote.ice_lite);
    assert_int_equal(remote.setup, SDP_SETUP_ACTPASS);
    assert_int_equal(remote.fingerprint.sha256[1], 0x11);
    assert_int_equal(remote.ncands, 1);
    assert_int_equal(remote.nsections, 4);
    static const struct {
        const char *mid, *stream;
        int kind, pt;
        uint32_t ssrc;
    } want[] = {{"0", "p1", PC_SDP_AUDIO, 111, 111},
                {"1", "p1", PC_SDP_VIDEO, 96, 112},
                {"2", "p2", PC_SDP_AUDIO, 111, 221},
                {"3", "p2", PC_SDP_VIDEO, 96, 222}};
    for (size_t i = 0; i < 4; i++) {
        const struct pc_sdp_section *s = &remote.sections[i];
        assert_int_equal(s->kind, want[i].kind);
        assert_string_equal(s->mid, want[i].mid);
        assert_true(s->tr.present);
        assert_string_equal(s->tr.mid, want[i].mid);
        assert_string_equal(s->tr.stream, want[i].stream);
        assert_int_equal(s->tr.dir, SDP_DIR_SENDONLY);
        assert_int_equal(s->tr.pt, want[i].pt);
        assert_int_equal(s->tr.ssrc, want[i].ssrc);
        assert_int_equal(s->tr.index, (int)i);
    }
    assert_true(remote.sections[1].tr.nack && remote.sections[1].tr.pli);
    assert_true(remote.sections[3].tr.fir);
    /* track[kind]: the first section of each kind */
    assert_string_equal(remote.track[PC_SDP_AUDIO].mid, "0");
    assert_string_equal(remote.track[PC_SDP_VIDEO].mid, "1");
}

static void test_answer_passes_the_bridge(void **state)
{
    (void)state;
    two_participants();
    assert_true(write_offer() > 0);
    assert_int_equal(pc_sdp_read(offer, strlen(offer), &remote, NULL, 0), 0);
    assert_int_equal(write_answer(false), 0);
    check_answer_ok();
    assert_int_equal(parsed.nsections, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_true(parsed.sections[i].accepted);
        assert_int_equal(parsed.sections[i].dir, SDP_DIR_RECVONLY);
        assert_int_equal(parsed.sections[i].pt, i % 2 ? 96 : 111);
    }
    assert_true(parsed.sections[1].nack && parsed.sections[1].pli);
    assert_non_null(strstr(answer, "a=group:BUNDLE 0 1 2 3\r\n"));
    /* the transport once, in the first section (RFC 8843 §7.3.1) */
    assert_int_equal(count(answer, "a=ice-ufrag:epufrag1\r\n"), 1);
    assert_int_equal(count(answer, "a=fingerprint:sha-256 "), 1);
    assert_int_equal(count(answer, "a=setup:active"), 1);
    assert_true(strstr(answer, "a=ice-ufrag") < strstr(answer, "m=video"));
    assert_int_equal(count(answer, "a=msid:"), 0);
    assert_int_equal(parsed.setup, SDP_SETUP_ACTIVE);
    assert_string_equal(parsed.ufrag, "epufrag1");
}

/* Section 0 idle (inactive, bundled) and an ended section (port 0). */
static void test_idle_and_ended_sections(void **state)
{
    (void)state;
    two_participants();
    assert_int_equal(sub_sdp_remove_track(&sub, "0"), 0);
    assert_int_equal(sub_sdp_remove_track(&sub, "1"), 0);
    assert_true(write_offer() > 0);
    assert_int_equal(pc_sdp_read(offer, strlen(offer), &remote, NULL, 0), 0);
    assert_int_equal(remote.nsections, 4);
    assert_int_equal(remote.sections[0].kind, PC_SDP_AUDIO);
    assert_int_equal(remote.sections[0].tr.dir, SDP_DIR_INACTIVE);
    assert_int_equal(remote.sections[1].kind, -1);
    assert_string_equal(remote.sections[1].mid, "1");
    assert_int_equal(write_answer(false), 0);
    check_answer_ok();
    assert_int_equal(parsed.sections[0].dir, SDP_DIR_INACTIVE);
    assert_true(parsed.sections[0].accepted);
    assert_false(parsed.sections[1].accepted);
    assert_non_null(strstr(answer, "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"));
    assert_non_null(strstr(answer, "a=group:BUNDLE 0 2 3\r\n"));
    /* a new video track reuses the ended section under a new mid */
    assert_int_equal(sub_sdp_add_track(&sub, false, "p3", 331), 1);
    assert_true(write_offer() > 0);
    assert_int_equal(pc_sdp_read(offer, strlen(offer), &remote, NULL, 0), 0);
    assert_string_equal(remote.sections[1].tr.mid, "4");
    assert_string_equal(remote.sections[1].tr.stream, "p3");
    assert_int_equal(write_answer(false), 0);
    check_answer_ok();
}

/* Sending too: only in the first section of each kind. */
static void test_one_sender_per_kind(void **state)
{
    (void)state;
    two_participants();
    assert_true(write_offer() > 0);
    for (char *p = strstr(offer, "a=sendonly"); p; p = strstr(p, "a=sendonly"))
        memcpy(p, "a=sendrecv", 10);
    assert_int_equal(pc_sdp_read(offer, strlen(offer), &remote, NULL, 0), 0);
    assert_int_equal(write_answer(true), 0);
    assert_int_equal(count(answer, "a=sendrecv"), 2);
    assert_int_equal(count(answer, "a=recvonly"), 2);
    assert_int_equal(count(answer, "a=msid:ep ep-audio"), 1);
    assert_int_equal(count(answer, "a=msid:ep ep-video"), 1);
    assert_int_equal(count(answer, "a=ssrc:1000 "), 1);
    assert_int_equal(count(answer, "a=ssrc:1001 "), 1);
    assert_true(strstr(answer, "a=sendrecv") < strstr(answer, "a=mid:2"));
}

/* The largest subscribe connection the bridge makes: 128 sections (an
 * offer of ~45 KB); our answer stays under the protocol's 32 KB. */
static void test_largest_room(void **state)
{
    (void)state;
    sub_sdp_init(&sub);
    char id[16];
    for (int i = 0; i < SUB_SDP_MAX_TRACKS; i++) {
        snprintf(id, sizeof id, "p%d", i / 2);
        assert_int_equal(sub_sdp_add_track(&sub, i % 2 == 0, id, 5000u + (uint32_t)i), i);
    }
    int n = write_offer();
    assert_true(n > 32768);
    assert_int_equal(pc_sdp_read(offer, (size_t)n, &remote, NULL, 0), 0);
    assert_int_equal(remote.nsections, SUB_SDP_MAX_TRACKS);
    assert_string_equal(remote.sections[127].tr.stream, "p63");
    assert_int_equal(write_answer(false), 0);
    assert_true(strlen(answer) < 32768);
    check_answer_ok();
    /* one more section than we keep */
    char *more = malloc(OFFER_MAX + 1024);
    assert_non_null(more);
    const char *m0 = strstr(offer, "m=audio");
    const char *m1 = strstr(offer, "m=video");
    int len = snprintf(more, OFFER_MAX + 1024, "%s%.*s", offer, (int)(m1 - m0), m0);
    char err[160] = "";
    assert_int_equal(pc_sdp_read(more, (size_t)len, &remote, err, sizeof err), -EBADMSG);
    assert_non_null(strstr(err, "too many m= sections"));
    free(more);
}

/* Chromium's offer numbers its packets (extmap 3) and asks for transport-cc
 * feedback on Opus and VP8. An answer with twcc echoes both in every
 * section it takes; without, neither. */
static void test_twcc_from_chromium(void **state)
{
    (void)state;
    size_t len;
    char *text = sdp_fixture_load("chromium_av_offer.sdp", &len);
    assert_non_null(text);
    assert_int_equal(pc_sdp_read(text, len, &remote, NULL, 0), 0);
    free(text);
    for (int k = 0; k < PC_SDP_KINDS; k++) {
        assert_true(remote.track[k].twcc_fb);
        assert_int_equal(remote.track[k].twcc_ext, 3);
    }
    struct pc_sdp_local l = {.sess_id = 7,
                             .sess_version = 1,
                             .ufrag = "brufrag1",
                             .pwd = "bridgepassword0123456789",
                             .fingerprint = FP,
                             .setup = SDP_SETUP_PASSIVE,
                             .ice_lite = true,
                             .cname = "bridge"};
    for (int k = 0; k < PC_SDP_KINDS; k++) {
        l.track[k].recv = true;
        l.track[k].channels = 2;
    }
    assert_int_equal(pc_sdp_write(&l, &remote, answer, sizeof answer), 0);
    assert_int_equal(count(answer, "transport-wide-cc"), 0);
    assert_int_equal(count(answer, "transport-cc"), 0);
    l.twcc = true;
    assert_int_equal(pc_sdp_write(&l, &remote, answer, sizeof answer), 0);
    assert_int_equal(count(answer, "a=extmap:3 " PC_SDP_TWCC_URI "\r\n"), 2);
    char fb[64];
    for (int k = 0; k < PC_SDP_KINDS; k++) {
        snprintf(fb, sizeof fb, "a=rtcp-fb:%d transport-cc\r\n", remote.track[k].pt);
        assert_int_equal(count(answer, fb), 1);
    }
    /* and the answer reads back with the same id */
    struct pc_sdp_remote *back = calloc(1, sizeof *back);
    assert_non_null(back);
    assert_int_equal(pc_sdp_read(answer, strlen(answer), back, NULL, 0), 0);
    assert_int_equal(back->track[PC_SDP_VIDEO].twcc_ext, 3);
    assert_true(back->track[PC_SDP_AUDIO].twcc_fb);
    free(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_every_section),
        cmocka_unit_test(test_answer_passes_the_bridge),
        cmocka_unit_test(test_idle_and_ended_sections),
        cmocka_unit_test(test_one_sender_per_kind),
        cmocka_unit_test(test_largest_room),
        cmocka_unit_test(test_twcc_from_chromium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
