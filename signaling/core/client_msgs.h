/* client_msgs — the field table of the client protocol (docs/protocol.md,
 * "Client → signaling"), for schema_parse() with type_key "type".
 *
 * Every message may carry "ref" (a number, or a string of at most
 * CLIENT_MSGS_REF_MAX bytes); the reply and any error about the message
 * carry it back. Static data; nothing here allocates.
 */
#ifndef CAU_CLIENT_MSGS_H
#define CAU_CLIENT_MSGS_H

#include <stddef.h>

#include "signaling/core/schema.h"

#define CLIENT_MSGS_TOKEN_MAX 4096
#define CLIENT_MSGS_SDP_MAX 32768
#define CLIENT_MSGS_CANDIDATE_MAX 1024
#define CLIENT_MSGS_REF_MAX 256

/* join, publish, subscribe, subscribe_answer, candidate, leave */
extern const struct schema_msg client_msgs[];
extern const size_t client_msgs_count;

/* The error code of docs/protocol.md for a failed schema_parse():
 * "bad_json", "unknown_type" or "bad_field"; NULL for SCHEMA_OK. */
const char *client_error_code(enum schema_result r);

#endif
