#include "media/core/sdp.h"

#include <string.h>
#include <strings.h>

#include "media/core/mem.h"
#include "media/core/sdp_candidate.h"
#include "media/core/sdp_simulcast.h"

static const char *const dir_names[] = {NULL, "sendrecv", "sendonly", "recvonly", "inactive"};
static const char *const setup_names[] = {NULL, "actpass", "active", "passive", "holdconn"};

const char *sdp_dir_name(enum sdp_dir d)
{
    return (unsigned)d < sizeof dir_names / sizeof dir_names[0] ? dir_names[d] : NULL;
}

const char *sdp_setup_name(enum sdp_setup v)
{
    return (unsigned)v < sizeof setup_names / sizeof setup_names[0] ? setup_names[v] : NULL;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mem_free(v[i]);
    mem_free(v);
}

static void free_conn(struct sdp_conn *c)
{
    mem_free(c->nettype);
    mem_free(c->addrtype);
    mem_free(c->addr);
}

static void free_lines(struct sdp_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mem_free(l[i].value);
    mem_free(l);
}

static void free_bws(struct sdp_bandwidth *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mem_free(b[i].type);
    mem_free(b);
}

static void free_attrs(struct sdp_attr *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mem_free(a[i].name);
        mem_free(a[i].value);
    }
    mem_free(a);
}

static void free_transport(struct sdp_transport *t)
{
    mem_free(t->ice_ufrag);
    mem_free(t->ice_pwd);
    mem_free(t->ice_options);
    for (size_t i = 0; i < t->nfingerprints; i++) {
        mem_free(t->fingerprints[i].hash);
        mem_free(t->fingerprints[i].value);
    }
    mem_free(t->fingerprints);
}

static void free_rtp(struct sdp_media *m)
{
    for (size_t i = 0; i < m->nrtpmaps; i++)
        mem_free(m->rtpmaps[i].encoding);
    mem_free(m->rtpmaps);
    for (size_t i = 0; i < m->nfmtps; i++)
        mem_free(m->fmtps[i].params);
    mem_free(m->fmtps);
    for (size_t i = 0; i < m->nrtcp_fbs; i++) {
        mem_free(m->rtcp_fbs[i].type);
        mem_free(m->rtcp_fbs[i].param);
    }
    mem_free(m->rtcp_fbs);
    for (size_t i = 0; i < m->nextmaps; i++) {
        mem_free(m->extmaps[i].uri);
        mem_free(m->extmaps[i].attrs);
    }
    mem_free(m->extmaps);
    for (size_t i = 0; i < m->nssrcs; i++) {
        mem_free(m->ssrcs[i].attr);
        mem_free(m->ssrcs[i].value);
    }
    mem_free(m->ssrcs);
    for (size_t i = 0; i < m->nssrc_groups; i++) {
        mem_free(m->ssrc_groups[i].semantics);
        mem_free(m->ssrc_groups[i].ssrcs);
    }
    mem_free(m->ssrc_groups);
    for (size_t i = 0; i < m->nrids; i++) {
        mem_free(m->rids[i].id);
        mem_free(m->rids[i].params);
    }
    mem_free(m->rids);
}

static void free_media(struct sdp_media *m)
{
    mem_free(m->type);
    mem_free(m->proto);
    free_strv(m->fmts, m->nfmts);
    free_lines(m->lines, m->nlines);
    free_conn(&m->conn);
    free_bws(m->bws, m->nbws);
    free_conn(&m->rtcp.conn);
    free_transport(&m->tr);
    for (size_t i = 0; i < m->ncands; i++)
        sdp_candidate_free(&m->cands[i]);
    mem_free(m->cands);
    mem_free(m->mid);
    for (size_t i = 0; i < m->nmsids; i++) {
        mem_free(m->msids[i].stream);
        mem_free(m->msids[i].track);
    }
    mem_free(m->msids);
    free_rtp(m);
    sdp_simulcast_free(&m->simulcast);
    free_attrs(m->attrs, m->nattrs);
}

void sdp_free(struct sdp_session *s)
{
    if (!s)
        return;
    struct sdp_origin *o = &s->origin;
    mem_free(o->username);
    mem_free(o->nettype);
    mem_free(o->addrtype);
    mem_free(o->addr);
    mem_free(s->name);
    free_lines(s->lines, s->nlines);
    free_conn(&s->conn);
    free_bws(s->bws, s->nbws);
    for (size_t i = 0; i < s->ntimes; i++)
        free_strv(s->times[i].repeats, s->times[i].nrepeats);
    mem_free(s->times);
    for (size_t i = 0; i < s->ngroups; i++) {
        mem_free(s->groups[i].semantics);
        free_strv(s->groups[i].mids, s->groups[i].nmids);
    }
    mem_free(s->groups);
    free_transport(&s->tr);
    mem_free(s->msid_semantic);
    free_strv(s->msid_ids, s->nmsid_ids);
    free_attrs(s->attrs, s->nattrs);
    for (size_t i = 0; i < s->nmedia; i++)
        free_media(&s->media[i]);
    mem_free(s->media);
    memset(s, 0, sizeof *s);
}

const struct sdp_media *sdp_media_by_mid(const struct sdp_session *s, const char *mid)
{
    for (size_t i = 0; i < s->nmedia; i++)
        if (s->media[i].mid && mid && strcmp(s->media[i].mid, mid) == 0)
            return &s->media[i];
    return NULL;
}

const struct sdp_group *sdp_group_by_semantics(const struct sdp_session *s, const char *semantics)
{
    for (size_t i = 0; i < s->ngroups; i++)
        if (s->groups[i].semantics && strcasecmp(s->groups[i].semantics, semantics) == 0)
            return &s->groups[i];
    return NULL;
}

const struct sdp_rtpmap *sdp_rtpmap_by_pt(const struct sdp_media *m, int pt)
{
    for (size_t i = 0; i < m->nrtpmaps; i++)
        if (m->rtpmaps[i].pt == pt)
            return &m->rtpmaps[i];
    return NULL;
}

/* The payload type written in the n digits at p (1..3 digits, <= 127), or -1. */
static int pt_of(const char *p, size_t n)
{
    if (!p || n == 0 || n > 3)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v <= 127 ? v : -1;
}

const struct sdp_rtpmap *sdp_rtpmap_by_name(const struct sdp_media *m, const char *encoding)
{
    for (size_t i = 0; i < m->nfmts; i++) {
        int pt = m->fmts[i] ? pt_of(m->fmts[i], strlen(m->fmts[i])) : -1;
        if (pt < 0)
            continue;
        const struct sdp_rtpmap *r = sdp_rtpmap_by_pt(m, pt);
        if (r && r->encoding && strcasecmp(r->encoding, encoding) == 0)
            return r;
    }
    return NULL;
}

const struct sdp_fmtp *sdp_fmtp_by_pt(const struct sdp_media *m, int pt)
{
    for (size_t i = 0; i < m->nfmtps; i++)
        if (m->fmtps[i].pt == pt)
            return &m->fmtps[i];
    return NULL;
}

/* An fmtp parameter list "a=1;apt=96" holds apt=<pt> (RFC 4588 §8.6). */
static bool has_apt(const char *params, int pt)
{
    for (const char *p = params; p && *p;) {
        p += strspn(p, " ;");
        size_t n = strcspn(p, "; ");
        if (n > 4 && strncmp(p, "apt=", 4) == 0 && pt_of(p + 4, n - 4) == pt)
            return true;
        p += n;
    }
    return false;
}

int sdp_rtx_pt(const struct sdp_media *m, int pt)
{
    for (size_t i = 0; i < m->nrtpmaps; i++) {
        const struct sdp_rtpmap *r = &m->rtpmaps[i];
        if (!r->encoding || strcasecmp(r->encoding, "rtx") != 0)
            continue;
        for (size_t j = 0; j < m->nfmtps; j++)
            if (m->fmtps[j].pt == r->pt && has_apt(m->fmtps[j].params, pt))
                return r->pt;
    }
    return -1;
}

int sdp_extmap_id(const struct sdp_media *m, const char *uri)
{
    for (size_t i = 0; i < m->nextmaps; i++)
        if (m->extmaps[i].uri && uri && strcmp(m->extmaps[i].uri, uri) == 0)
            return m->extmaps[i].id;
    return 0;
}
