#include "media/core/rtp_seq.h"

#include <string.h>

int32_t rtp_seq_diff(uint16_t a, uint16_t b)
{
    uint16_t d = (uint16_t)(a - b);
    if (d < 0x8000)
        return d;
    if (d > 0x8000)
        return (int32_t)d - 0x10000;
    /* Exactly half the space apart: ambiguous, break the tie on raw value. */
    return a > b ? 0x8000 : -0x8000;
}

bool rtp_seq_newer(uint16_t a, uint16_t b)
{
    return rtp_seq_diff(a, b) > 0;
}

bool rtp_seq_older(uint16_t a, uint16_t b)
{
    return rtp_seq_diff(a, b) < 0;
}

uint16_t rtp_seq_max(uint16_t a, uint16_t b)
{
    return rtp_seq_newer(a, b) ? a : b;
}

int64_t rtp_seq_ts_diff(uint32_t a, uint32_t b)
{
    uint32_t d = a - b;
    if (d < 0x80000000u)
        return d;
    if (d > 0x80000000u)
        return (int64_t)d - 0x100000000LL;
    return a > b ? 0x80000000LL : -0x80000000LL;
}

bool rtp_seq_ts_newer(uint32_t a, uint32_t b)
{
    return rtp_seq_ts_diff(a, b) > 0;
}

bool rtp_seq_ts_older(uint32_t a, uint32_t b)
{
    return rtp_seq_ts_diff(a, b) < 0;
}

void rtp_seq_reset(struct rtp_seq_unwrapper *u)
{
    memset(u, 0, sizeof *u);
}

/* The conversions to unsigned below keep the low bits of `highest`, also when
 * it is negative (C11 6.3.1.3: reduction modulo 2^N). */
int64_t rtp_seq_unwrap_peek(const struct rtp_seq_unwrapper *u, uint16_t seq)
{
    if (!u->started)
        return seq;
    return u->highest + rtp_seq_diff(seq, (uint16_t)u->highest);
}

int64_t rtp_seq_unwrap(struct rtp_seq_unwrapper *u, uint16_t seq)
{
    int64_t ext = rtp_seq_unwrap_peek(u, seq);
    if (!u->started || ext > u->highest)
        u->highest = ext;
    u->started = true;
    return ext;
}

void rtp_seq_ts_reset(struct rtp_seq_ts_unwrapper *u)
{
    memset(u, 0, sizeof *u);
}

int64_t rtp_seq_ts_unwrap_peek(const struct rtp_seq_ts_unwrapper *u, uint32_t ts)
{
    if (!u->started)
        return ts;
    return u->highest + rtp_seq_ts_diff(ts, (uint32_t)u->highest);
}

int64_t rtp_seq_ts_unwrap(struct rtp_seq_ts_unwrapper *u, uint32_t ts)
{
    int64_t ext = rtp_seq_ts_unwrap_peek(u, ts);
    if (!u->started || ext > u->highest)
        u->highest = ext;
    u->started = true;
    return ext;
}
