/* rtp_history — sender-side history of one outbound RTP stream (one SSRC),
 * to answer NACKs (RFC 4585 §6.2.1) with the packets as they were sent.
 *
 * Each packet sent goes in with its sequence number and send time
 * (rtp_history_put: copied). The history holds `slots` packets, indexed by
 * sequence number modulo `slots` (a power of two): the last `slots`
 * sequence numbers are kept, an older one is overwritten by the newer
 * number that shares its slot. A packet older than max_age_us is expired.
 * Sizing: at 1.5 Mbit/s of 1200-byte packets a stream sends about 160
 * packets per second, so the default 1024 slots cover several seconds and
 * the default age of 1 s is the binding limit (an SFU needs 500 ms).
 *
 * rtp_history_get() looks a number up; rtp_history_resend() does the same
 * for a retransmission and guards it: a packet resent less than min_gap_us
 * ago (pass the RTT; 0 turns the guard off) is refused, since a NACK that
 * repeats within one RTT crossed the retransmission on the way.
 *
 * Ownership: rtp_history_create allocates everything at once (mem.h:
 * slots * max_pkt bytes plus bookkeeping); put, get and resend never
 * allocate. A returned packet points into the history and stays valid
 * until the next rtp_history_put or rtp_history_destroy. Single-threaded.
 *
 * Errors: -EINVAL bad configuration, NULL argument or empty packet,
 * -ENOMEM, -ENOSPC a packet over max_pkt (not stored), -ENOENT not held
 * (never stored, overwritten, or expired), -EALREADY resent too recently.
 */
#ifndef CAU_RTP_HISTORY_H
#define CAU_RTP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

struct rtp_history;

struct rtp_history_cfg {
    unsigned slots;     /* power of two, 16..32768; 0 = 1024 */
    size_t max_pkt;     /* largest packet, 1..65535 bytes; 0 = 1500 */
    int64_t max_age_us; /* > 0; 0 = 1 s */
};

struct rtp_history_stats {
    uint64_t stored;    /* packets put */
    uint64_t too_big;   /* refused with -ENOSPC */
    uint64_t hits;      /* lookups (get or resend) that found the packet */
    uint64_t misses;    /* lookups that returned -ENOENT */
    uint64_t throttled; /* resends refused with -EALREADY */
};

/* cfg NULL: every default. */
__attribute__((warn_unused_result)) int rtp_history_create(const struct rtp_history_cfg *cfg,
                                                           struct rtp_history **out);
void rtp_history_destroy(struct rtp_history *h);

/* Store pkt[0..len), sent at now_us with sequence number seq. A sender may
 * ignore the result: a packet not stored is only one that cannot be resent. */
int rtp_history_put(struct rtp_history *h, uint16_t seq, const uint8_t *pkt, size_t len,
                    int64_t now_us);

/* The packet with sequence number seq, if held and not expired at now_us. */
__attribute__((warn_unused_result)) int rtp_history_get(struct rtp_history *h, uint16_t seq,
                                                        int64_t now_us, const uint8_t **pkt,
                                                        size_t *len);

/* Like get, for a retransmission at now_us: refused with -EALREADY when the
 * packet was resent less than min_gap_us ago; otherwise marks it resent. */
__attribute__((warn_unused_result)) int rtp_history_resend(struct rtp_history *h, uint16_t seq,
                                                           int64_t now_us, int64_t min_gap_us,
                                                           const uint8_t **pkt, size_t *len);

void rtp_history_get_stats(const struct rtp_history *h, struct rtp_history_stats *out);

#endif
