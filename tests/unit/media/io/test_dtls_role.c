#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/io/dtls_role.h"

static int parse(const char *s, enum dtls_role_setup *out)
{
    return dtls_role_parse_setup(s, strlen(s), out);
}

static void test_parse_setup_values(void **state)
{
    (void)state;
    enum dtls_role_setup v;
    assert_int_equal(parse("actpass", &v), 0);
    assert_int_equal(v, DTLS_ROLE_SETUP_ACTPASS);
    assert_int_equal(parse("active", &v), 0);
    assert_int_equal(v, DTLS_ROLE_SETUP_ACTIVE);
    assert_int_equal(parse("passive", &v), 0);
    assert_int_equal(v, DTLS_ROLE_SETUP_PASSIVE);
    assert_int_equal(parse("holdconn", &v), 0);
    assert_int_equal(v, DTLS_ROLE_SETUP_HOLDCONN);
    assert_int_equal(parse("ActPass", &v), 0);
    assert_int_equal(v, DTLS_ROLE_SETUP_ACTPASS);
}

static void test_parse_setup_rejects(void **state)
{
    (void)state;
    enum dtls_role_setup v = DTLS_ROLE_SETUP_HOLDCONN;
    assert_int_equal(parse("", &v), -EBADMSG);
    assert_int_equal(parse("act", &v), -EBADMSG);
    assert_int_equal(parse("actpassive", &v), -EBADMSG);
    assert_int_equal(parse("passive ", &v), -EBADMSG);
    assert_int_equal(dtls_role_parse_setup("actpass", 3, &v), -EBADMSG); /* "act" */
    assert_int_equal(dtls_role_parse_setup(NULL, 0, &v), -EBADMSG);
    assert_int_equal(dtls_role_parse_setup(NULL, 4, &v), -EINVAL);
    assert_int_equal(dtls_role_parse_setup("active", 6, NULL), -EINVAL);
    assert_int_equal(v, DTLS_ROLE_SETUP_HOLDCONN);
}

/* RFC 5763 §5 / RFC 8842 §5.3, with the bridge preferring the server role. */
static void test_role_from_remote(void **state)
{
    (void)state;
    enum dtls_role r;
    assert_int_equal(dtls_role_from_remote(DTLS_ROLE_SETUP_ACTPASS, &r), 0);
    assert_int_equal(r, DTLS_ROLE_SERVER);
    assert_string_equal(dtls_role_setup_name(r), "passive");
    assert_int_equal(dtls_role_from_remote(DTLS_ROLE_SETUP_ACTIVE, &r), 0);
    assert_int_equal(r, DTLS_ROLE_SERVER);
    assert_int_equal(dtls_role_from_remote(DTLS_ROLE_SETUP_PASSIVE, &r), 0);
    assert_int_equal(r, DTLS_ROLE_CLIENT);
    assert_string_equal(dtls_role_setup_name(r), "active");
    r = DTLS_ROLE_CLIENT;
    assert_int_equal(dtls_role_from_remote(DTLS_ROLE_SETUP_HOLDCONN, &r), -EINVAL);
    assert_int_equal(r, DTLS_ROLE_CLIENT);
    assert_int_equal(dtls_role_from_remote((enum dtls_role_setup)42, &r), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_setup_values),
        cmocka_unit_test(test_parse_setup_rejects),
        cmocka_unit_test(test_role_from_remote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
