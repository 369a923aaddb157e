/* opus_enc — an Opus encoder for real-time voice (libopus, VOIP application):
 * 48 kHz, 20 ms frames, mono or stereo, with optional in-band FEC and DTX.
 *
 * opus_enc_create() returns an encoder the caller owns and frees with
 * opus_enc_destroy(). opus_enc_encode() takes exactly OPUS_ENC_FRAME_SAMPLES
 * sample frames of interleaved int16 and writes one packet into the caller's
 * buffer (OPUS_ENC_MAX_PACKET bytes always suffice). A smaller buffer caps
 * the packet: libopus lowers the quality to fit, down to a 1-byte packet the
 * decoder conceals.
 *
 * In-band FEC (RFC 6716 §2.1.7, LBRR) puts a low-bitrate copy of frame N into
 * packet N+1; libopus only spends bits on it when the expected loss is
 * above 0, so loss_pct defaults to 10 when fec is on. With DTX on, frames of
 * silence come out as packets of 1 or 2 bytes, which a sender may choose not
 * to send (RFC 7587 §3.1.3).
 *
 * Errors: -EINVAL bad configuration or arguments, -ENOSPC output buffer too
 * short, -ENOMEM out of memory, -EIO any other libopus failure.
 */
#ifndef CAU_OPUS_ENC_H
#define CAU_OPUS_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OPUS_ENC_RATE 48000
#define OPUS_ENC_FRAME_SAMPLES 960 /* 20 ms at 48 kHz, per channel */
#define OPUS_ENC_MAX_PACKET 1275   /* largest single-frame packet, RFC 6716 §3.4 */

struct opus_enc;

struct opus_enc_cfg {
    int channels;    /* 1 or 2 */
    int bitrate_bps; /* 6000..510000 */
    bool fec;        /* in-band forward error correction */
    int loss_pct;    /* expected packet loss 0..100, tunes FEC; 0 with fec means 10 */
    bool dtx;        /* discontinuous transmission during silence */
    int complexity;  /* 0..10 */
};

/* Mono, 32 kbps, no FEC, no DTX, complexity 9. */
void opus_enc_cfg_default(struct opus_enc_cfg *cfg);

__attribute__((warn_unused_result)) int opus_enc_create(const struct opus_enc_cfg *cfg,
                                                        struct opus_enc **out);
void opus_enc_destroy(struct opus_enc *e);

/* Encode one 20 ms frame (OPUS_ENC_FRAME_SAMPLES * channels int16) into
 * out[0..cap); *len gets the packet size. */
__attribute__((warn_unused_result)) int opus_enc_encode(struct opus_enc *e, const int16_t *pcm,
                                                        uint8_t *out, size_t cap, size_t *len);

/* Change the bitrate (6000..510000) or the expected loss (0..100). */
__attribute__((warn_unused_result)) int opus_enc_set_bitrate(struct opus_enc *e, int bitrate_bps);
__attribute__((warn_unused_result)) int opus_enc_set_loss_pct(struct opus_enc *e, int loss_pct);

int opus_enc_channels(const struct opus_enc *e);

#endif
