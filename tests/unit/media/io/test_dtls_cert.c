#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "media/core/mem.h"
#include "media/io/dtls_cert.h"

/* A sha-256 fingerprint as Chromium writes it in an offer. */
static const char chrome_fp[] = "D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:"
                                "79:36:4E:9C:1E:15:54:39:0C:06:8B:ED:96:86:00:39";

static int parse_attr(struct dtls_cert_fp *fp, const char *s)
{
    return dtls_cert_fp_parse_attr(fp, s, strlen(s));
}

static void test_certificate_shape(void **state)
{
    (void)state;
    struct dtls_cert *c = NULL;
    assert_int_equal(dtls_cert_create(&c), 0);
    X509 *x = dtls_cert_x509(c);
    char cn[16] = "";
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof cn);
    assert_string_equal(cn, "cau");
    assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
    assert_int_equal(X509_verify(x, dtls_cert_key(c)), 1); /* self-signed */
    EVP_PKEY *pub = X509_get0_pubkey(x);
    assert_int_equal(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
    char group[32] = "";
    assert_int_equal(EVP_PKEY_get_group_name(pub, group, sizeof group, NULL), 1);
    assert_string_equal(group, "prime256v1");
    assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
    /* Valid now, expires in DTLS_CERT_VALID_DAYS days. */
    time_t now = time(NULL);
    assert_true(X509_cmp_time(X509_get0_notBefore(x), &now) < 0);
    assert_true(X509_cmp_time(X509_get0_notAfter(x), &now) > 0);
    time_t later = now + (DTLS_CERT_VALID_DAYS + 1) * 86400L;
    assert_true(X509_cmp_time(X509_get0_notAfter(x), &later) < 0);
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    assert_false(ASN1_STRING_length(serial) == 0);
    assert_int_not_equal(serial->type, V_ASN1_NEG_INTEGER);
    dtls_cert_free(c);
}

static void test_fingerprint_text_round_trip(void **state)
{
    (void)state;
    struct dtls_cert *c = NULL;
    assert_int_equal(dtls_cert_create(&c), 0);
    const char *text = dtls_cert_fp_text(c);
    assert_int_equal(strlen(text), 95);
    for (size_t i = 0; i < 95; i++) {
        if (i % 3 == 2)
            assert_int_equal(text[i], ':');
        else
            assert_non_null(strchr("0123456789ABCDEF", text[i]));
    }
    /* Our digest is the SHA-256 of the DER certificate. */
    unsigned char *der = NULL;
    int der_len = i2d_X509(dtls_cert_x509(c), &der);
    assert_true(der_len > 0);
    uint8_t md[32];
    assert_int_equal(EVP_Digest(der, (size_t)der_len, md, NULL, EVP_sha256(), NULL), 1);
    OPENSSL_free(der);
    assert_memory_equal(md, dtls_cert_fp(c)->sha256, 32);
    struct dtls_cert_fp fp;
    assert_int_equal(dtls_cert_fp_parse(&fp, "sha-256", text), 0);
    assert_true(dtls_cert_fp_equal(&fp, dtls_cert_fp(c)));
    dtls_cert_free(c);
}

static void test_two_certificates_differ(void **state)
{
    (void)state;
    struct dtls_cert *a = NULL, *b = NULL;
    assert_int_equal(dtls_cert_create(&a), 0);
    assert_int_equal(dtls_cert_create(&b), 0);
    assert_false(dtls_cert_fp_equal(dtls_cert_fp(a), dtls_cert_fp(b)));
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(dtls_cert_x509(a)),
                                          X509_get0_serialNumber(dtls_cert_x509(b))),
                         0);
    dtls_cert_free(a);
    dtls_cert_free(b);
}

static void test_parse_known_fingerprint(void **state)
{
    (void)state;
    struct dtls_cert_fp fp, lower;
    char attr[128] = "sha-256 ";
    strcat(attr, chrome_fp);
    assert_int_equal(parse_attr(&fp, attr), 0);
    assert_int_equal(fp.sha256[0], 0xD1);
    assert_int_equal(fp.sha256[1], 0x2C);
    assert_int_equal(fp.sha256[31], 0x39);
    char text[DTLS_CERT_FP_STRLEN];
    dtls_cert_fp_format(&fp, text);
    assert_string_equal(text, chrome_fp);
    /* Lower-case hex and an upper-case hash name are the same fingerprint. */
    char low[128] = "SHA-256 ";
    for (size_t i = 0; chrome_fp[i]; i++)
        low[8 + i] =
            (char)(chrome_fp[i] >= 'A' && chrome_fp[i] <= 'F' ? chrome_fp[i] + 32 : chrome_fp[i]);
    low[8 + 95] = '\0';
    assert_int_equal(parse_attr(&lower, low), 0);
    assert_true(dtls_cert_fp_equal(&fp, &lower));
    lower.sha256[31] ^= 0x80;
    assert_false(dtls_cert_fp_equal(&fp, &lower));
}

static void test_parse_rejects_malformed(void **state)
{
    (void)state;
    struct dtls_cert_fp fp;
    memset(&fp, 0x5a, sizeof fp);
    char attr[160];
    static const char *const bad[] = {
        "",
        "sha-256",
        "sha-256 ",
        " D1:2C",
        "sha-256  D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00:39", /* two spaces */
        "sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00", /* 31 pairs */
        "sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00:39:AA", /* 33 pairs */
        "sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00:39:", /* trailing : */
        "sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00:39 ", /* trailing SP */
        "sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00:3G", /* not hex */
        "sha-256 D12C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:"
        "06:8B:ED:96:86:00:39:1", /* misplaced : */
        "sha-256 D1-2C-BE-AD",
        "sha\x01"
        "256 D1:2C",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(attr, sizeof attr, "%s", bad[i]);
        assert_int_equal(parse_attr(&fp, attr), -EBADMSG);
    }
    /* A length that stops short of the text is honoured (no read past n). */
    char full[128] = "sha-256 ";
    strcat(full, chrome_fp);
    for (size_t n = 0; n < strlen(full); n++)
        assert_int_equal(dtls_cert_fp_parse_attr(&fp, full, n), -EBADMSG);
    assert_int_equal(fp.sha256[0], 0x5a); /* untouched on failure */
    assert_int_equal(dtls_cert_fp_parse(&fp, "sha-256", "D1:2C"), -EBADMSG);
    assert_int_equal(dtls_cert_fp_parse(&fp, "", chrome_fp), -EBADMSG);
    assert_int_equal(dtls_cert_fp_parse(&fp, NULL, chrome_fp), -EINVAL);
    assert_int_equal(dtls_cert_fp_parse_attr(NULL, full, strlen(full)), -EINVAL);
    assert_int_equal(dtls_cert_fp_parse_attr(&fp, NULL, 0), -EBADMSG);
}

/* RFC 4572 §5's example is SHA-1: well formed, but not ours to accept. */
static void test_parse_other_hash_unsupported(void **state)
{
    (void)state;
    struct dtls_cert_fp fp;
    assert_int_equal(parse_attr(&fp, "SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:"
                                     "E5:7C:AB"),
                     -ENOTSUP);
    char attr[128] = "sha-512 ";
    strcat(attr, chrome_fp);
    assert_int_equal(parse_attr(&fp, attr), -ENOTSUP);
    assert_int_equal(dtls_cert_fp_parse(&fp, "sha-1", "4A:AD"), -ENOTSUP);
}

static void test_create_allocation_failure(void **state)
{
    (void)state;
    long live = mem_live_count();
    struct dtls_cert *c = NULL;
    mem_fail_nth(1);
    assert_int_equal(dtls_cert_create(&c), -ENOMEM);
    mem_fail_nth(0);
    assert_null(c);
    assert_int_equal(mem_live_count(), live);
    dtls_cert_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificate_shape),
        cmocka_unit_test(test_fingerprint_text_round_trip),
        cmocka_unit_test(test_two_certificates_differ),
        cmocka_unit_test(test_parse_known_fingerprint),
        cmocka_unit_test(test_parse_rejects_malformed),
        cmocka_unit_test(test_parse_other_hash_unsupported),
        cmocka_unit_test(test_create_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
