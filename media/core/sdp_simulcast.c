#include "media/core/sdp_simulcast.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/sdp_tok.h"
#include "media/core/sdp_vec.h"

bool sdp_simulcast_is_rid(const char *p, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

/* One stream: "~a,b,c". */
static int parse_stream(struct sdp_sim_stream *st, struct sdp_str s)
{
    struct sdp_tok t = sdp_tok_of(s);
    do {
        struct sdp_str id = sdp_tok_until(&t, ',');
        bool paused = id.n > 0 && id.p[0] == '~';
        if (paused) {
            id.p++;
            id.n--;
        }
        if (!sdp_simulcast_is_rid(id.p, id.n))
            return -EBADMSG;
        struct sdp_sim_alt *a = sdp_vec_push(&st->alts, &st->nalts, sizeof *st->alts);
        if (!a || !(a->rid = sdp_str_dup(id)))
            return -ENOMEM;
        a->paused = paused;
    } while (sdp_tok_skip(&t, ','));
    return 0;
}

/* A stream list: "a;b,c;~d". */
static int parse_list(struct sdp_sim_list *l, struct sdp_str s)
{
    struct sdp_tok t = sdp_tok_of(s);
    do {
        struct sdp_sim_stream *st = sdp_vec_push(&l->streams, &l->nstreams, sizeof *l->streams);
        if (!st)
            return -ENOMEM;
        int rc = parse_stream(st, sdp_tok_until(&t, ';'));
        if (rc)
            return rc;
    } while (sdp_tok_skip(&t, ';'));
    return 0;
}

int sdp_simulcast_parse(struct sdp_simulcast *sc, const char *s, size_t n)
{
    memset(sc, 0, sizeof *sc);
    struct sdp_tok t = {s, s + n};
    int rc = 0;
    for (int half = 0; rc == 0 && half < 2 && !sdp_tok_eof(&t); half++) {
        struct sdp_str dir, list;
        struct sdp_sim_list *l = NULL;
        if (!sdp_tok_word(&t, &dir) || !sdp_tok_word(&t, &list))
            rc = -EBADMSG;
        else if (sdp_str_eq(dir, "send"))
            l = &sc->send;
        else if (sdp_str_eq(dir, "recv"))
            l = &sc->recv;
        if (!rc && (!l || l->nstreams))
            rc = -EBADMSG;
        if (!rc)
            rc = parse_list(l, list);
    }
    /* Something left, a trailing space, or neither direction. */
    bool trailing = n > 0 && s[n - 1] == ' ';
    if (!rc && (!sdp_tok_eof(&t) || trailing || (!sc->send.nstreams && !sc->recv.nstreams)))
        rc = -EBADMSG;
    if (rc) {
        sdp_simulcast_free(sc);
        return rc;
    }
    sc->present = true;
    return 0;
}

static void put_list(struct sdp_buf *b, const char *dir, const struct sdp_sim_list *l)
{
    sdp_buf_str(b, dir);
    for (size_t i = 0; i < l->nstreams; i++) {
        sdp_buf_char(b, i ? ';' : ' ');
        const struct sdp_sim_stream *st = &l->streams[i];
        if (st->nalts == 0)
            sdp_buf_str(b, NULL); /* an empty stream cannot be written */
        for (size_t j = 0; j < st->nalts; j++) {
            if (j)
                sdp_buf_char(b, ',');
            if (st->alts[j].paused)
                sdp_buf_char(b, '~');
            sdp_buf_str(b, st->alts[j].rid);
        }
    }
}

void sdp_simulcast_put(struct sdp_buf *b, const struct sdp_simulcast *sc)
{
    if (!sc->send.nstreams && !sc->recv.nstreams)
        sdp_buf_str(b, NULL);
    if (sc->send.nstreams)
        put_list(b, "send", &sc->send);
    if (sc->send.nstreams && sc->recv.nstreams)
        sdp_buf_char(b, ' ');
    if (sc->recv.nstreams)
        put_list(b, "recv", &sc->recv);
}

static bool list_equal(const struct sdp_sim_list *a, const struct sdp_sim_list *b)
{
    if (a->nstreams != b->nstreams)
        return false;
    for (size_t i = 0; i < a->nstreams; i++) {
        const struct sdp_sim_stream *x = &a->streams[i], *y = &b->streams[i];
        if (x->nalts != y->nalts)
            return false;
        for (size_t j = 0; j < x->nalts; j++)
            if (x->alts[j].paused != y->alts[j].paused ||
                !sdp_str_same(x->alts[j].rid, y->alts[j].rid))
                return false;
    }
    return true;
}

bool sdp_simulcast_equal(const struct sdp_simulcast *a, const struct sdp_simulcast *b)
{
    if (a->present != b->present)
        return false;
    return list_equal(&a->send, &b->send) && list_equal(&a->recv, &b->recv);
}

static void free_list(struct sdp_sim_list *l)
{
    for (size_t i = 0; i < l->nstreams; i++) {
        for (size_t j = 0; j < l->streams[i].nalts; j++)
            mem_free(l->streams[i].alts[j].rid);
        mem_free(l->streams[i].alts);
    }
    mem_free(l->streams);
}

void sdp_simulcast_free(struct sdp_simulcast *sc)
{
    if (!sc)
        return;
    free_list(&sc->send);
    free_list(&sc->recv);
    memset(sc, 0, sizeof *sc);
}
