/* meeting — a C participant of a meeting, through the signaling server's
 * client protocol (docs/protocol.md) like the web client.
 *
 * It connects (sig_client), sends join with the token and, on joined,
 * publishes its test pattern and tone on a publish peer connection (it
 * offers: sendonly audio and video, full ICE) unless its role is observer.
 * With subscribe set it sends subscribe and answers every subscribe_offer
 * on a receive-only subscribe peer connection, which renegotiates: one
 * receiver per track of the others (pc.h). Candidates are trickled both
 * ways with "pc":"publish" or "subscribe"; those of the bridge that come
 * before its description wait for it.
 *
 * What happens is reported as events, JSON objects the owner prints:
 *   the server's joined, participant_joined, participant_left, tracks
 *     (as received);
 *   {"type":"state","pc":P,"state":S,"reason":R,"srtp_profile":X};
 *   {"type":"answered","pc":"subscribe","receivers":N} after each answer;
 *   {"type":"error","message":M[,"code":C]} (the server's errors too);
 *   {"type":"closed","reason":R} when the signaling connection ends.
 * meeting_stats_json gives {"type":"stats","joined":B,"self":{..},
 * "participants":[..],"publish":{pc stats}|null,"subscribe":{..}|null}
 * with pc_stats_json's fields (without "type").
 *
 * name_check: the joined self (name, role) and room must be the token's
 * claims (read, not verified); else an error and the meeting ends (1).
 *
 * hold_publish_candidates (a test hook, to put build/bin/netem-relay in
 * front of the bridge): the publish connection uses none of the bridge's
 * candidates, neither those of its answer nor trickled ones; each is
 * reported as {"type":"held_candidate","pc":"publish","candidate":C} and
 * the owner gives the ones to use (the relay's) with
 * meeting_add_publish_candidate. Ours are withheld from the bridge too
 * (none in the offer, none trickled), or it could check them and make a
 * pair around the relay. The bridge answers checks from any address, so a
 * relay aimed at the held candidate's port carries everything.
 *
 * on_end(status) comes once: 0 after meeting_leave, 1 when joining failed
 * or the connection ended otherwise. It runs from an idle source and may
 * free the meeting. Events are lent for the call.
 *
 * Threading: the thread of cfg->pc.ctx. Errors: -EINVAL, -ENOMEM, -EIO
 * (sig_client_new).
 */
#ifndef CAU_MEETING_H
#define CAU_MEETING_H

#include <stdbool.h>

#include <jansson.h>

#include "media/endpoint/pc.h"

struct meeting_config {
    const char *url; /* ws://HOST:PORT/ws */
    const char *token;
    /* template of both peer connections: ctx, cert, addrs, video size,
     * fps, kbps... (send/recv flags are set here) */
    struct pc_config pc;
    bool subscribe;
    bool name_check;
    bool hold_publish_candidates; /* test hook, see above */
};

struct meeting_callbacks {
    void (*on_event)(void *arg, json_t *ev);
    void (*on_end)(void *arg, int status);
    void *arg;
};

struct meeting;

__attribute__((warn_unused_result)) int meeting_new(struct meeting **out,
                                                    const struct meeting_config *cfg,
                                                    const struct meeting_callbacks *cb);
/* Send leave and close the connection; on_end(0) follows. */
void meeting_leave(struct meeting *m);
/* Test hook: a candidate for the publish connection when
 * hold_publish_candidates is set ("" ends them); one that comes before the
 * publish answer waits for it. 0; -EINVAL not held, or refused by the
 * peer connection; -ENOSPC over 32 before the answer; -ENOMEM. */
__attribute__((warn_unused_result)) int meeting_add_publish_candidate(struct meeting *m,
                                                                      const char *candidate);
/* A new reference (NULL only when out of memory). */
json_t *meeting_stats_json(struct meeting *m);
void meeting_free(struct meeting *m);

#endif
