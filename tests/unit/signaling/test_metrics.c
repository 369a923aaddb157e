/* metrics: summing an sfu stats reply (docs/control-protocol.md), every
 * malformed shape, and the exact Prometheus text. Also the error-code table
 * the counters are indexed by. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "signaling/errcode.h"
#include "signaling/metrics.h"

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("bad test JSON: %s", je.text);
    return j;
}

static const char stats_reply[] =
    "{\"id\":3,\"ok\":true,\"rooms\":["
    " {\"room\":\"demo\",\"participants\":["
    "  {\"participant\":\"p1\",\"streams\":["
    "   {\"kind\":\"audio\",\"direction\":\"in\",\"ssrc\":1,\"packets\":10,\"bytes\":900,"
    "    \"bitrate_bps\":32000,\"lost\":0,\"jitter_ms\":1.5,\"rtt_ms\":4,\"nacks\":0,"
    "    \"plis\":0,\"key_frames\":0,\"dropped\":1},"
    "   {\"kind\":\"video\",\"direction\":\"in\",\"bitrate_bps\":800000.7,\"nacks\":5,"
    "    \"plis\":2,\"dropped\":3}]},"
    "  {\"participant\":\"p2\",\"streams\":["
    "   {\"kind\":\"video\",\"direction\":\"out\",\"bitrate_bps\":300000,\"nacks\":7,"
    "    \"plis\":1,\"dropped\":0},"
    "   {\"kind\":\"audio\",\"direction\":\"out\",\"bitrate_bps\":-5,\"nacks\":\"x\"}]}],"
    "  \"drops\":{\"unknown\":2000,\"early\":30,\"srtp\":0,\"oversize\":0,\"dtls\":4,"
    "   \"closed\":1}},"
    " {\"room\":\"empty\",\"participants\":[],\"drops\":{\"unknown\":5,\"srtp\":\"x\"}},"
    " {\"room\":\"bare\"}]}";

static void test_sum_stats(void **state)
{
    (void)state;
    json_t *j = parse(stats_reply);
    struct metrics_sfu s = {.up = true, .nacks = 99};
    assert_int_equal(metrics_sfu_from_stats(j, &s), 0);
    assert_true(s.up);
    assert_int_equal(s.streams_in, 2);
    assert_int_equal(s.streams_out, 2);
    assert_int_equal(s.bitrate_in_bps, 832000);
    assert_int_equal(s.bitrate_out_bps, 300000); /* negative counts as 0 */
    assert_int_equal(s.nacks, 12);               /* a string counts as 0 */
    assert_int_equal(s.plis, 3);
    assert_int_equal(s.dropped, 4);
    assert_int_equal(s.media_drops[METRICS_MEDIA_UNKNOWN], 2005);
    assert_int_equal(s.media_drops[METRICS_MEDIA_EARLY], 30);
    assert_int_equal(s.media_drops[METRICS_MEDIA_SRTP], 0); /* a string counts as 0 */
    assert_int_equal(s.media_drops[METRICS_MEDIA_OVERSIZE], 0);
    assert_int_equal(s.media_drops[METRICS_MEDIA_DTLS], 4);
    assert_int_equal(s.media_drops[METRICS_MEDIA_CLOSED], 1);
    json_decref(j);
}

static void test_malformed_stats(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[]",
        "{}",
        "{\"rooms\":{}}",
        "{\"rooms\":[1]}",
        "{\"rooms\":[{\"participants\":{}}]}",
        "{\"rooms\":[{\"participants\":[],\"drops\":[]}]}",
        "{\"rooms\":[{\"drops\":{\"unknown\":3}},{\"drops\":7}]}",
        "{\"rooms\":[{\"participants\":[7]}]}",
        "{\"rooms\":[{\"participants\":[{\"streams\":{}}]}]}",
        "{\"rooms\":[{\"participants\":[{\"streams\":[\"s\"]}]}]}",
        "{\"rooms\":[{\"participants\":[{\"streams\":[{\"kind\":\"audio\"}]}]}]}",
        "{\"rooms\":[{\"participants\":[{\"streams\":[{\"direction\":\"both\"}]}]}]}",
        "{\"rooms\":[{\"participants\":[{\"streams\":[{\"direction\":\"in\"},"
        "{\"direction\":7}]}]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = parse(bad[i]);
        struct metrics_sfu s = {.up = true};
        int rc = metrics_sfu_from_stats(j, &s);
        if (rc != -EBADMSG)
            fail_msg("%s: %d, expected -EBADMSG", bad[i], rc);
        /* Nothing half-summed is left behind. */
        assert_true(s.up);
        assert_int_equal(s.streams_in + s.streams_out + s.bitrate_in_bps, 0);
        assert_int_equal(s.media_drops[METRICS_MEDIA_UNKNOWN], 0);
        json_decref(j);
    }
    struct metrics_sfu s;
    assert_int_equal(metrics_sfu_from_stats(NULL, &s), -EINVAL);
}

static const char expected_text[] =
    "# HELP cau_rooms Rooms with at least one participant.\n"
    "# TYPE cau_rooms gauge\n"
    "cau_rooms 1\n"
    "# HELP cau_participants Participants joined.\n"
    "# TYPE cau_participants gauge\n"
    "cau_participants 2\n"
    "# HELP cau_connections Open WebSocket connections.\n"
    "# TYPE cau_connections gauge\n"
    "cau_connections 3\n"
    "# HELP cau_sfu_up 1 when the control connection to the sfu is up.\n"
    "# TYPE cau_sfu_up gauge\n"
    "cau_sfu_up 1\n"
    "# HELP cau_streams Media streams in the sfu, by direction.\n"
    "# TYPE cau_streams gauge\n"
    "cau_streams{direction=\"in\"} 2\n"
    "cau_streams{direction=\"out\"} 2\n"
    "# HELP cau_bitrate_bps Media bitrate through the sfu, by direction.\n"
    "# TYPE cau_bitrate_bps gauge\n"
    "cau_bitrate_bps{direction=\"in\"} 832000\n"
    "cau_bitrate_bps{direction=\"out\"} 300000\n"
    "# HELP cau_drops_total Messages and packets dropped, by reason.\n"
    "# TYPE cau_drops_total counter\n"
    "cau_drops_total{reason=\"too_large\"} 4\n"
    "cau_drops_total{reason=\"rate_limited\"} 0\n"
    "cau_drops_total{reason=\"invalid\"} 0\n"
    "cau_drops_total{reason=\"sfu_down\"} 0\n"
    "cau_drops_total{reason=\"unrouted\"} 0\n"
    "cau_drops_total{reason=\"slow_client\"} 0\n"
    "cau_drops_total{reason=\"sfu_invalid\"} 18446744073709551615\n"
    "cau_drops_total{reason=\"media\"} 4\n"
    "# HELP cau_sfu_dropped_packets_total Datagrams the sfu's media transports dropped, by "
    "reason.\n"
    "# TYPE cau_sfu_dropped_packets_total counter\n"
    "cau_sfu_dropped_packets_total{reason=\"unknown\"} 2005\n"
    "cau_sfu_dropped_packets_total{reason=\"early\"} 30\n"
    "cau_sfu_dropped_packets_total{reason=\"srtp\"} 0\n"
    "cau_sfu_dropped_packets_total{reason=\"oversize\"} 0\n"
    "cau_sfu_dropped_packets_total{reason=\"dtls\"} 4\n"
    "cau_sfu_dropped_packets_total{reason=\"closed\"} 1\n"
    "# HELP cau_nacks_total NACKs counted by the sfu, summed over its current streams.\n"
    "# TYPE cau_nacks_total counter\n"
    "cau_nacks_total 12\n"
    "# HELP cau_plis_total PLIs counted by the sfu, summed over its current streams.\n"
    "# TYPE cau_plis_total counter\n"
    "cau_plis_total 3\n"
    "# HELP cau_ws_errors_total Errors sent to WebSocket clients, by code.\n"
    "# TYPE cau_ws_errors_total counter\n"
    "cau_ws_errors_total{code=\"bad_json\"} 0\n"
    "cau_ws_errors_total{code=\"unknown_type\"} 0\n"
    "cau_ws_errors_total{code=\"bad_field\"} 0\n"
    "cau_ws_errors_total{code=\"too_large\"} 4\n"
    "cau_ws_errors_total{code=\"rate_limited\"} 0\n"
    "cau_ws_errors_total{code=\"not_joined\"} 0\n"
    "cau_ws_errors_total{code=\"already_joined\"} 0\n"
    "cau_ws_errors_total{code=\"bad_token\"} 1\n"
    "cau_ws_errors_total{code=\"expired_token\"} 0\n"
    "cau_ws_errors_total{code=\"no_such_room\"} 0\n"
    "cau_ws_errors_total{code=\"sdp_rejected\"} 0\n"
    "cau_ws_errors_total{code=\"internal\"} 0\n";

static void fill(struct metrics *m)
{
    memset(m, 0, sizeof *m);
    m->rooms = 1;
    m->participants = 2;
    m->connections = 3;
    m->ws_errors[ERRCODE_TOO_LARGE] = 4;
    m->ws_errors[ERRCODE_BAD_TOKEN] = 1;
    m->drops[METRICS_DROP_TOO_LARGE] = 4;
    m->drops[METRICS_DROP_SFU_INVALID] = UINT64_MAX;
    m->sfu.up = true;
    json_t *j = parse(stats_reply);
    assert_int_equal(metrics_sfu_from_stats(j, &m->sfu), 0);
    json_decref(j);
}

static void test_format(void **state)
{
    (void)state;
    struct metrics m;
    fill(&m);
    char buf[8192];
    size_t n = 0;
    assert_int_equal(metrics_format(&m, buf, sizeof buf, &n), 0);
    assert_string_equal(buf, expected_text);
    assert_int_equal(n, strlen(expected_text));
}

static void test_format_short_buffer(void **state)
{
    (void)state;
    struct metrics m;
    fill(&m);
    char buf[sizeof expected_text];
    size_t n = 0;
    /* Exactly enough (text + NUL) works; one byte less, and far less, do not. */
    assert_int_equal(metrics_format(&m, buf, sizeof expected_text, &n), 0);
    assert_int_equal(metrics_format(&m, buf, sizeof expected_text - 1, &n), -ENOSPC);
    assert_int_equal(metrics_format(&m, buf, 10, &n), -ENOSPC);
    assert_int_equal(metrics_format(&m, buf, 0, &n), -ENOSPC);
    assert_int_equal(metrics_format(NULL, buf, sizeof buf, &n), -EINVAL);
}

static void test_names(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ERRCODE_COUNT; i++)
        assert_int_equal(errcode_from_name(errcode_name((enum errcode)i)), i);
    assert_int_equal(errcode_from_name("nope"), ERRCODE_COUNT);
    assert_int_equal(errcode_from_name(NULL), ERRCODE_COUNT);
    assert_string_equal(errcode_name(ERRCODE_COUNT), "internal");
    assert_true(errcode_closes(ERRCODE_BAD_TOKEN));
    assert_true(errcode_closes(ERRCODE_EXPIRED_TOKEN));
    assert_true(errcode_closes(ERRCODE_NO_SUCH_ROOM));
    assert_false(errcode_closes(ERRCODE_RATE_LIMITED));
    assert_false(errcode_closes(ERRCODE_TOO_LARGE));
    assert_false(errcode_closes(ERRCODE_BAD_JSON));
    assert_string_equal(metrics_drop_name(METRICS_DROP_SLOW_CLIENT), "slow_client");
    assert_string_equal(metrics_drop_name(METRICS_DROP_COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_stats), cmocka_unit_test(test_malformed_stats),
        cmocka_unit_test(test_format),    cmocka_unit_test(test_format_short_buffer),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
