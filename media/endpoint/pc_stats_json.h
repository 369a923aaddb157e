/* pc_stats_json — a peer connection's statistics as a Jansson object, the
 * form the endpoint program prints and tests read:
 *
 *   {"type":"stats","state":S,"srtp_profile":P,
 *    "in": {"audio":{...},"video":{...}}, "out": {"audio":{...},"video":{...}},
 *    "tracks": [{"mid":M,"stream":S,"kind":K,...}],
 *    "transport": {"rx_dropped_srtp":N,...}}
 *
 * with every field of struct pc_stream_stats under its own name; "in" has
 * the first receiver of each kind, "tracks" every receiver (pc_get_rx).
 */
#ifndef CAU_PC_STATS_JSON_H
#define CAU_PC_STATS_JSON_H

#include <stdint.h>

#include <jansson.h>

#include "media/endpoint/pc.h"

/* A new reference (NULL only when out of memory). */
json_t *pc_stats_json(struct pc *pc);
/* "AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80" or "" (none yet). */
const char *pc_stats_profile_name(uint16_t profile);

#endif
