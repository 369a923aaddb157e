/* room — one meeting on one worker: its participants and the forwarding
 * between them. Every function runs on the room's worker thread, except
 * room_alloc (main thread: it only allocates and names the room).
 *
 * room_handle executes one control request (docs/control-protocol.md) for
 * this room and posts the reply through sfu_post_reply; events (candidates,
 * subscribe offers, transport states) go out through sfu_post_event. A
 * timer every 20 ms drives NACK and key-frame requests, RTCP reports (once
 * a second) and the room's statistics (posted once a second).
 */
#ifndef CAU_SFU_ROOM_H
#define CAU_SFU_ROOM_H

#include <stdint.h>

#include <glib.h>
#include <jansson.h>

struct sfu;
struct room;

struct room *room_alloc(struct sfu *s, const char *id, GMainContext *ctx);
void room_handle(struct room *r, uint64_t client, json_int_t id, json_t *req);
void room_free(struct room *r);

#endif
