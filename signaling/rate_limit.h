/* rate_limit — a token bucket for the client message rate
 * (docs/protocol.md: "at most N messages per second averaged over W s").
 *
 * The bucket holds at most N * W messages and refills at N per second; it
 * starts full. Time comes in as now_us (any monotonic clock); a clock that
 * goes backwards refills nothing. Integer arithmetic, no allocation.
 * per_second 0 means unlimited.
 */
#ifndef CAU_RATE_LIMIT_H
#define CAU_RATE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct rate_limit {
    int64_t tokens;   /* in millionths of a message */
    int64_t capacity; /* per_second * window_s * 1e6 */
    int64_t per_second;
    int64_t last_us;
};

void rate_limit_init(struct rate_limit *r, unsigned per_second, unsigned window_s, int64_t now_us);
/* True (and one message taken from the bucket) when a message may pass now. */
bool rate_limit_take(struct rate_limit *r, int64_t now_us);

#endif
