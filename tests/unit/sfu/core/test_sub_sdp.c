#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/sdp_parse.h"
#include "sfu/core/sub_sdp.h"

#define FP                                                                                         \
    "3C:4A:F2:0B:91:7E:D5:06:88:1F:C0:AB:52:69:E4:17:3D:9A:B8:24:C6:5F:01:7D:EE:93:48:B2:0C:A5:"   \
    "61:F7"

static const char *const cands[] = {
    "candidate:1 1 udp 2130706431 127.0.0.1 40002 typ host",
    "a=candidate:2 1 udp 2130706175 ::1 40003 typ host",
};
static const struct sub_sdp_transport tp = {.ufrag = "Cau7",
                                            .pwd = "bridgepwd0123456789abcd",
                                            .fingerprint = FP,
                                            .candidates = cands,
                                            .ncandidates = 2};

static char text[256 * 1024];

/* Load tests/unit/sfu/core/fixtures/<name> (next to this file). */
static char *load(const char *name, size_t *len)
{
    char path[512];
    const char *slash = strrchr(__FILE__, '/');
    snprintf(path, sizeof path, "%.*s/fixtures/%s", slash ? (int)(slash - __FILE__) : 1,
             slash ? __FILE__ : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(64 * 1024);
    assert_non_null(buf);
    *len = fread(buf, 1, 64 * 1024 - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void offer(const struct sub_sdp *s, struct sdp_session *out)
{
    int n = sub_sdp_write_offer(s, &tp, text, sizeof text);
    assert_true(n > 0);
    assert_int_equal(strlen(text), (size_t)n);
    size_t line = 0;
    assert_int_equal(sdp_parse(out, text, (size_t)n, &line), 0);
}

static bool in_bundle(const struct sdp_session *ss, const char *mid)
{
    const struct sdp_group *g = sdp_group_by_semantics(ss, "BUNDLE");
    for (size_t i = 0; g && i < g->nmids; i++)
        if (strcmp(g->mids[i], mid) == 0)
            return true;
    return false;
}

/* One forwarding section: sendonly, msid, ssrc/cname, codec. */
static void check_sending(const struct sdp_media *m, bool audio, const char *who, uint32_t ssrc)
{
    char track[80];
    snprintf(track, sizeof track, "%s-%s", audio ? "audio" : "video", who);
    assert_string_equal(m->type, audio ? "audio" : "video");
    assert_int_equal(m->port, 9);
    assert_int_equal(m->dir, SDP_DIR_SENDONLY);
    assert_int_equal(m->nmsids, 1);
    assert_string_equal(m->msids[0].stream, who);
    assert_string_equal(m->msids[0].track, track);
    assert_int_equal(m->nssrcs, 1);
    assert_int_equal(m->ssrcs[0].ssrc, ssrc);
    assert_string_equal(m->ssrcs[0].attr, "cname");
    assert_string_equal(m->ssrcs[0].value, who);
    assert_true(m->rtcp_mux);
    assert_true(m->rtcp_rsize);
    assert_int_equal(m->tr.setup, SDP_SETUP_ACTPASS);
    assert_int_equal(m->nrtpmaps, 1);
    if (audio) {
        assert_string_equal(m->rtpmaps[0].encoding, "opus");
        assert_int_equal(m->rtpmaps[0].pt, 111);
        assert_int_equal(m->rtpmaps[0].clock, 48000);
        assert_int_equal(m->rtpmaps[0].channels, 2);
        assert_string_equal(sdp_fmtp_by_pt(m, 111)->params, "minptime=10;useinbandfec=1");
        assert_int_equal(m->nrtcp_fbs, 0);
    } else {
        assert_string_equal(m->rtpmaps[0].encoding, "VP8");
        assert_int_equal(m->rtpmaps[0].pt, 96);
        assert_int_equal(m->rtpmaps[0].clock, 90000);
        assert_int_equal(m->nrtcp_fbs, 3);
        assert_string_equal(m->rtcp_fbs[0].type, "nack");
        assert_null(m->rtcp_fbs[0].param);
        assert_string_equal(m->rtcp_fbs[1].param, "pli");
        assert_string_equal(m->rtcp_fbs[2].type, "ccm");
        assert_string_equal(m->rtcp_fbs[2].param, "fir");
    }
}

static void test_empty_offer(void **state)
{
    (void)state;
    struct sub_sdp s;
    struct sdp_session ss;
    sub_sdp_init(&s);
    s.sess_id = 77;
    offer(&s, &ss);
    assert_true(ss.ice_lite);
    assert_int_equal(ss.origin.sess_id, 77);
    assert_int_equal(ss.origin.sess_version, 1);
    assert_int_equal(ss.nmedia, 1);
    const struct sdp_media *m = &ss.media[0];
    assert_string_equal(m->type, "audio");
    assert_int_equal(m->port, 9);
    assert_string_equal(m->mid, "0");
    assert_int_equal(m->dir, SDP_DIR_INACTIVE);
    assert_int_equal(m->nmsids, 0);
    assert_int_equal(m->nssrcs, 0);
    assert_true(in_bundle(&ss, "0"));
    assert_string_equal(m->tr.ice_ufrag, "Cau7");
    assert_string_equal(m->tr.ice_pwd, "bridgepwd0123456789abcd");
    assert_int_equal(m->tr.nfingerprints, 1);
    assert_string_equal(m->tr.fingerprints[0].hash, "sha-256");
    assert_string_equal(m->tr.fingerprints[0].value, FP);
    assert_int_equal(m->tr.setup, SDP_SETUP_ACTPASS);
    assert_int_equal(m->ncands, 2);
    assert_int_equal(m->cands[1].port, 40003);
    assert_true(m->end_of_candidates);
    assert_true(m->rtcp_mux);
    sdp_free(&ss);
    assert_int_equal(mem_live_count(), 0);
}

static void test_tracks_remove_and_reuse(void **state)
{
    (void)state;
    struct sub_sdp s;
    struct sdp_session ss;
    sub_sdp_init(&s);
    assert_int_equal(sub_sdp_add_track(&s, false, "alice", 0x1001), 1); /* video: new */
    assert_int_equal(sub_sdp_add_track(&s, true, "alice", 0x1002), 0);  /* audio: section 0 */
    assert_int_equal(sub_sdp_add_track(&s, true, "bob", 0x1003), 2);
    assert_string_equal(s.tracks[0].mid, "0");
    assert_string_equal(s.tracks[1].mid, "1");
    assert_string_equal(s.tracks[2].mid, "2");
    assert_int_equal(s.version, 4);
    offer(&s, &ss);
    assert_int_equal(ss.nmedia, 3);
    check_sending(&ss.media[0], true, "alice", 0x1002);
    check_sending(&ss.media[1], false, "alice", 0x1001);
    check_sending(&ss.media[2], true, "bob", 0x1003);
    assert_int_equal(ss.media[1].ncands, 0); /* candidates in the first only */
    assert_int_equal(sdp_group_by_semantics(&ss, "BUNDLE")->nmids, 3);
    sdp_free(&ss);
    /* Ending: section 0 goes idle, the others are rejected. */
    assert_int_equal(sub_sdp_remove_track(&s, "0"), 0);
    assert_int_equal(sub_sdp_remove_track(&s, "1"), 0);
    assert_int_equal(s.tracks[0].state, SUB_SDP_IDLE);
    assert_int_equal(s.tracks[1].state, SUB_SDP_ENDED);
    offer(&s, &ss);
    assert_int_equal(ss.origin.sess_version, 6);
    assert_int_equal(ss.nmedia, 3);
    assert_int_equal(ss.media[0].port, 9);
    assert_int_equal(ss.media[0].dir, SDP_DIR_INACTIVE);
    assert_int_equal(ss.media[1].port, 0);
    assert_int_equal(ss.media[1].dir, SDP_DIR_INACTIVE);
    assert_int_equal(ss.media[1].nmsids + ss.media[1].nssrcs, 0);
    assert_true(in_bundle(&ss, "0"));
    assert_false(in_bundle(&ss, "1"));
    assert_true(in_bundle(&ss, "2"));
    sdp_free(&ss);
    /* Reuse: audio takes section 0 again (same mid); video takes the
     * rejected section 1 under a new mid; another video is appended. */
    assert_int_equal(sub_sdp_add_track(&s, false, "carol", 0x1004), 1);
    assert_string_equal(s.tracks[1].mid, "3");
    assert_int_equal(sub_sdp_add_track(&s, true, "carol", 0x1005), 0);
    assert_string_equal(s.tracks[0].mid, "0");
    assert_int_equal(sub_sdp_add_track(&s, false, "bob", 0x1006), 3);
    assert_string_equal(s.tracks[3].mid, "4");
    assert_int_equal(sub_sdp_find(&s, "3"), 1);
    assert_int_equal(sub_sdp_find(&s, "1"), -ENOENT);
    offer(&s, &ss);
    check_sending(&ss.media[1], false, "carol", 0x1004);
    check_sending(&ss.media[0], true, "carol", 0x1005);
    assert_true(in_bundle(&ss, "3"));
    sdp_free(&ss);
    assert_int_equal(mem_live_count(), 0);
}

static void test_add_remove_errors(void **state)
{
    (void)state;
    struct sub_sdp s;
    sub_sdp_init(&s);
    char long_id[66];
    memset(long_id, 'x', 65);
    long_id[65] = '\0';
    assert_int_equal(sub_sdp_add_track(&s, true, long_id, 1), -EINVAL);
    long_id[64] = '\0';
    assert_int_equal(sub_sdp_add_track(&s, true, long_id, 1), 0); /* 64 is fine */
    const char *bad[] = {"", "a b", "a:b", "a\r\nb", "\xc3\xa0"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(sub_sdp_add_track(&s, true, bad[i], 1), -EINVAL);
    assert_int_equal(sub_sdp_add_track(&s, true, NULL, 1), -EINVAL);
    assert_int_equal(sub_sdp_add_track(&s, true, "ok", 0), -EINVAL);
    assert_int_equal(sub_sdp_add_track(NULL, true, "ok", 1), -EINVAL);
    assert_int_equal(sub_sdp_remove_track(&s, "9"), -ENOENT);
    assert_int_equal(sub_sdp_remove_track(&s, NULL), -ENOENT);
    /* Fill all 128 sections. */
    for (int i = 1; i < SUB_SDP_MAX_TRACKS; i++)
        assert_int_equal(sub_sdp_add_track(&s, false, "v", (uint32_t)(100 + i)), i);
    assert_int_equal(sub_sdp_add_track(&s, false, "v", 5), -ENOSPC);
    assert_int_equal(sub_sdp_remove_track(&s, "7"), 0);
    assert_int_equal(sub_sdp_remove_track(&s, "7"), -ENOENT);       /* ended */
    assert_int_equal(sub_sdp_add_track(&s, true, "a", 5), -ENOSPC); /* wrong kind */
    assert_int_equal(sub_sdp_add_track(&s, false, "v", 5), 7);
    assert_string_equal(s.tracks[7].mid, "128");
    assert_int_equal(sub_sdp_remove_track(&s, "0"), 0);
    assert_int_equal(sub_sdp_remove_track(&s, "0"), -ENOENT); /* idle */
    int n = sub_sdp_write_offer(&s, &tp, text, sizeof text);
    assert_true(n > 0);
    struct sdp_session ss;
    assert_int_equal(sdp_parse(&ss, text, (size_t)n, NULL), 0);
    assert_int_equal(ss.nmedia, 128);
    sdp_free(&ss);
}

static void test_write_errors(void **state)
{
    (void)state;
    struct sub_sdp s;
    sub_sdp_init(&s);
    assert_int_equal(sub_sdp_add_track(&s, false, "alice", 9), 1);
    int n = sub_sdp_write_offer(&s, &tp, text, sizeof text);
    assert_true(n > 0);
    char small[4096];
    for (size_t cap = 1; cap <= (size_t)n; cap++) {
        assert_int_equal(sub_sdp_write_offer(&s, &tp, small, cap), -ENOSPC);
        assert_int_equal(small[cap - 1], '\0');
    }
    assert_int_equal(sub_sdp_write_offer(&s, &tp, small, (size_t)n + 1), n);
    assert_int_equal(sub_sdp_write_offer(&s, &tp, small, 0), -EINVAL);
    assert_int_equal(sub_sdp_write_offer(NULL, &tp, small, sizeof small), -EINVAL);
    struct sub_sdp_transport t = tp;
    t.ufrag = "";
    assert_int_equal(sub_sdp_write_offer(&s, &t, small, sizeof small), -EINVAL);
    t = tp;
    t.fingerprint = NULL;
    assert_int_equal(sub_sdp_write_offer(&s, &t, small, sizeof small), -EINVAL);
    t = tp;
    t.pwd = "x\r\na=ice-lite";
    assert_int_equal(sub_sdp_write_offer(&s, &t, small, sizeof small), -EINVAL);
    const char *bad_cands[] = {"candidate:1 1 udp 1 127.0.0.1 9 typ host\r\nm=x", NULL};
    t = tp;
    t.candidates = bad_cands;
    t.ncandidates = 1;
    assert_int_equal(sub_sdp_write_offer(&s, &t, small, sizeof small), -EINVAL);
    t.candidates = bad_cands + 1;
    assert_int_equal(sub_sdp_write_offer(&s, &t, small, sizeof small), -EINVAL);
    t.candidates = NULL;
    assert_int_equal(sub_sdp_write_offer(&s, &t, small, sizeof small), -EINVAL);
}

/* The scenario of the fixtures: the offers must come out byte for byte as
 * kept (SUB_SDP_WRITE_FIXTURES=DIR writes them instead), and Chromium's
 * answers to them (tests/browser/test_sub_sdp.js) must read and match. */
static void scenario_step(struct sub_sdp *s, int step)
{
    switch (step) {
    case 1:
        assert_int_equal(sub_sdp_add_track(s, true, "alice", 0x1001), 0);
        assert_int_equal(sub_sdp_add_track(s, false, "alice", 0x1002), 1);
        break;
    case 2:
        assert_int_equal(sub_sdp_add_track(s, false, "bob", 0x1003), 2);
        assert_int_equal(sub_sdp_add_track(s, true, "bob", 0x1004), 3);
        break;
    case 3:
        assert_int_equal(sub_sdp_remove_track(s, "0"), 0);
        assert_int_equal(sub_sdp_remove_track(s, "1"), 0);
        break;
    case 4:
        assert_int_equal(sub_sdp_add_track(s, false, "carol", 0x1005), 1);
        assert_int_equal(sub_sdp_add_track(s, true, "carol", 0x1006), 0);
        break;
    }
}

#define STEPS 5

static void test_fixture_offers_and_chromium_answers(void **state)
{
    (void)state;
    struct sub_sdp s;
    sub_sdp_init(&s);
    s.sess_id = 4242;
    const char *dir = getenv("SUB_SDP_WRITE_FIXTURES");
    for (int step = 0; step < STEPS; step++) {
        scenario_step(&s, step);
        char name[64];
        int n = sub_sdp_write_offer(&s, &tp, text, sizeof text);
        assert_true(n > 0);
        if (dir) {
            char path[512];
            snprintf(path, sizeof path, "%s/sub_offer_%d.sdp", dir, step);
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            assert_int_equal(fwrite(text, 1, (size_t)n, f), (size_t)n);
            fclose(f);
            continue;
        }
        size_t len;
        snprintf(name, sizeof name, "sub_offer_%d.sdp", step);
        char *kept = load(name, &len);
        assert_int_equal(len, (size_t)n);
        assert_memory_equal(kept, text, len);
        free(kept);
        snprintf(name, sizeof name, "chromium_sub_answer_%d.sdp", step);
        char *ans = load(name, &len);
        struct sub_sdp_answer a;
        char err[128];
        assert_int_equal(sub_sdp_read_answer(ans, len, &a, err, sizeof err), 0);
        assert_int_equal(sub_sdp_check_answer(&s, &a, err, sizeof err), 0);
        assert_int_equal(a.setup, SDP_SETUP_ACTIVE);
        assert_string_equal(a.fp_hash, "sha-256");
        assert_int_equal(strlen(a.fingerprint), 95);
        assert_true(strlen(a.ufrag) >= 4);
        assert_true(strlen(a.pwd) >= 22);
        for (size_t i = 0; i < a.nsections; i++) {
            const struct sub_sdp_answer_section *sec = &a.sections[i];
            enum sub_sdp_state st = s.tracks[i].state;
            assert_int_equal(sec->dir, st == SUB_SDP_SENDING ? SDP_DIR_RECVONLY : SDP_DIR_INACTIVE);
            assert_int_equal(sec->accepted, st != SUB_SDP_ENDED);
            assert_int_equal(sec->pt, sec->audio ? 111 : 96);
            assert_int_equal(sec->nack && sec->pli && sec->fir, !sec->audio);
        }
        for (size_t i = 0; i < a.ncands; i++)
            assert_memory_equal(a.cands[i], "candidate:", 10);
        free(ans);
    }
    assert_int_equal(mem_live_count(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_offer),
        cmocka_unit_test(test_tracks_remove_and_reuse),
        cmocka_unit_test(test_add_remove_errors),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_fixture_offers_and_chromium_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
