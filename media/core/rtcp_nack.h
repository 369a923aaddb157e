/* rtcp_nack — generic NACK, RTPFB (PT 205) FMT 1 (RFC 4585 §6.2.1):
 *
 *  |V=2|P|  FMT=1  |   PT=205      |          length               |
 *  |                  SSRC of packet sender                        |
 *  |                  SSRC of media source                         |
 *  |            PID                |             BLP               |  x N
 *
 * Each FCI entry reports packet PID lost, and packet PID + i + 1 lost when
 * bit i of BLP is set (bit 0 is the least significant). At least one entry
 * must be present.
 *
 * rtcp_nack_to_seqs() expands the pairs into the lost sequence numbers;
 * rtcp_nack_from_seqs() packs a sorted list of lost sequence numbers (in
 * RTP order, wrap-around allowed) into as few pairs as it can.
 *
 * Errors: -EBADMSG malformed (framing, an FCI shorter than one entry or
 * not a whole number of entries),
 * -ENOSPC more than RTCP_NACK_MAX_PAIRS entries or a short output buffer,
 * -EINVAL not a NACK, an unsorted or empty list, 0 pairs to write or a NULL
 * argument. Nothing here allocates.
 */
#ifndef CAU_RTCP_NACK_H
#define CAU_RTCP_NACK_H

#include <stddef.h>
#include <stdint.h>

#define RTCP_NACK_MAX_PAIRS 128
#define RTCP_NACK_SEQS_PER_PAIR 17

struct rtcp_nack_pair {
    uint16_t pid; /* first lost packet */
    uint16_t blp; /* bitmask of following lost packets */
};

struct rtcp_nack {
    uint32_t sender_ssrc;
    uint32_t media_ssrc;
    size_t n_pairs; /* pairs[0..n_pairs) are valid */
    struct rtcp_nack_pair pairs[RTCP_NACK_MAX_PAIRS];
};

/* Parse the NACK at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_nack_parse(struct rtcp_nack *n, const uint8_t *buf,
                                                        size_t len);

/* Write n into out[0..cap); stores 12 + 4 * n_pairs in *written. */
__attribute__((warn_unused_result)) int rtcp_nack_write(const struct rtcp_nack *n, uint8_t *out,
                                                        size_t cap, size_t *written);

/* Expand every pair, in order, into seqs[0..cap); stores the number in
 * *count. -ENOSPC when cap is too small (17 * n_pairs always suffices). */
__attribute__((warn_unused_result)) int rtcp_nack_to_seqs(const struct rtcp_nack *n, uint16_t *seqs,
                                                          size_t cap, size_t *count);

/* Fill n->pairs from seqs[0..count), sorted in RTP order (each one after the
 * previous modulo 2^16; duplicates are skipped). The SSRCs are left as they
 * are. -EINVAL unsorted or count 0, -ENOSPC more than RTCP_NACK_MAX_PAIRS
 * pairs needed; on error n->n_pairs is 0. */
__attribute__((warn_unused_result)) int rtcp_nack_from_seqs(struct rtcp_nack *n,
                                                            const uint16_t *seqs, size_t count);

#endif
