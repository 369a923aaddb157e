/* dtls — one DTLS 1.2 association for DTLS-SRTP (RFC 5764), without I/O.
 *
 * The object never touches a socket or a timer. It reads datagrams the owner
 * received from the peer (dtls_handle_input), queues datagrams for the owner
 * to send (dtls_poll_transmit), and says when it next wants
 * dtls_handle_timeout to be called (dtls_poll_timeout). OpenSSL sits between
 * two memory BIOs: a BIO_s_mem that the input is written to, and a datagram
 * queue (dtls_bio) that keeps each outgoing datagram whole.
 *
 * Time: the API is time-driven like every core, but OpenSSL 3.0 measures its
 * DTLS retransmission timer with its own clock (gettimeofday) and offers no
 * way to pass time in. This is the one place where a library of the shell
 * keeps its own timer. dtls_poll_timeout returns the last now_us we were
 * given plus the time OpenSSL has left, and dtls_handle_timeout retransmits
 * only once OpenSSL's clock agrees the deadline passed (OpenSSL rounds a
 * remainder under 15 ms down to "expired"). Under a virtual clock, a test
 * that wants a retransmission must also let that much real time pass. The
 * retransmission timeout starts at config.rto_initial_us and doubles up to
 * 60 s (RFC 6347 §4.2.4.1); OpenSSL gives up after 12 timeouts of one flight.
 *
 * Peer authentication (RFC 5763 §5, RFC 8827 §6.5): the peer must present a
 * certificate (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT). Any chain
 * or self-signed certificate is accepted, but the SHA-256 digest of the leaf
 * must equal config.remote_fp (from the peer's SDP): the verify callback
 * rejects a mismatch during the handshake (the peer gets a bad_certificate
 * alert), and the digest is checked again once the handshake completes. A
 * mismatch moves the state to FAILED with DTLS_FAIL_FINGERPRINT.
 *
 * SRTP: use_srtp offers config.srtp_profiles (OpenSSL names, preferred first;
 * default AEAD_AES_128_GCM then AES128_CM_SHA1_80). The DTLS server picks by
 * its own preference, which is why the bridge prefers to be the server (see
 * dtls_role.h). Once CONNECTED the keying material is exported (RFC 5764
 * §4.2, label "EXTRACTOR-dtls_srtp") and split into our (local) and the
 * peer's (remote) master key and salt: dtls_srtp_keys().
 *
 * States: NEW until dtls_start (or the first datagram) → CONNECTING →
 * CONNECTED → CLOSED after dtls_close or a close_notify from the peer; any
 * fatal error → FAILED (dtls_failure, dtls_error tell why). In FAILED and
 * CLOSED, input is dropped and counted. Application data (no data channels
 * yet) is dropped and counted as well.
 *
 * Ownership: the owner creates and frees the struct dtls; config.cert is
 * borrowed and must outlive it. One thread at a time (OpenSSL's error queue is
 * per thread; every call clears it first).
 *
 * Errors: -EINVAL misuse (bad config, call in the wrong state), -ENOMEM,
 * -ENOSPC (dtls_poll_transmit: the datagram stays queued), -EPROTO (the call
 * moved the association to FAILED).
 */
#ifndef CAU_DTLS_H
#define CAU_DTLS_H

#include <stddef.h>
#include <stdint.h>

#include "media/io/dtls_cert.h"
#include "media/io/dtls_role.h"

/* DTLS-SRTP protection profile ids (RFC 5764 §4.1.2, RFC 7714 §14.2). */
#define DTLS_SRTP_AES128_CM_SHA1_80 0x0001
#define DTLS_SRTP_AEAD_AES_128_GCM 0x0007
#define DTLS_SRTP_PROFILES_DEFAULT "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"
#define DTLS_SRTP_KEY_MAX 16
#define DTLS_SRTP_SALT_MAX 14

#define DTLS_MTU_DEFAULT 1200
#define DTLS_RTO_INITIAL_US_DEFAULT 500000

enum dtls_state {
    DTLS_STATE_NEW,
    DTLS_STATE_CONNECTING,
    DTLS_STATE_CONNECTED,
    DTLS_STATE_FAILED,
    DTLS_STATE_CLOSED,
};

enum dtls_failure {
    DTLS_FAIL_NONE,
    DTLS_FAIL_HANDSHAKE,   /* alert, protocol error, no shared cipher ... */
    DTLS_FAIL_FINGERPRINT, /* peer certificate does not match the SDP */
    DTLS_FAIL_NO_SRTP,     /* no DTLS-SRTP profile negotiated */
    DTLS_FAIL_TIMEOUT,     /* retransmissions exhausted */
};

struct dtls_config {
    enum dtls_role role;
    const struct dtls_cert *cert;  /* our certificate, borrowed */
    struct dtls_cert_fp remote_fp; /* the peer's a=fingerprint */
    const char *srtp_profiles;     /* NULL: DTLS_SRTP_PROFILES_DEFAULT */
    size_t mtu;                    /* largest datagram; 0: DTLS_MTU_DEFAULT */
    int64_t rto_initial_us;        /* 0: DTLS_RTO_INITIAL_US_DEFAULT */
};

/* SRTP master keys from the handshake. "local" protects what we send,
 * "remote" unprotects what the peer sends: the DTLS client's local key is the
 * server's remote key. */
struct dtls_srtp_keys {
    uint16_t profile; /* DTLS_SRTP_* */
    size_t key_len;   /* 16 */
    size_t salt_len;  /* 14 for AES_CM, 12 for AEAD_AES_128_GCM */
    uint8_t local_key[DTLS_SRTP_KEY_MAX];
    uint8_t local_salt[DTLS_SRTP_SALT_MAX];
    uint8_t remote_key[DTLS_SRTP_KEY_MAX];
    uint8_t remote_salt[DTLS_SRTP_SALT_MAX];
};

struct dtls_stats {
    uint64_t rx_datagrams;
    uint64_t rx_dropped_closed; /* input after FAILED / CLOSED */
    uint64_t rx_app_data;       /* application records dropped (no consumer) */
    uint64_t tx_datagrams;      /* queued by OpenSSL */
    uint64_t tx_dropped;        /* lost to a full queue or failed allocation */
    uint64_t retransmits;       /* timer expiries that resent a flight */
};

struct dtls;

__attribute__((warn_unused_result)) int dtls_create(struct dtls **out,
                                                    const struct dtls_config *cfg);
void dtls_free(struct dtls *d);

/* NEW → CONNECTING; a client queues its ClientHello. */
__attribute__((warn_unused_result)) int dtls_start(struct dtls *d, int64_t now_us);

/* One datagram from the peer (RFC 7983 demux already chose DTLS). Starts the
 * association if still NEW. */
__attribute__((warn_unused_result)) int dtls_handle_input(struct dtls *d, const uint8_t *p,
                                                          size_t n, int64_t now_us);

/* 1: one datagram written to buf (*len set); 0: nothing to send; -ENOSPC. */
__attribute__((warn_unused_result)) int dtls_poll_transmit(struct dtls *d, uint8_t *buf, size_t cap,
                                                           size_t *len);

/* Next deadline for dtls_handle_timeout, INT64_MAX when no timer runs. */
int64_t dtls_poll_timeout(const struct dtls *d);
void dtls_handle_timeout(struct dtls *d, int64_t now_us);

/* Sends close_notify when connected; CLOSED either way. */
void dtls_close(struct dtls *d, int64_t now_us);

enum dtls_state dtls_state(const struct dtls *d);
enum dtls_failure dtls_failure(const struct dtls *d);
/* Human-readable reason of FAILED ("" otherwise), owned by d. */
const char *dtls_error(const struct dtls *d);
void dtls_stats(const struct dtls *d, struct dtls_stats *out);

/* Copy of the exported SRTP keys; -EINVAL unless CONNECTED. */
__attribute__((warn_unused_result)) int dtls_srtp_keys(const struct dtls *d,
                                                       struct dtls_srtp_keys *out);

#endif
