#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "media/core/vp8_desc.h"
#include "media/core/vp8_pack.h"

static struct vp8_pack_cfg cfg_default(size_t mtu)
{
    struct vp8_pack_cfg c = {.mtu = mtu, .first_seq = 1000, .first_ts = 5000, .picture_id = 42};
    return c;
}

static void fill(uint8_t *p, size_t n, bool key)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 7 + 3);
    p[0] = key ? 0x10 : 0x11; /* P bit: 0 key, 1 delta */
}

/* Split a frame, check every payload's descriptor and that the data
 * concatenates back to the frame. Returns the number of payloads. */
static unsigned split_and_check(struct vp8_pack *p, const struct vp8_pack_frame *f,
                                struct vp8_pack_pkt *pkts, size_t max)
{
    static uint8_t out[70000];
    uint8_t buf[2048];
    size_t off = 0;
    unsigned n = 0;
    assert_int_equal(vp8_pack_start(p, f), 0);
    int rc;
    while ((rc = vp8_pack_poll_payload(p, buf, sizeof(buf), &pkts[n])) == 1) {
        struct vp8_desc d;
        assert_true(pkts[n].len <= p->cfg.mtu);
        assert_int_equal(vp8_desc_parse(buf, pkts[n].len, &d), 0);
        assert_true(d.x && d.has_picture_id && d.picture_id_long);
        assert_int_equal(d.s, n == 0);
        assert_int_equal(d.pid, 0);
        assert_int_equal(d.picture_id, pkts[n].picture_id);
        assert_int_equal(pkts[n].first, n == 0);
        memcpy(out + off, buf + d.payload_off, d.payload_len);
        off += d.payload_len;
        n++;
        assert_true(n <= max);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(off, f->len);
    assert_memory_equal(out, f->data, f->len);
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(pkts[i].marker, i == n - 1);
        assert_int_equal(pkts[i].ts, pkts[0].ts);
        assert_int_equal(pkts[i].seq, (uint16_t)(pkts[0].seq + i));
    }
    return n;
}

static void test_single_packet_descriptor_bytes(void **state)
{
    (void)state;
    struct vp8_pack p;
    struct vp8_pack_cfg c = cfg_default(1200);
    c.picture_id = 0x1234;
    assert_int_equal(vp8_pack_init(&p, &c), 0);
    uint8_t frame[10];
    fill(frame, sizeof(frame), true);
    struct vp8_pack_frame f = {.data = frame, .len = sizeof(frame), .capture_us = 777};
    assert_int_equal(vp8_pack_start(&p, &f), 0);
    uint8_t buf[64];
    struct vp8_pack_pkt pkt;
    assert_int_equal(vp8_pack_poll_payload(&p, buf, sizeof(buf), &pkt), 1);
    /* X=1 S=1 PID=0; I=1; M=1 PictureID 0x1234 (RFC 7741 §4.2). */
    const uint8_t want[] = {0x90, 0x80, 0x92, 0x34};
    assert_memory_equal(buf, want, sizeof(want));
    assert_memory_equal(buf + 4, frame, sizeof(frame));
    assert_int_equal(pkt.len, 14);
    assert_true(pkt.marker && pkt.first && pkt.keyframe);
    assert_int_equal(pkt.seq, 1000);
    assert_int_equal(pkt.ts, 5000);
    assert_int_equal(vp8_pack_poll_payload(&p, buf, sizeof(buf), &pkt), 0);
}

static void test_balanced_split(void **state)
{
    (void)state;
    struct vp8_pack p;
    struct vp8_pack_cfg c = cfg_default(1200);
    assert_int_equal(vp8_pack_init(&p, &c), 0);
    static uint8_t frame[2500];
    fill(frame, sizeof(frame), false);
    struct vp8_pack_frame f = {.data = frame, .len = sizeof(frame)};
    struct vp8_pack_pkt pkts[8];
    assert_int_equal(vp8_pack_count(&p, sizeof(frame)), 3);
    assert_int_equal(split_and_check(&p, &f, pkts, 8), 3);
    /* 2500 over 3 payloads of at most 1196 data bytes: 834, 833, 833. */
    assert_int_equal(pkts[0].len, 4 + 834);
    assert_int_equal(pkts[1].len, 4 + 833);
    assert_int_equal(pkts[2].len, 4 + 833);
    assert_false(pkts[0].keyframe);
}

static void test_sizes_and_mtus(void **state)
{
    (void)state;
    static uint8_t frame[20000];
    static struct vp8_pack_pkt pkts[20000];
    const size_t mtus[] = {5, 6, 7, 100, 1200, 1500};
    const size_t sizes[] = {1, 2, 3, 95, 96, 97, 1195, 1196, 1197, 2392, 2393, 9999, 20000};
    fill(frame, sizeof(frame), true);
    for (size_t m = 0; m < sizeof(mtus) / sizeof(mtus[0]); m++) {
        struct vp8_pack p;
        struct vp8_pack_cfg c = cfg_default(mtus[m]);
        assert_int_equal(vp8_pack_init(&p, &c), 0);
        for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
            struct vp8_pack_frame f = {.data = frame, .len = sizes[s]};
            size_t room = mtus[m] - 4;
            unsigned want = (unsigned)((sizes[s] + room - 1) / room);
            assert_int_equal(vp8_pack_count(&p, sizes[s]), want);
            assert_int_equal(split_and_check(&p, &f, pkts, 20000), want);
            for (unsigned i = 0; i < want; i++) /* balanced within one byte */
                assert_true(pkts[0].len - pkts[i].len <= 1);
        }
    }
}

static void test_mtu_edges_and_misuse(void **state)
{
    (void)state;
    struct vp8_pack p;
    struct vp8_pack_cfg c = cfg_default(4);
    assert_int_equal(vp8_pack_init(&p, &c), -EINVAL); /* no room for data */
    c.mtu = 6;
    c.temporal = true;
    assert_int_equal(vp8_pack_init(&p, &c), -EINVAL);
    c.temporal = false;
    c.picture_id = 0x8000;
    assert_int_equal(vp8_pack_init(&p, &c), -EINVAL);
    c = cfg_default(5);
    assert_int_equal(vp8_pack_init(&p, &c), 0);
    uint8_t frame[3] = {0x00, 1, 2};
    struct vp8_pack_frame f = {.data = frame, .len = 0};
    assert_int_equal(vp8_pack_start(&p, &f), -EINVAL);
    f.len = 3;
    f.tid = 4;
    assert_int_equal(vp8_pack_start(&p, &f), -EINVAL);
    f.tid = 0;
    assert_int_equal(vp8_pack_start(&p, &f), 0);
    assert_int_equal(vp8_pack_start(&p, &f), -EINVAL); /* busy */
    uint8_t buf[5];
    struct vp8_pack_pkt pkt;
    assert_int_equal(vp8_pack_poll_payload(&p, buf, 4, &pkt), -ENOSPC);
    assert_int_equal(vp8_pack_poll_payload(&p, NULL, 0, &pkt), -ENOSPC);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(vp8_pack_poll_payload(&p, buf, sizeof(buf), &pkt), 1);
        assert_int_equal(pkt.len, 5);
        assert_int_equal(buf[4], frame[i]);
        assert_int_equal(pkt.seq, 1000 + i);
    }
    assert_true(pkt.marker);
    assert_int_equal(vp8_pack_poll_payload(&p, buf, sizeof(buf), &pkt), 0);
}

static void test_picture_id_wrap_and_timestamps(void **state)
{
    (void)state;
    struct vp8_pack p;
    struct vp8_pack_cfg c = cfg_default(1200);
    c.picture_id = 0x7ffe;
    c.first_ts = 0xffffff00u;
    c.first_seq = 65535;
    assert_int_equal(vp8_pack_init(&p, &c), 0);
    uint8_t frame[2000];
    fill(frame, sizeof(frame), false);
    const uint16_t want_pid[] = {0x7ffe, 0x7fff, 0, 1};
    /* 90 kHz: 1 s is 90000 ticks, 33333 us is 2999 ticks. */
    const int64_t cap[] = {1000000, 1033333, 2000000, 2000100};
    const uint32_t want_ts[] = {0xffffff00u, 0xffffff00u + 2999, 0xffffff00u + 90000,
                                0xffffff00u + 90009};
    uint16_t seq = 65535;
    for (int i = 0; i < 4; i++) {
        struct vp8_pack_frame f = {.data = frame, .len = sizeof(frame), .capture_us = cap[i]};
        struct vp8_pack_pkt pkts[4];
        assert_int_equal(split_and_check(&p, &f, pkts, 4), 2);
        assert_int_equal(pkts[0].picture_id, want_pid[i]);
        assert_int_equal(pkts[0].ts, want_ts[i]);
        assert_int_equal(pkts[0].seq, seq);
        seq = (uint16_t)(seq + 2);
    }
}

static void test_temporal_fields(void **state)
{
    (void)state;
    struct vp8_pack p;
    struct vp8_pack_cfg c = cfg_default(100);
    c.temporal = true;
    c.tl0picidx = 255;
    assert_int_equal(vp8_pack_desc_len(&c), 6);
    assert_int_equal(vp8_pack_init(&p, &c), 0);
    uint8_t frame[150];
    fill(frame, sizeof(frame), false);
    const uint8_t tids[] = {0, 2, 1, 2, 0};
    const uint8_t want_tl0[] = {255, 255, 255, 255, 0};
    for (int i = 0; i < 5; i++) {
        struct vp8_pack_frame f = {.data = frame,
                                   .len = sizeof(frame),
                                   .tid = tids[i],
                                   .layer_sync = i == 1,
                                   .non_ref = tids[i] == 2};
        assert_int_equal(vp8_pack_start(&p, &f), 0);
        uint8_t buf[100];
        struct vp8_pack_pkt pkt;
        int n = 0;
        while (vp8_pack_poll_payload(&p, buf, sizeof(buf), &pkt) == 1) {
            struct vp8_desc d;
            assert_int_equal(vp8_desc_parse(buf, pkt.len, &d), 0);
            /* RFC 7741 §4.2: L requires T. */
            assert_true(d.has_tl0picidx && d.has_tid);
            assert_int_equal(d.desc_len, 6);
            assert_int_equal(d.tl0picidx, want_tl0[i]);
            assert_int_equal(d.tid, tids[i]);
            assert_int_equal(d.y, i == 1);
            assert_int_equal(d.n, tids[i] == 2);
            n++;
        }
        assert_int_equal(n, 2);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_packet_descriptor_bytes),
        cmocka_unit_test(test_balanced_split),
        cmocka_unit_test(test_sizes_and_mtus),
        cmocka_unit_test(test_mtu_edges_and_misuse),
        cmocka_unit_test(test_picture_id_wrap_and_timestamps),
        cmocka_unit_test(test_temporal_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
