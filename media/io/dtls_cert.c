#include "media/io/dtls_cert.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "media/core/mem.h"

struct dtls_cert {
    EVP_PKEY *key;
    X509 *x509;
    struct dtls_cert_fp fp;
    char fp_text[DTLS_CERT_FP_STRLEN];
};

/* A positive, non-zero serial of at most 20 octets (RFC 5280 §4.1.2.2);
 * random so that two certificates of one run never share issuer+serial. */
static int set_random_serial(X509 *x)
{
    uint64_t v = 0;
    if (RAND_bytes((unsigned char *)&v, sizeof v) != 1)
        return -ENOMEM;
    v = (v >> 1) | 1;
    return ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), v) == 1 ? 0 : -ENOMEM;
}

static int fill_certificate(X509 *x, EVP_PKEY *key)
{
    if (X509_set_version(x, 2) != 1 || set_random_serial(x) != 0)
        return -ENOMEM;
    /* A day of slack before now: the peer's clock may be behind ours. */
    if (!X509_gmtime_adj(X509_getm_notBefore(x), -86400L) ||
        !X509_gmtime_adj(X509_getm_notAfter(x), DTLS_CERT_VALID_DAYS * 86400L))
        return -ENOMEM;
    X509_NAME *name = X509_get_subject_name(x);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"cau", -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(x, name) != 1 || X509_set_pubkey(x, key) != 1)
        return -ENOMEM;
    return X509_sign(x, key, EVP_sha256()) > 0 ? 0 : -ENOMEM;
}

int dtls_cert_create(struct dtls_cert **out)
{
    struct dtls_cert *c = mem_zalloc(sizeof *c);
    if (!c)
        return -ENOMEM;
    int err = -ENOMEM;
    c->key = EVP_EC_gen("P-256");
    c->x509 = X509_new();
    if (!c->key || !c->x509)
        goto out;
    err = fill_certificate(c->x509, c->key);
    if (err == 0)
        err = dtls_cert_fp_of_x509(c->x509, &c->fp);
out:
    if (err) {
        dtls_cert_free(c);
        return err;
    }
    dtls_cert_fp_format(&c->fp, c->fp_text);
    *out = c;
    return 0;
}

void dtls_cert_free(struct dtls_cert *c)
{
    if (!c)
        return;
    X509_free(c->x509);
    EVP_PKEY_free(c->key);
    mem_free(c);
}

X509 *dtls_cert_x509(const struct dtls_cert *c)
{
    return c->x509;
}

EVP_PKEY *dtls_cert_key(const struct dtls_cert *c)
{
    return c->key;
}

const struct dtls_cert_fp *dtls_cert_fp(const struct dtls_cert *c)
{
    return &c->fp;
}

const char *dtls_cert_fp_text(const struct dtls_cert *c)
{
    return c->fp_text;
}

int dtls_cert_fp_of_x509(X509 *x, struct dtls_cert_fp *out)
{
    unsigned int n = 0;
    if (!x || X509_digest(x, EVP_sha256(), out->sha256, &n) != 1 || n != DTLS_CERT_FP_LEN)
        return -ENOMEM;
    return 0;
}

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* RFC 8122 §5: fingerprint = 2UHEX *(":" 2UHEX). Stores the first `cap`
 * octets, counts them all in *count. */
static int parse_hex_pairs(const char *p, size_t n, uint8_t *out, size_t cap, size_t *count)
{
    size_t k = 0;
    for (size_t i = 0;; i += 3) {
        if (n - i < 2)
            return -EBADMSG;
        int hi = hex_value(p[i]);
        int lo = hex_value(p[i + 1]);
        if (hi < 0 || lo < 0)
            return -EBADMSG;
        if (k < cap)
            out[k] = (uint8_t)(hi << 4 | lo);
        k++;
        if (i + 2 == n)
            break;
        if (p[i + 2] != ':')
            return -EBADMSG;
    }
    *count = k;
    return 0;
}

/* hash[0..hash_len) is an RFC 8122 hash-func token, hex[0..hex_len) the
 * fingerprint. A well-formed fingerprint of another hash is -ENOTSUP. */
static int parse_fields(struct dtls_cert_fp *out, const char *hash, size_t hash_len,
                        const char *hex, size_t hex_len)
{
    if (hash_len == 0)
        return -EBADMSG;
    for (size_t i = 0; i < hash_len; i++) {
        if (hash[i] <= ' ' || hash[i] >= 0x7f)
            return -EBADMSG;
    }
    uint8_t digest[DTLS_CERT_FP_LEN];
    size_t count = 0;
    int err = parse_hex_pairs(hex, hex_len, digest, sizeof digest, &count);
    if (err)
        return err;
    if (hash_len != 7 || strncasecmp(hash, "sha-256", 7) != 0)
        return -ENOTSUP;
    if (count != DTLS_CERT_FP_LEN)
        return -EBADMSG;
    memcpy(out->sha256, digest, sizeof digest);
    return 0;
}

int dtls_cert_fp_parse(struct dtls_cert_fp *out, const char *hash, const char *hex)
{
    if (!out || !hash || !hex)
        return -EINVAL;
    return parse_fields(out, hash, strlen(hash), hex, strlen(hex));
}

int dtls_cert_fp_parse_attr(struct dtls_cert_fp *out, const char *s, size_t n)
{
    if (!out || (!s && n))
        return -EINVAL;
    const char *sp = s ? memchr(s, ' ', n) : NULL;
    if (!sp)
        return -EBADMSG;
    size_t hash_len = (size_t)(sp - s);
    return parse_fields(out, s, hash_len, sp + 1, n - hash_len - 1);
}

void dtls_cert_fp_format(const struct dtls_cert_fp *fp, char buf[DTLS_CERT_FP_STRLEN])
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < DTLS_CERT_FP_LEN; i++) {
        buf[3 * i] = hex[fp->sha256[i] >> 4];
        buf[3 * i + 1] = hex[fp->sha256[i] & 15];
        buf[3 * i + 2] = i + 1 < DTLS_CERT_FP_LEN ? ':' : '\0';
    }
}

bool dtls_cert_fp_equal(const struct dtls_cert_fp *a, const struct dtls_cert_fp *b)
{
    return CRYPTO_memcmp(a->sha256, b->sha256, DTLS_CERT_FP_LEN) == 0;
}
