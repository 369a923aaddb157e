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
#include "sfu/core/sub_sdp.h"

#define FP                                                                                         \
    "D1:52:32:10:5D:F1:16:9A:A5:A3:BA:6C:2A:45:5C:CE:DB:A4:6A:F3:0C:E1:4D:99:AA:E1:78:CF:94:06:"   \
    "53:A4"

/* The shape of Chromium's answer to an offer of audio mid 0 and video
 * mid 1 (tests/unit/sfu/core/fixtures/chromium_sub_answer_1.sdp, cut). */
static const char answer[] =
    "v=0\r\n"
    "o=- 3518900014555682295 3 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0 1\r\n"
    "a=msid-semantic: WMS\r\n"
    "m=audio 58509 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=candidate:925500151 1 udp 2122194687 127.0.0.1 58509 typ host generation 0 network-id 3\r\n"
    "a=ice-ufrag:/cMd\r\n"
    "a=ice-pwd:RHuJQVer/dxEqHneKgWaJDV2\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 " FP "\r\n"
    "a=setup:active\r\n"
    "a=mid:0\r\n"
    "a=recvonly\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp-rsize\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:/cMd\r\n"
    "a=ice-pwd:RHuJQVer/dxEqHneKgWaJDV2\r\n"
    "a=fingerprint:sha-256 " FP "\r\n"
    "a=setup:active\r\n"
    "a=mid:1\r\n"
    "a=recvonly\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp-rsize\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=rtcp-fb:96 ccm fir\r\n"
    "a=rtcp-fb:96 nack\r\n"
    "a=rtcp-fb:96 nack pli\r\n";

static char text[64 * 1024];
static struct sub_sdp_answer a;

/* answer with every `from` replaced by `to`, in text. */
static size_t edit(const char *from, const char *to)
{
    const char *p = answer;
    size_t n = 0, fl = strlen(from), tl = strlen(to);
    assert_non_null(strstr(answer, from));
    for (const char *hit; (hit = strstr(p, from)) != NULL; p = hit + fl) {
        memcpy(text + n, p, (size_t)(hit - p));
        n += (size_t)(hit - p);
        memcpy(text + n, to, tl);
        n += tl;
    }
    memcpy(text + n, p, strlen(p) + 1);
    return n + strlen(p);
}

static void test_read_known(void **state)
{
    (void)state;
    char err[128] = "x";
    assert_int_equal(sub_sdp_read_answer(answer, sizeof answer - 1, &a, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_string_equal(a.ufrag, "/cMd");
    assert_string_equal(a.pwd, "RHuJQVer/dxEqHneKgWaJDV2");
    assert_string_equal(a.fp_hash, "sha-256");
    assert_string_equal(a.fingerprint, FP);
    assert_int_equal(a.setup, SDP_SETUP_ACTIVE);
    assert_int_equal(a.nsections, 2);
    assert_string_equal(a.sections[0].mid, "0");
    assert_true(a.sections[0].audio);
    assert_true(a.sections[0].accepted);
    assert_int_equal(a.sections[0].dir, SDP_DIR_RECVONLY);
    assert_int_equal(a.sections[0].pt, 111);
    assert_false(a.sections[0].nack);
    assert_string_equal(a.sections[1].mid, "1");
    assert_false(a.sections[1].audio);
    assert_int_equal(a.sections[1].pt, 96);
    assert_true(a.sections[1].nack && a.sections[1].pli && a.sections[1].fir);
    assert_int_equal(a.ncands, 1);
    assert_string_equal(a.cands[0], "candidate:925500151 1 udp 2122194687 127.0.0.1 58509 typ host "
                                    "generation 0 network-id 3");
    assert_false(a.end_of_candidates);
    assert_int_equal(mem_live_count(), 0);
}

struct bad {
    const char *from, *to, *why;
};

static void test_read_malformed(void **state)
{
    (void)state;
    const struct bad bad[] = {
        {"a=ice-ufrag:/cMd\r\n", "", "no ice-ufrag/ice-pwd"},
        {"a=ice-pwd:RHuJQVer/dxEqHneKgWaJDV2\r\n", "", "no ice-ufrag/ice-pwd"},
        {"a=setup:active", "a=setup:actpass", "a=setup must be active or passive in an answer"},
        {"a=setup:active\r\n", "", "a=setup must be active or passive in an answer"},
        {"a=group:BUNDLE 0 1\r\n", "", "no BUNDLE group"},
        {"sha-256", "sha-1", "no sha-256 fingerprint"},
        {":53:A4", ":53", "malformed sha-256 fingerprint"},
        {"a=rtcp-mux\r\n", "", "section 0: no rtcp-mux"},
        {"m=video 9 UDP/TLS/RTP/SAVPF 96", "m=text 9 UDP/TLS/RTP/SAVPF 96", "section 1: m=text"},
        {"a=mid:1\r\n", "a=mid:12345678\r\n", "section 1: no a=mid, or one too long"},
        {"a=mid:1\r\n", "", "section 1: no a=mid, or one too long"},
        {"m=audio 58509", "m=audio 0", NULL}, /* then video carries the transport */
        {"v=0", "v=1", "malformed SDP at line 1"},
        {"useinbandfec=1\r\nm=", "useinbandfec=1\r\n\r\nm=", "malformed SDP at line 22"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[128] = "";
        size_t n = edit(bad[i].from, bad[i].to);
        int rc = sub_sdp_read_answer(text, n, &a, err, sizeof err);
        if (!bad[i].why) {
            if (rc)
                fail_msg("%s", err);
            assert_false(a.sections[0].accepted);
            assert_int_equal(a.ncands, 0);
            continue;
        }
        if (rc != -EBADMSG)
            fail_msg("case %zu: %d", i, rc);
        assert_string_equal(err, bad[i].why);
        assert_int_equal(a.nsections, 0);
    }
    /* Every section rejected. */
    edit("m=audio 58509", "m=audio 0");
    char *v = strstr(text, "m=video 9");
    v[8] = '0';
    assert_int_equal(sub_sdp_read_answer(text, strlen(text), &a, NULL, 0), -EBADMSG);
    assert_int_equal(sub_sdp_read_answer(NULL, 0, &a, NULL, 0), -EINVAL);
    assert_int_equal(sub_sdp_read_answer(answer, 10, NULL, NULL, 0), -EINVAL);
    assert_int_equal(sub_sdp_read_answer("", 0, &a, NULL, 0), -EBADMSG);
    assert_int_equal(mem_live_count(), 0);
}

static void test_too_many_sections(void **state)
{
    (void)state;
    size_t n = (size_t)snprintf(text, sizeof text, "%.*s",
                                (int)(strstr(answer, "m=video") - answer), answer);
    for (int i = 0; i < SUB_SDP_MAX_TRACKS; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:v%d\r\na=inactive\r\n", i);
    char err[64];
    assert_int_equal(sub_sdp_read_answer(text, n, &a, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "129 m= sections");
}

static void test_enomem_sweep(void **state)
{
    (void)state;
    long live = mem_live_count();
    int rc = -ENOMEM;
    unsigned long nth;
    for (nth = 1; rc == -ENOMEM && nth < 10000; nth++) {
        mem_fail_nth(nth);
        rc = sub_sdp_read_answer(answer, sizeof answer - 1, &a, NULL, 0);
        mem_fail_nth(0);
        assert_true(rc == 0 || rc == -ENOMEM);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(rc, 0);
    assert_true(nth > 10); /* the parser did allocate and fail */
}

static void test_check_answer(void **state)
{
    (void)state;
    struct sub_sdp s;
    sub_sdp_init(&s);
    assert_int_equal(sub_sdp_add_track(&s, true, "p", 1), 0);
    assert_int_equal(sub_sdp_add_track(&s, false, "p", 2), 1);
    char err[128];
    assert_int_equal(sub_sdp_read_answer(answer, sizeof answer - 1, &a, err, sizeof err), 0);
    assert_int_equal(sub_sdp_check_answer(&s, &a, err, sizeof err), 0);
    struct sub_sdp_answer b = a;
    b.sections[1].dir = SDP_DIR_INACTIVE; /* declined: fine */
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), 0);
    b = a;
    b.nsections = 1;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "1 sections answered, 2 offered");
    b = a;
    strcpy(b.sections[1].mid, "7");
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "section 1: video mid 7, offered video mid 1");
    b = a;
    b.sections[0].audio = false;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    b = a;
    b.sections[1].accepted = false;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "mid 1: rejected");
    b = a;
    b.sections[1].dir = SDP_DIR_SENDRECV;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "mid 1: direction sendrecv");
    b = a;
    b.sections[1].pt = 100;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "mid 1: codec not accepted");
    /* Section 0 idle must be inactive; section 1 ended must be rejected. */
    assert_int_equal(sub_sdp_remove_track(&s, "0"), 0);
    assert_int_equal(sub_sdp_remove_track(&s, "1"), 0);
    b = a;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "mid 0: not inactive");
    b.sections[0].dir = SDP_DIR_INACTIVE;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_string_equal(err, "mid 1: rejected section accepted");
    b.sections[1].accepted = false;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), 0);
    b.sections[0].accepted = false;
    assert_int_equal(sub_sdp_check_answer(&s, &b, err, sizeof err), -EBADMSG);
    assert_int_equal(sub_sdp_check_answer(NULL, &b, err, sizeof err), -EINVAL);
    assert_int_equal(sub_sdp_check_answer(&s, NULL, NULL, 0), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_known),        cmocka_unit_test(test_read_malformed),
        cmocka_unit_test(test_too_many_sections), cmocka_unit_test(test_enomem_sweep),
        cmocka_unit_test(test_check_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
