/* session — the client protocol state machine of one connection
 * (docs/protocol.md): every whole message is validated against the
 * client_msgs table, then
 *
 *   NEW      join -> token checked (bad_token / expired_token /
 *                    no_such_room close the connection), participant_add
 *                    sent to the sfu -> JOINING; anything else: not_joined
 *   JOINING  the sfu agrees -> joined, participant_joined to the others ->
 *            JOINED; it refuses -> error internal -> NEW.
 *            join: already_joined; anything else: not_joined
 *   JOINED   publish, subscribe, subscribe_answer, candidate go to the sfu
 *            (session_media.c); leave -> participant_left "left" -> NEW;
 *            join: already_joined
 *
 * session_on_close() removes the connection's participant (reason "gone").
 * text is borrowed; nothing is kept from it.
 */
#ifndef CAU_SESSION_H
#define CAU_SESSION_H

#include <stddef.h>

struct conn;

void session_on_message(struct conn *c, const char *text, size_t len);
void session_on_close(struct conn *c);

#endif
