/* opus_dec — an Opus decoder (libopus) at 48 kHz, mono or stereo output,
 * with packet-loss concealment and in-band FEC recovery.
 *
 * opus_dec_create() returns a decoder the caller owns and frees with
 * opus_dec_destroy(). Output is interleaved int16 in the caller's buffer of
 * cap sample frames (per channel); a packet holds at most 120 ms, so
 * OPUS_DEC_MAX_FRAME_SAMPLES always suffices.
 *
 * When a packet is lost:
 *  - opus_dec_decode(d, NULL, 0, ...) conceals 20 ms (PLC), or
 *  - if the next packet is already there, opus_dec_decode_fec() rebuilds the
 *    lost 20 ms from the FEC data in it (RFC 6716 §2.1.7; without FEC data
 *    libopus falls back to PLC), then the next packet is decoded normally.
 *
 * Errors: -EINVAL bad arguments, -ENOSPC output buffer too short, -EBADMSG
 * the packet is malformed, -ENOMEM out of memory, -EIO other libopus
 * failures.
 */
#ifndef CAU_OPUS_DEC_H
#define CAU_OPUS_DEC_H

#include <stddef.h>
#include <stdint.h>

#define OPUS_DEC_RATE 48000
#define OPUS_DEC_FRAME_SAMPLES 960      /* 20 ms, the unit of PLC and FEC */
#define OPUS_DEC_MAX_FRAME_SAMPLES 5760 /* 120 ms */

struct opus_dec;

__attribute__((warn_unused_result)) int opus_dec_create(int channels, struct opus_dec **out);
void opus_dec_destroy(struct opus_dec *d);

/* Decode pkt[0..len) into pcm (cap sample frames per channel); *frames gets
 * the number of sample frames written. pkt NULL: conceal 20 ms of loss. */
__attribute__((warn_unused_result)) int opus_dec_decode(struct opus_dec *d, const uint8_t *pkt,
                                                        size_t len, int16_t *pcm, size_t cap,
                                                        size_t *frames);

/* Recover the 20 ms lost just before `next` from the FEC data in next. Does
 * not consume next: decode it with opus_dec_decode() afterwards. */
__attribute__((warn_unused_result)) int opus_dec_decode_fec(struct opus_dec *d, const uint8_t *next,
                                                            size_t len, int16_t *pcm, size_t cap,
                                                            size_t *frames);

int opus_dec_channels(const struct opus_dec *d);

#endif
