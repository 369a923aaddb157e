#include "signaling/rate_limit.h"

#define UNIT 1000000LL

void rate_limit_init(struct rate_limit *r, unsigned per_second, unsigned window_s, int64_t now_us)
{
    if (window_s == 0)
        window_s = 1;
    r->per_second = per_second;
    r->capacity = (int64_t)per_second * window_s * UNIT;
    r->tokens = r->capacity;
    r->last_us = now_us;
}

bool rate_limit_take(struct rate_limit *r, int64_t now_us)
{
    if (r->per_second == 0)
        return true;
    if (now_us > r->last_us) {
        int64_t dt = now_us - r->last_us;
        /* A full refill takes capacity / per_second us; cap dt there so that
         * dt * per_second cannot overflow. */
        int64_t full = r->capacity / r->per_second;
        if (dt > full)
            dt = full;
        r->tokens += dt * r->per_second;
        if (r->tokens > r->capacity)
            r->tokens = r->capacity;
        r->last_us = now_us;
    }
    if (r->tokens < UNIT)
        return false;
    r->tokens -= UNIT;
    return true;
}
