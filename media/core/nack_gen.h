/* nack_gen — receiver-side loss tracker of one RTP stream: decides which
 * sequence numbers to ask for again with a generic NACK (RFC 4585 §6.2.1).
 *
 * Policy:
 *  - Each packet goes in with nack_gen_on_packet(). A packet that moves the
 *    highest sequence number forward by k > 1 makes the k - 1 numbers in
 *    between missing. A missing number that arrives later is removed and
 *    counted `recovered` (it had been NACKed) or `reordered` (not yet).
 *  - The tracker spans `window` sequence numbers behind the highest (1024
 *    by default). A forward jump that leaves `window` or more numbers
 *    missing resets it: everything tracked is dropped (given up), the jump
 *    is not NACKed, and a key frame is asked for. A missing number that
 *    falls out of the window as the highest moves on is given up too.
 *  - A packet `window` or more behind the highest is ignored, unless the
 *    next packet is its successor (seq + 1): then the sender restarted
 *    (RFC 3550 A.1's rule) and the tracker starts over from it.
 *  - A new missing number is first NACKed first_delay_us after its gap was
 *    seen (0 by default: at once, as libwebrtc does), then again every
 *    max(1.5 * RTT, min_interval_us) (20 ms by default; the RTT comes from
 *    nack_gen_set_rtt, 100 ms until then): a retransmission needs one RTT
 *    to come back, the half is margin for jitter and the sender's pacing.
 *  - After max_retries NACKs (10 by default) and one more interval without
 *    the packet, the number is given up: counted `given_up`, and a key
 *    frame is asked for, since the decoder cannot get past the hole.
 *
 * Verbs: nack_gen_on_packet() on every packet; nack_gen_poll() writes the
 * numbers to NACK now, in RTP order (ready for rtcp_nack_from_seqs then
 * rtcp_nack_write); arm a timer at nack_gen_poll_timeout() (INT64_MAX when
 * nothing is missing; it may fire early, a poll then writes nothing);
 * nack_gen_poll_key_frame() reads and clears the key-frame flag (send a
 * PLI, through kf_throttle).
 *
 * Ownership: nack_gen_create allocates (mem.h) once; nothing on the packet
 * path allocates. Single-threaded.
 * Errors: -EINVAL bad configuration or NULL argument, -ENOMEM.
 */
#ifndef CAU_NACK_GEN_H
#define CAU_NACK_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nack_gen;

struct nack_gen_cfg {
    unsigned window;         /* power of two, 64..16384; 0 = 1024 */
    unsigned max_retries;    /* NACKs per number, 1..255; 0 = 10 */
    int64_t min_interval_us; /* retry interval floor; 0 = 20 ms */
    int64_t first_delay_us;  /* before the first NACK of a gap, >= 0; 0 = at once */
    int64_t initial_rtt_us;  /* RTT until nack_gen_set_rtt; 0 = 100 ms */
};

enum nack_gen_verdict {
    NACK_GEN_NEW,       /* advanced the highest (perhaps leaving a gap) */
    NACK_GEN_RECOVERED, /* a missing number that had been NACKed */
    NACK_GEN_REORDERED, /* a missing number not NACKed yet */
    NACK_GEN_OLD,       /* not missing: a duplicate, or too old */
    NACK_GEN_RESET,     /* too far ahead, or a sender restart: started over */
};

struct nack_gen_stats {
    uint64_t requested; /* numbers written by nack_gen_poll, retries included */
    uint64_t nacked;    /* distinct numbers NACKed at least once */
    uint64_t recovered;
    uint64_t reordered;
    uint64_t given_up; /* retries exhausted, out of the window, or dropped by a reset */
    uint64_t resets;
    uint64_t key_frames; /* times the key-frame flag was raised */
};

/* cfg NULL: every default. */
__attribute__((warn_unused_result)) int nack_gen_create(const struct nack_gen_cfg *cfg,
                                                        struct nack_gen **out);
void nack_gen_destroy(struct nack_gen *g);

enum nack_gen_verdict nack_gen_on_packet(struct nack_gen *g, uint16_t seq, int64_t now_us);

/* The RTT that sets the retry interval (values <= 0 are ignored). */
void nack_gen_set_rtt(struct nack_gen *g, int64_t rtt_us);

/* Write up to cap numbers due at now_us into seqs (RTP order) and return
 * how many; the rest stay due for the next poll. Gives up the exhausted
 * ones. */
size_t nack_gen_poll(struct nack_gen *g, int64_t now_us, uint16_t *seqs, size_t cap);

/* When to poll next; INT64_MAX when nothing is missing. */
int64_t nack_gen_poll_timeout(const struct nack_gen *g);

/* True once after numbers were given up or the tracker reset. */
bool nack_gen_poll_key_frame(struct nack_gen *g);

/* Numbers missing now. */
size_t nack_gen_missing(const struct nack_gen *g);

void nack_gen_get_stats(const struct nack_gen *g, struct nack_gen_stats *out);

#endif
