/* sub_sdp — the answer half: reading a subscriber's answer (through
 * media/core/sdp_parse) and matching it against the sections offered. */
#include "sfu/core/sub_sdp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "media/core/errbuf.h"
#include "media/core/sdp_candidate.h"
#include "media/core/sdp_parse.h"

/* Copy src into dst[0..cap) when it fits; false when it does not. */
static bool copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        return false;
    memcpy(dst, src ? src : "", n + 1);
    return true;
}

/* Media-level transport attributes override the session's. */
static const struct sdp_transport *pick_tr(const struct sdp_session *s, const struct sdp_media *m)
{
    return m && m->tr.ice_ufrag ? &m->tr : &s->tr;
}

static void read_feedback(const struct sdp_media *m, struct sub_sdp_answer_section *a)
{
    for (size_t i = 0; i < m->nrtcp_fbs; i++) {
        const struct sdp_rtcp_fb *fb = &m->rtcp_fbs[i];
        if (fb->pt != a->pt && fb->pt != -1)
            continue;
        bool nack = strcasecmp(fb->type, "nack") == 0;
        if (nack && !fb->param)
            a->nack = true;
        else if (nack && strcasecmp(fb->param, "pli") == 0)
            a->pli = true;
        else if (strcasecmp(fb->type, "ccm") == 0 && fb->param && strcasecmp(fb->param, "fir") == 0)
            a->fir = true;
    }
}

static int read_section(const struct sdp_media *m, size_t i, struct sub_sdp_answer_section *a,
                        char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    if (strcmp(m->type, "audio") != 0 && strcmp(m->type, "video") != 0)
        return errbuf_fmt(err, errlen, -EBADMSG, "section %zu: m=%s", i, m->type);
    if (!m->mid || !copy(a->mid, sizeof a->mid, m->mid))
        return errbuf_fmt(err, errlen, -EBADMSG, "section %zu: no a=mid, or one too long", i);
    a->audio = strcmp(m->type, "audio") == 0;
    a->accepted = m->port != 0;
    a->dir = m->dir ? m->dir : SDP_DIR_SENDRECV;
    a->pt = -1;
    if (m->nfmts) {
        const struct sdp_rtpmap *rm = sdp_rtpmap_by_name(m, a->audio ? "opus" : "VP8");
        a->pt = rm ? rm->pt : -1;
    }
    read_feedback(m, a);
    if (a->accepted && !m->rtcp_mux)
        return errbuf_fmt(err, errlen, -EBADMSG, "section %zu: no rtcp-mux", i);
    return 0;
}

static int read_fingerprint(const struct sdp_transport *tr, struct sub_sdp_answer *out, char *err,
                            size_t errlen)
{
    for (size_t i = 0; i < tr->nfingerprints; i++) {
        const struct sdp_fingerprint *fp = &tr->fingerprints[i];
        if (strcasecmp(fp->hash, "sha-256") != 0)
            continue;
        if (strlen(fp->value) != 95 || !copy(out->fingerprint, sizeof out->fingerprint, fp->value))
            return errbuf_fmt(err, errlen, -EBADMSG, "malformed sha-256 fingerprint");
        copy(out->fp_hash, sizeof out->fp_hash, "sha-256");
        return 0;
    }
    return errbuf_fmt(err, errlen, -EBADMSG, "no sha-256 fingerprint");
}

static int read_transport(const struct sdp_session *s, const struct sdp_media *m,
                          struct sub_sdp_answer *out, char *err, size_t errlen)
{
    const struct sdp_transport *tr = pick_tr(s, m);
    if (!tr->ice_ufrag || !tr->ice_pwd)
        return errbuf_fmt(err, errlen, -EBADMSG, "no ice-ufrag/ice-pwd");
    if (!copy(out->ufrag, sizeof out->ufrag, tr->ice_ufrag) ||
        !copy(out->pwd, sizeof out->pwd, tr->ice_pwd))
        return errbuf_fmt(err, errlen, -EBADMSG, "ice-ufrag/ice-pwd too long");
    int rc = read_fingerprint(tr->nfingerprints ? tr : &s->tr, out, err, errlen);
    if (rc)
        return rc;
    out->setup = tr->setup ? tr->setup : s->tr.setup;
    if (out->setup != SDP_SETUP_ACTIVE && out->setup != SDP_SETUP_PASSIVE)
        return errbuf_fmt(err, errlen, -EBADMSG, "a=setup must be active or passive in an answer");
    return 0;
}

/* The candidates of the transport's section, back to text. */
static void read_candidates(const struct sdp_media *m, struct sub_sdp_answer *out)
{
    out->end_of_candidates = m->end_of_candidates;
    for (size_t i = 0; i < m->ncands && out->ncands < SUB_SDP_MAX_CANDS; i++) {
        size_t n = 0;
        if (sdp_candidate_write(&m->cands[i], out->cands[out->ncands], SUB_SDP_CAND_MAX, &n) == 0)
            out->ncands++;
    }
}

/* The first accepted section carries the bundle's transport. */
static const struct sdp_media *transport_section(const struct sdp_session *s)
{
    for (size_t i = 0; i < s->nmedia; i++)
        if (s->media[i].port)
            return &s->media[i];
    return NULL;
}

static int read_session(const struct sdp_session *s, struct sub_sdp_answer *out, char *err,
                        size_t errlen)
{
    if (s->nmedia == 0 || s->nmedia > SUB_SDP_MAX_TRACKS)
        return errbuf_fmt(err, errlen, -EBADMSG, "%zu m= sections", s->nmedia);
    const struct sdp_media *m = transport_section(s);
    if (!m)
        return errbuf_fmt(err, errlen, -EBADMSG, "every section rejected");
    if (!sdp_group_by_semantics(s, "BUNDLE"))
        return errbuf_fmt(err, errlen, -EBADMSG, "no BUNDLE group");
    int rc = read_transport(s, m, out, err, errlen);
    for (size_t i = 0; !rc && i < s->nmedia; i++)
        rc = read_section(&s->media[i], i, &out->sections[i], err, errlen);
    if (rc)
        return rc;
    out->nsections = s->nmedia;
    read_candidates(m, out);
    return 0;
}

int sub_sdp_read_answer(const char *sdp, size_t len, struct sub_sdp_answer *out, char *err,
                        size_t errlen)
{
    if (!sdp || !out)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    struct sdp_session s;
    size_t line = 0;
    int rc = sdp_parse(&s, sdp, len, &line);
    if (rc == -ENOMEM)
        return rc;
    if (rc)
        return errbuf_fmt(err, errlen, -EBADMSG, "malformed SDP at line %zu", line);
    rc = read_session(&s, out, err, errlen);
    sdp_free(&s);
    if (rc)
        memset(out, 0, sizeof *out);
    return rc;
}

static int check_section(const struct sub_sdp_track *t, const struct sub_sdp_answer_section *a,
                         size_t i, char *err, size_t errlen)
{
    if (strcmp(t->mid, a->mid) != 0 || t->audio != a->audio)
        return errbuf_fmt(err, errlen, -EBADMSG, "section %zu: %s mid %s, offered %s mid %s", i,
                          a->audio ? "audio" : "video", a->mid, t->audio ? "audio" : "video",
                          t->mid);
    if (t->state == SUB_SDP_ENDED)
        return a->accepted
                   ? errbuf_fmt(err, errlen, -EBADMSG, "mid %s: rejected section accepted", t->mid)
                   : 0;
    if (!a->accepted)
        return errbuf_fmt(err, errlen, -EBADMSG, "mid %s: rejected", t->mid);
    if (t->state == SUB_SDP_IDLE)
        return a->dir == SDP_DIR_INACTIVE
                   ? 0
                   : errbuf_fmt(err, errlen, -EBADMSG, "mid %s: not inactive", t->mid);
    if (a->dir != SDP_DIR_RECVONLY && a->dir != SDP_DIR_INACTIVE)
        return errbuf_fmt(err, errlen, -EBADMSG, "mid %s: direction %s", t->mid,
                          sdp_dir_name(a->dir));
    if (a->pt != (t->audio ? SUB_SDP_PT_OPUS : SUB_SDP_PT_VP8))
        return errbuf_fmt(err, errlen, -EBADMSG, "mid %s: codec not accepted", t->mid);
    return 0;
}

int sub_sdp_check_answer(const struct sub_sdp *s, const struct sub_sdp_answer *a, char *err,
                         size_t errlen)
{
    if (!s || !a)
        return -EINVAL;
    if (a->nsections != s->ntracks)
        return errbuf_fmt(err, errlen, -EBADMSG, "%zu sections answered, %zu offered", a->nsections,
                          s->ntracks);
    for (size_t i = 0; i < s->ntracks; i++) {
        int rc = check_section(&s->tracks[i], &a->sections[i], i, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}
