/* pc_sdp — the session descriptions of one endpoint peer connection.
 *
 * An endpoint peer connection sends at most one audio (Opus) and one video
 * (VP8) track and receives any number of them (one per m= section, as a
 * bridge's subscribe offer carries them), BUNDLEd on one transport with
 * rtcp-mux. This module writes our description (an offer, or an answer to
 * a remote offer) and reads the peer's into the few facts the connection
 * needs: ICE credentials, the DTLS fingerprint and setup role, and per
 * media section its mid, direction, Opus or VP8 payload type, feedback
 * (including transport-wide congestion control: its extmap id and
 * rtcp-fb), SSRC and msid stream id.
 *
 * Parsing goes through media/core/sdp_parse (so anything it refuses is
 * refused here with the line number); writing is plain text in the form
 * Chromium accepts. No state, no I/O; strings are copied into the structs.
 *
 * Errors: -EBADMSG the remote text is malformed or lacks what WebRTC
 * requires (ICE credentials, a sha-256 fingerprint, BUNDLE with rtcp-mux);
 * the reason is written to err. -ENOTSUP no section carries Opus or VP8.
 * -ENOSPC the output buffer is too small. -ENOMEM.
 */
#ifndef CAU_PC_SDP_H
#define CAU_PC_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/sdp.h"
#include "media/io/dtls_cert.h"

#define PC_SDP_MID_MAX 32
#define PC_SDP_CRED_MAX 257
#define PC_SDP_MAX_CANDS 16
#define PC_SDP_CAND_MAX 256
#define PC_SDP_STREAM_MAX 65 /* msid stream id: 1..64 chars + NUL */
/* The transport-wide sequence number header extension. */
#define PC_SDP_TWCC_URI "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

enum pc_sdp_kind { PC_SDP_AUDIO, PC_SDP_VIDEO, PC_SDP_KINDS };

/* One media section as the peer described it. */
struct pc_sdp_track {
    bool present;
    char mid[PC_SDP_MID_MAX];
    enum sdp_dir dir; /* the peer's direction */
    int pt;           /* Opus or VP8 payload type, -1 if absent */
    int channels;     /* Opus: 1 or 2 */
    bool nack, pli, fir;
    bool twcc_fb;                   /* a=rtcp-fb:<pt> transport-cc */
    int twcc_ext;                   /* a=extmap id of PC_SDP_TWCC_URI, 0 when none */
    uint32_t ssrc;                  /* the peer's first a=ssrc, 0 when none */
    int index;                      /* position of the m= section */
    char stream[PC_SDP_STREAM_MAX]; /* first a=msid stream id, "" when none */
};

#define PC_SDP_MAX_SECTIONS 128

/* Every m= section of the peer's description, for an answer that must list
 * them all (the ones we do not take are rejected with port 0). */
struct pc_sdp_section {
    char type[16];
    char proto[32];
    char fmt[16];
    char mid[PC_SDP_MID_MAX];
    int kind;               /* enum pc_sdp_kind when we take it, -1 otherwise */
    struct pc_sdp_track tr; /* the section as a track, when kind >= 0 */
};

struct pc_sdp_remote {
    char ufrag[PC_SDP_CRED_MAX];
    char pwd[PC_SDP_CRED_MAX];
    struct dtls_cert_fp fingerprint;
    enum sdp_setup setup;
    bool ice_lite;
    struct pc_sdp_track track[PC_SDP_KINDS]; /* the first section of each kind */
    struct pc_sdp_section sections[PC_SDP_MAX_SECTIONS];
    size_t nsections;
    /* "candidate:..." lines of the first bundled section */
    char cands[PC_SDP_MAX_CANDS][PC_SDP_CAND_MAX];
    size_t ncands;
};

/* What we describe: credentials, our fingerprint text ("AB:CD:.."), setup,
 * and per kind whether we send and/or receive. */
struct pc_sdp_local {
    uint64_t sess_id, sess_version;
    const char *ufrag, *pwd, *fingerprint;
    enum sdp_setup setup;
    bool ice_lite;
    const char *cname;
    struct {
        bool send, recv;
        const char *mid; /* offer: ours; answer: copied from the offer */
        int pt;          /* offer: ours; answer: the offer's */
        int channels;
        uint32_t ssrc; /* our sending SSRC */
    } track[PC_SDP_KINDS];
    const char *const *cands; /* "a=candidate:..." lines, or NULL */
    size_t ncands;
    /* Answer: take transport-wide congestion control where the offer has
     * it (its extmap and rtcp-fb transport-cc, echoed): the peer then
     * numbers its packets and reads our feedback to set its bitrate. */
    bool twcc;
};

/* Read the peer's description. err gets a one-line reason on failure. */
__attribute__((warn_unused_result)) int
pc_sdp_read(const char *text, size_t len, struct pc_sdp_remote *out, char *err, size_t errlen);
/* Write our description (an offer when answering_to is NULL, else the
 * answer to it: its mids in its order, directions mirrored; we send only in
 * the first section of each kind) into buf. */
__attribute__((warn_unused_result)) int pc_sdp_write(const struct pc_sdp_local *l,
                                                     const struct pc_sdp_remote *answering_to,
                                                     char *buf, size_t cap);

#endif
