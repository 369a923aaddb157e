/* sdp_equal — structural equality of two SDP models (sdp.h), the check
 * behind "parse, write, parse gives the same session".
 *
 * Every field and list is compared, lists in order, with one exception:
 * rtpmap, fmtp and rtcp-fb entries are compared per payload type (the
 * entries of each payload type in order), because the writer groups them
 * by payload type in m= line order. Optional strings are equal when both
 * are absent or both hold the same bytes. Nothing is allocated.
 */
#ifndef CAU_SDP_EQUAL_H
#define CAU_SDP_EQUAL_H

#include <stdbool.h>

#include "media/core/sdp.h"

bool sdp_equal(const struct sdp_session *a, const struct sdp_session *b);
bool sdp_media_equal(const struct sdp_media *a, const struct sdp_media *b);

#endif
