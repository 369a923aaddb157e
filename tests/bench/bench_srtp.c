/* bench_srtp — cost of SRTP protect and unprotect per RTP packet through
 * srtp_sess (libsrtp2), for both DTLS-SRTP profiles and two payload sizes:
 * 1200 bytes (a full video packet) and 100 bytes (an Opus frame). Prints one
 * line per figure; never fails on timing. BENCH_SRTP_ITERS overrides the
 * number of packets per figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media/io/srtp_sess.h"

#define BATCH 1024
#define PKT_CAP 1280

struct profile {
    uint16_t id;
    const char *name;
    size_t salt_len;
};

static const struct profile profiles[] = {
    {DTLS_SRTP_AES128_CM_SHA1_80, "AES_CM_128_HMAC_SHA1_80", 14},
    {DTLS_SRTP_AEAD_AES_128_GCM, "AEAD_AES_128_GCM", 12},
};

static _Alignas(16) uint8_t batch[BATCH][PKT_CAP];
static size_t batch_len[BATCH];

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static size_t write_rtp(uint8_t *p, uint16_t seq, size_t payload)
{
    static const uint8_t hdr[12] = {0x80, 96, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78};
    memcpy(p, hdr, sizeof hdr);
    p[2] = (uint8_t)(seq >> 8);
    p[3] = (uint8_t)seq;
    p[7] = (uint8_t)seq; /* timestamp, low byte */
    memset(p + 12, 0x5a, payload);
    return 12 + payload;
}

static int open_pair(const struct profile *pr, struct srtp_sess **tx, struct srtp_sess **rx)
{
    struct dtls_srtp_keys a = {.profile = pr->id, .key_len = 16, .salt_len = pr->salt_len};
    for (size_t i = 0; i < 16; i++) {
        a.local_key[i] = (uint8_t)(i * 11 + 3);
        a.remote_key[i] = (uint8_t)(i * 5 + 9);
    }
    for (size_t i = 0; i < pr->salt_len; i++) {
        a.local_salt[i] = (uint8_t)(i * 17 + 1);
        a.remote_salt[i] = (uint8_t)(i * 3 + 7);
    }
    struct dtls_srtp_keys b = a;
    memcpy(b.local_key, a.remote_key, 16);
    memcpy(b.remote_key, a.local_key, 16);
    memcpy(b.local_salt, a.remote_salt, pr->salt_len);
    memcpy(b.remote_salt, a.local_salt, pr->salt_len);
    if (srtp_sess_create(tx, &a) != 0)
        return -1;
    if (srtp_sess_create(rx, &b) != 0) {
        srtp_sess_free(*tx);
        return -1;
    }
    return 0;
}

/* Protects `iters` packets in one buffer: each iteration rewrites the header
 * with a fresh sequence number and protects the (already scrambled) payload
 * again, so no copy is timed. */
static double bench_protect(struct srtp_sess *tx, size_t payload, long iters, uint16_t *seq)
{
    static _Alignas(16) uint8_t buf[PKT_CAP];
    size_t len = write_rtp(buf, *seq, payload), out = 0;
    int64_t t0 = now_ns();
    for (long i = 0; i < iters; i++) {
        buf[2] = (uint8_t)(*seq >> 8);
        buf[3] = (uint8_t)*seq;
        (*seq)++;
        if (srtp_sess_protect_rtp(tx, buf, len, sizeof buf, &out) != 0)
            return -1;
    }
    return (double)(now_ns() - t0) / (double)iters;
}

/* Protects a batch untimed, then times unprotecting it; repeated. */
static double bench_unprotect(struct srtp_sess *tx, struct srtp_sess *rx, size_t payload,
                              long iters, uint16_t *seq)
{
    int64_t timed = 0;
    long done = 0;
    while (done < iters) {
        long k = iters - done < BATCH ? iters - done : BATCH;
        for (long i = 0; i < k; i++) {
            size_t len = write_rtp(batch[i], (*seq)++, payload);
            if (srtp_sess_protect_rtp(tx, batch[i], len, PKT_CAP, &batch_len[i]) != 0)
                return -1;
        }
        int64_t t0 = now_ns();
        for (long i = 0; i < k; i++) {
            size_t out = 0;
            if (srtp_sess_unprotect_rtp(rx, batch[i], batch_len[i], &out) != 0)
                return -1;
        }
        timed += now_ns() - t0;
        done += k;
    }
    return (double)timed / (double)iters;
}

int main(void)
{
    long iters = 20000;
    const char *env = getenv("BENCH_SRTP_ITERS");
    if (env && atol(env) > 0)
        iters = atol(env);
    printf("libsrtp: %s, crypto backend: %s\n", srtp_sess_version(), srtp_sess_backend());
    static const size_t payloads[] = {1200, 100};
    for (size_t p = 0; p < sizeof profiles / sizeof profiles[0]; p++) {
        for (size_t s = 0; s < 2; s++) {
            struct srtp_sess *tx = NULL, *rx = NULL;
            if (open_pair(&profiles[p], &tx, &rx) != 0) {
                fprintf(stderr, "bench_srtp: cannot create sessions\n");
                return 1;
            }
            uint16_t tx_seq = 1, seq = 1;
            double prot = bench_protect(tx, payloads[s], iters, &tx_seq);
            srtp_sess_free(tx);
            srtp_sess_free(rx);
            if (open_pair(&profiles[p], &tx, &rx) != 0)
                return 1;
            double unprot = bench_unprotect(tx, rx, payloads[s], iters, &seq);
            srtp_sess_free(tx);
            srtp_sess_free(rx);
            if (prot < 0 || unprot < 0) {
                fprintf(stderr, "bench_srtp: protect/unprotect failed\n");
                return 1;
            }
            printf("srtp protect   %-24s payload %4zu: %8.0f ns/packet\n", profiles[p].name,
                   payloads[s], prot);
            printf("srtp unprotect %-24s payload %4zu: %8.0f ns/packet\n", profiles[p].name,
                   payloads[s], unprot);
        }
    }
    printf("(%ld packets per figure, CLOCK_MONOTONIC)\n", iters);
    return 0;
}
