/* rtcp_rr — receiver report, RTCP PT 201 (RFC 3550 §6.4.2):
 *
 *  |V=2|P|    RC   |   PT=RR=201   |             length            |
 *  |                     SSRC of packet sender                     |
 *  |                 report block 1 .. RC (24 bytes each)          |
 *  |                  profile-specific extensions                  |
 *
 * An RR with RC = 0 is the usual "empty" report that heads a compound when
 * there is nothing to report. Parsing copies up to 31 report blocks and
 * skips profile-specific extensions; writing emits none and no padding.
 *
 * Errors: -EBADMSG malformed (framing, or RC larger than the length allows),
 * -ENOSPC short output buffer, -EINVAL not an RR, rb_count > 31 or a NULL
 * argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_RR_H
#define CAU_RTCP_RR_H

#include <stddef.h>
#include <stdint.h>

#include "media/core/rtcp_rb.h"

struct rtcp_rr {
    uint32_t ssrc;    /* sender of this report */
    uint8_t rb_count; /* rb[0..rb_count) are valid */
    struct rtcp_rb rb[RTCP_RB_MAX];
};

/* Parse the RR at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_rr_parse(struct rtcp_rr *rr, const uint8_t *buf,
                                                      size_t len);

/* Write rr into out[0..cap); stores 8 + 24 * rb_count in *written. */
__attribute__((warn_unused_result)) int rtcp_rr_write(const struct rtcp_rr *rr, uint8_t *out,
                                                      size_t cap, size_t *written);

#endif
