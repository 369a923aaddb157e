/* rtcp_remb — receiver estimated maximum bitrate, an application-layer
 * feedback message: PSFB (PT 206) FMT 15 (draft-alvestrand-rmcat-remb-03
 * §2.2):
 *
 *  |V=2|P| FMT=15  |   PT=206      |             length            |
 *  |                  SSRC of packet sender                        |
 *  |                  SSRC of media source (0)                     |
 *  |  Unique identifier 'R' 'E' 'M' 'B'                            |
 *  |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 *  |   SSRC feedback                                               |  x Num
 *
 * The bitrate is mantissa (18 bits) << exp (6 bits), in bit/s. Parsing
 * rejects a value that does not fit 64 bits; writing picks the smallest
 * exponent, so any value of the form m << e with m < 2^18 is written
 * exactly, and other values are rounded down.
 *
 * Errors: -EBADMSG malformed (framing, no 'REMB' identifier — another
 * application-layer message —, Num SSRC larger than the length allows, a
 * bitrate over 64 bits), -ENOSPC short output buffer, -EINVAL not PSFB
 * FMT 15 or a NULL argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_REMB_H
#define CAU_RTCP_REMB_H

#include <stddef.h>
#include <stdint.h>

#define RTCP_REMB_MAX_SSRC 255 /* Num SSRC is 8 bits */
#define RTCP_REMB_MANTISSA_MAX 0x3ffff

struct rtcp_remb {
    uint32_t sender_ssrc;
    uint32_t media_ssrc; /* always 0 on the wire; kept as received */
    uint64_t bitrate;    /* bit/s */
    uint8_t n_ssrc;      /* ssrc[0..n_ssrc) are valid */
    uint32_t ssrc[RTCP_REMB_MAX_SSRC];
};

/* Parse the REMB at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_remb_parse(struct rtcp_remb *r, const uint8_t *buf,
                                                        size_t len);

/* Write r into out[0..cap); stores 20 + 4 * n_ssrc in *written. */
__attribute__((warn_unused_result)) int rtcp_remb_write(const struct rtcp_remb *r, uint8_t *out,
                                                        size_t cap, size_t *written);

#endif
