/* ntp_time — NTP timestamp conversions (RFC 3550 §4). */
#include "media/core/ntp_time.h"

#define US_PER_S 1000000LL

uint64_t ntp_time_from_us(int64_t unix_us)
{
    if (unix_us < 0)
        return 0;
    uint64_t sec = (uint64_t)(unix_us / US_PER_S) + NTP_TIME_UNIX_OFFSET_S;
    uint64_t rem = (uint64_t)(unix_us % US_PER_S);
    /* rem < 2^20, so rem << 32 fits in 64 bits. */
    uint64_t frac = (rem << 32) / (uint64_t)US_PER_S;
    return (sec << 32) | frac;
}

int64_t ntp_time_to_us(uint64_t ntp)
{
    int64_t sec = (int64_t)(ntp >> 32) - (int64_t)NTP_TIME_UNIX_OFFSET_S;
    uint64_t frac = ntp & 0xffffffffu;
    int64_t us = (int64_t)((frac * (uint64_t)US_PER_S + 0x80000000u) >> 32);
    return sec * US_PER_S + us;
}

uint32_t ntp_time_mid32(uint64_t ntp)
{
    return (uint32_t)(ntp >> 16);
}

uint32_t ntp_time_short_from_us(int64_t us)
{
    if (us <= 0)
        return 0;
    /* 65536 * (UINT32_MAX + 1) / 1e6 us is the ceiling; above it, clamp. */
    if (us >= 65536LL * US_PER_S)
        return UINT32_MAX;
    uint64_t v = ((uint64_t)us * 65536u + (uint64_t)US_PER_S / 2) / (uint64_t)US_PER_S;
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

int64_t ntp_time_short_to_us(uint32_t v)
{
    return (int64_t)(((uint64_t)v * (uint64_t)US_PER_S + 32768u) >> 16);
}

int64_t ntp_time_rtt_us(uint32_t a, uint32_t lsr, uint32_t dlsr)
{
    int32_t d = (int32_t)(a - lsr - dlsr);
    if (d >= 0)
        return ntp_time_short_to_us((uint32_t)d);
    return -ntp_time_short_to_us((uint32_t)(-(int64_t)d));
}
