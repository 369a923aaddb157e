/* sdp_candidate — one ICE candidate (RFC 8839 §5.1, tcptype RFC 6544 §4.5)
 * in its SDP text form, as in a=candidate lines and trickled candidates:
 *
 *   [candidate:]<foundation> <component> <transport> <priority> <address>
 *       <port> typ <type> [raddr <addr>] [rport <port>] [tcptype <t>]
 *       *(<extension-name> <extension-value>)
 *
 * raddr, rport and tcptype may come in any order among the extensions;
 * every other pair (generation, network-id, ufrag, ...) is kept in order.
 * The writer puts raddr, rport, tcptype first, then the extensions.
 *
 * Ownership: a parsed candidate owns its strings (mem.h);
 * sdp_candidate_free() releases them and zeroes it.
 * Errors: -EBADMSG malformed text, -ENOMEM, -ENOSPC short output buffer,
 * -EINVAL a candidate with a missing field (writer).
 */
#ifndef CAU_SDP_CANDIDATE_H
#define CAU_SDP_CANDIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "media/core/sdp.h"
#include "media/core/sdp_buf.h"

/* Parse n bytes of text (no line ending) into *c, which is overwritten.
 * On error *c is left zeroed. */
__attribute__((warn_unused_result)) int sdp_candidate_parse(struct sdp_candidate *c, const char *s,
                                                            size_t n);
/* "candidate:..." into buf[0..cap), NUL-terminated; *len gets the length
 * (the length needed on -ENOSPC). */
__attribute__((warn_unused_result)) int sdp_candidate_write(const struct sdp_candidate *c,
                                                            char *buf, size_t cap, size_t *len);
/* The text after "candidate:", appended to an SDP writer buffer. */
void sdp_candidate_put(struct sdp_buf *b, const struct sdp_candidate *c);
bool sdp_candidate_equal(const struct sdp_candidate *a, const struct sdp_candidate *b);
void sdp_candidate_free(struct sdp_candidate *c);

#endif
