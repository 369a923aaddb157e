/* vp8_pack — the VP8 packetizer (RFC 7741 §4): one encoded frame in, RTP
 * payloads of at most `mtu` bytes out.
 *
 * Every payload starts with a payload descriptor (§4.2) with X = 1, I = 1
 * and a 15-bit PictureID (M = 1) that increments per frame and wraps at
 * 0x7fff, S = 1 on the first packet of the frame only, PID = 0 (the frame is
 * sent as one partition run, which §4.4 allows), N from the frame. With
 * cfg.temporal the descriptor also carries TL0PICIDX and TID/Y (L = 1, T = 1,
 * as §4.2 requires T whenever L is set); TL0PICIDX increments on each frame
 * with TID 0. The frame is split into the fewest payloads that fit, with
 * sizes balanced to within one byte, so the last packet is not a runt.
 *
 * The RTP header is the caller's: this module does not write it (the caller
 * adds SSRC, payload type and its header extensions with rtp_hdr_write). It
 * gives, per payload, the fields the packetizer owns: the sequence number
 * (incrementing per packet from cfg.first_seq), the 90 kHz timestamp
 * (cfg.first_ts at the first frame, then advanced by the capture time
 * difference: ts = first_ts + (capture_us - first capture_us) * 9 / 100,
 * modulo 2^32) and the marker bit (set on the last packet of the frame).
 *
 * Ownership: struct vp8_pack is plain and caller-owned (no allocation here).
 * The frame bytes given to vp8_pack_start stay the caller's and must stay
 * valid until vp8_pack_poll_payload has returned 0 for that frame.
 *
 * Errors: -EINVAL for misuse (an mtu too small for a descriptor and one byte
 * of data, an empty frame, a new frame while one is still being split, a
 * TID above 3); -ENOSPC when the output buffer is smaller than the payload
 * to write (the payload is not consumed: call again with a larger buffer).
 */
#ifndef CAU_VP8_PACK_H
#define CAU_VP8_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vp8_pack_cfg {
    size_t mtu;          /* max RTP payload bytes, descriptor included */
    uint16_t first_seq;  /* sequence number of the first packet */
    uint32_t first_ts;   /* RTP timestamp of the first frame */
    uint16_t picture_id; /* PictureID of the first frame, 0..0x7fff */
    bool temporal;       /* write TL0PICIDX and TID/Y */
    uint8_t tl0picidx;   /* TL0PICIDX of the first TID 0 frame */
};

struct vp8_pack_frame {
    const uint8_t *data; /* the encoded frame, as the encoder gave it */
    size_t len;
    int64_t capture_us; /* capture time, the clock of the caller's now_us */
    bool non_ref;       /* N: no other frame references this one */
    uint8_t tid;        /* temporal layer 0..3 (with cfg.temporal) */
    bool layer_sync;    /* Y (with cfg.temporal) */
};

/* What the caller puts in the RTP header of one payload. */
struct vp8_pack_pkt {
    size_t len; /* payload bytes written */
    uint16_t seq;
    uint32_t ts;
    bool marker;   /* last packet of the frame */
    bool first;    /* first packet of the frame (S = 1) */
    bool keyframe; /* the frame is a key frame (P bit 0, RFC 6386 §9.1) */
    uint16_t picture_id;
};

struct vp8_pack {
    struct vp8_pack_cfg cfg;
    uint16_t seq;
    uint16_t picture_id;
    uint8_t tl0picidx;
    bool tl0_started;
    bool ts_started;
    int64_t first_capture_us;
    /* The frame being split. */
    struct vp8_pack_frame frame;
    bool busy;
    bool keyframe;
    uint32_t ts;
    size_t off;     /* bytes of frame data already sent */
    unsigned npkts; /* payloads for this frame */
    unsigned sent;  /* payloads already written */
};

/* Descriptor bytes per payload for this configuration (4, or 6 with
 * cfg->temporal). */
size_t vp8_pack_desc_len(const struct vp8_pack_cfg *cfg);

/* Set up *p. -EINVAL: cfg->mtu <= descriptor length, PictureID > 0x7fff. */
__attribute__((warn_unused_result)) int vp8_pack_init(struct vp8_pack *p,
                                                      const struct vp8_pack_cfg *cfg);

/* Number of payloads a frame of len bytes takes (0 for len 0). */
unsigned vp8_pack_count(const struct vp8_pack *p, size_t len);

/* Begin splitting frame f. -EINVAL: empty frame, tid > 3, or the previous
 * frame still has payloads to poll. */
__attribute__((warn_unused_result)) int vp8_pack_start(struct vp8_pack *p,
                                                       const struct vp8_pack_frame *f);

/* Write the next payload of the current frame into out[0..cap) and describe
 * it in *pkt. Returns 1 when a payload was written, 0 when the frame is done
 * (or none was started), -ENOSPC when cap is too small (nothing consumed). */
__attribute__((warn_unused_result)) int vp8_pack_poll_payload(struct vp8_pack *p, uint8_t *out,
                                                              size_t cap, struct vp8_pack_pkt *pkt);

#endif
