#include "media/endpoint/pc_sdp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "media/core/errbuf.h"
#include "media/core/sdp_parse.h"

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* Media-level transport attributes override the session's. */
static const struct sdp_transport *pick_tr(const struct sdp_session *s, const struct sdp_media *m)
{
    return m && m->tr.ice_ufrag ? &m->tr : &s->tr;
}

static void read_feedback(const struct sdp_media *m, struct pc_sdp_track *t)
{
    for (size_t i = 0; i < m->nrtcp_fbs; i++) {
        const struct sdp_rtcp_fb *fb = &m->rtcp_fbs[i];
        if (fb->pt != t->pt && fb->pt != -1)
            continue;
        if (strcasecmp(fb->type, "nack") == 0 && !fb->param)
            t->nack = true;
        else if (strcasecmp(fb->type, "nack") == 0 && strcasecmp(fb->param, "pli") == 0)
            t->pli = true;
        else if (strcasecmp(fb->type, "ccm") == 0 && fb->param && strcasecmp(fb->param, "fir") == 0)
            t->fir = true;
        else if (strcasecmp(fb->type, "transport-cc") == 0 && !fb->param)
            t->twcc_fb = true;
    }
    int id = sdp_extmap_id(m, PC_SDP_TWCC_URI);
    t->twcc_ext = id >= 1 && id <= 14 ? id : 0; /* one-byte form only */
}

/* Every audio section with Opus and video section with VP8 (port != 0, with
 * a mid) is taken; track[kind] keeps the first of each kind. */
static void read_section(const struct sdp_media *m, int index, struct pc_sdp_remote *out)
{
    struct pc_sdp_section *sec = &out->sections[out->nsections++];
    copy(sec->type, sizeof sec->type, m->type);
    copy(sec->proto, sizeof sec->proto, m->proto);
    copy(sec->fmt, sizeof sec->fmt, m->nfmts ? m->fmts[0] : "0");
    copy(sec->mid, sizeof sec->mid, m->mid);
    sec->kind = -1;
    int kind = strcmp(m->type, "audio") == 0   ? PC_SDP_AUDIO
               : strcmp(m->type, "video") == 0 ? PC_SDP_VIDEO
                                               : -1;
    if (kind < 0 || m->port == 0 || !m->mid)
        return;
    const struct sdp_rtpmap *rm = sdp_rtpmap_by_name(m, kind == PC_SDP_AUDIO ? "opus" : "VP8");
    if (!rm)
        return;
    struct pc_sdp_track *t = &sec->tr;
    t->present = true;
    t->index = index;
    t->pt = rm->pt;
    t->channels = rm->channels ? rm->channels : 1;
    t->dir = m->dir ? m->dir : SDP_DIR_SENDRECV;
    copy(t->mid, sizeof t->mid, m->mid);
    t->ssrc = m->nssrcs ? m->ssrcs[0].ssrc : 0;
    copy(t->stream, sizeof t->stream, m->nmsids ? m->msids[0].stream : "");
    read_feedback(m, t);
    sec->kind = kind;
    if (!out->track[kind].present)
        out->track[kind] = *t;
}

/* The candidate lines of the first section, straight from the text (the
 * transport hands them to libnice as they were written). */
static void read_candidates(const char *text, size_t len, struct pc_sdp_remote *out)
{
    int section = -1;
    const char *p = text, *end = text + len;
    while (p < end && section < 1) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n > 2 && p[0] == 'm' && p[1] == '=')
            section++;
        else if (section == 0 && n > 12 && memcmp(p, "a=candidate:", 12) == 0 &&
                 n - 2 < PC_SDP_CAND_MAX && out->ncands < PC_SDP_MAX_CANDS)
            snprintf(out->cands[out->ncands++], PC_SDP_CAND_MAX, "%.*s", (int)(n - 2), p + 2);
        p = nl ? nl + 1 : end;
    }
}

static int read_transport(const struct sdp_session *s, struct pc_sdp_remote *out, char *err,
                          size_t errlen)
{
    const struct sdp_media *first = s->nmedia ? &s->media[0] : NULL;
    const struct sdp_transport *tr = pick_tr(s, first);
    if (!tr->ice_ufrag || !tr->ice_pwd)
        return errbuf_fmt(err, errlen, -EBADMSG, "no ice-ufrag/ice-pwd");
    copy(out->ufrag, sizeof out->ufrag, tr->ice_ufrag);
    copy(out->pwd, sizeof out->pwd, tr->ice_pwd);
    const struct sdp_transport *fptr = tr->nfingerprints ? tr : &s->tr;
    size_t i;
    for (i = 0; i < fptr->nfingerprints; i++)
        if (dtls_cert_fp_parse(&out->fingerprint, fptr->fingerprints[i].hash,
                               fptr->fingerprints[i].value) == 0)
            break;
    if (i == fptr->nfingerprints)
        return errbuf_fmt(err, errlen, -EBADMSG, "no usable sha-256 fingerprint");
    out->setup = tr->setup ? tr->setup : s->tr.setup;
    if (!out->setup)
        return errbuf_fmt(err, errlen, -EBADMSG, "no a=setup");
    out->ice_lite = s->ice_lite;
    return 0;
}

int pc_sdp_read(const char *text, size_t len, struct pc_sdp_remote *out, char *err, size_t errlen)
{
    if (!text || !out)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    struct sdp_session s;
    size_t line = 0;
    int rc = sdp_parse(&s, text, len, &line);
    if (rc == -ENOMEM)
        return rc;
    if (rc)
        return errbuf_fmt(err, errlen, -EBADMSG, "malformed SDP at line %zu", line);
    rc = read_transport(&s, out, err, errlen);
    if (!rc && s.nmedia > PC_SDP_MAX_SECTIONS)
        rc = errbuf_fmt(err, errlen, -EBADMSG, "too many m= sections (%zu)", s.nmedia);
    for (size_t i = 0; !rc && i < s.nmedia; i++)
        read_section(&s.media[i], (int)i, out);
    if (!rc && !out->track[PC_SDP_AUDIO].present && !out->track[PC_SDP_VIDEO].present)
        rc = errbuf_fmt(err, errlen, -ENOTSUP, "no Opus audio or VP8 video section");
    if (!rc) {
        const struct sdp_media *m = &s.media[0];
        if (s.nmedia > 1 && !sdp_group_by_semantics(&s, "BUNDLE"))
            rc = errbuf_fmt(err, errlen, -EBADMSG, "several sections without BUNDLE");
        else if (!m->rtcp_mux)
            rc = errbuf_fmt(err, errlen, -EBADMSG, "no rtcp-mux");
    }
    if (!rc)
        read_candidates(text, len, out);
    sdp_free(&s);
    return rc;
}
