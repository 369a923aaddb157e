#include "sfu/core/control_msgs.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ID                                                                                         \
    {                                                                                              \
        "id", SCHEMA_INT, true, 0, NULL                                                            \
    }
#define ROOM                                                                                       \
    {                                                                                              \
        "room", SCHEMA_STRING, true, CONTROL_MSGS_ID_MAX, NULL                                     \
    }
#define PARTICIPANT                                                                                \
    {                                                                                              \
        "participant", SCHEMA_STRING, true, CONTROL_MSGS_ID_MAX, NULL                              \
    }
#define SDP                                                                                        \
    {                                                                                              \
        "sdp", SCHEMA_STRING, true, CONTROL_MSGS_SDP_MAX, NULL                                     \
    }

static const char *const role_values[] = {"chair", "participant", "observer", NULL};
static const char *const pc_values[] = {"publish", "subscribe", NULL};

static const struct schema_field room_fields[] = {ID, ROOM};

static const struct schema_field add_fields[] = {
    ID,
    ROOM,
    PARTICIPANT,
    {"name", SCHEMA_STRING, true, CONTROL_MSGS_ID_MAX, NULL},
    {"role", SCHEMA_STRING, true, 0, role_values},
};

static const struct schema_field participant_fields[] = {ID, PARTICIPANT};

static const struct schema_field sdp_fields[] = {ID, PARTICIPANT, SDP};

static const struct schema_field candidate_fields[] = {
    ID,
    PARTICIPANT,
    {"pc", SCHEMA_STRING, true, 0, pc_values},
    {"candidate", SCHEMA_STRING, true, CONTROL_MSGS_CANDIDATE_MAX, NULL},
};

static const struct schema_field id_fields[] = {ID};

const struct schema_msg control_msgs[] = {
    {"room_open", room_fields, N(room_fields)},
    {"room_close", room_fields, N(room_fields)},
    {"participant_add", add_fields, N(add_fields)},
    {"participant_remove", participant_fields, N(participant_fields)},
    {"publish", sdp_fields, N(sdp_fields)},
    {"subscribe", participant_fields, N(participant_fields)},
    {"subscribe_answer", sdp_fields, N(sdp_fields)},
    {"candidate", candidate_fields, N(candidate_fields)},
    {"stats", id_fields, N(id_fields)},
};

const size_t control_msgs_count = N(control_msgs);
