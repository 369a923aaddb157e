/* server — the lws context of signaling on the GLib main loop: one vhost on
 * signaling.listen:port with one protocol that serves HTTP (http.h) and the
 * WebSocket at /ws (conn.h). An upgrade to any other path is refused.
 *
 * The context uses lws's glib event library with the app's GMainLoop as its
 * foreign loop, so lws never runs a loop of its own.
 *
 * Errors: server_start returns 0, or -1 with the reason on stderr (the
 * address cannot be bound, the glib event library is missing).
 * server_port() is the port the vhost listens on.
 */
#ifndef CAU_SERVER_H
#define CAU_SERVER_H

struct app;

int server_start(struct app *app);
int server_port(const struct app *app);
/* Closes every connection (their CLOSED callbacks run) and the context. */
void server_stop(struct app *app);

#endif
