/* rtcp_pli — picture loss indication, PSFB (PT 206) FMT 1 (RFC 4585
 * §6.3.1):
 *
 *  |V=2|P|  FMT=1  |   PT=206      |          length = 2           |
 *  |                  SSRC of packet sender                        |
 *  |                  SSRC of media source                         |
 *
 * A PLI has no FCI; bytes after the two SSRCs are ignored when parsing.
 *
 * Errors: -EBADMSG malformed (framing, fewer than two SSRCs), -ENOSPC short
 * output buffer, -EINVAL not a PLI or a NULL argument. Nothing here
 * allocates.
 */
#ifndef CAU_RTCP_PLI_H
#define CAU_RTCP_PLI_H

#include <stddef.h>
#include <stdint.h>

#define RTCP_PLI_LEN 12

struct rtcp_pli {
    uint32_t sender_ssrc;
    uint32_t media_ssrc;
};

/* Parse the PLI at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_pli_parse(struct rtcp_pli *p, const uint8_t *buf,
                                                       size_t len);

/* Write p into out[0..cap); stores 12 in *written. */
__attribute__((warn_unused_result)) int rtcp_pli_write(const struct rtcp_pli *p, uint8_t *out,
                                                       size_t cap, size_t *written);

#endif
