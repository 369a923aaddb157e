/* linger — a lingering close for a WebSocket the server closes itself.
 *
 * When signaling closes a client (rate_limited, too_large: a policy close),
 * the client may still have messages in flight. lws shuts the socket for
 * writing after the close frame and then close()s it; a socket closed with
 * unread input is reset (RFC 1122 4.2.2.13), and a reset makes the
 * client's kernel discard what it has not yet read: the error replies and
 * the close frame that say why. So before lws closes its descriptor,
 * linger_start() takes a duplicate, and on that the socket lives on: input
 * is read and thrown away until the client closes its side or
 * LINGER_TIMEOUT_MS passes (as a web server's lingering close does).
 *
 * At most LINGER_MAX sockets linger at a time; past that a close is plain.
 * Everything runs on the default GMainContext; linger_stop_all() ends every
 * lingering socket (at shutdown).
 */
#ifndef CAU_LINGER_H
#define CAU_LINGER_H

#define LINGER_TIMEOUT_MS 2000
#define LINGER_MAX 64

/* Lingers on the socket behind fd (borrowed: the caller closes it as
 * before). Returns 0, or -1 (over LINGER_MAX, or dup failed). */
int linger_start(int fd);
/* How many sockets linger now. */
unsigned linger_count(void);
void linger_stop_all(void);

#endif
