/* dtls_cert — the bridge's DTLS identity and SDP certificate fingerprints.
 *
 * dtls_cert_create() makes a fresh self-signed ECDSA P-256 certificate (CN
 * "cau", random 63-bit serial, valid from a day before now for
 * DTLS_CERT_VALID_DAYS days, SHA-256 signature) once at start-up. WebRTC does
 * not chain certificates to a CA: the peer trusts the SHA-256 fingerprint it
 * read from our SDP (RFC 8122 §5, RFC 8827 §6.5), so a short-lived
 * self-signed certificate is all that is needed.
 *
 * Ownership: the caller owns the struct dtls_cert and frees it with
 * dtls_cert_free(); every struct dtls using it borrows it and must be freed
 * first (OpenSSL keeps its own references to the X509 and key, so freeing the
 * cert early is safe for OpenSSL, but the accessors below are not).
 *
 * Fingerprints: struct dtls_cert_fp holds a SHA-256 digest. The SDP text form
 * is "sha-256 AB:CD:...:EF" (hash function token, one space, 32 upper-case hex
 * pairs joined by colons). Only sha-256 is supported: every browser sends it.
 *
 * Errors: -ENOMEM (allocation, including inside OpenSSL), -EBADMSG malformed
 * fingerprint text, -ENOTSUP a well-formed fingerprint with another hash.
 */
#ifndef CAU_DTLS_CERT_H
#define CAU_DTLS_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#define DTLS_CERT_VALID_DAYS 30
#define DTLS_CERT_FP_LEN 32 /* SHA-256 */
/* "AB:CD:...:EF" plus the terminating NUL. */
#define DTLS_CERT_FP_STRLEN (DTLS_CERT_FP_LEN * 3)

struct dtls_cert;

struct dtls_cert_fp {
    uint8_t sha256[DTLS_CERT_FP_LEN];
};

/* New key pair and certificate; *out is set only on success. */
__attribute__((warn_unused_result)) int dtls_cert_create(struct dtls_cert **out);
void dtls_cert_free(struct dtls_cert *c);

/* Borrowed OpenSSL objects, for SSL_CTX_use_certificate/PrivateKey. */
X509 *dtls_cert_x509(const struct dtls_cert *c);
EVP_PKEY *dtls_cert_key(const struct dtls_cert *c);

/* Our own fingerprint, as a digest and as the SDP text without the
 * "sha-256 " prefix (NUL-terminated, owned by c). */
const struct dtls_cert_fp *dtls_cert_fp(const struct dtls_cert *c);
const char *dtls_cert_fp_text(const struct dtls_cert *c);

/* SHA-256 fingerprint of any certificate (the peer's, after a handshake). */
__attribute__((warn_unused_result)) int dtls_cert_fp_of_x509(X509 *x, struct dtls_cert_fp *out);

/* Parse an SDP fingerprint (RFC 8122 §5) given as its two fields, the way the
 * SDP model keeps them: hash "sha-256" (any case) and hex "AB:CD:...", 32
 * hex pairs separated by ':' (either case: RFC 8122 asks for upper case but
 * lower case costs nothing to accept). NUL-terminated strings. */
__attribute__((warn_unused_result)) int dtls_cert_fp_parse(struct dtls_cert_fp *out,
                                                           const char *hash, const char *hex);

/* The same from the whole attribute value s[0..n): "sha-256 AB:CD:...".
 * Exactly one space; nothing may follow. */
__attribute__((warn_unused_result)) int dtls_cert_fp_parse_attr(struct dtls_cert_fp *out,
                                                                const char *s, size_t n);

/* Upper-case "AB:CD:..." into buf (DTLS_CERT_FP_STRLEN bytes, NUL-terminated). */
void dtls_cert_fp_format(const struct dtls_cert_fp *fp, char buf[DTLS_CERT_FP_STRLEN]);

/* Constant-time comparison of two digests. */
bool dtls_cert_fp_equal(const struct dtls_cert_fp *a, const struct dtls_cert_fp *b);

#endif
