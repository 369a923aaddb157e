/* sdp_attr_rtp — the RTP attributes of a media section: a=rtpmap, a=fmtp,
 * a=rtcp-fb, a=extmap, a=ssrc, a=ssrc-group, a=rid. Each parser takes the
 * attribute value (the text after "name:") and appends to the media section;
 * sdp_attr_rtp_put() writes them back in the conventional WebRTC order.
 *
 * Errors: -EBADMSG malformed value (or a repeated rtpmap payload type),
 * -ENOMEM. What was appended belongs to the media section.
 */
#ifndef CAU_SDP_ATTR_RTP_H
#define CAU_SDP_ATTR_RTP_H

#include "media/core/sdp.h"
#include "media/core/sdp_buf.h"
#include "media/core/sdp_tok.h"

__attribute__((warn_unused_result)) int sdp_attr_rtp_rtpmap(struct sdp_media *m, struct sdp_str v);
__attribute__((warn_unused_result)) int sdp_attr_rtp_fmtp(struct sdp_media *m, struct sdp_str v);
__attribute__((warn_unused_result)) int sdp_attr_rtp_rtcp_fb(struct sdp_media *m, struct sdp_str v);
__attribute__((warn_unused_result)) int sdp_attr_rtp_extmap(struct sdp_media *m, struct sdp_str v);
__attribute__((warn_unused_result)) int sdp_attr_rtp_ssrc(struct sdp_media *m, struct sdp_str v);
__attribute__((warn_unused_result)) int sdp_attr_rtp_ssrc_group(struct sdp_media *m,
                                                                struct sdp_str v);
__attribute__((warn_unused_result)) int sdp_attr_rtp_rid(struct sdp_media *m, struct sdp_str v);

/* a=extmap lines. */
void sdp_attr_rtp_put_extmaps(struct sdp_buf *b, const struct sdp_media *m);
/* rtpmap, rtcp-fb and fmtp per payload type in m= order, then those whose
 * payload type is not on the m= line. */
void sdp_attr_rtp_put_codecs(struct sdp_buf *b, const struct sdp_media *m);
/* ssrc-group, ssrc, rid lines. */
void sdp_attr_rtp_put_ssrcs(struct sdp_buf *b, const struct sdp_media *m);

#endif
