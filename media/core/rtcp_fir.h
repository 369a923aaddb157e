/* rtcp_fir — full intra request, PSFB (PT 206) FMT 4 (RFC 5104 §4.3.1):
 *
 *  |V=2|P|  FMT=4  |   PT=206      |          length               |
 *  |                  SSRC of packet sender                        |
 *  |             SSRC of media source (unused, 0)                  |
 *  |                              SSRC                             |  FCI
 *  | Seq nr.       |    Reserved                                   |  x N
 *
 * Each FCI entry asks the sender of `ssrc` for a decoder refresh; the
 * command sequence number lets it drop repeats of a request (§4.3.1.1).
 * At least one entry must be present. Reserved bits are written as 0 and
 * ignored when parsing.
 *
 * Errors: -EBADMSG malformed (framing, no FCI entry, an FCI that is not a
 * whole number of entries), -ENOSPC more than
 * RTCP_FIR_MAX entries or a short output buffer, -EINVAL not a FIR, 0
 * entries to write or a NULL argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_FIR_H
#define CAU_RTCP_FIR_H

#include <stddef.h>
#include <stdint.h>

#define RTCP_FIR_MAX 32
#define RTCP_FIR_ENTRY_LEN 8

struct rtcp_fir_entry {
    uint32_t ssrc;
    uint8_t seq;
};

struct rtcp_fir {
    uint32_t sender_ssrc;
    uint32_t media_ssrc; /* SHALL be 0 (§4.3.1.2); kept as received */
    size_t n;            /* e[0..n) are valid */
    struct rtcp_fir_entry e[RTCP_FIR_MAX];
};

/* Parse the FIR at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_fir_parse(struct rtcp_fir *f, const uint8_t *buf,
                                                       size_t len);

/* Write f into out[0..cap); stores 12 + 8 * n in *written. */
__attribute__((warn_unused_result)) int rtcp_fir_write(const struct rtcp_fir *f, uint8_t *out,
                                                       size_t cap, size_t *written);

#endif
