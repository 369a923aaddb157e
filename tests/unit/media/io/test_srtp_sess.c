#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/io/srtp_sess.h"

/* Reference packets of libsrtp's srtp_driver (srtp_validate and
 * srtp_validate_gcm): SSRC 0xcafebabe, seq 0x1234, 16 bytes of 0xab. */
static const uint8_t kat_cm_key[30] = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f,
                                       0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39, 0x0e, 0xc6, 0x75, 0xad,
                                       0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};
static const uint8_t kat_gcm_key[28] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                        0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0xa0, 0xa1, 0xa2, 0xa3,
                                        0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
static const uint8_t kat_rtp[28] = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe,
                                    0xba, 0xbe, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
                                    0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab};
static const uint8_t kat_rtcp[24] = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe,
                                     0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
                                     0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab};
static const uint8_t kat_cm_srtp[38] = {0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe,
                                        0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c, 0xe7, 0x99, 0x78, 0xd8,
                                        0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d,
                                        0x6a, 0xcc, 0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb};
static const uint8_t kat_cm_srtcp[38] = {0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0x71, 0x28,
                                         0x03, 0x5b, 0xe4, 0x87, 0xb9, 0xbd, 0xbe, 0xf8, 0x90, 0x41,
                                         0xf9, 0x77, 0xa5, 0xa8, 0x80, 0x00, 0x00, 0x01, 0x99, 0x3e,
                                         0x08, 0xcd, 0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98};
static const uint8_t kat_gcm_srtp[44] = {
    0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0xc5, 0x00, 0x2e,
    0xde, 0x04, 0xcf, 0xdd, 0x2e, 0xb9, 0x11, 0x59, 0xe0, 0x88, 0x0a, 0xa0, 0x6e, 0xd2, 0x97,
    0x68, 0x26, 0xf7, 0x96, 0xb2, 0x01, 0xdf, 0x31, 0x31, 0xa1, 0x27, 0xe8, 0xa3, 0x92};
static const uint8_t kat_gcm_srtcp[44] = {
    0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0xc9, 0x8b, 0x8b, 0x5d, 0xf0, 0x39, 0x2a,
    0x55, 0x85, 0x2b, 0x6c, 0x21, 0xac, 0x8e, 0x70, 0x25, 0xc5, 0x2c, 0x6f, 0xbe, 0xa2, 0xb3,
    0xb4, 0x46, 0xea, 0x31, 0x12, 0x3b, 0xa8, 0x8c, 0xe6, 0x1e, 0x80, 0x00, 0x00, 0x01};

static const uint16_t profiles[] = {DTLS_SRTP_AES128_CM_SHA1_80, DTLS_SRTP_AEAD_AES_128_GCM};

/* Keys of two ends of one transport: a's local key is b's remote key. */
static void make_keys(uint16_t profile, const uint8_t *a_master, const uint8_t *b_master,
                      struct dtls_srtp_keys *a, struct dtls_srtp_keys *b)
{
    size_t salt = profile == DTLS_SRTP_AEAD_AES_128_GCM ? 12 : 14;
    memset(a, 0, sizeof *a);
    a->profile = profile;
    a->key_len = 16;
    a->salt_len = salt;
    memcpy(a->local_key, a_master, 16);
    memcpy(a->local_salt, a_master + 16, salt);
    memcpy(a->remote_key, b_master, 16);
    memcpy(a->remote_salt, b_master + 16, salt);
    *b = *a;
    memcpy(b->local_key, a->remote_key, 16);
    memcpy(b->local_salt, a->remote_salt, salt);
    memcpy(b->remote_key, a->local_key, 16);
    memcpy(b->remote_salt, a->local_salt, salt);
}

struct ends {
    struct srtp_sess *a;
    struct srtp_sess *b;
};

static void ends_open(struct ends *e, uint16_t profile)
{
    uint8_t ma[30], mb[30];
    for (int i = 0; i < 30; i++) {
        ma[i] = (uint8_t)(i * 7 + 1);
        mb[i] = (uint8_t)(i * 13 + 5);
    }
    struct dtls_srtp_keys ka, kb;
    make_keys(profile, ma, mb, &ka, &kb);
    assert_int_equal(srtp_sess_create(&e->a, &ka), 0);
    assert_int_equal(srtp_sess_create(&e->b, &kb), 0);
}

static void ends_close(struct ends *e)
{
    srtp_sess_free(e->a);
    srtp_sess_free(e->b);
}

/* An RTP packet (RFC 3550 §5.1), payload type 96, into buf; returns length. */
static size_t make_rtp(uint8_t *buf, uint16_t seq, uint32_t ssrc, size_t payload)
{
    buf[0] = 0x80;
    buf[1] = 96;
    buf[2] = (uint8_t)(seq >> 8);
    buf[3] = (uint8_t)seq;
    uint32_t ts = seq * 3000u;
    for (int i = 0; i < 4; i++) {
        buf[4 + i] = (uint8_t)(ts >> (24 - 8 * i));
        buf[8 + i] = (uint8_t)(ssrc >> (24 - 8 * i));
    }
    for (size_t i = 0; i < payload; i++)
        buf[12 + i] = (uint8_t)(i + seq);
    return 12 + payload;
}

/* An RTCP receiver report without report blocks (RFC 3550 §6.4.2). */
static size_t make_rtcp_rr(uint8_t *buf, uint32_t ssrc)
{
    const uint8_t rr[8] = {
        0x80,         201, 0, 1, (uint8_t)(ssrc >> 24), (uint8_t)(ssrc >> 16), (uint8_t)(ssrc >> 8),
        (uint8_t)ssrc};
    memcpy(buf, rr, sizeof rr);
    return sizeof rr;
}

static void check_kat(uint16_t profile, const uint8_t *master, const uint8_t *srtp, size_t srtp_len,
                      const uint8_t *srtcp, size_t srtcp_len)
{
    struct dtls_srtp_keys tx, rx;
    make_keys(profile, master, master, &tx, &rx);
    struct srtp_sess *s = NULL, *r = NULL;
    assert_int_equal(srtp_sess_create(&s, &tx), 0);
    assert_int_equal(srtp_sess_create(&r, &rx), 0);
    _Alignas(4) uint8_t buf[64];
    size_t n = 0;
    memcpy(buf, kat_rtp, sizeof kat_rtp);
    assert_int_equal(srtp_sess_protect_rtp(s, buf, sizeof kat_rtp, sizeof buf, &n), 0);
    assert_int_equal(n, srtp_len);
    assert_memory_equal(buf, srtp, srtp_len);
    memcpy(buf, kat_rtcp, sizeof kat_rtcp);
    assert_int_equal(srtp_sess_protect_rtcp(s, buf, sizeof kat_rtcp, sizeof buf, &n), 0);
    assert_int_equal(n, srtcp_len);
    assert_memory_equal(buf, srtcp, srtcp_len);
    memcpy(buf, srtp, srtp_len);
    assert_int_equal(srtp_sess_unprotect_rtp(r, buf, srtp_len, &n), 0);
    assert_int_equal(n, sizeof kat_rtp);
    assert_memory_equal(buf, kat_rtp, n);
    memcpy(buf, srtcp, srtcp_len);
    assert_int_equal(srtp_sess_unprotect_rtcp(r, buf, srtcp_len, &n), 0);
    assert_int_equal(n, sizeof kat_rtcp);
    assert_memory_equal(buf, kat_rtcp, n);
    srtp_sess_free(s);
    srtp_sess_free(r);
}

static void test_known_answer_aes_cm(void **state)
{
    (void)state;
    check_kat(DTLS_SRTP_AES128_CM_SHA1_80, kat_cm_key, kat_cm_srtp, sizeof kat_cm_srtp,
              kat_cm_srtcp, sizeof kat_cm_srtcp);
}

static void test_known_answer_aead_gcm(void **state)
{
    (void)state;
    check_kat(DTLS_SRTP_AEAD_AES_128_GCM, kat_gcm_key, kat_gcm_srtp, sizeof kat_gcm_srtp,
              kat_gcm_srtcp, sizeof kat_gcm_srtcp);
}

/* Round trip with a buffer exactly as large as needed (heap, so a sanitizer
 * build catches a write past the trailer). */
static void round_trip(struct ends *e, size_t payload, size_t rtp_tag, size_t rtcp_tag)
{
    static uint16_t next_seq = 100;
    assert_int_equal(srtp_sess_rtp_overhead(e->a), rtp_tag);
    assert_int_equal(srtp_sess_rtcp_overhead(e->a), rtcp_tag);
    for (int i = 0; i < 10; i++) {
        uint16_t seq = next_seq++;
        uint8_t plain[1500];
        size_t len = make_rtp(plain, seq, 0x11223344, payload);
        uint8_t *buf = malloc(len + rtp_tag);
        memcpy(buf, plain, len);
        size_t n = 0;
        assert_int_equal(srtp_sess_protect_rtp(e->a, buf, len, len + rtp_tag, &n), 0);
        assert_int_equal(n, len + rtp_tag);
        assert_memory_equal(buf, plain, 12); /* header stays clear */
        if (payload)
            assert_memory_not_equal(buf + 12, plain + 12, payload);
        assert_int_equal(srtp_sess_unprotect_rtp(e->b, buf, n, &n), 0);
        assert_int_equal(n, len);
        assert_memory_equal(buf, plain, len);
        free(buf);
    }
    uint8_t plain[8];
    size_t len = make_rtcp_rr(plain, 0x55667788);
    uint8_t *buf = malloc(len + rtcp_tag);
    memcpy(buf, plain, len);
    size_t n = 0;
    assert_int_equal(srtp_sess_protect_rtcp(e->b, buf, len, len + rtcp_tag, &n), 0);
    assert_int_equal(n, len + rtcp_tag);
    assert_int_equal(srtp_sess_unprotect_rtcp(e->a, buf, n, &n), 0);
    assert_int_equal(n, len);
    assert_memory_equal(buf, plain, len);
    free(buf);
}

static void test_round_trip_both_profiles_and_sizes(void **state)
{
    (void)state;
    const size_t rtp_tag[] = {10, 16}, rtcp_tag[] = {14, 20};
    for (size_t i = 0; i < 2; i++) {
        struct ends e;
        ends_open(&e, profiles[i]);
        round_trip(&e, 1200, rtp_tag[i], rtcp_tag[i]);
        round_trip(&e, 100, rtp_tag[i], rtcp_tag[i]);
        round_trip(&e, 0, rtp_tag[i], rtcp_tag[i]);
        struct srtp_sess_stats st;
        srtp_sess_stats(e.b, &st);
        assert_int_equal(st.rtp_unprotected, 30);
        assert_int_equal(st.rtcp_protected, 3);
        assert_int_equal(st.rx_auth_fail + st.rx_replay + st.rx_bad + st.tx_fail, 0);
        ends_close(&e);
    }
}

/* A second SSRC gets its own stream (ssrc_any_*), both directions at once. */
static void test_streams_added_per_ssrc(void **state)
{
    (void)state;
    struct ends e;
    ends_open(&e, DTLS_SRTP_AEAD_AES_128_GCM);
    _Alignas(4) uint8_t buf[256];
    for (uint32_t ssrc = 1; ssrc <= 5; ssrc++) {
        size_t n = make_rtp(buf, 7, ssrc, 40), m = 0;
        assert_int_equal(srtp_sess_protect_rtp(e.b, buf, n, sizeof buf, &m), 0);
        assert_int_equal(srtp_sess_unprotect_rtp(e.a, buf, m, &m), 0);
        assert_int_equal(m, n);
    }
    ends_close(&e);
}

static void test_tampered_packet_fails_auth(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        struct ends e;
        ends_open(&e, profiles[i]);
        _Alignas(4) uint8_t buf[256];
        size_t n = make_rtp(buf, 1, 0xabc, 100), m = 0;
        assert_int_equal(srtp_sess_protect_rtp(e.a, buf, n, sizeof buf, &m), 0);
        uint8_t copy[256];
        size_t rtp_len = m;
        memcpy(copy, buf, m);
        buf[40] ^= 0x01; /* payload */
        assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, m, &n), -EBADMSG);
        memcpy(buf, copy, m);
        buf[m - 1] ^= 0x80; /* tag */
        assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, m, &n), -EBADMSG);
        memcpy(buf, copy, m);
        buf[3] ^= 0x01; /* header: sequence number */
        assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, m, &n), -EBADMSG);
        /* RTCP too. */
        n = make_rtcp_rr(buf, 0xabc);
        assert_int_equal(srtp_sess_protect_rtcp(e.a, buf, n, sizeof buf, &m), 0);
        buf[5] ^= 0x10;
        assert_int_equal(srtp_sess_unprotect_rtcp(e.b, buf, m, &n), -EBADMSG);
        struct srtp_sess_stats st;
        srtp_sess_stats(e.b, &st);
        assert_int_equal(st.rx_auth_fail, 4);
        assert_int_equal(st.rx_replay, 0);
        assert_int_equal(st.rtp_unprotected, 0);
        /* The untouched packet still authenticates. */
        memcpy(buf, copy, rtp_len);
        assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, rtp_len, &n), 0);
        ends_close(&e);
    }
}

static void test_replayed_packet_is_rejected(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        struct ends e;
        ends_open(&e, profiles[i]);
        _Alignas(4) uint8_t buf[256], copy[256];
        size_t n = make_rtp(buf, 500, 0xabc, 60), m = 0, k = 0;
        assert_int_equal(srtp_sess_protect_rtp(e.a, buf, n, sizeof buf, &m), 0);
        memcpy(copy, buf, m);
        assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, m, &k), 0);
        memcpy(buf, copy, m);
        assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, m, &k), -EBADMSG);
        n = make_rtcp_rr(buf, 0xabc);
        assert_int_equal(srtp_sess_protect_rtcp(e.a, buf, n, sizeof buf, &m), 0);
        memcpy(copy, buf, m);
        assert_int_equal(srtp_sess_unprotect_rtcp(e.b, buf, m, &k), 0);
        memcpy(buf, copy, m);
        assert_int_equal(srtp_sess_unprotect_rtcp(e.b, buf, m, &k), -EBADMSG);
        struct srtp_sess_stats st;
        srtp_sess_stats(e.b, &st);
        assert_int_equal(st.rx_replay, 2);
        assert_int_equal(st.rx_auth_fail, 0);
        ends_close(&e);
    }
}

/* The replay window is 128 packets: late by less is fine, by more is not. */
static void test_replay_window(void **state)
{
    (void)state;
    struct ends e;
    ends_open(&e, DTLS_SRTP_AES128_CM_SHA1_80);
    _Alignas(4) uint8_t pkts[200][64];
    size_t lens[200];
    for (uint16_t i = 0; i < 200; i++) {
        size_t n = make_rtp(pkts[i], (uint16_t)(1000 + i), 0x77, 20);
        assert_int_equal(srtp_sess_protect_rtp(e.a, pkts[i], n, sizeof pkts[i], &lens[i]), 0);
    }
    size_t n = 0;
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, pkts[0], lens[0], &n), 0);
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, pkts[199], lens[199], &n), 0);
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, pkts[100], lens[100], &n), 0); /* 99 late */
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, pkts[50], lens[50], &n), -EBADMSG);
    struct srtp_sess_stats st;
    srtp_sess_stats(e.b, &st);
    assert_int_equal(st.rx_replay, 1);
    ends_close(&e);
}

static void test_protect_errors(void **state)
{
    (void)state;
    struct ends e;
    ends_open(&e, DTLS_SRTP_AEAD_AES_128_GCM);
    _Alignas(4) uint8_t buf[256];
    size_t n = make_rtp(buf, 9, 0x42, 50), m = 0;
    assert_int_equal(srtp_sess_protect_rtp(e.a, buf, n, n + 15, &m), -ENOSPC);
    assert_int_equal(srtp_sess_protect_rtcp(e.a, buf, 8, 8 + 19, &m), -ENOSPC);
    assert_int_equal(srtp_sess_protect_rtp(e.a, buf, 11, sizeof buf, &m), -EBADMSG);
    assert_int_equal(srtp_sess_protect_rtcp(e.a, buf, 7, sizeof buf, &m), -EBADMSG);
    assert_int_equal(srtp_sess_protect_rtp(e.a, buf, n, n - 1, &m), -EINVAL);
    assert_int_equal(srtp_sess_protect_rtp(e.a, NULL, n, sizeof buf, &m), -EINVAL);
    assert_int_equal(srtp_sess_protect_rtp(e.a, buf, n, n + 16, &m), 0);
    /* A resend of the same packet (NACK without RTX) is allowed and gives
     * the same bytes as the first time. */
    _Alignas(4) uint8_t again[256];
    size_t m2 = 0;
    memcpy(again, buf, m);
    n = make_rtp(again, 9, 0x42, 50);
    assert_int_equal(srtp_sess_protect_rtp(e.a, again, n, sizeof again, &m2), 0);
    assert_int_equal(m2, m);
    assert_memory_equal(again, buf, m);
    struct srtp_sess_stats st;
    srtp_sess_stats(e.a, &st);
    assert_int_equal(st.tx_fail, 4);
    assert_int_equal(st.rtp_protected, 2);
    ends_close(&e);
}

static void test_unprotect_malformed(void **state)
{
    (void)state;
    struct ends e;
    ends_open(&e, DTLS_SRTP_AES128_CM_SHA1_80);
    _Alignas(4) uint8_t buf[64] = {0x80, 96};
    size_t n = 0;
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, 11, &n), -EBADMSG);
    assert_int_equal(srtp_sess_unprotect_rtcp(e.b, buf, 7, &n), -EBADMSG);
    /* A header that claims 15 CSRCs the packet does not hold. */
    buf[0] = 0x8f;
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, 30, &n), -EBADMSG);
    /* An extension header whose length runs past the end. */
    buf[0] = 0x90;
    buf[12] = 0xbe;
    buf[13] = 0xde;
    buf[14] = 0x00;
    buf[15] = 0x40;
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, buf, 40, &n), -EBADMSG);
    /* SRTCP shorter than header + index + tag. */
    buf[0] = 0x80;
    buf[1] = 201;
    assert_int_equal(srtp_sess_unprotect_rtcp(e.b, buf, 12, &n), -EBADMSG);
    assert_int_equal(srtp_sess_unprotect_rtp(e.b, NULL, 12, &n), -EINVAL);
    struct srtp_sess_stats st;
    srtp_sess_stats(e.b, &st);
    assert_int_equal(st.rx_bad + st.rx_auth_fail, 5);
    ends_close(&e);
}

/* Keys that do not belong together never authenticate. */
static void test_wrong_key_fails(void **state)
{
    (void)state;
    struct ends e1, e2;
    ends_open(&e1, DTLS_SRTP_AES128_CM_SHA1_80);
    uint8_t ma[30], mb[30];
    memset(ma, 1, sizeof ma);
    memset(mb, 2, sizeof mb);
    struct dtls_srtp_keys ka, kb;
    make_keys(DTLS_SRTP_AES128_CM_SHA1_80, ma, mb, &ka, &kb);
    assert_int_equal(srtp_sess_create(&e2.b, &kb), 0);
    _Alignas(4) uint8_t buf[128];
    size_t n = make_rtp(buf, 3, 9, 30), m = 0;
    assert_int_equal(srtp_sess_protect_rtp(e1.a, buf, n, sizeof buf, &m), 0);
    assert_int_equal(srtp_sess_unprotect_rtp(e2.b, buf, m, &n), -EBADMSG);
    struct srtp_sess_stats st;
    srtp_sess_stats(e2.b, &st);
    assert_int_equal(st.rx_auth_fail, 1);
    srtp_sess_free(e2.b);
    ends_close(&e1);
}

static void test_create_rejects_bad_keys(void **state)
{
    (void)state;
    struct dtls_srtp_keys k = {
        .profile = DTLS_SRTP_AES128_CM_SHA1_80, .key_len = 16, .salt_len = 12};
    struct srtp_sess *s = NULL;
    assert_int_equal(srtp_sess_create(&s, &k), -EINVAL);
    k.profile = DTLS_SRTP_AEAD_AES_128_GCM;
    k.salt_len = 14;
    assert_int_equal(srtp_sess_create(&s, &k), -EINVAL);
    k.profile = 0x0002; /* SRTP_AES128_CM_SHA1_32: not negotiated by us */
    assert_int_equal(srtp_sess_create(&s, &k), -EINVAL);
    assert_int_equal(srtp_sess_create(&s, NULL), -EINVAL);
    assert_null(s);
    long live = mem_live_count();
    k.profile = DTLS_SRTP_AEAD_AES_128_GCM;
    k.salt_len = 12;
    mem_fail_nth(1);
    assert_int_equal(srtp_sess_create(&s, &k), -ENOMEM);
    mem_fail_nth(0);
    assert_int_equal(mem_live_count(), live);
}

/* Keys exported by a real DTLS handshake protect traffic both ways. */
static void handshake_keys(const char *server_profiles, struct dtls_srtp_keys *ck,
                           struct dtls_srtp_keys *sk)
{
    struct dtls_cert *cc = NULL, *sc = NULL;
    assert_int_equal(dtls_cert_create(&cc), 0);
    assert_int_equal(dtls_cert_create(&sc), 0);
    struct dtls_config ccfg = {
        .role = DTLS_ROLE_CLIENT, .cert = cc, .remote_fp = *dtls_cert_fp(sc)};
    struct dtls_config scfg = {.role = DTLS_ROLE_SERVER,
                               .cert = sc,
                               .remote_fp = *dtls_cert_fp(cc),
                               .srtp_profiles = server_profiles};
    struct dtls *c = NULL, *s = NULL;
    assert_int_equal(dtls_create(&c, &ccfg), 0);
    assert_int_equal(dtls_create(&s, &scfg), 0);
    assert_int_equal(dtls_start(c, 0), 0);
    uint8_t buf[1500];
    size_t n = 0;
    for (int round = 0; round < 10; round++) {
        while (dtls_poll_transmit(c, buf, sizeof buf, &n) == 1)
            assert_int_equal(dtls_handle_input(s, buf, n, round), 0);
        while (dtls_poll_transmit(s, buf, sizeof buf, &n) == 1)
            assert_int_equal(dtls_handle_input(c, buf, n, round), 0);
    }
    assert_int_equal(dtls_srtp_keys(c, ck), 0);
    assert_int_equal(dtls_srtp_keys(s, sk), 0);
    dtls_free(c);
    dtls_free(s);
    dtls_cert_free(cc);
    dtls_cert_free(sc);
}

static void test_keys_from_dtls(void **state)
{
    (void)state;
    const char *server_profiles[] = {"SRTP_AES128_CM_SHA1_80", "SRTP_AEAD_AES_128_GCM"};
    const size_t tag[] = {10, 16};
    for (size_t i = 0; i < 2; i++) {
        struct dtls_srtp_keys ck, sk;
        handshake_keys(server_profiles[i], &ck, &sk);
        assert_int_equal(ck.profile, profiles[i]);
        struct ends e;
        assert_int_equal(srtp_sess_create(&e.a, &ck), 0);
        assert_int_equal(srtp_sess_create(&e.b, &sk), 0);
        round_trip(&e, 1200, tag[i], tag[i] + 4);
        /* and the other way */
        struct ends r = {.a = e.b, .b = e.a};
        round_trip(&r, 100, tag[i], tag[i] + 4);
        ends_close(&e);
    }
}

static void test_version_and_backend(void **state)
{
    (void)state;
    assert_non_null(strstr(srtp_sess_version(), "2."));
    const char *b = srtp_sess_backend();
    assert_true(!strcmp(b, "openssl") || !strcmp(b, "nss") || !strcmp(b, "builtin"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answer_aes_cm),
        cmocka_unit_test(test_known_answer_aead_gcm),
        cmocka_unit_test(test_round_trip_both_profiles_and_sizes),
        cmocka_unit_test(test_streams_added_per_ssrc),
        cmocka_unit_test(test_tampered_packet_fails_auth),
        cmocka_unit_test(test_replayed_packet_is_rejected),
        cmocka_unit_test(test_replay_window),
        cmocka_unit_test(test_protect_errors),
        cmocka_unit_test(test_unprotect_malformed),
        cmocka_unit_test(test_wrong_key_fails),
        cmocka_unit_test(test_create_rejects_bad_keys),
        cmocka_unit_test(test_keys_from_dtls),
        cmocka_unit_test(test_version_and_backend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
