/* sfu_link — signaling's side of the control protocol
 * (docs/control-protocol.md): a client of the sfu's Unix stream socket, or
 * of its TCP port (sfu_link_new_tcp), speaking JSON lines, on the default
 * GMainContext.
 *
 * Over TCP the link sends the hello with the shared secret first and is up
 * only once the sfu answered it {"id":0,"ok":true}. A refused hello (an
 * error reply, the connection closed, or no answer within
 * SFU_LINK_TIMEOUT_MS of the connect) is logged on stderr and retried like
 * a lost link; ops->state is not called for a link that never came up.
 *
 * The link connects to path, retrying every SFU_LINK_RETRY_MS until the
 * socket is there, and reconnects the same way when the connection is lost.
 * ops->state(arg, true) runs each time it comes up (the owner re-opens its
 * rooms there), ops->state(arg, false) each time it goes down. Nothing ever
 * blocks: writes are queued and drained when the socket is writable.
 *
 * sfu_link_request() gives the request an "id" and sends it. Its fn is then
 * called exactly once with the reply object (borrowed; {"ok":true, ...} or
 * {"ok":false,"error":{"code","message"}}): the sfu's reply, or one made
 * here with code "internal" when the request times out
 * (SFU_LINK_TIMEOUT_MS), the link is lost, or the link is freed. Events
 * ({"event": ...}) go to ops->event (msg borrowed).
 *
 * Errors: sfu_link_request returns -ENOTCONN when the link is down (fn is
 * then never called), -ENOMEM, -EINVAL (req not an object); it always takes
 * the reference to req. sfu_link_new returns NULL on -ENOMEM or a path too
 * long for a Unix socket, sfu_link_new_tcp on -ENOMEM, an address that is
 * not HOST:PORT (config_host_port) or an empty or over-long secret (the
 * reason on stderr, never the secret).
 */
#ifndef CAU_SFU_LINK_H
#define CAU_SFU_LINK_H

#include <stdbool.h>

#include <jansson.h>

#define SFU_LINK_RETRY_MS 200
#define SFU_LINK_TIMEOUT_MS 5000
#define SFU_LINK_MAX_LINE (256 * 1024)
#define SFU_LINK_MAX_BACKLOG (16 * 1024 * 1024)

struct sfu_link;

struct sfu_link_ops {
    void (*state)(void *arg, bool up);
    void (*event)(void *arg, const char *event, json_t *msg);
};

typedef void (*sfu_link_reply_fn)(void *arg, json_t *reply);

struct sfu_link *sfu_link_new(const char *path, const struct sfu_link_ops *ops, void *arg);
/* host_port: "127.0.0.1:9000" or "[::1]:9000"; secret NUL-terminated. */
struct sfu_link *sfu_link_new_tcp(const char *host_port, const char *secret,
                                  const struct sfu_link_ops *ops, void *arg);
int sfu_link_request(struct sfu_link *l, json_t *req, sfu_link_reply_fn fn, void *arg);
bool sfu_link_is_up(const struct sfu_link *l);
/* Fails every pending request (their fn runs), closes the socket. */
void sfu_link_free(struct sfu_link *l);

#endif
