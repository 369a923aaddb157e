#include "media/core/sdp_attr.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/sdp_attr_rtp.h"
#include "media/core/sdp_candidate.h"
#include "media/core/sdp_simulcast.h"
#include "media/core/sdp_tok.h"
#include "media/core/sdp_vec.h"

/* Where an attribute lands: the session (m NULL) or one media section. */
struct ctx {
    struct sdp_session *s;
    struct sdp_media *m;
    struct sdp_transport *tr;
    enum sdp_dir *dir;
    bool *allow_mixed;
};

enum sdp_dir sdp_attr_dir(const char *p, size_t n)
{
    for (enum sdp_dir d = SDP_DIR_SENDRECV; d <= SDP_DIR_INACTIVE; d++)
        if (sdp_str_eq((struct sdp_str){p, n}, sdp_dir_name(d)))
            return d;
    return SDP_DIR_NONE;
}

/* ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4). */
static int set_ice(char **dst, struct sdp_str v)
{
    if (*dst || v.n == 0)
        return -EBADMSG;
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '+' || c == '/'))
            return -EBADMSG;
    }
    return sdp_str_set(dst, v);
}

static int a_ice_ufrag(struct ctx *c, struct sdp_str v)
{
    return set_ice(&c->tr->ice_ufrag, v);
}

static int a_ice_pwd(struct ctx *c, struct sdp_str v)
{
    return set_ice(&c->tr->ice_pwd, v);
}

static int a_ice_options(struct ctx *c, struct sdp_str v)
{
    if (c->tr->ice_options || v.n == 0)
        return -EBADMSG;
    return sdp_str_set(&c->tr->ice_options, v);
}

/* RFC 8122 §5: fingerprint = 2UHEX *(":" 2UHEX); lower case is seen too. */
static bool is_fingerprint(struct sdp_str v)
{
    if (v.n < 2 || (v.n + 1) % 3 != 0)
        return false;
    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (i % 3 == 2 ? c != ':' : !hex)
            return false;
    }
    return true;
}

static int a_fingerprint(struct ctx *c, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str hash = sdp_tok_until(&t, ' ');
    if (!sdp_tok_skip(&t, ' ') || !sdp_str_is_token(hash))
        return -EBADMSG;
    struct sdp_str val = sdp_tok_rest(&t);
    if (!is_fingerprint(val))
        return -EBADMSG;
    struct sdp_transport *tr = c->tr;
    struct sdp_fingerprint *f = sdp_vec_push(&tr->fingerprints, &tr->nfingerprints, sizeof *f);
    if (!f || !(f->hash = sdp_str_dup(hash)) || !(f->value = sdp_str_dup(val)))
        return -ENOMEM;
    return 0;
}

static int a_setup(struct ctx *c, struct sdp_str v)
{
    if (c->tr->setup != SDP_SETUP_NONE)
        return -EBADMSG;
    for (enum sdp_setup k = SDP_SETUP_ACTPASS; k <= SDP_SETUP_HOLDCONN; k++)
        if (sdp_str_eq(v, sdp_setup_name(k))) {
            c->tr->setup = k;
            return 0;
        }
    return -EBADMSG;
}

static int a_allow_mixed(struct ctx *c, struct sdp_str v)
{
    (void)v;
    *c->allow_mixed = true;
    return 0;
}

static int a_ice_lite(struct ctx *c, struct sdp_str v)
{
    (void)v;
    c->s->ice_lite = true;
    return 0;
}

/* Words separated by single spaces, appended to a string array (none is
 * fine; an empty word or a trailing space is not). */
static int words(struct sdp_tok *t, char ***arr, size_t *n)
{
    struct sdp_str w;
    while (!sdp_tok_eof(t)) {
        bool ok = sdp_tok_word(t, &w);
        bool trailing_space = sdp_tok_eof(t) && t->p[-1] == ' ';
        if (!ok || trailing_space)
            return -EBADMSG;
        char **slot = sdp_vec_push(arr, n, sizeof *slot);
        if (!slot || !(*slot = sdp_str_dup(w)))
            return -ENOMEM;
    }
    return 0;
}

/* a=group:<semantics> *(SP <mid>) (RFC 5888 §5) */
static int a_group(struct ctx *c, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str sem = sdp_tok_until(&t, ' ');
    if (!sdp_str_is_token(sem) || (!sdp_tok_eof(&t) && !sdp_tok_skip(&t, ' ')))
        return -EBADMSG;
    struct sdp_session *s = c->s;
    struct sdp_group *g = sdp_vec_push(&s->groups, &s->ngroups, sizeof *g);
    if (!g || !(g->semantics = sdp_str_dup(sem)))
        return -ENOMEM;
    return words(&t, &g->mids, &g->nmids);
}

/* a=msid-semantic: WMS *(SP id); libwebrtc writes a space after the colon. */
static int a_msid_semantic(struct ctx *c, struct sdp_str v)
{
    struct sdp_session *s = c->s;
    struct sdp_tok t = sdp_tok_of(v);
    sdp_tok_skip(&t, ' ');
    struct sdp_str sem = sdp_tok_until(&t, ' ');
    if (s->msid_semantic || !sdp_str_is_token(sem) || (!sdp_tok_eof(&t) && !sdp_tok_skip(&t, ' ')))
        return -EBADMSG;
    if (!(s->msid_semantic = sdp_str_dup(sem)))
        return -ENOMEM;
    return words(&t, &s->msid_ids, &s->nmsid_ids);
}

static int a_dir(struct ctx *c, enum sdp_dir d)
{
    if (*c->dir != SDP_DIR_NONE)
        return -EBADMSG;
    *c->dir = d;
    return 0;
}

static int a_sendrecv(struct ctx *c, struct sdp_str v)
{
    (void)v;
    return a_dir(c, SDP_DIR_SENDRECV);
}

static int a_sendonly(struct ctx *c, struct sdp_str v)
{
    (void)v;
    return a_dir(c, SDP_DIR_SENDONLY);
}

static int a_recvonly(struct ctx *c, struct sdp_str v)
{
    (void)v;
    return a_dir(c, SDP_DIR_RECVONLY);
}

static int a_inactive(struct ctx *c, struct sdp_str v)
{
    (void)v;
    return a_dir(c, SDP_DIR_INACTIVE);
}

static int a_mid(struct ctx *c, struct sdp_str v)
{
    if (c->m->mid)
        return -EBADMSG;
    return sdp_str_set_token(&c->m->mid, v);
}

/* a=msid:<stream-id> [<track-id>] (RFC 8830 §2) */
static int a_msid(struct ctx *c, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str stream = sdp_tok_until(&t, ' ');
    bool two = sdp_tok_skip(&t, ' ');
    struct sdp_str track = sdp_tok_rest(&t);
    if (!sdp_str_is_token(stream) || (two && !sdp_str_is_token(track)))
        return -EBADMSG;
    struct sdp_media *m = c->m;
    struct sdp_msid *id = sdp_vec_push(&m->msids, &m->nmsids, sizeof *id);
    if (!id || !(id->stream = sdp_str_dup(stream)) || (two && !(id->track = sdp_str_dup(track))))
        return -ENOMEM;
    return 0;
}

/* a=rtcp:<port> [<nettype> <addrtype> <addr>] (RFC 3605 §2.1) */
static int a_rtcp(struct ctx *c, struct sdp_str v)
{
    struct sdp_rtcp *r = &c->m->rtcp;
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str f[4];
    size_t n = 0;
    while (n < 4 && !sdp_tok_eof(&t))
        if (!sdp_tok_word(&t, &f[n++]))
            return -EBADMSG;
    uint64_t port;
    if (r->present || !sdp_tok_eof(&t) || (n != 1 && n != 4) || t.p[-1] == ' ' ||
        !sdp_str_u64(f[0], UINT16_MAX, &port))
        return -EBADMSG;
    r->present = true;
    r->port = (uint16_t)port;
    if (n == 4) {
        if (!sdp_str_is_token(f[1]) || !sdp_str_is_token(f[2]))
            return -EBADMSG;
        if (!(r->conn.nettype = sdp_str_dup(f[1])) || !(r->conn.addrtype = sdp_str_dup(f[2])) ||
            !(r->conn.addr = sdp_str_dup(f[3])))
            return -ENOMEM;
    }
    return 0;
}

static int a_rtcp_mux(struct ctx *c, struct sdp_str v)
{
    (void)v;
    c->m->rtcp_mux = true;
    return 0;
}

static int a_rtcp_rsize(struct ctx *c, struct sdp_str v)
{
    (void)v;
    c->m->rtcp_rsize = true;
    return 0;
}

static int a_candidate(struct ctx *c, struct sdp_str v)
{
    struct sdp_candidate cand;
    int rc = sdp_candidate_parse(&cand, v.p, v.n);
    if (rc)
        return rc;
    struct sdp_media *m = c->m;
    struct sdp_candidate *slot = sdp_vec_push(&m->cands, &m->ncands, sizeof *slot);
    if (!slot) {
        sdp_candidate_free(&cand);
        return -ENOMEM;
    }
    *slot = cand;
    return 0;
}

static int a_end_of_candidates(struct ctx *c, struct sdp_str v)
{
    (void)v;
    c->m->end_of_candidates = true;
    return 0;
}

static int a_simulcast(struct ctx *c, struct sdp_str v)
{
    if (c->m->simulcast.present)
        return -EBADMSG;
    return sdp_simulcast_parse(&c->m->simulcast, v.p, v.n);
}

#define RTP_HANDLER(name)                                                                          \
    static int a_##name(struct ctx *c, struct sdp_str v)                                           \
    {                                                                                              \
        return sdp_attr_rtp_##name(c->m, v);                                                       \
    }
RTP_HANDLER(rtpmap)
RTP_HANDLER(fmtp)
RTP_HANDLER(rtcp_fb)
RTP_HANDLER(extmap)
RTP_HANDLER(ssrc)
RTP_HANDLER(ssrc_group)
RTP_HANDLER(rid)

/* AT_RTP: typed only in an RTP section, where formats are payload types;
 * elsewhere (e.g. a legacy "a=fmtp:5000 ..." of DTLS/SCTP) kept verbatim. */
enum { AT_SESSION = 1, AT_MEDIA = 2, AT_BOTH = 3, AT_FLAG = 4, AT_RTP = 8 };

static const struct handler {
    const char *name;
    int where; /* AT_SESSION / AT_MEDIA / AT_BOTH, | AT_FLAG (takes no value), | AT_RTP */
    int (*fn)(struct ctx *c, struct sdp_str v);
} handlers[] = {
    {"ice-ufrag", AT_BOTH, a_ice_ufrag},
    {"ice-pwd", AT_BOTH, a_ice_pwd},
    {"ice-options", AT_BOTH, a_ice_options},
    {"fingerprint", AT_BOTH, a_fingerprint},
    {"setup", AT_BOTH, a_setup},
    {"sendrecv", AT_BOTH | AT_FLAG, a_sendrecv},
    {"sendonly", AT_BOTH | AT_FLAG, a_sendonly},
    {"recvonly", AT_BOTH | AT_FLAG, a_recvonly},
    {"inactive", AT_BOTH | AT_FLAG, a_inactive},
    {"extmap-allow-mixed", AT_BOTH | AT_FLAG, a_allow_mixed},
    {"group", AT_SESSION, a_group},
    {"msid-semantic", AT_SESSION, a_msid_semantic},
    {"ice-lite", AT_SESSION | AT_FLAG, a_ice_lite},
    {"mid", AT_MEDIA, a_mid},
    {"msid", AT_MEDIA, a_msid},
    {"rtcp", AT_MEDIA, a_rtcp},
    {"rtcp-mux", AT_MEDIA | AT_FLAG, a_rtcp_mux},
    {"rtcp-rsize", AT_MEDIA | AT_FLAG, a_rtcp_rsize},
    {"candidate", AT_MEDIA, a_candidate},
    {"end-of-candidates", AT_MEDIA | AT_FLAG, a_end_of_candidates},
    {"rtpmap", AT_MEDIA | AT_RTP, a_rtpmap},
    {"fmtp", AT_MEDIA | AT_RTP, a_fmtp},
    {"rtcp-fb", AT_MEDIA | AT_RTP, a_rtcp_fb},
    {"extmap", AT_MEDIA, a_extmap},
    {"ssrc", AT_MEDIA, a_ssrc},
    {"ssrc-group", AT_MEDIA, a_ssrc_group},
    {"rid", AT_MEDIA, a_rid},
    {"simulcast", AT_MEDIA, a_simulcast},
};

static int keep_unknown(struct sdp_attr **attrs, size_t *n, struct sdp_str name,
                        const struct sdp_str *value)
{
    struct sdp_attr *a = sdp_vec_push(attrs, n, sizeof *a);
    if (!a || !(a->name = sdp_str_dup(name)) || (value && !(a->value = sdp_str_dup(*value))))
        return -ENOMEM;
    return 0;
}

int sdp_attr_parse(struct sdp_session *s, struct sdp_media *m, const char *p, size_t n)
{
    struct sdp_tok t = {p, p + n};
    struct sdp_str name = sdp_tok_until(&t, ':');
    bool has_value = sdp_tok_skip(&t, ':');
    struct sdp_str value = sdp_tok_rest(&t);
    if (!sdp_str_is_token(name))
        return -EBADMSG;
    struct ctx c = {s, m, m ? &m->tr : &s->tr, m ? &m->dir : &s->dir,
                    m ? &m->extmap_allow_mixed : &s->extmap_allow_mixed};
    int level = m ? AT_MEDIA : AT_SESSION;
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
        const struct handler *h = &handlers[i];
        if (!(h->where & level) || !sdp_str_eq(name, h->name))
            continue;
        if ((h->where & AT_RTP) && !(m->proto && strstr(m->proto, "RTP/")))
            break;
        if (has_value == !!(h->where & AT_FLAG))
            return -EBADMSG;
        return h->fn(&c, value);
    }
    if (m)
        return keep_unknown(&m->attrs, &m->nattrs, name, has_value ? &value : NULL);
    return keep_unknown(&s->attrs, &s->nattrs, name, has_value ? &value : NULL);
}
