#include "media/core/rtcp_twcc.h"

#include <errno.h>
#include <string.h>

#include "media/core/rtcp_hdr.h"

/* Status symbols of §3.1.1. A symbol's value is also the size in bytes of
 * the receive delta it calls for. */
#define SYM_NONE 0
#define SYM_SMALL 1
#define SYM_LARGE 2
#define SYM_RESERVED 3

#define VEC1_SYMS 14 /* 1-bit status vector */
#define VEC2_SYMS 7  /* 2-bit status vector */
#define ARRIVAL_LIMIT ((int64_t)1 << 60)

/* ---- parsing ---------------------------------------------------------- */

static void put_status(struct rtcp_twcc_pkt *out, uint16_t base, size_t i, unsigned sym)
{
    if (!out)
        return;
    out[i].seq = (uint16_t)(base + i);
    out[i].received = sym != SYM_NONE;
    out[i].arrival_us = sym; /* the delta size, until the deltas are read */
}

/* Walk the packet chunks in p[0..len) for `count` statuses. With out set,
 * stores each status. Gives the bytes of chunks and of deltas that follow.
 * Every chunk consumes 2 input bytes, so the walk ends within len / 2
 * chunks, and the symbols visited never exceed count. */
static int walk_chunks(const uint8_t *p, size_t len, uint16_t base, size_t count,
                       struct rtcp_twcc_pkt *out, size_t *chunk_bytes, size_t *delta_bytes)
{
    size_t off = 0, i = 0, dbytes = 0;
    while (i < count) {
        if (len - off < 2)
            return -EBADMSG;
        uint16_t c = rtcp_get16(p + off);
        off += 2;
        if (!(c & 0x8000)) { /* run length: 0 S(2) L(13) */
            unsigned sym = (c >> 13) & 3;
            size_t run = c & RTCP_TWCC_MAX_RUN;
            if (sym == SYM_RESERVED)
                return -EBADMSG;
            if (run > count - i)
                run = count - i;
            for (size_t k = 0; k < run && out; k++)
                put_status(out, base, i + k, sym);
            i += run;
            dbytes += run * sym;
        } else if (!(c & 0x4000)) { /* 1-bit vector: 1 0 s(14) */
            for (int b = VEC1_SYMS - 1; b >= 0 && i < count; b--, i++) {
                unsigned sym = (c >> b) & 1;
                put_status(out, base, i, sym);
                dbytes += sym;
            }
        } else { /* 2-bit vector: 1 1 s(2) x 7 */
            for (int k = VEC2_SYMS - 1; k >= 0 && i < count; k--, i++) {
                unsigned sym = (c >> (2 * k)) & 3;
                if (sym == SYM_RESERVED)
                    return -EBADMSG;
                put_status(out, base, i, sym);
                dbytes += sym;
            }
        }
    }
    *chunk_bytes = off;
    *delta_bytes = dbytes;
    return 0;
}

/* Replace the delta sizes left by walk_chunks with arrival times, reading
 * the deltas from d (whose length walk_chunks has already checked). */
static void read_deltas(struct rtcp_twcc_pkt *pkts, size_t count, const uint8_t *d,
                        uint32_t ref_time)
{
    int64_t t = (int64_t)ref_time * RTCP_TWCC_REF_US;
    for (size_t i = 0; i < count; i++) {
        int64_t size = pkts[i].arrival_us;
        if (size == SYM_SMALL) {
            t += (int64_t)d[0] * RTCP_TWCC_TICK_US;
            d += 1;
        } else if (size == SYM_LARGE) {
            t += (int64_t)(int16_t)rtcp_get16(d) * RTCP_TWCC_TICK_US;
            d += 2;
        }
        pkts[i].arrival_us = size ? t : 0;
    }
}

int rtcp_twcc_parse(struct rtcp_twcc *fb, const uint8_t *buf, size_t len,
                    struct rtcp_twcc_pkt *pkts, size_t cap)
{
    struct rtcp_hdr h;
    if (!fb || (!pkts && cap))
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_RTPFB || h.count != RTCP_RTPFB_TWCC)
        return -EINVAL;
    const size_t fixed = RTCP_TWCC_HDR_LEN - RTCP_HDR_LEN;
    if (h.body_len < fixed)
        return -EBADMSG;
    const uint8_t *b = h.body;
    fb->sender_ssrc = rtcp_get32(b);
    fb->media_ssrc = rtcp_get32(b + 4);
    fb->base_seq = rtcp_get16(b + 8);
    fb->status_count = rtcp_get16(b + 10);
    fb->ref_time = rtcp_get24(b + 12);
    fb->fb_count = b[15];
    if (fb->status_count == 0)
        return -EBADMSG;

    const uint8_t *chunks = b + fixed;
    size_t avail = h.body_len - fixed, cbytes, dbytes;
    rc = walk_chunks(chunks, avail, fb->base_seq, fb->status_count, NULL, &cbytes, &dbytes);
    if (rc < 0)
        return rc;
    if (dbytes > avail - cbytes)
        return -EBADMSG;
    if (cap < fb->status_count)
        return -ENOSPC;
    rc = walk_chunks(chunks, avail, fb->base_seq, fb->status_count, pkts, &cbytes, &dbytes);
    if (rc < 0)
        return rc;
    read_deltas(pkts, fb->status_count, chunks + cbytes, fb->ref_time);
    return 0;
}

/* ---- writing ---------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

/* Yields the symbol (and delta) of each status in turn, from the sorted
 * list of received packets. Copies of it serve as look-ahead. */
struct cursor {
    const struct rtcp_twcc_pkt *pkts;
    size_t n, j;   /* next list entry */
    uint16_t base; /* seq of status 0 */
    size_t idx;    /* next status */
    int64_t ref_us;
    int64_t prev_ticks; /* arrival of the last received packet, in ticks */
};

static unsigned cursor_next(struct cursor *c, int16_t *delta)
{
    while (c->j < c->n && !c->pkts[c->j].received)
        c->j++;
    unsigned sym = SYM_NONE;
    if (c->j < c->n && (uint16_t)(c->pkts[c->j].seq - c->base) == c->idx) {
        int64_t ticks = floor_div(c->pkts[c->j].arrival_us - c->ref_us, RTCP_TWCC_TICK_US);
        int64_t d = ticks - c->prev_ticks; /* range checked by plan() */
        c->prev_ticks = ticks;
        c->j++;
        *delta = (int16_t)d;
        sym = (d >= 0 && d <= 255) ? SYM_SMALL : SYM_LARGE;
    }
    c->idx++;
    return sym;
}

/* Check the list and set up the cursor: received entries strictly after one
 * another from base, within the status count, every delta fitting 16 bits. */
static int plan(const struct rtcp_twcc *fb, const struct rtcp_twcc_pkt *pkts, size_t n,
                struct cursor *c, size_t *count, uint32_t *ref_time)
{
    size_t last = 0;
    bool any = false;
    int64_t ref = 0, prev_ticks = 0;
    for (size_t i = 0; i < n; i++) {
        if (!pkts[i].received)
            continue;
        size_t off = (uint16_t)(pkts[i].seq - fb->base_seq);
        int64_t t = pkts[i].arrival_us;
        if ((any && off <= last) || t >= ARRIVAL_LIMIT || t <= -ARRIVAL_LIMIT)
            return -EINVAL;
        if (!any)
            ref = floor_div(t, RTCP_TWCC_REF_US);
        int64_t ticks = floor_div(t - ref * RTCP_TWCC_REF_US, RTCP_TWCC_TICK_US);
        if (ticks - prev_ticks < INT16_MIN || ticks - prev_ticks > INT16_MAX)
            return -EINVAL;
        prev_ticks = ticks;
        last = off;
        any = true;
    }
    *count = fb->status_count ? fb->status_count : (any ? last + 1 : 0);
    if (*count == 0 || *count > UINT16_MAX || (any && last >= *count))
        return -EINVAL;
    *ref_time =
        any ? (uint32_t)((uint64_t)ref & RTCP_TWCC_REF_MASK) : fb->ref_time & RTCP_TWCC_REF_MASK;
    *c = (struct cursor){
        .pkts = pkts, .n = n, .base = fb->base_seq, .ref_us = ref * RTCP_TWCC_REF_US};
    return 0;
}

/* Choose and encode the chunk for the statuses at the cursor, advancing it
 * past them and adding their delta bytes to *dbytes. */
static uint16_t next_chunk(struct cursor *c, size_t count, size_t *dbytes)
{
    size_t left = count - c->idx;
    size_t k = left < VEC1_SYMS ? left : VEC1_SYMS;
    unsigned syms[VEC1_SYMS];
    struct cursor la = *c;
    int16_t d;
    bool one_bit = true;
    for (size_t i = 0; i < k; i++) {
        syms[i] = cursor_next(&la, &d);
        one_bit = one_bit && syms[i] <= SYM_SMALL;
    }
    size_t run = 1;
    while (run < k && syms[run] == syms[0])
        run++;
    if (run == k) { /* the whole look-ahead is one run: see how far it goes */
        while (run < left && run < RTCP_TWCC_MAX_RUN && cursor_next(&la, &d) == syms[0])
            run++;
    }

    uint16_t chunk;
    size_t used;
    if (run >= VEC1_SYMS || run == left || (!one_bit && run >= VEC2_SYMS)) {
        chunk = (uint16_t)(syms[0] << 13 | run);
        used = run;
    } else if (one_bit) {
        chunk = 0x8000;
        for (size_t i = 0; i < k; i++)
            chunk |= (uint16_t)(syms[i] << (VEC1_SYMS - 1 - i));
        used = k;
    } else {
        used = k < VEC2_SYMS ? k : VEC2_SYMS;
        chunk = 0xc000;
        for (size_t i = 0; i < used; i++)
            chunk |= (uint16_t)(syms[i] << (2 * (VEC2_SYMS - 1 - i)));
    }
    for (size_t i = 0; i < used; i++)
        *dbytes += cursor_next(c, &d);
    return chunk;
}

int rtcp_twcc_write(const struct rtcp_twcc *fb, const struct rtcp_twcc_pkt *pkts, size_t n,
                    uint8_t *out, size_t cap, size_t *written)
{
    if (!fb || !written || (!pkts && n))
        return -EINVAL;
    struct cursor c;
    size_t count;
    uint32_t ref_time;
    int rc = plan(fb, pkts, n, &c, &count, &ref_time);
    if (rc < 0)
        return rc;
    if (!out || cap < RTCP_TWCC_HDR_LEN)
        return -ENOSPC;
    struct cursor deltas = c;
    size_t off = RTCP_TWCC_HDR_LEN, dbytes = 0;
    while (c.idx < count) {
        uint16_t chunk = next_chunk(&c, count, &dbytes);
        if (cap - off < 2)
            return -ENOSPC;
        rtcp_put16(out + off, chunk);
        off += 2;
    }
    size_t size = (off + dbytes + 3) & ~(size_t)3;
    if (cap < size)
        return -ENOSPC;
    while (deltas.idx < count) {
        int16_t d;
        unsigned sym = cursor_next(&deltas, &d);
        if (sym == SYM_SMALL)
            out[off++] = (uint8_t)d;
        else if (sym == SYM_LARGE) {
            rtcp_put16(out + off, (uint16_t)d);
            off += 2;
        }
    }
    memset(out + off, 0, size - off);
    size_t w;
    rc = rtcp_hdr_write(RTCP_PT_RTPFB, RTCP_RTPFB_TWCC, size, out, cap, &w);
    if (rc < 0)
        return rc;
    rtcp_put32(out + 4, fb->sender_ssrc);
    rtcp_put32(out + 8, fb->media_ssrc);
    rtcp_put16(out + 12, fb->base_seq);
    rtcp_put16(out + 14, (uint16_t)count);
    rtcp_put24(out + 16, ref_time);
    out[19] = fb->fb_count;
    *written = size;
    return 0;
}
