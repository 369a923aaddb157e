/* vp8_desc — the VP8 RTP payload descriptor (RFC 7741 §4.2).
 *
 * Sans-IO and allocation-free. The parser reads an RTP payload (the bytes
 * after the RTP header and its extensions, padding already removed) and
 * fills a caller-owned struct vp8_desc; it keeps no pointer into the buffer.
 * The rewriters change one field in place in a caller-owned buffer, keeping
 * the descriptor's layout (and so its length) unchanged. The writer
 * serializes a struct vp8_desc into a caller-owned buffer for a packetizer.
 *
 *      0 1 2 3 4 5 6 7
 *     +-+-+-+-+-+-+-+-+
 *     |X|R|N|S|R| PID |  (required)
 *  X: |I|L|T|K| RSV   |
 *  I: |M| PictureID   |  (second PictureID byte when M = 1)
 *  L: |   TL0PICIDX   |
 * T/K:|TID|Y| KEYIDX  |
 *
 * Errors: -EBADMSG for a malformed descriptor (cut short, or no VP8 payload
 * byte after it), -EINVAL for misuse (rewriting a field the descriptor does
 * not carry, a value out of range for the writer), -ENOSPC when the output
 * buffer is too small.
 */
#ifndef CAU_VP8_DESC_H
#define CAU_VP8_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest descriptor: required byte, X byte, two PictureID bytes,
 * TL0PICIDX, TID/Y/KEYIDX. */
#define VP8_DESC_MAX_LEN 6

struct vp8_desc {
    /* Required byte. */
    bool x;      /* extended control bits present */
    bool n;      /* non-reference frame: may be discarded */
    bool s;      /* start of a VP8 partition */
    uint8_t pid; /* partition index, 0..7 */

    /* Extension byte (all false when x is false). */
    bool has_picture_id; /* I */
    bool has_tl0picidx;  /* L */
    bool has_tid;        /* T: tid and y are meaningful */
    bool has_keyidx;     /* K: keyidx is meaningful */

    bool picture_id_long; /* M: PictureID is 15 bits (2 bytes), else 7 bits */
    uint16_t picture_id;  /* 0..127 or 0..32767 */
    uint8_t tl0picidx;
    uint8_t tid;    /* temporal layer index, 0..3 */
    bool y;         /* layer sync */
    uint8_t keyidx; /* 0..31 */

    /* Layout, filled by the parser (the writer ignores these). */
    size_t desc_len;    /* bytes of descriptor, 1..VP8_DESC_MAX_LEN */
    size_t payload_off; /* offset of the VP8 payload: equals desc_len */
    size_t payload_len; /* bytes of VP8 payload, >= 1 */

    /* VP8 payload header (RFC 7741 §4.3), only at S = 1 and PID = 0. */
    bool key_frame;  /* S = 1, PID = 0 and the P bit is 0 */
    bool has_size;   /* key frame with its start code and dimensions */
    uint16_t width;  /* 14 bits, in pixels (before scaling) */
    uint16_t height; /* 14 bits */
    uint8_t hscale;  /* 2-bit horizontal scale code */
    uint8_t vscale;  /* 2-bit vertical scale code */
};

/* Parse the descriptor at the start of an RTP payload of n bytes. Lenient
 * where RFC 7741 asks receivers to be: reserved bits are ignored, and L
 * without T is accepted. The descriptor must be followed by at least one
 * byte of VP8 payload, as in libwebrtc's depacketizer. A key frame start
 * shorter than the 10-byte key frame header is still a key frame, only
 * without a size (has_size false); so is one whose start code is not
 * 0x9d 0x01 0x2a. Returns 0, -EBADMSG, or -EINVAL for a NULL d; *d is
 * undefined on error. */
__attribute__((warn_unused_result)) int vp8_desc_parse(const uint8_t *p, size_t n,
                                                       struct vp8_desc *d);

/* In-place rewriters over an RTP payload of n bytes (validated as by
 * vp8_desc_parse). They return -EBADMSG for a malformed descriptor and
 * -EINVAL when the descriptor does not carry the field or the value is out of
 * range; on error the buffer is unchanged.
 *
 * The PictureID keeps its existing width: a 7-bit field stores id & 0x7f and
 * a 15-bit field id & 0x7fff, so a value too large wraps (the same modular
 * arithmetic a receiver applies to PictureID); it never grows the packet. */
__attribute__((warn_unused_result)) int vp8_desc_set_picture_id(uint8_t *p, size_t n, uint16_t id);
__attribute__((warn_unused_result)) int vp8_desc_set_tl0picidx(uint8_t *p, size_t n, uint8_t idx);
/* TID and Y need T = 1; tid must be 0..3. */
__attribute__((warn_unused_result)) int vp8_desc_set_tid(uint8_t *p, size_t n, uint8_t tid, bool y);
/* KEYIDX needs K = 1; keyidx must be 0..31. */
__attribute__((warn_unused_result)) int vp8_desc_set_keyidx(uint8_t *p, size_t n, uint8_t keyidx);

/* Bytes vp8_desc_write would produce for d (X is written when d->x or any of
 * I, L, T, K is set). */
size_t vp8_desc_len(const struct vp8_desc *d);

/* Serialize d into out[0..cap): reserved bits written as 0, TID/Y/KEYIDX
 * written as stored when either T or K is set. *written receives the length.
 * Returns 0, -EINVAL for an out-of-range field (pid > 7, tid > 3,
 * keyidx > 31, picture_id beyond its 7 or 15 bits) or -ENOSPC. */
__attribute__((warn_unused_result)) int vp8_desc_write(const struct vp8_desc *d, uint8_t *out,
                                                       size_t cap, size_t *written);

#endif
