#include "media/core/sdp_attr_rtp.h"

#include <errno.h>
#include <string.h>

#include "media/core/sdp_attr.h"
#include "media/core/sdp_simulcast.h"
#include "media/core/sdp_vec.h"

#define PT_MAX 127

/* "<pt> " at the start of v, the space consumed. */
static bool leading_pt(struct sdp_tok *t, uint64_t *pt)
{
    struct sdp_str s = sdp_tok_until(t, ' ');
    return sdp_tok_skip(t, ' ') && sdp_str_u64(s, PT_MAX, pt);
}

/* What follows a separating space: non-empty, or absent (NULL). */
static int optional_rest(struct sdp_tok *t, char **dst)
{
    if (sdp_tok_eof(t))
        return 0;
    if (!sdp_tok_skip(t, ' ') || sdp_tok_eof(t))
        return -EBADMSG;
    return sdp_str_set(dst, sdp_tok_rest(t));
}

/* a=rtpmap:<pt> <encoding>/<clock>[/<channels>] (RFC 8866 §6.6) */
int sdp_attr_rtp_rtpmap(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    uint64_t pt, clock, ch = 0;
    if (!leading_pt(&t, &pt))
        return -EBADMSG;
    struct sdp_str enc = sdp_tok_until(&t, '/');
    if (!sdp_str_is_token(enc) || !sdp_tok_skip(&t, '/'))
        return -EBADMSG;
    if (!sdp_str_u64(sdp_tok_until(&t, '/'), UINT32_MAX, &clock) || clock == 0)
        return -EBADMSG;
    if (sdp_tok_skip(&t, '/') && (!sdp_str_u64(sdp_tok_rest(&t), 255, &ch) || ch == 0))
        return -EBADMSG;
    if (!sdp_tok_eof(&t) || sdp_rtpmap_by_pt(m, (int)pt))
        return -EBADMSG;
    struct sdp_rtpmap *r = sdp_vec_push(&m->rtpmaps, &m->nrtpmaps, sizeof *r);
    if (!r || !(r->encoding = sdp_str_dup(enc)))
        return -ENOMEM;
    r->pt = (uint8_t)pt;
    r->clock = (uint32_t)clock;
    r->channels = (uint8_t)ch;
    return 0;
}

/* a=fmtp:<pt> <parameters> (RFC 8866 §6.15) */
int sdp_attr_rtp_fmtp(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    uint64_t pt;
    if (!leading_pt(&t, &pt) || sdp_tok_eof(&t))
        return -EBADMSG;
    struct sdp_fmtp *f = sdp_vec_push(&m->fmtps, &m->nfmtps, sizeof *f);
    if (!f || !(f->params = sdp_str_dup(sdp_tok_rest(&t))))
        return -ENOMEM;
    f->pt = (uint8_t)pt;
    return 0;
}

/* a=rtcp-fb:<pt|*> <type>[ <param>] (RFC 4585 §4.2) */
int sdp_attr_rtp_rtcp_fb(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str pts = sdp_tok_until(&t, ' ');
    uint64_t pt = 0;
    bool any = sdp_str_eq(pts, "*");
    if (!sdp_tok_skip(&t, ' ') || (!any && !sdp_str_u64(pts, PT_MAX, &pt)))
        return -EBADMSG;
    struct sdp_str type = sdp_tok_until(&t, ' ');
    if (!sdp_str_is_token(type))
        return -EBADMSG;
    struct sdp_rtcp_fb *fb = sdp_vec_push(&m->rtcp_fbs, &m->nrtcp_fbs, sizeof *fb);
    if (!fb || !(fb->type = sdp_str_dup(type)))
        return -ENOMEM;
    fb->pt = any ? -1 : (int)pt;
    return optional_rest(&t, &fb->param);
}

static bool extmap_id_ok(uint64_t id)
{
    /* RFC 8285 §5: 1-255 in use, 4096-4351 in offers for negotiation. */
    return (id >= 1 && id <= 255) || (id >= 4096 && id <= 4351);
}

/* a=extmap:<id>[/<direction>] <uri>[ <attributes>] (RFC 8285 §8) */
int sdp_attr_rtp_extmap(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str head = sdp_tok_until(&t, ' ');
    if (!sdp_tok_skip(&t, ' '))
        return -EBADMSG;
    struct sdp_tok h = sdp_tok_of(head);
    uint64_t id;
    if (!sdp_str_u64(sdp_tok_until(&h, '/'), 4351, &id) || !extmap_id_ok(id))
        return -EBADMSG;
    enum sdp_dir dir = SDP_DIR_NONE;
    if (sdp_tok_skip(&h, '/')) {
        struct sdp_str d = sdp_tok_rest(&h);
        if ((dir = sdp_attr_dir(d.p, d.n)) == SDP_DIR_NONE)
            return -EBADMSG;
    }
    struct sdp_str uri = sdp_tok_until(&t, ' ');
    if (uri.n == 0)
        return -EBADMSG;
    for (size_t i = 0; i < m->nextmaps; i++)
        if (m->extmaps[i].id == id)
            return -EBADMSG;
    struct sdp_extmap *e = sdp_vec_push(&m->extmaps, &m->nextmaps, sizeof *e);
    if (!e || !(e->uri = sdp_str_dup(uri)))
        return -ENOMEM;
    e->id = (uint16_t)id;
    e->dir = dir;
    return optional_rest(&t, &e->attrs);
}

/* a=ssrc:<ssrc> <attribute>[:<value>] (RFC 5576 §4.1) */
int sdp_attr_rtp_ssrc(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    uint64_t ssrc;
    if (!sdp_str_u64(sdp_tok_until(&t, ' '), UINT32_MAX, &ssrc) || !sdp_tok_skip(&t, ' '))
        return -EBADMSG;
    struct sdp_str attr = sdp_tok_until(&t, ':');
    if (!sdp_str_is_token(attr))
        return -EBADMSG;
    struct sdp_ssrc *s = sdp_vec_push(&m->ssrcs, &m->nssrcs, sizeof *s);
    if (!s || !(s->attr = sdp_str_dup(attr)))
        return -ENOMEM;
    s->ssrc = (uint32_t)ssrc;
    if (sdp_tok_skip(&t, ':') && !(s->value = sdp_str_dup(sdp_tok_rest(&t))))
        return -ENOMEM;
    return 0;
}

/* a=ssrc-group:<semantics> *(SP <ssrc>) (RFC 5576 §4.2) */
int sdp_attr_rtp_ssrc_group(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str sem = sdp_tok_until(&t, ' ');
    if (!sdp_str_is_token(sem))
        return -EBADMSG;
    struct sdp_ssrc_group *g = sdp_vec_push(&m->ssrc_groups, &m->nssrc_groups, sizeof *g);
    if (!g || !(g->semantics = sdp_str_dup(sem)))
        return -ENOMEM;
    while (sdp_tok_skip(&t, ' ')) {
        uint64_t ssrc;
        if (!sdp_str_u64(sdp_tok_until(&t, ' '), UINT32_MAX, &ssrc))
            return -EBADMSG;
        uint32_t *slot = sdp_vec_push(&g->ssrcs, &g->nssrcs, sizeof *slot);
        if (!slot)
            return -ENOMEM;
        *slot = (uint32_t)ssrc;
    }
    return sdp_tok_eof(&t) ? 0 : -EBADMSG;
}

/* a=rid:<rid-id> <send|recv>[ <params>] (RFC 8851 §10) */
int sdp_attr_rtp_rid(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str id = sdp_tok_until(&t, ' ');
    if (!sdp_simulcast_is_rid(id.p, id.n) || !sdp_tok_skip(&t, ' '))
        return -EBADMSG;
    struct sdp_str dir = sdp_tok_until(&t, ' ');
    bool send = sdp_str_eq(dir, "send");
    if (!send && !sdp_str_eq(dir, "recv"))
        return -EBADMSG;
    struct sdp_rid *r = sdp_vec_push(&m->rids, &m->nrids, sizeof *r);
    if (!r || !(r->id = sdp_str_dup(id)))
        return -ENOMEM;
    r->dir = send ? SDP_RID_SEND : SDP_RID_RECV;
    return optional_rest(&t, &r->params);
}

void sdp_attr_rtp_put_extmaps(struct sdp_buf *b, const struct sdp_media *m)
{
    for (size_t i = 0; i < m->nextmaps; i++) {
        const struct sdp_extmap *e = &m->extmaps[i];
        sdp_buf_attr(b, "extmap");
        sdp_buf_u64(b, e->id);
        if (e->dir != SDP_DIR_NONE) {
            sdp_buf_char(b, '/');
            sdp_buf_str(b, sdp_dir_name(e->dir));
        }
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, e->uri);
        if (e->attrs) {
            sdp_buf_char(b, ' ');
            sdp_buf_str(b, e->attrs);
        }
        sdp_buf_eol(b);
    }
}

static void put_rtpmap(struct sdp_buf *b, const struct sdp_rtpmap *r)
{
    sdp_buf_attr(b, "rtpmap");
    sdp_buf_u64(b, r->pt);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, r->encoding);
    sdp_buf_char(b, '/');
    sdp_buf_u64(b, r->clock);
    if (r->channels) {
        sdp_buf_char(b, '/');
        sdp_buf_u64(b, r->channels);
    }
    sdp_buf_eol(b);
}

static void put_rtcp_fb(struct sdp_buf *b, const struct sdp_rtcp_fb *fb)
{
    sdp_buf_attr(b, "rtcp-fb");
    if (fb->pt < 0)
        sdp_buf_char(b, '*');
    else
        sdp_buf_u64(b, (uint64_t)fb->pt);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, fb->type);
    if (fb->param) {
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, fb->param);
    }
    sdp_buf_eol(b);
}

static void put_fmtp(struct sdp_buf *b, const struct sdp_fmtp *f)
{
    sdp_buf_attr(b, "fmtp");
    sdp_buf_u64(b, f->pt);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, f->params);
    sdp_buf_eol(b);
}

/* Payload types already written, one bit each. */
struct pt_set {
    uint64_t bits[2];
};

static bool pt_done(const struct pt_set *s, int pt)
{
    return pt >= 0 && pt <= PT_MAX && (s->bits[pt / 64] >> (pt % 64) & 1);
}

/* libwebrtc's order for one payload type: rtpmap, its rtcp-fb, its fmtp. */
static void put_pt(struct sdp_buf *b, const struct sdp_media *m, int pt, struct pt_set *done)
{
    const struct sdp_rtpmap *r = sdp_rtpmap_by_pt(m, pt);
    if (r)
        put_rtpmap(b, r);
    for (size_t i = 0; i < m->nrtcp_fbs; i++)
        if (m->rtcp_fbs[i].pt == pt)
            put_rtcp_fb(b, &m->rtcp_fbs[i]);
    for (size_t i = 0; i < m->nfmtps; i++)
        if (m->fmtps[i].pt == pt)
            put_fmtp(b, &m->fmtps[i]);
    done->bits[pt / 64] |= UINT64_C(1) << (pt % 64);
}

void sdp_attr_rtp_put_codecs(struct sdp_buf *b, const struct sdp_media *m)
{
    struct pt_set done = {{0, 0}};
    for (size_t i = 0; i < m->nfmts; i++) {
        uint64_t pt;
        const char *f = m->fmts[i];
        if (f && sdp_str_u64((struct sdp_str){f, strlen(f)}, PT_MAX, &pt) &&
            !pt_done(&done, (int)pt))
            put_pt(b, m, (int)pt, &done);
    }
    for (size_t i = 0; i < m->nrtpmaps; i++)
        if (!pt_done(&done, m->rtpmaps[i].pt))
            put_pt(b, m, m->rtpmaps[i].pt, &done);
    for (size_t i = 0; i < m->nrtcp_fbs; i++)
        if (!pt_done(&done, m->rtcp_fbs[i].pt))
            put_rtcp_fb(b, &m->rtcp_fbs[i]);
    for (size_t i = 0; i < m->nfmtps; i++)
        if (!pt_done(&done, m->fmtps[i].pt))
            put_fmtp(b, &m->fmtps[i]);
}

void sdp_attr_rtp_put_ssrcs(struct sdp_buf *b, const struct sdp_media *m)
{
    for (size_t i = 0; i < m->nssrc_groups; i++) {
        const struct sdp_ssrc_group *g = &m->ssrc_groups[i];
        sdp_buf_attr(b, "ssrc-group");
        sdp_buf_str(b, g->semantics);
        for (size_t j = 0; j < g->nssrcs; j++) {
            sdp_buf_char(b, ' ');
            sdp_buf_u64(b, g->ssrcs[j]);
        }
        sdp_buf_eol(b);
    }
    for (size_t i = 0; i < m->nssrcs; i++) {
        const struct sdp_ssrc *s = &m->ssrcs[i];
        sdp_buf_attr(b, "ssrc");
        sdp_buf_u64(b, s->ssrc);
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, s->attr);
        if (s->value) {
            sdp_buf_char(b, ':');
            sdp_buf_str(b, s->value);
        }
        sdp_buf_eol(b);
    }
    for (size_t i = 0; i < m->nrids; i++) {
        const struct sdp_rid *r = &m->rids[i];
        sdp_buf_attr(b, "rid");
        sdp_buf_str(b, r->id);
        sdp_buf_str(b, r->dir == SDP_RID_SEND ? " send" : " recv");
        if (r->params) {
            sdp_buf_char(b, ' ');
            sdp_buf_str(b, r->params);
        }
        sdp_buf_eol(b);
    }
}
