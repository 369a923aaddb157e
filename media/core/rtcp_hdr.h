/* rtcp_hdr — the RTCP common header, the compound-packet iterator and a
 * compound builder (RFC 3550 §6.1, §6.4.1, appendix A.2).
 *
 * Every RTCP packet starts with one 32-bit word:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|  count  |      PT       |     length (words - 1)        |
 *
 * `count` is RC (SR/RR), SC (SDES/BYE) or FMT (RTPFB/PSFB, RFC 4585 §6.1).
 *
 * rtcp_hdr_parse() checks one packet's framing and gives its body: the bytes
 * after the header word, padding excluded. `body` points into the caller's
 * buffer, which must outlive the struct.
 *
 * rtcp_iter walks a compound packet and yields each packet in turn; it only
 * checks framing (version, length, padding), so unknown types are yielded
 * and can be skipped safely. Once a length is found to lie the iterator stops
 * for good with -EBADMSG, after having yielded every valid packet before it.
 *
 * rtcp_build appends packets written by the rtcp_*_write() functions into one
 * caller buffer and keeps the first error, so a compound is built without an
 * error check after every step.
 *
 * Errors: -EBADMSG malformed input, -ENOSPC short output buffer, -EINVAL a
 * field out of range or a NULL argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_HDR_H
#define CAU_RTCP_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTCP_HDR_LEN 4
#define RTCP_MAX_COUNT 31         /* the count field is 5 bits */
#define RTCP_MAX_LEN (65536u * 4) /* length is 16 bits, in words - 1 */
#define RTCP_FB_HDR_LEN (4 + 8)   /* header + sender SSRC + media SSRC */

/* Packet types (RFC 3550 §12.1, RFC 4585 §6.1). */
#define RTCP_PT_SR 200
#define RTCP_PT_RR 201
#define RTCP_PT_SDES 202
#define RTCP_PT_BYE 203
#define RTCP_PT_APP 204
#define RTCP_PT_RTPFB 205
#define RTCP_PT_PSFB 206

/* Feedback message types (FMT). */
#define RTCP_RTPFB_NACK 1  /* RFC 4585 §6.2.1 */
#define RTCP_RTPFB_TWCC 15 /* draft-holmer-rmcat-transport-wide-cc-extensions-01 */
#define RTCP_PSFB_PLI 1    /* RFC 4585 §6.3.1 */
#define RTCP_PSFB_FIR 4    /* RFC 5104 §4.3.1 */
#define RTCP_PSFB_AFB 15   /* RFC 4585 §6.4, carries REMB */

struct rtcp_hdr {
    bool padding;        /* P bit */
    uint8_t count;       /* RC, SC or FMT, 0..31 */
    uint8_t pt;          /* packet type */
    size_t size;         /* whole packet on the wire: 4 * (length + 1) */
    const uint8_t *body; /* after the header word; borrowed from the buffer */
    size_t body_len;     /* body bytes, padding excluded */
};

/* Parse the packet starting at buf[0]; buf[0..len) may hold more packets
 * after it. -EBADMSG: len < 4, version != 2, the length field runs past len,
 * or a padding count of 0 or larger than the body. */
__attribute__((warn_unused_result)) int rtcp_hdr_parse(struct rtcp_hdr *h, const uint8_t *buf,
                                                       size_t len);

/* Write a header word for a packet of `size` bytes (padding bit clear) into
 * out[0..cap); stores 4 in *written. -EINVAL: count > 31, size not a multiple
 * of 4, below 4 or above RTCP_MAX_LEN. -ENOSPC: cap < 4. */
__attribute__((warn_unused_result)) int rtcp_hdr_write(uint8_t pt, uint8_t count, size_t size,
                                                       uint8_t *out, size_t cap, size_t *written);

/* One packet yielded by the iterator. */
struct rtcp_pkt {
    uint8_t pt;
    uint8_t fmt;         /* the count/FMT field */
    const uint8_t *data; /* packet start, header included; borrowed */
    size_t len;          /* 4 * (length + 1), padding included */
};

struct rtcp_iter {
    const uint8_t *buf;
    size_t len;
    size_t off;
    int err; /* sticky: 0 or -EBADMSG */
};

void rtcp_iter_init(struct rtcp_iter *it, const uint8_t *buf, size_t len);

/* Yield the next packet: returns 1 and fills *pkt, 0 at the clean end of the
 * compound (also for an empty buffer), or -EBADMSG when the next packet's
 * framing is broken (too short, version != 2, length past the end, bad
 * padding, 1-3 trailing bytes). The error is sticky. */
__attribute__((warn_unused_result)) int rtcp_iter_next(struct rtcp_iter *it, struct rtcp_pkt *pkt);

/* Compound builder over a caller buffer. */
struct rtcp_build {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err; /* first error seen, sticky */
};

void rtcp_build_init(struct rtcp_build *b, uint8_t *buf, size_t cap);
/* Where the next packet goes and how much room is left (0 after an error). */
uint8_t *rtcp_build_pos(const struct rtcp_build *b);
size_t rtcp_build_room(const struct rtcp_build *b);
/* Account for a write: rc is the writer's return, written its output. Keeps
 * the first error; returns b->err. */
int rtcp_build_add(struct rtcp_build *b, int rc, size_t written);
/* 0 and the total length in *len, or the first error. */
__attribute__((warn_unused_result)) int rtcp_build_finish(const struct rtcp_build *b, size_t *len);

/* Big-endian field access shared by the rtcp_* files. */
static inline uint16_t rtcp_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rtcp_get24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t rtcp_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void rtcp_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void rtcp_put24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

static inline void rtcp_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
