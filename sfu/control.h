/* control — the sfu's side of the control channel (docs/control-protocol.md):
 * a Unix stream socket where signaling connects and speaks JSON lines.
 *
 * Runs on the main thread's GMainContext. Reads lines (at most
 * CONTROL_MAX_LINE bytes; a longer line is answered with bad_request and
 * dropped), parses them and hands each JSON object to the owner's on_line
 * callback with the client's number. Writes never block: each client has an
 * output buffer drained when the socket is writable; a client whose buffer
 * passes CONTROL_MAX_BACKLOG is disconnected.
 */
#ifndef CAU_SFU_CONTROL_H
#define CAU_SFU_CONTROL_H

#include <stdint.h>

#include <glib.h>
#include <jansson.h>

#define CONTROL_MAX_LINE (256 * 1024)
#define CONTROL_MAX_BACKLOG (16 * 1024 * 1024)

struct control;

/* text/len: one line without its "\n" (not NUL-terminated). */
typedef void (*control_line_fn)(void *arg, uint64_t client, const char *text, size_t len);

/* Listen on path (an old socket file there is replaced). NULL on failure,
 * with the reason in err. */
struct control *control_listen(const char *path, control_line_fn fn, void *arg, char *err,
                               size_t errlen);
/* Send one JSON object as a line to a client (steals the reference); a
 * client that is gone is ignored. */
void control_send(struct control *c, uint64_t client, json_t *msg);
/* The same to every client. */
void control_broadcast(struct control *c, json_t *msg);
void control_close(struct control *c);

#endif
