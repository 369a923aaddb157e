/* sig_client — a WebSocket client of the client protocol (docs/protocol.md):
 * JSON text messages to and from the signaling server, on a GLib main
 * context.
 *
 * The connection is made with libwebsockets (its glib event library: the
 * lws context runs on the GMainContext given, next to the peer
 * connections). Messages out are queued and written in order; messages in
 * may come in any number of fragments and frames of any size up to
 * SIG_CLIENT_MAX_MESSAGE bytes (a subscribe offer for a large room is tens
 * of kilobytes); each whole text message that is a JSON object goes to
 * on_message. Anything else (binary, not JSON, too large) is dropped and
 * counted (sig_client_bad_messages). There is no reconnection: when the
 * connection fails or closes, on_closed says why, once.
 *
 * Only ws:// URLs (loopback tests, make run); no TLS.
 *
 * Ownership: sig_client_send takes the reference to msg. on_message lends
 * msg for the call. on_closed runs from an idle source of the context, so
 * it may free the client; on_message and on_open run inside libwebsockets
 * and must not (they may send).
 *
 * Threading: the thread that runs the GMainContext.
 * Errors: -EINVAL a bad URL or argument; -ENOMEM; -EIO libwebsockets could
 * not start (no glib event library?) or the connection failed at once;
 * -ENOTCONN sending on a closed or closing client.
 */
#ifndef CAU_SIG_CLIENT_H
#define CAU_SIG_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <jansson.h>

#define SIG_CLIENT_MAX_MESSAGE (1024 * 1024)

struct sig_client_callbacks {
    void (*on_open)(void *arg);                    /* the WebSocket is up */
    void (*on_message)(void *arg, json_t *msg);    /* a JSON object, borrowed */
    void (*on_closed)(void *arg, const char *why); /* failed, or closed by either side */
    void *arg;
};

struct sig_client;

/* Connect to url ("ws://HOST:PORT/PATH"). Messages may be sent at once:
 * they wait for the connection. */
__attribute__((warn_unused_result)) int sig_client_new(struct sig_client **out, GMainContext *ctx,
                                                       const char *url,
                                                       const struct sig_client_callbacks *cb);
/* Queue msg (a JSON object; the reference is taken, also on error). */
int sig_client_send(struct sig_client *sc, json_t *msg);
/* Write what is queued, then close (status 1000); on_closed follows. */
void sig_client_close(struct sig_client *sc);
/* Close at once (nothing more is written, no callback) and free. */
void sig_client_free(struct sig_client *sc);
bool sig_client_is_open(const struct sig_client *sc);
/* Messages in that were dropped: binary, not a JSON object, too large. */
uint64_t sig_client_bad_messages(const struct sig_client *sc);

#endif
