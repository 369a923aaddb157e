/* sdp_parse — text to the SDP model (sdp.h).
 *
 * Accepts RFC 8866 descriptions as WebRTC endpoints write them:
 *  - lines end in CRLF or a bare LF; the last line may lack its ending;
 *    trailing spaces and tabs on a line are ignored, and so are blank lines
 *    at the very end; a blank line anywhere else is malformed;
 *  - a line is "<letter>=<value>" with no space around '=';
 *  - v=0, o=, s= come first, then the session lines in RFC 8866 §5 order
 *    (i u e p c b t r z k a; at least one t=), then m= sections with
 *    i c b k a in that order; at most one c= per section;
 *  - known attributes (see sdp.h) must be well formed, unknown ones are
 *    kept in order;
 *  - a line is at most SDP_MAX_LINE bytes, the text SDP_MAX_SIZE bytes; NUL
 *    bytes and a CR inside a line are malformed.
 *
 * Ownership: on success *s owns everything (release with sdp_free); on error
 * *s is left zeroed and nothing is held. buf is only read, within len.
 * Errors: -EBADMSG malformed, with the 1-based number of the offending line
 * in *err_line (0 when no line is to blame: the text is too large); a
 * mandatory line that never came is reported at the line where it was due.
 * -ENOMEM on any allocation failure. -EINVAL: NULL s, or NULL buf with len.
 */
#ifndef CAU_SDP_PARSE_H
#define CAU_SDP_PARSE_H

#include <stddef.h>

#include "media/core/sdp.h"

#define SDP_MAX_LINE 4096
#define SDP_MAX_SIZE (1024 * 1024)

/* err_line may be NULL. */
__attribute__((warn_unused_result)) int sdp_parse(struct sdp_session *s, const char *buf,
                                                  size_t len, size_t *err_line);

#endif
