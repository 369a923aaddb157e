/* errcode — the error codes of the client protocol (docs/protocol.md,
 * "Errors"): their names on the wire and whether the connection closes after
 * the error is sent. One table, so that /metrics can count every code.
 *
 * Static data; nothing here allocates or fails.
 */
#ifndef CAU_ERRCODE_H
#define CAU_ERRCODE_H

#include <stdbool.h>

enum errcode {
    ERRCODE_BAD_JSON,
    ERRCODE_UNKNOWN_TYPE,
    ERRCODE_BAD_FIELD,
    ERRCODE_TOO_LARGE,
    ERRCODE_RATE_LIMITED,
    ERRCODE_NOT_JOINED,
    ERRCODE_ALREADY_JOINED,
    ERRCODE_BAD_TOKEN,
    ERRCODE_EXPIRED_TOKEN,
    ERRCODE_NO_SUCH_ROOM,
    ERRCODE_SDP_REJECTED,
    ERRCODE_INTERNAL,
    ERRCODE_COUNT
};

/* "bad_json", ...; "internal" for a value out of range. */
const char *errcode_name(enum errcode c);
/* The code named name, or ERRCODE_COUNT when there is none (or name is NULL). */
enum errcode errcode_from_name(const char *name);
/* True for the codes after which signaling closes the connection. */
bool errcode_closes(enum errcode c);

#endif
