/* seq_win — a window of RTP packets of one stream, kept in sequence order:
 * the storage and the admission rules the jitter buffer (jitbuf) and the
 * VP8 depacketizer (vp8_depack) share.
 *
 * Packets are copied into a ring of `window` slots indexed by extended
 * sequence number (rtp_seq unwrapping, so wraparound is invisible). The
 * owner reads the slot at the head (seq_win_get) and consumes the head, a
 * packet or a hole, with seq_win_pop. Admission (RFC 3550 A.1):
 *  - a packet behind the head is late; a copy of one held is a duplicate;
 *  - a jump of MAX_DROPOUT (3000) or more ahead, or a packet more than
 *    MAX_MISORDER (100) behind the newest and out of the window, is stray:
 *    it is held back on probation. If the very next packet is its successor
 *    (seq + 1) and does not fit the window either (stray or late), the
 *    sender restarted: everything else held is dropped and the window
 *    starts over from the two. Any other packet (stored, late, duplicate,
 *    or stray: that one takes its place) ends the probation and the stray
 *    packet is discarded;
 *  - until the first pop, a packet before the head moves the head back if
 *    it fits in the window with the newest (reordering at the start);
 *  - a packet `window` or more ahead of the head is parked in a spare slot;
 *    seq_win_forced() tells the owner to consume up to it, and seq_win_pop
 *    moves it into the ring once there is room. A second one while a packet
 *    is parked is refused (full).
 * The owner may mark a missing sequence number as given up
 * (seq_win_mark_lost); seq_win_marked_lost reads the mark. A packet that
 * arrives for a marked number is stored all the same (the mark goes).
 *
 * Ownership: struct seq_win is embedded in its owner; seq_win_init
 * allocates the slots and their payload storage (mem.h), nothing else
 * allocates. A popped packet's data stays valid until the next insert.
 * Single-threaded.
 *
 * Every packet inserted is in exactly one place:
 *   inserted == late + dup + stray + overflow + reset + popped + held,
 * where the first five are struct seq_win_counts and `too big` is refused
 * before counting (the owner counts it).
 */
#ifndef CAU_SEQ_WIN_H
#define CAU_SEQ_WIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/rtp_seq.h"

#define SEQ_WIN_MAX_DROPOUT 3000
#define SEQ_WIN_MAX_MISORDER 100

enum seq_win_state { SEQ_WIN_EMPTY, SEQ_WIN_PACKET, SEQ_WIN_LOST };

struct seq_win_slot {
    int64_t ext;   /* extended sequence number */
    int64_t stamp; /* the owner's value carried with the packet */
    uint8_t *data; /* storage owned by the window */
    uint32_t aux;  /* the owner's bits carried with the packet */
    uint32_t ts;
    uint16_t len;
    bool marker;
    uint8_t state; /* enum seq_win_state */
};

struct seq_win_pkt {
    uint16_t seq;
    uint32_t ts;
    bool marker;
    const uint8_t *data;
    size_t len;
    int64_t stamp;
    uint32_t aux;
};

enum seq_win_verdict {
    SEQ_WIN_STORED,    /* held (perhaps parked) */
    SEQ_WIN_RESTART,   /* sender restart: stored with its predecessor, the rest dropped */
    SEQ_WIN_PROBATION, /* stray, held back */
    SEQ_WIN_LATE,
    SEQ_WIN_DUP,
    SEQ_WIN_FULL,    /* too far ahead while another packet is parked */
    SEQ_WIN_TOO_BIG, /* len over max_payload: not stored, not counted */
};

struct seq_win_counts {
    uint64_t late;
    uint64_t dup;
    uint64_t stray;    /* discarded after a failed probation */
    uint64_t overflow; /* refused as full */
    uint64_t reset;    /* dropped by a restart */
    uint64_t resets;   /* restarts */
};

struct seq_win {
    unsigned window;
    size_t max_payload;
    struct seq_win_slot *slots; /* the ring, then the parked and probation slots */
    uint8_t *pool;
    struct rtp_seq_unwrapper unwrap;
    bool started;
    bool fresh; /* nothing popped since the start */
    bool parked;
    bool probation;
    int64_t head;    /* next sequence number to consume */
    int64_t highest; /* newest sequence number stored or marked */
    unsigned held;   /* packets held, parked and probation included */
    struct seq_win_counts counts;
};

/* window: a power of two, 16..4096; max_payload 1..65535. -EINVAL, -ENOMEM
 * (then nothing is held and seq_win_fini is optional). */
__attribute__((warn_unused_result)) int seq_win_init(struct seq_win *w, unsigned window,
                                                     size_t max_payload);
void seq_win_fini(struct seq_win *w);

/* Admit one packet (copied). *ext (optional) gets its extended number. */
enum seq_win_verdict seq_win_insert(struct seq_win *w, const struct seq_win_pkt *p, int64_t *ext);

/* The packet held at ext, NULL if none (parked and probation excluded). */
const struct seq_win_slot *seq_win_get(const struct seq_win *w, int64_t ext);
/* Give up the missing seq: ignored unless it lies in the window and is not
 * held. Moves `highest` forward when beyond it. */
void seq_win_mark_lost(struct seq_win *w, uint16_t seq);
bool seq_win_marked_lost(const struct seq_win *w, int64_t ext);
/* The parked packet needs the head past ext. */
bool seq_win_forced(const struct seq_win *w, int64_t ext);

/* Consume the head. True with *out (optional) a copy of the packet's slot
 * when a packet was there, false for a hole. */
bool seq_win_pop(struct seq_win *w, struct seq_win_slot *out);

#endif
