#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/ice_sdp.h"
#include "media/core/mem.h"

/* Parse from an exact-size heap copy, so that a sanitizer build sees any
 * read past the terminating NUL. */
static int parse(const char *line, struct ice_sdp_cand *c)
{
    char *copy = mem_strdup(line);
    assert_non_null(copy);
    int r = ice_sdp_parse_candidate(copy, c);
    if (r == 0) { /* body must point into the copy */
        assert_true(c->body >= copy && c->body + c->body_len <= copy + strlen(copy));
        c->body = line + (c->body - copy);
    }
    mem_free(copy);
    return r;
}

/* RFC 8839 §5.1 / RFC 8445 examples and lines captured from browsers. */
static void test_known_good_lines(void **state)
{
    (void)state;
    struct ice_sdp_cand c;
    const char *rfc = "a=candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host\r\n";
    assert_int_equal(parse(rfc, &c), 0);
    assert_int_equal(c.body_len,
                     strlen("candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host"));
    assert_ptr_equal(c.body, rfc + 2);
    assert_int_equal(c.component, 1);
    assert_int_equal(c.priority, 2130706431u);
    assert_int_equal(c.port, 8998);
    assert_true(c.udp);
    assert_false(c.mdns);
    assert_int_equal(c.type, ICE_SDP_CAND_HOST);

    assert_int_equal(parse("candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr "
                           "203.0.113.141 rport 8998",
                           &c),
                     0);
    assert_int_equal(c.type, ICE_SDP_CAND_SRFLX);
    assert_int_equal(c.port, 45664);

    /* Chrome trickle, with its extensions. */
    assert_int_equal(parse("candidate:842163049 1 udp 1677729535 198.51.100.7 56143 typ srflx "
                           "raddr 0.0.0.0 rport 0 generation 0 ufrag sXeh network-cost 999",
                           &c),
                     0);
    assert_true(c.udp);
    assert_int_equal(c.priority, 1677729535u);
    /* Chrome's mDNS host candidate. */
    assert_int_equal(parse("candidate:3442447574 1 udp 2122260223 "
                           "4b0a7e2c-9d1f-4c55-8f0e-6a1b2c3d4e5f.local 54321 typ host generation 0",
                           &c),
                     0);
    assert_true(c.mdns);
    /* Firefox, IPv6, relay, TCP, an unknown type, the largest numbers. */
    assert_int_equal(parse("candidate:0 1 UDP 2122252543 2001:db8::1 52384 typ host", &c), 0);
    assert_false(c.mdns);
    assert_int_equal(parse("candidate:5 1 UDP 16777215 192.0.2.9 3478 typ relay raddr 192.0.2.1 "
                           "rport 5000",
                           &c),
                     0);
    assert_int_equal(c.type, ICE_SDP_CAND_RELAY);
    assert_int_equal(parse("candidate:6 1 tcp 1518280447 192.0.2.10 9 typ host tcptype active", &c),
                     0);
    assert_false(c.udp);
    assert_int_equal(parse("candidate:7 2 UDP 1 192.0.2.10 9 typ prflx", &c), 0);
    assert_int_equal(c.component, 2);
    assert_int_equal(c.type, ICE_SDP_CAND_PRFLX);
    assert_int_equal(parse("candidate:a+/Z 256 Udp 4294967295 h.LOCAL 65535 typ nat64", &c), 0);
    assert_int_equal(c.component, 256);
    assert_int_equal(c.priority, 4294967295u);
    assert_int_equal(c.port, 65535);
    assert_true(c.udp && c.mdns);
    assert_int_equal(c.type, ICE_SDP_CAND_OTHER);
}

static void test_end_of_candidates(void **state)
{
    (void)state;
    struct ice_sdp_cand c;
    assert_int_equal(parse("", &c), ICE_SDP_END_OF_CANDIDATES);
    assert_int_equal(parse("\r\n", &c), ICE_SDP_END_OF_CANDIDATES);
    assert_int_equal(parse("a=end-of-candidates", &c), ICE_SDP_END_OF_CANDIDATES);
    assert_int_equal(parse("end-of-candidates\r\n", &c), ICE_SDP_END_OF_CANDIDATES);
    assert_int_equal(parse("a=", &c), -EBADMSG);
    assert_int_equal(parse("a=end-of-candidate", &c), -EBADMSG);
}

static void test_malformed_lines(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "candidate",
        "candidate:",
        "a=candidatex:1 1 UDP 1 192.0.2.1 9 typ host",
        "a=ice-ufrag:abcd",
        "candidate:123456789012345678901234567890123 1 UDP 1 192.0.2.1 9 typ host", /* 33 */
        "candidate:a-b 1 UDP 1 192.0.2.1 9 typ host",
        "candidate:1 0 UDP 1 192.0.2.1 9 typ host",
        "candidate:1 257 UDP 1 192.0.2.1 9 typ host",
        "candidate:1 1a UDP 1 192.0.2.1 9 typ host",
        "candidate:1 0001 UDP 1 192.0.2.1 9 typ host",
        "candidate:1 1 U(P 1 192.0.2.1 9 typ host",
        "candidate:1 1 UDP 0 192.0.2.1 9 typ host",
        "candidate:1 1 UDP 4294967296 192.0.2.1 9 typ host",
        "candidate:1 1 UDP 12345678901 192.0.2.1 9 typ host",
        "candidate:1 1 UDP -1 192.0.2.1 9 typ host",
        "candidate:1 1 UDP 1 192.0.2.1/24 9 typ host",
        "candidate:1 1 UDP 1 192.0.2.1 0 typ host",
        "candidate:1 1 UDP 1 192.0.2.1 65536 typ host",
        "candidate:1 1 UDP 1 192.0.2.1 000080 typ host",
        "candidate:1 1 UDP 1 192.0.2.1 8x typ host",
        "candidate:1 1 UDP 1 192.0.2.1 9 type host",
        "candidate:1 1 UDP 1 192.0.2.1 9 typ",
        "candidate:1 1 UDP 1 192.0.2.1 9",
        "candidate:1 1 UDP 1 192.0.2.1",
        "candidate:1 1 UDP 1 192.0.2.1 9 typ host\tgeneration 0",
        "candidate:1 1 UDP 1 192.0.2.1 9 typ h@st",
    };
    struct ice_sdp_cand c = {.port = 7};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i], &c), -EBADMSG);
        assert_int_equal(c.port, 7); /* untouched on error */
    }
    char addr[300] = "candidate:1 1 UDP 1 ";
    memset(addr + strlen(addr), 'a', 256);
    strcat(addr, " 9 typ host");
    assert_int_equal(parse(addr, &c), -EBADMSG);
    assert_int_equal(ice_sdp_parse_candidate(NULL, &c), -EINVAL);
    assert_int_equal(ice_sdp_parse_candidate("candidate:1 1 UDP 1 192.0.2.1 9 typ host", NULL),
                     -EINVAL);
}

static void test_length_limit(void **state)
{
    (void)state;
    char line[ICE_SDP_CAND_MAX + 2];
    const char *base = "candidate:1 1 UDP 1 192.0.2.1 9 typ host x";
    strcpy(line, base);
    memset(line + strlen(base), 'y', ICE_SDP_CAND_MAX - strlen(base));
    line[ICE_SDP_CAND_MAX] = '\0';
    struct ice_sdp_cand c;
    assert_int_equal(parse(line, &c), 0);
    line[ICE_SDP_CAND_MAX] = 'y';
    line[ICE_SDP_CAND_MAX + 1] = '\0';
    assert_int_equal(parse(line, &c), -EBADMSG);
}

/* Every truncation of a good line is refused, until the type has at least
 * one character (any token is a valid extension type). */
static void test_every_truncation(void **state)
{
    (void)state;
    const char *full = "a=candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host";
    size_t ok_from = strlen("a=candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ h");
    char buf[128];
    struct ice_sdp_cand c;
    for (size_t n = 0; n <= strlen(full); n++) {
        memcpy(buf, full, n);
        buf[n] = '\0';
        int want = n == 0 ? ICE_SDP_END_OF_CANDIDATES : n >= ok_from ? 0 : -EBADMSG;
        assert_int_equal(parse(buf, &c), want);
    }
}

static void test_credentials(void **state)
{
    (void)state;
    char s[ICE_SDP_CRED_MAX + 2];
    assert_true(ice_sdp_valid_ufrag("abcd"));
    assert_true(ice_sdp_valid_ufrag("a+/9"));
    assert_false(ice_sdp_valid_ufrag("abc"));
    assert_false(ice_sdp_valid_ufrag("ab-d"));
    assert_false(ice_sdp_valid_ufrag("ab d"));
    assert_false(ice_sdp_valid_ufrag(NULL));
    assert_true(ice_sdp_valid_pwd("0123456789abcdefABCD+/"));
    assert_false(ice_sdp_valid_pwd("0123456789abcdefABCD+"));
    assert_false(ice_sdp_valid_pwd("0123456789abcdefABCD+="));
    memset(s, 'x', ICE_SDP_CRED_MAX);
    s[ICE_SDP_CRED_MAX] = '\0';
    assert_true(ice_sdp_valid_ufrag(s));
    assert_true(ice_sdp_valid_pwd(s));
    s[ICE_SDP_CRED_MAX] = 'x';
    s[ICE_SDP_CRED_MAX + 1] = '\0';
    assert_false(ice_sdp_valid_ufrag(s));
    assert_false(ice_sdp_valid_pwd(s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_good_lines), cmocka_unit_test(test_end_of_candidates),
        cmocka_unit_test(test_malformed_lines),  cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_every_truncation), cmocka_unit_test(test_credentials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
