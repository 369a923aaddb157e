/* sdp_attr — typed parsing of one a= line into the SDP model (sdp.h).
 *
 * sdp_attr_parse() takes the text after "a=" (line ending and trailing
 * whitespace already removed), looks the name up, and fills the session
 * (m == NULL) or the media section m. Attributes that are not typed at that
 * level are appended to its `attrs` in order. Which attributes are typed, and
 * how: see the table in sdp_attr.c; the RTP ones live in sdp_attr_rtp.c.
 *
 * Whatever is stored belongs to the session (freed by sdp_free), also on
 * error. Errors: -EBADMSG malformed value, a value on a flag attribute, a
 * repeated single-valued attribute; -ENOMEM.
 */
#ifndef CAU_SDP_ATTR_H
#define CAU_SDP_ATTR_H

#include <stddef.h>

#include "media/core/sdp.h"

/* "sendrecv" "sendonly" "recvonly" "inactive" -> the direction, or
 * SDP_DIR_NONE for anything else. */
enum sdp_dir sdp_attr_dir(const char *p, size_t n);

__attribute__((warn_unused_result)) int sdp_attr_parse(struct sdp_session *s, struct sdp_media *m,
                                                       const char *p, size_t n);

#endif
