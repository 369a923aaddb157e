/* sdp_simulcast — the value of a=simulcast (RFC 8853 §5.1):
 *
 *   send <streams> [recv <streams>]  |  recv <streams> [send <streams>]
 *   streams = alt *(";" alt)      alt = id *("," id)      id = ["~"] rid-id
 *
 * e.g. "send q;h;f", "recv 1,~2;3". A '~' marks a stream paused at start.
 * The writer puts send before recv.
 *
 * Ownership: a parsed value owns its rid strings and arrays (mem.h);
 * sdp_simulcast_free() releases them and zeroes the struct.
 * Errors: -EBADMSG malformed or repeated direction, -ENOMEM.
 */
#ifndef CAU_SDP_SIMULCAST_H
#define CAU_SDP_SIMULCAST_H

#include <stdbool.h>
#include <stddef.h>

#include "media/core/sdp.h"
#include "media/core/sdp_buf.h"

/* Parse n bytes (the text after "a=simulcast:") into *sc, which is
 * overwritten; on success sc->present is set, on error *sc is zeroed. */
__attribute__((warn_unused_result)) int sdp_simulcast_parse(struct sdp_simulcast *sc, const char *s,
                                                            size_t n);
/* The value (without "a=simulcast:"), appended to a writer buffer. */
void sdp_simulcast_put(struct sdp_buf *b, const struct sdp_simulcast *sc);
bool sdp_simulcast_equal(const struct sdp_simulcast *a, const struct sdp_simulcast *b);
void sdp_simulcast_free(struct sdp_simulcast *sc);

/* RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_"). Shared with a=rid. */
bool sdp_simulcast_is_rid(const char *p, size_t n);

#endif
