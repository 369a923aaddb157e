/* conn — one client WebSocket at /ws: frames in, JSON messages out.
 *
 * Input: fragments are assembled into whole messages of at most
 * signaling.max_message_bytes (a larger one is dropped whole: error
 * too_large); each whole message passes the rate limit
 * (signaling.messages_per_second averaged over CONN_RATE_WINDOW_S s; over
 * it: rate_limited) and then goes to session_on_message(). The tenth
 * too_large, or the tenth rate_limited, closes the connection.
 *
 * Output: conn_send() queues a message and asks lws for a writable
 * callback; a queue over CONN_MAX_BACKLOG bytes drops the client. After
 * conn_close() the queue is flushed, then the socket closes with that
 * status; input is ignored meanwhile, and after the close the socket
 * lingers (linger.h) so that a client still sending gets it all.
 *
 * Liveness: any frame or pong counts as traffic. After a third of
 * signaling.participant_timeout_s without traffic the client is pinged; after
 * the whole timeout the socket is dropped (conn_tick, from the app's timer).
 *
 * Ownership: the lws callback creates a conn on ESTABLISHED and frees it on
 * CLOSED (conn_closed, which first lets the session remove its participant).
 * conn_send steals the message reference.
 */
#ifndef CAU_CONN_H
#define CAU_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <jansson.h>

#include "signaling/errcode.h"
#include "signaling/rate_limit.h"
#include "signaling/roster.h"

#define CONN_RATE_WINDOW_S 2
#define CONN_MAX_STRIKES 10
#define CONN_MAX_BACKLOG (4 * 1024 * 1024)

struct app;
struct lws;

enum conn_state {
    CONN_NEW,     /* no join yet (or after leave) */
    CONN_JOINING, /* join accepted, waiting for the sfu */
    CONN_JOINED,
};

struct conn {
    struct app *app;
    struct lws *wsi;
    enum conn_state state;
    char pid[ROSTER_ID_MAX]; /* the participant while joining or joined */
    GQueue out;              /* struct conn_frame * */
    size_t out_bytes;
    GByteArray *rx; /* the message being assembled */
    bool rx_drop;   /* the current message is over the limit */
    struct rate_limit rate;
    unsigned too_large, rate_limited;
    int64_t last_rx_us, ping_us;
    bool ping_due;
    bool closing;
    int close_status;
    char close_reason[64];
};

struct conn *conn_new(struct app *app, struct lws *wsi);
void conn_closed(struct conn *c);

/* lws events. conn_writable returns -1 when lws must close the socket. */
void conn_receive(struct conn *c, const void *in, size_t len);
void conn_pong(struct conn *c);
int conn_writable(struct conn *c);
void conn_tick(struct conn *c, int64_t now_us);

void conn_send(struct conn *c, json_t *msg);
/* Sends {type:"error", code, message, ref (when not NULL; borrowed)},
 * counts it, and closes the connection after it when the code says so. */
void conn_error(struct conn *c, enum errcode code, const char *message, json_t *ref);
/* Flush what is queued, then close with status (1000, 1008, ...). */
void conn_close(struct conn *c, int status, const char *reason);
/* Drop the socket now, without flushing (lws closes it on its next turn). */
void conn_kill(struct conn *c);

#endif
