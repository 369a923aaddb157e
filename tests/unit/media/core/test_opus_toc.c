#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/opus_toc.h"

/* RFC 6716 §3.1 Table 2, written out row by row. */
static const struct {
    enum opus_toc_mode mode;
    enum opus_toc_bandwidth bw;
    uint32_t frame_us;
} table2[32] = {
    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_NB, 10000},    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_NB, 20000},
    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_NB, 40000},    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_NB, 60000},
    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_MB, 10000},    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_MB, 20000},
    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_MB, 40000},    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_MB, 60000},
    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_WB, 10000},    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_WB, 20000},
    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_WB, 40000},    {OPUS_TOC_MODE_SILK, OPUS_TOC_BW_WB, 60000},
    {OPUS_TOC_MODE_HYBRID, OPUS_TOC_BW_SWB, 10000}, {OPUS_TOC_MODE_HYBRID, OPUS_TOC_BW_SWB, 20000},
    {OPUS_TOC_MODE_HYBRID, OPUS_TOC_BW_FB, 10000},  {OPUS_TOC_MODE_HYBRID, OPUS_TOC_BW_FB, 20000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_NB, 2500},     {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_NB, 5000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_NB, 10000},    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_NB, 20000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_WB, 2500},     {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_WB, 5000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_WB, 10000},    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_WB, 20000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_SWB, 2500},    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_SWB, 5000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_SWB, 10000},   {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_SWB, 20000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_FB, 2500},     {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_FB, 5000},
    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_FB, 10000},    {OPUS_TOC_MODE_CELT, OPUS_TOC_BW_FB, 20000},
};

static void test_every_config(void **state)
{
    (void)state;
    struct opus_toc t;
    uint8_t pkt[2];
    for (unsigned c = 0; c < 32; c++) {
        for (unsigned s = 0; s < 2; s++) {
            pkt[0] = (uint8_t)(c << 3 | s << 2); /* code 0 */
            pkt[1] = 0x5a;
            assert_int_equal(opus_toc_parse(pkt, sizeof(pkt), &t), 0);
            assert_int_equal(t.config, c);
            assert_int_equal(t.mode, table2[c].mode);
            assert_int_equal(t.bandwidth, table2[c].bw);
            assert_int_equal(t.frame_us, table2[c].frame_us);
            assert_int_equal(t.frame_samples, table2[c].frame_us * 48 / 1000);
            assert_int_equal(t.stereo, s);
            assert_int_equal(t.code, 0);
            assert_int_equal(t.frame_count, 1);
            assert_int_equal(t.duration_us, table2[c].frame_us);
            assert_int_equal(t.duration_samples, t.frame_samples);
        }
    }
}

static void test_chrome_speech_packet(void **state)
{
    (void)state;
    struct opus_toc t;
    /* libwebrtc's usual mono speech: config 15 (hybrid fullband 20 ms),
     * code 0, about 60 bytes of frame. */
    uint8_t pkt[61];
    memset(pkt, 0x33, sizeof(pkt));
    pkt[0] = 0x78;
    assert_int_equal(opus_toc_parse(pkt, sizeof(pkt), &t), 0);
    assert_int_equal(t.mode, OPUS_TOC_MODE_HYBRID);
    assert_int_equal(t.bandwidth, OPUS_TOC_BW_FB);
    assert_false(t.stereo);
    assert_int_equal(t.duration_us, 20000);
    assert_int_equal(t.duration_samples, 960);
    assert_false(opus_toc_is_dtx(pkt, sizeof(pkt)));
    /* The TOC-only DTX packet of the same stream is valid: one empty frame. */
    assert_int_equal(opus_toc_parse(pkt, 1, &t), 0);
    assert_int_equal(t.frame_count, 1);
    assert_true(opus_toc_is_dtx(pkt, 1));
}

static void test_code0_and_code1(void **state)
{
    (void)state;
    struct opus_toc t;
    uint8_t pkt[1 + 2 * 1276];
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0xf8; /* CELT FB 20 ms, code 0 */
    assert_int_equal(opus_toc_parse(pkt, 1 + 1275, &t), 0);
    assert_int_equal(opus_toc_parse(pkt, 1 + 1276, &t), -EBADMSG); /* R2 */
    pkt[0] = 0xf9;                                                 /* code 1 */
    assert_int_equal(opus_toc_parse(pkt, 1, &t), 0);               /* two empty frames */
    assert_int_equal(t.frame_count, 2);
    assert_int_equal(t.duration_us, 40000);
    assert_int_equal(opus_toc_parse(pkt, 1 + 7, &t), -EBADMSG); /* R3: odd */
    assert_int_equal(opus_toc_parse(pkt, 1 + 8, &t), 0);
    assert_int_equal(opus_toc_parse(pkt, 1 + 2 * 1275, &t), 0);
    assert_int_equal(opus_toc_parse(pkt, 1 + 2 * 1276, &t), -EBADMSG);
}

static void test_code2(void **state)
{
    (void)state;
    struct opus_toc t;
    uint8_t pkt[3 + 260 + 1276];
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0x02; /* SILK NB 10 ms, code 2 */
    pkt[1] = 3;    /* first frame 3 bytes, second the rest */
    assert_int_equal(opus_toc_parse(pkt, 2 + 3 + 5, &t), 0);
    assert_int_equal(t.frame_count, 2);
    assert_true(t.vbr);
    assert_int_equal(t.duration_us, 20000);
    assert_int_equal(opus_toc_parse(pkt, 2 + 3, &t), 0);        /* empty second frame */
    assert_int_equal(opus_toc_parse(pkt, 2 + 2, &t), -EBADMSG); /* R4: N1 overruns */
    assert_int_equal(opus_toc_parse(pkt, 1, &t), -EBADMSG);     /* no length byte */
    /* Two-byte length: 252 + 4 * 2 = 260. */
    pkt[1] = 252;
    pkt[2] = 2;
    assert_int_equal(opus_toc_parse(pkt, 2, &t), -EBADMSG); /* second length byte missing */
    assert_int_equal(opus_toc_parse(pkt, 3 + 259, &t), -EBADMSG);
    assert_int_equal(opus_toc_parse(pkt, 3 + 260, &t), 0);
    assert_int_equal(opus_toc_parse(pkt, 3 + 260 + 1275, &t), 0);
    assert_int_equal(opus_toc_parse(pkt, 3 + 260 + 1276, &t), -EBADMSG); /* second frame */
}

static void test_code3_counts(void **state)
{
    (void)state;
    struct opus_toc t;
    uint8_t pkt[64];
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0x83;                                          /* CELT NB 2.5 ms, code 3 */
    pkt[1] = 0;                                             /* CBR, no padding, count 0 */
    assert_int_equal(opus_toc_parse(pkt, 2, &t), -EBADMSG); /* R5: count 0 */
    pkt[1] = 48;                                            /* 48 x 2.5 ms = 120 ms */
    assert_int_equal(opus_toc_parse(pkt, 2, &t), 0);
    assert_int_equal(t.frame_count, 48);
    assert_int_equal(t.duration_us, 120000);
    assert_int_equal(t.duration_samples, OPUS_TOC_MAX_PACKET_SAMPLES);
    pkt[1] = 49;
    assert_int_equal(opus_toc_parse(pkt, 2, &t), -EBADMSG); /* R5: over 120 ms */
    pkt[0] = 0x1b;                                          /* SILK NB 60 ms, code 3 */
    pkt[1] = 2;
    assert_int_equal(opus_toc_parse(pkt, 2, &t), 0);
    assert_int_equal(t.duration_us, 120000);
    pkt[1] = 3;
    assert_int_equal(opus_toc_parse(pkt, 2, &t), -EBADMSG); /* 180 ms */
    pkt[0] = 0xfb; /* CELT FB 20 ms: 6 frames = 120 ms, 7 too many */
    pkt[1] = 6;
    assert_int_equal(opus_toc_parse(pkt, 2, &t), 0);
    pkt[1] = 7;
    assert_int_equal(opus_toc_parse(pkt, 2, &t), -EBADMSG);
    assert_int_equal(opus_toc_parse(pkt, 1, &t), -EBADMSG); /* count byte missing */
}

static void test_code3_cbr_and_padding(void **state)
{
    (void)state;
    struct opus_toc t;
    uint8_t pkt[600];
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0xfb; /* CELT FB 20 ms, code 3 */
    pkt[1] = 3;    /* CBR, 3 frames */
    assert_int_equal(opus_toc_parse(pkt, 2 + 30, &t), 0);
    assert_false(t.vbr);
    assert_false(t.padded);
    assert_int_equal(t.duration_us, 60000);
    assert_int_equal(opus_toc_parse(pkt, 2 + 31, &t), -EBADMSG); /* R6: not a multiple */
    /* Padding: 255 (254 bytes, continue), then 10: 264 bytes at the end. */
    pkt[1] = 0x40 | 3;
    pkt[2] = 255;
    pkt[3] = 10;
    assert_int_equal(opus_toc_parse(pkt, 4 + 30 + 264, &t), 0);
    assert_true(t.padded);
    assert_int_equal(t.padding_len, 264);
    assert_int_equal(opus_toc_parse(pkt, 4 + 264, &t), 0);        /* three empty frames */
    assert_int_equal(opus_toc_parse(pkt, 4 + 263, &t), -EBADMSG); /* padding overruns */
    assert_int_equal(opus_toc_parse(pkt, 3, &t), -EBADMSG);       /* padding length cut */
    pkt[3] = 255;
    pkt[4] = 255;
    assert_int_equal(opus_toc_parse(pkt, 5, &t), -EBADMSG); /* chain runs off the end */
    /* A packet that is only padding length bytes: 0 padding, 0 frames data. */
    pkt[2] = 0;
    assert_int_equal(opus_toc_parse(pkt, 3, &t), 0);
    assert_int_equal(t.padding_len, 0);
}

static void test_code3_vbr(void **state)
{
    (void)state;
    struct opus_toc t;
    /* CELT FB 20 ms, VBR, 3 frames: lengths 2 and 3, last 4. */
    const uint8_t pkt[] = {0xfb, 0x83, 2, 3, 1, 1, 2, 2, 2, 3, 3, 3, 3};
    assert_int_equal(opus_toc_parse(pkt, sizeof(pkt), &t), 0);
    assert_true(t.vbr);
    assert_int_equal(t.frame_count, 3);
    assert_int_equal(t.duration_us, 60000);
    /* Truncated: any cut before the two sized frames end is malformed. */
    for (size_t n = 0; n < 4 + 5; n++)
        assert_int_equal(opus_toc_parse(pkt, n, &t), -EBADMSG);
    assert_int_equal(opus_toc_parse(pkt, 4 + 5, &t), 0); /* empty last frame */
    /* VBR with padding: lengths 1 and 1, padding 2, last frame 1. */
    const uint8_t padded[] = {0xfb, 0xc3, 2, 1, 1, 7, 8, 9, 0, 0};
    assert_int_equal(opus_toc_parse(padded, sizeof(padded), &t), 0);
    assert_int_equal(t.padding_len, 2);
    /* One byte short: the last frame shrinks to nothing; two: frame 2 overruns. */
    assert_int_equal(opus_toc_parse(padded, sizeof(padded) - 1, &t), 0);
    assert_int_equal(opus_toc_parse(padded, sizeof(padded) - 2, &t), -EBADMSG);
}

static void test_code3_vbr_last_frame_too_long(void **state)
{
    (void)state;
    struct opus_toc t;
    static uint8_t pkt[3 + 1276];
    memset(pkt, 0, sizeof(pkt));
    pkt[0] = 0xfb;
    pkt[1] = 0x82; /* VBR, 2 frames */
    pkt[2] = 0;    /* first frame empty, last takes the rest */
    assert_int_equal(opus_toc_parse(pkt, 3 + 1275, &t), 0);
    assert_int_equal(opus_toc_parse(pkt, 3 + 1276, &t), -EBADMSG); /* R7 */
}

static void test_decode_toc_only(void **state)
{
    (void)state;
    struct opus_toc t;
    opus_toc_decode(0xfc, &t); /* CELT FB 20 ms stereo, code 0 */
    assert_int_equal(t.config, 31);
    assert_true(t.stereo);
    assert_int_equal(t.frame_count, 1);
    assert_int_equal(t.duration_us, 20000);
    opus_toc_decode(0xff, &t); /* code 3: count unknown from the TOC */
    assert_int_equal(t.code, 3);
    assert_int_equal(t.frame_count, 0);
    assert_int_equal(t.duration_us, 0);
}

static void test_dtx_rule_and_errors(void **state)
{
    (void)state;
    struct opus_toc t;
    const uint8_t p[3] = {0xf8, 0x00, 0x00};
    assert_true(opus_toc_is_dtx(NULL, 0));
    assert_true(opus_toc_is_dtx(p, 1));
    assert_true(opus_toc_is_dtx(p, 2));
    assert_false(opus_toc_is_dtx(p, 3));
    assert_int_equal(opus_toc_parse(p, 0, &t), -EBADMSG); /* R1 */
    assert_int_equal(opus_toc_parse(NULL, 3, &t), -EBADMSG);
    assert_int_equal(opus_toc_parse(p, 3, NULL), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_config),
        cmocka_unit_test(test_chrome_speech_packet),
        cmocka_unit_test(test_code0_and_code1),
        cmocka_unit_test(test_code2),
        cmocka_unit_test(test_code3_counts),
        cmocka_unit_test(test_code3_cbr_and_padding),
        cmocka_unit_test(test_code3_vbr),
        cmocka_unit_test(test_code3_vbr_last_frame_too_long),
        cmocka_unit_test(test_decode_toc_only),
        cmocka_unit_test(test_dtx_rule_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
