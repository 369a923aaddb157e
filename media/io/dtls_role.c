#include "media/io/dtls_role.h"

#include <errno.h>
#include <strings.h>

static const char *const setup_names[] = {
    [DTLS_ROLE_SETUP_ACTPASS] = "actpass",
    [DTLS_ROLE_SETUP_ACTIVE] = "active",
    [DTLS_ROLE_SETUP_PASSIVE] = "passive",
    [DTLS_ROLE_SETUP_HOLDCONN] = "holdconn",
};

int dtls_role_parse_setup(const char *s, size_t n, enum dtls_role_setup *out)
{
    if (!out || (!s && n))
        return -EINVAL;
    for (size_t i = 0; i < sizeof setup_names / sizeof setup_names[0]; i++) {
        const char *name = setup_names[i];
        size_t len = 0;
        while (name[len])
            len++;
        if (n == len && strncasecmp(s, name, n) == 0) {
            *out = (enum dtls_role_setup)i;
            return 0;
        }
    }
    return -EBADMSG;
}

int dtls_role_from_remote(enum dtls_role_setup remote, enum dtls_role *out)
{
    switch (remote) {
    case DTLS_ROLE_SETUP_ACTPASS:
    case DTLS_ROLE_SETUP_ACTIVE:
        *out = DTLS_ROLE_SERVER;
        return 0;
    case DTLS_ROLE_SETUP_PASSIVE:
        *out = DTLS_ROLE_CLIENT;
        return 0;
    case DTLS_ROLE_SETUP_HOLDCONN:
        break;
    }
    return -EINVAL;
}

const char *dtls_role_setup_name(enum dtls_role role)
{
    return role == DTLS_ROLE_SERVER ? "passive" : "active";
}
