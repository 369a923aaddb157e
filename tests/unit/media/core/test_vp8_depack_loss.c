/* vp8_depack under loss: a frame with a missing packet is dropped, never
 * cut; the window's limits, sender restarts, the event queue, and a random
 * soak. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/vp8_depack.h"
#include "tests/unit/media/core/vp8_depack_fixture.h"

/* Drop packet `lose` of frame 1 (of key, delta, delta, key): frame 1 never
 * comes out, frame 2 is undecodable, frame 3 (a key frame) resyncs. */
static void run_loss(unsigned lose, bool owner_gives_up)
{
    const size_t sizes[] = {1000, 1000, 1000, 1000};
    gen(110, 100, 50, sizes, "KDDK");
    struct vp8_depack *d = mk(64, owner_gives_up ? 0 : 3, 110);
    unsigned lost = fr[1].first + lose;
    for (unsigned i = 0; i < npk; i++) {
        if (i != lost)
            assert_int_equal(feed(d, i), 0);
        drain(d);
    }
    if (owner_gives_up) {
        assert_false(fr[3].got); /* waits for the missing packet */
        vp8_depack_handle_lost(d, pk[lost].seq);
        drain(d);
    }
    assert_true(fr[0].got && !fr[1].got && !fr[2].got && fr[3].got);
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.frames_incomplete, 1);
    assert_int_equal(s.frames_undecodable, 1);
    assert_int_equal(s.packets_lost, 1);
    assert_int_equal(s.key_requests, 1);
    assert_int_equal(s.packets_dropped, fr[1].count - 1 + fr[2].count);
    assert_false(vp8_depack_waiting_for_key(d));
    struct vp8_depack_event ev;
    assert_true(vp8_depack_poll_event(d, &ev));
    assert_int_equal(ev.kind, VP8_DEPACK_EV_GAP);
    assert_int_equal(ev.seq, pk[lost].seq);
    assert_int_equal(ev.count, 1);
    assert_true(vp8_depack_poll_event(d, &ev));
    assert_int_equal(ev.kind, VP8_DEPACK_EV_KEY_NEEDED);
    assert_false(vp8_depack_poll_event(d, &ev));
    assert_int_equal(vp8_depack_held(d), 0);
    check_identity(d);
    vp8_depack_destroy(d);
}

static void test_loss_in_frame(void **state)
{
    (void)state;
    /* 1000 bytes over 106-byte chunks: 10 packets per frame. */
    const unsigned where[] = {0, 1, 5, 9};
    for (unsigned i = 0; i < 4; i++) {
        run_loss(where[i], false); /* given up by the reorder rule */
        run_loss(where[i], true);  /* given up by the owner */
    }
}

/* A frame whose last packet is lost is not delivered even when the next
 * frame is complete right behind it. */
static void test_lost_marker_then_start(void **state)
{
    (void)state;
    const size_t sizes[] = {500, 500, 500};
    gen(200, 0, 0, sizes, "KKK");
    struct vp8_depack *d = mk(16, 16, 200);
    for (unsigned i = 0; i < npk; i++)
        if (i != fr[1].first + fr[1].count - 1)
            assert_int_equal(feed(d, i), 0);
    assert_int_equal(drain(d), 1); /* frame 2 waits behind the hole */
    vp8_depack_handle_lost(d, pk[fr[1].first + fr[1].count - 1].seq);
    assert_int_equal(drain(d), 1);
    assert_true(fr[0].got && !fr[1].got && fr[2].got);
    check_identity(d);
    vp8_depack_destroy(d);
}

/* The first packets of the stream arrive out of order, or the start of the
 * first frame never arrives. */
static void test_stream_start(void **state)
{
    (void)state;
    const size_t sizes[] = {1000, 1000};
    gen(300, 5000, 1, sizes, "KD");
    struct vp8_depack *d = mk(64, 8, 300);
    assert_int_equal(feed(d, 2), 0);
    assert_int_equal(feed(d, 0), 0); /* the start arrives second: 5001 is missing */
    struct vp8_depack_event ev;
    assert_true(vp8_depack_poll_event(d, &ev));
    assert_int_equal(ev.kind, VP8_DEPACK_EV_GAP);
    assert_int_equal(ev.seq, 5001);
    assert_int_equal(ev.count, 1);
    assert_int_equal(feed(d, 1), 0);
    assert_int_equal(drain(d), 0);
    assert_int_equal(feed(d, 3), 0);
    assert_int_equal(drain(d), 1);
    feed_all(d); /* copies of frame 0 are late now */
    assert_int_equal(drain(d), 1);
    assert_true(fr[0].got && fr[1].got);
    assert_false(vp8_depack_poll_event(d, &ev));
    vp8_depack_destroy(d);

    d = mk(64, 8, 300);
    for (unsigned i = 1; i < npk; i++)
        assert_int_equal(feed(d, i), 0);
    assert_int_equal(drain(d), 0);     /* waiting for a start within the reorder span */
    for (unsigned i = 0; i < 8; i++) { /* one-packet key frames */
        struct vp8_depack_pkt p = {pk[npk - 1].seq + 1 + i, 99 + i, true, pk[0].b, 20};
        assert_int_equal(vp8_depack_handle_packet(d, &p), 0);
    }
    struct vp8_depack_frame f;
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(vp8_depack_poll_frame(d, out, sizeof(out), &f), 1);
        assert_true(f.keyframe);
        assert_int_equal(f.ts, 99 + i);
        assert_int_equal(f.len, 16);
    }
    assert_int_equal(vp8_depack_poll_frame(d, out, sizeof(out), &f), 0);
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.frames_incomplete, 1);
    assert_int_equal(s.frames_undecodable, 1);
    assert_int_equal(s.packets_dropped, 7);
    check_identity(d);
    vp8_depack_destroy(d);
}

/* A packet beyond the window is parked; a second is refused until a poll
 * makes room; a frame longer than the window is dropped, never cut. */
static void test_window_overflow(void **state)
{
    (void)state;
    const size_t sizes[] = {100, 3000, 100};
    gen(120, 65530, 1, sizes, "KKK"); /* 1, 26 and 1 packets */
    struct vp8_depack *d = mk(16, 16, 120);
    for (unsigned i = 0; i < 17; i++)
        assert_int_equal(feed(d, i), 0);
    assert_int_equal(feed(d, 17), -ENOBUFS); /* 0..15 in the ring, 16 parked */
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.packets_overflow, 1);
    assert_int_equal(drain(d), 1);
    unsigned got = 0;
    for (unsigned i = 17; i < npk; i++) {
        assert_int_equal(feed(d, i), 0); /* polled in between: room every time */
        got += drain(d);
    }
    assert_int_equal(got, 1);
    assert_true(fr[0].got && !fr[1].got && fr[2].got);
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.frames_incomplete, 1);
    assert_int_equal(s.packets_dropped, 26);
    check_identity(d);
    vp8_depack_destroy(d);
}

/* RFC 3550 A.1: the sender restarts with new sequence numbers; the key
 * frame that starts the new stream comes out whole. */
static void test_sender_restart(void **state)
{
    (void)state;
    const size_t sizes[] = {500, 500, 500};
    gen(200, 1000, 1, sizes, "KDD");
    struct vp8_depack *d = mk(64, 0, 200);
    for (unsigned i = 0; i < fr[2].first + 1; i++)
        assert_int_equal(feed(d, i), 0);
    assert_int_equal(drain(d), 2);
    gen(200, 40000, 9, sizes, "KDD");
    feed_all(d);
    assert_int_equal(drain(d), 3);
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.resets, 1);
    assert_int_equal(s.packets_reset, 1); /* the start of the old frame 2 */
    assert_int_equal(s.packets_stray, 0);
    assert_int_equal(s.frames_out, 5);
    assert_int_equal(count_events(d, VP8_DEPACK_EV_KEY_NEEDED), 1);
    check_identity(d);
    vp8_depack_destroy(d);
}

static void test_event_queue_keeps_key_request(void **state)
{
    (void)state;
    struct vp8_depack *d = mk(256, 1, 200);
    uint8_t buf[16];
    struct vp8_depack_frame f;
    for (unsigned i = 0; i <= 20; i++) { /* then 20 gaps: more than the queue holds */
        struct tpkt p;
        mkpkt(&p, (uint16_t)(i ? 1 + 2 * i : 0), i, true, true, 15, i ? 9 : 0, i == 0);
        struct vp8_depack_pkt in = {p.seq, p.ts, true, p.b, p.len};
        assert_int_equal(vp8_depack_handle_packet(d, &in), 0);
        if (i == 0)
            assert_int_equal(vp8_depack_poll_frame(d, buf, sizeof(buf), &f), 1);
    }
    /* The deltas do not follow PictureID 0: undecodable. */
    assert_int_equal(vp8_depack_poll_frame(d, buf, sizeof(buf), &f), 0);
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.key_requests, 1);
    assert_int_equal(s.events_dropped, 5);
    struct vp8_depack_event ev;
    unsigned n = 0, key = 0;
    while (vp8_depack_poll_event(d, &ev)) {
        n++;
        key += ev.kind == VP8_DEPACK_EV_KEY_NEEDED;
    }
    assert_int_equal(n, 16);
    assert_int_equal(key, 1);
    vp8_depack_destroy(d);
}

/* Random loss, duplication and reordering: whatever comes out is a whole
 * frame of the stream, each only once, and only if all its packets came. */
static void test_soak_loss_reorder(void **state)
{
    (void)state;
    static size_t sizes[MAX_FRAMES];
    static char keys[MAX_FRAMES + 1];
    static bool arrived[MAX_PKTS];
    static unsigned order[MAX_PKTS];
    uint32_t r = 777;
    for (unsigned round = 0; round < 40; round++) {
        for (unsigned i = 0; i < MAX_FRAMES - 4; i++) {
            sizes[i] = 1 + rnd(&r) % 3000;
            keys[i] = i % 12 == 0 || rnd(&r) % 20 == 0 ? 'K' : 'D';
        }
        keys[MAX_FRAMES - 4] = 0;
        gen(300, (uint16_t)rnd(&r), (uint16_t)(rnd(&r) & 0x7fff), sizes, keys);
        static unsigned key[MAX_PKTS];
        for (unsigned i = 0; i < npk; i++) { /* each packet delayed by 0..5 places */
            key[i] = i + rnd(&r) % 6;
            unsigned j = i;
            for (; j > 0 && key[order[j - 1]] > key[i]; j--)
                order[j] = order[j - 1];
            order[j] = i;
        }
        memset(arrived, 0, sizeof(arrived));
        struct vp8_depack *d = mk(64, 1 + round % 40, 300);
        for (unsigned k = 0; k < npk; k++) {
            unsigned i = order[k], x = rnd(&r) % 100;
            if (x < (round % 4) * 3)
                continue; /* lost */
            arrived[i] = true;
            int rc = feed(d, i);
            assert_true(rc == 0 || rc == -ENOBUFS);
            if (rc == -ENOBUFS)
                arrived[i] = false;
            if (x >= 95)
                assert_true(feed(d, i) <= 0);
            if (x % 3)
                drain(d);
        }
        for (unsigned i = 0; i < npk; i++)
            if (!arrived[i])
                vp8_depack_handle_lost(d, pk[i].seq);
        drain(d);
        unsigned got = 0;
        for (unsigned f = 0; f < nfr; f++) {
            got += fr[f].got;
            for (unsigned k = 0; fr[f].got && k < fr[f].count; k++)
                assert_true(arrived[fr[f].first + k]);
        }
        if (round % 4 == 0 && 1 + round % 40 >= 6) /* no loss, reorder covered */
            assert_int_equal(got, nfr);
        assert_true(got > 0);
        assert_int_equal(vp8_depack_held(d), 0);
        check_identity(d);
        vp8_depack_destroy(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loss_in_frame),
        cmocka_unit_test(test_lost_marker_then_start),
        cmocka_unit_test(test_stream_start),
        cmocka_unit_test(test_window_overflow),
        cmocka_unit_test(test_sender_restart),
        cmocka_unit_test(test_event_queue_keeps_key_request),
        cmocka_unit_test(test_soak_loss_reorder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
