/* peer — one participant of a room, on the room's worker: its publish
 * transport (the client offers; we answer ICE-lite, DTLS server, receive
 * only) with the tracks it sends, and its subscribe transport (we offer)
 * with one outgoing track per track of every other participant.
 *
 * peer.c: life cycle and transports; peer_pub.c: the publish side
 * (answering, receiving, NACKs and key-frame requests toward the
 * publisher); peer_sub.c: the subscribe side (offers, forwarding, RTCP from
 * the subscriber); peer_stats.c: statistics as JSON.
 */
#ifndef CAU_SFU_PEER_H
#define CAU_SFU_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <jansson.h>

#include "media/core/kf_throttle.h"
#include "media/core/nack_gen.h"
#include "media/core/rtp_history.h"
#include "media/core/rtp_rtt.h"
#include "media/core/rtp_rx_stats.h"
#include "media/io/transport.h"
#include "sfu/core/fwd.h"
#include "sfu/core/sub_sdp.h"

struct room;
struct twcc_rx;

enum { PEER_AUDIO, PEER_VIDEO };

/* A track a participant publishes. */
struct in_track {
    bool on;
    int pt;
    uint32_t ssrc;
    bool have_ssrc;
    uint32_t source_id; /* unique per (participant, track, ssrc) for fwd */
    struct rtp_rx_stats rs;
    struct rtp_history *hist;
    struct nack_gen *ng;
    struct kf_throttle kt;
    uint64_t nacks_sent, plis_sent, key_frames, retransmits_answered;
    uint64_t rate_bytes, bitrate_bps; /* bytes at the last report, bps since */
    int64_t rate_us;
};

/* A track forwarded to this participant (as subscriber). */
struct out_track {
    struct peer *src;
    int kind;
    char mid[8];
    uint32_t ssrc;
    struct fwd fwd;
    uint64_t packets, bytes, nacks_received, plis_received, resent;
    uint64_t rate_bytes, bitrate_bps; /* bytes at the last report, bps since */
    int64_t rate_us;
    struct rtp_rtt_est rtt; /* from the subscriber's report blocks about ssrc */
};

/* Datagrams a peer's transports dropped, by reason (media/io/transport.h
 * struct transport_stats): not RTP, RTCP or DTLS by RFC 7983; SRTP before
 * the keys; SRTP that failed to unprotect; too large; DTLS records refused;
 * after the transport or its ICE failed. Datagrams from an address that is
 * not the ICE peer never get here: libnice drops them. */
struct peer_drops {
    uint64_t unknown, early, srtp, oversize, dtls, closed;
};

#define PEER_MAX_OUT 128
#define PEER_MAX_CANDS 8
/* A peer silent this long is gone: under the 10 s in which a vanished
 * participant must be removed, above the ~5 s consent interval of browsers
 * (media and RTCP count as signs of life too). */
#define PEER_CONSENT_TIMEOUT_MS 8000

struct peer;

/* What a transport's callbacks get: the peer and which connection. */
struct transport_ctx {
    struct peer *peer;
    bool publish;
    char cands[PEER_MAX_CANDS][256]; /* "a=candidate:..." gathered */
    size_t ncands;
    bool described; /* our SDP (which lists cands) went out: trickle the rest */
};

struct peer {
    struct room *room;
    char id[65], name[65], role[16];
    struct transport *pub, *sub;
    struct transport_ctx pub_ctx, sub_ctx;
    enum transport_state pub_state, sub_state;
    struct in_track in[2];
    struct out_track out[PEER_MAX_OUT];
    size_t nout;
    struct sub_sdp sdp;         /* what we forward now */
    struct sub_sdp sdp_offered; /* as in the offer out for answer */
    bool sub_wanted;            /* the client asked to subscribe */
    bool offer_pending;         /* an offer is out, no answer yet */
    bool offer_dirty;           /* tracks changed since the last offer */
    bool sub_started;           /* the subscribe transport has its remote side */
    uint32_t rtcp_ssrc;
    /* The SRs sent on the subscribe transport (one NTP time for all tracks
     * of a tick) and the RTT of that transport, every track's samples. */
    struct rtp_rtt sub_rtt;
    /* Transport-wide congestion control feedback to the publisher
     * (peer_twcc.h): the recorder, the extension id, the last send. */
    struct twcc_rx *twcc;
    uint8_t twcc_ext;
    int64_t twcc_sent_us;
    uint64_t rtcp_errors;   /* RTCP we could not send */
    uint64_t cands_refused; /* remote candidates the transport refused */
    int64_t joined_us;
};

struct peer *peer_new(struct room *r, const char *id, const char *name, const char *role);
void peer_free(struct peer *p);
/* The client's publish offer: 0 and the answer in *answer (g_free), or a
 * negative errno and the reason in err. */
int peer_publish(struct peer *p, const char *offer, char **answer, char *err, size_t errlen);
int peer_subscribe(struct peer *p, char *err, size_t errlen);
int peer_subscribe_answer(struct peer *p, const char *sdp, char *err, size_t errlen);
int peer_candidate(struct peer *p, bool publish, const char *candidate);
/* Every 20 ms from the room's timer; report: once a second. */
void peer_pub_tick(struct peer *p, int64_t now_us, bool report);
void peer_sub_tick(struct peer *p, int64_t now_us, bool report);
/* Tracks of src to be forwarded to p (on join, publish) or stopped. */
void peer_add_source(struct peer *p, struct peer *src);
void peer_remove_source(struct peer *p, struct peer *src);
json_t *peer_stats_json(const struct peer *p);
/* Once a second, before peer_stats_json: the streams' bitrates. */
void peer_stats_tick(struct peer *p, int64_t now_us);
/* Adds what p's transports dropped so far to acc. */
void peer_drops_add(const struct peer *p, struct peer_drops *acc);
json_t *peer_drops_json(const struct peer_drops *d);

/* For peer_pub.c / peer_sub.c. */
int peer_open_transport(struct peer *p, bool publish, struct transport **out);
/* room_for_each_peer callback: ask q (a publisher) for a key frame for the
 * subscriber arg, who just connected. */
void peer_key_frame_for(struct peer *q, void *arg);
void peer_pub_rtp(struct peer *p, uint8_t *pkt, size_t len);
void peer_pub_rtcp(struct peer *p, const uint8_t *pkt, size_t len);
/* RTCP to the publisher, once its transport is connected (else counted). */
void peer_send_pub_rtcp(struct peer *p, const uint8_t *b, size_t n);
void peer_sub_rtcp(struct peer *p, const uint8_t *pkt, size_t len);
void peer_forward(struct peer *src, int kind, const uint8_t *pkt, size_t len, int64_t now_us);
void peer_request_key_frame(struct peer *src, int64_t now_us);
void peer_send_offer(struct peer *p);
/* Room helpers used by peers. */
struct sfu *room_sfu(const struct room *r);
const char *room_id(const struct room *r);
GMainContext *room_context(const struct room *r);
void room_for_each_peer(struct room *r, void (*fn)(struct peer *q, void *arg), void *arg);
GPtrArray *room_peers(struct room *r);

#endif
