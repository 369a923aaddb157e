/* sfu_events — what signaling does with the sfu link's state and events
 * (docs/control-protocol.md), as the struct sfu_link_ops of the app:
 *
 *   link up     every room of the config: room_close (clears what a former
 *               signaling left there), then room_open
 *   link down   every participant gets error internal and is disconnected:
 *               its media went with the sfu
 *   candidate        -> candidate {pc, candidate} to the participant
 *   subscribe_offer  -> subscribe_offer {sdp}, then tracks {tracks}
 *   transport        failed or gone on the publish connection: the
 *                    participant vanished; it is removed (reason "gone")
 *
 * An event for a participant signaling does not know is counted (unrouted);
 * one without its fields is counted (sfu_invalid) and logged.
 */
#ifndef CAU_SFU_EVENTS_H
#define CAU_SFU_EVENTS_H

#include "signaling/sfu_link.h"

extern const struct sfu_link_ops sfu_events_ops;

#endif
