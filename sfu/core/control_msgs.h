/* control_msgs — the field table of the control protocol's requests
 * (docs/control-protocol.md, "Requests"), for schema_parse() with type_key
 * "op". Every request carries an integer "id". A request that fails the
 * table is answered with code "bad_request" (use schema_peek() for its id).
 * Static data; nothing here allocates.
 */
#ifndef CAU_CONTROL_MSGS_H
#define CAU_CONTROL_MSGS_H

#include <stddef.h>

#include "signaling/core/schema.h"

#define CONTROL_MSGS_ID_MAX 64 /* room and participant ids, names: bytes */
#define CONTROL_MSGS_SDP_MAX 65536
#define CONTROL_MSGS_CANDIDATE_MAX 1024

/* room_open, room_close, participant_add, participant_remove, publish,
 * subscribe, subscribe_answer, candidate, stats */
extern const struct schema_msg control_msgs[];
extern const size_t control_msgs_count;

#endif
