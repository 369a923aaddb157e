/* rtcp_twcc — transport-wide congestion control feedback, RTPFB (PT 205)
 * FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
 *
 *  |V=2|P|  FMT=15 |    PT=205     |           length              |
 *  |                     SSRC of packet sender                     |
 *  |                      SSRC of media source                     |
 *  |      base sequence number     |      packet status count      |
 *  |                 reference time                | fb pkt. count |
 *  |          packet chunk         |         packet chunk          |  ...
 *  |  recv delta   |  recv delta   |  ...          | zero padding  |
 *
 * Packet chunks (§3.1.3, §3.1.4) give one status per transport-wide
 * sequence number from the base on: run-length chunks (a 2-bit symbol
 * repeated up to 8191 times) and status vectors (14 1-bit or 7 2-bit
 * symbols). Symbols: 0 not received, 1 received with a small delta (1 byte,
 * 0..255), 2 received with a large or negative delta (2 bytes signed), 3
 * reserved (rejected). Deltas count 250 us ticks from the previous received
 * packet, the first from the reference time (64 ms units).
 *
 * The reference time is read as an unsigned 24-bit value: the draft calls it
 * signed, but it wraps every 2^24 * 64 ms (about 12.4 days) and only the
 * differences between feedbacks matter; unwrapping is the caller's job.
 *
 * Parsing fills a caller array with one entry per status (status_count
 * entries); it walks the chunks twice and never more than status_count
 * symbols, so hostile counts cost at most 65535 steps and never read past
 * the buffer. Writing takes the received packets (seq, arrival_us), computes
 * the reference time from the first one and picks the chunk types.
 *
 * Errors: -EBADMSG malformed (framing, status count 0, chunks or deltas
 * running past the length, a reserved symbol), -ENOSPC output array or
 * buffer too small, -EINVAL not a TWCC feedback, packets out of order or
 * outside the status count, two arrivals too far apart for one delta
 * (> 8191.75 ms: split the feedback), or a NULL argument.
 * Nothing here allocates.
 */
#ifndef CAU_RTCP_TWCC_H
#define CAU_RTCP_TWCC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTCP_TWCC_HDR_LEN 20   /* header, SSRCs, base..fb count */
#define RTCP_TWCC_TICK_US 250  /* receive delta unit */
#define RTCP_TWCC_REF_US 64000 /* reference time unit */
#define RTCP_TWCC_REF_MASK 0xffffffu
#define RTCP_TWCC_MAX_RUN 0x1fff /* 13-bit run length */

struct rtcp_twcc {
    uint32_t sender_ssrc;
    uint32_t media_ssrc;
    uint16_t base_seq;     /* transport-wide seq of the first status */
    uint16_t status_count; /* statuses from base_seq on */
    uint32_t ref_time;     /* 24 bits, in 64 ms units */
    uint8_t fb_count;      /* feedback packet counter */
};

/* One status. arrival_us = ref_time * 64000 + the sum of the deltas so far;
 * it is 0 when the packet was not received. */
struct rtcp_twcc_pkt {
    uint16_t seq;
    bool received;
    int64_t arrival_us;
};

/* Parse the feedback at buf[0] (buf[0..len) may hold more packets after it)
 * into *fb and pkts[0..fb->status_count). The packet is fully checked
 * before the capacity: -ENOSPC (cap < status_count, *fb filled so that the
 * caller can see the count) only comes for a well-formed packet. */
__attribute__((warn_unused_result)) int rtcp_twcc_parse(struct rtcp_twcc *fb, const uint8_t *buf,
                                                        size_t len, struct rtcp_twcc_pkt *pkts,
                                                        size_t cap);

/* Write a feedback for pkts[0..n): entries with received set, in increasing
 * seq order from fb->base_seq (modulo 2^16); the others are ignored (they
 * are reported as not received, like any seq missing from the list). The
 * SSRCs, base_seq and fb_count come from *fb; status_count too unless it is
 * 0, in which case it runs up to the last received packet. The reference
 * time is floor(first arrival / 64 ms) modulo 2^24, or fb->ref_time when no
 * packet was received. Arrivals are in us, |arrival_us| < 2^60, rounded
 * down to 250 us. Stores the packet size (zero-padded to 32 bits, P clear)
 * in *written. */
__attribute__((warn_unused_result)) int rtcp_twcc_write(const struct rtcp_twcc *fb,
                                                        const struct rtcp_twcc_pkt *pkts, size_t n,
                                                        uint8_t *out, size_t cap, size_t *written);

#endif
