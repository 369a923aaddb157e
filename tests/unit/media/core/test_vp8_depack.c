/* vp8_depack: configuration, reassembly of whole streams in and out of
 * order, PictureID continuity, key frames, malformed input. Loss and the
 * window's limits are in test_vp8_depack_loss.c. */
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

static void test_create_args_and_enomem(void **state)
{
    (void)state;
    struct vp8_depack *d = (struct vp8_depack *)1;
    const struct vp8_depack_cfg bad[] = {
        {.window = 8},
        {.window = 24},
        {.window = 8192},
        {.window = 4097},
        {.window = 16, .reorder = 17},
        {.max_payload = 1},
        {.max_payload = 65536},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(vp8_depack_create(&bad[i], &d), -EINVAL);
        assert_null(d);
    }
    assert_int_equal(vp8_depack_create(NULL, NULL), -EINVAL);
    long live = mem_live_count();
    assert_int_equal(vp8_depack_create(NULL, &d), 0); /* defaults */
    vp8_depack_destroy(d);
    const struct vp8_depack_cfg big = {.window = 4096, .reorder = 4096, .max_payload = 2};
    assert_int_equal(vp8_depack_create(&big, &d), 0);
    vp8_depack_destroy(d);
    vp8_depack_destroy(NULL);
    unsigned long nth;
    for (nth = 1;; nth++) {
        mem_fail_nth(nth);
        int rc = vp8_depack_create(NULL, &d);
        mem_fail_nth(0);
        if (rc == 0)
            break;
        assert_int_equal(rc, -ENOMEM);
        assert_null(d);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(nth, 4); /* the object, the slots, the payload pool */
    vp8_depack_destroy(d);
    assert_int_equal(mem_live_count(), live);
}

static void test_single_packet_key_frame(void **state)
{
    (void)state;
    const size_t sizes[] = {300};
    gen(1200, 1000, 0x1234, sizes, "K");
    struct vp8_depack *d = mk(0, 0, 0);
    assert_true(vp8_depack_waiting_for_key(d));
    assert_int_equal(feed(d, 0), 0);
    struct vp8_depack_frame f;
    assert_int_equal(vp8_depack_poll_frame(d, out, sizeof(out), &f), 1);
    assert_int_equal(f.len, 300);
    assert_memory_equal(out, fr[0].data, 300);
    assert_int_equal(f.ts, 0xfffff000u);
    assert_int_equal(f.first_seq, 1000);
    assert_int_equal(f.last_seq, 1000);
    assert_int_equal(f.packets, 1);
    assert_true(f.keyframe && f.has_picture_id);
    assert_int_equal(f.picture_id, 0x1234);
    assert_false(vp8_depack_waiting_for_key(d));
    assert_int_equal(vp8_depack_poll_frame(d, out, sizeof(out), &f), 0);
    assert_int_equal(count_events(d, VP8_DEPACK_EV_KEY_NEEDED), 0);
    assert_int_equal(vp8_depack_held(d), 0);
    check_identity(d);
    vp8_depack_destroy(d);
}

/* Key frame and deltas over many packets, wrapping the sequence number,
 * the timestamp and the 15-bit PictureID. */
static void test_split_in_order_with_wraps(void **state)
{
    (void)state;
    const size_t sizes[] = {9000, 2000, 1, 1500, 777, 20000, 96, 97};
    gen(100, 65500, 0x7ffc, sizes, "KDDDDDDD");
    struct vp8_depack *d = mk(512, 0, 100);
    for (unsigned i = 0; i < npk; i++) {
        assert_int_equal(feed(d, i), 0);
        drain(d);
    }
    for (unsigned i = 0; i < nfr; i++)
        assert_true(fr[i].got);
    assert_int_equal(fr[4].pid, 0); /* PictureID wrapped */
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.frames_out, 8);
    assert_int_equal(s.keyframes_out, 1);
    assert_int_equal(s.packets_emitted, npk);
    assert_true(npk > 300);
    assert_int_equal(count_events(d, VP8_DEPACK_EV_GAP), 0);
    check_identity(d);
    vp8_depack_destroy(d);
}

/* Each frame's packets arrive backwards, and every packet twice. */
static void test_reorder_and_duplicates(void **state)
{
    (void)state;
    const size_t sizes[] = {3000, 1000, 2500, 10, 4000};
    gen(200, 65530, 7, sizes, "KDDDD");
    struct vp8_depack *d = mk(64, 0, 200);
    for (unsigned f = 0; f < nfr; f++) {
        for (unsigned k = fr[f].count; k-- > 0;) {
            assert_int_equal(feed(d, fr[f].first + k), 0);
            assert_int_equal(feed(d, fr[f].first + k), 0);
        }
        assert_int_equal(drain(d), 1);
        assert_true(fr[f].got);
    }
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.packets_dup, npk);
    assert_int_equal(s.frames_out, 5);
    /* Once emitted, a copy is late. */
    assert_int_equal(feed(d, 3), 0);
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.packets_late, 1);
    check_identity(d);
    vp8_depack_destroy(d);
}

/* One-packet frames with given PictureIDs; 'x' in keys skips (loses) one. */
static unsigned run_pids(int bits, const uint16_t *pids, const char *keys)
{
    struct vp8_depack *d = mk(16, 1, 100);
    uint8_t buf[16];
    struct vp8_depack_frame f;
    unsigned got = 0;
    for (unsigned i = 0; keys[i]; i++) {
        if (keys[i] == 'x')
            continue;
        struct tpkt p;
        mkpkt(&p, (uint16_t)(65534 + i), 1000 * i, true, true, bits, pids[i], keys[i] == 'K');
        struct vp8_depack_pkt in = {p.seq, p.ts, true, p.b, p.len};
        assert_int_equal(vp8_depack_handle_packet(d, &in), 0);
        while (vp8_depack_poll_frame(d, buf, sizeof(buf), &f) == 1) {
            assert_int_equal(f.has_picture_id, bits != 0);
            assert_int_equal(f.picture_id, pids[i]);
            got |= 1u << i;
        }
    }
    check_identity(d);
    vp8_depack_destroy(d);
    return got;
}

static void test_picture_id_continuity(void **state)
{
    (void)state;
    const uint16_t p7[] = {125, 126, 127, 0, 1, 2};
    const uint16_t p15[] = {0x7ffd, 0x7ffe, 0x7fff, 0, 1, 2};
    const uint16_t none[] = {0, 0, 0, 0, 0, 0};
    assert_int_equal(run_pids(7, p7, "KDDDDD"), 0x3f);
    assert_int_equal(run_pids(15, p15, "KDDDDD"), 0x3f);
    assert_int_equal(run_pids(0, none, "KDDDDD"), 0x3f);
    /* A whole frame lost: the next delta frame is undecodable. */
    assert_int_equal(run_pids(7, p7, "KDxDDK"), 0x23);
    assert_int_equal(run_pids(15, p15, "KDDxDD"), 0x07);
    assert_int_equal(run_pids(0, none, "KxDDKD"), 0x31);
    /* A PictureID that does not follow, with nothing lost. */
    const uint16_t jump[] = {10, 11, 13, 14, 15, 16};
    assert_int_equal(run_pids(7, jump, "KDDDKD"), 0x33);
    /* Delta frames before the first key frame are discarded. */
    assert_int_equal(run_pids(15, p15, "DDKDDD"), 0x3c);
}

static void test_key_request_once_per_wait(void **state)
{
    (void)state;
    struct vp8_depack *d = mk(16, 1, 100);
    uint8_t buf[16];
    struct vp8_depack_frame f;
    for (unsigned i = 0; i < 6; i++) {
        struct tpkt p;
        mkpkt(&p, (uint16_t)i, i, true, true, 15, (uint16_t)i, i == 3);
        struct vp8_depack_pkt in = {p.seq, p.ts, true, p.b, p.len};
        assert_int_equal(vp8_depack_handle_packet(d, &in), 0);
        int rc = vp8_depack_poll_frame(d, buf, sizeof(buf), &f);
        assert_int_equal(rc, i >= 3);
        if (rc == 1)
            assert_int_equal(f.keyframe, i == 3);
    }
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.frames_undecodable, 3);
    assert_int_equal(s.key_requests, 1);
    assert_int_equal(count_events(d, VP8_DEPACK_EV_KEY_NEEDED), 1);
    vp8_depack_destroy(d);
}

/* Malformed packets are refused and change nothing. */
static void test_bad_packets(void **state)
{
    (void)state;
    const size_t sizes[] = {600, 600};
    gen(100, 10, 3, sizes, "KD");
    struct vp8_depack *d = mk(32, 0, 100);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(feed(d, i), 0);
    const uint8_t cut[][4] = {{0x80}, {0x90, 0x80}, {0x90, 0x80, 0x81}, {0x90, 0xe0, 0x81, 0x02}};
    const size_t cut_len[] = {1, 2, 3, 4};
    unsigned held = vp8_depack_held(d);
    for (unsigned i = 0; i < 4; i++) {
        /* The sequence number of a missing packet and of one held. */
        struct vp8_depack_pkt p = {pk[3 + i % 2].seq, pk[3].ts, false, cut[i], cut_len[i]};
        assert_int_equal(vp8_depack_handle_packet(d, &p), -EBADMSG);
        p.seq = (uint16_t)(pk[2].seq - i % 2);
        assert_int_equal(vp8_depack_handle_packet(d, &p), -EBADMSG);
        p.seq = 40000; /* would have been stray */
        assert_int_equal(vp8_depack_handle_packet(d, &p), -EBADMSG);
    }
    struct vp8_depack_pkt big = {pk[3].seq, pk[3].ts, false, pk[3].b, 101};
    assert_int_equal(vp8_depack_handle_packet(d, &big), -EMSGSIZE);
    struct vp8_depack_pkt nul = {pk[3].seq, pk[3].ts, false, NULL, 5};
    assert_int_equal(vp8_depack_handle_packet(d, &nul), -EINVAL);
    assert_int_equal(vp8_depack_handle_packet(d, NULL), -EINVAL);
    assert_int_equal(vp8_depack_handle_packet(NULL, &big), -EINVAL);
    assert_int_equal(vp8_depack_held(d), held);
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.packets_bad, 13);
    assert_int_equal(s.packets_stray + s.packets_late + s.packets_dup, 0);
    assert_int_equal(count_events(d, VP8_DEPACK_EV_GAP), 0);
    for (unsigned i = 3; i < npk; i++)
        assert_int_equal(feed(d, i), 0);
    assert_int_equal(drain(d), 2);
    check_identity(d);
    struct vp8_depack_frame f;
    assert_int_equal(vp8_depack_poll_frame(NULL, out, 1, &f), -EINVAL);
    assert_int_equal(vp8_depack_poll_frame(d, out, 1, NULL), -EINVAL);
    assert_false(vp8_depack_poll_event(d, NULL));
    vp8_depack_handle_lost(NULL, 1);
    vp8_depack_destroy(d);
}

static void test_frame_too_big_for_buffer(void **state)
{
    (void)state;
    const size_t sizes[] = {5000, 100, 100, 4000};
    gen(1000, 1, 1, sizes, "KDDK");
    struct vp8_depack *d = mk(32, 0, 1000);
    feed_all(d);
    struct vp8_depack_frame f;
    assert_int_equal(vp8_depack_poll_frame(d, out, 4999, &f), -ENOSPC);
    assert_int_equal(f.len, 5000);
    assert_true(f.keyframe);
    assert_true(vp8_depack_waiting_for_key(d));
    /* Deltas after a dropped frame are undecodable; the key frame is not,
     * but it has no room either. */
    assert_int_equal(vp8_depack_poll_frame(d, NULL, 0, &f), -ENOSPC);
    assert_int_equal(f.len, 4000);
    assert_int_equal(vp8_depack_poll_frame(d, out, sizeof(out), &f), 0);
    struct vp8_depack_stats s;
    vp8_depack_get_stats(d, &s);
    assert_int_equal(s.frames_too_big, 2);
    assert_int_equal(s.frames_undecodable, 2);
    assert_int_equal(s.frames_out, 0);
    check_identity(d);
    vp8_depack_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_args_and_enomem),
        cmocka_unit_test(test_single_packet_key_frame),
        cmocka_unit_test(test_split_in_order_with_wraps),
        cmocka_unit_test(test_reorder_and_duplicates),
        cmocka_unit_test(test_picture_id_continuity),
        cmocka_unit_test(test_key_request_once_per_wait),
        cmocka_unit_test(test_bad_packets),
        cmocka_unit_test(test_frame_too_big_for_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
