/* rtcp_sr — sender report, RTCP PT 200 (RFC 3550 §6.4.1):
 *
 *  |V=2|P|    RC   |   PT=SR=200   |             length            |
 *  |                         SSRC of sender                        |
 *  |              NTP timestamp, most significant word             |
 *  |             NTP timestamp, least significant word             |
 *  |                         RTP timestamp                         |
 *  |                     sender's packet count                     |
 *  |                      sender's octet count                     |
 *  |                 report block 1 .. RC (24 bytes each)          |
 *  |                  profile-specific extensions                  |
 *
 * Parsing copies up to 31 report blocks into the struct; profile-specific
 * extensions after them are skipped. Writing emits no extension and no
 * padding.
 *
 * Errors: -EBADMSG malformed (framing, or RC larger than the length allows),
 * -ENOSPC short output buffer, -EINVAL not an SR, rb_count > 31 or a NULL
 * argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_SR_H
#define CAU_RTCP_SR_H

#include <stddef.h>
#include <stdint.h>

#include "media/core/rtcp_rb.h"

#define RTCP_SR_INFO_LEN 24 /* SSRC + sender info */

struct rtcp_sr {
    uint32_t ssrc;
    uint64_t ntp; /* NTP timestamp: seconds << 32 | fraction */
    uint32_t rtp_ts;
    uint32_t pkt_count;
    uint32_t octet_count;
    uint8_t rb_count; /* rb[0..rb_count) are valid */
    struct rtcp_rb rb[RTCP_RB_MAX];
};

/* Parse the SR at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_sr_parse(struct rtcp_sr *sr, const uint8_t *buf,
                                                      size_t len);

/* Write sr into out[0..cap); stores 28 + 24 * rb_count in *written. */
__attribute__((warn_unused_result)) int rtcp_sr_write(const struct rtcp_sr *sr, uint8_t *out,
                                                      size_t cap, size_t *written);

/* The LSR value a receiver echoes for this SR: the middle 32 bits of the
 * NTP timestamp (§6.4.1). */
uint32_t rtcp_sr_lsr(const struct rtcp_sr *sr);

#endif
