/* The SDP parser on descriptions captured from Chromium (see
 * fixtures/README.md): the facts an SFU relies on come out right. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/sdp.h"
#include "media/core/sdp_parse.h"
#include "media/core/sdp_write.h"
#include "tests/unit/media/core/sdp_fixture.h"

#define URI_LEVEL "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
#define URI_AST "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
#define URI_TWCC "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
#define URI_MID "urn:ietf:params:rtp-hdrext:sdes:mid"
#define URI_RID "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
#define URI_RRID "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"

static void parse_fixture(const char *name, struct sdp_session *s)
{
    size_t len, line = 99;
    char *text = sdp_fixture_load(name, &len);
    assert_non_null(text);
    assert_int_equal(sdp_parse(s, text, len, &line), 0);
    assert_int_equal(line, 0);
    free(text);
}

static void assert_bundle(const struct sdp_session *s, size_t n, const char *const *mids)
{
    const struct sdp_group *g = sdp_group_by_semantics(s, "BUNDLE");
    assert_non_null(g);
    assert_int_equal(g->nmids, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(g->mids[i], mids[i]);
        assert_non_null(sdp_media_by_mid(s, mids[i]));
    }
}

/* ICE and DTLS as Chromium writes them in every section. */
static void assert_transport(const struct sdp_transport *tr, enum sdp_setup setup)
{
    assert_non_null(tr->ice_ufrag);
    assert_true(strlen(tr->ice_ufrag) >= 4);
    assert_non_null(tr->ice_pwd);
    assert_true(strlen(tr->ice_pwd) >= 22);
    assert_string_equal(tr->ice_options, "trickle");
    assert_int_equal(tr->nfingerprints, 1);
    assert_string_equal(tr->fingerprints[0].hash, "sha-256");
    assert_int_equal(strlen(tr->fingerprints[0].value), 32 * 3 - 1); /* 32 bytes as XX: */
    assert_int_equal(tr->setup, setup);
}

static void assert_audio(const struct sdp_media *m)
{
    assert_string_equal(m->type, "audio");
    assert_string_equal(m->proto, "UDP/TLS/RTP/SAVPF");
    assert_true(m->rtcp_mux);
    assert_true(m->rtcp_rsize);
    const struct sdp_rtpmap *opus = sdp_rtpmap_by_name(m, "OPUS");
    assert_non_null(opus);
    assert_int_equal(opus->pt, 111);
    assert_string_equal(m->fmts[0], "111"); /* opus is preferred */
    assert_int_equal(opus->clock, 48000);
    assert_int_equal(opus->channels, 2);
    const struct sdp_fmtp *f = sdp_fmtp_by_pt(m, 111);
    assert_non_null(f);
    assert_string_equal(f->params, "minptime=10;useinbandfec=1");
    assert_int_equal(sdp_extmap_id(m, URI_LEVEL), 1);
    assert_int_equal(sdp_extmap_id(m, URI_AST), 2);
    assert_int_equal(sdp_extmap_id(m, URI_TWCC), 3);
    assert_int_equal(sdp_extmap_id(m, URI_MID), 4);
    assert_int_equal(sdp_extmap_id(m, "urn:example:absent"), 0);
    /* a=rtcp-xr is not typed: it is kept as is. */
    assert_int_equal(m->nattrs, 1);
    assert_string_equal(m->attrs[0].name, "rtcp-xr");
    assert_string_equal(m->attrs[0].value, "rcvr-rtt=all");
    assert_true(m->rtcp.present);
    assert_int_equal(m->rtcp.port, 9);
    assert_string_equal(m->rtcp.conn.addr, "0.0.0.0");
}

static bool has_fb(const struct sdp_media *m, int pt, const char *type, const char *param)
{
    for (size_t i = 0; i < m->nrtcp_fbs; i++) {
        const struct sdp_rtcp_fb *fb = &m->rtcp_fbs[i];
        if (fb->pt == pt && strcmp(fb->type, type) == 0 &&
            (param ? fb->param && strcmp(fb->param, param) == 0 : !fb->param))
            return true;
    }
    return false;
}

static void assert_vp8(const struct sdp_media *m)
{
    assert_string_equal(m->type, "video");
    const struct sdp_rtpmap *vp8 = sdp_rtpmap_by_name(m, "vp8");
    assert_non_null(vp8);
    assert_int_equal(vp8->pt, 96);
    assert_int_equal(vp8->clock, 90000);
    assert_int_equal(vp8->channels, 0);
    assert_int_equal(sdp_rtx_pt(m, 96), 97);
    assert_true(has_fb(m, 96, "nack", NULL));
    assert_true(has_fb(m, 96, "nack", "pli"));
    assert_true(has_fb(m, 96, "ccm", "fir"));
    assert_true(has_fb(m, 96, "transport-cc", NULL));
    assert_true(has_fb(m, 96, "goog-remb", NULL));
    assert_false(has_fb(m, 97, "nack", NULL));
    assert_int_equal(sdp_extmap_id(m, URI_AST), 2);
    assert_true(sdp_extmap_id(m, URI_TWCC) > 0);
    assert_true(sdp_extmap_id(m, URI_MID) > 0);
    assert_int_equal(sdp_extmap_id(m, URI_RID), 10);
    assert_int_equal(sdp_extmap_id(m, URI_RRID), 11);
}

static void test_av_offer(void **state)
{
    (void)state;
    struct sdp_session s;
    parse_fixture("chromium_av_offer.sdp", &s);
    assert_string_equal(s.origin.username, "-");
    assert_int_equal(s.origin.sess_version, 2);
    assert_string_equal(s.origin.addr, "127.0.0.1");
    assert_string_equal(s.name, "-");
    assert_int_equal(s.ntimes, 1);
    assert_int_equal(s.times[0].start, 0);
    assert_bundle(&s, 2, (const char *const[]){"0", "1"});
    assert_true(s.extmap_allow_mixed);
    assert_string_equal(s.msid_semantic, "WMS");
    assert_int_equal(s.nmsid_ids, 1);
    assert_int_equal(s.nmedia, 2);

    const struct sdp_media *a = sdp_media_by_mid(&s, "0"), *v = sdp_media_by_mid(&s, "1");
    assert_ptr_equal(a, &s.media[0]);
    assert_ptr_equal(v, &s.media[1]);
    assert_audio(a);
    assert_vp8(v);
    assert_transport(&a->tr, SDP_SETUP_ACTPASS);
    assert_transport(&v->tr, SDP_SETUP_ACTPASS);
    assert_string_equal(a->tr.fingerprints[0].value, v->tr.fingerprints[0].value);
    assert_int_equal(a->dir, SDP_DIR_SENDRECV);
    assert_int_equal(v->dir, SDP_DIR_SENDRECV);

    /* Both tracks are in the one stream announced by msid-semantic. */
    assert_int_equal(v->nmsids, 1);
    assert_string_equal(v->msids[0].stream, s.msid_ids[0]);
    assert_non_null(v->msids[0].track);

    /* Video: primary + rtx ssrcs tied by FID, each with a cname. */
    assert_int_equal(v->nssrc_groups, 1);
    assert_string_equal(v->ssrc_groups[0].semantics, "FID");
    assert_int_equal(v->ssrc_groups[0].nssrcs, 2);
    assert_int_equal(v->ssrc_groups[0].ssrcs[0], v->ssrcs[0].ssrc);
    assert_string_equal(v->ssrcs[0].attr, "cname");
    assert_int_equal(v->nssrcs, 4);
    assert_int_equal(v->ssrcs[2].ssrc, v->ssrc_groups[0].ssrcs[1]);
    assert_string_equal(a->ssrcs[0].attr, "cname");
    assert_string_equal(a->ssrcs[0].value, v->ssrcs[0].value);
    sdp_free(&s);
    assert_int_equal(mem_live_count(), 0);
}

static void test_av_offer_candidates(void **state)
{
    (void)state;
    struct sdp_session s;
    parse_fixture("chromium_av_offer.sdp", &s);
    const struct sdp_media *a = &s.media[0];
    assert_int_equal(a->ncands, 8);
    const struct sdp_candidate *c = &a->cands[0];
    assert_string_equal(c->foundation, "1939862887");
    assert_int_equal(c->component, 1);
    assert_string_equal(c->transport, "udp");
    assert_int_equal(c->priority, 2122194687u);
    assert_string_equal(c->addr, "127.0.0.1");
    assert_int_equal(c->port, a->port); /* the default candidate is on m= */
    assert_string_equal(c->type, "host");
    assert_null(c->raddr);
    assert_false(c->has_rport);
    assert_null(c->tcptype);
    assert_int_equal(c->nexts, 3);
    assert_string_equal(c->exts[0].name, "generation");
    assert_string_equal(c->exts[0].value, "0");
    assert_string_equal(c->exts[1].name, "network-id");
    assert_string_equal(c->exts[2].name, "network-cost");
    assert_string_equal(a->cands[2].addr, "::1");
    const struct sdp_candidate *tcp = &a->cands[4];
    assert_string_equal(tcp->transport, "tcp");
    assert_int_equal(tcp->port, 9);
    assert_string_equal(tcp->tcptype, "active");
    assert_false(a->end_of_candidates);
    sdp_free(&s);
}

static void test_simulcast_offer(void **state)
{
    (void)state;
    struct sdp_session s;
    parse_fixture("chromium_simulcast_offer.sdp", &s);
    assert_int_equal(s.nmedia, 1);
    const struct sdp_media *v = &s.media[0];
    assert_bundle(&s, 1, (const char *const[]){"0"});
    assert_vp8(v);
    assert_int_equal(v->nfmts, 2); /* only VP8 and its rtx were kept */
    assert_int_equal(v->dir, SDP_DIR_SENDONLY);
    assert_string_equal(v->msids[0].stream, "-");
    const char *rids[] = {"q", "h", "f"};
    assert_int_equal(v->nrids, 3);
    assert_true(v->simulcast.present);
    assert_int_equal(v->simulcast.send.nstreams, 3);
    assert_int_equal(v->simulcast.recv.nstreams, 0);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(v->rids[i].id, rids[i]);
        assert_int_equal(v->rids[i].dir, SDP_RID_SEND);
        assert_null(v->rids[i].params);
        const struct sdp_sim_stream *st = &v->simulcast.send.streams[i];
        assert_int_equal(st->nalts, 1);
        assert_string_equal(st->alts[0].rid, rids[i]);
        assert_false(st->alts[0].paused);
    }
    /* No ssrc lines with rids: the SFU learns them from the rid extension. */
    assert_int_equal(v->nssrcs, 0);
    sdp_free(&s);
}

static void test_audio_offer(void **state)
{
    (void)state;
    struct sdp_session s;
    parse_fixture("chromium_audio_offer.sdp", &s);
    assert_int_equal(s.nmedia, 1);
    assert_bundle(&s, 1, (const char *const[]){"0"});
    assert_audio(&s.media[0]);
    assert_transport(&s.media[0].tr, SDP_SETUP_ACTPASS);
    for (size_t i = 0; i < s.nmedia; i++)
        assert_string_not_equal(s.media[i].type, "application"); /* no data channel */
    assert_int_equal(s.media[0].nssrcs, 2);
    assert_int_equal(s.media[0].nssrc_groups, 0);
    sdp_free(&s);
}

static void test_av_answer(void **state)
{
    (void)state;
    struct sdp_session s;
    parse_fixture("chromium_av_answer.sdp", &s);
    assert_int_equal(s.nmedia, 2);
    assert_bundle(&s, 2, (const char *const[]){"0", "1"});
    const struct sdp_media *a = &s.media[0], *v = &s.media[1];
    assert_transport(&a->tr, SDP_SETUP_ACTIVE);
    assert_transport(&v->tr, SDP_SETUP_ACTIVE);
    assert_audio(a);
    assert_vp8(v);
    /* The answerer bundles: candidates only in the first section, the
     * other one on the discard port. */
    assert_true(a->ncands > 0);
    assert_int_equal(v->ncands, 0);
    assert_int_equal(v->port, 9);
    assert_string_equal(v->conn.addr, "0.0.0.0");
    assert_int_equal(v->dir, SDP_DIR_SENDRECV);
    assert_int_equal(v->nssrc_groups, 1);
    assert_string_equal(v->ssrc_groups[0].semantics, "FID");
    sdp_free(&s);
}

/* Every allocation the parser and the writer make can fail: each one in
 * turn is made to fail, the call returns -ENOMEM and nothing stays held. */
static void test_enomem_every_allocation(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = sdp_fixture_load("chromium_simulcast_offer.sdp", &len);
    assert_non_null(text);
    long live = mem_live_count();
    unsigned long n, failures = 0;
    for (n = 1;; n++) {
        struct sdp_session s;
        mem_fail_nth(n);
        int rc = sdp_parse(&s, text, len, NULL);
        mem_fail_nth(0);
        if (rc == 0) {
            sdp_free(&s);
            break;
        }
        assert_int_equal(rc, -ENOMEM);
        assert_int_equal(mem_live_count(), live);
        failures++;
    }
    assert_true(failures > 10); /* the simulcast offer needs many blocks */

    struct sdp_session s;
    assert_int_equal(sdp_parse(&s, text, len, NULL), 0);
    char *out = NULL;
    size_t out_len;
    mem_fail_nth(1);
    assert_int_equal(sdp_write_dup(&s, &out, &out_len), -ENOMEM);
    mem_fail_nth(0);
    assert_null(out);
    sdp_free(&s);
    assert_int_equal(mem_live_count(), live);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_av_offer),        cmocka_unit_test(test_av_offer_candidates),
        cmocka_unit_test(test_simulcast_offer), cmocka_unit_test(test_audio_offer),
        cmocka_unit_test(test_av_answer),       cmocka_unit_test(test_enomem_every_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
