/* fuzz_netem — the network emulator on a virtual clock. The first 20 bytes
 * choose the pool and both links (missing bytes read as 0); then 3-byte
 * records [op][a][dt] move the clock dt * 100 us (dt * 10 ms when op has
 * its top bit) and push a datagram of a * 5 bytes (past the size limit
 * sometimes), drain the due datagrams (all of them, the clock jumping to
 * INT64_MAX, for a == 255), or change a link.
 *
 * Checks: the counters balance in each direction after every step; pushes
 * fail only with -EMSGSIZE or -ENOBUFS; datagrams come out with release
 * times never after the clock and never going back, bytes and length as
 * pushed; the next timeout is after the clock once drained; everything
 * comes out in the end. Any failure aborts. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/netem.h"

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            abort();                                                                               \
    } while (0)

#define HEADER 20

static double prob(uint8_t b)
{
    return (double)b / 255.0;
}

static const double steps[4] = {0, 0.1, 0.5, 1};

static struct netem_link link_from(const uint8_t *b)
{
    return (struct netem_link){
        .loss = prob(b[0]) / 2,
        .burst_p = prob(b[1]) / 4,
        .burst_r = prob(b[2]),
        .burst_loss = prob(b[3]),
        .delay_us = b[4] * 200,
        .jitter_us = b[5] * 100,
        .jitter_dist = b[6] & 1 ? NETEM_JITTER_NORMAL : NETEM_JITTER_UNIFORM,
        .jitter_in_order = b[6] & 2,
        .reorder = steps[b[6] >> 2 & 3],
        .reorder_extra_us = (b[6] >> 6) * 3000,
        .duplicate = steps[b[6] >> 4 & 3],
        .rate_bps = (uint64_t)b[7] * 8000,
        .queue_bytes = (size_t)b[8] * 16,
    };
}

struct run {
    struct netem *em;
    int64_t now;
    int64_t last_release;
    size_t max_size;
};

static void balance(const struct netem *em)
{
    for (int d = 0; d < NETEM_DIRS; d++) {
        struct netem_stats s;
        netem_get_stats(em, (enum netem_dir)d, &s);
        CHECK(s.in + s.duplicated == s.out + s.dropped_loss + s.dropped_queue + s.dropped_pool +
                                         s.dropped_size + netem_held(em, (enum netem_dir)d));
        CHECK(s.reordered <= s.out);
    }
}

static void drain(struct run *r, int64_t now)
{
    struct netem_datagram g;
    while (netem_poll(r->em, now, &g)) {
        CHECK(g.dir == NETEM_UP || g.dir == NETEM_DOWN);
        CHECK(g.release_us <= now && g.release_us >= r->last_release);
        CHECK(g.len <= r->max_size && g.len % 5 == 0);
        r->last_release = g.release_us;
        /* every byte is the datagram's length tag, xor its direction */
        for (size_t i = 0; i < g.len; i++)
            CHECK(g.data[i] == (uint8_t)((g.len / 5) ^ g.dir));
    }
    CHECK(now == INT64_MAX || netem_poll_timeout(r->em) > now);
}

static void step(struct run *r, const uint8_t *rec)
{
    uint8_t op = rec[0], a = rec[1];
    int64_t dt = (op & 0x80 ? 10000 : 100) * (int64_t)rec[2];
    r->now = r->now > INT64_MAX - dt ? INT64_MAX : r->now + dt;
    enum netem_dir dir = (enum netem_dir)(op >> 2 & 1);
    switch (op & 3) {
    case 0:
    case 1: {
        uint8_t buf[255 * 5];
        size_t len = (size_t)a * 5;
        memset(buf, a ^ dir, len);
        int rc = netem_push(r->em, dir, buf, len, r->now);
        CHECK(rc == 0 || rc == -EMSGSIZE || rc == -ENOBUFS);
        CHECK((rc == -EMSGSIZE) == (len > r->max_size));
        break;
    }
    case 2:
        if (a == 255) /* the end of time: everything comes out */
            r->now = INT64_MAX;
        drain(r, r->now);
        break;
    default: {
        uint8_t b[9] = {a, a >> 1, (uint8_t)(a << 1), a, a, a >> 2, (uint8_t)(op >> 3), a, a};
        struct netem_link l = link_from(b);
        CHECK(netem_set_link(r->em, dir, &l) == 0);
        break;
    }
    }
    balance(r->em);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t h[HEADER] = {0};
    memcpy(h, data, size < HEADER ? size : HEADER);
    struct netem_cfg cfg = {.seed = (uint64_t)h[0] << 8 | h[1],
                            .max_datagrams = 1 + h[0] % 32,
                            .max_datagram_size = 1 + (size_t)h[1] * 4,
                            .link = {link_from(h + 2), link_from(h + 11)}};
    struct run r = {.max_size = cfg.max_datagram_size};
    if (netem_create(&cfg, &r.em) != 0)
        abort();
    for (size_t off = HEADER; off + 3 <= size; off += 3)
        step(&r, data + off);
    drain(&r, INT64_MAX);
    CHECK(netem_held(r.em, NETEM_DIRS) == 0);
    CHECK(netem_poll_timeout(r.em) == INT64_MAX);
    netem_destroy(r.em);
    return 0;
}
