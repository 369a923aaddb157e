/* peer_twcc — transport-wide congestion control feedback to a publisher.
 *
 * When the publisher's offer carries the transport-wide sequence number
 * extension and rtcp-fb transport-cc, the publish answer takes them
 * (pc_sdp_local.twcc) and the publisher numbers every packet it sends on
 * the transport. The bridge records the arrival of each (media/core/
 * twcc_rx) and every PEER_TWCC_INTERVAL_US sends the feedback back, so the
 * publisher's congestion controller (GoogCC in a browser) can estimate
 * the path and raise its bitrate from its start value; without feedback a
 * browser stays near its start bitrate (about 300 kbps) for the whole
 * meeting.
 *
 * On the peer's worker thread. peer_twcc_start allocates the recorder
 * (-ENOMEM); everything else does nothing when it was not started.
 */
#ifndef CAU_SFU_PEER_TWCC_H
#define CAU_SFU_PEER_TWCC_H

#include <stdint.h>

#include "media/core/rtp_hdr.h"

#define PEER_TWCC_INTERVAL_US 100000 /* as libwebrtc's receiver, by default */

struct peer;
struct pc_sdp_remote;

/* The extension id the answer took from the offer, or 0: then nothing. */
int peer_twcc_start(struct peer *p, const struct pc_sdp_remote *r);
void peer_twcc_on_rtp(struct peer *p, const struct rtp_hdr *h, int64_t now_us);
/* Sends what is due (from the room's tick). */
void peer_twcc_tick(struct peer *p, int64_t now_us);
void peer_twcc_free(struct peer *p);

#endif
