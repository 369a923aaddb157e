#include "signaling/jwt.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define JWT_SIG_LEN 32 /* HMAC-SHA256 */
#define JWT_PAYLOAD_MAX 1024

/* base64url of {"alg":"HS256","typ":"JWT"} */
static const char jwt_header[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const char *const jwt_roles[] = {"chair", "participant", "observer"};

bool jwt_role_valid(const char *role)
{
    for (size_t i = 0; i < sizeof jwt_roles / sizeof jwt_roles[0]; i++)
        if (strcmp(role, jwt_roles[i]) == 0)
            return true;
    return false;
}

/* base64url of in[0..n) without padding into out[0..cap) with a NUL;
 * returns the length or -ENOSPC. */
static int b64url_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t need = n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
    if (need + 1 > cap)
        return -ENOSPC;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        size_t chars = n - i >= 3 ? 4 : n - i + 1;
        for (size_t k = 0; k < chars; k++)
            out[o++] = b64_alphabet[(v >> (18 - 6 * k)) & 0x3f];
    }
    out[o] = '\0';
    return (int)o;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

/* Strict base64url decode of in[0..n) into out[0..cap); -EBADMSG on a
 * character outside the alphabet, a length of 4k+1, or non-zero unused bits. */
static int b64url_decode(const char *in, size_t n, uint8_t *out, size_t cap, size_t *len)
{
    if (n % 4 == 1 || n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0) > cap)
        return -EBADMSG;
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            return -EBADMSG;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
        acc &= (1u << bits) - 1;
    }
    if (acc != 0)
        return -EBADMSG;
    *len = o;
    return 0;
}

/* Bytes of the UTF-8 sequence led by c; 0 for a byte that cannot lead one. */
static size_t utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if ((c & 0xf0) == 0xe0)
        return 3;
    if (c >= 0xf0 && c <= 0xf4)
        return 4;
    return 0;
}

/* Whether s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
static bool utf8_valid(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        size_t n = utf8_seq_len(*s);
        if (n == 0)
            return false;
        uint32_t cp = *s & (0x7fu >> n);
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
                return false;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        s += n;
    }
    return true;
}

/* Append s as a JSON string literal at buf[*o..cap). */
static int json_put_string(char *buf, size_t cap, size_t *o, const char *s)
{
    if (*o + 1 >= cap)
        return -ENOSPC;
    buf[(*o)++] = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        int n;
        if (c == '"' || c == '\\')
            n = snprintf(esc, sizeof esc, "\\%c", c);
        else if (c < 0x20)
            n = snprintf(esc, sizeof esc, "\\u%04x", c);
        else
            n = snprintf(esc, sizeof esc, "%c", c);
        if (*o + (size_t)n + 1 >= cap)
            return -ENOSPC;
        memcpy(buf + *o, esc, (size_t)n);
        *o += (size_t)n;
    }
    buf[(*o)++] = '"';
    return 0;
}

static bool claim_string_ok(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    return n > 0 && n < cap && utf8_valid(s);
}

/* The payload JSON of c into buf; its length or a negative errno. */
static int payload_json(const struct jwt_claims *c, char *buf, size_t cap)
{
    size_t o = 0;
    int rc;
    o += (size_t)snprintf(buf, cap, "{\"room\":");
    if ((rc = json_put_string(buf, cap, &o, c->room)) < 0)
        return rc;
    o += (size_t)snprintf(buf + o, cap - o, ",\"role\":\"%s\",\"name\":", c->role);
    if ((rc = json_put_string(buf, cap, &o, c->name)) < 0)
        return rc;
    int n = snprintf(buf + o, cap - o, ",\"exp\":%" PRId64 ",\"iat\":%" PRId64 "}", c->exp, c->iat);
    if (n < 0 || (size_t)n >= cap - o)
        return -ENOSPC;
    return (int)(o + (size_t)n);
}

static int hmac(const char *secret, size_t secret_len, const char *data, size_t n,
                uint8_t md[JWT_SIG_LEN])
{
    unsigned int md_len = 0;
    if (!HMAC(EVP_sha256(), secret, (int)secret_len, (const unsigned char *)data, n, md, &md_len) ||
        md_len != JWT_SIG_LEN)
        return -ENOMEM;
    return 0;
}

int jwt_sign(const char *secret, size_t secret_len, const struct jwt_claims *c, char *out,
             size_t cap)
{
    if (!secret || secret_len == 0 || secret_len > INT_MAX || !c || !out)
        return -EINVAL;
    if (!claim_string_ok(c->room, sizeof c->room) || !claim_string_ok(c->name, sizeof c->name) ||
        strnlen(c->role, sizeof c->role) == sizeof c->role || !jwt_role_valid(c->role))
        return -EINVAL;
    char payload[JWT_PAYLOAD_MAX];
    int plen = payload_json(c, payload, sizeof payload);
    if (plen < 0)
        return -EINVAL; /* cannot happen with the limits above */
    char tok[JWT_MAX_LEN + 1];
    size_t o = sizeof jwt_header - 1;
    memcpy(tok, jwt_header, o);
    tok[o++] = '.';
    int n = b64url_encode((const uint8_t *)payload, (size_t)plen, tok + o, sizeof tok - o);
    if (n < 0)
        return -EINVAL;
    o += (size_t)n;
    uint8_t md[JWT_SIG_LEN];
    int rc = hmac(secret, secret_len, tok, o, md);
    if (rc)
        return rc;
    tok[o++] = '.';
    n = b64url_encode(md, sizeof md, tok + o, sizeof tok - o);
    if (n < 0)
        return -EINVAL;
    o += (size_t)n;
    if (o + 1 > cap)
        return -ENOSPC;
    memcpy(out, tok, o + 1);
    return 0;
}

/* Parse JSON object text[0..n); -EBADMSG or -ENOMEM when it is not one. */
static int load_object(const uint8_t *text, size_t n, json_t **out)
{
    json_error_t je;
    *out = json_loadb((const char *)text, n, JSON_REJECT_DUPLICATES, &je);
    if (!*out)
        return json_error_code(&je) == json_error_out_of_memory ? -ENOMEM : -EBADMSG;
    if (!json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        return -EBADMSG;
    }
    return 0;
}

static int check_header(const uint8_t *text, size_t n)
{
    json_t *h;
    int rc = load_object(text, n, &h);
    if (rc)
        return rc;
    const char *alg = json_string_value(json_object_get(h, "alg"));
    const json_t *typ = json_object_get(h, "typ");
    if (!alg || strcmp(alg, "HS256") != 0 || json_object_get(h, "crit") ||
        (typ && !(json_is_string(typ) && strcmp(json_string_value(typ), "JWT") == 0)))
        rc = -EBADMSG;
    json_decref(h);
    return rc;
}

/* Copy string claim key of p into dst[0..cap) (1..cap-1 bytes). */
static bool get_string(const json_t *p, const char *key, char *dst, size_t cap)
{
    const json_t *v = json_object_get(p, key);
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= cap)
        return false;
    memcpy(dst, json_string_value(v), json_string_length(v) + 1);
    return true;
}

static int parse_claims(const uint8_t *text, size_t n, struct jwt_claims *c)
{
    json_t *p;
    int rc = load_object(text, n, &p);
    if (rc)
        return rc;
    const json_t *exp = json_object_get(p, "exp");
    const json_t *iat = json_object_get(p, "iat");
    if (!get_string(p, "room", c->room, sizeof c->room) ||
        !get_string(p, "role", c->role, sizeof c->role) || !jwt_role_valid(c->role) ||
        !get_string(p, "name", c->name, sizeof c->name) || !json_is_integer(exp) ||
        !json_is_integer(iat)) {
        rc = -EBADMSG;
    } else {
        c->exp = json_integer_value(exp);
        c->iat = json_integer_value(iat);
    }
    json_decref(p);
    return rc;
}

/* The three parts of token[0..len): dots at d1 and d2, no other. */
static int split(const char *token, size_t len, size_t *d1, size_t *d2)
{
    const char *a = memchr(token, '.', len);
    if (!a)
        return -EBADMSG;
    const char *b = memchr(a + 1, '.', len - (size_t)(a + 1 - token));
    if (!b || memchr(b + 1, '.', len - (size_t)(b + 1 - token)))
        return -EBADMSG;
    *d1 = (size_t)(a - token);
    *d2 = (size_t)(b - token);
    return 0;
}

static int verify(const char *secret, size_t secret_len, const char *token, size_t len,
                  struct jwt_claims *out)
{
    size_t d1, d2, hlen, plen, slen;
    uint8_t hdr[JWT_MAX_LEN], pl[JWT_MAX_LEN], sig[JWT_SIG_LEN + 3], md[JWT_SIG_LEN];
    int rc = split(token, len, &d1, &d2);
    if (rc)
        return rc;
    if (b64url_decode(token, d1, hdr, sizeof hdr, &hlen) ||
        b64url_decode(token + d1 + 1, d2 - d1 - 1, pl, sizeof pl, &plen) ||
        b64url_decode(token + d2 + 1, len - d2 - 1, sig, sizeof sig, &slen) || slen != JWT_SIG_LEN)
        return -EBADMSG;
    if ((rc = check_header(hdr, hlen)) != 0)
        return rc;
    if ((rc = hmac(secret, secret_len, token, d2, md)) != 0)
        return rc;
    if (CRYPTO_memcmp(md, sig, JWT_SIG_LEN) != 0)
        return -EACCES;
    return parse_claims(pl, plen, out);
}

int jwt_verify(const char *secret, size_t secret_len, const char *token, int64_t now_s,
               struct jwt_claims *out)
{
    if (!out)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    if (!secret || secret_len == 0 || secret_len > INT_MAX || !token)
        return -EINVAL;
    size_t len = strnlen(token, JWT_MAX_LEN + 1);
    if (len > JWT_MAX_LEN)
        return -EBADMSG;
    int rc = verify(secret, secret_len, token, len, out);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    return out->exp <= now_s ? -ETIMEDOUT : 0;
}
