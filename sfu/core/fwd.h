/* fwd — the forwarding rewriter of one outgoing track of one subscriber.
 *
 * For each (subscriber, outgoing track) the bridge sends one continuous RTP
 * stream with its own SSRC, even when the source behind it changes: a
 * publisher reconnects with a new SSRC, the speaker changes, another
 * simulcast layer is chosen. The bridge names each incoming stream with a
 * source id of its choice; fwd_switch() picks the source, fwd_rewrite()
 * turns a clear RTP packet of it into a packet of the outgoing stream.
 *
 * Rewritten in place, per packet:
 *  - SSRC: the outgoing one; payload type: the outgoing one.
 *  - sequence number: source sequence + an offset fixed at the first packet
 *    forwarded after a switch, chosen so that this packet follows the
 *    highest one sent before: a switch creates no gap, a gap of the source
 *    stays a gap, and a retransmission of the current source (a NACK answer
 *    from history) gets the same outgoing number as the first time.
 *  - timestamp: source timestamp + an offset fixed at the same packet, so it
 *    follows the last sent timestamp by the wall time elapsed since that
 *    packet was sent (now_us) times the clock rate (at least 1 tick).
 *  - VP8 (vp8 = true): the PictureID continues by one picture across a
 *    switch and is always written 15 bits wide (M = 1): a 7-bit source
 *    PictureID is widened, which moves the rest of the packet one byte on
 *    (the packet grows by 1, within cap). TL0PICIDX continues by one.
 *    A late packet keeps its distance to the source's newest picture (up
 *    to half the field back: 63 pictures for a 7-bit PictureID).
 *    Packets with an empty payload (padding only) get SSRC, sequence and
 *    timestamp only.
 *
 * Dropped (return 0, counted in struct fwd_stats by reason): packets of
 * another source than the current one (the old source after a switch), of
 * the current source older than its first forwarded packet, and, after a
 * switch to a video source, everything before the first packet of a key
 * frame of that source; while waiting fwd_key_frame_needed() is true, so the
 * bridge asks the publisher for one (PLI).
 *
 * Sans-IO: no clock (now_us is the caller's monotonic clock), no
 * allocation; struct fwd is plain and caller-owned, usable after fwd_init.
 * Errors: -EBADMSG a malformed RTP packet or VP8 descriptor; -ENOSPC a
 * 7-bit PictureID that needs one more byte than cap; -EINVAL misuse (NULL,
 * len > cap). On any error the packet and the state are unchanged (only
 * stats.malformed counts -EBADMSG).
 */
#ifndef CAU_SFU_FWD_H
#define CAU_SFU_FWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fwd_drops {
    uint64_t not_current;   /* another source than the current one (or none) */
    uint64_t key_wait;      /* current video source, before its key frame */
    uint64_t before_switch; /* current source, older than its first packet sent */
};

struct fwd_stats {
    uint64_t packets;       /* forwarded, retransmissions included */
    uint64_t bytes;         /* forwarded packet bytes, after the rewrite */
    uint64_t retransmitted; /* forwarded at or behind the highest sequence */
    uint64_t key_frames;    /* key frame starts forwarded */
    uint64_t switches;      /* fwd_switch calls that changed the source */
    uint64_t malformed;     /* -EBADMSG returns */
    struct fwd_drops dropped;
};

/* The state; read through the functions below, not directly. */
struct fwd {
    uint32_t ssrc, clock_rate;
    uint8_t pt;
    bool vp8;

    bool has_source;  /* a source is current */
    uint32_t source;  /* its id */
    bool synced;      /* a packet of it was forwarded: offsets are fixed */
    bool waiting_key; /* video: no key frame of it forwarded yet */

    bool sent_any;        /* some packet of some source was forwarded */
    uint64_t out_seq_ext; /* highest outgoing sequence, extended */
    uint32_t out_ts;      /* timestamp of that packet */
    int64_t out_us;       /* when it was forwarded */
    uint16_t out_pid;     /* highest outgoing PictureID (15-bit) */
    uint8_t out_tl0;      /* highest outgoing TL0PICIDX */
    bool sent_pid, sent_tl0;

    /* Current source, once synced. */
    uint64_t first_out_ext; /* outgoing extended sequence of its first packet */
    uint16_t in_seq;        /* its highest sequence */
    uint16_t seq_off;       /* out = in + seq_off */
    uint32_t ts_off;        /* out = in + ts_off */
    bool has_pid, has_tl0;
    uint16_t in_pid; /* PictureID of its highest picture (as sent: 7 or 15 bits) */
    uint8_t in_tl0;

    struct fwd_stats stats;
};

/* Set up f for an outgoing stream: its SSRC, payload type (0..127), RTP
 * clock rate (48000 Opus, 90000 VP8) and whether packets are VP8 (key-frame
 * wait, PictureID and TL0PICIDX rewriting). No source is current.
 * -EINVAL: NULL f, clock_rate 0, pt > 127. */
__attribute__((warn_unused_result)) int fwd_init(struct fwd *f, uint32_t ssrc, uint8_t pt,
                                                 uint32_t clock_rate, bool vp8);

/* Make source_id the current source. Switching to the current source
 * changes nothing; another one drops the old source's packets from now on
 * and, for video, waits for a key frame of the new one. The timestamp gap
 * is measured from the last packet sent to the first packet forwarded of the
 * new source, not from now_us (kept for policies to come). */
void fwd_switch(struct fwd *f, uint32_t source_id, int64_t now_us);

/* No current source (track paused or ended): everything is dropped as
 * not_current until the next fwd_switch, which continues the stream. */
void fwd_stop(struct fwd *f);

/* Rewrite the RTP packet pkt[0..*len) of source source_id in place, in a
 * buffer of cap bytes. Returns 1: send pkt[0..*len) (*len grows by 1 when a
 * 7-bit PictureID was widened); 0: drop it (counted); -EBADMSG, -ENOSPC,
 * -EINVAL as above. */
__attribute__((warn_unused_result)) int fwd_rewrite(struct fwd *f, uint32_t source_id, uint8_t *pkt,
                                                    size_t *len, size_t cap, int64_t now_us);

/* True from a switch to a video source until a key frame of it was
 * forwarded (the bridge then sends the publisher a PLI, throttled). */
bool fwd_key_frame_needed(const struct fwd *f);

/* The current source, if any: true and *source_id. */
bool fwd_source(const struct fwd *f, uint32_t *source_id);

/* A subscriber's NACK names outgoing sequence numbers: map one back to the
 * current source's sequence (to look it up in that source's history).
 * 0 and *source_id, *in_seq; -ENOENT when it was not sent from the current
 * source (before its first packet, or not sent yet). */
__attribute__((warn_unused_result)) int fwd_map_nack(const struct fwd *f, uint16_t out_seq,
                                                     uint32_t *source_id, uint16_t *in_seq);

/* The outgoing RTP timestamp at now_us (last sent + elapsed * clock rate),
 * for a sender report; false when nothing was sent yet. */
bool fwd_rtp_ts_at(const struct fwd *f, int64_t now_us, uint32_t *ts);

void fwd_get_stats(const struct fwd *f, struct fwd_stats *out);
/* The sum of the drop counters of s. */
uint64_t fwd_stats_dropped(const struct fwd_stats *s);

#endif
