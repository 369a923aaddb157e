#include "media/core/sdp_write.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/sdp_attr_rtp.h"
#include "media/core/sdp_buf.h"
#include "media/core/sdp_candidate.h"
#include "media/core/sdp_simulcast.h"

/* The kept lines whose type is in `types`, in order. */
static void put_lines(struct sdp_buf *b, const struct sdp_line *l, size_t n, const char *types)
{
    for (size_t i = 0; i < n; i++) {
        if (!l[i].type || !strchr(types, l[i].type))
            continue;
        sdp_buf_char(b, l[i].type);
        sdp_buf_char(b, '=');
        sdp_buf_str(b, l[i].value);
        sdp_buf_eol(b);
    }
}

/* Every kept line must have a type the writer places somewhere. */
static void check_lines(struct sdp_buf *b, const struct sdp_line *l, size_t n, const char *types)
{
    for (size_t i = 0; i < n; i++)
        if (!l[i].type || !strchr(types, l[i].type))
            sdp_buf_invalid(b);
}

static void put_conn_fields(struct sdp_buf *b, const struct sdp_conn *c)
{
    sdp_buf_str(b, c->nettype);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, c->addrtype);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, c->addr);
}

static void put_conn(struct sdp_buf *b, const struct sdp_conn *c)
{
    if (!c->nettype)
        return;
    sdp_buf_mem(b, "c=", 2);
    put_conn_fields(b, c);
    sdp_buf_eol(b);
}

static void put_bws(struct sdp_buf *b, const struct sdp_bandwidth *bw, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sdp_buf_mem(b, "b=", 2);
        sdp_buf_str(b, bw[i].type);
        sdp_buf_char(b, ':');
        sdp_buf_u64(b, bw[i].value);
        sdp_buf_eol(b);
    }
}

static void put_value_attr(struct sdp_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    sdp_buf_attr(b, name);
    sdp_buf_str(b, value);
    sdp_buf_eol(b);
}

static void put_flag(struct sdp_buf *b, const char *name, bool on)
{
    if (!on)
        return;
    sdp_buf_mem(b, "a=", 2);
    sdp_buf_str(b, name);
    sdp_buf_eol(b);
}

static void put_strv(struct sdp_buf *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, v[i]);
    }
}

static void put_transport(struct sdp_buf *b, const struct sdp_transport *tr)
{
    put_value_attr(b, "ice-ufrag", tr->ice_ufrag);
    put_value_attr(b, "ice-pwd", tr->ice_pwd);
    put_value_attr(b, "ice-options", tr->ice_options);
    for (size_t i = 0; i < tr->nfingerprints; i++) {
        sdp_buf_attr(b, "fingerprint");
        sdp_buf_str(b, tr->fingerprints[i].hash);
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, tr->fingerprints[i].value);
        sdp_buf_eol(b);
    }
    put_value_attr(b, "setup", sdp_setup_name(tr->setup));
}

static void put_attrs(struct sdp_buf *b, const struct sdp_attr *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sdp_buf_mem(b, "a=", 2);
        sdp_buf_str(b, a[i].name);
        if (a[i].value) {
            sdp_buf_char(b, ':');
            sdp_buf_str(b, a[i].value);
        }
        sdp_buf_eol(b);
    }
}

static void put_media_line(struct sdp_buf *b, const struct sdp_media *m)
{
    sdp_buf_mem(b, "m=", 2);
    sdp_buf_str(b, m->type);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, m->port);
    if (m->port_count) {
        sdp_buf_char(b, '/');
        sdp_buf_u64(b, m->port_count);
    }
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, m->proto);
    if (m->nfmts == 0)
        sdp_buf_invalid(b); /* RFC 8866 §5.14: at least one format */
    put_strv(b, m->fmts, m->nfmts);
    sdp_buf_eol(b);
}

static void put_rtcp(struct sdp_buf *b, const struct sdp_rtcp *r)
{
    if (!r->present)
        return;
    sdp_buf_attr(b, "rtcp");
    sdp_buf_u64(b, r->port);
    if (r->conn.nettype) {
        sdp_buf_char(b, ' ');
        put_conn_fields(b, &r->conn);
    }
    sdp_buf_eol(b);
}

static void put_msids(struct sdp_buf *b, const struct sdp_media *m)
{
    for (size_t i = 0; i < m->nmsids; i++) {
        sdp_buf_attr(b, "msid");
        sdp_buf_str(b, m->msids[i].stream);
        if (m->msids[i].track) {
            sdp_buf_char(b, ' ');
            sdp_buf_str(b, m->msids[i].track);
        }
        sdp_buf_eol(b);
    }
}

static void put_media(struct sdp_buf *b, const struct sdp_media *m)
{
    check_lines(b, m->lines, m->nlines, "ik");
    put_media_line(b, m);
    put_lines(b, m->lines, m->nlines, "i");
    put_conn(b, &m->conn);
    put_bws(b, m->bws, m->nbws);
    put_lines(b, m->lines, m->nlines, "k");
    put_rtcp(b, &m->rtcp);
    for (size_t i = 0; i < m->ncands; i++) {
        sdp_buf_attr(b, "candidate");
        sdp_candidate_put(b, &m->cands[i]);
        sdp_buf_eol(b);
    }
    put_flag(b, "end-of-candidates", m->end_of_candidates);
    put_transport(b, &m->tr);
    put_value_attr(b, "mid", m->mid);
    sdp_attr_rtp_put_extmaps(b, m);
    put_flag(b, "extmap-allow-mixed", m->extmap_allow_mixed);
    put_flag(b, sdp_dir_name(m->dir), m->dir != SDP_DIR_NONE);
    put_msids(b, m);
    put_flag(b, "rtcp-mux", m->rtcp_mux);
    put_flag(b, "rtcp-rsize", m->rtcp_rsize);
    put_attrs(b, m->attrs, m->nattrs);
    sdp_attr_rtp_put_codecs(b, m);
    sdp_attr_rtp_put_ssrcs(b, m);
    if (m->simulcast.present) {
        sdp_buf_attr(b, "simulcast");
        sdp_simulcast_put(b, &m->simulcast);
        sdp_buf_eol(b);
    }
}

static void put_head(struct sdp_buf *b, const struct sdp_session *s)
{
    const struct sdp_origin *o = &s->origin;
    sdp_buf_mem(b, "v=0\r\no=", 7);
    sdp_buf_str(b, o->username);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, o->sess_id);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, o->sess_version);
    sdp_buf_char(b, ' ');
    put_conn_fields(b, &(struct sdp_conn){o->nettype, o->addrtype, o->addr});
    sdp_buf_eol(b);
    sdp_buf_mem(b, "s=", 2);
    sdp_buf_str(b, s->name && !*s->name ? " " : s->name);
    sdp_buf_eol(b);
    check_lines(b, s->lines, s->nlines, "iuepzk");
    put_lines(b, s->lines, s->nlines, "iuep");
    put_conn(b, &s->conn);
    put_bws(b, s->bws, s->nbws);
    for (size_t i = 0; i < s->ntimes; i++) {
        sdp_buf_mem(b, "t=", 2);
        sdp_buf_u64(b, s->times[i].start);
        sdp_buf_char(b, ' ');
        sdp_buf_u64(b, s->times[i].stop);
        sdp_buf_eol(b);
        for (size_t j = 0; j < s->times[i].nrepeats; j++) {
            sdp_buf_mem(b, "r=", 2);
            sdp_buf_str(b, s->times[i].repeats[j]);
            sdp_buf_eol(b);
        }
    }
    if (s->ntimes == 0)
        sdp_buf_mem(b, "t=0 0\r\n", 7);
    put_lines(b, s->lines, s->nlines, "zk");
}

static void put_session_attrs(struct sdp_buf *b, const struct sdp_session *s)
{
    for (size_t i = 0; i < s->ngroups; i++) {
        sdp_buf_attr(b, "group");
        sdp_buf_str(b, s->groups[i].semantics);
        put_strv(b, s->groups[i].mids, s->groups[i].nmids);
        sdp_buf_eol(b);
    }
    put_flag(b, "extmap-allow-mixed", s->extmap_allow_mixed);
    if (s->msid_semantic) {
        /* libwebrtc's spelling, with a space after the colon. */
        sdp_buf_mem(b, "a=msid-semantic: ", 17);
        sdp_buf_str(b, s->msid_semantic);
        put_strv(b, s->msid_ids, s->nmsid_ids);
        sdp_buf_eol(b);
    }
    put_flag(b, "ice-lite", s->ice_lite);
    put_transport(b, &s->tr);
    put_flag(b, sdp_dir_name(s->dir), s->dir != SDP_DIR_NONE);
    put_attrs(b, s->attrs, s->nattrs);
}

int sdp_write(const struct sdp_session *s, char *buf, size_t cap, size_t *len)
{
    struct sdp_buf b;
    sdp_buf_init(&b, buf, cap);
    put_head(&b, s);
    put_session_attrs(&b, s);
    for (size_t i = 0; i < s->nmedia; i++)
        put_media(&b, &s->media[i]);
    if (len)
        *len = b.len;
    return sdp_buf_finish(&b);
}

int sdp_write_dup(const struct sdp_session *s, char **out, size_t *len)
{
    size_t need;
    *out = NULL;
    int rc = sdp_write(s, NULL, 0, &need);
    if (rc != -ENOSPC)
        return rc ? rc : -EINVAL;
    char *buf = mem_alloc(need + 1);
    if (!buf)
        return -ENOMEM;
    rc = sdp_write(s, buf, need + 1, &need);
    if (rc) {
        mem_free(buf);
        return rc;
    }
    *out = buf;
    if (len)
        *len = need;
    return 0;
}
