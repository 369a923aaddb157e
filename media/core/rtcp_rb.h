/* rtcp_rb — the reception report block shared by SR and RR (RFC 3550
 * §6.4.1), 24 bytes:
 *
 *  |                 SSRC_1 (SSRC of first source)                 |
 *  | fraction lost |       cumulative number of packets lost       |
 *  |           extended highest sequence number received           |
 *  |                      interarrival jitter                      |
 *  |                         last SR (LSR)                         |
 *  |                   delay since last SR (DLSR)                  |
 *
 * The cumulative loss is a 24-bit signed count (it goes negative when
 * duplicates outnumber losses); the struct holds it sign-extended and the
 * writer clamps it to [-0x800000, 0x7fffff] as appendix A.3 asks.
 *
 * Errors: -EBADMSG fewer than 24 input bytes, -ENOSPC short output buffer,
 * -EINVAL a NULL argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_RB_H
#define CAU_RTCP_RB_H

#include <stddef.h>
#include <stdint.h>

#define RTCP_RB_LEN 24
#define RTCP_RB_MAX 31 /* RC is 5 bits */
#define RTCP_RB_LOST_MAX 0x7fffff
#define RTCP_RB_LOST_MIN (-0x800000)

struct rtcp_rb {
    uint32_t ssrc;
    uint8_t fraction_lost;   /* fixed point, lost / expected * 256 */
    int32_t cumulative_lost; /* sign-extended 24-bit value */
    uint32_t ext_highest_seq;
    uint32_t jitter; /* in RTP timestamp units */
    uint32_t lsr;    /* middle 32 bits of the last SR's NTP time, 0 if none */
    uint32_t dlsr;   /* delay since that SR, in 1/65536 s */
};

/* Read one block from buf[0..len); len may be larger than 24. */
__attribute__((warn_unused_result)) int rtcp_rb_parse(struct rtcp_rb *rb, const uint8_t *buf,
                                                      size_t len);

/* Write one block into out[0..cap); stores 24 in *written. */
__attribute__((warn_unused_result)) int rtcp_rb_write(const struct rtcp_rb *rb, uint8_t *out,
                                                      size_t cap, size_t *written);

/* The n blocks of an SR or RR, back to back: -EBADMSG if len < 24 * n. */
__attribute__((warn_unused_result)) int rtcp_rb_parse_list(struct rtcp_rb *rb, size_t n,
                                                           const uint8_t *buf, size_t len);

/* Write n blocks back to back; stores 24 * n in *written. */
__attribute__((warn_unused_result)) int
rtcp_rb_write_list(const struct rtcp_rb *rb, size_t n, uint8_t *out, size_t cap, size_t *written);

#endif
