/* roster — the participants signaling knows, by id and in join order.
 *
 * A participant is created when its join is accepted (joined = false while
 * the sfu's participant_add is outstanding), becomes joined when the sfu
 * agrees, and is removed when it leaves or vanishes. Its conn is the
 * WebSocket connection it joined over (NULL once that socket has closed).
 * Ids are "p" and 16 random hex digits, unique within the roster.
 *
 * Ownership: the roster owns its participants; roster_remove() frees one.
 * roster_add returns NULL when allocation fails.
 */
#ifndef CAU_ROSTER_H
#define CAU_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#define ROSTER_ID_MAX 24

struct conn;

struct participant {
    char id[ROSTER_ID_MAX];
    char name[65];
    char role[16];
    char room[65];
    struct conn *conn;
    bool joined;
    unsigned long seq; /* join order */
};

struct roster;

struct roster *roster_new(void);
void roster_free(struct roster *r);
struct participant *roster_add(struct roster *r, const char *room, const char *name,
                               const char *role, struct conn *conn);
struct participant *roster_get(const struct roster *r, const char *id);
void roster_remove(struct roster *r, struct participant *p);
/* The participants of room in join order (only the joined ones when
 * joined_only); the caller g_ptr_array_unref()s the array, not its items. */
GPtrArray *roster_in_room(const struct roster *r, const char *room, bool joined_only);
/* Every participant (room NULL) in join order; same ownership. */
GPtrArray *roster_all(const struct roster *r);
size_t roster_count_joined(const struct roster *r);
/* Rooms with at least one joined participant. */
size_t roster_count_rooms(const struct roster *r);

#endif
