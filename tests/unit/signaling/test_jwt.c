#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "media/core/mem.h"
#include "signaling/jwt.h"

static const char secret[] = "cau-test-secret-0123456789abcdef-0123";
#define SECRET secret, sizeof secret - 1

/* Computed independently of jwt.c while writing this test:
 *   b64u() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
 *   H=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64u)
 *   P=$(printf '%s' '{"room":"demo","role":"chair","name":"Chị Lan","exp":4102444800,
 *       "iat":1700000000}' | b64u)          (one line, no spaces)
 *   printf '%s' "$H.$P" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64u */
static const char known_token[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJyb29tIjoiZGVtbyIsInJvbGUiOiJjaGFpciIsIm5hbWUiOiJDaOG7iyBMYW4iLCJleHAiOjQxMDI0NDQ4MDAsImlh"
    "dCI6MTcwMDAwMDAwMH0"
    ".6f4Ezwy3OSsnwtiezJOYSrnMRSWlwojkk-9cxeUMOXQ";

static const struct jwt_claims known_claims = {.room = "demo",
                                               .role = "chair",
                                               .name = "Ch\xe1\xbb\x8b Lan",
                                               .exp = 4102444800,
                                               .iat = 1700000000};

/* Test-side token maker: base64url by OpenSSL's EVP_EncodeBlock. */
static void b64u(const void *in, size_t n, char *out)
{
    int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    for (int i = 0; i < len; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (len > 0 && out[len - 1] == '=')
        len--;
    out[len] = '\0';
}

/* header.payload.HMAC(key) with the given JSON texts (or raw bytes). */
static char *make_token(const char *hdr, const char *payload, const void *key, size_t key_len)
{
    static char tok[16384];
    b64u(hdr, strlen(hdr), tok);
    strcat(tok, ".");
    b64u(payload, strlen(payload), tok + strlen(tok));
    unsigned char md[32];
    unsigned int md_len = 0;
    HMAC(EVP_sha256(), key, (int)key_len, (unsigned char *)tok, strlen(tok), md, &md_len);
    strcat(tok, ".");
    b64u(md, md_len, tok + strlen(tok));
    return tok;
}

#define HS256 "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
#define CLAIMS "{\"room\":\"demo\",\"role\":\"observer\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}"

static void test_sign_known_vector(void **state)
{
    (void)state;
    char tok[JWT_MAX_LEN + 1];
    assert_int_equal(jwt_sign(SECRET, &known_claims, tok, sizeof tok), 0);
    assert_string_equal(tok, known_token);
    struct jwt_claims c;
    assert_int_equal(jwt_verify(SECRET, known_token, 1700000000, &c), 0);
    assert_memory_equal(&c, &known_claims, sizeof c);
    /* The same token made by the test's own encoder. */
    const char *p = "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"Ch\xe1\xbb\x8b Lan\","
                    "\"exp\":4102444800,\"iat\":1700000000}";
    assert_string_equal(make_token(HS256, p, SECRET), known_token);
}

/* The token jwt.io shows by default (secret "your-256-bit-secret"): the
 * signature verifies; it lacks our claims, so it is malformed for us. */
static void test_jwtio_vector(void **state)
{
    (void)state;
    static const char t[] =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZS"
        "I6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    static const char k[] = "your-256-bit-secret";
    struct jwt_claims c;
    assert_int_equal(jwt_verify(k, sizeof k - 1, t, 0, &c), -EBADMSG);
    assert_int_equal(jwt_verify(k, sizeof k - 2, t, 0, &c), -EACCES);
}

/* RFC 7515 appendix A.1: header {"typ":"JWT",\r\n "alg":"HS256"}, the key
 * of the JWK there. Signature good, claims not ours. */
static void test_rfc7515_a1(void **state)
{
    (void)state;
    static const uint8_t key[64] = {
        0x03, 0x23, 0x35, 0x4b, 0x2b, 0x0f, 0xa5, 0xbc, 0x83, 0x7e, 0x06, 0x65, 0x77,
        0x7b, 0xa6, 0x8f, 0x5a, 0xb3, 0x28, 0xe6, 0xf0, 0x54, 0xc9, 0x28, 0xa9, 0x0f,
        0x84, 0xb2, 0xd2, 0x50, 0x2e, 0xbf, 0xd3, 0xfb, 0x5a, 0x92, 0xd2, 0x06, 0x47,
        0xef, 0x96, 0x8a, 0xb4, 0xc3, 0x77, 0x62, 0x3d, 0x22, 0x3d, 0x2e, 0x21, 0x72,
        0x05, 0x2e, 0x4f, 0x08, 0xc0, 0xcd, 0x9a, 0xf5, 0x67, 0xd0, 0x80, 0xa3};
    char t[] = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTk"
               "zODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
               "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    struct jwt_claims c;
    assert_int_equal(jwt_verify((const char *)key, sizeof key, t, 0, &c), -EBADMSG);
    char *sig = strrchr(t, '.') + 1;
    sig[0] = 'e';
    assert_int_equal(jwt_verify((const char *)key, sizeof key, t, 0, &c), -EACCES);
}

static void round_trip(const char *room, const char *role, const char *name, int64_t exp,
                       int64_t iat)
{
    struct jwt_claims in = {.exp = exp, .iat = iat}, out;
    snprintf(in.room, sizeof in.room, "%s", room);
    snprintf(in.role, sizeof in.role, "%s", role);
    snprintf(in.name, sizeof in.name, "%s", name);
    char tok[JWT_MAX_LEN + 1];
    assert_int_equal(jwt_sign(SECRET, &in, tok, sizeof tok), 0);
    assert_int_equal(jwt_verify(SECRET, tok, exp - 1, &out), 0);
    assert_memory_equal(&in, &out, sizeof in);
}

static void test_round_trip(void **state)
{
    (void)state;
    char n64[65], ctl[65];
    memset(n64, 'x', 64);
    n64[64] = '\0';
    for (int i = 0; i < 64; i++)
        ctl[i] = (char)(1 + i % 31);
    ctl[64] = '\0';
    round_trip("demo", "chair", "Ch\xe1\xbb\x8b Lan", 4102444800, 1700000000);
    round_trip("r", "participant", "quote \" backslash \\ slash / tab \t", 10, -5);
    round_trip(n64, "observer", n64, INT64_MAX, INT64_MIN);
    round_trip("x", "observer", ctl, 1, 0);
    round_trip("\xf0\x9f\x8c\x89 c\xe1\xba\xa7u", "chair", "\xf4\x8f\xbf\xbf", -100, 0);
}

static void test_forged(void **state)
{
    (void)state;
    struct jwt_claims c;
    char tok[JWT_MAX_LEN + 1];
    assert_int_equal(jwt_sign(SECRET, &known_claims, tok, sizeof tok), 0);
    static const char other[] = "cau-test-secret-0123456789abcdef-0124";
    assert_int_equal(jwt_verify(other, sizeof other - 1, tok, 0, &c), -EACCES);
    assert_string_equal(c.room, "");
    /* Payload swapped for one with another role, the old signature kept. */
    const char *p = "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"X\",\"exp\":4102444800,"
                    "\"iat\":1700000000}";
    char forged[JWT_MAX_LEN + 1];
    snprintf(forged, sizeof forged, "%s", make_token(HS256, p, "k", 1));
    char *sig = strrchr(forged, '.');
    strcpy(sig, strrchr(tok, '.'));
    assert_int_equal(jwt_verify(SECRET, forged, 0, &c), -EACCES);
    /* Each signature character altered. */
    char *s = strrchr(tok, '.') + 1;
    for (size_t i = 0; i + 1 < strlen(s); i++) {
        char keep = s[i];
        s[i] = keep == 'A' ? 'B' : 'A';
        assert_int_equal(jwt_verify(SECRET, tok, 0, &c), -EACCES);
        s[i] = keep;
    }
    assert_int_equal(jwt_verify(SECRET, tok, 0, &c), 0);
}

static void test_bad_header(void **state)
{
    (void)state;
    static const char *const headers[] = {
        "{\"alg\":\"none\",\"typ\":\"JWT\"}",
        "{\"alg\":\"none\"}",
        "{\"alg\":\"HS512\"}",
        "{\"alg\":\"hs256\"}",
        "{\"typ\":\"JWT\"}",
        "{\"alg\":256}",
        "{\"alg\":\"HS256\",\"typ\":\"JWS\"}",
        "{\"alg\":\"HS256\",\"typ\":1}",
        "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
        "{\"alg\":\"HS256\",\"alg\":\"HS256\"}",
        "[\"HS256\"]",
        "\"HS256\"",
        "{\"alg\":\"HS256\"",
        "",
    };
    struct jwt_claims c;
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        assert_int_equal(jwt_verify(SECRET, make_token(headers[i], CLAIMS, SECRET), 0, &c),
                         -EBADMSG);
    /* alg none with the signature left empty, as an attacker sends it. */
    char t[256];
    b64u("{\"alg\":\"none\"}", 14, t);
    strcat(t, ".");
    b64u(CLAIMS, strlen(CLAIMS), t + strlen(t));
    strcat(t, ".");
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    /* Accepted: typ absent, extra members. */
    assert_int_equal(jwt_verify(SECRET, make_token("{\"alg\":\"HS256\"}", CLAIMS, SECRET), 0, &c),
                     0);
    assert_int_equal(
        jwt_verify(SECRET, make_token("{\"kid\":\"1\",\"alg\":\"HS256\"}", CLAIMS, SECRET), 0, &c),
        0);
}

static void test_bad_claims(void **state)
{
    (void)state;
    static const char *const payloads[] = {
        "hello",
        "[]",
        "{}",
        "{\"room\":\"demo\",\"role\":\"observer\",\"name\":\"N\",\"exp\":2000}",
        "{\"room\":\"demo\",\"role\":\"observer\",\"name\":\"N\",\"iat\":1000}",
        "{\"role\":\"observer\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"observer\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"admin\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"Chair\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"\",\"role\":\"chair\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":1,\"role\":\"chair\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"N\",\"exp\":\"2000\",\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"N\",\"exp\":2000.5,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"N\",\"exp\":2000,\"iat\":null}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"N\",\"exp\":1e99,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"N\",\"exp\":99999999999999999999,"
        "\"iat\":1}",
        "{\"room\":\"demo\",\"room\":\"x\",\"role\":\"chair\",\"name\":\"N\",\"exp\":2,\"iat\":1}",
        "{\"room\":\"de\\u0000mo\",\"role\":\"chair\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}",
        "{\"room\":\"demo\",\"role\":\"chair\",\"name\":\"\xff\",\"exp\":2000,\"iat\":1000}",
    };
    struct jwt_claims c;
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++)
        assert_int_equal(jwt_verify(SECRET, make_token(HS256, payloads[i], SECRET), 0, &c),
                         -EBADMSG);
    /* 65-byte room and name: one over. */
    char p[512], s65[66];
    memset(s65, 'r', 65);
    s65[65] = '\0';
    snprintf(p, sizeof p,
             "{\"room\":\"%s\",\"role\":\"chair\",\"name\":\"N\",\"exp\":2000,\"iat\":1000}", s65);
    assert_int_equal(jwt_verify(SECRET, make_token(HS256, p, SECRET), 0, &c), -EBADMSG);
    snprintf(p, sizeof p,
             "{\"room\":\"r\",\"role\":\"chair\",\"name\":\"%s\",\"exp\":2000,\"iat\":1000}", s65);
    assert_int_equal(jwt_verify(SECRET, make_token(HS256, p, SECRET), 0, &c), -EBADMSG);
    /* Extra claims are ignored. */
    assert_int_equal(
        jwt_verify(SECRET,
                   make_token(HS256,
                              "{\"sub\":{\"a\":[1]},\"room\":\"demo\",\"role\":\"chair\",\"name\":"
                              "\"N\",\"exp\":2000,\"iat\":1000,\"nbf\":0}",
                              SECRET),
                   0, &c),
        0);
    assert_string_equal(c.role, "chair");
}

static void test_expired(void **state)
{
    (void)state;
    struct jwt_claims c;
    const char *t = make_token(HS256, CLAIMS, SECRET);
    assert_int_equal(jwt_verify(SECRET, t, 1999, &c), 0);
    assert_int_equal(jwt_verify(SECRET, t, 2000, &c), -ETIMEDOUT);
    assert_string_equal(c.room, "demo"); /* claims kept for the log */
    assert_int_equal(c.exp, 2000);
    assert_int_equal(jwt_verify(SECRET, t, INT64_MAX, &c), -ETIMEDOUT);
}

static void test_truncated_and_split(void **state)
{
    (void)state;
    struct jwt_claims c;
    char t[JWT_MAX_LEN + 1];
    for (size_t n = 0; n < sizeof known_token - 1; n++) {
        memcpy(t, known_token, n);
        t[n] = '\0';
        assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    }
    static const char *const bad[] = {"a.b", "a.b.c.d", "..", "...", "abc", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(jwt_verify(SECRET, bad[i], 0, &c), -EBADMSG);
    snprintf(t, sizeof t, "%s.", known_token);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    snprintf(t, sizeof t, "%s=", known_token);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
}

/* The decoder is strict: one token, one spelling. */
static void test_base64url_strict(void **state)
{
    (void)state;
    struct jwt_claims c;
    char t[JWT_MAX_LEN + 1];
    const char *sig = strrchr(known_token, '.');
    size_t hlen = strchr(known_token, '.') - known_token;
    /* padding, a space, '+' for '-', a 4k+1 length header */
    snprintf(t, sizeof t, "%.*s=%s", (int)(sig - known_token), known_token, sig);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    snprintf(t, sizeof t, "%.*s %s", (int)(sig - known_token), known_token, sig);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    snprintf(t, sizeof t, "%s", known_token);
    *strchr(strrchr(t, '.'), '-') = '+';
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    snprintf(t, sizeof t, "%.*sA%s", (int)hlen, known_token, known_token + hlen);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    /* The last signature character 'Q' carries 2 unused bits: 'R' sets one. */
    snprintf(t, sizeof t, "%s", known_token);
    t[strlen(t) - 1] = 'R';
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
}

static void test_huge(void **state)
{
    (void)state;
    struct jwt_claims c;
    size_t n = 1 << 20;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'A', n);
    big[n] = '\0';
    memcpy(big, known_token, sizeof known_token - 1);
    assert_int_equal(jwt_verify(SECRET, big, 0, &c), -EBADMSG);
    big[JWT_MAX_LEN + 1] = '\0';
    assert_int_equal(jwt_verify(SECRET, big, 0, &c), -EBADMSG);
    /* Exactly JWT_MAX_LEN: a long extra claim, correctly signed. */
    char *p = malloc(JWT_MAX_LEN);
    assert_non_null(p);
    /* 36 + 1 + b64(3011 bytes: 4015) + 1 + 43 = 4096 */
    int pad = 3011 - 8 - (int)(sizeof CLAIMS - 2);
    int len = snprintf(p, JWT_MAX_LEN, "{\"x\":\"%*s\",%s", pad, "", CLAIMS + 1);
    assert_true(len > 0);
    const char *t = make_token(HS256, p, SECRET);
    assert_int_equal(strlen(t), JWT_MAX_LEN);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), 0);
    p[len - 1] = ' ';
    strcat(p, " }");
    t = make_token(HS256, p, SECRET);
    assert_true(strlen(t) > JWT_MAX_LEN);
    assert_int_equal(jwt_verify(SECRET, t, 0, &c), -EBADMSG);
    free(p);
    free(big);
}

static void test_sign_errors(void **state)
{
    (void)state;
    char tok[JWT_MAX_LEN + 1];
    size_t len = strlen(known_token);
    assert_int_equal(jwt_sign(SECRET, &known_claims, tok, len), -ENOSPC);
    assert_int_equal(jwt_sign(SECRET, &known_claims, tok, len + 1), 0);
    assert_int_equal(jwt_sign(secret, 0, &known_claims, tok, sizeof tok), -EINVAL);
    assert_int_equal(jwt_sign(NULL, 3, &known_claims, tok, sizeof tok), -EINVAL);
    assert_int_equal(jwt_sign(SECRET, NULL, tok, sizeof tok), -EINVAL);
    struct jwt_claims c = known_claims;
    c.room[0] = '\0';
    assert_int_equal(jwt_sign(SECRET, &c, tok, sizeof tok), -EINVAL);
    c = known_claims;
    strcpy(c.role, "admin");
    assert_int_equal(jwt_sign(SECRET, &c, tok, sizeof tok), -EINVAL);
    c = known_claims;
    memset(c.role, 'x', sizeof c.role); /* not terminated */
    assert_int_equal(jwt_sign(SECRET, &c, tok, sizeof tok), -EINVAL);
    c = known_claims;
    memset(c.name, 'n', sizeof c.name); /* not terminated */
    assert_int_equal(jwt_sign(SECRET, &c, tok, sizeof tok), -EINVAL);
    static const char *const not_utf8[] = {"\xff",         "\xc0\x80",         "\xe0\x80\x80",
                                           "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe1\xbb",
                                           "\x80"};
    for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++) {
        c = known_claims;
        strcpy(c.name, not_utf8[i]);
        assert_int_equal(jwt_sign(SECRET, &c, tok, sizeof tok), -EINVAL);
    }
    assert_int_equal(jwt_verify(SECRET, known_token, 0, NULL), -EINVAL);
    assert_true(jwt_role_valid("observer"));
    assert_false(jwt_role_valid("observers"));
    assert_false(jwt_role_valid(""));
}

/* Every allocation jwt_verify makes (Jansson's, routed through mem.h) can
 * fail: no crash, no leak, an error (Jansson reports most allocation failures
 * as syntax errors, so -EBADMSG is as good as -ENOMEM here). */
static void test_enomem_sweep(void **state)
{
    (void)state;
    json_set_alloc_funcs(mem_alloc, mem_free);
    long base = mem_live_count();
    struct jwt_claims c;
    int rc = -ENOMEM;
    unsigned long n;
    for (n = 1; rc != 0 && n < 1000; n++) {
        mem_fail_nth(n);
        rc = jwt_verify(SECRET, known_token, 0, &c);
        assert_true(rc == -ENOMEM || rc == -EBADMSG || rc == 0);
        assert_int_equal(mem_live_count(), base);
    }
    mem_fail_nth(0);
    assert_int_equal(rc, 0);
    assert_true(n > 10);
    assert_memory_equal(&c, &known_claims, sizeof c);
    json_set_alloc_funcs(malloc, free);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_known_vector),
        cmocka_unit_test(test_jwtio_vector),
        cmocka_unit_test(test_rfc7515_a1),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_forged),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_bad_claims),
        cmocka_unit_test(test_expired),
        cmocka_unit_test(test_truncated_and_split),
        cmocka_unit_test(test_base64url_strict),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_sign_errors),
        cmocka_unit_test(test_enomem_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
