/* dtls_role — which end of the DTLS handshake we are, from SDP a=setup.
 *
 * RFC 5763 §5 and RFC 8842 §5: the offerer says "actpass"; the answerer picks
 * "active" (it will be the DTLS client) or "passive" (the DTLS server). The
 * bridge prefers to be the DTLS server, because the server chooses the SRTP
 * protection profile (RFC 5764 §4.1.1): to a remote "actpass" it answers
 * "passive". Pure functions, no state, no allocation.
 *
 * Errors: -EBADMSG an unknown setup value, -EINVAL a remote value that leaves
 * no DTLS role ("holdconn"). An "actpass" in an answer is a protocol error the
 * SDP layer rejects; here it is read like an offer.
 */
#ifndef CAU_DTLS_ROLE_H
#define CAU_DTLS_ROLE_H

#include <stddef.h>

enum dtls_role {
    DTLS_ROLE_CLIENT, /* sends the ClientHello */
    DTLS_ROLE_SERVER,
};

enum dtls_role_setup {
    DTLS_ROLE_SETUP_ACTPASS,
    DTLS_ROLE_SETUP_ACTIVE,
    DTLS_ROLE_SETUP_PASSIVE,
    DTLS_ROLE_SETUP_HOLDCONN,
};

/* Parse an a=setup value s[0..n) (case-insensitive). */
__attribute__((warn_unused_result)) int dtls_role_parse_setup(const char *s, size_t n,
                                                              enum dtls_role_setup *out);

/* Our role given the remote's setup value: actpass -> server (we answer
 * passive), active -> server, passive -> client; holdconn -> -EINVAL. */
__attribute__((warn_unused_result)) int dtls_role_from_remote(enum dtls_role_setup remote,
                                                              enum dtls_role *out);

/* The a=setup value we write for a role once it is decided (in an answer, or
 * when re-offering after the role was fixed): server "passive", client
 * "active". An initial offer always says "actpass". */
const char *dtls_role_setup_name(enum dtls_role role);

#endif
