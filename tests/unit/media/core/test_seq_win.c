#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/core/mem.h"
#include "media/core/seq_win.h"

/* Payload of a test packet: its sequence number, then a fill byte. */
static size_t make_payload(uint16_t seq, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(seq + i * 31);
    if (len >= 2) {
        buf[0] = (uint8_t)(seq >> 8);
        buf[1] = (uint8_t)seq;
    }
    return len;
}

static enum seq_win_verdict ins_ext(struct seq_win *w, uint16_t seq, int64_t *ext)
{
    uint8_t buf[8];
    struct seq_win_pkt p = {.seq = seq,
                            .ts = (uint32_t)seq * 3000u,
                            .marker = seq & 1,
                            .data = buf,
                            .len = make_payload(seq, buf, sizeof(buf)),
                            .stamp = (int64_t)seq * 1000 - 7,
                            .aux = 0xa5000000u | seq};
    return seq_win_insert(w, &p, ext);
}

static enum seq_win_verdict ins(struct seq_win *w, uint16_t seq)
{
    return ins_ext(w, seq, NULL);
}

/* Pop the head and check it is the packet with sequence number seq. */
static void pop_pkt(struct seq_win *w, uint16_t seq)
{
    struct seq_win_slot s;
    int64_t head = w->head;
    assert_true(seq_win_pop(w, &s));
    assert_int_equal(s.ext, head);
    assert_int_equal((uint16_t)s.ext, seq);
    uint8_t want[8];
    make_payload(seq, want, sizeof(want));
    assert_int_equal(s.len, 8);
    assert_memory_equal(s.data, want, 8);
    assert_int_equal(s.ts, (uint32_t)seq * 3000u);
    assert_int_equal(s.marker, seq & 1);
    assert_int_equal(s.stamp, (int64_t)seq * 1000 - 7);
    assert_int_equal(s.aux, 0xa5000000u | seq);
}

static void pop_hole(struct seq_win *w)
{
    struct seq_win_slot s;
    assert_false(seq_win_pop(w, &s));
}

/* inserted == late + dup + stray + overflow + reset + popped + held */
static void check_identity(const struct seq_win *w, uint64_t inserted, uint64_t popped)
{
    const struct seq_win_counts *c = &w->counts;
    assert_int_equal(inserted,
                     c->late + c->dup + c->stray + c->overflow + c->reset + popped + w->held);
}

static void test_init_args(void **state)
{
    (void)state;
    struct seq_win w;
    const unsigned bad_win[] = {0, 8, 15, 17, 100, 8192, 4097};
    for (size_t i = 0; i < sizeof(bad_win) / sizeof(bad_win[0]); i++)
        assert_int_equal(seq_win_init(&w, bad_win[i], 100), -EINVAL);
    assert_int_equal(seq_win_init(&w, 16, 0), -EINVAL);
    assert_int_equal(seq_win_init(&w, 16, 65536), -EINVAL);
    seq_win_fini(&w); /* optional after an error, and harmless */
    long live = mem_live_count();
    assert_int_equal(seq_win_init(&w, 16, 1), 0);
    seq_win_fini(&w);
    seq_win_fini(&w); /* twice is harmless */
    assert_int_equal(seq_win_init(&w, 4096, 65535), 0);
    seq_win_fini(&w);
    assert_int_equal(mem_live_count(), live);
}

static void test_init_enomem(void **state)
{
    (void)state;
    long live = mem_live_count();
    unsigned long nth;
    for (nth = 1;; nth++) {
        struct seq_win w;
        mem_fail_nth(nth);
        int rc = seq_win_init(&w, 64, 1200);
        mem_fail_nth(0);
        if (rc == 0) {
            seq_win_fini(&w);
            break;
        }
        assert_int_equal(rc, -ENOMEM);
        assert_null(w.slots);
        assert_null(w.pool);
        assert_int_equal(mem_live_count(), live);
    }
    assert_int_equal(nth, 3); /* two allocations: slots and payload pool */
    assert_int_equal(mem_live_count(), live);
}

static void test_in_order(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    int64_t ext = -1;
    for (uint16_t s = 1000; s < 1040; s++) {
        assert_int_equal(ins_ext(&w, s, &ext), SEQ_WIN_STORED);
        assert_int_equal(ext, s);
        assert_int_equal(w.highest, s);
        assert_non_null(seq_win_get(&w, s));
        assert_null(seq_win_get(&w, s + 16)); /* same ring slot, other number */
        pop_pkt(&w, s);
        assert_null(seq_win_get(&w, s));
    }
    assert_int_equal(w.held, 0);
    assert_int_equal(w.head, 1040);
    check_identity(&w, 40, 40);
    seq_win_fini(&w);
}

static void test_too_big_and_empty(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 4), 0);
    uint8_t buf[5] = {1, 2, 3, 4, 5};
    struct seq_win_pkt p = {.seq = 7, .data = buf, .len = 5};
    assert_int_equal(seq_win_insert(&w, &p, NULL), SEQ_WIN_TOO_BIG);
    assert_false(w.started); /* refused before anything else */
    assert_int_equal(w.held, 0);
    p.len = 0;
    p.data = NULL;
    assert_int_equal(seq_win_insert(&w, &p, NULL), SEQ_WIN_STORED);
    p.seq = 8;
    p.data = buf;
    p.len = 4;
    assert_int_equal(seq_win_insert(&w, &p, NULL), SEQ_WIN_STORED);
    struct seq_win_slot s;
    assert_true(seq_win_pop(&w, &s));
    assert_int_equal(s.len, 0);
    assert_true(seq_win_pop(&w, &s));
    assert_int_equal(s.len, 4);
    assert_memory_equal(s.data, buf, 4);
    seq_win_fini(&w);
}

static void test_reorder_and_start_moves_back(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 100), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 103), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 98), SEQ_WIN_STORED); /* before the first: head moves back */
    assert_int_equal(w.head, 98);
    assert_int_equal(ins(&w, 102), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 101), SEQ_WIN_STORED);
    assert_int_equal(w.held, 5);
    pop_pkt(&w, 98);
    /* Once something was consumed the head no longer moves back. */
    assert_int_equal(ins(&w, 97), SEQ_WIN_LATE);
    pop_hole(&w); /* 99 */
    assert_int_equal(ins(&w, 99), SEQ_WIN_LATE);
    for (uint16_t s = 100; s <= 103; s++)
        pop_pkt(&w, s);
    assert_int_equal(w.counts.late, 2);
    check_identity(&w, 7, 5);
    seq_win_fini(&w);
}

static void test_move_back_limited_to_window(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 1000), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 1010), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 995), SEQ_WIN_STORED); /* 1010 - 995 = 15 < 16 */
    assert_int_equal(w.head, 995);
    assert_int_equal(ins(&w, 994), SEQ_WIN_LATE); /* would not fit beside 1010 */
    assert_int_equal(w.head, 995);
    seq_win_fini(&w);
}

static void test_duplicates(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 5), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 5), SEQ_WIN_DUP);
    assert_int_equal(ins(&w, 7), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 7), SEQ_WIN_DUP);
    pop_pkt(&w, 5);
    assert_int_equal(ins(&w, 5), SEQ_WIN_LATE); /* once consumed: late, not a duplicate */
    assert_int_equal(w.counts.dup, 2);
    assert_int_equal(w.counts.late, 1);
    check_identity(&w, 5, 1);
    seq_win_fini(&w);
}

static void test_wrap(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    int64_t ext;
    assert_int_equal(ins_ext(&w, 65533, &ext), SEQ_WIN_STORED);
    assert_int_equal(ext, 65533);
    assert_int_equal(ins_ext(&w, 0, &ext), SEQ_WIN_STORED);
    assert_int_equal(ext, 65536);
    assert_int_equal(ins_ext(&w, 65535, &ext), SEQ_WIN_STORED); /* reordered across the wrap */
    assert_int_equal(ext, 65535);
    assert_int_equal(ins_ext(&w, 2, &ext), SEQ_WIN_STORED);
    assert_int_equal(ext, 65538);
    assert_int_equal(ins_ext(&w, 65534, &ext), SEQ_WIN_STORED);
    assert_int_equal(ext, 65534);
    pop_pkt(&w, 65533);
    pop_pkt(&w, 65534);
    pop_pkt(&w, 65535);
    pop_pkt(&w, 0);
    pop_hole(&w); /* 1 */
    assert_int_equal(ins(&w, 1), SEQ_WIN_LATE);
    pop_pkt(&w, 2);
    /* Many cycles later the numbers keep counting up. */
    for (unsigned i = 3; i < 3 * 65536u; i++) {
        assert_int_equal(ins_ext(&w, (uint16_t)i, &ext), SEQ_WIN_STORED);
        assert_int_equal(ext, 65536 + (int64_t)i);
        assert_true(seq_win_pop(&w, NULL));
    }
    seq_win_fini(&w);
}

static void test_mark_lost(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    seq_win_mark_lost(&w, 3); /* not started: ignored */
    assert_false(w.started);
    assert_int_equal(ins(&w, 10), SEQ_WIN_STORED);
    seq_win_mark_lost(&w, 10); /* held: ignored */
    assert_false(seq_win_marked_lost(&w, 10));
    assert_non_null(seq_win_get(&w, 10));
    seq_win_mark_lost(&w, 12);
    assert_true(seq_win_marked_lost(&w, 12));
    assert_false(seq_win_marked_lost(&w, 11));
    assert_false(seq_win_marked_lost(&w, 28)); /* same slot, other number */
    assert_int_equal(w.highest, 12);           /* marks move `highest` forward */
    seq_win_mark_lost(&w, 26);                 /* 10 + 16: outside the window */
    assert_false(seq_win_marked_lost(&w, 26));
    seq_win_mark_lost(&w, 9); /* behind the head */
    assert_false(seq_win_marked_lost(&w, 9));
    assert_int_equal(w.highest, 12);
    /* A packet that arrives after all replaces the mark. */
    assert_int_equal(ins(&w, 12), SEQ_WIN_STORED);
    assert_false(seq_win_marked_lost(&w, 12));
    seq_win_mark_lost(&w, 11);
    pop_pkt(&w, 10);
    assert_true(seq_win_marked_lost(&w, 11));
    pop_hole(&w); /* 11, the mark is cleared */
    assert_false(seq_win_marked_lost(&w, 11));
    pop_pkt(&w, 12);
    assert_int_equal(w.held, 0);
    seq_win_fini(&w);
    /* Across the wrap. */
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 65534), SEQ_WIN_STORED);
    seq_win_mark_lost(&w, 1);
    assert_true(seq_win_marked_lost(&w, 65537));
    assert_int_equal(w.highest, 65537);
    int64_t ext;
    assert_int_equal(ins_ext(&w, 2, &ext), SEQ_WIN_STORED);
    assert_int_equal(ext, 65538);
    seq_win_fini(&w);
}

static void test_park_and_full(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 0), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 4), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 20), SEQ_WIN_STORED); /* 20 - 0 >= 16: parked */
    assert_true(w.parked);
    assert_int_equal(w.highest, 20);
    assert_null(seq_win_get(&w, 20));    /* the parked packet is not in the ring */
    assert_non_null(seq_win_get(&w, 4)); /* and 4, in the same ring slot, is intact */
    assert_true(seq_win_forced(&w, 0));
    assert_true(seq_win_forced(&w, 4));
    assert_false(seq_win_forced(&w, 5));
    assert_int_equal(ins(&w, 20), SEQ_WIN_DUP);
    assert_int_equal(ins(&w, 21), SEQ_WIN_FULL);
    assert_int_equal(ins(&w, 16), SEQ_WIN_FULL);
    assert_int_equal(ins(&w, 15), SEQ_WIN_STORED); /* inside the window */
    seq_win_mark_lost(&w, 20);                     /* parked: ignored */
    assert_int_equal(w.counts.overflow, 2);
    assert_int_equal(w.held, 4);
    pop_pkt(&w, 0);
    pop_hole(&w);
    pop_hole(&w);
    pop_hole(&w);
    assert_true(w.parked);
    pop_pkt(&w, 4); /* head 5: 20 fits now */
    assert_false(w.parked);
    assert_false(seq_win_forced(&w, 0));
    assert_non_null(seq_win_get(&w, 20));
    assert_int_equal(ins(&w, 21), SEQ_WIN_STORED);
    for (int s = 5; s < 15; s++)
        pop_hole(&w);
    pop_pkt(&w, 15);
    for (int s = 16; s < 20; s++)
        pop_hole(&w);
    pop_pkt(&w, 20);
    pop_pkt(&w, 21);
    assert_int_equal(w.held, 0);
    check_identity(&w, 8, 5);
    seq_win_fini(&w);
}

/* The popped packet's bytes survive the parked packet moving into its slot. */
static void test_pop_data_valid_until_insert(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 0), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 16), SEQ_WIN_STORED);
    assert_true(w.parked);
    struct seq_win_slot s;
    assert_true(seq_win_pop(&w, &s));
    assert_false(w.parked);
    uint8_t want[8];
    make_payload(0, want, 8);
    assert_memory_equal(s.data, want, 8);
    for (int i = 1; i < 16; i++)
        pop_hole(&w);
    assert_memory_equal(s.data, want, 8); /* pops do not touch it either */
    pop_pkt(&w, 16);
    seq_win_fini(&w);
}

static void test_stray_probation_and_restart(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 64, 8), 0);
    for (uint16_t s = 1000; s < 1005; s++)
        assert_int_equal(ins(&w, s), SEQ_WIN_STORED);
    pop_pkt(&w, 1000);
    int64_t ext;
    /* A jump of 3000 or more: held back. */
    assert_int_equal(ins_ext(&w, 4004, &ext), SEQ_WIN_PROBATION);
    assert_int_equal(ext, 4004);
    assert_int_equal(w.held, 5);
    assert_null(seq_win_get(&w, 4004));
    /* 2999 ahead of the newest is still in the stream (and parked). */
    assert_int_equal(ins(&w, 4003), SEQ_WIN_STORED);
    assert_true(w.parked);
    assert_int_equal(w.counts.stray, 1); /* the probation ended */
    assert_int_equal(w.held, 5);
    seq_win_fini(&w);

    assert_int_equal(seq_win_init(&w, 64, 8), 0);
    for (uint16_t s = 1000; s < 1005; s++)
        assert_int_equal(ins(&w, s), SEQ_WIN_STORED);
    pop_pkt(&w, 1000);
    assert_int_equal(ins(&w, 30000), SEQ_WIN_PROBATION);
    assert_int_equal(ins(&w, 30002), SEQ_WIN_PROBATION); /* not the successor */
    assert_int_equal(w.counts.stray, 1);
    assert_int_equal(ins(&w, 1005), SEQ_WIN_STORED); /* ends the probation */
    assert_int_equal(w.counts.stray, 2);
    assert_int_equal(ins(&w, 30003), SEQ_WIN_PROBATION);
    assert_int_equal(ins(&w, 30003), SEQ_WIN_PROBATION); /* a copy replaces it */
    assert_int_equal(w.counts.stray, 3);
    assert_int_equal(w.held, 6);
    assert_int_equal(ins_ext(&w, 30004, &ext), SEQ_WIN_RESTART);
    assert_int_equal(ext, 30004);
    assert_int_equal(w.counts.resets, 1);
    assert_int_equal(w.counts.reset, 5); /* 1001..1005 */
    assert_int_equal(w.held, 2);
    assert_int_equal(w.head, 30003);
    assert_true(w.fresh);
    pop_pkt(&w, 30003);
    pop_pkt(&w, 30004);
    assert_int_equal(ins(&w, 30005), SEQ_WIN_STORED);
    pop_pkt(&w, 30005);
    check_identity(&w, 12, 4);
    seq_win_fini(&w);
}

static void test_stray_behind(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    for (uint16_t s = 500; s < 700; s++) {
        assert_int_equal(ins(&w, s), SEQ_WIN_STORED);
        pop_pkt(&w, s);
    }
    assert_int_equal(ins(&w, 599), SEQ_WIN_LATE);      /* 100 behind the newest */
    assert_int_equal(ins(&w, 598), SEQ_WIN_PROBATION); /* 101 behind */
    /* The sender went back: 598, 599 is a restart. */
    assert_int_equal(ins(&w, 599), SEQ_WIN_RESTART);
    assert_int_equal(w.counts.reset, 0);
    pop_pkt(&w, 598);
    pop_pkt(&w, 599);
    assert_int_equal(ins(&w, 600), SEQ_WIN_STORED);
    pop_pkt(&w, 600);
    seq_win_fini(&w);
}

/* A stale copy of the packet before the head is stray (more than 100
 * behind the newest); the packet at the head right after it is its
 * successor, but in the window: no restart. */
static void test_successor_in_window_is_no_restart(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 256, 8), 0);
    assert_int_equal(ins(&w, 10), SEQ_WIN_STORED);
    pop_pkt(&w, 10);
    for (uint16_t s = 12; s < 150; s++) /* 11 missing: the head waits */
        assert_int_equal(ins(&w, s), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 10), SEQ_WIN_PROBATION);
    assert_int_equal(ins(&w, 11), SEQ_WIN_STORED); /* a retransmission */
    assert_int_equal(w.counts.resets, 0);
    assert_int_equal(w.counts.stray, 1);
    pop_pkt(&w, 11);
    pop_pkt(&w, 12);
    seq_win_fini(&w);
}

/* Any packet other than the successor ends the probation, a late one too. */
static void test_probation_ended_by_late(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    for (uint16_t s = 10; s < 14; s++)
        assert_int_equal(ins(&w, s), SEQ_WIN_STORED);
    pop_pkt(&w, 10);
    assert_int_equal(ins(&w, 40000), SEQ_WIN_PROBATION);
    assert_int_equal(ins(&w, 10), SEQ_WIN_LATE);
    assert_int_equal(w.counts.stray, 1);
    assert_int_equal(ins(&w, 40001), SEQ_WIN_PROBATION); /* no longer a successor */
    assert_int_equal(ins(&w, 12), SEQ_WIN_DUP);          /* a duplicate ends it too */
    assert_int_equal(ins(&w, 40002), SEQ_WIN_PROBATION);
    assert_int_equal(w.counts.stray, 2);
    assert_int_equal(w.counts.resets, 0);
    check_identity(&w, 9, 1);
    seq_win_fini(&w);
}

/* Restart drops a parked packet and marks too. */
static void test_restart_drops_parked(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 16, 8), 0);
    assert_int_equal(ins(&w, 10), SEQ_WIN_STORED);
    assert_int_equal(ins(&w, 40), SEQ_WIN_STORED);
    assert_true(w.parked);
    seq_win_mark_lost(&w, 12);
    assert_int_equal(ins(&w, 20000), SEQ_WIN_PROBATION);
    assert_int_equal(ins(&w, 20001), SEQ_WIN_RESTART);
    assert_false(w.parked);
    assert_int_equal(w.counts.reset, 2);
    assert_false(seq_win_marked_lost(&w, 12));
    assert_int_equal(w.highest, 20001);
    pop_pkt(&w, 20000);
    pop_pkt(&w, 20001);
    assert_int_equal(w.held, 0);
    seq_win_fini(&w);
}

/* A small deterministic generator for the soak test. */
static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* Random arrivals around a moving point: every pop is in order, carries the
 * bytes its sequence number was inserted with, and the counts add up. */
static void test_soak_identity(void **state)
{
    (void)state;
    struct seq_win w;
    assert_int_equal(seq_win_init(&w, 32, 8), 0);
    uint32_t r = 12345;
    uint64_t inserted = 0, popped = 0;
    uint16_t base = 65000;
    int64_t last = INT64_MIN;
    for (int i = 0; i < 200000; i++) {
        uint32_t x = rnd(&r);
        uint16_t seq = (uint16_t)(base + (x % 48) - 8);
        if (x % 997 == 0)
            seq = (uint16_t)(seq + 20000); /* now and then a wild one */
        if (ins(&w, seq) != SEQ_WIN_TOO_BIG)
            inserted++;
        if (x % 3 == 0)
            base++;
        if (rnd(&r) % 7 == 0)
            seq_win_mark_lost(&w, (uint16_t)(base + rnd(&r) % 40));
        while (w.held > 0 && (w.head < w.highest - 24 || seq_win_forced(&w, w.head))) {
            struct seq_win_slot s;
            int64_t h = w.head;
            if (seq_win_pop(&w, &s)) {
                popped++;
                assert_true(h > last || w.counts.resets > 0);
                last = h;
                uint8_t want[8];
                make_payload((uint16_t)s.ext, want, 8);
                assert_memory_equal(s.data, want, 8);
            }
        }
        check_identity(&w, inserted, popped);
    }
    assert_true(popped > 50000);
    seq_win_fini(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_args),
        cmocka_unit_test(test_init_enomem),
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_too_big_and_empty),
        cmocka_unit_test(test_reorder_and_start_moves_back),
        cmocka_unit_test(test_move_back_limited_to_window),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_mark_lost),
        cmocka_unit_test(test_park_and_full),
        cmocka_unit_test(test_pop_data_valid_until_insert),
        cmocka_unit_test(test_stray_probation_and_restart),
        cmocka_unit_test(test_stray_behind),
        cmocka_unit_test(test_successor_in_window_is_no_restart),
        cmocka_unit_test(test_probation_ended_by_late),
        cmocka_unit_test(test_restart_drops_parked),
        cmocka_unit_test(test_soak_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
