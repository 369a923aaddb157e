/* admin — the admin REST API, guarded by the header
 * "Authorization: Bearer <signaling.admin_key>" (401 otherwise; an empty
 * admin_key disables the API: every request gets 401):
 *
 *   GET  /admin/rooms            200 {"rooms":[{"id","title",
 *                                 "participants":[{"id","name","role"}]}]}
 *   POST /admin/rooms/<id>/end   200 {"room":id,"removed":n}: everybody in
 *                                the room gets participant_left reason
 *                                room_ended and is disconnected; 404 for a
 *                                room the config does not have
 *
 * Another method on these paths: 405; another path: 404. Bodies are JSON.
 * The reply is filled here (http_reply.h).
 */
#ifndef CAU_ADMIN_H
#define CAU_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

struct app;
struct lws;
struct http_reply;

void admin_route(struct app *app, struct lws *wsi, int method, const char *uri,
                 struct http_reply *r);
/* Whether header (the Authorization value, may be NULL) is "Bearer " key,
 * compared in constant time; never for an empty key. */
bool admin_authorized(const char *key, const char *header);
/* The <id> of "/admin/rooms/<id>/end" into id; false for another path. */
bool admin_end_path(const char *uri, char *id, size_t idlen);

#endif
