/* opus_pack — the Opus packetizer (RFC 7587): one Opus packet per RTP
 * packet, the payload unchanged (no payload header).
 *
 * For each encoded packet it gives the RTP fields it owns: the sequence
 * number (incrementing per packet sent), the 48 kHz timestamp (advanced by
 * the packet's duration, read from its TOC: 960 for 20 ms) and the marker
 * bit, set on the first packet of a talkspurt (RFC 3551 §4.1): the first
 * packet of the stream and the first non-DTX packet after silence. A DTX
 * packet (opus_toc_is_dtx: at most 2 bytes) counts as silence; it is sent or
 * skipped according to cfg.send_dtx. Silence the caller does not even encode
 * is declared with opus_pack_skip, which only advances the timestamp.
 *
 * The caller writes the RTP header and copies the payload; struct opus_pack
 * is plain and caller-owned, and no pointer to the payload is kept.
 *
 * Errors: -EBADMSG for a payload that is not a valid Opus packet (RFC 6716
 * §3.4), -EINVAL for misuse (NULL, a skip of 0 or more than 120 ms).
 */
#ifndef CAU_OPUS_PACK_H
#define CAU_OPUS_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct opus_pack_cfg {
    uint16_t first_seq;
    uint32_t first_ts;
    bool send_dtx; /* send DTX packets (comfort noise) instead of skipping them */
};

struct opus_pack_pkt {
    uint16_t seq;
    uint32_t ts;
    bool marker;
    bool dtx;
};

struct opus_pack {
    struct opus_pack_cfg cfg;
    uint16_t seq;
    uint32_t ts;
    bool silent; /* no speech packet sent since the start or the last silence */
};

void opus_pack_init(struct opus_pack *p, const struct opus_pack_cfg *cfg);

/* Account for one encoded packet payload[0..n). Returns 1 and fills *pkt when
 * the caller should send it, 0 when it is a DTX packet to skip (the timestamp
 * still advances), or a negative errno (nothing changes). */
__attribute__((warn_unused_result)) int opus_pack_frame(struct opus_pack *p, const uint8_t *payload,
                                                        size_t n, struct opus_pack_pkt *pkt);

/* samples (at 48 kHz, 1..5760) of silence that were not encoded. */
__attribute__((warn_unused_result)) int opus_pack_skip(struct opus_pack *p, uint32_t samples);

#endif
