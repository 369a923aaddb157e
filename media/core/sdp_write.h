/* sdp_write — the SDP model (sdp.h) to text, CRLF line endings, in the
 * order libwebrtc writes (RFC 8866 §5 for the lines; for the attributes:
 * group, extmap-allow-mixed, msid-semantic, then per m= section rtcp,
 * candidates, ice, fingerprint, setup, mid, extmap, direction, msid,
 * rtcp-mux, rtcp-rsize, the unknown attributes, then per payload type in
 * m= order rtpmap, rtcp-fb, fmtp, then ssrc-group, ssrc, rid, simulcast).
 *
 * Parsing what this writes gives a session sdp_equal() to the one written
 * (sdp_equal.h). A session with no t= line gets "t=0 0"; an empty s= is
 * written "s= " (RFC 8866 §5.3).
 *
 * The writer checks only that required strings are present and hold no CR
 * or LF; it does not re-validate token syntax of hand-built sessions.
 * Errors: -ENOSPC buffer too small (*len gets the size needed, without the
 * NUL), -EINVAL a NULL required string or one holding CR/LF, -ENOMEM.
 */
#ifndef CAU_SDP_WRITE_H
#define CAU_SDP_WRITE_H

#include <stddef.h>

#include "media/core/sdp.h"

/* Into buf[0..cap), NUL-terminated; *len gets the text length. */
__attribute__((warn_unused_result)) int sdp_write(const struct sdp_session *s, char *buf,
                                                  size_t cap, size_t *len);
/* Into a new buffer from mem_alloc, NUL-terminated; the caller frees *out
 * with mem_free. *out is NULL on error. len may be NULL. */
__attribute__((warn_unused_result)) int sdp_write_dup(const struct sdp_session *s, char **out,
                                                      size_t *len);

#endif
