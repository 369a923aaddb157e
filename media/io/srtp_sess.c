#include "media/io/srtp_sess.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include "media/core/mem.h"

#define RTP_HEADER_MIN 12 /* RFC 3550 §5.1 */
#define RTCP_HEADER_MIN 8 /* RFC 3550 §6.4.1, header and sender SSRC */

struct srtp_sess {
    srtp_t tx;
    srtp_t rx;
    size_t rtp_overhead;
    size_t rtcp_overhead;
    struct srtp_sess_stats stats;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static srtp_err_status_t init_status;

static void init_libsrtp(void)
{
    init_status = srtp_init();
}

static int global_init(void)
{
    if (pthread_once(&init_once, init_libsrtp) != 0)
        return -EIO;
    return init_status == srtp_err_status_ok ? 0 : -EIO;
}

static bool keys_valid(const struct dtls_srtp_keys *k)
{
    if (k->profile == DTLS_SRTP_AES128_CM_SHA1_80)
        return k->key_len == 16 && k->salt_len == 14;
    if (k->profile == DTLS_SRTP_AEAD_AES_128_GCM)
        return k->key_len == 16 && k->salt_len == 12;
    return false;
}

/* libsrtp takes the master key and salt concatenated (RFC 3711 §8.2). */
static int make_session(srtp_t *out, const struct dtls_srtp_keys *k, bool outbound)
{
    uint8_t master[DTLS_SRTP_KEY_MAX + DTLS_SRTP_SALT_MAX];
    memcpy(master, outbound ? k->local_key : k->remote_key, k->key_len);
    memcpy(master + k->key_len, outbound ? k->local_salt : k->remote_salt, k->salt_len);
    srtp_policy_t pol;
    memset(&pol, 0, sizeof pol);
    srtp_profile_t profile = (srtp_profile_t)k->profile; /* same IANA numbers */
    if (srtp_crypto_policy_set_from_profile_for_rtp(&pol.rtp, profile) != srtp_err_status_ok ||
        srtp_crypto_policy_set_from_profile_for_rtcp(&pol.rtcp, profile) != srtp_err_status_ok)
        return -EINVAL;
    pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
    pol.key = master;
    pol.window_size = 0; /* libsrtp default: 128 */
    /* A NACKed packet is resent as it was (no RTX): the same index over the
     * same bytes gives the same ciphertext, so no keystream is reused. */
    pol.allow_repeat_tx = 1;
    srtp_err_status_t st = srtp_create(out, &pol);
    OPENSSL_cleanse(master, sizeof master);
    if (st == srtp_err_status_ok)
        return 0;
    *out = NULL;
    return st == srtp_err_status_alloc_fail ? -ENOMEM : -EIO;
}

static int trailer_lengths(struct srtp_sess *s)
{
    uint32_t rtp = 0, rtcp = 0;
    if (srtp_get_protect_trailer_length(s->tx, 0, 0, &rtp) != srtp_err_status_ok ||
        srtp_get_protect_rtcp_trailer_length(s->tx, 0, 0, &rtcp) != srtp_err_status_ok)
        return -EIO;
    s->rtp_overhead = rtp;
    s->rtcp_overhead = rtcp;
    return 0;
}

int srtp_sess_create(struct srtp_sess **out, const struct dtls_srtp_keys *keys)
{
    if (!out || !keys || !keys_valid(keys))
        return -EINVAL;
    int err = global_init();
    if (err)
        return err;
    struct srtp_sess *s = mem_zalloc(sizeof *s);
    if (!s)
        return -ENOMEM;
    err = make_session(&s->tx, keys, true);
    if (!err)
        err = make_session(&s->rx, keys, false);
    if (!err)
        err = trailer_lengths(s);
    if (err) {
        srtp_sess_free(s);
        return err;
    }
    *out = s;
    return 0;
}

void srtp_sess_free(struct srtp_sess *s)
{
    if (!s)
        return;
    if (s->tx)
        (void)srtp_dealloc(s->tx);
    if (s->rx)
        (void)srtp_dealloc(s->rx);
    mem_free(s);
}

static int tx_error(struct srtp_sess *s, srtp_err_status_t st)
{
    s->stats.tx_fail++;
    switch (st) {
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
        return -EBADMSG;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
        return -EINVAL;
    case srtp_err_status_alloc_fail:
        return -ENOMEM;
    default:
        return -EIO;
    }
}

static int rx_error(struct srtp_sess *s, srtp_err_status_t st)
{
    switch (st) {
    case srtp_err_status_auth_fail:
        s->stats.rx_auth_fail++;
        return -EBADMSG;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
        s->stats.rx_replay++;
        return -EBADMSG;
    case srtp_err_status_alloc_fail:
        s->stats.rx_bad++;
        return -ENOMEM;
    default: /* bad_param, parse_err, cipher_fail, no_ctx ... */
        s->stats.rx_bad++;
        return -EBADMSG;
    }
}

static int protect(struct srtp_sess *s, bool rtcp, uint8_t *buf, size_t len, size_t cap,
                   size_t *out_len)
{
    if (!s || !buf || !out_len || cap < len || cap > INT_MAX)
        return -EINVAL;
    if (len < (rtcp ? RTCP_HEADER_MIN : RTP_HEADER_MIN)) {
        s->stats.tx_fail++;
        return -EBADMSG;
    }
    if (cap - len < (rtcp ? s->rtcp_overhead : s->rtp_overhead)) {
        s->stats.tx_fail++;
        return -ENOSPC;
    }
    int n = (int)len;
    srtp_err_status_t st = rtcp ? srtp_protect_rtcp(s->tx, buf, &n) : srtp_protect(s->tx, buf, &n);
    if (st != srtp_err_status_ok)
        return tx_error(s, st);
    *out_len = (size_t)n;
    if (rtcp)
        s->stats.rtcp_protected++;
    else
        s->stats.rtp_protected++;
    return 0;
}

static int unprotect(struct srtp_sess *s, bool rtcp, uint8_t *buf, size_t len, size_t *out_len)
{
    if (!s || !buf || !out_len || len > INT_MAX)
        return -EINVAL;
    if (len < (rtcp ? RTCP_HEADER_MIN : RTP_HEADER_MIN)) {
        s->stats.rx_bad++;
        return -EBADMSG;
    }
    int n = (int)len;
    srtp_err_status_t st =
        rtcp ? srtp_unprotect_rtcp(s->rx, buf, &n) : srtp_unprotect(s->rx, buf, &n);
    if (st != srtp_err_status_ok)
        return rx_error(s, st);
    *out_len = (size_t)n;
    if (rtcp)
        s->stats.rtcp_unprotected++;
    else
        s->stats.rtp_unprotected++;
    return 0;
}

int srtp_sess_protect_rtp(struct srtp_sess *s, uint8_t *buf, size_t len, size_t cap,
                          size_t *out_len)
{
    return protect(s, false, buf, len, cap, out_len);
}

int srtp_sess_protect_rtcp(struct srtp_sess *s, uint8_t *buf, size_t len, size_t cap,
                           size_t *out_len)
{
    return protect(s, true, buf, len, cap, out_len);
}

int srtp_sess_unprotect_rtp(struct srtp_sess *s, uint8_t *buf, size_t len, size_t *out_len)
{
    return unprotect(s, false, buf, len, out_len);
}

int srtp_sess_unprotect_rtcp(struct srtp_sess *s, uint8_t *buf, size_t len, size_t *out_len)
{
    return unprotect(s, true, buf, len, out_len);
}

size_t srtp_sess_rtp_overhead(const struct srtp_sess *s)
{
    return s->rtp_overhead;
}

size_t srtp_sess_rtcp_overhead(const struct srtp_sess *s)
{
    return s->rtcp_overhead;
}

void srtp_sess_stats(const struct srtp_sess *s, struct srtp_sess_stats *out)
{
    *out = s->stats;
}

const char *srtp_sess_version(void)
{
    return srtp_get_version_string();
}

/* srtp_list_debug_modules() reports each crypto module's name through the
 * log handler; the AES-ICM module's name carries the backend ("aes icm ossl",
 * "aes icm nss", plain "aes icm" for the built-in one). */
static void backend_log(srtp_log_level_t level, const char *msg, void *data)
{
    (void)level;
    const char **found = data;
    if (!strstr(msg, "aes icm"))
        return;
    if (strstr(msg, "ossl") || strstr(msg, "openssl"))
        *found = "openssl";
    else if (strstr(msg, "nss"))
        *found = "nss";
    else if (!*found)
        *found = "builtin";
}

const char *srtp_sess_backend(void)
{
    const char *found = NULL;
    if (global_init() != 0)
        return "unknown";
    if (srtp_install_log_handler(backend_log, &found) != srtp_err_status_ok)
        return "unknown";
    (void)srtp_list_debug_modules();
    (void)srtp_install_log_handler(NULL, NULL);
    return found ? found : "unknown";
}
