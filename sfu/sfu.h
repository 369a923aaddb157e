/* sfu — the media plane's top level, on the main thread: the control
 * channel's requests are checked here and handed to the room's worker; the
 * workers' replies and events come back here to be written out.
 *
 * Rooms are spread over the workers round robin; a room and everything in
 * it lives on its worker (sfu/room.h). The main thread keeps only names:
 * which worker has which room, which room has which participant, and the
 * last statistics each room posted.
 */
#ifndef CAU_SFU_SFU_H
#define CAU_SFU_SFU_H

#include <stdint.h>

#include <glib.h>
#include <jansson.h>

#include "media/io/dtls_cert.h"

struct sfu_options {
    const char *const *addrs; /* media addresses */
    size_t n_addrs;
    uint16_t port_min, port_max;
    int workers;
    const char *control_socket;
    const char *control_tcp;    /* NULL or "": no TCP listener */
    const char *control_secret; /* for the TCP hello */
};

struct sfu;

struct sfu *sfu_new(const struct sfu_options *opt, char *err, size_t errlen);
void sfu_free(struct sfu *s);

/* For rooms, from any thread: send a reply to a control client, or an event
 * to every client (the reference is stolen). */
void sfu_post_reply(struct sfu *s, uint64_t client, json_t *reply);
void sfu_post_event(struct sfu *s, json_t *event);
/* For rooms: replace the statistics of a room (stolen). */
void sfu_post_stats(struct sfu *s, const char *room, json_t *stats);
/* The shared settings rooms need (read-only after start). */
const struct sfu_options *sfu_options(const struct sfu *s);
const struct dtls_cert *sfu_cert(const struct sfu *s);

/* A reply: {"id":id,"ok":true, ...fields} or an error. */
json_t *sfu_reply_ok(json_int_t id, json_t *fields);
json_t *sfu_reply_err(json_int_t id, const char *code, const char *message);

#endif
