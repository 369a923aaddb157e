/* Shared by the VP8 depacketizer and jitter buffer tests: a VP8 stream
 * packetized by vp8_pack (RFC 7741 descriptors with a 15-bit PictureID) or
 * by hand, fed into a vp8_depack, with the frames that come out checked
 * against the frames that went in. Include after cmocka.h. */
#ifndef CAU_TEST_VP8_DEPACK_FIXTURE_H
#define CAU_TEST_VP8_DEPACK_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "media/core/vp8_depack.h"
#include "media/core/vp8_desc.h"
#include "media/core/vp8_pack.h"

#define MAX_PKTS 4096
#define MAX_FRAMES 64
#define MAX_FRAME 20000

struct tpkt {
    uint16_t seq;
    uint32_t ts;
    bool marker;
    size_t len;
    uint8_t b[1500];
};

struct tframe {
    uint8_t data[MAX_FRAME];
    size_t len;
    uint32_t ts;
    bool key;
    uint16_t pid;
    unsigned first; /* index of its first packet in pk[] */
    unsigned count;
    bool got;
};

static struct tpkt pk[MAX_PKTS];
static unsigned npk;
static struct tframe fr[MAX_FRAMES];
static unsigned nfr;
static int last_out; /* index of the frame that came out last, -1 none */
static uint8_t out[MAX_FRAME];

/* A VP8 frame: a key frame starts with the RFC 6386 §9.1 header (P = 0,
 * start code, 640x480), a delta frame has P = 1. */
static inline void make_frame(struct tframe *f, size_t len, bool key, unsigned salt)
{
    for (size_t i = 0; i < len; i++)
        f->data[i] = (uint8_t)(i * 13 + salt * 7 + 1);
    f->data[0] = key ? 0x50 : 0x51;
    if (key && len >= 10) {
        const uint8_t hdr[] = {0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
        memcpy(f->data + 3, hdr, sizeof(hdr));
    }
    f->len = len;
    f->key = key;
}

/* Packetize frames of the given sizes ('K' in keys marks a key frame). */
static inline void gen(size_t mtu, uint16_t seq, uint16_t pid, const size_t *sizes,
                       const char *keys)
{
    struct vp8_pack p;
    struct vp8_pack_cfg c = {
        .mtu = mtu, .first_seq = seq, .first_ts = 0xfffff000u, .picture_id = pid};
    assert_int_equal(vp8_pack_init(&p, &c), 0);
    npk = nfr = 0;
    last_out = -1;
    for (unsigned i = 0; keys[i]; i++) {
        struct tframe *f = &fr[nfr++];
        make_frame(f, sizes[i], keys[i] == 'K', i);
        struct vp8_pack_frame pf = {.data = f->data, .len = f->len, .capture_us = i * 33333};
        assert_int_equal(vp8_pack_start(&p, &pf), 0);
        f->first = npk;
        f->got = false;
        struct vp8_pack_pkt info;
        while (vp8_pack_poll_payload(&p, pk[npk].b, sizeof(pk[npk].b), &info) == 1) {
            pk[npk].seq = info.seq;
            pk[npk].ts = info.ts;
            pk[npk].marker = info.marker;
            pk[npk].len = info.len;
            f->ts = info.ts;
            f->pid = info.picture_id;
            npk++;
        }
        f->count = npk - f->first;
    }
}

static inline struct vp8_depack *mk(unsigned window, unsigned reorder, size_t max_payload)
{
    struct vp8_depack_cfg c = {.window = window, .reorder = reorder, .max_payload = max_payload};
    struct vp8_depack *d = NULL;
    assert_int_equal(vp8_depack_create(&c, &d), 0);
    return d;
}

static inline int feed(struct vp8_depack *d, unsigned i)
{
    struct vp8_depack_pkt p = {pk[i].seq, pk[i].ts, pk[i].marker, pk[i].b, pk[i].len};
    return vp8_depack_handle_packet(d, &p);
}

static inline void feed_all(struct vp8_depack *d)
{
    for (unsigned i = 0; i < npk; i++)
        assert_int_equal(feed(d, i), 0);
}

/* Poll every ready frame; each must be a frame of the stream, whole and in
 * order. Returns how many came out. */
static inline unsigned drain(struct vp8_depack *d)
{
    unsigned n = 0;
    struct vp8_depack_frame f;
    int rc;
    while ((rc = vp8_depack_poll_frame(d, out, sizeof(out), &f)) == 1) {
        unsigned i;
        for (i = 0; i < nfr && fr[i].ts != f.ts; i++)
            ;
        assert_true(i < nfr);
        assert_false(fr[i].got);
        assert_true((int)i > last_out);
        last_out = (int)i;
        fr[i].got = true;
        assert_int_equal(f.len, fr[i].len);
        assert_memory_equal(out, fr[i].data, f.len);
        assert_int_equal(f.keyframe, fr[i].key);
        assert_int_equal(f.packets, fr[i].count);
        assert_int_equal(f.first_seq, pk[fr[i].first].seq);
        assert_int_equal(f.last_seq, pk[fr[i].first + fr[i].count - 1].seq);
        assert_true(f.has_picture_id);
        assert_int_equal(f.picture_id, fr[i].pid);
        n++;
    }
    assert_int_equal(rc, 0);
    return n;
}

static inline void check_identity(const struct vp8_depack *d)
{
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.packets_in, s.packets_bad + s.packets_late + s.packets_dup +
                                       s.packets_stray + s.packets_overflow + s.packets_reset +
                                       s.packets_emitted + s.packets_dropped + vp8_depack_held(d));
}

static inline unsigned count_events(struct vp8_depack *d, enum vp8_depack_event_kind kind)
{
    struct vp8_depack_event ev;
    unsigned n = 0;
    while (vp8_depack_poll_event(d, &ev))
        n += ev.kind == kind;
    return n;
}

/* Hand-built payload: descriptor with an optional 7- or 15-bit PictureID,
 * then a VP8 frame start or continuation. */
static inline void mkpkt(struct tpkt *p, uint16_t seq, uint32_t ts, bool s, bool marker,
                         int pid_bits, uint16_t pid, bool key)
{
    struct vp8_desc d = {.s = s,
                         .has_picture_id = pid_bits != 0,
                         .picture_id_long = pid_bits == 15,
                         .picture_id = pid};
    size_t w = 0;
    assert_int_equal(vp8_desc_write(&d, p->b, sizeof(p->b), &w), 0);
    p->b[w] = key ? 0x50 : 0x51;
    p->b[w + 1] = (uint8_t)seq;
    p->len = w + 2;
    p->seq = seq;
    p->ts = ts;
    p->marker = marker;
}

static inline uint32_t rnd(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

#endif
