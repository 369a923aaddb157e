/* ice_watch — when an ICE transport is given up, as a sans-IO state machine.
 *
 * Two deadlines: a connect deadline (checks started but no working pair
 * after connect_timeout) and a liveness deadline (connected, then nothing
 * heard from the peer for consent_timeout, in the spirit of RFC 7675 §5.1:
 * 30 s without a sign of the peer and it is gone). An ICE-lite agent sends
 * no checks of its own, so for it "heard" means any packet from the peer:
 * media, or the peer's own binding requests (a full agent sends one every
 * ~5 s on the selected pair). The shell reports what it sees with
 * ice_watch_handle_rx and arms a timer at ice_watch_poll_timeout.
 *
 * Data packets are seen for free; STUN is swallowed by libnice. So when the
 * line has been quiet for one tick (consent_timeout / 4, at most 1 s) the
 * verdict is ICE_WATCH_PROBE: the shell should look for the next packet on
 * the socket by itself and report it. With media flowing no probe is needed.
 *
 * Time is an input (now_us, any monotonic origin). No allocation; the
 * struct is owned by the caller.
 */
#ifndef CAU_ICE_WATCH_H
#define CAU_ICE_WATCH_H

#include <stdint.h>

enum ice_watch_phase {
    ICE_WATCH_IDLE,     /* not started */
    ICE_WATCH_CHECKING, /* connect deadline running */
    ICE_WATCH_ALIVE,    /* connected, liveness deadline running */
    ICE_WATCH_DONE,     /* a verdict of failure was given, or stopped */
};

enum ice_watch_verdict {
    ICE_WATCH_OK,
    ICE_WATCH_PROBE,          /* quiet for a tick: look for the peer's next packet */
    ICE_WATCH_CONNECT_FAILED, /* no pair worked before the connect deadline */
    ICE_WATCH_GONE,           /* connected, then silent for consent_timeout */
};

struct ice_watch {
    int64_t connect_timeout_us; /* <= 0: no connect deadline */
    int64_t consent_timeout_us; /* <= 0: no liveness deadline */
    int64_t tick_us;
    int64_t deadline_us;
    int64_t last_rx_us;
    int64_t next_tick_us;
    enum ice_watch_phase phase;
};

/* Longest quiet interval before a probe, whatever the timeout. */
#define ICE_WATCH_MAX_TICK_US 1000000

void ice_watch_init(struct ice_watch *w, int64_t connect_timeout_us, int64_t consent_timeout_us);
/* Checks begin (remote credentials known): the connect deadline starts.
 * No effect unless idle. */
void ice_watch_start(struct ice_watch *w, int64_t now_us);
/* A pair works: the liveness deadline replaces the connect deadline. Counts
 * as hearing from the peer. Ignored once done. */
void ice_watch_connected(struct ice_watch *w, int64_t now_us);
/* Something arrived from the peer. Only meaningful while alive. */
void ice_watch_handle_rx(struct ice_watch *w, int64_t now_us);
/* Call at (or after) ice_watch_poll_timeout. A failure verdict is given
 * once; the watch is then done. */
enum ice_watch_verdict ice_watch_handle_timeout(struct ice_watch *w, int64_t now_us);
/* When to call ice_watch_handle_timeout next; INT64_MAX when nothing is due. */
int64_t ice_watch_poll_timeout(const struct ice_watch *w);
/* No more verdicts (the owner tore the transport down). */
void ice_watch_stop(struct ice_watch *w);

#endif
