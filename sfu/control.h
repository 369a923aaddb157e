/* control — the sfu's side of the control channel (docs/control-protocol.md):
 * a Unix stream socket where signaling connects and speaks JSON lines.
 *
 * Runs on the main thread's GMainContext. Reads lines (at most
 * CONTROL_MAX_LINE bytes; a longer line is answered with bad_request and
 * dropped), parses them and hands each JSON object to the owner's on_line
 * callback with the client's number. Writes never block: each client has an
 * output buffer drained when the socket is writable; a client whose buffer
 * passes CONTROL_MAX_BACKLOG is disconnected.
 *
 * control_listen_tcp() adds a TCP listener. A TCP client must first send
 * the hello with the shared secret (sfu/core/control_hello.h): it is then
 * answered {"id":0,"ok":true} and treated like a Unix client. Anything else
 * first, a wrong secret, a hello line over CONTROL_HELLO_MAX_LINE bytes or
 * no complete line within CONTROL_HELLO_TIMEOUT_MS: one error line (code
 * "unauthorized"), the connection is closed and nothing it sent reaches
 * on_line; control_unauthorized() counts these. Clients that have not said
 * hello get no events.
 */
#ifndef CAU_SFU_CONTROL_H
#define CAU_SFU_CONTROL_H

#include <stdint.h>

#include <glib.h>
#include <jansson.h>

#define CONTROL_MAX_LINE (256 * 1024)
#define CONTROL_MAX_BACKLOG (16 * 1024 * 1024)
#define CONTROL_HELLO_TIMEOUT_MS 5000

struct control;

/* text/len: one line without its "\n" (not NUL-terminated). */
typedef void (*control_line_fn)(void *arg, uint64_t client, const char *text, size_t len);

/* Listen on path (an old socket file there is replaced). NULL on failure,
 * with the reason in err. */
struct control *control_listen(const char *path, control_line_fn fn, void *arg, char *err,
                               size_t errlen);
/* Also listen on TCP at host_port ("127.0.0.1:9000", "[::1]:9000"), with
 * secret (NUL-terminated) for the hello. 0, or -1 with the reason in err. */
int control_listen_tcp(struct control *c, const char *host_port, const char *secret, char *err,
                       size_t errlen);
/* How many TCP clients were refused since control_listen. */
uint64_t control_unauthorized(const struct control *c);
/* Send one JSON object as a line to a client (steals the reference); a
 * client that is gone is ignored. */
void control_send(struct control *c, uint64_t client, json_t *msg);
/* The same to every client. */
void control_broadcast(struct control *c, json_t *msg);
void control_close(struct control *c);

#endif
