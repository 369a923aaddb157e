/* twcc_rx — the receiving side of transport-wide congestion control
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): it records when
 * each RTP packet arrived, by the transport-wide sequence number the
 * sender put in its header extension, and turns the records into feedback
 * packets (rtcp_twcc_write) that the sender's congestion controller
 * (Chromium's GoogCC) reads to estimate the path and set its bitrate.
 *
 * One twcc_rx per receiving transport (all its SSRCs share the sequence).
 * The caller feeds every packet (twcc_rx_on_packet) and, every 50..100 ms,
 * calls twcc_rx_poll until it returns 0, sending each packet written.
 *
 * Policy:
 * - Sequence numbers are unwrapped against the highest seen (RFC 3550
 *   style); the first packet starts the window.
 * - A feedback covers the statuses from the first one not yet reported up
 *   to the highest received: missing ones are reported as not received.
 *   A packet that arrives after its sequence number was reported (late)
 *   is counted and dropped; a reordered one inside the unreported range is
 *   reported with its (possibly negative) delta.
 * - A feedback is split (the rest waits for the next poll call) when it
 *   would exceed TWCC_RX_MAX_STATUSES statuses, the caller's buffer, or
 *   when two consecutive received packets are too far apart for one delta
 *   (rtcp_twcc_write's limit, 8191.75 ms).
 * - A jump forward of TWCC_RX_WINDOW or more (a sender restart) restarts
 *   the window at the new packet: nothing is reported for the gap.
 * - Unreported statuses that fall out of the window (the highest moved
 *   TWCC_RX_WINDOW past them: polls too rare) are dropped unreported.
 * - A feedback ends on a received status, except one that has none: a
 *   whole TWCC_RX_MAX_STATUSES block lost, or, when cap is below 28 bytes,
 *   the long lost run before the next packet.
 * - fb_count counts the feedbacks written, modulo 256.
 *
 * Sans-IO: time comes in as arrival_us; nothing allocates (the window is
 * inside the struct). Errors: -ENOSPC cap too small for even one status,
 * -EINVAL NULL arguments.
 */
#ifndef CAU_TWCC_RX_H
#define CAU_TWCC_RX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TWCC_RX_WINDOW 4096u      /* statuses kept, a power of two */
#define TWCC_RX_MAX_STATUSES 1024 /* per feedback packet */

struct twcc_rx_stats {
    uint64_t packets; /* fed */
    uint64_t duplicates;
    uint64_t late;      /* arrived after their status was reported */
    uint64_t restarts;  /* jumps of TWCC_RX_WINDOW or more */
    uint64_t feedbacks; /* written */
};

struct twcc_rx {
    bool started;
    int64_t next;    /* unwrapped seq of the first status not yet reported */
    int64_t highest; /* unwrapped seq of the highest packet received */
    uint8_t fb_count;
    struct twcc_rx_stats stats;
    /* arrival time + 1 by unwrapped seq modulo TWCC_RX_WINDOW; 0: none */
    int64_t arrival[TWCC_RX_WINDOW];
};

void twcc_rx_init(struct twcc_rx *r);

/* A packet with transport-wide sequence number seq arrived at arrival_us
 * (microseconds on the caller's monotonic clock, >= 0; a time below 0 or
 * from 2^60 on is ignored, not counted). */
void twcc_rx_on_packet(struct twcc_rx *r, uint16_t seq, int64_t arrival_us);

/* Writes at most one feedback packet (RTPFB PT 205 FMT 15, sender_ssrc and
 * media_ssrc as given) into out: 1 when written (*len set), 0 when there
 * is nothing to report, or a negative errno. */
__attribute__((warn_unused_result)) int twcc_rx_poll(struct twcc_rx *r, uint32_t sender_ssrc,
                                                     uint32_t media_ssrc, uint8_t *out, size_t cap,
                                                     size_t *len);

#endif
