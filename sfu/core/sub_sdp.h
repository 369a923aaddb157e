/* sub_sdp — the session descriptions of a subscriber's subscribe peer
 * connection: the offers the bridge writes, and the subscriber's answers.
 *
 * struct sub_sdp is the list of m= sections of the connection, in order.
 * Each forwards one track (Opus audio or VP8 video) of another participant,
 * or is not in use. RFC 8829 never removes an m= section, so:
 *  - section 0 is created by sub_sdp_init as an audio section with
 *    a=inactive and port 9, in the BUNDLE group: it keeps the group valid
 *    when nothing is forwarded (Chromium needs one bundled section) and is
 *    the group's first mid, which therefore never changes. An audio track
 *    takes it (same mid); when that track ends it goes back to idle.
 *  - every other section whose track ended is rejected (port 0,
 *    a=inactive, out of the BUNDLE group); a new track of the same kind
 *    reuses it under a new mid (RFC 8829 §5.2.2: a recycled section is a
 *    new one). Mids are the decimal numbers 0, 1, 2... in order of use and
 *    are never given twice.
 * A forwarding section carries a=sendonly, a=msid:<participant>
 * <kind>-<participant>, a=ssrc:<ssrc> cname:<participant>.
 *
 * The offer: ICE-lite, our ICE credentials and sha-256 fingerprint,
 * a=setup:actpass, rtcp-mux, rtcp-rsize; Opus pt 111 (opus/48000/2,
 * minptime=10;useinbandfec=1), VP8 pt 96 (nack, nack pli, ccm fir); our
 * candidates and a=end-of-candidates in the first section.
 *
 * The answer is read with media/core/sdp_parse into struct sub_sdp_answer;
 * sub_sdp_check_answer matches it against the sections offered.
 *
 * Sans-IO. struct sub_sdp and struct sub_sdp_answer are plain and
 * caller-owned; only sub_sdp_read_answer allocates (inside sdp_parse, freed
 * before it returns). Errors: -EINVAL misuse (bad participant id, NULL),
 * -ENOSPC no free section or a short buffer, -ENOENT no such mid,
 * -EBADMSG a malformed or unusable answer (reason in err), -ENOMEM.
 */
#ifndef CAU_SFU_SUB_SDP_H
#define CAU_SFU_SUB_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/core/sdp.h"

#define SUB_SDP_MAX_TRACKS 128 /* m= sections, section 0 included */
#define SUB_SDP_MID_MAX 8      /* bytes with the NUL */
#define SUB_SDP_ID_MAX 65      /* participant id: 1..64 token chars, + NUL */
#define SUB_SDP_PT_OPUS 111
#define SUB_SDP_PT_VP8 96

enum sub_sdp_state {
    SUB_SDP_IDLE = 0, /* section 0 without a track: inactive, port 9, bundled */
    SUB_SDP_SENDING,  /* forwards a track: sendonly */
    SUB_SDP_ENDED,    /* its track ended: inactive, port 0, reusable */
};

struct sub_sdp_track {
    char mid[SUB_SDP_MID_MAX];
    bool audio;
    enum sub_sdp_state state;
    char participant[SUB_SDP_ID_MAX]; /* source participant (SENDING only) */
    uint32_t ssrc;                    /* our outgoing SSRC (SENDING only) */
};

struct sub_sdp {
    uint64_t sess_id;
    uint64_t version; /* o= session version: bumped by every change */
    uint32_t next_mid;
    size_t ntracks;
    struct sub_sdp_track tracks[SUB_SDP_MAX_TRACKS];
};

/* Our side of the transport. fingerprint: the sha-256 digest as SDP text
 * ("AB:CD:..", 95 chars); candidates: "candidate:..." strings, with or
 * without a leading "a=". ICE-lite: all of them are known, the offer ends
 * them with a=end-of-candidates. */
struct sub_sdp_transport {
    const char *ufrag, *pwd, *fingerprint;
    const char *const *candidates;
    size_t ncandidates;
};

#define SUB_SDP_CRED_MAX 257
#define SUB_SDP_FP_MAX 200
#define SUB_SDP_MAX_CANDS 16
#define SUB_SDP_CAND_MAX 256

struct sub_sdp_answer_section {
    char mid[SUB_SDP_MID_MAX];
    bool audio;          /* m=audio; else m=video (other kinds: -EBADMSG) */
    bool accepted;       /* port != 0 */
    enum sdp_dir dir;    /* the subscriber's direction: recvonly, inactive.. */
    int pt;              /* the answer's Opus or VP8 payload type, -1 if none */
    bool nack, pli, fir; /* rtcp-fb the subscriber will send for pt */
};

struct sub_sdp_answer {
    char ufrag[SUB_SDP_CRED_MAX], pwd[SUB_SDP_CRED_MAX];
    char fp_hash[16];                 /* "sha-256" */
    char fingerprint[SUB_SDP_FP_MAX]; /* "AB:CD:.." as written */
    enum sdp_setup setup;             /* active or passive */
    struct sub_sdp_answer_section sections[SUB_SDP_MAX_TRACKS];
    size_t nsections;
    char cands[SUB_SDP_MAX_CANDS][SUB_SDP_CAND_MAX]; /* "candidate:..." */
    size_t ncands;
    bool end_of_candidates;
};

/* An empty connection: section 0 idle (mid "0"), version 1, sess_id 1
 * (the caller may set s->sess_id before the first offer). */
void sub_sdp_init(struct sub_sdp *s);

/* Forward a track of participant (1..64 chars of RFC 8830 token-char) with
 * our outgoing ssrc (non-zero): takes section 0 when idle and audio, else an
 * ended section of the same kind (new mid), else a new section. Returns the
 * section index (its mid is s->tracks[i].mid); -EINVAL, -ENOSPC. */
__attribute__((warn_unused_result)) int sub_sdp_add_track(struct sub_sdp *s, bool audio,
                                                          const char *participant, uint32_t ssrc);

/* The track of section mid ended. 0; -ENOENT when no section with that mid
 * is forwarding. */
__attribute__((warn_unused_result)) int sub_sdp_remove_track(struct sub_sdp *s, const char *mid);

/* Index of the section with that mid, or -ENOENT. */
int sub_sdp_find(const struct sub_sdp *s, const char *mid);

/* Write the offer into buf[0..cap), NUL-terminated. Returns its length
 * (without the NUL); -ENOSPC, -EINVAL (NULL or empty transport field). */
__attribute__((warn_unused_result)) int sub_sdp_write_offer(const struct sub_sdp *s,
                                                            const struct sub_sdp_transport *t,
                                                            char *buf, size_t cap);

/* Read a subscriber's answer. It must carry ICE credentials, a fingerprint,
 * a=setup active or passive, BUNDLE and rtcp-mux, audio/video sections
 * only, each with a mid of at most 7 bytes. err gets a one-line reason
 * (may be NULL). 0, -EBADMSG, -ENOMEM, -EINVAL. */
__attribute__((warn_unused_result)) int sub_sdp_read_answer(const char *sdp, size_t len,
                                                            struct sub_sdp_answer *out, char *err,
                                                            size_t errlen);

/* Does answer a answer the current offer of s: the same number of sections,
 * same mids and kinds in order, every forwarding section accepted and
 * recvonly (or inactive: the subscriber declines it)? 0 or -EBADMSG. */
__attribute__((warn_unused_result)) int sub_sdp_check_answer(const struct sub_sdp *s,
                                                             const struct sub_sdp_answer *a,
                                                             char *err, size_t errlen);

#endif
