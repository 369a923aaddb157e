/* jitbuf — a receive jitter buffer for one RTP stream, on the caller's clock.
 *
 * Packets go in with their arrival time (jitbuf_handle_packet); they come out
 * in sequence order, each at its playout time (jitbuf_poll_output):
 *
 *   playout = base + ts / clock_rate + target
 *
 * where base is the smallest transit time (arrival minus media time) seen
 * over the last 10 to 20 seconds, so it follows clock drift, and target is
 * the buffering delay: four times the interarrival jitter J of RFC 3550
 * A.8, clamped to [min_delay_us, max_delay_us]. The target rises at once
 * when the jitter grows and decays by 1/64 of the difference per packet
 * when it shrinks. Packets of one video frame share a timestamp and so come
 * out together.
 *
 * A sequence number that never arrived is reported as lost (the owner
 * conceals it) when its turn comes, that is, at the playout time of the
 * next packet that did arrive. Every sequence number from the first packet
 * on comes out exactly once, as a packet or as lost; a packet arriving after
 * its number was reported lost is counted late and dropped.
 *
 * Sequence numbers follow RFC 3550 A.1 with the window of seq_win (which
 * see), as in vp8_depack: a jump of 3000 or more ahead, or a packet more
 * than 100 behind that is already out of the window, is held back as stray
 * (on probation); its successor (seq + 1) right after it is a sender
 * restart: the other held packets are dropped, one RESET output says so,
 * and the stream and its clock start over from the two. A packet further
 * ahead than the window can hold is parked; the next polls release
 * everything before it at once (packets out, gaps as lost) to make room; a
 * second one before that is refused (-ENOBUFS).
 *
 * Verbs: jitbuf_handle_packet and jitbuf_handle_timeout advance the clock
 * (now_us never goes back: an older value is ignored; it is clamped to
 * +-2^60); after either, drain jitbuf_poll_output, then arm a timer at
 * jitbuf_poll_timeout.
 *
 * Ownership: jitbuf_create allocates everything (through mem.h); the packet
 * path never allocates. Payloads are copied in; an output's payload points
 * into the buffer and stays valid until the next jitbuf_handle_packet or
 * jitbuf_destroy.
 *
 * Every packet handed in lands in exactly one counter bucket:
 *   packets_in == packets_bad + packets_late + packets_dup + packets_stray
 *                 + packets_overflow + packets_released + packets_reset
 *                 + jitbuf_held().
 */
#ifndef CAU_JITBUF_H
#define CAU_JITBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jitbuf;

struct jitbuf_cfg {
    uint32_t clock_rate;  /* RTP clock in Hz (90000 video, 48000 Opus); required */
    unsigned window;      /* packets held: a power of two, 16..4096; 0 = 512 */
    size_t max_payload;   /* largest payload accepted, 1..65535; 0 = 1500 */
    int64_t min_delay_us; /* 0 = 20 ms */
    int64_t max_delay_us; /* 0 = 500 ms; >= min_delay_us */
};

struct jitbuf_pkt {
    uint16_t seq;
    uint32_t ts;
    bool marker;
    const uint8_t *payload;
    size_t len;
};

enum jitbuf_out_kind {
    JITBUF_OUT_PACKET, /* the next packet, in order */
    JITBUF_OUT_LOST,   /* seq never arrived in time: conceal it */
    JITBUF_OUT_RESET,  /* the sender restarted; `count` held packets were dropped */
};

struct jitbuf_out {
    enum jitbuf_out_kind kind;
    uint16_t seq;
    uint32_t ts;            /* PACKET */
    bool marker;            /* PACKET */
    const uint8_t *payload; /* PACKET: see Ownership above */
    size_t len;
    int64_t playout_us; /* when it was due (PACKET, LOST) */
    unsigned count;     /* RESET */
};

struct jitbuf_stats {
    uint64_t packets_in;         /* every call of jitbuf_handle_packet */
    uint64_t packets_bad;        /* payload over max_payload */
    uint64_t packets_late;       /* behind the head: already out or reported lost */
    uint64_t packets_dup;        /* a copy of a packet held */
    uint64_t packets_stray;      /* far outside the window (RFC 3550 A.1 probation) */
    uint64_t packets_overflow;   /* no room: ahead of the window while one is parked */
    uint64_t packets_released;   /* handed out */
    uint64_t packets_reset;      /* dropped by a sender restart */
    uint64_t lost;               /* sequence numbers reported lost */
    uint64_t released_after_due; /* handed out after their playout time */
    uint64_t resets;
};

/* -EINVAL: cfg NULL or out of range; -ENOMEM. */
__attribute__((warn_unused_result)) int jitbuf_create(const struct jitbuf_cfg *cfg,
                                                      struct jitbuf **out);
void jitbuf_destroy(struct jitbuf *jb);

/* Take one packet (copied) that arrived at now_us. 0 when taken or counted
 * as late, duplicate or stray; -EMSGSIZE for a payload over max_payload,
 * -ENOBUFS when there is no room (both counted), -EINVAL for a NULL jb or
 * pkt or a NULL payload with len > 0 (not counted). */
__attribute__((warn_unused_result)) int
jitbuf_handle_packet(struct jitbuf *jb, const struct jitbuf_pkt *pkt, int64_t now_us);

void jitbuf_handle_timeout(struct jitbuf *jb, int64_t now_us);

/* Next output due at the current time, false when none. */
bool jitbuf_poll_output(struct jitbuf *jb, struct jitbuf_out *out);

/* When the next output falls due: INT64_MAX when no packet waits to come
 * out, the current time when something is due already. */
int64_t jitbuf_poll_timeout(const struct jitbuf *jb);

/* The buffering delay in force and the jitter estimate J, in microseconds. */
int64_t jitbuf_target_us(const struct jitbuf *jb);
int64_t jitbuf_jitter_us(const struct jitbuf *jb);
/* Packets held: waiting to come out, parked, or on probation. */
unsigned jitbuf_held(const struct jitbuf *jb);
void jitbuf_get_stats(const struct jitbuf *jb, struct jitbuf_stats *s);

#endif
