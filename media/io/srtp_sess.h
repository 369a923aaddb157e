/* srtp_sess — SRTP/SRTCP protection of one DTLS-SRTP transport (libsrtp2).
 *
 * (The prefix is srtp_sess_, not srtp_: libsrtp2 exports its whole API under
 * srtp_.) One struct srtp_sess holds two libsrtp sessions made from the keys
 * a DTLS handshake exported (struct dtls_srtp_keys): an outbound one keyed
 * with the local key (ssrc_any_outbound) and an inbound one keyed with the
 * remote key (ssrc_any_inbound). libsrtp adds a stream per SSRC the first
 * time it sees it, cloned from the template; on the inbound side only after
 * the packet authenticated, so forged packets cannot grow the stream list.
 * That clone is the one allocation on the packet path, once per SSRC.
 *
 * Profiles (RFC 5764 §4.1.2, RFC 7714 §14.2): AES_CM_128_HMAC_SHA1_80 adds a
 * 10-byte tag to RTP and 10 + 4 (E flag and SRTCP index) to RTCP;
 * AEAD_AES_128_GCM adds 16 and 16 + 4.
 *
 * Replay protection is on, with libsrtp's default window of 128 packets per
 * SSRC (RFC 3711 §3.3.2 asks for at least 64): a packet older than the newest
 * seen by more than 128 indexes, or one already seen, is rejected. Protecting
 * the same sequence number again is allowed (allow_repeat_tx): without RTX a
 * NACKed packet is resent as it was, and the same bytes at the same index
 * protect to the same ciphertext.
 *
 * libsrtp is initialised once per process (srtp_init, guarded by
 * pthread_once) and never shut down. A struct srtp_sess has one owner thread.
 *
 * Buffers: protect works in place and needs cap - len >= the profile's
 * overhead (srtp_sess_rtp_overhead / _rtcp_overhead); keep packet buffers
 * 4-byte aligned, libsrtp reads the header as 32-bit words.
 *
 * Errors (every failure also counts in struct srtp_sess_stats):
 *   -EBADMSG  unprotect: authentication failed (rx_auth_fail), replayed or
 *             too old (rx_replay), malformed or otherwise undecodable
 *             (rx_bad); protect: malformed packet (tx_fail)
 *   -EINVAL   misuse: bad arguments
 *   -ENOSPC   protect: no room for the trailer
 *   -ENOMEM   allocation
 *   -EIO      any other libsrtp failure
 */
#ifndef CAU_SRTP_SESS_H
#define CAU_SRTP_SESS_H

#include <stddef.h>
#include <stdint.h>

#include "media/io/dtls.h"

struct srtp_sess;

struct srtp_sess_stats {
    uint64_t rtp_protected;
    uint64_t rtcp_protected;
    uint64_t rtp_unprotected;
    uint64_t rtcp_unprotected;
    uint64_t rx_auth_fail;
    uint64_t rx_replay;
    uint64_t rx_bad;
    uint64_t tx_fail;
};

/* Both directions from exported keys (profile DTLS_SRTP_AES128_CM_SHA1_80 or
 * DTLS_SRTP_AEAD_AES_128_GCM, key and salt lengths matching it). */
__attribute__((warn_unused_result)) int srtp_sess_create(struct srtp_sess **out,
                                                         const struct dtls_srtp_keys *keys);
void srtp_sess_free(struct srtp_sess *s);

/* In place: buf[0..len) becomes buf[0..*out_len). */
__attribute__((warn_unused_result)) int
srtp_sess_protect_rtp(struct srtp_sess *s, uint8_t *buf, size_t len, size_t cap, size_t *out_len);
__attribute__((warn_unused_result)) int
srtp_sess_protect_rtcp(struct srtp_sess *s, uint8_t *buf, size_t len, size_t cap, size_t *out_len);
__attribute__((warn_unused_result)) int srtp_sess_unprotect_rtp(struct srtp_sess *s, uint8_t *buf,
                                                                size_t len, size_t *out_len);
__attribute__((warn_unused_result)) int srtp_sess_unprotect_rtcp(struct srtp_sess *s, uint8_t *buf,
                                                                 size_t len, size_t *out_len);

/* Bytes that protecting adds to one RTP / RTCP packet. */
size_t srtp_sess_rtp_overhead(const struct srtp_sess *s);
size_t srtp_sess_rtcp_overhead(const struct srtp_sess *s);

void srtp_sess_stats(const struct srtp_sess *s, struct srtp_sess_stats *out);

/* libsrtp's version string, and the crypto backend it was built with as far
 * as its debug module names tell: "openssl", "nss", "builtin" or "unknown". */
const char *srtp_sess_version(void);
const char *srtp_sess_backend(void);

#endif
