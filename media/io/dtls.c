#include "media/io/dtls.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>

#include "media/core/mem.h"
#include "media/io/dtls_bio.h"

#define RTO_MAX_US 60000000u /* RFC 6347 §4.2.4.1 */
#define EXPORTER_LABEL "EXTRACTOR-dtls_srtp"

struct dtls {
    enum dtls_role role;
    enum dtls_state state;
    enum dtls_failure failure;
    SSL_CTX *ctx;
    SSL *ssl;
    BIO *rbio; /* owned by ssl */
    struct dtls_bio out;
    struct dtls_cert_fp remote_fp;
    unsigned int rto_initial_us;
    bool fp_mismatch; /* set by the verify callback */
    int64_t now_us;   /* last time we were given */
    struct dtls_srtp_keys keys;
    struct dtls_stats stats;
    char error[160];
};

static int fail(struct dtls *d, enum dtls_failure why, const char *msg)
{
    if (d->fp_mismatch)
        why = DTLS_FAIL_FINGERPRINT;
    if (why == DTLS_FAIL_FINGERPRINT)
        msg = "peer certificate does not match the SDP fingerprint";
    char ossl[120] = "";
    if (!msg) {
        unsigned long e = ERR_peek_last_error();
        if (e)
            ERR_error_string_n(e, ossl, sizeof ossl);
        msg = ossl;
    }
    snprintf(d->error, sizeof d->error, "dtls: %s", *msg ? msg : "handshake failed");
    ERR_clear_error();
    d->state = DTLS_STATE_FAILED;
    d->failure = why;
    return -EPROTO;
}

/* Accept any chain and any validity dates; only the leaf's digest counts. */
static int verify_cb(int preverify_ok, X509_STORE_CTX *store)
{
    (void)preverify_ok;
    if (X509_STORE_CTX_get_error_depth(store) > 0)
        return 1;
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct dtls *d = ssl ? SSL_get_app_data(ssl) : NULL;
    struct dtls_cert_fp fp;
    if (!d || dtls_cert_fp_of_x509(X509_STORE_CTX_get_current_cert(store), &fp) != 0)
        return 0;
    if (!dtls_cert_fp_equal(&fp, &d->remote_fp)) {
        d->fp_mismatch = true;
        X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
        return 0;
    }
    return 1;
}

/* OpenSSL asks for the first timeout of a flight with 0, then for the next
 * one with the current value. */
static unsigned int timer_cb(SSL *ssl, unsigned int timer_us)
{
    struct dtls *d = SSL_get_app_data(ssl);
    if (timer_us == 0)
        return d->rto_initial_us;
    return timer_us >= RTO_MAX_US / 2 ? RTO_MAX_US : timer_us * 2;
}

static int make_ctx(struct dtls *d, const struct dtls_cert *cert)
{
    d->ctx = SSL_CTX_new(DTLS_method());
    if (!d->ctx)
        return -ENOMEM;
    if (!SSL_CTX_set_min_proto_version(d->ctx, DTLS1_2_VERSION) ||
        !SSL_CTX_set_max_proto_version(d->ctx, DTLS1_2_VERSION) ||
        SSL_CTX_use_certificate(d->ctx, dtls_cert_x509(cert)) != 1 ||
        SSL_CTX_use_PrivateKey(d->ctx, dtls_cert_key(cert)) != 1)
        return -ENOMEM;
    SSL_CTX_set_verify(d->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
    SSL_CTX_set_session_cache_mode(d->ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(d->ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_QUERY_MTU);
    return 0;
}

static int make_ssl(struct dtls *d, const struct dtls_config *cfg)
{
    d->ssl = SSL_new(d->ctx);
    d->rbio = BIO_new(BIO_s_mem());
    if (!d->ssl || !d->rbio) {
        BIO_free(d->rbio);
        d->rbio = NULL;
        return -ENOMEM;
    }
    BIO_set_mem_eof_return(d->rbio, -1); /* empty means "retry", not EOF */
    SSL_set_bio(d->ssl, d->rbio, d->out.bio);
    d->out.bio = NULL;
    SSL_set_app_data(d->ssl, d);
    DTLS_set_timer_cb(d->ssl, timer_cb);
    size_t mtu = cfg->mtu ? cfg->mtu : DTLS_MTU_DEFAULT;
    if (mtu > 65507 || !SSL_set_mtu(d->ssl, (long)mtu))
        return -EINVAL;
    const char *profiles = cfg->srtp_profiles ? cfg->srtp_profiles : DTLS_SRTP_PROFILES_DEFAULT;
    if (SSL_set_tlsext_use_srtp(d->ssl, profiles) != 0) /* 0 is success here */
        return -EINVAL;
    if (cfg->role == DTLS_ROLE_CLIENT)
        SSL_set_connect_state(d->ssl);
    else
        SSL_set_accept_state(d->ssl);
    return 0;
}

int dtls_create(struct dtls **out, const struct dtls_config *cfg)
{
    if (!out || !cfg || !cfg->cert ||
        (cfg->role != DTLS_ROLE_CLIENT && cfg->role != DTLS_ROLE_SERVER) ||
        cfg->rto_initial_us < 0 || cfg->rto_initial_us > RTO_MAX_US)
        return -EINVAL;
    struct dtls *d = mem_zalloc(sizeof *d);
    if (!d)
        return -ENOMEM;
    d->role = cfg->role;
    d->remote_fp = cfg->remote_fp;
    d->rto_initial_us =
        cfg->rto_initial_us ? (unsigned int)cfg->rto_initial_us : DTLS_RTO_INITIAL_US_DEFAULT;
    ERR_clear_error();
    int err = dtls_bio_init(&d->out);
    if (!err)
        err = make_ctx(d, cfg->cert);
    if (!err)
        err = make_ssl(d, cfg);
    ERR_clear_error();
    if (err) {
        dtls_free(d);
        return err;
    }
    *out = d;
    return 0;
}

void dtls_free(struct dtls *d)
{
    if (!d)
        return;
    SSL_free(d->ssl);     /* frees both BIOs */
    BIO_free(d->out.bio); /* only if never handed to the SSL */
    SSL_CTX_free(d->ctx);
    dtls_bio_fini(&d->out);
    OPENSSL_cleanse(&d->keys, sizeof d->keys);
    mem_free(d);
}

/* RFC 5764 §4.2: client key | server key | client salt | server salt. */
static int export_keys(struct dtls *d, uint16_t profile)
{
    struct dtls_srtp_keys *k = &d->keys;
    k->profile = profile;
    k->key_len = 16;
    k->salt_len = profile == DTLS_SRTP_AEAD_AES_128_GCM ? 12 : 14;
    uint8_t m[2 * (DTLS_SRTP_KEY_MAX + DTLS_SRTP_SALT_MAX)];
    size_t total = 2 * (k->key_len + k->salt_len);
    if (SSL_export_keying_material(d->ssl, m, total, EXPORTER_LABEL, strlen(EXPORTER_LABEL), NULL,
                                   0, 0) != 1)
        return fail(d, DTLS_FAIL_HANDSHAKE, "cannot export SRTP keying material");
    const uint8_t *client_key = m, *server_key = m + k->key_len;
    const uint8_t *client_salt = m + 2 * k->key_len;
    const uint8_t *server_salt = client_salt + k->salt_len;
    bool client = d->role == DTLS_ROLE_CLIENT;
    memcpy(k->local_key, client ? client_key : server_key, k->key_len);
    memcpy(k->remote_key, client ? server_key : client_key, k->key_len);
    memcpy(k->local_salt, client ? client_salt : server_salt, k->salt_len);
    memcpy(k->remote_salt, client ? server_salt : client_salt, k->salt_len);
    OPENSSL_cleanse(m, sizeof m);
    return 0;
}

static int on_handshake_done(struct dtls *d)
{
    struct dtls_cert_fp fp;
    X509 *peer = SSL_get0_peer_certificate(d->ssl);
    if (!peer || dtls_cert_fp_of_x509(peer, &fp) != 0 || !dtls_cert_fp_equal(&fp, &d->remote_fp)) {
        (void)SSL_shutdown(d->ssl);
        return fail(d, DTLS_FAIL_FINGERPRINT, NULL);
    }
    SRTP_PROTECTION_PROFILE *p = SSL_get_selected_srtp_profile(d->ssl);
    if (!p || (p->id != DTLS_SRTP_AES128_CM_SHA1_80 && p->id != DTLS_SRTP_AEAD_AES_128_GCM)) {
        (void)SSL_shutdown(d->ssl);
        return fail(d, DTLS_FAIL_NO_SRTP, "no supported DTLS-SRTP profile negotiated");
    }
    int err = export_keys(d, (uint16_t)p->id);
    if (err)
        return err;
    d->state = DTLS_STATE_CONNECTED;
    return 0;
}

static int step_handshake(struct dtls *d)
{
    int r = SSL_do_handshake(d->ssl);
    if (r == 1)
        return on_handshake_done(d);
    int e = SSL_get_error(d->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return 0;
    return fail(d, DTLS_FAIL_HANDSHAKE, NULL);
}

/* Connected: records are alerts (close_notify), a retransmitted final flight
 * of the peer (OpenSSL answers it), or application data nobody reads yet. */
static int read_records(struct dtls *d)
{
    uint8_t buf[512];
    for (;;) {
        int r = SSL_read(d->ssl, buf, sizeof buf);
        if (r > 0) {
            d->stats.rx_app_data++;
            continue;
        }
        int e = SSL_get_error(d->ssl, r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
            return 0;
        if (e == SSL_ERROR_ZERO_RETURN) { /* close_notify: answer it */
            (void)SSL_shutdown(d->ssl);
            ERR_clear_error();
            d->state = DTLS_STATE_CLOSED;
            return 0;
        }
        return fail(d, DTLS_FAIL_HANDSHAKE, NULL);
    }
}

int dtls_start(struct dtls *d, int64_t now_us)
{
    if (!d || d->state != DTLS_STATE_NEW)
        return -EINVAL;
    d->now_us = now_us;
    d->state = DTLS_STATE_CONNECTING;
    if (d->role == DTLS_ROLE_SERVER)
        return 0;
    ERR_clear_error();
    return step_handshake(d);
}

int dtls_handle_input(struct dtls *d, const uint8_t *p, size_t n, int64_t now_us)
{
    if (!d || (!p && n) || n > INT_MAX)
        return -EINVAL;
    d->now_us = now_us;
    if (d->state == DTLS_STATE_FAILED || d->state == DTLS_STATE_CLOSED) {
        d->stats.rx_dropped_closed++;
        return 0;
    }
    if (d->state == DTLS_STATE_NEW) {
        int err = dtls_start(d, now_us);
        if (err)
            return err;
    }
    d->stats.rx_datagrams++;
    if (n == 0)
        return 0;
    /* One datagram at a time: nothing of an earlier one may be read with it. */
    (void)BIO_reset(d->rbio);
    ERR_clear_error();
    if (BIO_write(d->rbio, p, (int)n) != (int)n)
        return -ENOMEM;
    return d->state == DTLS_STATE_CONNECTING ? step_handshake(d) : read_records(d);
}

int dtls_poll_transmit(struct dtls *d, uint8_t *buf, size_t cap, size_t *len)
{
    if (!d || !buf || !len)
        return -EINVAL;
    return dtls_bio_pop(&d->out, buf, cap, len);
}

int64_t dtls_poll_timeout(const struct dtls *d)
{
    struct timeval left;
    if (d->state != DTLS_STATE_CONNECTING && d->state != DTLS_STATE_CONNECTED)
        return INT64_MAX;
    if (DTLSv1_get_timeout(d->ssl, &left) != 1)
        return INT64_MAX;
    return d->now_us + (int64_t)left.tv_sec * 1000000 + left.tv_usec;
}

void dtls_handle_timeout(struct dtls *d, int64_t now_us)
{
    d->now_us = now_us;
    if (d->state != DTLS_STATE_CONNECTING && d->state != DTLS_STATE_CONNECTED)
        return;
    ERR_clear_error();
    int r = DTLSv1_handle_timeout(d->ssl);
    if (r > 0)
        d->stats.retransmits++;
    else if (r < 0)
        (void)fail(d, DTLS_FAIL_TIMEOUT, "handshake timed out");
}

void dtls_close(struct dtls *d, int64_t now_us)
{
    d->now_us = now_us;
    if (d->state == DTLS_STATE_CONNECTED) {
        ERR_clear_error();
        (void)SSL_shutdown(d->ssl);
        ERR_clear_error();
    }
    if (d->state != DTLS_STATE_FAILED)
        d->state = DTLS_STATE_CLOSED;
}

enum dtls_state dtls_state(const struct dtls *d)
{
    return d->state;
}

enum dtls_failure dtls_failure(const struct dtls *d)
{
    return d->failure;
}

const char *dtls_error(const struct dtls *d)
{
    return d->error;
}

void dtls_stats(const struct dtls *d, struct dtls_stats *out)
{
    *out = d->stats;
    out->tx_datagrams = d->out.queued;
    out->tx_dropped = d->out.dropped;
}

int dtls_srtp_keys(const struct dtls *d, struct dtls_srtp_keys *out)
{
    if (!d || !out || d->state != DTLS_STATE_CONNECTED)
        return -EINVAL;
    *out = d->keys;
    return 0;
}
