/* presence — who is in a room, as the clients and the sfu see it: the
 * `joined` reply, the participant_joined / participant_left broadcasts, and
 * removal (a participant leaving, vanishing, or its room ending).
 *
 * presence_remove() forgets the participant: the sfu gets participant_remove
 * (when the participant had been added there), the others of the room get
 * participant_left {id, reason}, and the participant's connection is back
 * to "not joined". With PRESENCE_CLOSE, the connection itself also gets
 * participant_left for its own id and is closed after it: that is how a
 * client learns it was removed (reason "gone" or "room_ended").
 *
 * Ownership: p is freed by presence_remove; ref is borrowed.
 */
#ifndef CAU_PRESENCE_H
#define CAU_PRESENCE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct app;
struct participant;

enum presence_how { PRESENCE_KEEP, PRESENCE_CLOSE };

/* {id, name, role} of p (new reference). */
json_t *presence_json(const struct participant *p);
/* p has been added by the sfu: joined to p (with ref), participant_joined
 * to the others. */
void presence_joined(struct app *app, struct participant *p, json_t *ref);
/* reason: "left", "gone" or "room_ended". */
void presence_remove(struct app *app, struct participant *p, const char *reason,
                     enum presence_how how);
/* Removes everybody from room (reason room_ended, connections closed), has
 * the sfu close and re-open it; the number of participants removed. */
size_t presence_end_room(struct app *app, const char *room);
/* Disconnects everybody (error internal with message): the sfu link is
 * lost, and their media with it. */
void presence_drop_all(struct app *app, const char *message);

#endif
