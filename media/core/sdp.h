/* sdp — the data model of a session description (RFC 8866) with the
 * attributes WebRTC uses (JSEP RFC 8829, BUNDLE RFC 8843, simulcast RFC 8853,
 * rid RFC 8851, ICE RFC 8839, fingerprint RFC 8122, setup RFC 4145, extmap
 * RFC 8285, ssrc RFC 5576, rtcp-fb RFC 4585, msid RFC 8830, rtcp RFC 3605),
 * and the look-ups an SFU needs.
 *
 * sdp_parse.h fills it, sdp_write.h prints it, sdp_equal.h compares two.
 *
 * Ownership: a struct sdp_session owns every string and array reachable from
 * it, all allocated through mem.h; sdp_free() releases them and zeroes the
 * struct. A zeroed struct is a valid empty session. Arrays come as a pointer
 * and a count (`foo`, `nfoo`). Optional strings are NULL when absent; an
 * optional struct sdp_conn is absent when its nettype is NULL.
 *
 * Attributes the model does not type are kept in order in `attrs` (name and
 * value; value NULL for a property attribute such as "a=foo"), so writing a
 * parsed description drops nothing. Lines i= u= e= p= z= k= are kept
 * verbatim in `lines`, in order; r= lines in the t= they follow.
 */
#ifndef CAU_SDP_H
#define CAU_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* a=sendrecv / sendonly / recvonly / inactive (RFC 8866 §6.7); also the
 * direction of an a=extmap. SDP_DIR_NONE: not stated. */
enum sdp_dir {
    SDP_DIR_NONE = 0,
    SDP_DIR_SENDRECV,
    SDP_DIR_SENDONLY,
    SDP_DIR_RECVONLY,
    SDP_DIR_INACTIVE,
};

/* a=setup (RFC 4145 §4). */
enum sdp_setup {
    SDP_SETUP_NONE = 0,
    SDP_SETUP_ACTPASS,
    SDP_SETUP_ACTIVE,
    SDP_SETUP_PASSIVE,
    SDP_SETUP_HOLDCONN,
};

/* a=rid direction (RFC 8851 §10). */
enum sdp_rid_dir {
    SDP_RID_SEND = 1,
    SDP_RID_RECV,
};

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <addr> */
struct sdp_origin {
    char *username;
    uint64_t sess_id;
    uint64_t sess_version;
    char *nettype;
    char *addrtype;
    char *addr;
};

/* c=<nettype> <addrtype> <connection-address>; absent when nettype is NULL. */
struct sdp_conn {
    char *nettype;
    char *addrtype;
    char *addr; /* as written, e.g. "224.2.1.1/127" */
};

/* b=<bwtype>:<bandwidth> */
struct sdp_bandwidth {
    char *type;
    uint64_t value;
};

/* t=<start> <stop>, and the r= lines that follow it (verbatim). */
struct sdp_time {
    uint64_t start;
    uint64_t stop;
    char **repeats;
    size_t nrepeats;
};

/* A line of a type the model does not interpret (i u e p z k), verbatim. */
struct sdp_line {
    char type;
    char *value;
};

/* An attribute the model does not interpret. */
struct sdp_attr {
    char *name;
    char *value; /* NULL: "a=name"; "": "a=name:" */
};

/* a=group:<semantics> <mid>... (RFC 5888, BUNDLE RFC 8843) */
struct sdp_group {
    char *semantics;
    char **mids;
    size_t nmids;
};

/* a=fingerprint:<hash-func> <XX:XX:...> (RFC 8122 §5) */
struct sdp_fingerprint {
    char *hash;  /* e.g. "sha-256" */
    char *value; /* hex pairs separated by ':' */
};

/* ICE credentials and DTLS role, at session or media level. */
struct sdp_transport {
    char *ice_ufrag;
    char *ice_pwd;
    char *ice_options; /* verbatim, e.g. "trickle" */
    struct sdp_fingerprint *fingerprints;
    size_t nfingerprints;
    enum sdp_setup setup;
};

/* An extension pair of a candidate ("generation 0", "network-id 3"). */
struct sdp_cand_ext {
    char *name;
    char *value;
};

/* a=candidate (RFC 8839 §5.1; tcptype RFC 6544 §4.5). */
struct sdp_candidate {
    char *foundation;
    uint16_t component; /* 1..256 */
    char *transport;    /* "udp", "tcp" as written */
    uint32_t priority;
    char *addr;
    uint16_t port;
    char *type;  /* "host", "srflx", "prflx", "relay" or another token */
    char *raddr; /* NULL when absent */
    bool has_rport;
    uint16_t rport;
    char *tcptype; /* NULL when absent */
    struct sdp_cand_ext *exts;
    size_t nexts;
};

/* a=rtpmap:<pt> <encoding>/<clock>[/<channels>] */
struct sdp_rtpmap {
    uint8_t pt;
    char *encoding;
    uint32_t clock;
    uint8_t channels; /* 0: not written */
};

/* a=fmtp:<pt> <params> (params verbatim) */
struct sdp_fmtp {
    uint8_t pt;
    char *params;
};

/* a=rtcp-fb:<pt|*> <type>[ <param>] (RFC 4585 §4.2) */
struct sdp_rtcp_fb {
    int pt;      /* -1 for "*" */
    char *type;  /* "nack", "ccm", "goog-remb", "transport-cc", ... */
    char *param; /* rest of the line after the type ("pli", "fir"), or NULL */
};

/* a=extmap:<id>[/<direction>] <uri>[ <attributes>] (RFC 8285 §8) */
struct sdp_extmap {
    uint16_t id;
    enum sdp_dir dir;
    char *uri;
    char *attrs; /* NULL when absent */
};

/* a=ssrc:<ssrc> <attribute>[:<value>] (RFC 5576 §4.1) */
struct sdp_ssrc {
    uint32_t ssrc;
    char *attr;
    char *value; /* NULL when absent */
};

/* a=ssrc-group:<semantics> <ssrc>... (RFC 5576 §4.2): FID, SIM, FEC-FR. */
struct sdp_ssrc_group {
    char *semantics;
    uint32_t *ssrcs;
    size_t nssrcs;
};

/* a=rid:<id> <send|recv>[ <params>] (RFC 8851 §10) */
struct sdp_rid {
    char *id;
    enum sdp_rid_dir dir;
    char *params; /* verbatim "pt=..;max-width=..", or NULL */
};

/* a=simulcast (RFC 8853 §5.1): per direction, a ';' list of streams, each
 * a ',' list of alternative rids, each possibly paused ('~'). */
struct sdp_sim_alt {
    char *rid;
    bool paused;
};

struct sdp_sim_stream {
    struct sdp_sim_alt *alts;
    size_t nalts;
};

struct sdp_sim_list {
    struct sdp_sim_stream *streams;
    size_t nstreams; /* 0: this direction absent */
};

struct sdp_simulcast {
    bool present;
    struct sdp_sim_list send;
    struct sdp_sim_list recv;
};

/* a=rtcp:<port>[ <nettype> <addrtype> <addr>] (RFC 3605) */
struct sdp_rtcp {
    bool present;
    uint16_t port;
    struct sdp_conn conn;
};

/* a=msid:<stream-id>[ <track-id>] (RFC 8830 §2) */
struct sdp_msid {
    char *stream;
    char *track; /* NULL when absent */
};

/* One m= section and its lines. */
struct sdp_media {
    char *type; /* "audio", "video", "application", ... */
    uint16_t port;
    uint16_t port_count; /* "port/count"; 0: not written */
    char *proto;         /* "UDP/TLS/RTP/SAVPF", ... */
    char **fmts;         /* payload types (or other formats) as written */
    size_t nfmts;
    struct sdp_line *lines; /* i= k= */
    size_t nlines;
    struct sdp_conn conn;
    struct sdp_bandwidth *bws;
    size_t nbws;
    struct sdp_rtcp rtcp;
    struct sdp_transport tr;
    struct sdp_candidate *cands;
    size_t ncands;
    bool end_of_candidates;
    char *mid;
    enum sdp_dir dir;
    struct sdp_msid *msids;
    size_t nmsids;
    bool rtcp_mux;
    bool rtcp_rsize;
    bool extmap_allow_mixed;
    struct sdp_rtpmap *rtpmaps; /* at most one per payload type */
    size_t nrtpmaps;
    struct sdp_fmtp *fmtps;
    size_t nfmtps;
    struct sdp_rtcp_fb *rtcp_fbs;
    size_t nrtcp_fbs;
    struct sdp_extmap *extmaps;
    size_t nextmaps;
    struct sdp_ssrc *ssrcs;
    size_t nssrcs;
    struct sdp_ssrc_group *ssrc_groups;
    size_t nssrc_groups;
    struct sdp_rid *rids;
    size_t nrids;
    struct sdp_simulcast simulcast;
    struct sdp_attr *attrs; /* unknown attributes, in order */
    size_t nattrs;
};

struct sdp_session {
    struct sdp_origin origin;
    char *name;             /* s= */
    struct sdp_line *lines; /* i= u= e= p= z= k= */
    size_t nlines;
    struct sdp_conn conn;
    struct sdp_bandwidth *bws;
    size_t nbws;
    struct sdp_time *times;
    size_t ntimes;
    struct sdp_group *groups;
    size_t ngroups;
    struct sdp_transport tr;
    bool ice_lite;
    bool extmap_allow_mixed;
    char *msid_semantic; /* "WMS", or NULL when absent */
    char **msid_ids;
    size_t nmsid_ids;
    enum sdp_dir dir;
    struct sdp_attr *attrs; /* unknown attributes, in order */
    size_t nattrs;
    struct sdp_media *media;
    size_t nmedia;
};

/* Release everything the session owns and zero it. NULL is accepted. */
void sdp_free(struct sdp_session *s);

/* "sendrecv", "sendonly", "recvonly", "inactive"; NULL for SDP_DIR_NONE. */
const char *sdp_dir_name(enum sdp_dir d);
/* "actpass", "active", "passive", "holdconn"; NULL for SDP_SETUP_NONE. */
const char *sdp_setup_name(enum sdp_setup v);

/* Look-ups. They return NULL (or 0, or -1) when nothing matches. */

/* The m= section with this a=mid. */
const struct sdp_media *sdp_media_by_mid(const struct sdp_session *s, const char *mid);
/* The first a=group with these semantics ("BUNDLE"), compared case-blind. */
const struct sdp_group *sdp_group_by_semantics(const struct sdp_session *s, const char *semantics);
/* The rtpmap for this payload type. */
const struct sdp_rtpmap *sdp_rtpmap_by_pt(const struct sdp_media *m, int pt);
/* The first rtpmap, in m= line preference order, whose encoding name is
 * this one (compared case-blind, RFC 4855 §3): "VP8", "opus". */
const struct sdp_rtpmap *sdp_rtpmap_by_name(const struct sdp_media *m, const char *encoding);
/* The first fmtp of this payload type. */
const struct sdp_fmtp *sdp_fmtp_by_pt(const struct sdp_media *m, int pt);
/* The payload type of the rtx stream whose fmtp says apt=<pt>, or -1. */
int sdp_rtx_pt(const struct sdp_media *m, int pt);
/* The id of the extmap with this URI, or 0 (ids start at 1). */
int sdp_extmap_id(const struct sdp_media *m, const char *uri);

#endif
