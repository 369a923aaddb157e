/* transport — one WebRTC transport: ICE + DTLS-SRTP on one UDP 5-tuple.
 *
 * The shell that ties the pieces together. Datagrams from libnice (media/io/
 * ice) are split by RFC 7983 (media/core/demux): DTLS records go to the
 * DTLS association (media/io/dtls), SRTP and SRTCP are unprotected
 * (media/io/srtp_sess) and handed to the owner in clear; STUN never gets
 * here (libnice consumes it). What the owner sends is protected and handed
 * to libnice. BUNDLE and rtcp-mux only: one ICE component carries all.
 *
 * Order of events: ICE connects → DTLS starts (the client sends its
 * ClientHello; the server waits for it) → the handshake checks the peer's
 * certificate against the fingerprint from its SDP → SRTP keys are exported
 * → TRANSPORT_STATE_CONNECTED. Only then does transport_send_rtp/rtcp work.
 *
 * Threading: everything on the GMainContext given at creation (one per
 * worker thread), called from that context's thread. The DTLS retransmission
 * timer is one GSource on that context, rearmed after every DTLS call.
 *
 * Callbacks may come from inside transport calls as well as from the main
 * loop. A callback may call transport_destroy on its own transport: the
 * memory is released once the outermost call returns, and no callback comes
 * after transport_destroy.
 *
 * Buffers: on_rtp/on_rtcp get the unprotected packet in a buffer owned by
 * the transport, writable (a forwarder may rewrite headers in place) and
 * valid only during the call. transport_send_* copy the packet before
 * protecting it, so the caller's buffer stays in clear.
 *
 * Errors: -EINVAL misuse, -ENOTCONN sending before CONNECTED or after a
 * failure, -EMSGSIZE a packet larger than TRANSPORT_MAX_PACKET, -ENOMEM,
 * and what the ice/dtls/srtp_sess calls return.
 */
#ifndef CAU_TRANSPORT_H
#define CAU_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "media/io/dtls.h"
#include "media/io/dtls_cert.h"
#include "media/io/ice.h"

/* Largest RTP/RTCP packet in clear (a WebRTC MTU is ~1200; headroom for
 * SRTP's trailer is added on top). */
#define TRANSPORT_MAX_PACKET 1500u

enum transport_state {
    TRANSPORT_STATE_NEW,
    TRANSPORT_STATE_CONNECTING, /* ICE checks or DTLS handshake under way */
    TRANSPORT_STATE_CONNECTED,  /* SRTP keys in place: media flows */
    TRANSPORT_STATE_FAILED,     /* terminal: ICE or DTLS failed (see reason) */
    TRANSPORT_STATE_GONE,       /* terminal: the peer went silent (consent) */
    TRANSPORT_STATE_CLOSED,     /* terminal: the peer sent close_notify */
};

struct transport_config {
    bool lite; /* ICE-lite, controlled (bridge); else full ICE, controlling */
    bool trickle;
    const char *const *addrs; /* interface addresses for host candidates */
    size_t n_addrs;
    uint16_t port_min, port_max;
    uint32_t consent_timeout_ms;  /* 0: ICE default (30 s) */
    uint32_t connect_timeout_ms;  /* 0: ICE default (30 s) */
    const struct dtls_cert *cert; /* borrowed; outlives the transport */
    const char *srtp_profiles;    /* NULL: DTLS_SRTP_PROFILES_DEFAULT */
};

/* What the peer said in its SDP about this transport. */
struct transport_remote {
    const char *ufrag, *pwd;
    struct dtls_cert_fp fingerprint;
    enum dtls_role role; /* our role, from dtls_role_from_remote or our answer */
};

typedef void (*transport_state_fn)(void *arg, enum transport_state state, const char *reason);
typedef void (*transport_packet_fn)(void *arg, uint8_t *p, size_t n);

struct transport_callbacks {
    transport_state_fn on_state;
    ice_candidate_fn on_candidate; /* "a=candidate:..." as gathered */
    ice_gathering_done_fn on_gathering_done;
    transport_packet_fn on_rtp;  /* unprotected RTP */
    transport_packet_fn on_rtcp; /* unprotected compound RTCP */
    void *arg;
};

struct transport_stats {
    struct ice_stats ice;
    struct dtls_stats dtls;
    uint64_t rx_rtp, rx_rtcp, rx_dtls;
    uint64_t rx_dtls_errors;      /* records DTLS refused */
    uint64_t rx_dropped_unknown;  /* not STUN/DTLS/RTP/RTCP per RFC 7983 */
    uint64_t rx_dtls_held;        /* DTLS before the remote description, replayed after */
    uint64_t rx_dropped_early;    /* SRTP before the keys; DTLS beyond what is held */
    uint64_t rx_dropped_srtp;     /* failed to authenticate, replay, malformed */
    uint64_t rx_dropped_oversize; /* larger than the receive buffer */
    uint64_t rx_dropped_closed;   /* after the transport failed or closed */
    uint64_t tx_rtp, tx_rtcp;
    uint64_t tx_errors;
    uint16_t srtp_profile; /* DTLS_SRTP_*, 0 until CONNECTED */
};

struct transport;

__attribute__((warn_unused_result)) int transport_new(struct transport **out, GMainContext *ctx,
                                                      const struct transport_config *cfg,
                                                      const struct transport_callbacks *cb);
/* Gather host candidates (reported through on_candidate). Once. */
__attribute__((warn_unused_result)) int transport_gather(struct transport *t);
const char *transport_local_ufrag(const struct transport *t);
const char *transport_local_pwd(const struct transport *t);
/* Every local candidate gathered so far, "a=candidate:..." each. */
__attribute__((warn_unused_result)) int transport_local_candidates(struct transport *t,
                                                                   ice_candidate_fn fn, void *arg);
/* The peer's credentials, fingerprint and our DTLS role. Once. */
__attribute__((warn_unused_result)) int transport_set_remote(struct transport *t,
                                                             const struct transport_remote *r);
/* A remote candidate line ("candidate:..." or "a=candidate:..."); an empty
 * line or end-of-candidates ends the list. */
__attribute__((warn_unused_result)) int transport_add_remote_candidate(struct transport *t,
                                                                       const char *line);
/* Protect and send one RTP packet / compound RTCP packet. */
__attribute__((warn_unused_result)) int transport_send_rtp(struct transport *t, const uint8_t *p,
                                                           size_t n);
__attribute__((warn_unused_result)) int transport_send_rtcp(struct transport *t, const uint8_t *p,
                                                            size_t n);
enum transport_state transport_get_state(const struct transport *t);
const char *transport_state_name(enum transport_state s);
void transport_get_stats(const struct transport *t, struct transport_stats *out);
/* Sends close_notify if connected, closes the sockets, frees (deferred when
 * called from a callback). NULL is accepted. */
void transport_destroy(struct transport *t);

#endif
