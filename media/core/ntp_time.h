/* ntp_time — conversions between microseconds and the NTP timestamp formats
 * RTCP uses (RFC 3550 §4, §6.4.1):
 *
 *  - the 64-bit NTP timestamp of an SR: seconds since 1 January 1900 in the
 *    upper 32 bits, the fraction of a second in the lower 32;
 *  - the "compact" 32-bit form of LSR and DLSR: the middle 32 bits, i.e.
 *    16 bits of seconds and 16 bits of fraction (units of 1/65536 s).
 *
 * ntp_time_from_us() takes microseconds since the Unix epoch (1970): a
 * shell whose now_us comes from a monotonic clock adds its wall-clock offset
 * once before converting. Only era 0 (until 2036) is handled; the RTT
 * arithmetic on compact values is modulo 2^32 and does not care.
 *
 * Pure functions: nothing here allocates or fails.
 */
#ifndef CAU_NTP_TIME_H
#define CAU_NTP_TIME_H

#include <stdint.h>

/* Seconds from 1900-01-01 to 1970-01-01. */
#define NTP_TIME_UNIX_OFFSET_S 2208988800u

/* 64-bit NTP timestamp of unix_us (>= 0; negative values give 0). The
 * fraction is truncated. */
uint64_t ntp_time_from_us(int64_t unix_us);

/* Microseconds since the Unix epoch of an NTP timestamp, rounded to the
 * nearest microsecond; negative before 1970. */
int64_t ntp_time_to_us(uint64_t ntp);

/* The middle 32 bits: what an SR's LSR echo carries. */
uint32_t ntp_time_mid32(uint64_t ntp);

/* A duration in compact form (1/65536 s), rounded to nearest; clamped to
 * [0, UINT32_MAX] (about 18.2 hours). */
uint32_t ntp_time_short_from_us(int64_t us);

/* Microseconds of a compact duration, rounded to nearest. */
int64_t ntp_time_short_to_us(uint32_t v);

/* RFC 3550 §6.4.1: round-trip time A - LSR - DLSR from the compact arrival
 * time A of a report block, its LSR and its DLSR, in microseconds. The
 * subtraction is modulo 2^32 and read as signed, so a slightly negative
 * result (rounding at the peer) comes out negative rather than huge. */
int64_t ntp_time_rtt_us(uint32_t a, uint32_t lsr, uint32_t dlsr);

#endif
