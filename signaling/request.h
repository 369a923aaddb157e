/* request — a control request made on behalf of a participant.
 *
 * request_send() sends req to the sfu and remembers who asked: the
 * participant's id and the client's "ref". When the reply comes, fn runs
 * with the participant, found again by id, or not at all when it is gone
 * meanwhile (the reply is then counted as unrouted): a reply can never reach
 * the wrong client, nor a freed one.
 *
 * Errors: request_send returns 0 or a negative errno from sfu_link_request
 * (-ENOTCONN while the sfu link is down), -ENOMEM; req is always taken, ref
 * borrowed (a reference is kept while the request is outstanding).
 */
#ifndef CAU_REQUEST_H
#define CAU_REQUEST_H

#include <stdbool.h>

#include <jansson.h>

struct app;
struct conn;
struct participant;

/* reply and ref are borrowed; ref may be NULL. */
typedef void (*request_fn)(struct app *app, struct participant *p, json_t *ref, json_t *reply);

int request_send(struct app *app, const char *pid, json_t *ref, json_t *req, request_fn fn);
/* Sends a request whose reply matters to nobody; a refusal is logged. */
void request_forget(struct app *app, json_t *req);

/* Whether a reply says "ok": true. */
bool request_ok(const json_t *reply);
/* Sends the client the error for a refused request: sdp_rejected when the
 * sfu says so, internal otherwise, with the sfu's message. */
void request_error(struct conn *c, const json_t *reply, json_t *ref);

#endif
