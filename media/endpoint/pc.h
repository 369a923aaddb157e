/* pc — one endpoint peer connection: the C endpoint library's unit.
 *
 * A pc sends one Opus audio and one VP8 video track, and receives one track
 * per m= section the peer sends in (Opus or VP8: a browser's one of each,
 * or the many of a bridge's subscribe offer), over one WebRTC transport
 * (media/io/transport: ICE, DTLS-SRTP, BUNDLE, rtcp-mux).
 * The probe, the recorder, the load generator and the cascade link are built
 * on it; the test programs use it to talk to Chromium and to each other.
 *
 * Sending: a synthetic source (media/core/testsrc_video: a moving pattern
 * with the frame number in the picture; testsrc_audio: a tone) is encoded
 * (media/codec), packetized (vp8_pack, opus_pack), kept in a send history
 * for NACKs, and protected and sent. A PLI or FIR from the peer makes the
 * next frame a key frame; a NACK resends the packets still in the history.
 *
 * Receiving: RTP goes to its receiver by SSRC (the section's a=ssrc; a
 * receiver whose section signaled none takes the first unknown SSRC of its
 * payload type); video goes through the
 * depacketizer (reassembly, loss detection, key-frame wait) to the VP8
 * decoder and a sink that counts frames, measures fps and resolution and
 * reads our own frame numbers; audio goes to the Opus decoder and a level
 * meter. Lost video packets are NACKed (retried, then given up), a lost key
 * frame is asked for with PLI (at most one per 500 ms).
 *
 * RTCP: an SR per sending SSRC and an RR block per received SSRC about once
 * a second; RTT from the peer's report blocks (RFC 3550 §6.4.1).
 *
 * Signaling is the owner's: it moves the SDP and candidates (trickle) with
 * pc_create_offer / pc_set_remote / pc_create_answer / pc_add_remote_candidate.
 * Renegotiation: a pc that answered may take a new offer (pc_set_remote,
 * then pc_create_answer) with the same ICE credentials and fingerprint; it
 * adds and ends receivers by mid, and what it sends stays as negotiated.
 *
 * Threading: one GMainContext (given in the config), called from its thread.
 * Errors: negative errno; pc_last_error() tells why in words.
 */
#ifndef CAU_PC_H
#define CAU_PC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "media/io/dtls_cert.h"
#include "media/io/transport.h"

struct pc_config {
    GMainContext *ctx;
    const struct dtls_cert *cert; /* borrowed */
    const char *const *addrs;     /* host candidate addresses */
    size_t n_addrs;
    bool loopback_only;        /* ignore remote candidates that are not loopback */
    bool lite;                 /* ICE-lite (bridge side); endpoints use full ICE */
    const char *srtp_profiles; /* NULL: prefer AEAD_AES_128_GCM */
    uint32_t consent_timeout_ms;
    bool send_audio, send_video, recv_audio, recv_video;
    int width, height, fps, video_kbps; /* 0: 640x360, 30 fps, 800 kbps */
    int audio_channels;                 /* 0: 1 (mono) */
    double tone_hz;                     /* 0: 440 Hz */
    const char *cname;                  /* NULL: "cau" */
    /* Tests: expect a fingerprint other than the peer's (must be refused). */
    bool tamper_remote_fingerprint;
};

enum pc_kind { PC_AUDIO, PC_VIDEO };

struct pc_stream_stats {
    bool active;
    uint32_t ssrc;
    uint64_t packets, bytes;
    /* receive side */
    int64_t packets_lost; /* RFC 3550 cumulative (may be < 0 with duplicates) */
    double jitter_ms;
    uint64_t nacks_sent, nack_recovered, plis_sent;
    uint64_t frames_decoded, frames_dropped, key_frames;
    double fps;
    int width, height;
    uint32_t last_frame_number; /* our test pattern's number, when present */
    bool has_frame_number;
    double audio_dbfs; /* level of the decoded audio, -127 for silence */
    /* send side */
    uint64_t frames_encoded, retransmitted, nacks_received, plis_received;
    uint64_t history_misses; /* packets the send history could not keep */
    uint64_t frames_skipped; /* audio frames a stall of over 0.5 s skipped */
    double rtt_ms;           /* from the peer's report blocks, 0 before one came */
};

struct pc_stats {
    enum transport_state state;
    uint16_t srtp_profile;
    /* [PC_AUDIO], [PC_VIDEO]; in: the first receiver of that kind */
    struct pc_stream_stats in[2], out[2];
    struct transport_stats transport;
};

typedef void (*pc_state_fn)(void *arg, enum transport_state state, const char *reason);
/* A local candidate "candidate:..." (without "a="), or "" at the end. */
typedef void (*pc_candidate_fn)(void *arg, const char *candidate);

struct pc_callbacks {
    pc_state_fn on_state;
    pc_candidate_fn on_candidate;
    void *arg;
};

struct pc;

__attribute__((warn_unused_result)) int pc_new(struct pc **out, const struct pc_config *cfg,
                                               const struct pc_callbacks *cb);
void pc_destroy(struct pc *pc);
/* Our offer (NUL-terminated, owned by the pc until the next call). */
__attribute__((warn_unused_result)) int pc_create_offer(struct pc *pc, const char **sdp);
/* The peer's description: an answer to our offer, or an offer (again after
 * our answer: renegotiation). -ENOTSUP: a new offer restarts ICE. */
__attribute__((warn_unused_result)) int pc_set_remote(struct pc *pc, const char *sdp, size_t len);
/* Our answer to the offer given to pc_set_remote. */
__attribute__((warn_unused_result)) int pc_create_answer(struct pc *pc, const char **sdp);
/* A trickled remote candidate; "" or "end-of-candidates" ends the list.
 * One we cannot use (TCP, mDNS, not loopback when loopback_only) is ignored
 * and returns 0; -EINVAL before the remote description, as in a browser. */
__attribute__((warn_unused_result)) int pc_add_remote_candidate(struct pc *pc, const char *line);
void pc_get_stats(struct pc *pc, struct pc_stats *out);

/* One receiver: its m= section's mid, the sender's msid stream id (a
 * bridge puts the participant id there; "" when none) and statistics. */
struct pc_rx_info {
    enum pc_kind kind;
    char mid[32];
    char stream[65];
    struct pc_stream_stats st;
};

/* Receivers, in the order of their m= sections; pc_get_rx: 0, -EINVAL. */
size_t pc_rx_count(const struct pc *pc);
int pc_get_rx(struct pc *pc, size_t i, struct pc_rx_info *out);
const char *pc_last_error(const struct pc *pc);

#endif
