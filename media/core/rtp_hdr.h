/* rtp_hdr — the RTP fixed header, CSRC list, header extension block and
 * padding (RFC 3550 §5.1, §5.3.1).
 *
 * rtp_hdr_parse() reads a packet into a struct rtp_hdr without copying the
 * extension block or the payload: `ext` and `payload` point into the caller's
 * buffer, which must outlive the struct. The CSRCs are copied (at most 15).
 * Every length is checked against the buffer; nothing past `len` is read.
 *
 * The rtp_hdr_set_* functions patch one field of a packet in place (an SFU
 * rewrites SSRC, sequence, timestamp and payload type per subscriber).
 * rtp_hdr_write() serializes the header part (fixed header, CSRCs, extension
 * block) into a caller buffer; the caller appends payload and any padding.
 *
 * Errors: -EBADMSG malformed packet, -ENOSPC short output buffer, -EINVAL
 * a field out of range or a buffer too short to be an RTP packet.
 * Nothing here allocates.
 */
#ifndef CAU_RTP_HDR_H
#define CAU_RTP_HDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_FIXED_LEN 12  /* V..SSRC, RFC 3550 §5.1 */
#define RTP_HDR_MAX_CSRC 15   /* the CC field is 4 bits */
#define RTP_HDR_EXT_HDR_LEN 4 /* "defined by profile" + length, §5.3.1 */
#define RTP_HDR_EXT_MAX_LEN (65535u * 4)

struct rtp_hdr {
    bool padding;   /* P: the packet ends in pad_len padding octets */
    bool extension; /* X: a header extension block follows the CSRCs */
    bool marker;    /* M */
    uint8_t cc;     /* CSRC count, 0..15 */
    uint8_t pt;     /* payload type, 0..127 */
    uint16_t seq;
    uint32_t ts;
    uint32_t ssrc;
    uint32_t csrc[RTP_HDR_MAX_CSRC]; /* csrc[0..cc) are valid */

    /* Header extension, meaningful when `extension` is set. `ext` points at
     * the extension data (after the 4-byte profile/length word) and holds
     * ext_len bytes, a multiple of 4; ext_off is its offset in the packet. */
    uint16_t ext_profile;
    const uint8_t *ext;
    size_t ext_off;
    size_t ext_len;

    /* Payload between the header and the padding; may be empty. */
    const uint8_t *payload;
    size_t payload_off;
    size_t payload_len;
    size_t pad_len; /* padding octets including the count octet; 0 if !padding */
};

/* Parse the packet buf[0..len). On success fills *h and returns 0; on
 * -EBADMSG *h is unspecified; -EINVAL if h is NULL. Rejects: len < 12, version != 2, CSRCs or the
 * extension block running past the end, a padding count of 0 or one that
 * reaches into the header. */
__attribute__((warn_unused_result)) int rtp_hdr_parse(struct rtp_hdr *h, const uint8_t *buf,
                                                      size_t len);

/* Bytes rtp_hdr_write() will produce for h: 12 + 4*cc (+ 4 + ext_len). */
size_t rtp_hdr_len(const struct rtp_hdr *h);

/* Serialize the header part of h (version 2, P, X, CC, M, PT, seq, ts, ssrc,
 * csrc[0..cc), and when h->extension the profile word, the length word and
 * ext[0..ext_len)) into out[0..cap). The payload/padding fields of h are not
 * used: the caller appends the payload and, when h->padding is set, the
 * padding. Stores the header length in *written.
 * -EINVAL: cc > 15, pt > 127, ext_len not a multiple of 4 or over 65535
 * words, or ext NULL with ext_len > 0. -ENOSPC: cap too small. */
__attribute__((warn_unused_result)) int rtp_hdr_write(const struct rtp_hdr *h, uint8_t *out,
                                                      size_t cap, size_t *written);

/* In-place field writers on a packet buffer of len bytes. Each returns 0, or
 * -EINVAL when len < 12 (or pt > 127); other bits of the packet are kept. */
__attribute__((warn_unused_result)) int rtp_hdr_set_ssrc(uint8_t *pkt, size_t len, uint32_t ssrc);
__attribute__((warn_unused_result)) int rtp_hdr_set_seq(uint8_t *pkt, size_t len, uint16_t seq);
__attribute__((warn_unused_result)) int rtp_hdr_set_ts(uint8_t *pkt, size_t len, uint32_t ts);
__attribute__((warn_unused_result)) int rtp_hdr_set_pt(uint8_t *pkt, size_t len, uint8_t pt);
__attribute__((warn_unused_result)) int rtp_hdr_set_marker(uint8_t *pkt, size_t len, bool marker);

#endif
