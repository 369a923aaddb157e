/* session_media — the media requests of a joined client, forwarded to the
 * sfu for its participant (docs/control-protocol.md):
 *
 *   publish {sdp}              -> op publish   -> publish_answer {sdp, ref}
 *   subscribe {}               -> op subscribe -> (a subscribe_offer event)
 *   subscribe_answer {sdp}     -> op subscribe_answer
 *   candidate {pc, candidate}  -> op candidate
 *
 * A refusal comes back as error sdp_rejected or internal with the client's
 * ref; while the sfu link is down the answer is error internal at once.
 * msg and ref are borrowed.
 */
#ifndef CAU_SESSION_MEDIA_H
#define CAU_SESSION_MEDIA_H

#include <jansson.h>

struct conn;

void session_media_handle(struct conn *c, const char *type, json_t *msg, json_t *ref);

#endif
