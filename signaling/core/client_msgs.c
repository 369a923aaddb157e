#include "signaling/core/client_msgs.h"

#define REF_FIELD                                                                                  \
    {                                                                                              \
        "ref", SCHEMA_STRING_OR_NUMBER, false, CLIENT_MSGS_REF_MAX, NULL                           \
    }
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const pc_values[] = {"publish", "subscribe", NULL};

static const struct schema_field join_fields[] = {
    {"token", SCHEMA_STRING, true, CLIENT_MSGS_TOKEN_MAX, NULL},
    REF_FIELD,
};

static const struct schema_field sdp_fields[] = {
    {"sdp", SCHEMA_STRING, true, CLIENT_MSGS_SDP_MAX, NULL},
    REF_FIELD,
};

static const struct schema_field candidate_fields[] = {
    {"pc", SCHEMA_STRING, true, 0, pc_values},
    {"candidate", SCHEMA_STRING, true, CLIENT_MSGS_CANDIDATE_MAX, NULL},
    REF_FIELD,
};

static const struct schema_field ref_only_fields[] = {
    REF_FIELD,
};

const struct schema_msg client_msgs[] = {
    {"join", join_fields, N(join_fields)},
    {"publish", sdp_fields, N(sdp_fields)},
    {"subscribe", ref_only_fields, N(ref_only_fields)},
    {"subscribe_answer", sdp_fields, N(sdp_fields)},
    {"candidate", candidate_fields, N(candidate_fields)},
    {"leave", ref_only_fields, N(ref_only_fields)},
};

const size_t client_msgs_count = N(client_msgs);

const char *client_error_code(enum schema_result r)
{
    switch (r) {
    case SCHEMA_OK:
        return NULL;
    case SCHEMA_BAD_JSON:
        return "bad_json";
    case SCHEMA_UNKNOWN_TYPE:
        return "unknown_type";
    case SCHEMA_BAD_FIELD:
        return "bad_field";
    }
    return "bad_json";
}
