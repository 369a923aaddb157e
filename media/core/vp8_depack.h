/* vp8_depack — VP8 depacketizer and frame reassembler (RFC 7741 §4).
 *
 * Feed it the RTP packets of one VP8 stream (sequence number, timestamp,
 * marker, payload), in any order within a window; poll it for whole frames
 * (the VP8 payloads, descriptors stripped, concatenated into a caller
 * buffer) in sequence order, and for events the owner acts on: a gap in the
 * sequence numbers (NACK candidates) and "key frame needed" (send a PLI).
 *
 * A frame is complete when its packets run with contiguous sequence numbers
 * from a packet with S = 1 and PID = 0 to the packet carrying the marker,
 * all with the same timestamp. Packets are held until they form a frame or
 * are given up: a missing packet is lost when the owner says so
 * (vp8_depack_handle_lost, e.g. from the jitter buffer or when NACK gave up)
 * or when a packet cfg.reorder sequence numbers later has arrived. A frame
 * with a lost packet, without its start, or without its end is dropped.
 *
 * Decodability: the decoder must not get a delta frame after a lost frame.
 * The depacketizer starts out waiting for a key frame and enters that state
 * again when it drops a frame or when a complete delta frame does not
 * follow the last emitted one: with PictureIDs, its PictureID must be the
 * next one (modulo 2^7 or 2^15); without, no packet may have been lost
 * since. While waiting, complete delta frames are discarded (counted) and
 * a key frame ends the wait. One KEY_NEEDED event is queued each time the
 * wait begins; repeating the request while vp8_depack_waiting_for_key()
 * stays true is the owner's business (it has the clock).
 *
 * The window, its reordering and its sequence rules (RFC 3550 A.1 sender
 * restarts, wraparound, parking) are those of seq_win, which see. A restart
 * drops everything held but the two packets that confirmed it (the first
 * two of the new stream), and waits for a key frame.
 *
 * Events: a GAP for the numbers a stored packet skipped (above the newest,
 * or below the first packet when an earlier one arrives at the start). The
 * queue holds 16 events; when it is full an event is dropped
 * (events_dropped), except that a KEY_NEEDED replaces the newest GAP.
 *
 * Call order: after each vp8_depack_handle_packet / _handle_lost, poll
 * frames until 0 and events until false. A packet too far ahead for the
 * window is parked and the next poll makes room for it; a second one before
 * that poll is refused (-ENOBUFS).
 *
 * Ownership: vp8_depack_create allocates everything (through mem.h); the
 * packet path never allocates. Payloads are copied in; frames are copied
 * out into the caller's buffer. Single-threaded; the caller owns the object.
 *
 * Every packet handed in lands in exactly one counter bucket:
 *   packets_in == packets_bad + packets_late + packets_dup + packets_stray
 *                 + packets_overflow + packets_reset + packets_emitted
 *                 + packets_dropped + vp8_depack_held().
 */
#ifndef CAU_VP8_DEPACK_H
#define CAU_VP8_DEPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vp8_depack;

struct vp8_depack_cfg {
    unsigned window;    /* packets held: a power of two, 16..4096; 0 = 256 */
    unsigned reorder;   /* give up a missing packet once one this many later
                           has arrived: 1..window; 0 = window / 2. Behind a
                           jitter buffer, which hands packets over in
                           order, 1 */
    size_t max_payload; /* largest RTP payload accepted, 2..65535; 0 = 1500 */
};

struct vp8_depack_pkt {
    uint16_t seq;
    uint32_t ts;
    bool marker;
    const uint8_t *payload; /* RTP payload: VP8 descriptor + VP8 data */
    size_t len;
};

struct vp8_depack_frame {
    size_t len; /* bytes written (or, with -ENOSPC, needed) */
    uint32_t ts;
    uint16_t first_seq;
    uint16_t last_seq;
    unsigned packets;
    bool keyframe;
    bool has_picture_id;
    uint16_t picture_id;
};

enum vp8_depack_event_kind {
    VP8_DEPACK_EV_GAP,        /* seq .. seq + count - 1 are missing: NACK them */
    VP8_DEPACK_EV_KEY_NEEDED, /* the decoder lost sync: request a key frame */
};

struct vp8_depack_event {
    enum vp8_depack_event_kind kind;
    uint16_t seq;   /* GAP: first missing sequence number */
    uint16_t count; /* GAP: how many */
};

struct vp8_depack_stats {
    uint64_t packets_in;         /* every call of vp8_depack_handle_packet */
    uint64_t packets_bad;        /* malformed descriptor or over max_payload */
    uint64_t packets_late;       /* behind the window: already emitted or given up */
    uint64_t packets_dup;        /* a copy of a packet held */
    uint64_t packets_stray;      /* far outside the window, not confirmed (RFC 3550 A.1) */
    uint64_t packets_overflow;   /* refused: ahead of the window while one is parked */
    uint64_t packets_reset;      /* dropped by a sender restart */
    uint64_t packets_emitted;    /* in frames handed out */
    uint64_t packets_dropped;    /* in frames dropped (incomplete, too big, undecodable) */
    uint64_t packets_lost;       /* sequence numbers given up as lost */
    uint64_t frames_out;         /* frames handed out */
    uint64_t keyframes_out;      /* of which key frames */
    uint64_t frames_incomplete;  /* dropped: a packet lost, or no start or end */
    uint64_t frames_undecodable; /* complete but dropped while waiting for a key frame */
    uint64_t frames_too_big;     /* complete but larger than the poll buffer */
    uint64_t key_requests;       /* KEY_NEEDED events queued */
    uint64_t events_dropped;     /* events lost because the queue was full */
    uint64_t resets;             /* sender restarts (RFC 3550 A.1) */
};

/* Allocate a depacketizer. -EINVAL: cfg out of range; -ENOMEM. */
__attribute__((warn_unused_result)) int vp8_depack_create(const struct vp8_depack_cfg *cfg,
                                                          struct vp8_depack **out);
void vp8_depack_destroy(struct vp8_depack *d);

/* Take one packet (copied). 0 when taken or counted as late, duplicate or
 * stray; -EBADMSG for a malformed VP8 descriptor, -EMSGSIZE for a payload
 * over cfg.max_payload (both counted as packets_bad, nothing else changes),
 * -ENOBUFS when refused for lack of room (packets_overflow), -EINVAL for a
 * NULL d or pkt, or a NULL payload with len > 0 (not counted). */
__attribute__((warn_unused_result)) int vp8_depack_handle_packet(struct vp8_depack *d,
                                                                 const struct vp8_depack_pkt *pkt);

/* The owner gives up on seq (the jitter buffer concealed it, or NACK gave
 * up). Ignored unless seq is inside the window and not held. */
void vp8_depack_handle_lost(struct vp8_depack *d, uint16_t seq);

/* Write the next frame into buf[0..cap) and describe it in *f. Returns 1 for
 * a frame, 0 when none is ready, or -ENOSPC when the next complete frame
 * needs more than cap bytes: that frame is dropped (frames_too_big, and the
 * decoder must resync: waiting for a key frame), f->len tells its size; keep
 * polling. -EINVAL for NULL d or f. */
__attribute__((warn_unused_result)) int
vp8_depack_poll_frame(struct vp8_depack *d, uint8_t *buf, size_t cap, struct vp8_depack_frame *f);

/* Next queued event, false when none. */
bool vp8_depack_poll_event(struct vp8_depack *d, struct vp8_depack_event *ev);

bool vp8_depack_waiting_for_key(const struct vp8_depack *d);
/* Packets held now (waiting to form a frame, or parked). */
unsigned vp8_depack_held(const struct vp8_depack *d);
void vp8_depack_get_stats(const struct vp8_depack *d, struct vp8_depack_stats *s);

#endif
