/* rtcp_bye — goodbye, RTCP PT 203 (RFC 3550 §6.6):
 *
 *  |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *  |                           SSRC/CSRC                           |  x SC
 *  |     length    |               reason for leaving             ...
 *
 * The reason is optional; when present it is a length octet and text, padded
 * with null octets to a 32-bit boundary. Parsing does not copy it: `reason`
 * points into the caller's buffer, which must outlive the struct.
 *
 * Errors: -EBADMSG malformed (framing, SC larger than the length allows, a
 * reason running past the length), -ENOSPC short output buffer, -EINVAL not
 * a BYE, more than 31 SSRCs or a NULL argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_BYE_H
#define CAU_RTCP_BYE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTCP_BYE_MAX_SSRC 31 /* SC is 5 bits */

struct rtcp_bye {
    uint8_t n_ssrc; /* ssrc[0..n_ssrc) are valid */
    uint32_t ssrc[RTCP_BYE_MAX_SSRC];
    bool has_reason;
    uint8_t reason_len;
    const uint8_t *reason; /* not NUL-terminated; borrowed */
};

/* Parse the BYE at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_bye_parse(struct rtcp_bye *b, const uint8_t *buf,
                                                       size_t len);

/* Write b into out[0..cap); stores the packet size in *written. */
__attribute__((warn_unused_result)) int rtcp_bye_write(const struct rtcp_bye *b, uint8_t *out,
                                                       size_t cap, size_t *written);

#endif
