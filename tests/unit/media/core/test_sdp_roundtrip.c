/* SDP writer and round trips: parse -> write -> parse gives an equal
 * session, Chromium's text comes back byte for byte, unknown lines and
 * attributes survive, and the writer reports short buffers and bad fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/sdp.h"
#include "media/core/sdp_equal.h"
#include "media/core/sdp_parse.h"
#include "media/core/sdp_write.h"
#include "tests/unit/media/core/sdp_fixture.h"

/* Every line type and most typed attributes, in a non-WebRTC order. */
static const char every_line[] =
    "v=0\r\n"
    "o=alice 2890844526 2890842807 IN IP4 192.0.2.10\r\n"
    "s= \r\n"
    "i=A session\r\n"
    "u=http://example.com/s\r\n"
    "e=alice@example.com\r\n"
    "p=+1 617 555-6011\r\n"
    "c=IN IP4 224.2.17.12/127\r\n"
    "b=CT:1000\r\n"
    "t=2873397496 2873404696\r\n"
    "r=7d 1h 0 25h\r\n"
    "t=0 0\r\n"
    "z=2882844526 -1h\r\n"
    "k=prompt\r\n"
    "a=ice-lite\r\n"
    "a=x-session-flag\r\n"
    "a=group:LS a1 v1\r\n"
    "a=recvonly\r\n"
    "a=x-empty:\r\n"
    "a=mid:not-typed-here\r\n"
    "a=fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\r\n"
    "m=audio 49170/2 RTP/AVP 0 97\r\n"
    "i=voice\r\n"
    "c=IN IP6 2001:db8::1\r\n"
    "b=AS:64\r\n"
    "k=clear:secret\r\n"
    "a=mid:a1\r\n"
    "a=rtpmap:97 L16/16000/2\r\n"
    "a=fmtp:97 emphasis=50-15\r\n"
    "a=rtcp-fb:* nack\r\n"
    "a=rtcp:53020 IN IP4 192.0.2.1\r\n"
    "a=x-media:with value : and colons\r\n"
    "a=extmap:4096/sendonly urn:example:ext some attrs\r\n"
    "a=candidate:2 2 tcp 1 h.local 0 typ srflx tcptype passive raddr 10.0.0.1 rport 9 ufrag u\r\n"
    "a=end-of-candidates\r\n"
    "a=ssrc:11 msid:s t\r\n"
    "a=ssrc:11 x-flag\r\n"
    "a=ssrc-group:SIM 11 12 13\r\n"
    "a=rid:1 recv pt=97;max-br=64000\r\n"
    "a=rid:2 recv\r\n"
    "a=simulcast:recv 1,~2\r\n"
    "a=inactive\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "a=fmtp:5000 not-rtp\r\n"
    "a=sctp-port:5000\r\n"
    "a=max-message-size:262144\r\n";

/* parse(text) -> write -> parse, and the two sessions must be equal. */
static void round_trip(const char *text, size_t len)
{
    struct sdp_session a, b;
    size_t line, out_len;
    char *out;
    assert_int_equal(sdp_parse(&a, text, len, &line), 0);
    assert_int_equal(sdp_write_dup(&a, &out, &out_len), 0);
    assert_int_equal(strlen(out), out_len);
    assert_int_equal(sdp_parse(&b, out, out_len, &line), 0);
    assert_true(sdp_equal(&a, &b));
    assert_true(sdp_equal(&b, &a));
    mem_free(out);
    sdp_free(&a);
    sdp_free(&b);
    assert_int_equal(mem_live_count(), 0);
}

static void test_fixtures_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < SDP_FIXTURE_COUNT; i++) {
        size_t len;
        char *text = sdp_fixture_load(sdp_fixture_names[i], &len);
        assert_non_null(text);
        round_trip(text, len);
        free(text);
    }
}

/* The writer keeps libwebrtc's order, so Chromium's text comes back as is. */
static void test_fixtures_written_byte_for_byte(void **state)
{
    (void)state;
    for (size_t i = 0; i < SDP_FIXTURE_COUNT; i++) {
        size_t len = 0, out_len = 0, line = 0;
        char *text = sdp_fixture_load(sdp_fixture_names[i], &len);
        struct sdp_session s;
        char *out;
        assert_int_equal(sdp_parse(&s, text, len, &line), 0);
        assert_int_equal(sdp_write_dup(&s, &out, &out_len), 0);
        assert_int_equal(out_len, len);
        assert_memory_equal(out, text, len);
        mem_free(out);
        sdp_free(&s);
        free(text);
    }
}

static void test_every_line_round_trip(void **state)
{
    (void)state;
    round_trip(every_line, sizeof every_line - 1);
}

static void test_unknown_attributes_survive(void **state)
{
    (void)state;
    struct sdp_session s;
    size_t line, len;
    char *out;
    assert_int_equal(sdp_parse(&s, every_line, sizeof every_line - 1, &line), 0);
    /* Session level: flags, empty values and media-only names, in order. */
    assert_int_equal(s.nattrs, 3);
    assert_string_equal(s.attrs[0].name, "x-session-flag");
    assert_null(s.attrs[0].value);
    assert_string_equal(s.attrs[1].name, "x-empty");
    assert_string_equal(s.attrs[1].value, "");
    assert_string_equal(s.attrs[2].name, "mid");
    assert_string_equal(s.attrs[2].value, "not-typed-here");
    const struct sdp_media *app = &s.media[1];
    assert_int_equal(app->nattrs, 3);
    assert_string_equal(app->attrs[0].name, "fmtp"); /* not RTP: not typed */
    assert_string_equal(app->attrs[0].value, "5000 not-rtp");
    assert_string_equal(app->attrs[2].value, "262144");
    assert_int_equal(s.media[0].nattrs, 1);
    assert_string_equal(s.media[0].attrs[0].value, "with value : and colons");
    assert_int_equal(s.nlines, 6);
    assert_int_equal(s.times[0].nrepeats, 1);
    assert_int_equal(s.times[1].nrepeats, 0);

    assert_int_equal(sdp_write_dup(&s, &out, &len), 0);
    const char *kept[] = {"\r\na=x-session-flag\r\n",
                          "\r\na=x-empty:\r\n",
                          "\r\na=mid:not-typed-here\r\n",
                          "\r\na=fmtp:5000 not-rtp\r\n",
                          "\r\na=max-message-size:262144\r\n",
                          "\r\nr=7d 1h 0 25h\r\nt=0 0\r\n",
                          "\r\nk=clear:secret\r\n",
                          "\r\ns= \r\n"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        assert_non_null(strstr(out, kept[i]));
    assert_true(strstr(out, "x-session-flag") < strstr(out, "x-empty"));
    mem_free(out);
    sdp_free(&s);
}

static void test_typed_fields_of_every_line(void **state)
{
    (void)state;
    struct sdp_session s;
    size_t line;
    assert_int_equal(sdp_parse(&s, every_line, sizeof every_line - 1, &line), 0);
    assert_string_equal(s.name, "");
    assert_true(s.ice_lite);
    assert_int_equal(s.dir, SDP_DIR_RECVONLY);
    assert_string_equal(s.conn.addr, "224.2.17.12/127");
    assert_string_equal(s.tr.fingerprints[0].hash, "sha-1");
    const struct sdp_media *m = &s.media[0];
    assert_int_equal(m->port, 49170);
    assert_int_equal(m->port_count, 2);
    assert_string_equal(m->conn.addrtype, "IP6");
    assert_int_equal(m->bws[0].value, 64);
    assert_int_equal(m->rtcp.port, 53020);
    assert_int_equal(m->rtcp_fbs[0].pt, -1);
    assert_int_equal(m->extmaps[0].id, 4096);
    assert_int_equal(m->extmaps[0].dir, SDP_DIR_SENDONLY);
    assert_string_equal(m->extmaps[0].attrs, "some attrs");
    const struct sdp_candidate *c = &m->cands[0];
    assert_string_equal(c->raddr, "10.0.0.1");
    assert_true(c->has_rport);
    assert_int_equal(c->rport, 9);
    assert_string_equal(c->tcptype, "passive");
    assert_int_equal(c->nexts, 1);
    assert_null(m->ssrcs[1].value);
    assert_string_equal(m->ssrcs[0].value, "s t");
    assert_int_equal(m->ssrc_groups[0].nssrcs, 3);
    assert_string_equal(m->rids[0].params, "pt=97;max-br=64000");
    assert_int_equal(m->rids[1].dir, SDP_RID_RECV);
    assert_int_equal(m->simulcast.recv.nstreams, 1);
    assert_int_equal(m->simulcast.recv.streams[0].nalts, 2);
    assert_true(m->simulcast.recv.streams[0].alts[1].paused);
    assert_int_equal(m->dir, SDP_DIR_INACTIVE);
    assert_null(sdp_rtpmap_by_name(m, "PCMU")); /* static pt, no rtpmap */
    assert_int_equal(sdp_rtx_pt(m, 97), -1);
    assert_null(sdp_media_by_mid(&s, "not-typed-here"));
    assert_null(sdp_group_by_semantics(&s, "BUNDLE"));
    assert_non_null(sdp_group_by_semantics(&s, "ls"));
    sdp_free(&s);
}

/* LF-only, trailing blanks and a missing final newline read the same. */
static void test_lenient_line_endings(void **state)
{
    (void)state;
    const char crlf[] = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                        "m=audio 9 RTP/AVP 0\r\na=mid:0\r\n";
    const char lf[] = "v=0\no=- 1 2 IN IP4 0.0.0.0 \ns=-\t\nt=0 0\n"
                      "m=audio 9 RTP/AVP 0\r\na=mid:0\n\n\r\n";
    const char no_end[] = "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=mid:0";
    struct sdp_session a, b, c;
    size_t line;
    assert_int_equal(sdp_parse(&a, crlf, sizeof crlf - 1, &line), 0);
    assert_int_equal(sdp_parse(&b, lf, sizeof lf - 1, &line), 0);
    assert_int_equal(sdp_parse(&c, no_end, sizeof no_end - 1, &line), 0);
    assert_true(sdp_equal(&a, &b));
    assert_true(sdp_equal(&a, &c));
    assert_string_equal(b.origin.addr, "0.0.0.0");
    assert_string_equal(b.media[0].mid, "0");
    sdp_free(&a);
    sdp_free(&b);
    sdp_free(&c);
}

static void test_write_crlf_only(void **state)
{
    (void)state;
    struct sdp_session s;
    size_t line, len;
    char *out;
    const char lf[] = "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=x\nt=0 0\nm=video 9 RTP/AVP 96\n"
                      "a=rtpmap:96 VP8/90000\n";
    assert_int_equal(sdp_parse(&s, lf, sizeof lf - 1, &line), 0);
    assert_int_equal(sdp_write_dup(&s, &out, &len), 0);
    assert_string_equal(out, "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=x\r\nt=0 0\r\n"
                             "m=video 9 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n");
    for (size_t i = 0; i < len; i++)
        if (out[i] == '\n')
            assert_int_equal(out[i - 1], '\r');
    mem_free(out);
    sdp_free(&s);
}

/* rtpmap/rtcp-fb/fmtp are regrouped per payload type in m= order; the
 * sessions still compare equal, and other differences do not. */
static void test_codec_regrouping_and_inequality(void **state)
{
    (void)state;
    const char text[] = "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 RTP/AVP 96 97\n"
                        "a=rtpmap:97 rtx/90000\na=fmtp:96 x=1\na=rtpmap:96 VP8/90000\n"
                        "a=rtcp-fb:97 nack\na=fmtp:97 apt=96\na=rtcp-fb:96 nack\n"
                        "a=rtcp-fb:96 nack pli\na=rtpmap:100 red/90000\n";
    struct sdp_session a, b;
    size_t line, len;
    char *out;
    assert_int_equal(sdp_parse(&a, text, sizeof text - 1, &line), 0);
    assert_int_equal(sdp_write_dup(&a, &out, &len), 0);
    assert_non_null(strstr(out, "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\n"
                                "a=rtcp-fb:96 nack pli\r\na=fmtp:96 x=1\r\n"
                                "a=rtpmap:97 rtx/90000\r\na=rtcp-fb:97 nack\r\n"
                                "a=fmtp:97 apt=96\r\na=rtpmap:100 red/90000\r\n"));
    assert_int_equal(sdp_parse(&b, out, len, &line), 0);
    assert_true(sdp_equal(&a, &b));
    assert_int_equal(sdp_rtx_pt(&b.media[0], 96), 97);

    b.media[0].rtcp_fbs[1].pt = 97; /* "nack pli" moves from 96 to 97 */
    assert_false(sdp_equal(&a, &b));
    b.media[0].rtcp_fbs[1].pt = 96;
    b.media[0].port = 10;
    assert_false(sdp_equal(&a, &b));
    b.media[0].port = 9;
    b.origin.sess_version++;
    assert_false(sdp_equal(&a, &b));
    b.origin.sess_version--;
    assert_true(sdp_equal(&a, &b));
    mem_free(out);
    sdp_free(&a);
    sdp_free(&b);
}

static void test_write_short_buffer(void **state)
{
    (void)state;
    struct sdp_session s;
    size_t line, need, len;
    const char text[] = "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\n";
    assert_int_equal(sdp_parse(&s, text, sizeof text - 1, &line), 0);
    assert_int_equal(sdp_write(&s, NULL, 0, &need), -ENOSPC);
    assert_int_equal(need, sizeof text - 1 + 4); /* four CRs */
    char buf[64];
    memset(buf, 'X', sizeof buf);
    assert_int_equal(sdp_write(&s, buf, need, &len), -ENOSPC); /* no room for NUL */
    assert_int_equal(len, need);
    assert_int_equal(buf[need - 1], '\0');
    assert_int_equal(buf[need], 'X'); /* nothing past cap */
    assert_int_equal(sdp_write(&s, buf, need + 1, &len), 0);
    assert_int_equal(len, need);
    assert_string_equal(buf, "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
    sdp_free(&s);
}

/* A hand-edited field holding a line break would forge lines: refused. */
static void test_write_rejects_bad_fields(void **state)
{
    (void)state;
    struct sdp_session s;
    size_t line, len;
    char *out = (char *)1;
    const char text[] = "v=0\no=- 1 2 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=mid:0\n";
    assert_int_equal(sdp_parse(&s, text, sizeof text - 1, &line), 0);
    char *mid = s.media[0].mid;
    s.media[0].mid = "0\r\na=forged";
    assert_int_equal(sdp_write_dup(&s, &out, &len), -EINVAL);
    assert_null(out);
    s.media[0].mid = mid;
    char *proto = s.media[0].proto;
    s.media[0].proto = NULL;
    assert_int_equal(sdp_write_dup(&s, &out, &len), -EINVAL);
    s.media[0].proto = proto;
    assert_int_equal(sdp_write_dup(&s, &out, &len), 0);
    mem_free(out);
    sdp_free(&s);
}

/* A zeroed session with just the mandatory fields writes a minimal SDP. */
static void test_write_built_session(void **state)
{
    (void)state;
    struct sdp_session s = {0};
    char user[] = "-", net[] = "IN", ip4[] = "IP4", addr[] = "127.0.0.1", name[] = "";
    s.origin = (struct sdp_origin){user, 42, 1, net, ip4, addr};
    s.name = name;
    char buf[128];
    size_t len;
    assert_int_equal(sdp_write(&s, buf, sizeof buf, &len), 0);
    assert_string_equal(buf, "v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns= \r\nt=0 0\r\n");
    s.name = NULL;
    assert_int_equal(sdp_write(&s, buf, sizeof buf, &len), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_round_trip),
        cmocka_unit_test(test_fixtures_written_byte_for_byte),
        cmocka_unit_test(test_every_line_round_trip),
        cmocka_unit_test(test_unknown_attributes_survive),
        cmocka_unit_test(test_typed_fields_of_every_line),
        cmocka_unit_test(test_lenient_line_endings),
        cmocka_unit_test(test_write_crlf_only),
        cmocka_unit_test(test_codec_regrouping_and_inequality),
        cmocka_unit_test(test_write_short_buffer),
        cmocka_unit_test(test_write_rejects_bad_fields),
        cmocka_unit_test(test_write_built_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
