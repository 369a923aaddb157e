/* netem — seeded network emulator: loss, burst loss, duplication, rate cap
 * with a drop-tail queue, delay, jitter, reordering; see netem.h. */
#include "media/core/netem.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/prng.h"

#define DEFAULT_SLOTS 1024u
#define MAX_SLOTS (1u << 20)
#define DEFAULT_SIZE 1500u
#define MAX_SIZE 65535u
#define MAX_TIME_US 60000000LL
#define MAX_RATE_BPS 100000000000ull
#define DEFAULT_REORDER_EXTRA_US 10000
#define SQRT3 1.7320508075688772

struct slot {
    int64_t release_us;
    uint64_t seq;     /* push order over both directions: breaks ties */
    uint64_t dir_seq; /* push order within the direction */
    uint32_t len;
    uint8_t dir;
};

/* A datagram in the rate-cap queue: bytes held until end_us. */
struct ser_entry {
    int64_t end_us;
    uint32_t len;
};

struct dirstate {
    struct netem_link link;
    struct prng rng;
    bool bad; /* Gilbert-Elliott state */
    /* The link is busy sending until busy_us + busy_frac / rate_bps. */
    int64_t busy_us;
    uint64_t busy_frac;
    struct ser_entry *ring;
    unsigned ring_head, ring_count;
    size_t queued_bytes;
    int64_t last_release_us;
    uint64_t next_dir_seq;
    bool any_out;
    uint64_t max_out_seq;
    unsigned held;
    struct netem_stats st;
};

struct netem {
    unsigned nslots;
    size_t slot_size;
    struct slot *slots;
    uint8_t *pool;
    unsigned *free_stack;
    unsigned nfree;
    unsigned *heap; /* slot indices, min-heap on (release_us, seq) */
    unsigned nheap;
    uint64_t seq;
    int64_t now_us;
    struct dirstate d[NETEM_DIRS];
};

static bool is_prob(double p)
{
    return p >= 0.0 && p <= 1.0; /* false for NaN */
}

static bool is_time(int64_t t)
{
    return t >= 0 && t <= MAX_TIME_US;
}

static bool link_valid(const struct netem_link *l)
{
    return l && is_prob(l->loss) && is_prob(l->burst_p) && is_prob(l->burst_r) &&
           is_prob(l->burst_loss) && is_prob(l->reorder) && is_prob(l->duplicate) &&
           is_time(l->delay_us) && is_time(l->jitter_us) && is_time(l->reorder_extra_us) &&
           (l->jitter_dist == NETEM_JITTER_UNIFORM || l->jitter_dist == NETEM_JITTER_NORMAL) &&
           l->rate_bps <= MAX_RATE_BPS;
}

static bool dir_valid(enum netem_dir dir)
{
    return dir == NETEM_UP || dir == NETEM_DOWN;
}

void netem_destroy(struct netem *em)
{
    if (!em)
        return;
    for (int i = 0; i < NETEM_DIRS; i++)
        mem_free(em->d[i].ring);
    mem_free(em->heap);
    mem_free(em->free_stack);
    mem_free(em->pool);
    mem_free(em->slots);
    mem_free(em);
}

static int alloc_tables(struct netem *em)
{
    em->slots = mem_zalloc(sizeof *em->slots * em->nslots);
    em->pool = mem_alloc(em->slot_size * em->nslots);
    em->free_stack = mem_alloc(sizeof *em->free_stack * em->nslots);
    em->heap = mem_alloc(sizeof *em->heap * em->nslots);
    if (!em->slots || !em->pool || !em->free_stack || !em->heap)
        return -ENOMEM;
    for (int i = 0; i < NETEM_DIRS; i++) {
        em->d[i].ring = mem_alloc(sizeof *em->d[i].ring * em->nslots);
        if (!em->d[i].ring)
            return -ENOMEM;
    }
    return 0;
}

int netem_create(const struct netem_cfg *cfg, struct netem **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!cfg || cfg->max_datagrams > MAX_SLOTS || cfg->max_datagram_size > MAX_SIZE ||
        !link_valid(&cfg->link[NETEM_UP]) || !link_valid(&cfg->link[NETEM_DOWN]))
        return -EINVAL;
    struct netem *em = mem_zalloc(sizeof *em);
    if (!em)
        return -ENOMEM;
    em->nslots = cfg->max_datagrams ? cfg->max_datagrams : DEFAULT_SLOTS;
    em->slot_size = cfg->max_datagram_size ? cfg->max_datagram_size : DEFAULT_SIZE;
    if (alloc_tables(em) < 0) {
        netem_destroy(em);
        return -ENOMEM;
    }
    for (unsigned i = 0; i < em->nslots; i++)
        em->free_stack[i] = em->nslots - 1 - i; /* slot 0 on top */
    em->nfree = em->nslots;
    uint64_t sm = cfg->seed;
    for (int i = 0; i < NETEM_DIRS; i++) {
        em->d[i].link = cfg->link[i];
        prng_seed(&em->d[i].rng, prng_splitmix64(&sm));
    }
    *out = em;
    return 0;
}

/* Ends the fractional part of the serializer clock, rounding up. */
static void busy_round_up(struct dirstate *d)
{
    if (d->busy_frac) {
        d->busy_us = d->busy_us < INT64_MAX ? d->busy_us + 1 : INT64_MAX;
        d->busy_frac = 0;
    }
}

int netem_set_link(struct netem *em, enum netem_dir dir, const struct netem_link *link)
{
    if (!em || !dir_valid(dir) || !link_valid(link))
        return -EINVAL;
    struct dirstate *d = &em->d[dir];
    if (link->rate_bps != d->link.rate_bps)
        busy_round_up(d); /* busy_frac counts in units of the old rate */
    if (link->burst_p == 0.0)
        d->bad = false;
    d->link = *link;
    return 0;
}

/* ---- release queue: a binary min-heap of slot indices ---- */

static bool before(const struct netem *em, unsigned a, unsigned b)
{
    const struct slot *x = &em->slots[a], *y = &em->slots[b];
    return x->release_us < y->release_us || (x->release_us == y->release_us && x->seq < y->seq);
}

static void heap_push(struct netem *em, unsigned idx)
{
    unsigned i = em->nheap++;
    while (i > 0) {
        unsigned parent = (i - 1) / 2;
        if (!before(em, idx, em->heap[parent]))
            break;
        em->heap[i] = em->heap[parent];
        i = parent;
    }
    em->heap[i] = idx;
}

static unsigned heap_pop(struct netem *em)
{
    unsigned top = em->heap[0];
    unsigned last = em->heap[--em->nheap];
    unsigned i = 0, n = em->nheap;
    for (;;) {
        unsigned child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(em, em->heap[child + 1], em->heap[child]))
            child++;
        if (!before(em, em->heap[child], last))
            break;
        em->heap[i] = em->heap[child];
        i = child;
    }
    if (n > 0)
        em->heap[i] = last;
    return top;
}

/* ---- impairments ---- */

/* Steps the Gilbert-Elliott chain and draws both losses. */
static bool lose(struct dirstate *d)
{
    const struct netem_link *l = &d->link;
    bool lost = false;
    if (l->burst_p > 0.0) {
        if (d->bad)
            d->bad = !prng_chance(&d->rng, l->burst_r);
        else
            d->bad = prng_chance(&d->rng, l->burst_p);
        if (d->bad)
            lost = prng_chance(&d->rng, l->burst_loss);
    }
    if (prng_chance(&d->rng, l->loss))
        lost = true;
    return lost;
}

/* a + b for b >= 0, saturating: a clock may stand at INT64_MAX after a
 * final netem_poll(em, INT64_MAX, ...). */
static int64_t sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* Releases the queue bytes of the datagrams fully sent by now. */
static void queue_drain(struct dirstate *d, unsigned cap, int64_t now_us)
{
    while (d->ring_count > 0 && d->ring[d->ring_head].end_us <= now_us) {
        d->queued_bytes -= d->ring[d->ring_head].len;
        d->ring_head = (d->ring_head + 1) % cap;
        d->ring_count--;
    }
}

/* Time the last bit of a len-byte datagram leaves the rate-capped link. */
static int64_t serialize(struct dirstate *d, unsigned cap, size_t len, int64_t now_us)
{
    uint64_t rate = d->link.rate_bps;
    if (now_us > d->busy_us || (now_us == d->busy_us && d->busy_frac == 0)) {
        d->busy_us = now_us; /* the link was idle */
        d->busy_frac = 0;
    }
    uint64_t bit_us = (uint64_t)len * 8u * 1000000u;
    d->busy_us = sat_add(d->busy_us, (int64_t)(bit_us / rate));
    d->busy_frac += bit_us % rate;
    if (d->busy_frac >= rate) {
        d->busy_frac -= rate;
        d->busy_us = sat_add(d->busy_us, 1);
    }
    int64_t end = sat_add(d->busy_us, d->busy_frac ? 1 : 0);
    unsigned tail = (d->ring_head + d->ring_count) % cap;
    d->ring[tail] = (struct ser_entry){.end_us = end, .len = (uint32_t)len};
    d->ring_count++;
    d->queued_bytes += len;
    return end;
}

static int64_t jitter_sample(struct dirstate *d)
{
    int64_t j = d->link.jitter_us;
    if (j == 0)
        return 0;
    if (d->link.jitter_dist == NETEM_JITTER_UNIFORM)
        return (int64_t)prng_below(&d->rng, (uint64_t)(2 * j + 1)) - j;
    double sum = 0.0;
    for (int i = 0; i < 4; i++)
        sum += prng_unit(&d->rng);
    double x = (sum - 2.0) * SQRT3 * (double)j;
    return (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
}

/* Release time of a datagram that leaves the queue at sent_us. */
static int64_t release_time(struct dirstate *d, int64_t sent_us)
{
    const struct netem_link *l = &d->link;
    int64_t delay = l->delay_us + jitter_sample(d);
    int64_t t = sat_add(sent_us, delay > 0 ? delay : 0);
    if (l->jitter_in_order && t < d->last_release_us)
        t = d->last_release_us;
    d->last_release_us = t;
    if (prng_chance(&d->rng, l->reorder))
        t = sat_add(t, l->reorder_extra_us ? l->reorder_extra_us : DEFAULT_REORDER_EXTRA_US);
    return t;
}

/* One copy through the queue, the delay and into the pool. */
static int enqueue(struct netem *em, enum netem_dir dir, const uint8_t *data, size_t len)
{
    struct dirstate *d = &em->d[dir];
    if (em->nfree == 0) {
        d->st.dropped_pool++;
        return -ENOBUFS;
    }
    int64_t sent = em->now_us;
    if (d->link.rate_bps > 0) {
        queue_drain(d, em->nslots, em->now_us);
        size_t limit = d->link.queue_bytes;
        if (limit > 0 && (len > limit || d->queued_bytes > limit - len)) {
            d->st.dropped_queue++;
            return 0;
        }
        sent = serialize(d, em->nslots, len, em->now_us);
    }
    unsigned idx = em->free_stack[--em->nfree];
    struct slot *s = &em->slots[idx];
    *s = (struct slot){.release_us = release_time(d, sent),
                       .seq = em->seq++,
                       .dir_seq = d->next_dir_seq++,
                       .len = (uint32_t)len,
                       .dir = (uint8_t)dir};
    if (len > 0)
        memcpy(em->pool + (size_t)idx * em->slot_size, data, len);
    heap_push(em, idx);
    d->held++;
    return 0;
}

static void advance(struct netem *em, int64_t now_us)
{
    if (now_us > em->now_us)
        em->now_us = now_us;
}

int netem_push(struct netem *em, enum netem_dir dir, const uint8_t *data, size_t len,
               int64_t now_us)
{
    if (!em || !dir_valid(dir) || (!data && len > 0))
        return -EINVAL;
    advance(em, now_us);
    struct dirstate *d = &em->d[dir];
    d->st.in++;
    if (len > em->slot_size) {
        d->st.dropped_size++;
        return -EMSGSIZE;
    }
    if (lose(d)) {
        d->st.dropped_loss++;
        return 0;
    }
    bool dup = prng_chance(&d->rng, d->link.duplicate);
    int rc = enqueue(em, dir, data, len);
    if (dup) {
        d->st.duplicated++;
        int rc2 = enqueue(em, dir, data, len);
        if (rc == 0)
            rc = rc2;
    }
    return rc;
}

bool netem_poll(struct netem *em, int64_t now_us, struct netem_datagram *out)
{
    if (!em || !out)
        return false;
    advance(em, now_us);
    if (em->nheap == 0 || em->slots[em->heap[0]].release_us > em->now_us)
        return false;
    unsigned idx = heap_pop(em);
    const struct slot *s = &em->slots[idx];
    struct dirstate *d = &em->d[s->dir];
    *out = (struct netem_datagram){.dir = (enum netem_dir)s->dir,
                                   .data = em->pool + (size_t)idx * em->slot_size,
                                   .len = s->len,
                                   .release_us = s->release_us};
    if (d->any_out && s->dir_seq < d->max_out_seq) {
        d->st.reordered++;
    } else {
        d->any_out = true;
        d->max_out_seq = s->dir_seq;
    }
    d->st.out++;
    d->held--;
    em->free_stack[em->nfree++] = idx;
    return true;
}

int64_t netem_poll_timeout(const struct netem *em)
{
    if (!em || em->nheap == 0)
        return INT64_MAX;
    return em->slots[em->heap[0]].release_us;
}

unsigned netem_held(const struct netem *em, enum netem_dir dir)
{
    if (!em)
        return 0;
    if (dir_valid(dir))
        return em->d[dir].held;
    return em->d[NETEM_UP].held + em->d[NETEM_DOWN].held;
}

void netem_get_stats(const struct netem *em, enum netem_dir dir, struct netem_stats *s)
{
    if (!s)
        return;
    if (!em || !dir_valid(dir)) {
        memset(s, 0, sizeof *s);
        return;
    }
    *s = em->d[dir].st;
}
