/* libFuzzer target: a stream of RTP packets cut from the input, fed into a
 * vp8_depack directly and, on a virtual clock, through a jitbuf into a
 * second vp8_depack with reorder 1 (LOST outputs become
 * vp8_depack_handle_lost).
 *
 * Input: three configuration bytes (window, reorder, a 1 Hz clock; max
 * payload; delays, 48 or 90 kHz), then records. A record starts with an op
 * byte: bit 7 the marker, bits 5-6 the kind, bits 0-4 an argument a.
 *   kind 0: packet, seq += a - 8; then a timestamp step byte t (ts += t *
 *           300), a length byte n, and n payload bytes (fewer at the end);
 *   kind 1: packet with an absolute seq (two bytes) and timestamp (four),
 *           then n and the payload;
 *   kind 2: a clock step byte (ms), and seq + a - 8 given up as lost on the
 *           direct depacketizer;
 *   kind 3: poll the direct depacketizer into a buffer of a * 256 bytes.
 * The clock moves 1 ms per record besides. The jitter buffer is drained
 * after every record but a packet without the marker.
 *
 * Checked: no crash; every return code is one the headers list; frames and
 * packets never carry more bytes than were fed; behind the jitter buffer a
 * frame is exactly the data of its packets; the counters add up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/jitbuf.h"
#include "media/core/vp8_depack.h"
#include "media/core/vp8_desc.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

/* The largest frame: 128 packets (the largest window here) of 2041 bytes. */
#define FRAME_BUF (128 * 2048)

struct side {
    struct vp8_depack *d;
    uint64_t fed; /* payload bytes taken */
    uint64_t out; /* frame bytes handed out */
    size_t max_payload;
    unsigned window;
    bool shadowed;      /* fed in order by the jitter buffer */
    uint64_t jb_resets; /* RESET outputs seen */
};

static uint8_t frame[FRAME_BUF];

/* The VP8 data of the last packets handed to the second depacketizer, by
 * sequence number: behind the jitter buffer packets come in order, once
 * each (until a sender restart), so a frame must be exactly these bytes. */
#define SHADOW 256
static struct {
    uint16_t seq;
    bool valid;
    size_t len;
    uint8_t d[2048];
} shadow[SHADOW];

static void check_depack(const struct side *s)
{
    struct vp8_depack_stats st;
    vp8_depack_get_stats(s->d, &st);
    CHECK(st.packets_in == st.packets_bad + st.packets_late + st.packets_dup + st.packets_stray +
                               st.packets_overflow + st.packets_reset + st.packets_emitted +
                               st.packets_dropped + vp8_depack_held(s->d));
    CHECK(vp8_depack_held(s->d) <= s->window + 2);
    CHECK(st.keyframes_out <= st.frames_out);
    CHECK(s->out <= s->fed);
}

static void feed(struct side *s, const struct vp8_depack_pkt *p)
{
    int rc = vp8_depack_handle_packet(s->d, p);
    CHECK(rc == 0 || rc == -EBADMSG || rc == -EMSGSIZE || rc == -ENOBUFS);
    if (rc != 0)
        return;
    s->fed += p->len;
    struct vp8_desc desc;
    CHECK(vp8_desc_parse(p->payload, p->len, &desc) == 0);
    if (s->shadowed) {
        unsigned k = p->seq % SHADOW;
        shadow[k].seq = p->seq;
        shadow[k].valid = true;
        shadow[k].len = desc.payload_len;
        memcpy(shadow[k].d, p->payload + desc.payload_off, desc.payload_len);
    }
}

/* A frame of the second depacketizer is the data of its packets. */
static void check_shadow(const struct side *s, const struct vp8_depack_frame *f)
{
    struct vp8_depack_stats st;
    vp8_depack_get_stats(s->d, &st);
    if (!s->shadowed || st.resets || s->jb_resets)
        return;
    size_t off = 0;
    for (unsigned i = 0; i < f->packets; i++) {
        unsigned k = (uint16_t)(f->first_seq + i) % SHADOW;
        CHECK(shadow[k].valid && shadow[k].seq == (uint16_t)(f->first_seq + i));
        CHECK(off + shadow[k].len <= f->len);
        CHECK(memcmp(frame + off, shadow[k].d, shadow[k].len) == 0);
        off += shadow[k].len;
    }
    CHECK(off == f->len);
}

static void poll_frames(struct side *s, size_t cap)
{
    struct vp8_depack_frame f;
    int rc;
    cap = cap > FRAME_BUF ? FRAME_BUF : cap;
    while ((rc = vp8_depack_poll_frame(s->d, frame, cap, &f)) != 0) {
        CHECK(rc == 1 || rc == -ENOSPC);
        CHECK(f.packets >= 1 && f.packets <= s->window);
        CHECK(f.len <= (size_t)f.packets * s->max_payload);
        CHECK(f.len <= s->fed - s->out);
        CHECK(f.last_seq == (uint16_t)(f.first_seq + f.packets - 1));
        if (rc == 1) {
            CHECK(f.len <= cap);
            check_shadow(s, &f);
            s->out += f.len;
        } else {
            CHECK(f.len > cap);
        }
    }
    struct vp8_depack_event ev;
    while (vp8_depack_poll_event(s->d, &ev))
        CHECK(ev.kind == VP8_DEPACK_EV_GAP ? ev.count > 0 : ev.kind == VP8_DEPACK_EV_KEY_NEEDED);
    check_depack(s);
}

static void check_jitbuf(const struct jitbuf *jb)
{
    struct jitbuf_stats st;
    jitbuf_get_stats(jb, &st);
    CHECK(st.packets_in == st.packets_bad + st.packets_late + st.packets_dup + st.packets_stray +
                               st.packets_overflow + st.packets_released + st.packets_reset +
                               jitbuf_held(jb));
}

/* Hand the jitter buffer's due outputs to the second depacketizer. */
static void drain_jitbuf(struct jitbuf *jb, struct side *s, int64_t now, uint64_t *jb_fed)
{
    struct jitbuf_out o;
    uint64_t released = 0;
    while (jitbuf_poll_output(jb, &o)) {
        if (o.kind == JITBUF_OUT_PACKET) {
            CHECK(o.len <= s->max_payload && (o.payload || !o.len));
            released += o.len;
            struct vp8_depack_pkt p = {o.seq, o.ts, o.marker, o.payload, o.len};
            feed(s, &p);
        } else if (o.kind == JITBUF_OUT_LOST) {
            vp8_depack_handle_lost(s->d, o.seq);
        } else {
            CHECK(o.kind == JITBUF_OUT_RESET);
            s->jb_resets++;
        }
        poll_frames(s, FRAME_BUF);
    }
    CHECK(released <= *jb_fed);
    *jb_fed -= released;
    CHECK(jitbuf_poll_timeout(jb) >= now);
    check_jitbuf(jb);
}

static int setup(const uint8_t *h, struct side *a, struct side *b, struct jitbuf **jb)
{
    struct vp8_depack_cfg dc = {.window = 16u << (h[0] & 3),
                                .reorder = (h[0] >> 2) & 31,
                                .max_payload = 2 + (size_t)h[1] * 8};
    if (dc.reorder > dc.window)
        dc.reorder = dc.window;
    struct jitbuf_cfg jc = {.clock_rate = (h[0] & 0x80)   ? 1
                                          : (h[2] & 0x80) ? 48000
                                                          : 90000,
                            .window = dc.window,
                            .max_payload = dc.max_payload,
                            .min_delay_us = (h[2] & 15) * 5000,
                            .max_delay_us = (h[2] & 15) * 5000 + ((h[2] >> 4) & 7) * 20000};
    a->max_payload = b->max_payload = dc.max_payload;
    a->window = b->window = dc.window;
    if (vp8_depack_create(&dc, &a->d) < 0)
        return -1;
    dc.reorder = 1; /* the jitter buffer hands packets over in order */
    if (vp8_depack_create(&dc, &b->d) < 0 || jitbuf_create(&jc, jb) < 0)
        return -1;
    return 0;
}

struct run {
    const uint8_t *data;
    size_t size, i;
    uint16_t seq;
    uint32_t ts;
    int64_t now;
    uint64_t jb_fed;
    struct jitbuf *jb;
};

static uint8_t next(struct run *r)
{
    return r->i < r->size ? r->data[r->i++] : 0;
}

/* A packet record (kind 0 or 1) after its op byte: to the direct
 * depacketizer and to the jitter buffer. */
static void packet(struct run *r, struct side *a, uint8_t op)
{
    if (((op >> 5) & 3) == 1 && r->i + 6 <= r->size) {
        r->seq = (uint16_t)(next(r) << 8 | next(r));
        r->ts = (uint32_t)next(r) << 24 | (uint32_t)next(r) << 16;
        r->ts |= (uint32_t)next(r) << 8 | next(r);
    } else {
        r->seq = (uint16_t)(r->seq + (op & 31) - 8);
        r->ts += next(r) * 300u;
    }
    size_t n = next(r);
    n = n > r->size - r->i ? r->size - r->i : n;
    const uint8_t *payload = r->data + r->i;
    r->i += n;
    struct vp8_depack_pkt p = {r->seq, r->ts, op >> 7, payload, n};
    feed(a, &p);
    struct jitbuf_pkt jp = {r->seq, r->ts, op >> 7, payload, n};
    int rc = jitbuf_handle_packet(r->jb, &jp, r->now);
    CHECK(rc == 0 || rc == -EMSGSIZE || rc == -ENOBUFS);
    if (rc == 0)
        r->jb_fed += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    struct side a = {0}, b = {.shadowed = true};
    for (unsigned k = 0; k < SHADOW; k++)
        shadow[k].valid = false;
    struct run r = {.data = data, .size = size, .i = 3, .now = 1000000};
    CHECK(setup(data, &a, &b, &r.jb) == 0);
    while (r.i < size) {
        uint8_t op = next(&r), kind = (op >> 5) & 3, arg = op & 31;
        r.now += 1000;
        if (kind == 2) {
            r.now += next(&r) * 1000LL;
            vp8_depack_handle_lost(a.d, (uint16_t)(r.seq + arg - 8));
        } else if (kind == 3) {
            poll_frames(&a, (size_t)arg * 256);
        } else {
            packet(&r, &a, op);
            if (!(op & 0x80))
                continue; /* the jitter buffer is drained at markers */
        }
        jitbuf_handle_timeout(r.jb, r.now);
        drain_jitbuf(r.jb, &b, r.now, &r.jb_fed);
        check_depack(&a);
    }
    poll_frames(&a, FRAME_BUF);
    jitbuf_handle_timeout(r.jb, r.now + 100000000);
    drain_jitbuf(r.jb, &b, r.now + 100000000, &r.jb_fed);
    vp8_depack_destroy(a.d);
    vp8_depack_destroy(b.d);
    jitbuf_destroy(r.jb);
    return 0;
}
