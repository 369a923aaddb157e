/* opus_toc — the Opus TOC byte and packet framing (RFC 6716 §3.1–§3.4).
 *
 * Sans-IO and allocation-free. opus_toc_decode reads the TOC byte alone and
 * cannot fail. opus_toc_parse reads a whole Opus packet (an RTP payload,
 * RFC 7587) into a caller-owned struct opus_toc, checking the framing rules
 * R1–R7 of RFC 6716 §3.4 (without decoding any frame). No pointer into the
 * buffer is kept.
 *
 * Errors: -EBADMSG for a malformed packet, -EINVAL for a NULL argument.
 */
#ifndef CAU_OPUS_TOC_H
#define CAU_OPUS_TOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 6716 §3.4 R2: no frame is longer than 1275 bytes. */
#define OPUS_TOC_MAX_FRAME_BYTES 1275
/* R5: a packet lasts at most 120 ms, 5760 samples at 48 kHz. */
#define OPUS_TOC_MAX_PACKET_SAMPLES 5760

enum opus_toc_mode {
    OPUS_TOC_MODE_SILK,   /* configs 0..11 */
    OPUS_TOC_MODE_HYBRID, /* configs 12..15 */
    OPUS_TOC_MODE_CELT,   /* configs 16..31 */
};

/* Audio bandwidth (RFC 6716 §2, Table 1). */
enum opus_toc_bandwidth {
    OPUS_TOC_BW_NB,  /* narrowband, 4 kHz */
    OPUS_TOC_BW_MB,  /* medium-band, 6 kHz */
    OPUS_TOC_BW_WB,  /* wideband, 8 kHz */
    OPUS_TOC_BW_SWB, /* super-wideband, 12 kHz */
    OPUS_TOC_BW_FB,  /* fullband, 20 kHz */
};

struct opus_toc {
    /* From the TOC byte (RFC 6716 §3.1). */
    uint8_t config; /* 0..31 */
    enum opus_toc_mode mode;
    enum opus_toc_bandwidth bandwidth;
    uint16_t frame_samples; /* per frame at 48 kHz: 120 (2.5 ms) .. 2880 (60 ms) */
    uint32_t frame_us;      /* per frame: 2500 .. 60000 */
    bool stereo;            /* s bit */
    uint8_t code;           /* c: 0 one frame, 1 two equal, 2 two sized, 3 arbitrary */

    /* From the whole packet (opus_toc_parse only). */
    uint8_t frame_count;       /* 1..48 */
    bool vbr;                  /* code 2, or code 3 with v = 1 */
    bool padded;               /* code 3 with p = 1 */
    size_t padding_len;        /* trailing padding bytes (code 3 only) */
    uint32_t duration_samples; /* frame_count * frame_samples, at 48 kHz */
    uint32_t duration_us;      /* the same in microseconds */
};

/* Fill the TOC-derived fields of *t from one TOC byte; the packet fields get
 * the values of a code 0/1/2 packet (frame_count 1 or 2) and, for code 3,
 * frame_count 0 since the count lives in the next byte. */
void opus_toc_decode(uint8_t toc, struct opus_toc *t);

/* Parse and validate the framing of an Opus packet of n bytes. A TOC-only
 * packet (n == 1, code 0) is valid: one empty frame, which the decoder
 * treats as lost or DTX. Code 3 with a frame count of 0, or a count making
 * the packet longer than 120 ms, is -EBADMSG, as are frame or padding lengths
 * that overrun the packet and an empty packet. *t is undefined on error. */
__attribute__((warn_unused_result)) int opus_toc_parse(const uint8_t *p, size_t n,
                                                       struct opus_toc *t);

/* True when the payload is DTX (discontinuous transmission) silence: empty,
 * or at most 2 bytes. That is the rule libwebrtc uses on both sides of a call
 * (the Opus encoder wrapper marks `encoded_bytes <= 2` as a DTX frame, the
 * decoder wrapper treats 1- and 2-byte payloads as comfort noise): a TOC
 * byte plus at most one byte of frame data cannot carry speech. A 3-byte
 * packet is not DTX under this rule; it can hold real (if tiny) frames, so
 * calling it silence would hide audio from speaker detection. */
bool opus_toc_is_dtx(const uint8_t *p, size_t n);

#endif
