/* netem — a seeded network emulator for two directions of one link.
 *
 * The kernel on our test machines has no netem qdisc; this core stands in
 * for it, in simulations (a virtual clock between two sans-IO peers) and in
 * the netem-relay program (a UDP relay on loopback). Each direction has its
 * own impairments (struct netem_link) and its own random stream, derived
 * from one seed: the same seed and the same pushes at the same times give
 * the same outputs, byte for byte.
 *
 * A datagram pushed at now goes through, in this order:
 *   1. random loss (probability `loss`) and Gilbert-Elliott burst loss: a
 *      two-state chain stepped once per datagram, good -> bad with
 *      probability burst_p, bad -> good with burst_r; in the bad state a
 *      datagram is lost with probability burst_loss (1 for the classic
 *      Gilbert model). Long-run loss p / (p + r) * burst_loss, mean burst
 *      1 / r datagrams. Either kind of loss drops the datagram.
 *   2. duplication (probability `duplicate`): a second copy follows the
 *      first through steps 3 to 5.
 *   3. the rate cap (rate_bps, 0 = none): the link sends one datagram
 *      after the other, len * 8 / rate_bps seconds each; a datagram waits
 *      in a drop-tail queue of queue_bytes (0 = bounded by the pool only)
 *      and occupies it from its push until its last bit is sent. Release
 *      times are rounded up to the microsecond, without drift.
 *   4. delay: delay_us plus a jitter sample, uniform in [-jitter_us,
 *      +jitter_us] or normal-like (the sum of four uniforms: standard
 *      deviation jitter_us, bounded by +-3.47 jitter_us); never below 0.
 *      Jitter may reorder datagrams, as with Linux netem, unless
 *      jitter_in_order holds each one back behind the one before it.
 *   5. reordering (probability `reorder`): the datagram is held back
 *      reorder_extra_us (0 = 10 ms) more, so that the ones pushed after it
 *      in that time overtake it.
 * Without jitter and reordering each direction stays in push order.
 *
 * Verbs: netem_push queues a datagram; netem_poll pops the next one whose
 * release time has come (both directions, in release order, ties in push
 * order); netem_poll_timeout says when the next one falls due. now_us
 * never goes back: an older value counts as the latest one seen. A poll at
 * INT64_MAX drains everything; release times saturate at INT64_MAX.
 *
 * Ownership: netem_create allocates everything (through mem.h); pushing
 * and polling never allocate. Datagrams are copied into a pool of
 * max_datagrams slots of max_datagram_size bytes. A polled datagram's data
 * points into the pool and stays valid until the next netem_push,
 * netem_set_link or netem_destroy.
 *
 * Counters, per direction, add up at every moment:
 *   in + duplicated == out + dropped_loss + dropped_queue + dropped_pool
 *                      + dropped_size + netem_held(dir)
 */
#ifndef CAU_NETEM_H
#define CAU_NETEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum netem_dir {
    NETEM_UP = 0,   /* e.g. client -> server */
    NETEM_DOWN = 1, /* e.g. server -> client */
};
#define NETEM_DIRS 2

enum netem_jitter_dist {
    NETEM_JITTER_UNIFORM = 0,
    NETEM_JITTER_NORMAL = 1,
};

/* The impairments of one direction; all zero is a perfect link. Limits:
 * probabilities in [0, 1]; times in [0, 60 s]; rate_bps at most 10^11. */
struct netem_link {
    double loss;
    double burst_p;    /* good -> bad per datagram; 0 = no burst loss */
    double burst_r;    /* bad -> good per datagram */
    double burst_loss; /* loss in the bad state */
    int64_t delay_us;
    int64_t jitter_us;
    enum netem_jitter_dist jitter_dist;
    bool jitter_in_order;
    double reorder;
    int64_t reorder_extra_us; /* 0 = 10 ms */
    double duplicate;
    uint64_t rate_bps;  /* 0 = no cap */
    size_t queue_bytes; /* with a rate cap; 0 = no limit but the pool */
};

struct netem_cfg {
    uint64_t seed;
    unsigned max_datagrams;   /* pool slots, 1..1048576; 0 = 1024 */
    size_t max_datagram_size; /* 1..65535; 0 = 1500 */
    struct netem_link link[NETEM_DIRS];
};

struct netem_datagram {
    enum netem_dir dir;
    const uint8_t *data; /* see Ownership above */
    size_t len;
    int64_t release_us; /* when it was due */
};

struct netem_stats {
    uint64_t in;            /* every netem_push with valid arguments */
    uint64_t out;           /* popped by netem_poll */
    uint64_t dropped_loss;  /* random or burst loss */
    uint64_t dropped_queue; /* drop-tail: the rate-cap queue was full */
    uint64_t dropped_pool;  /* no free slot left in the pool */
    uint64_t dropped_size;  /* longer than max_datagram_size */
    uint64_t duplicated;    /* extra copies made */
    uint64_t reordered;     /* popped after a datagram pushed later (RFC 4737) */
};

struct netem;

/* -EINVAL: cfg NULL or out of range; -ENOMEM. */
__attribute__((warn_unused_result)) int netem_create(const struct netem_cfg *cfg,
                                                     struct netem **out);
void netem_destroy(struct netem *em);

/* Replace the impairments of one direction from now on; datagrams already
 * queued keep their release times. -EINVAL on a bad dir or link. */
__attribute__((warn_unused_result)) int netem_set_link(struct netem *em, enum netem_dir dir,
                                                       const struct netem_link *link);

/* Queue a datagram (copied) travelling in dir. 0 when queued or dropped by
 * an impairment; -EMSGSIZE when longer than max_datagram_size, -ENOBUFS
 * when the pool is full (both counted); -EINVAL for a bad dir or a NULL
 * pointer with len > 0 (not counted). */
__attribute__((warn_unused_result)) int netem_push(struct netem *em, enum netem_dir dir,
                                                   const uint8_t *data, size_t len, int64_t now_us);

/* Pop the next datagram due at now_us into *out; false when none is. */
bool netem_poll(struct netem *em, int64_t now_us, struct netem_datagram *out);

/* Release time of the next datagram, INT64_MAX when none is held. */
int64_t netem_poll_timeout(const struct netem *em);

/* Datagrams held in one direction (NETEM_DIRS: both). */
unsigned netem_held(const struct netem *em, enum netem_dir dir);

/* Counters of one direction (zeroed for a bad dir). */
void netem_get_stats(const struct netem *em, enum netem_dir dir, struct netem_stats *s);

#endif
