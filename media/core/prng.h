/* prng — a small seeded pseudo-random generator for simulations and tests.
 *
 * xoshiro256** (Blackman and Vigna, 2018) with its state filled by
 * splitmix64 from a 64-bit seed, as its authors recommend. The same seed
 * gives the same sequence on every machine: code that draws from a prng
 * (the network emulator, simulated peers) is reproducible run after run.
 * Not for cryptography, and never rand(): a prng carries no global state.
 *
 * Ownership: the caller owns the struct (no allocation). No errors.
 */
#ifndef CAU_PRNG_H
#define CAU_PRNG_H

#include <stdbool.h>
#include <stdint.h>

struct prng {
    uint64_t s[4];
};

/* One splitmix64 step: advances *state and returns the next output. */
uint64_t prng_splitmix64(uint64_t *state);

/* Fill the state from a seed (any value, 0 included). */
void prng_seed(struct prng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t prng_next(struct prng *r);

/* A double uniform in [0, 1), with 53 random bits. */
double prng_unit(struct prng *r);

/* True with probability p: never for p <= 0, always for p >= 1; draws one
 * number only when 0 < p < 1. */
bool prng_chance(struct prng *r, double p);

/* An integer uniform in [0, n) for n >= 1 (Lemire's method, unbiased);
 * 0 for n == 0. */
uint64_t prng_below(struct prng *r, uint64_t n);

#endif
