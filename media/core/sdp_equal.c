#include "media/core/sdp_equal.h"

#include <stddef.h>
#include <string.h>

#include "media/core/sdp_candidate.h"
#include "media/core/sdp_simulcast.h"
#include "media/core/sdp_tok.h"

#define same sdp_str_same

/* Two arrays of n elements of the given size, element by element. */
static bool list_eq(const void *a, size_t na, const void *b, size_t nb, size_t size,
                    bool (*eq)(const void *x, const void *y))
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!eq((const char *)a + i * size, (const char *)b + i * size))
            return false;
    return true;
}

/* As list_eq, but only the order within each payload type counts. pt_of
 * gives -1 for "*"; anything above 127 falls in one last bucket. */
static bool by_pt_eq(const void *a, size_t na, const void *b, size_t nb, size_t size,
                     int (*pt_of)(const void *x), bool (*eq)(const void *x, const void *y))
{
    if (na != nb)
        return false;
#define AT(arr, i) ((const char *)(arr) + (i)*size)
#define PT(arr, i) (pt_of(AT(arr, i)) > 127 ? 128 : pt_of(AT(arr, i)))
    for (int pt = -1; pt <= 128; pt++) {
        size_t i = 0, j = 0;
        for (;;) {
            while (i < na && PT(a, i) != pt)
                i++;
            while (j < nb && PT(b, j) != pt)
                j++;
            if (i == na || j == nb)
                break;
            if (!eq(AT(a, i), AT(b, j)))
                return false;
            i++;
            j++;
        }
        if (i != na || j != nb)
            return false;
    }
#undef PT
#undef AT
    return true;
}

static bool strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!same(a[i], b[i]))
            return false;
    return true;
}

static bool conn_eq(const struct sdp_conn *a, const struct sdp_conn *b)
{
    return same(a->nettype, b->nettype) && same(a->addrtype, b->addrtype) && same(a->addr, b->addr);
}

static bool line_eq(const void *x, const void *y)
{
    const struct sdp_line *a = x, *b = y;
    return a->type == b->type && same(a->value, b->value);
}

static bool bw_eq(const void *x, const void *y)
{
    const struct sdp_bandwidth *a = x, *b = y;
    return same(a->type, b->type) && a->value == b->value;
}

static bool time_eq(const void *x, const void *y)
{
    const struct sdp_time *a = x, *b = y;
    return a->start == b->start && a->stop == b->stop &&
           strv_eq(a->repeats, a->nrepeats, b->repeats, b->nrepeats);
}

static bool attr_eq(const void *x, const void *y)
{
    const struct sdp_attr *a = x, *b = y;
    return same(a->name, b->name) && same(a->value, b->value);
}

static bool group_eq(const void *x, const void *y)
{
    const struct sdp_group *a = x, *b = y;
    return same(a->semantics, b->semantics) && strv_eq(a->mids, a->nmids, b->mids, b->nmids);
}

static bool fingerprint_eq(const void *x, const void *y)
{
    const struct sdp_fingerprint *a = x, *b = y;
    return same(a->hash, b->hash) && same(a->value, b->value);
}

static bool transport_eq(const struct sdp_transport *a, const struct sdp_transport *b)
{
    return same(a->ice_ufrag, b->ice_ufrag) && same(a->ice_pwd, b->ice_pwd) &&
           same(a->ice_options, b->ice_options) && a->setup == b->setup &&
           list_eq(a->fingerprints, a->nfingerprints, b->fingerprints, b->nfingerprints,
                   sizeof *a->fingerprints, fingerprint_eq);
}

static bool candidate_eq(const void *x, const void *y)
{
    return sdp_candidate_equal(x, y);
}

static bool msid_eq(const void *x, const void *y)
{
    const struct sdp_msid *a = x, *b = y;
    return same(a->stream, b->stream) && same(a->track, b->track);
}

static int rtpmap_pt(const void *x)
{
    return ((const struct sdp_rtpmap *)x)->pt;
}

static bool rtpmap_eq(const void *x, const void *y)
{
    const struct sdp_rtpmap *a = x, *b = y;
    return a->pt == b->pt && same(a->encoding, b->encoding) && a->clock == b->clock &&
           a->channels == b->channels;
}

static int fmtp_pt(const void *x)
{
    return ((const struct sdp_fmtp *)x)->pt;
}

static bool fmtp_eq(const void *x, const void *y)
{
    const struct sdp_fmtp *a = x, *b = y;
    return a->pt == b->pt && same(a->params, b->params);
}

static int rtcp_fb_pt(const void *x)
{
    return ((const struct sdp_rtcp_fb *)x)->pt;
}

static bool rtcp_fb_eq(const void *x, const void *y)
{
    const struct sdp_rtcp_fb *a = x, *b = y;
    return a->pt == b->pt && same(a->type, b->type) && same(a->param, b->param);
}

static bool extmap_eq(const void *x, const void *y)
{
    const struct sdp_extmap *a = x, *b = y;
    return a->id == b->id && a->dir == b->dir && same(a->uri, b->uri) && same(a->attrs, b->attrs);
}

static bool ssrc_eq(const void *x, const void *y)
{
    const struct sdp_ssrc *a = x, *b = y;
    return a->ssrc == b->ssrc && same(a->attr, b->attr) && same(a->value, b->value);
}

static bool ssrc_group_eq(const void *x, const void *y)
{
    const struct sdp_ssrc_group *a = x, *b = y;
    return same(a->semantics, b->semantics) && a->nssrcs == b->nssrcs &&
           (a->nssrcs == 0 || memcmp(a->ssrcs, b->ssrcs, a->nssrcs * sizeof *a->ssrcs) == 0);
}

static bool rid_eq(const void *x, const void *y)
{
    const struct sdp_rid *a = x, *b = y;
    return same(a->id, b->id) && a->dir == b->dir && same(a->params, b->params);
}

#define LIST_EQ(a, b, arr, n, fn) list_eq((a)->arr, (a)->n, (b)->arr, (b)->n, sizeof *(a)->arr, fn)
#define PT_EQ(a, b, arr, n, ptfn, fn)                                                              \
    by_pt_eq((a)->arr, (a)->n, (b)->arr, (b)->n, sizeof *(a)->arr, ptfn, fn)

static bool rtp_eq(const struct sdp_media *a, const struct sdp_media *b)
{
    return PT_EQ(a, b, rtpmaps, nrtpmaps, rtpmap_pt, rtpmap_eq) &&
           PT_EQ(a, b, fmtps, nfmtps, fmtp_pt, fmtp_eq) &&
           PT_EQ(a, b, rtcp_fbs, nrtcp_fbs, rtcp_fb_pt, rtcp_fb_eq) &&
           LIST_EQ(a, b, extmaps, nextmaps, extmap_eq) && LIST_EQ(a, b, ssrcs, nssrcs, ssrc_eq) &&
           LIST_EQ(a, b, ssrc_groups, nssrc_groups, ssrc_group_eq) &&
           LIST_EQ(a, b, rids, nrids, rid_eq) && sdp_simulcast_equal(&a->simulcast, &b->simulcast);
}

bool sdp_media_equal(const struct sdp_media *a, const struct sdp_media *b)
{
    return same(a->type, b->type) && a->port == b->port && a->port_count == b->port_count &&
           same(a->proto, b->proto) && strv_eq(a->fmts, a->nfmts, b->fmts, b->nfmts) &&
           LIST_EQ(a, b, lines, nlines, line_eq) && conn_eq(&a->conn, &b->conn) &&
           LIST_EQ(a, b, bws, nbws, bw_eq) && a->rtcp.present == b->rtcp.present &&
           a->rtcp.port == b->rtcp.port && conn_eq(&a->rtcp.conn, &b->rtcp.conn) &&
           transport_eq(&a->tr, &b->tr) && LIST_EQ(a, b, cands, ncands, candidate_eq) &&
           a->end_of_candidates == b->end_of_candidates && same(a->mid, b->mid) &&
           a->dir == b->dir && LIST_EQ(a, b, msids, nmsids, msid_eq) &&
           a->rtcp_mux == b->rtcp_mux && a->rtcp_rsize == b->rtcp_rsize &&
           a->extmap_allow_mixed == b->extmap_allow_mixed && rtp_eq(a, b) &&
           LIST_EQ(a, b, attrs, nattrs, attr_eq);
}

static bool media_eq(const void *x, const void *y)
{
    return sdp_media_equal(x, y);
}

bool sdp_equal(const struct sdp_session *a, const struct sdp_session *b)
{
    const struct sdp_origin *oa = &a->origin, *ob = &b->origin;
    return same(oa->username, ob->username) && oa->sess_id == ob->sess_id &&
           oa->sess_version == ob->sess_version && same(oa->nettype, ob->nettype) &&
           same(oa->addrtype, ob->addrtype) && same(oa->addr, ob->addr) && same(a->name, b->name) &&
           LIST_EQ(a, b, lines, nlines, line_eq) && conn_eq(&a->conn, &b->conn) &&
           LIST_EQ(a, b, bws, nbws, bw_eq) && LIST_EQ(a, b, times, ntimes, time_eq) &&
           LIST_EQ(a, b, groups, ngroups, group_eq) && transport_eq(&a->tr, &b->tr) &&
           a->ice_lite == b->ice_lite && a->extmap_allow_mixed == b->extmap_allow_mixed &&
           same(a->msid_semantic, b->msid_semantic) &&
           strv_eq(a->msid_ids, a->nmsid_ids, b->msid_ids, b->nmsid_ids) && a->dir == b->dir &&
           LIST_EQ(a, b, attrs, nattrs, attr_eq) && LIST_EQ(a, b, media, nmedia, media_eq);
}
