#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/codec/opus_dec.h"
#include "media/codec/opus_enc.h"
#include "media/core/media_sink.h"
#include "media/core/mem.h"
#include "media/core/testsrc_audio.h"

#define FRAME OPUS_ENC_FRAME_SAMPLES
#define NFRAMES 50 /* one second */

struct packet {
    uint8_t data[OPUS_ENC_MAX_PACKET];
    size_t len;
};

static struct packet packets[NFRAMES];

/* Encode NFRAMES of the source into packets[]; frames before `onset` are
 * silence. Returns the total size. */
static size_t encode_all(const struct opus_enc_cfg *cfg, struct testsrc_audio *src, int onset)
{
    struct opus_enc *e;
    assert_int_equal(opus_enc_create(cfg, &e), 0);
    int16_t pcm[2 * FRAME];
    size_t total = 0;
    for (int i = 0; i < NFRAMES; i++) {
        if (i < onset)
            memset(pcm, 0, sizeof(pcm));
        else
            testsrc_audio_fill(src, pcm, FRAME);
        assert_int_equal(
            opus_enc_encode(e, pcm, packets[i].data, sizeof(packets[i].data), &packets[i].len), 0);
        total += packets[i].len;
    }
    opus_enc_destroy(e);
    return total;
}

static int count_crossings(const int16_t *pcm, size_t n)
{
    int c = 0;
    for (size_t i = 1; i < n; i++)
        c += pcm[i - 1] < 0 && pcm[i] >= 0;
    return c;
}

static void test_tone_round_trip(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    struct testsrc_audio src;
    assert_int_equal(testsrc_audio_init_tone(&src, 1000, -20, 1), 0);
    size_t total = encode_all(&cfg, &src, 0);
    /* 32 kbps is 4000 bytes a second; VBR on a pure tone may spend less. */
    assert_true(total > 1000 && total < 6000);
    struct opus_dec *d;
    assert_int_equal(opus_dec_create(1, &d), 0);
    struct media_sink_audio sink;
    media_sink_audio_init(&sink, 1);
    int16_t pcm[OPUS_DEC_MAX_FRAME_SAMPLES];
    for (int i = 0; i < NFRAMES; i++) {
        size_t n;
        assert_int_equal(opus_dec_decode(d, packets[i].data, packets[i].len, pcm,
                                         OPUS_DEC_MAX_FRAME_SAMPLES, &n),
                         0);
        assert_int_equal(n, FRAME);
        if (i >= 5) /* past the codec's start-up */
            media_sink_audio_handle_samples(&sink, pcm, n);
    }
    assert_float_equal(media_sink_audio_dbfs(&sink), -20.0, 1.0);
    assert_float_equal(media_sink_audio_freq_hz(&sink, OPUS_DEC_RATE), 1000.0, 2.0);
    opus_dec_destroy(d);
}

static void test_stereo_round_trip(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    cfg.channels = 2;
    cfg.bitrate_bps = 64000;
    struct testsrc_audio src;
    assert_int_equal(testsrc_audio_init_tone(&src, 440, -12, 2), 0);
    (void)encode_all(&cfg, &src, 0);
    struct opus_dec *d;
    assert_int_equal(opus_dec_create(2, &d), 0);
    assert_int_equal(opus_dec_channels(d), 2);
    struct media_sink_audio sink;
    media_sink_audio_init(&sink, 2);
    int16_t pcm[2 * FRAME];
    for (int i = 0; i < NFRAMES; i++) {
        size_t n;
        assert_int_equal(opus_dec_decode(d, packets[i].data, packets[i].len, pcm, FRAME, &n), 0);
        if (i >= 5)
            media_sink_audio_handle_samples(&sink, pcm, n);
    }
    assert_float_equal(media_sink_audio_dbfs(&sink), -12.0, 1.0);
    assert_float_equal(media_sink_audio_freq_hz(&sink, OPUS_DEC_RATE), 440.0, 2.0);
    opus_dec_destroy(d);
}

static void test_plc_conceals_a_lost_frame(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    struct testsrc_audio src;
    assert_int_equal(testsrc_audio_init_tone(&src, 1000, -20, 1), 0);
    (void)encode_all(&cfg, &src, 0);
    struct opus_dec *d;
    assert_int_equal(opus_dec_create(1, &d), 0);
    int16_t pcm[FRAME];
    size_t n;
    for (int i = 0; i < 20; i++)
        assert_int_equal(opus_dec_decode(d, packets[i].data, packets[i].len, pcm, FRAME, &n), 0);
    /* Packet 20 is lost: 20 ms of concealment carries the tone on, fading. */
    memset(pcm, 0, sizeof(pcm));
    assert_int_equal(opus_dec_decode(d, NULL, 0, pcm, FRAME, &n), 0);
    assert_int_equal(n, FRAME);
    assert_in_range((long)media_sink_dbfs(pcm, n), -35, -19);
    assert_in_range(count_crossings(pcm, n), 19, 21); /* still 1 kHz */
    /* Each further loss fades more. */
    double first = media_sink_dbfs(pcm, n);
    assert_int_equal(opus_dec_decode(d, NULL, 0, pcm, FRAME, &n), 0);
    assert_true(media_sink_dbfs(pcm, n) < first);
    opus_dec_destroy(d);
}

/* Levels of frame `lost` when rebuilt by FEC from the next packet or by
 * PLC, and of the next frame decoded after that. */
static void recover(bool fec, int lost, double *lost_db, double *next_db)
{
    struct opus_dec *d;
    assert_int_equal(opus_dec_create(1, &d), 0);
    int16_t pcm[FRAME];
    size_t n;
    for (int i = 0; i < lost; i++)
        assert_int_equal(opus_dec_decode(d, packets[i].data, packets[i].len, pcm, FRAME, &n), 0);
    const struct packet *next = &packets[lost + 1];
    if (fec)
        assert_int_equal(opus_dec_decode_fec(d, next->data, next->len, pcm, FRAME, &n), 0);
    else
        assert_int_equal(opus_dec_decode(d, NULL, 0, pcm, FRAME, &n), 0);
    assert_int_equal(n, FRAME);
    *lost_db = media_sink_dbfs(pcm, n);
    assert_int_equal(opus_dec_decode(d, next->data, next->len, pcm, FRAME, &n), 0);
    *next_db = media_sink_dbfs(pcm, n);
    opus_dec_destroy(d);
}

static void test_fec_recovers_what_plc_cannot(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    cfg.fec = true;
    cfg.loss_pct = 20;
    struct testsrc_audio src;
    assert_int_equal(testsrc_audio_init_tone(&src, 1000, -20, 1), 0);
    (void)encode_all(&cfg, &src, 25);
    /* Frame 25, the tone's first, is lost. Concealment extrapolates the
     * silence before it; packet 26 carries a copy of it. */
    double lost_db, next_db;
    recover(false, 25, &lost_db, &next_db);
    assert_true(lost_db < -60);
    assert_true(next_db < -23); /* and the decoder state is off for a while */
    recover(true, 25, &lost_db, &next_db);
    assert_float_equal(lost_db, -20.0, 3.0);
    assert_float_equal(next_db, -20.0, 1.0);
    /* In the steady tone too, FEC leaves the decoder in step. */
    recover(true, 40, &lost_db, &next_db);
    assert_float_equal(lost_db, -20.0, 1.0);
    assert_float_equal(next_db, -20.0, 1.0);
}

static void test_dtx_shrinks_silence(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    struct testsrc_audio src;
    assert_int_equal(testsrc_audio_init_tone(&src, 1000, -20, 1), 0);
    (void)encode_all(&cfg, &src, NFRAMES); /* all silence, no DTX */
    int tiny = 0;
    for (int i = 0; i < NFRAMES; i++)
        tiny += packets[i].len <= 2;
    assert_int_equal(tiny, 0);
    cfg.dtx = true;
    (void)encode_all(&cfg, &src, NFRAMES);
    tiny = 0;
    for (int i = 0; i < NFRAMES; i++)
        tiny += packets[i].len <= 2;
    assert_true(tiny > NFRAMES / 2);
    /* A DTX packet still decodes (to comfort noise or silence). */
    struct opus_dec *d;
    assert_int_equal(opus_dec_create(1, &d), 0);
    int16_t pcm[FRAME];
    size_t n;
    assert_int_equal(
        opus_dec_decode(d, packets[NFRAMES - 1].data, packets[NFRAMES - 1].len, pcm, FRAME, &n), 0);
    assert_int_equal(n, FRAME);
    assert_true(media_sink_dbfs(pcm, n) < -60);
    opus_dec_destroy(d);
}

static void test_bitrate_follows_setting(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    struct testsrc_audio src;
    assert_int_equal(testsrc_audio_init_chirp(&src, 100, 8000, 0.5, -15, 1), 0);
    cfg.bitrate_bps = 12000;
    size_t low = encode_all(&cfg, &src, 0);
    cfg.bitrate_bps = 96000;
    size_t high = encode_all(&cfg, &src, 0);
    assert_true(low < 12000 / 8 * 3 / 2);
    assert_true(high > 4 * low);
    /* And at run time. */
    struct opus_enc *e;
    assert_int_equal(opus_enc_create(&cfg, &e), 0);
    assert_int_equal(opus_enc_set_bitrate(e, 8000), 0);
    assert_int_equal(opus_enc_set_loss_pct(e, 5), 0);
    int16_t pcm[FRAME];
    size_t total = 0, len;
    uint8_t out[OPUS_ENC_MAX_PACKET];
    for (int i = 0; i < NFRAMES; i++) {
        testsrc_audio_fill(&src, pcm, FRAME);
        assert_int_equal(opus_enc_encode(e, pcm, out, sizeof(out), &len), 0);
        total += len;
    }
    assert_true(total < 8000 / 8 * 3 / 2);
    assert_int_equal(opus_enc_set_bitrate(e, 5000), -EINVAL);
    assert_int_equal(opus_enc_set_loss_pct(e, 101), -EINVAL);
    opus_enc_destroy(e);
}

static void test_bad_arguments_and_packets(void **state)
{
    (void)state;
    struct opus_enc_cfg cfg;
    struct opus_enc *e;
    opus_enc_cfg_default(&cfg);
    cfg.channels = 3;
    assert_int_equal(opus_enc_create(&cfg, &e), -EINVAL);
    opus_enc_cfg_default(&cfg);
    cfg.bitrate_bps = 1000;
    assert_int_equal(opus_enc_create(&cfg, &e), -EINVAL);
    opus_enc_cfg_default(&cfg);
    cfg.complexity = 11;
    assert_int_equal(opus_enc_create(&cfg, &e), -EINVAL);
    opus_enc_cfg_default(&cfg);
    assert_int_equal(opus_enc_create(&cfg, &e), 0);
    assert_int_equal(opus_enc_channels(e), 1);
    int16_t pcm[FRAME] = {0};
    uint8_t out[OPUS_ENC_MAX_PACKET];
    size_t len;
    assert_int_equal(opus_enc_encode(e, pcm, out, 0, &len), -ENOSPC);
    /* A one-byte budget gives a TOC-only packet. */
    assert_int_equal(opus_enc_encode(e, pcm, out, 1, &len), 0);
    assert_int_equal(len, 1);
    assert_int_equal(opus_enc_encode(e, NULL, out, sizeof(out), &len), -EINVAL);
    assert_int_equal(opus_enc_encode(e, pcm, out, sizeof(out), &len), 0);
    opus_enc_destroy(e);
    opus_enc_destroy(NULL);

    struct opus_dec *d;
    assert_int_equal(opus_dec_create(0, &d), -EINVAL);
    assert_int_equal(opus_dec_create(1, &d), 0);
    size_t n;
    /* RFC 6716 §3.2.5: code 3 with a frame count of 0 is invalid. */
    const uint8_t code3_zero[] = {0x03, 0x00};
    assert_int_equal(opus_dec_decode(d, code3_zero, sizeof(code3_zero), pcm, FRAME, &n), -EBADMSG);
    /* Code 1 (two equal frames) with an odd payload length (§3.2.3). */
    const uint8_t code1_odd[] = {0x01, 0xAA, 0xBB, 0xCC};
    assert_int_equal(opus_dec_decode(d, code1_odd, sizeof(code1_odd), pcm, FRAME, &n), -EBADMSG);
    assert_int_equal(opus_dec_decode(d, out, len, pcm, FRAME / 2, &n), -ENOSPC);
    assert_int_equal(opus_dec_decode(d, NULL, 0, pcm, FRAME / 2, &n), -ENOSPC);
    assert_int_equal(opus_dec_decode(d, out, 0, pcm, FRAME, &n), -EINVAL);
    assert_int_equal(opus_dec_decode_fec(d, NULL, 0, pcm, FRAME, &n), -EINVAL);
    assert_int_equal(opus_dec_decode(d, out, len, pcm, FRAME, &n), 0);
    assert_int_equal(n, FRAME);
    opus_dec_destroy(d);
    opus_dec_destroy(NULL);
}

static void test_create_allocation_failure(void **state)
{
    (void)state;
    long live = mem_live_count();
    struct opus_enc_cfg cfg;
    opus_enc_cfg_default(&cfg);
    cfg.channels = 2;
    cfg.fec = true;
    for (unsigned long nth = 1;; nth++) {
        struct opus_enc *e = NULL;
        mem_fail_nth(nth);
        int rc = opus_enc_create(&cfg, &e);
        mem_fail_nth(0);
        if (rc == 0) {
            assert_int_equal(nth, 3); /* the struct and libopus's state */
            opus_enc_destroy(e);
            break;
        }
        assert_int_equal(rc, -ENOMEM);
        assert_null(e);
        assert_int_equal(mem_live_count(), live);
    }
    for (unsigned long nth = 1;; nth++) {
        struct opus_dec *d = NULL;
        mem_fail_nth(nth);
        int rc = opus_dec_create(2, &d);
        mem_fail_nth(0);
        if (rc == 0) {
            assert_int_equal(nth, 3);
            opus_dec_destroy(d);
            break;
        }
        assert_int_equal(rc, -ENOMEM);
        assert_null(d);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(mem_live_count(), live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tone_round_trip),
        cmocka_unit_test(test_stereo_round_trip),
        cmocka_unit_test(test_plc_conceals_a_lost_frame),
        cmocka_unit_test(test_fec_recovers_what_plc_cannot),
        cmocka_unit_test(test_dtx_shrinks_silence),
        cmocka_unit_test(test_bitrate_follows_setting),
        cmocka_unit_test(test_bad_arguments_and_packets),
        cmocka_unit_test(test_create_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
