/* libFuzzer target: one fwd rewriter fed packets of four sources, with
 * switches and stops, on a virtual clock.
 *
 * Input: a configuration byte (bit 0: VP8, else 48 kHz audio), then
 * records. A record starts with an op byte: bits 6-7 the kind, bits 4-5 a
 * source 0..3, bits 0-3 an argument a. The clock moves 1 ms per record.
 *   kind 0: switch to the source, after a * 10 ms more (a = 15: stop);
 *   kind 1: a packet of the source from three bytes: a signed sequence
 *           step, a flags byte (see build()), a payload length byte (0..63
 *           used); a & 1: the buffer has no spare byte;
 *   kind 2: a raw packet: a length byte and that many bytes, as is;
 *   kind 3: map an outgoing sequence (two bytes) back through fwd_map_nack.
 *
 * Checked: no crash; only 1, 0, -EBADMSG, -ENOSPC come back; a packet not
 * sent is left unchanged; a sent one carries our SSRC and payload type and,
 * in VP8, a 15-bit PictureID; new packets continue the outgoing sequence:
 * exactly +1 after a switch, else the source's own step (gaps kept);
 * retransmissions land where the first copy did (fwd_map_nack agrees);
 * within one source the timestamp offset is constant; the counters add up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/rtp_hdr.h"
#include "media/core/vp8_desc.h"
#include "sfu/core/fwd.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

#define OUT_SSRC 0x5eed0001u
#define OUT_PT 96
#define BUF 400

struct src {
    uint16_t seq;
    uint32_t ts;
    uint16_t pid;
    uint8_t tl0;
};

/* What the checker knows of the outgoing stream. */
static struct {
    bool sent;        /* some packet went out */
    bool segment_new; /* a switch or stop since the last new packet */
    uint16_t out_seq; /* highest outgoing sequence */
    uint16_t in_seq;  /* the source sequence it came from */
    bool ts_known;
    uint32_t ts_off; /* of the current segment */
    uint64_t drops, sent_count;
} chk;

/* flags: 0 key frame start, 1 S, 2 PictureID, 3 15-bit, 4 TL0PICIDX,
 * 5 padding only, 6 a new picture, 7 marker. */
static size_t build(bool vp8, struct src *s, uint32_t ssrc, int8_t step, uint8_t flags,
                    uint8_t plen, uint8_t *buf)
{
    s->seq = (uint16_t)(s->seq + step);
    if (flags & 0x40) {
        s->ts += 3000;
        s->pid++;
        s->tl0++;
    }
    bool pad = flags & 0x20;
    struct rtp_hdr h = {.padding = pad,
                        .marker = flags & 0x80,
                        .pt = 100,
                        .seq = s->seq,
                        .ts = s->ts,
                        .ssrc = ssrc};
    size_t n = 0, d = 0;
    if (rtp_hdr_write(&h, buf, BUF, &n))
        abort();
    if (pad) {
        memset(buf + n, 0, 3);
        buf[n + 3] = 4;
        return n + 4;
    }
    if (vp8) {
        bool key = flags & 1;
        struct vp8_desc vd = {.s = key || (flags & 2),
                              .has_picture_id = flags & 4,
                              .picture_id_long = flags & 8,
                              .picture_id = (uint16_t)(s->pid & ((flags & 8) ? 0x7fff : 0x7f)),
                              .has_tl0picidx = flags & 0x10,
                              .has_tid = flags & 0x10,
                              .tl0picidx = s->tl0};
        if (vp8_desc_write(&vd, buf + n, BUF - n, &d))
            abort();
        buf[n + d++] = key ? 0x10 : 0x11;
    }
    for (size_t i = 0; i < (plen & 63u); i++)
        buf[n + d + i] = (uint8_t)(plen * 31 + i);
    return n + d + (plen & 63u);
}

static void check_sent(struct fwd *f, const uint8_t *in, size_t in_len, const uint8_t *out,
                       size_t out_len, uint64_t retrans_before)
{
    struct rtp_hdr hi, ho;
    CHECK(rtp_hdr_parse(&hi, in, in_len) == 0);
    CHECK(rtp_hdr_parse(&ho, out, out_len) == 0);
    CHECK(ho.ssrc == OUT_SSRC && ho.pt == OUT_PT);
    CHECK(out_len == in_len || (f->vp8 && out_len == in_len + 1));
    struct vp8_desc d;
    if (f->vp8 && ho.payload_len) {
        CHECK(vp8_desc_parse(ho.payload, ho.payload_len, &d) == 0);
        CHECK(!d.has_picture_id || d.picture_id_long);
    }
    struct fwd_stats st;
    fwd_get_stats(f, &st);
    bool fresh = st.retransmitted == retrans_before;
    int16_t dout = (int16_t)(uint16_t)(ho.seq - chk.out_seq);
    int16_t din = (int16_t)(uint16_t)(hi.seq - chk.in_seq);
    if (fresh && chk.segment_new) {
        CHECK(!chk.sent || dout == 1);
        chk.ts_known = false;
    } else {
        CHECK(fresh ? (dout > 0 && dout == din) : (dout <= 0 && dout == din));
    }
    if (chk.ts_known)
        CHECK(ho.ts - hi.ts == chk.ts_off);
    chk.ts_known = true;
    chk.ts_off = ho.ts - hi.ts;
    uint32_t src;
    uint16_t back;
    CHECK(fwd_map_nack(f, ho.seq, &src, &back) == 0 && back == hi.seq);
    if (fresh) {
        chk.sent = true;
        chk.segment_new = false;
        chk.out_seq = ho.seq;
        chk.in_seq = hi.seq;
    }
}

static void feed(struct fwd *f, uint32_t source, const uint8_t *pkt, size_t len, size_t cap,
                 int64_t now)
{
    static uint8_t buf[BUF + 8];
    memcpy(buf, pkt, len);
    size_t n = len;
    struct fwd_stats st;
    fwd_get_stats(f, &st);
    int rc = fwd_rewrite(f, source, buf, &n, cap, now);
    CHECK(rc == 1 || rc == 0 || rc == -EBADMSG || rc == -ENOSPC);
    if (rc != 1) {
        CHECK(n == len && memcmp(buf, pkt, len) == 0);
        chk.drops += rc == 0;
        return;
    }
    chk.sent_count++;
    check_sent(f, pkt, len, buf, n, st.retransmitted);
}

static void do_switch(struct fwd *f, uint8_t src, uint8_t a)
{
    uint32_t cur;
    bool had = fwd_source(f, &cur);
    if (a == 15) {
        fwd_stop(f);
        chk.segment_new = true;
        CHECK(!fwd_key_frame_needed(f));
        return;
    }
    fwd_switch(f, src, 0);
    if (!had || cur != src) {
        chk.segment_new = true;
        CHECK(fwd_key_frame_needed(f) == f->vp8);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct fwd f;
    bool vp8 = data[0] & 1;
    if (fwd_init(&f, OUT_SSRC, OUT_PT, vp8 ? 90000 : 48000, vp8))
        abort();
    memset(&chk, 0, sizeof chk);
    struct src srcs[4] = {
        {1, 1, 1, 1}, {65530, 0xfffff000u, 0x7ff0, 250}, {0, 0, 120, 0}, {30000, 1u << 31, 0, 0}};
    static uint8_t pkt[BUF];
    int64_t now = 0;
    size_t i = 1;
    while (i < size) {
        uint8_t op = data[i++], kind = op >> 6, src = (op >> 4) & 3, a = op & 15;
        now += 1000;
        if (kind == 0) {
            now += a * 10000;
            do_switch(&f, src, a);
        } else if (kind == 1 && i + 3 <= size) {
            size_t n = build(vp8, &srcs[src], 0xa000u + src, (int8_t)data[i], data[i + 1],
                             data[i + 2], pkt);
            i += 3;
            feed(&f, src, pkt, n, (a & 1) ? n : BUF, now);
        } else if (kind == 2 && i < size) {
            size_t n = data[i++];
            n = n < size - i ? n : size - i;
            feed(&f, src, data + i, n, BUF, now);
            i += n;
        } else if (kind == 3 && i + 2 <= size) {
            uint16_t q = (uint16_t)(data[i] << 8 | data[i + 1]), back;
            i += 2;
            uint32_t s;
            int rc = fwd_map_nack(&f, q, &s, &back);
            CHECK(rc == 0 || rc == -ENOENT);
            CHECK(rc != 0 || (uint16_t)(q - chk.out_seq) == 0 || (int16_t)(q - chk.out_seq) < 0);
        } else {
            break;
        }
    }
    struct fwd_stats st;
    fwd_get_stats(&f, &st);
    CHECK(fwd_stats_dropped(&st) == chk.drops);
    CHECK(st.packets == chk.sent_count);
    return 0;
}
