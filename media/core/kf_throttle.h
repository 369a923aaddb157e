/* kf_throttle — key-frame request throttle for one publisher stream: the
 * PLI/FIR requests of any number of subscribers (and of the bridge's own
 * loss tracker) become at most one request toward the publisher per
 * interval (RFC 4585 §6.3.1, RFC 5104 §4.3.1).
 *
 * Policy:
 *  - A request when nothing was sent in the last interval goes out at once
 *    (the next kf_throttle_poll returns true). A request within the
 *    interval after one sent is held and all those held go out as one when
 *    the interval ends: a subscriber that lost its picture after the last
 *    request was sent needs a key frame newer than the one on its way.
 *  - A key frame from the publisher (kf_throttle_on_key_frame) answers
 *    every request held so far: they are dropped, nothing is sent for them.
 *  - Optionally (max_repeats > 0), a request not answered by a key frame
 *    within one interval is repeated, at most max_repeats times (a PLI or
 *    FIR can be lost too). Only useful when the owner reports key frames.
 *  - FIR command sequence number (RFC 5104 §4.3.1.1): each new request
 *    takes the next number (modulo 256, the first is 0); a repetition of a
 *    request keeps its number, so the publisher can tell them apart.
 *
 * Verbs: kf_throttle_request() per incoming request; kf_throttle_poll()
 * says whether to send a PLI/FIR now and with which FIR number; arm a timer
 * at kf_throttle_poll_timeout() (INT64_MAX when nothing is held).
 *
 * Ownership: the caller embeds the struct; nothing here allocates.
 * Errors: kf_throttle_init returns -EINVAL on a NULL or a negative value.
 */
#ifndef CAU_KF_THROTTLE_H
#define CAU_KF_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#define KF_THROTTLE_DEFAULT_INTERVAL_US 1000000

struct kf_throttle_cfg {
    int64_t interval_us;  /* between two requests sent; 0 = 1 s */
    unsigned max_repeats; /* repeats of an unanswered request; 0 = none */
};

struct kf_throttle_stats {
    uint64_t requests;  /* kf_throttle_request calls */
    uint64_t sent;      /* polls that returned true, repeats included */
    uint64_t repeats;   /* of which repetitions */
    uint64_t answered;  /* held requests dropped by a key frame */
    uint64_t coalesced; /* requests sent as part of another one's request */
};

struct kf_throttle {
    struct kf_throttle_cfg cfg;
    bool ever_sent;
    int64_t last_sent_us;
    uint64_t held; /* new requests held */
    int64_t held_since_us;
    bool outstanding; /* a request was sent and no key frame seen since */
    unsigned repeats_left;
    uint8_t fir_seq; /* the number of the request sent last */
    uint8_t fir_next;
    struct kf_throttle_stats stats;
};

/* cfg NULL: every default. */
__attribute__((warn_unused_result)) int kf_throttle_init(struct kf_throttle *t,
                                                         const struct kf_throttle_cfg *cfg);

/* A subscriber (or the bridge) asks for a key frame at now_us. */
void kf_throttle_request(struct kf_throttle *t, int64_t now_us);

/* A key frame of the stream arrived from the publisher at now_us. */
void kf_throttle_on_key_frame(struct kf_throttle *t, int64_t now_us);

/* True when a PLI/FIR should be sent now; *fir_seq (optional) gets the FIR
 * command sequence number to use. */
bool kf_throttle_poll(struct kf_throttle *t, int64_t now_us, uint8_t *fir_seq);

/* When kf_throttle_poll may next return true; INT64_MAX when never. */
int64_t kf_throttle_poll_timeout(const struct kf_throttle *t);

#endif
