/* fuzz_twcc_rx — the transport-cc receiver driven by a script of 3-byte
 * records [op][a][b]:
 *  op & 3 = 0, 1: feed a packet: the seq moves by (a & 15) - 3, the clock
 *     by b units (op >> 2 & 3: 1 us, 250 us, 10 ms, 100 ms), and the packet
 *     arrives (op >> 4 & 7) * 5 ms before the clock (not below 0);
 *  op & 3 = 2: poll with cap a * 8 + (b & 7); with op's top bit, until 0;
 *  op & 3 = 3: the seq jumps by a << 8 | b (restarts, late packets).
 * The input ends with polls (cap 1500) until there is nothing left.
 *
 * The harness keeps, per 16-bit seq, the unwrapped seq and arrival of the
 * last packet the receiver took (unwrapping against the highest, as the
 * header says). Checks: poll answers 1, 0 only with nothing unreported, or
 * -ENOSPC only for a cap below 24; every feedback fits cap, parses back,
 * starts at the previous `next` and moves it by its status count, carries
 * the fb counter; each status is received exactly when a packet with that
 * unwrapped seq was taken, at that arrival (to 250 us); a feedback ends on
 * a received status unless it has none. `next` never goes back. Any
 * failure aborts. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/rtcp_twcc.h"
#include "media/core/rtp_seq.h"
#include "media/core/twcc_rx.h"

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            abort();                                                                               \
    } while (0)

#define SENDER 0xfeedbeefu
#define MEDIA 0x01020304u
#define REF_WRAP_US ((int64_t)(RTCP_TWCC_REF_MASK + 1) * RTCP_TWCC_REF_US)

struct taken {
    uint32_t gen; /* valid when equal to the run's generation */
    int64_t ext;
    int64_t arrival;
};

static struct twcc_rx rx;
static struct taken taken[65536];
static struct rtcp_twcc_pkt parsed[65536];
static uint32_t gen;

struct run {
    uint16_t seq;
    int64_t clock;
    uint8_t fb_count;
};

static void feed(uint16_t seq, int64_t arrival)
{
    int64_t ext = rx.started ? rx.highest + rtp_seq_diff(seq, (uint16_t)rx.highest) : seq;
    int64_t next0 = rx.next;
    struct twcc_rx_stats s0 = rx.stats;
    twcc_rx_on_packet(&rx, seq, arrival);
    CHECK(rx.stats.packets == s0.packets + 1);
    CHECK(rx.started && rx.next >= next0 && rx.highest - rx.next < (int64_t)TWCC_RX_WINDOW);
    bool dropped = rx.stats.late != s0.late || rx.stats.duplicates != s0.duplicates;
    CHECK(rx.stats.late + rx.stats.duplicates <= s0.late + s0.duplicates + 1);
    if (!dropped)
        taken[seq] = (struct taken){gen, ext, arrival};
}

static void check_statuses(const struct rtcp_twcc *fb, int64_t base_ext)
{
    int last_received = -1;
    for (int i = 0; i < fb->status_count; i++) {
        uint16_t seq = (uint16_t)(fb->base_seq + i);
        const struct taken *t = &taken[seq];
        bool was_taken = t->gen == gen && t->ext == base_ext + i;
        CHECK(parsed[i].seq == seq);
        CHECK(parsed[i].received == was_taken);
        if (!was_taken)
            continue;
        int64_t want = t->arrival / RTCP_TWCC_TICK_US * RTCP_TWCC_TICK_US;
        int64_t diff = (parsed[i].arrival_us - want) % REF_WRAP_US;
        CHECK(diff == 0);
        last_received = i;
    }
    CHECK(last_received < 0 || last_received == fb->status_count - 1);
}

/* One poll; returns its result. */
static int poll_once(struct run *r, size_t cap)
{
    static uint8_t out[2048];
    size_t len = 0;
    int64_t next0 = rx.next;
    bool pending = rx.started && rx.next <= rx.highest;
    int rc = twcc_rx_poll(&rx, SENDER, MEDIA, out, cap, &len);
    if (rc != 1) {
        CHECK(rx.next == next0);
        CHECK(rc == 0 ? !pending : (rc == -ENOSPC && pending && cap < RTCP_TWCC_HDR_LEN + 4));
        return rc;
    }
    CHECK(pending && len <= cap && len >= RTCP_TWCC_HDR_LEN + 4 && len % 4 == 0);
    struct rtcp_twcc fb;
    CHECK(rtcp_twcc_parse(&fb, out, len, parsed, 65536) == 0);
    CHECK(((size_t)out[2] << 8 | out[3]) * 4 + 4 == len);
    CHECK(fb.sender_ssrc == SENDER && fb.media_ssrc == MEDIA);
    CHECK(fb.base_seq == (uint16_t)next0);
    CHECK(fb.status_count <= TWCC_RX_MAX_STATUSES);
    CHECK(rx.next == next0 + fb.status_count && rx.next <= rx.highest + 1);
    CHECK(fb.fb_count == r->fb_count);
    r->fb_count++;
    check_statuses(&fb, next0);
    return rc;
}

static void step(struct run *r, const uint8_t *rec)
{
    static const int64_t units[4] = {1, 250, 10000, 100000};
    uint8_t op = rec[0], a = rec[1], b = rec[2];
    switch (op & 3) {
    case 0:
    case 1: {
        r->seq = (uint16_t)(r->seq + (a & 15) - 3);
        r->clock += b * units[op >> 2 & 3];
        int64_t arrival = r->clock - (int64_t)(op >> 4 & 7) * 5000;
        feed(r->seq, arrival < 0 ? 0 : arrival);
        break;
    }
    case 2: {
        size_t cap = (size_t)a * 8 + (b & 7);
        int n = (op & 0x80) ? 5000 : 1;
        while (n-- > 0 && poll_once(r, cap) == 1)
            ;
        break;
    }
    default:
        r->seq = (uint16_t)(r->seq + (a << 8 | b));
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gen++;
    twcc_rx_init(&rx);
    struct run r = {0};
    for (size_t off = 0; off + 3 <= size; off += 3)
        step(&r, data + off);
    /* Everything left comes out, within the window's worth of polls. */
    int polls = 0;
    while (poll_once(&r, 1500) == 1)
        CHECK(++polls <= (int)TWCC_RX_WINDOW);
    CHECK(!rx.started || rx.next == rx.highest + 1);
    return 0;
}
