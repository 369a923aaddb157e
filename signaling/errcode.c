#include "signaling/errcode.h"

#include <string.h>

static const char *const names[ERRCODE_COUNT] = {
    [ERRCODE_BAD_JSON] = "bad_json",
    [ERRCODE_UNKNOWN_TYPE] = "unknown_type",
    [ERRCODE_BAD_FIELD] = "bad_field",
    [ERRCODE_TOO_LARGE] = "too_large",
    [ERRCODE_RATE_LIMITED] = "rate_limited",
    [ERRCODE_NOT_JOINED] = "not_joined",
    [ERRCODE_ALREADY_JOINED] = "already_joined",
    [ERRCODE_BAD_TOKEN] = "bad_token",
    [ERRCODE_EXPIRED_TOKEN] = "expired_token",
    [ERRCODE_NO_SUCH_ROOM] = "no_such_room",
    [ERRCODE_SDP_REJECTED] = "sdp_rejected",
    [ERRCODE_INTERNAL] = "internal",
};

const char *errcode_name(enum errcode c)
{
    if ((unsigned)c >= ERRCODE_COUNT)
        return "internal";
    return names[c];
}

enum errcode errcode_from_name(const char *name)
{
    if (!name)
        return ERRCODE_COUNT;
    for (unsigned i = 0; i < ERRCODE_COUNT; i++)
        if (strcmp(names[i], name) == 0)
            return (enum errcode)i;
    return ERRCODE_COUNT;
}

bool errcode_closes(enum errcode c)
{
    return c == ERRCODE_BAD_TOKEN || c == ERRCODE_EXPIRED_TOKEN || c == ERRCODE_NO_SUCH_ROOM;
}
