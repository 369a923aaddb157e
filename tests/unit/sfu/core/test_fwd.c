#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/rtp_hdr.h"
#include "media/core/vp8_desc.h"
#include "media/core/vp8_pack.h"
#include "sfu/core/fwd.h"

#define OUT_SSRC 0xc0ffee01u
#define OUT_PT 96
#define SRC_PT 100
#define MTU 1000
#define CAP 1400
#define MAXP 6

/* A fake VP8 publisher: frames from vp8_pack, RTP headers from rtp_hdr. */
struct src {
    struct vp8_pack vp;
    uint32_t ssrc;
    int64_t t_us; /* capture time of the next frame */
};

struct frame {
    uint8_t buf[MAXP][CAP];
    size_t len[MAXP];
    unsigned n;
};

/* What came out of fwd. */
struct seen {
    uint32_t ssrc;
    uint8_t pt;
    uint16_t seq;
    uint32_t ts;
    bool pid_long;
    uint16_t pid;
    uint8_t tl0;
    bool key;
};

static uint8_t frame_data[4000];

static void src_init(struct src *s, uint32_t ssrc, uint16_t seq, uint32_t ts, uint16_t pid,
                     uint8_t tl0)
{
    struct vp8_pack_cfg c = {.mtu = MTU,
                             .first_seq = seq,
                             .first_ts = ts,
                             .picture_id = pid,
                             .temporal = true,
                             .tl0picidx = tl0};
    assert_int_equal(vp8_pack_init(&s->vp, &c), 0);
    s->ssrc = ssrc;
    s->t_us = 1000000;
}

/* One frame of size bytes (a key frame has P = 0 and the start code), TID 0,
 * 30 frames per second. */
static void src_frame(struct src *s, bool key, size_t size, struct frame *f)
{
    for (size_t i = 0; i < sizeof frame_data; i++)
        frame_data[i] = (uint8_t)(i * 7);
    const uint8_t kh[] = {0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
    if (key)
        memcpy(frame_data, kh, sizeof kh);
    else
        frame_data[0] = 0x11;
    struct vp8_pack_frame fr = {.data = frame_data, .len = size, .capture_us = s->t_us};
    s->t_us += 33333;
    assert_int_equal(vp8_pack_start(&s->vp, &fr), 0);
    struct vp8_pack_pkt pp;
    uint8_t payload[CAP];
    f->n = 0;
    while (vp8_pack_poll_payload(&s->vp, payload, sizeof payload, &pp) == 1) {
        assert_true(f->n < MAXP);
        struct rtp_hdr h = {
            .marker = pp.marker, .pt = SRC_PT, .seq = pp.seq, .ts = pp.ts, .ssrc = s->ssrc};
        size_t w = 0;
        assert_int_equal(rtp_hdr_write(&h, f->buf[f->n], CAP, &w), 0);
        memcpy(f->buf[f->n] + w, payload, pp.len);
        f->len[f->n++] = w + pp.len;
    }
}

/* An audio packet, or a VP8 packet with a 7-bit PictureID (vp8_pack only
 * writes 15-bit ones). Returns its length. */
static size_t raw_pkt(uint8_t *buf, uint32_t ssrc, uint16_t seq, uint32_t ts, int pid7, bool key)
{
    struct rtp_hdr h = {.pt = SRC_PT, .seq = seq, .ts = ts, .ssrc = ssrc};
    size_t w = 0, d = 0;
    assert_int_equal(rtp_hdr_write(&h, buf, CAP, &w), 0);
    if (pid7 >= 0) {
        struct vp8_desc vd = {.s = true, .has_picture_id = true, .picture_id = (uint16_t)pid7};
        assert_int_equal(vp8_desc_write(&vd, buf + w, CAP - w, &d), 0);
    }
    for (size_t i = 0; i < 40; i++)
        buf[w + d + i] = (uint8_t)(0xa0 + i);
    if (pid7 >= 0)
        buf[w + d] = key ? 0x10 : 0x11;
    return w + d + 40;
}

/* Feed one packet (a copy) through fwd; return fwd's result, fill *o. */
static int feed(struct fwd *f, uint32_t src, const uint8_t *pkt, size_t len, int64_t now,
                struct seen *o)
{
    uint8_t buf[CAP];
    memcpy(buf, pkt, len);
    size_t n = len;
    int rc = fwd_rewrite(f, src, buf, &n, sizeof buf, now);
    if (rc != 1)
        return rc;
    struct rtp_hdr h;
    assert_int_equal(rtp_hdr_parse(&h, buf, n), 0);
    memset(o, 0, sizeof *o);
    o->ssrc = h.ssrc;
    o->pt = h.pt;
    o->seq = h.seq;
    o->ts = h.ts;
    struct vp8_desc d;
    if (f->vp8 && h.payload_len && vp8_desc_parse(h.payload, h.payload_len, &d) == 0) {
        o->pid_long = d.picture_id_long;
        o->pid = d.picture_id;
        o->tl0 = d.tl0picidx;
        o->key = d.key_frame;
    }
    return 1;
}

/* Feed a whole frame; every packet must go out. Returns the last seen. */
static struct seen feed_frame(struct fwd *f, uint32_t src, const struct frame *fr, int64_t now)
{
    struct seen o = {0};
    for (unsigned i = 0; i < fr->n; i++)
        assert_int_equal(feed(f, src, fr->buf[i], fr->len[i], now, &o), 1);
    return o;
}

static void test_init_misuse(void **state)
{
    (void)state;
    struct fwd f;
    assert_int_equal(fwd_init(NULL, 1, 96, 90000, true), -EINVAL);
    assert_int_equal(fwd_init(&f, 1, 96, 0, true), -EINVAL);
    assert_int_equal(fwd_init(&f, 1, 128, 90000, true), -EINVAL);
    assert_int_equal(fwd_init(&f, 1, 127, 48000, false), 0);
    assert_false(fwd_key_frame_needed(&f));
    assert_false(fwd_source(&f, NULL));
    assert_false(fwd_rtp_ts_at(&f, 0, NULL));
    uint8_t pkt[CAP];
    size_t n = raw_pkt(pkt, 5, 1, 1, -1, false);
    assert_int_equal(fwd_rewrite(&f, 5, pkt, &n, n - 1, 0), -EINVAL);
}

static void test_audio_first_source_and_switch(void **state)
{
    (void)state;
    struct fwd f;
    assert_int_equal(fwd_init(&f, OUT_SSRC, 111, 48000, false), 0);
    uint8_t pkt[CAP];
    struct seen o;
    size_t n = raw_pkt(pkt, 0xaaaa, 1000, 50000, -1, false);
    assert_int_equal(feed(&f, 1, pkt, n, 0, &o), 0); /* no source yet */
    fwd_switch(&f, 1, 0);
    assert_false(fwd_key_frame_needed(&f)); /* audio never waits */
    /* The first source keeps its numbers; SSRC and PT are ours. */
    for (int i = 0; i < 5; i++) {
        n = raw_pkt(pkt, 0xaaaa, (uint16_t)(1000 + i), 50000 + 960u * (uint32_t)i, -1, false);
        assert_int_equal(feed(&f, 1, pkt, n, i * 20000, &o), 1);
        assert_int_equal(o.ssrc, OUT_SSRC);
        assert_int_equal(o.pt, 111);
        assert_int_equal(o.seq, 1000 + i);
        assert_int_equal(o.ts, 50000 + 960 * i);
    }
    /* Switch at t = 80 ms; the new source's first packet comes at 180 ms:
     * 100 ms after the last one sent, 4800 ticks at 48 kHz. */
    fwd_switch(&f, 2, 80000);
    n = raw_pkt(pkt, 0xaaaa, 1005, 50000 + 960 * 5, -1, false);
    assert_int_equal(feed(&f, 1, pkt, n, 100000, &o), 0); /* old source */
    n = raw_pkt(pkt, 0xbbbb, 40000, 7, -1, false);
    assert_int_equal(feed(&f, 2, pkt, n, 180000, &o), 1);
    assert_int_equal(o.seq, 1005);
    assert_int_equal(o.ts, 50000 + 960 * 4 + 4800);
    n = raw_pkt(pkt, 0xbbbb, 40001, 7 + 960, -1, false);
    assert_int_equal(feed(&f, 2, pkt, n, 200000, &o), 1);
    assert_int_equal(o.seq, 1006);
    assert_int_equal(o.ts, 50000 + 960 * 5 + 4800);
    uint32_t ts = 0;
    assert_true(fwd_rtp_ts_at(&f, 210000, &ts));
    assert_int_equal(ts, 50000 + 960 * 5 + 4800 + 480);
    struct fwd_stats st;
    fwd_get_stats(&f, &st);
    assert_int_equal(st.packets, 7);
    assert_int_equal(st.dropped.not_current, 2);
    assert_int_equal(st.switches, 2);
    assert_int_equal(fwd_stats_dropped(&st), 2);
}

static void test_video_key_wait_and_switch(void **state)
{
    (void)state;
    struct fwd f;
    struct src a, b;
    struct frame fr;
    struct seen o;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    src_init(&a, 0xa, 100, 1000, 500, 10);
    src_init(&b, 0xb, 30000, 2000000000u, 20000, 200);
    fwd_switch(&f, 1, 0);
    assert_true(fwd_key_frame_needed(&f));
    src_frame(&a, false, 2500, &fr); /* 3 packets, delta: dropped */
    for (unsigned i = 0; i < fr.n; i++)
        assert_int_equal(feed(&f, 1, fr.buf[i], fr.len[i], 0, &o), 0);
    src_frame(&a, true, 2500, &fr);
    assert_int_equal(feed(&f, 1, fr.buf[0], fr.len[0], 33333, &o), 1);
    assert_false(fwd_key_frame_needed(&f));
    assert_true(o.key);
    assert_int_equal(o.seq, 103); /* first source: as sent */
    assert_int_equal(o.pid, 501);
    assert_true(o.pid_long);
    for (unsigned i = 1; i < fr.n; i++)
        assert_int_equal(feed(&f, 1, fr.buf[i], fr.len[i], 33333, &o), 1);
    src_frame(&a, false, 900, &fr);
    o = feed_frame(&f, 1, &fr, 66666);
    assert_int_equal(o.seq, 106);
    assert_int_equal(o.pid, 502);
    assert_int_equal(o.tl0, 12);
    uint32_t last_ts = o.ts;
    /* Switch to b at 100 ms: a's packets are dropped from now on, b's
     * delta frames too, until b's key frame at 150 ms. */
    fwd_switch(&f, 2, 100000);
    assert_true(fwd_key_frame_needed(&f));
    src_frame(&a, false, 900, &fr);
    assert_int_equal(feed(&f, 1, fr.buf[0], fr.len[0], 100000, &o), 0);
    src_frame(&b, false, 2500, &fr);
    assert_int_equal(feed(&f, 2, fr.buf[0], fr.len[0], 110000, &o), 0);
    src_frame(&b, true, 2500, &fr);
    o = feed_frame(&f, 2, &fr, 150000);
    assert_int_equal(o.seq, 109); /* 107, 108, 109: no gap */
    assert_int_equal(o.ts, last_ts + 90 * (150000 - 66666) / 1000);
    assert_int_equal(o.pid, 503);
    assert_int_equal(o.tl0, 13);
    uint32_t key_ts = o.ts;
    src_frame(&b, false, 900, &fr); /* b's frames keep b's spacing */
    o = feed_frame(&f, 2, &fr, 183333);
    assert_int_equal(o.seq, 110);
    assert_int_equal(o.ts, key_ts + 3000);
    assert_int_equal(o.pid, 504);
    assert_int_equal(o.tl0, 14);
    struct fwd_stats st;
    fwd_get_stats(&f, &st);
    assert_int_equal(st.dropped.key_wait, 4);
    assert_int_equal(st.dropped.not_current, 1);
    assert_int_equal(st.key_frames, 2);
    assert_int_equal(st.packets, 8);
    assert_int_equal(st.retransmitted, 0);
}

static void test_wraps(void **state)
{
    (void)state;
    struct fwd f;
    struct src a, b;
    struct frame fr;
    struct seen o;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    /* a wraps its own sequence, timestamp and PictureID. */
    src_init(&a, 0xa, 65534, 0xffffffffu - 3000, 0x7fff, 255);
    fwd_switch(&f, 1, 0);
    src_frame(&a, true, 2500, &fr);
    o = feed_frame(&f, 1, &fr, 0);
    assert_int_equal(o.seq, 0); /* 65534, 65535, 0 */
    assert_int_equal(o.pid, 0x7fff);
    assert_int_equal(o.tl0, 255);
    src_frame(&a, false, 500, &fr);
    o = feed_frame(&f, 1, &fr, 33333);
    assert_int_equal(o.seq, 1);
    assert_int_equal(o.ts, 0xfffffffeu);
    src_frame(&a, false, 500, &fr);
    o = feed_frame(&f, 1, &fr, 66666);
    assert_int_equal(o.ts, 2998);
    assert_int_equal(o.pid, 1);
    assert_int_equal(o.tl0, 1);
    /* b starts far away; the outgoing stream goes on from a's numbers. */
    src_init(&b, 0xb, 9, 5, 77, 3);
    fwd_switch(&f, 2, 70000);
    src_frame(&b, true, 500, &fr);
    o = feed_frame(&f, 2, &fr, 100000);
    assert_int_equal(o.seq, 3);
    assert_int_equal(o.pid, 2);
    assert_int_equal(o.tl0, 2);
    assert_int_equal(o.ts, 2998 + 3000);
}

/* The outgoing stream at 65535 / PictureID 0x7fff when the switch comes. */
static void test_switch_at_wrap(void **state)
{
    (void)state;
    struct fwd f;
    struct src a, b;
    struct frame fr;
    struct seen o;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    src_init(&a, 0xa, 65533, 1000, 0x7fff, 9);
    fwd_switch(&f, 1, 0);
    src_frame(&a, true, 2500, &fr);
    o = feed_frame(&f, 1, &fr, 0);
    assert_int_equal(o.seq, 65535);
    src_init(&b, 0xb, 1234, 5, 300, 3);
    fwd_switch(&f, 2, 1);
    src_frame(&b, true, 500, &fr);
    o = feed_frame(&f, 2, &fr, 20000);
    assert_int_equal(o.seq, 0);
    assert_int_equal(o.pid, 0);
    assert_int_equal(o.ts, 1000 + 1800);
}

static void test_seven_bit_widened(void **state)
{
    (void)state;
    struct fwd f;
    struct seen o;
    uint8_t pkt[CAP], buf[CAP];
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    fwd_switch(&f, 1, 0);
    size_t n = raw_pkt(pkt, 0xa, 10, 100, 126, true);
    /* No room for the extra byte: -ENOSPC, nothing changed. */
    memcpy(buf, pkt, n);
    size_t len = n;
    assert_int_equal(fwd_rewrite(&f, 1, buf, &len, n, 0), -ENOSPC);
    assert_int_equal(len, n);
    assert_memory_equal(buf, pkt, n);
    assert_true(fwd_key_frame_needed(&f));
    /* With room: the descriptor grows to 15 bits, the payload follows. */
    assert_int_equal(fwd_rewrite(&f, 1, buf, &len, sizeof buf, 0), 1);
    assert_int_equal(len, n + 1);
    assert_int_equal(buf[12 + 2], 0x80); /* M = 1, PictureID 126 */
    assert_int_equal(buf[12 + 3], 126);
    assert_memory_equal(buf + 12 + 4, pkt + 12 + 3, n - 15);
    /* 7-bit wrap 127 -> 0 continues 15-bit: 127, 128. */
    n = raw_pkt(pkt, 0xa, 11, 3100, 127, false);
    assert_int_equal(feed(&f, 1, pkt, n, 33333, &o), 1);
    assert_true(o.pid_long);
    assert_int_equal(o.pid, 127);
    n = raw_pkt(pkt, 0xa, 12, 6100, 0, false);
    assert_int_equal(feed(&f, 1, pkt, n, 66666, &o), 1);
    assert_int_equal(o.pid, 128);
    /* A late packet of picture 127 keeps its PictureID. */
    n = raw_pkt(pkt, 0xa, 11, 3100, 127, false);
    assert_int_equal(feed(&f, 1, pkt, n, 70000, &o), 1);
    assert_int_equal(o.pid, 127);
    assert_int_equal(o.seq, 11);
}

static void test_gaps_and_retransmissions(void **state)
{
    (void)state;
    struct fwd f;
    struct src a, b;
    struct frame key, d1, d2;
    struct seen o, first;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    src_init(&a, 0xa, 500, 1000, 10, 0);
    fwd_switch(&f, 1, 0);
    src_frame(&a, true, 2500, &key); /* 500..502 */
    feed_frame(&f, 1, &key, 0);
    src_frame(&a, false, 2500, &d1); /* 503..505 */
    assert_int_equal(feed(&f, 1, d1.buf[0], d1.len[0], 33333, &first), 1);
    /* 504 is lost on the way in: the gap stays a gap. */
    assert_int_equal(feed(&f, 1, d1.buf[2], d1.len[2], 33333, &o), 1);
    assert_int_equal(o.seq, first.seq + 2);
    /* Its retransmission (and a repeat of 503) map as the first time. */
    assert_int_equal(feed(&f, 1, d1.buf[1], d1.len[1], 60000, &o), 1);
    assert_int_equal(o.seq, first.seq + 1);
    assert_int_equal(o.pid, first.pid);
    assert_int_equal(feed(&f, 1, d1.buf[0], d1.len[0], 60000, &o), 1);
    assert_memory_equal(&o, &first, sizeof o);
    uint32_t src_id = 0;
    uint16_t in_seq = 0;
    assert_int_equal(fwd_map_nack(&f, (uint16_t)(first.seq + 1), &src_id, &in_seq), 0);
    assert_int_equal(src_id, 1);
    assert_int_equal(in_seq, 504);
    assert_int_equal(fwd_map_nack(&f, (uint16_t)(first.seq + 3), NULL, NULL), -ENOENT);
    /* Switch to b: b's packets before its first forwarded one are older
     * than the switch point; a's history is no longer mapped. */
    src_init(&b, 0xb, 7000, 5, 1, 0);
    fwd_switch(&f, 2, 70000);
    assert_int_equal(fwd_map_nack(&f, first.seq, NULL, NULL), -ENOENT);
    src_frame(&b, true, 2500, &d2);                                    /* 7000..7002 */
    assert_int_equal(feed(&f, 2, d2.buf[1], d2.len[1], 80000, &o), 0); /* not a start */
    assert_int_equal(feed(&f, 2, d2.buf[0], d2.len[0], 80000, &o), 1);
    assert_int_equal(o.seq, first.seq + 3);
    assert_int_equal(feed(&f, 2, d2.buf[2], d2.len[2], 80000, &o), 1);
    assert_int_equal(o.seq, first.seq + 5); /* 7001 missing: a gap */
    assert_int_equal(fwd_map_nack(&f, (uint16_t)(first.seq + 4), &src_id, &in_seq), 0);
    assert_int_equal(src_id, 2);
    assert_int_equal(in_seq, 7001);
    assert_int_equal(fwd_map_nack(&f, (uint16_t)(first.seq + 2), NULL, NULL), -ENOENT);
    assert_int_equal(feed(&f, 2, d2.buf[1], d2.len[1], 90000, &o), 1);
    assert_int_equal(o.seq, first.seq + 4);
    uint8_t old[CAP];
    size_t n = raw_pkt(old, 0xb, 6999, 5, -1, false); /* padding-size, before */
    assert_int_equal(feed(&f, 2, old, n, 90000, &o), 0);
    struct fwd_stats st;
    fwd_get_stats(&f, &st);
    assert_int_equal(st.retransmitted, 3);
    assert_int_equal(st.dropped.before_switch, 1);
    assert_int_equal(st.dropped.key_wait, 1);
}

static void test_padding_only(void **state)
{
    (void)state;
    struct fwd f;
    struct src a;
    struct frame fr;
    struct seen o;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    src_init(&a, 0xa, 10, 1000, 10, 0);
    fwd_switch(&f, 1, 0);
    /* RTP padding only (P = 1, 4 padding octets): no descriptor. */
    uint8_t pad[16];
    struct rtp_hdr h = {.padding = true, .pt = SRC_PT, .seq = 9, .ts = 1000, .ssrc = 0xa};
    size_t w = 0;
    assert_int_equal(rtp_hdr_write(&h, pad, sizeof pad, &w), 0);
    memcpy(pad + 12, "\0\0\0\4", 4);
    assert_int_equal(feed(&f, 1, pad, 16, 0, &o), 0); /* before the key frame */
    src_frame(&a, true, 500, &fr);
    feed_frame(&f, 1, &fr, 0);
    pad[3] = 11; /* seq 11 */
    assert_int_equal(feed(&f, 1, pad, 16, 1000, &o), 1);
    assert_int_equal(o.seq, 11);
    assert_int_equal(o.ssrc, OUT_SSRC);
}

static void test_malformed_unchanged(void **state)
{
    (void)state;
    struct fwd f;
    struct src a;
    struct frame fr;
    struct seen o;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    src_init(&a, 0xa, 10, 1000, 10, 0);
    fwd_switch(&f, 1, 0);
    src_frame(&a, true, 500, &fr);
    feed_frame(&f, 1, &fr, 0);
    struct fwd before;
    memcpy(&before, &f, sizeof f);
    uint8_t good[CAP], bad[5][32];
    size_t lens[5];
    raw_pkt(good, 0xa, 11, 1000, 5, false);
    for (int i = 0; i < 5; i++)
        memcpy(bad[i], good, 32);
    bad[1][0] = 0x40; /* version 1 */
    lens[0] = 11;     /* shorter than the fixed header */
    lens[1] = 32;
    /* X = 1, I = 1, cut before the PictureID */
    lens[2] = 14;
    /* CC = 15: CSRCs past the end */
    bad[3][0] = 0x8f;
    lens[3] = 32;
    /* descriptor with no VP8 byte after it */
    lens[4] = 15;
    for (int i = 0; i < 5; i++) {
        uint8_t buf[64];
        memcpy(buf, bad[i], lens[i]);
        size_t len = lens[i];
        assert_int_equal(fwd_rewrite(&f, 1, buf, &len, sizeof buf, 5000), -EBADMSG);
        assert_int_equal(len, lens[i]);
        assert_memory_equal(buf, bad[i], lens[i]);
    }
    struct fwd_stats st;
    fwd_get_stats(&f, &st);
    assert_int_equal(st.malformed, 5);
    f.stats.malformed = 0;
    assert_memory_equal(&f, &before, sizeof f);
    /* The stream goes on where it was. */
    src_frame(&a, false, 500, &fr);
    o = feed_frame(&f, 1, &fr, 33333);
    assert_int_equal(o.seq, 11);
}

static void test_stop_and_resume(void **state)
{
    (void)state;
    struct fwd f;
    struct src a;
    struct frame fr;
    struct seen o;
    assert_int_equal(fwd_init(&f, OUT_SSRC, OUT_PT, 90000, true), 0);
    src_init(&a, 0xa, 10, 1000, 10, 0);
    fwd_switch(&f, 1, 0);
    src_frame(&a, true, 500, &fr);
    o = feed_frame(&f, 1, &fr, 0);
    fwd_switch(&f, 1, 0); /* same source: nothing changes */
    assert_false(fwd_key_frame_needed(&f));
    fwd_stop(&f);
    assert_false(fwd_source(&f, NULL));
    assert_false(fwd_key_frame_needed(&f));
    src_frame(&a, false, 500, &fr);
    assert_int_equal(feed(&f, 1, fr.buf[0], fr.len[0], 33333, &o), 0);
    fwd_switch(&f, 1, 1000000);
    uint32_t id = 0;
    assert_true(fwd_source(&f, &id));
    assert_int_equal(id, 1);
    src_frame(&a, true, 500, &fr);
    o = feed_frame(&f, 1, &fr, 1000000);
    assert_int_equal(o.seq, 11); /* a's 11 was never sent: no gap */
    assert_int_equal(o.ts, 1000 + 90000);
    assert_int_equal(o.pid, 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_misuse),
        cmocka_unit_test(test_audio_first_source_and_switch),
        cmocka_unit_test(test_video_key_wait_and_switch),
        cmocka_unit_test(test_wraps),
        cmocka_unit_test(test_switch_at_wrap),
        cmocka_unit_test(test_seven_bit_widened),
        cmocka_unit_test(test_gaps_and_retransmissions),
        cmocka_unit_test(test_padding_only),
        cmocka_unit_test(test_malformed_unchanged),
        cmocka_unit_test(test_stop_and_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
