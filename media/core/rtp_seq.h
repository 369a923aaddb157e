/* rtp_seq — serial-number arithmetic on RTP sequence numbers (16 bits) and
 * timestamps (32 bits), and their unwrapping to int64.
 *
 * Comparisons follow RFC 1982 serial arithmetic: a is newer than b when the
 * forward distance b -> a is below half the number space. At exactly half
 * (0x8000 or 0x80000000 apart) the larger raw value counts as newer, so that
 * newer(a, b) and newer(b, a) are never both true.
 *
 * An unwrapper turns the stream of raw values into extended ones (RFC 3550
 * A.1's cycles * 65536 + seq): each value becomes the extended value closest
 * to the highest one seen so far, so a packet reordered across a wrap
 * (65535 arriving after 0) maps below it, not 65536 ahead. The first value
 * is taken as is; a packet older than the first may come out negative.
 * The caller owns the state; zero-initialize it (or call _reset) to start.
 * Nothing here allocates or fails.
 */
#ifndef CAU_RTP_SEQ_H
#define CAU_RTP_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* Signed distance from b forward to a, in -32768..32768 (half: see above). */
int32_t rtp_seq_diff(uint16_t a, uint16_t b);
/* a comes after b. */
bool rtp_seq_newer(uint16_t a, uint16_t b);
/* a comes before b. */
bool rtp_seq_older(uint16_t a, uint16_t b);
/* The newer of the two. */
uint16_t rtp_seq_max(uint16_t a, uint16_t b);

/* Timestamp versions: distance in -2^31..2^31. */
int64_t rtp_seq_ts_diff(uint32_t a, uint32_t b);
bool rtp_seq_ts_newer(uint32_t a, uint32_t b);
bool rtp_seq_ts_older(uint32_t a, uint32_t b);

struct rtp_seq_unwrapper {
    bool started;
    int64_t highest; /* highest extended sequence number returned */
};

struct rtp_seq_ts_unwrapper {
    bool started;
    int64_t highest;
};

void rtp_seq_reset(struct rtp_seq_unwrapper *u);
/* Extended value of seq; moves the highest value forward if it is newer. */
int64_t rtp_seq_unwrap(struct rtp_seq_unwrapper *u, uint16_t seq);
/* What rtp_seq_unwrap would return, without changing the state. */
int64_t rtp_seq_unwrap_peek(const struct rtp_seq_unwrapper *u, uint16_t seq);

void rtp_seq_ts_reset(struct rtp_seq_ts_unwrapper *u);
int64_t rtp_seq_ts_unwrap(struct rtp_seq_ts_unwrapper *u, uint32_t ts);
int64_t rtp_seq_ts_unwrap_peek(const struct rtp_seq_ts_unwrapper *u, uint32_t ts);

#endif
