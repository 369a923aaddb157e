/* rtp_ext — RTP header extension elements (RFC 8285) and the typed
 * extensions a WebRTC SFU reads and rewrites.
 *
 * An extension block (struct rtp_hdr's ext/ext_len) holds elements in the
 * one-byte form (profile 0xBEDE, §4.2: ids 1..14, 1..16 data bytes) or the
 * two-byte form (profile 0x100X, §4.3: ids 1..255, 0..255 data bytes), with
 * zero bytes as padding between and after elements. Elements returned by the
 * iterator point into the block, which the caller owns.
 *
 * The typed accessors take the id negotiated in SDP (a=extmap) for:
 *  - mid, rid, repaired-rid: strings (RFC 8843 §15, RFC 8852 §3), copied
 *    NUL-terminated into a caller buffer; must be non-empty token characters;
 *  - ssrc-audio-level (RFC 6464 §3): V flag and level 0..127 (-dBov);
 *  - abs-send-time: 24-bit 6.18 fixed-point seconds
 *    (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time);
 *  - transport-wide-cc: 16-bit transport sequence number
 *    (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2).
 *
 * Errors: -ENOENT element (or extension block) absent, or id 0 (not
 * negotiated); -EBADMSG malformed block or an element of the wrong size;
 * -ENOTSUP an extension block whose profile is not RFC 8285; -ENOSPC short
 * output buffer; -EINVAL bad arguments. Nothing here allocates.
 */
#ifndef CAU_RTP_EXT_H
#define CAU_RTP_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/rtp_hdr.h"

#define RTP_EXT_PROFILE_ONE_BYTE 0xBEDE
#define RTP_EXT_PROFILE_TWO_BYTE 0x1000 /* low 4 bits: "appbits" */
#define RTP_EXT_ONE_BYTE_MAX_ID 14
#define RTP_EXT_ONE_BYTE_MAX_LEN 16
#define RTP_EXT_MAX_LEN 255

/* One element: id, and len data bytes at data (into the block). */
struct rtp_ext_elem {
    uint8_t id;
    uint8_t len;
    const uint8_t *data;
};

/* Iterator state; fill with rtp_ext_iter_init*, read with _next. */
struct rtp_ext_iter {
    const uint8_t *p;
    size_t len;
    size_t pos;
    bool two_byte;
    bool bad; /* a malformed element was met: every later call fails */
};

/* Iterate a block of len bytes with the given profile. -ENOTSUP if the
 * profile is neither 0xBEDE nor 0x100X; -EINVAL on NULL with len > 0. */
__attribute__((warn_unused_result)) int rtp_ext_iter_init(struct rtp_ext_iter *it, uint16_t profile,
                                                          const uint8_t *data, size_t len);
/* Iterate the block of a parsed packet; a packet without one yields nothing. */
__attribute__((warn_unused_result)) int rtp_ext_iter_init_hdr(struct rtp_ext_iter *it,
                                                              const struct rtp_hdr *h);
/* Next element into *e: 0, -ENOENT at the end, -EBADMSG when an element
 * runs past the block. Padding bytes are skipped. In the one-byte form an
 * element with id 15 ends the block (RFC 8285 §4.2), and so does an id-0
 * byte that is not a zero padding byte (as libwebrtc reads it). */
__attribute__((warn_unused_result)) int rtp_ext_iter_next(struct rtp_ext_iter *it,
                                                          struct rtp_ext_elem *e);

/* First element with this id. The whole block is checked, so a malformed
 * block gives -EBADMSG whichever id is asked. */
__attribute__((warn_unused_result)) int rtp_ext_find(const struct rtp_hdr *h, uint8_t id,
                                                     struct rtp_ext_elem *e);

/* Build a block from n elements into out[0..cap), zero-padded to a multiple
 * of 4. Uses the one-byte form when every id is 1..14 and every len 1..16,
 * else the two-byte form; stores the profile to write in the RTP header and
 * the block length. -EINVAL: id 0, a repeated id, data NULL with len > 0, or
 * a block over 65535 words. -ENOSPC: cap too small. n == 0 writes nothing. */
__attribute__((warn_unused_result)) int rtp_ext_write(const struct rtp_ext_elem *elems, size_t n,
                                                      uint8_t *out, size_t cap, uint16_t *profile,
                                                      size_t *written);

/* String extensions: copy the value NUL-terminated into out[0..cap).
 * The value ends at the element's end or at its first NUL byte. -ENOSPC if
 * it does not fit; -EBADMSG if empty or not made of token characters. */
__attribute__((warn_unused_result)) int rtp_ext_mid(const struct rtp_hdr *h, uint8_t id, char *out,
                                                    size_t cap);
__attribute__((warn_unused_result)) int rtp_ext_rid(const struct rtp_hdr *h, uint8_t id, char *out,
                                                    size_t cap);
__attribute__((warn_unused_result)) int rtp_ext_repaired_rid(const struct rtp_hdr *h, uint8_t id,
                                                             char *out, size_t cap);

/* RFC 6464: one byte, V (voice activity) then the level in -dBov. */
__attribute__((warn_unused_result)) int rtp_ext_audio_level(const struct rtp_hdr *h, uint8_t id,
                                                            bool *voice, uint8_t *level);
/* abs-send-time: three bytes, the low 24 bits of *t. */
__attribute__((warn_unused_result)) int rtp_ext_abs_send_time(const struct rtp_hdr *h, uint8_t id,
                                                              uint32_t *t);
/* transport-wide-cc: two bytes, the transport-wide sequence number. */
__attribute__((warn_unused_result)) int rtp_ext_twcc(const struct rtp_hdr *h, uint8_t id,
                                                     uint16_t *seq);

/* In-place rewrites on the packet pkt[0..len): the element must already be
 * there with the right size. -EINVAL if t >= 2^24. Errors as above, plus
 * any of rtp_hdr_parse. */
__attribute__((warn_unused_result)) int rtp_ext_set_abs_send_time(uint8_t *pkt, size_t len,
                                                                  uint8_t id, uint32_t t);
__attribute__((warn_unused_result)) int rtp_ext_set_twcc(uint8_t *pkt, size_t len, uint8_t id,
                                                         uint16_t seq);

/* abs-send-time of a time in microseconds: seconds modulo 64 in 6.18 fixed
 * point. Any int64 is accepted (negative times wrap like positive ones). */
uint32_t rtp_ext_abs_send_time_from_us(int64_t us);
/* Microseconds within the 64-second period of a 24-bit abs-send-time. */
int64_t rtp_ext_abs_send_time_to_us(uint32_t t);

#endif
