/* ice_sdp — the syntax of the ICE attributes carried in SDP and in trickle
 * messages (RFC 8839 §5.1 candidate, §5.4 ice-ufrag / ice-pwd).
 *
 * Pure string checks over caller memory: nothing is allocated, nothing is
 * copied. A parsed candidate points back into the caller's line, which must
 * outlive it. The ICE shell (media/io/ice) uses these checks before handing
 * a line to libnice, whose own parser accepts out-of-range ports (it wraps
 * them) and needs the exact "a=candidate:" form.
 *
 * Errors: -EINVAL for NULL arguments, -EBADMSG for a line that does not
 * follow the grammar.
 */
#ifndef CAU_ICE_SDP_H
#define CAU_ICE_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest candidate line accepted (an a=candidate line with extensions is
 * about 150 bytes; the limit only keeps hostile input bounded). */
#define ICE_SDP_CAND_MAX 1024
/* RFC 8839 §5.4: ufrag 4..256 ice-chars, pwd 22..256 ice-chars. */
#define ICE_SDP_CRED_MAX 256

/* Return value of ice_sdp_parse_candidate for an end-of-candidates marker. */
#define ICE_SDP_END_OF_CANDIDATES 1

enum ice_sdp_cand_type {
    ICE_SDP_CAND_HOST,
    ICE_SDP_CAND_SRFLX,
    ICE_SDP_CAND_PRFLX,
    ICE_SDP_CAND_RELAY,
    ICE_SDP_CAND_OTHER, /* an extension type (a token) */
};

/* One parsed candidate. `body` points at "candidate:" inside the caller's
 * line; body_len excludes any trailing CR/LF/space. */
struct ice_sdp_cand {
    const char *body;
    size_t body_len;
    uint32_t component; /* 1..256 */
    uint32_t priority;  /* 1..2^32-1 */
    uint16_t port;      /* 1..65535 */
    bool udp;           /* transport is "UDP" (any case) */
    bool mdns;          /* connection address is an mDNS name (*.local) */
    enum ice_sdp_cand_type type;
};

/* Parse one candidate as it comes from SDP ("a=candidate:..."), from a
 * trickle message ("candidate:...") or with a trailing CRLF. Returns 0 and
 * fills *out; ICE_SDP_END_OF_CANDIDATES for "", "end-of-candidates" or
 * "a=end-of-candidates" (out untouched); -EBADMSG for anything else
 * malformed (unknown attribute, missing field, bad number, port 0 or over
 * 65535, line longer than ICE_SDP_CAND_MAX). Unknown candidate types and
 * extension attributes after the type are accepted, as the RFC requires. */
__attribute__((warn_unused_result)) int ice_sdp_parse_candidate(const char *line,
                                                                struct ice_sdp_cand *out);

/* true when s is a valid ice-ufrag / ice-pwd value (RFC 8839 §5.4: ALPHA,
 * DIGIT, '+', '/'; 4..256 and 22..256 characters). NULL is invalid. */
bool ice_sdp_valid_ufrag(const char *s);
bool ice_sdp_valid_pwd(const char *s);

#endif
