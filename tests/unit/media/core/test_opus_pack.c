#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "media/core/opus_pack.h"

/* TOC 0x48: config 9 (SILK wideband, 20 ms), mono, code 0 (RFC 6716 §3.1). */
static const uint8_t speech[] = {0x48, 0x11, 0x22, 0x33, 0x44};
static const uint8_t dtx[] = {0x48};
/* Code 3, CBR, 3 frames of 20 ms: 60 ms = 2880 samples. */
static const uint8_t three[] = {0x4b, 0x03, 0x01, 0x02, 0x03};

static void test_timestamps_and_marker_after_dtx(void **state)
{
    (void)state;
    struct opus_pack p;
    struct opus_pack_cfg c = {.first_seq = 65534, .first_ts = 0xfffffc40u};
    opus_pack_init(&p, &c);
    struct opus_pack_pkt pkt;
    /* speech, speech, dtx, dtx, speech, 60 ms speech */
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_true(pkt.marker); /* first packet of the stream */
    assert_int_equal(pkt.seq, 65534);
    assert_int_equal(pkt.ts, 0xfffffc40u);
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_false(pkt.marker);
    assert_int_equal(pkt.seq, 65535);
    assert_int_equal(pkt.ts, 0xfffffc40u + 960);
    assert_int_equal(opus_pack_frame(&p, dtx, sizeof(dtx), &pkt), 0);
    assert_int_equal(opus_pack_frame(&p, dtx, sizeof(dtx), &pkt), 0);
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_true(pkt.marker);
    assert_int_equal(pkt.seq, 0); /* DTX packets took no sequence numbers */
    assert_int_equal(pkt.ts, (uint32_t)(0xfffffc40u + 4 * 960));
    assert_int_equal(opus_pack_frame(&p, three, sizeof(three), &pkt), 1);
    assert_false(pkt.marker);
    assert_int_equal(pkt.ts, (uint32_t)(0xfffffc40u + 5 * 960));
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_int_equal(pkt.ts, (uint32_t)(0xfffffc40u + 5 * 960 + 2880));
}

static void test_send_dtx_and_skip(void **state)
{
    (void)state;
    struct opus_pack p;
    struct opus_pack_cfg c = {.first_seq = 1, .first_ts = 0, .send_dtx = true};
    opus_pack_init(&p, &c);
    struct opus_pack_pkt pkt;
    assert_int_equal(opus_pack_frame(&p, dtx, sizeof(dtx), &pkt), 1);
    assert_true(pkt.dtx);
    assert_false(pkt.marker); /* comfort noise does not start a talkspurt */
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_true(pkt.marker);
    assert_int_equal(pkt.seq, 2);
    assert_int_equal(pkt.ts, 960);
    assert_int_equal(opus_pack_skip(&p, 960 * 3), 0);
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_true(pkt.marker);
    assert_int_equal(pkt.ts, 960 * 5);
    assert_int_equal(pkt.seq, 3);
}

static void test_errors_leave_state(void **state)
{
    (void)state;
    struct opus_pack p;
    struct opus_pack_cfg c = {.first_seq = 7, .first_ts = 100};
    opus_pack_init(&p, &c);
    struct opus_pack_pkt pkt;
    const uint8_t bad[] = {0x4b, 0x00}; /* code 3 with 0 frames */
    assert_int_equal(opus_pack_frame(&p, bad, sizeof(bad), &pkt), -EBADMSG);
    assert_int_equal(opus_pack_frame(&p, speech, 0, &pkt), -EBADMSG);
    assert_int_equal(opus_pack_frame(&p, NULL, 3, &pkt), -EINVAL);
    assert_int_equal(opus_pack_skip(&p, 0), -EINVAL);
    assert_int_equal(opus_pack_skip(&p, 5761), -EINVAL);
    assert_int_equal(opus_pack_frame(&p, speech, sizeof(speech), &pkt), 1);
    assert_int_equal(pkt.seq, 7);
    assert_int_equal(pkt.ts, 100);
    assert_true(pkt.marker);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timestamps_and_marker_after_dtx),
        cmocka_unit_test(test_send_dtx_and_skip),
        cmocka_unit_test(test_errors_leave_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
