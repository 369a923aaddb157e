/* jwt — the room tokens of docs/protocol.md: HS256 JSON Web Tokens
 * (RFC 7519, JWS compact serialization of RFC 7515) signed with
 * signaling.token_secret, whose bytes are the HMAC-SHA256 key as they are.
 *
 *   base64url(header) "." base64url(payload) "." base64url(HMAC-SHA256)
 *
 * base64url without padding; the decoder is strict (no '=', no whitespace,
 * unused bits zero) so one token has exactly one spelling.
 * jwt_sign() writes the header {"alg":"HS256","typ":"JWT"} and the payload
 * {"room":..,"role":..,"name":..,"exp":..,"iat":..} in that order.
 * jwt_verify() accepts a header with alg "HS256", typ absent or "JWT" and no
 * "crit"; claims room (1..64 bytes), role (chair, participant, observer),
 * name (1..64 bytes), exp and iat (integers, Unix seconds) are required,
 * other claims are ignored.
 *
 * Errors:
 *  jwt_sign:   0; -ENOSPC out[0..cap) too short for the token and its NUL;
 *              -EINVAL NULL argument, empty secret, claims that do not fit the
 *              rules above or are not UTF-8.
 *  jwt_verify: 0; -EBADMSG malformed (not three parts, over JWT_MAX_LEN, bad
 *              base64url, bad JSON, alg not HS256, claims missing or invalid,
 *              unknown role, over-long strings); -EACCES signature mismatch
 *              (compared in constant time, before the claims are parsed);
 *              -ETIMEDOUT exp <= now_s; -EINVAL NULL argument; -ENOMEM
 *              (Jansson reports most allocation failures as syntax errors:
 *              those come back as -EBADMSG).
 *              *out holds the claims on 0 and -ETIMEDOUT, zeroes otherwise.
 *
 * No state; Jansson allocates while verifying (freed before returning),
 * jwt_sign allocates nothing. Uses OpenSSL's HMAC.
 */
#ifndef CAU_JWT_H
#define CAU_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JWT_MAX_LEN 4096 /* longest token accepted, bytes without the NUL */

struct jwt_claims {
    char room[65];
    char role[16];
    char name[65];
    int64_t exp;
    int64_t iat;
};

int jwt_sign(const char *secret, size_t secret_len, const struct jwt_claims *c, char *out,
             size_t cap);

int jwt_verify(const char *secret, size_t secret_len, const char *token, int64_t now_s,
               struct jwt_claims *out);

/* Whether role is "chair", "participant" or "observer". */
bool jwt_role_valid(const char *role);

#endif
