/* ice — one ICE transport over libnice: one stream with one component
 * (BUNDLE + rtcp-mux, so a single UDP 5-tuple carries everything).
 *
 * Two modes. ICE-lite, controlled: the bridge side; it answers checks and
 * never sends any. Full ICE, controlling, regular nomination, RFC 7675
 * consent checks: the endpoint side (probe, recorder, cascade uplink).
 * Host candidates only, on the interface addresses the owner lists (a
 * loopback address is fine), UDP only, no STUN/TURN/UPnP.
 *
 * Threading: everything runs on the GMainContext given at creation (one per
 * worker thread); call every function from that context's thread. Nothing
 * blocks: gathering, checks and timers are sources on that context.
 *
 * Callbacks: the owner's callbacks may be called from inside the calls
 * that drive libnice (ice_gather, ice_set_remote_credentials,
 * ice_add_remote_candidate, ice_remote_candidates_done), not only from the
 * main loop. A callback may call ice_destroy on its own transport; the
 * memory is released once the callback returns, and the call that was
 * running returns -ECANCELED.
 *
 * Liveness: a transport that was connected and then hears nothing from its
 * peer for consent_timeout is reported ICE_STATE_GONE. libnice swallows
 * STUN, so besides counting the datagrams it hands up, the transport peeks
 * (MSG_PEEK, nothing consumed) at the selected socket once the line has
 * been quiet for a while, and counts a packet whose source is the selected
 * remote address (see media/core/ice_watch.h). A full agent also has
 * libnice's own RFC 7675 consent checks (a libnice failure after being
 * connected is reported as GONE too). Keep consent_timeout well above the
 * peer's check interval (~5 s for libnice and browsers) unless media flows.
 *
 * Demultiplexing (RFC 7983: STUN / DTLS / SRTP) is the owner's job: every
 * datagram libnice does not consume itself is handed up as it came.
 *
 * Errors: -EINVAL misuse or bad configuration, -EBADMSG malformed input,
 * -EPROTONOSUPPORT a well-formed candidate this transport cannot use (not
 * UDP, not component 1, an mDNS name), -ENOTCONN sending before connected
 * or after failure, -EAGAIN the socket is full, -EMSGSIZE datagram too
 * large, -EADDRINUSE no port free in the range, -ENOMEM, -EIO other socket
 * errors, -ECANCELED the transport was destroyed by a callback.
 */
#ifndef CAU_ICE_H
#define CAU_ICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

enum ice_state {
    ICE_STATE_NEW,
    ICE_STATE_GATHERING,
    ICE_STATE_CHECKING,  /* remote information present, checks under way */
    ICE_STATE_CONNECTED, /* a pair works: datagrams can flow */
    ICE_STATE_READY,     /* the pair is nominated: final */
    ICE_STATE_FAILED,    /* terminal: no pair worked (or connect timeout) */
    ICE_STATE_GONE,      /* terminal: was connected, the peer went silent */
};

/* Default timeouts (RFC 7675 §5.1 uses 30 s for consent). */
#define ICE_DEFAULT_CONSENT_TIMEOUT_MS 30000u
#define ICE_DEFAULT_CONNECT_TIMEOUT_MS 30000u
/* Largest datagram ice_send accepts (UDP over IPv4). */
#define ICE_MAX_DATAGRAM 65507u
/* Most interface addresses one transport listens on. */
#define ICE_MAX_ADDRS 16u

struct ice_config {
    bool lite;                /* true: ICE-lite, controlled; false: full, controlling */
    bool trickle;             /* full mode: trickle ICE (remote end-of-candidates awaited) */
    const char *const *addrs; /* interface IP addresses for host candidates */
    size_t n_addrs;           /* 1..ICE_MAX_ADDRS */
    uint16_t port_min;        /* local port range; 0, 0 = any port */
    uint16_t port_max;
    uint32_t consent_timeout_ms; /* 0: ICE_DEFAULT_CONSENT_TIMEOUT_MS */
    uint32_t connect_timeout_ms; /* 0: ICE_DEFAULT_CONNECT_TIMEOUT_MS */
};

/* Callbacks (each may be NULL); `arg` is the callbacks' arg. */
typedef void (*ice_state_fn)(void *arg, enum ice_state state);
/* A local candidate as an SDP attribute line "a=candidate:..." (no CRLF);
 * the string is only valid during the call. */
typedef void (*ice_candidate_fn)(void *arg, const char *line);
typedef void (*ice_gathering_done_fn)(void *arg);
/* A datagram from the peer; p is only valid during the call. */
typedef void (*ice_recv_fn)(void *arg, const uint8_t *p, size_t n);

struct ice_callbacks {
    ice_state_fn on_state;
    ice_candidate_fn on_candidate;
    ice_gathering_done_fn on_gathering_done;
    ice_recv_fn on_recv;
    void *arg;
};

/* Counters for /metrics: nothing is dropped without one moving. */
struct ice_stats {
    uint64_t rx_packets, rx_bytes;
    uint64_t rx_dropped; /* arrived after the transport failed */
    uint64_t tx_packets, tx_bytes;
    uint64_t tx_errors;     /* ice_send failures of any kind */
    uint64_t cand_rejected; /* remote candidates refused (malformed or unusable) */
    uint64_t probes;        /* socket peeks for the peer's STUN */
};

struct ice;

/* Create a transport on ctx (a reference is taken). The callbacks struct
 * is copied. Nothing is sent or bound until ice_gather. */
__attribute__((warn_unused_result)) int ice_new(struct ice **out, GMainContext *ctx,
                                                const struct ice_config *cfg,
                                                const struct ice_callbacks *cb);

/* Bind the host candidates and report them (on_candidate, then
 * on_gathering_done), possibly before returning. Once only. */
__attribute__((warn_unused_result)) int ice_gather(struct ice *t);

/* Local credentials, owned by the transport (valid until ice_destroy). */
const char *ice_local_ufrag(const struct ice *t);
const char *ice_local_pwd(const struct ice *t);

/* Call fn for every local candidate gathered so far (same format as
 * on_candidate). For a non-trickle offer/answer, after gathering is done. */
__attribute__((warn_unused_result)) int ice_local_candidates(struct ice *t, ice_candidate_fn fn,
                                                             void *arg);

/* The peer's ice-ufrag / ice-pwd (RFC 8839 §5.4). Once; must come before
 * any remote candidate. Starts the connect deadline. */
__attribute__((warn_unused_result)) int ice_set_remote_credentials(struct ice *t, const char *ufrag,
                                                                   const char *pwd);

/* One remote candidate: "candidate:..." (trickle) or "a=candidate:..."
 * (SDP), a trailing CRLF is fine. "", "end-of-candidates" and
 * "a=end-of-candidates" mean ice_remote_candidates_done. */
__attribute__((warn_unused_result)) int ice_add_remote_candidate(struct ice *t, const char *line);

/* The peer has sent all its candidates (trickle end-of-candidates). */
__attribute__((warn_unused_result)) int ice_remote_candidates_done(struct ice *t);

/* Send one datagram to the selected pair. 0 or a negative errno. */
__attribute__((warn_unused_result)) int ice_send(struct ice *t, const uint8_t *p, size_t n);

enum ice_state ice_get_state(const struct ice *t);
const char *ice_state_name(enum ice_state state);
void ice_get_stats(const struct ice *t, struct ice_stats *out);

/* Close the sockets and free everything; no callback comes after it
 * returns (from inside a callback: after that callback returns). NULL is
 * accepted. */
void ice_destroy(struct ice *t);

#endif
