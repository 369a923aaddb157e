#include "media/core/sdp_parse.h"

#include <errno.h>
#include <string.h>

#include "media/core/sdp_attr.h"
#include "media/core/sdp_tok.h"
#include "media/core/sdp_vec.h"

/* RFC 8866 §5: the order of the lines after v= o= s= in a session, and the
 * subset allowed in a media section (after m=). */
static const char session_order[] = "iuepcbtrzka";
static const char media_types[] = "icbka";
/* Types that may appear at most once per section (c: once per m= here). */
static const char once_types[] = "iuczk";

struct parser {
    struct sdp_session *s;
    struct sdp_media *m; /* current m= section, NULL in the session part */
    size_t count;        /* lines read */
    int prev_rank;       /* rank of the previous line in this section */
    char prev;
    unsigned once; /* bit (type - 'a') of each once-only type seen */
};

/* Next line from buf at *pos, without its CRLF/LF and trailing blanks. */
static int next_line(const char *buf, size_t len, size_t *pos, struct sdp_str *line)
{
    const char *p = buf + *pos;
    size_t left = len - *pos;
    size_t window = left < SDP_MAX_LINE + 2 ? left : SDP_MAX_LINE + 2;
    const char *nl = memchr(p, '\n', window);
    size_t n;
    if (nl) {
        n = (size_t)(nl - p);
        *pos += n + 1;
    } else if (left > window) {
        return -EBADMSG; /* no line end within the limit */
    } else {
        n = left;
        *pos = len;
    }
    if (n && p[n - 1] == '\r')
        n--;
    if (n > SDP_MAX_LINE || memchr(p, '\0', n) || memchr(p, '\r', n))
        return -EBADMSG;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *line = (struct sdp_str){p, n};
    return 0;
}

static bool only_blanks(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n", p[i]) || p[i] == '\0')
            return false;
    return true;
}

/* Enforce the RFC 8866 §5 order within the current section. */
static int check_order(struct parser *ps, char type)
{
    const char *allowed = ps->m ? media_types : session_order;
    if (!strchr(allowed, type))
        return -EBADMSG;
    int rank = (int)(strchr(session_order, type) - session_order) + 1;
    bool next_time = type == 't' && ps->prev == 'r'; /* t r t r ... */
    if (rank < ps->prev_rank && !next_time)
        return -EBADMSG;
    if (strchr(once_types, type)) {
        unsigned bit = 1u << (type - 'a');
        if (ps->once & bit)
            return -EBADMSG;
        ps->once |= bit;
    }
    ps->prev_rank = rank;
    ps->prev = type;
    return 0;
}

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <addr> */
static int parse_origin(struct sdp_origin *o, struct sdp_str v)
{
    struct sdp_str w[6];
    if (!sdp_tok_fields(v, w, 6) || !sdp_str_u64(w[1], UINT64_MAX, &o->sess_id) ||
        !sdp_str_u64(w[2], UINT64_MAX, &o->sess_version) || !sdp_str_is_token(w[3]) ||
        !sdp_str_is_token(w[4]))
        return -EBADMSG;
    if (!(o->username = sdp_str_dup(w[0])) || !(o->nettype = sdp_str_dup(w[3])) ||
        !(o->addrtype = sdp_str_dup(w[4])) || !(o->addr = sdp_str_dup(w[5])))
        return -ENOMEM;
    return 0;
}

/* c=<nettype> <addrtype> <connection-address> */
static int parse_conn(struct sdp_conn *c, struct sdp_str v)
{
    struct sdp_str w[3];
    if (!sdp_tok_fields(v, w, 3) || !sdp_str_is_token(w[0]) || !sdp_str_is_token(w[1]))
        return -EBADMSG;
    if (!(c->nettype = sdp_str_dup(w[0])) || !(c->addrtype = sdp_str_dup(w[1])) ||
        !(c->addr = sdp_str_dup(w[2])))
        return -ENOMEM;
    return 0;
}

/* b=<bwtype>:<bandwidth> */
static int parse_bw(struct sdp_bandwidth **arr, size_t *n, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str type = sdp_tok_until(&t, ':');
    uint64_t value;
    if (!sdp_str_is_token(type) || !sdp_tok_skip(&t, ':') ||
        !sdp_str_u64(sdp_tok_rest(&t), UINT64_MAX, &value))
        return -EBADMSG;
    struct sdp_bandwidth *b = sdp_vec_push(arr, n, sizeof *b);
    if (!b || !(b->type = sdp_str_dup(type)))
        return -ENOMEM;
    b->value = value;
    return 0;
}

/* t=<start-time> <stop-time> */
static int parse_time(struct sdp_session *s, struct sdp_str v)
{
    struct sdp_str w[2];
    uint64_t start, stop;
    if (!sdp_tok_fields(v, w, 2) || !sdp_str_u64(w[0], UINT64_MAX, &start) ||
        !sdp_str_u64(w[1], UINT64_MAX, &stop))
        return -EBADMSG;
    struct sdp_time *t = sdp_vec_push(&s->times, &s->ntimes, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->start = start;
    t->stop = stop;
    return 0;
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static int parse_media_line(struct sdp_media *m, struct sdp_str v)
{
    struct sdp_tok t = sdp_tok_of(v);
    struct sdp_str type, port, proto;
    if (!sdp_tok_word(&t, &type) || !sdp_tok_word(&t, &port) || !sdp_tok_word(&t, &proto) ||
        !sdp_str_is_token(type) || sdp_tok_eof(&t))
        return -EBADMSG;
    struct sdp_tok pt = sdp_tok_of(port);
    uint64_t num, count = 0;
    if (!sdp_str_u64(sdp_tok_until(&pt, '/'), UINT16_MAX, &num))
        return -EBADMSG;
    if (sdp_tok_skip(&pt, '/') &&
        (!sdp_str_u64(sdp_tok_rest(&pt), UINT16_MAX, &count) || count == 0))
        return -EBADMSG;
    if (!sdp_tok_eof(&pt))
        return -EBADMSG;
    m->port = (uint16_t)num;
    m->port_count = (uint16_t)count;
    if (!(m->type = sdp_str_dup(type)) || !(m->proto = sdp_str_dup(proto)))
        return -ENOMEM;
    while (!sdp_tok_eof(&t)) {
        struct sdp_str f;
        if (!sdp_tok_word(&t, &f) || (sdp_tok_eof(&t) && t.p[-1] == ' '))
            return -EBADMSG;
        char **slot = sdp_vec_push(&m->fmts, &m->nfmts, sizeof *slot);
        if (!slot || !(*slot = sdp_str_dup(f)))
            return -ENOMEM;
    }
    return 0;
}

static int start_media(struct parser *ps, struct sdp_str v)
{
    struct sdp_session *s = ps->s;
    if (s->ntimes == 0)
        return -EBADMSG; /* t= is mandatory before the first m= */
    ps->m = sdp_vec_push(&s->media, &s->nmedia, sizeof *s->media);
    if (!ps->m)
        return -ENOMEM;
    ps->prev_rank = 0;
    ps->prev = 'm';
    ps->once = 0;
    return parse_media_line(ps->m, v);
}

/* r=<repeat interval> ..., kept verbatim with the t= before it. */
static int keep_repeat(struct sdp_session *s, struct sdp_str v)
{
    if (s->ntimes == 0)
        return -EBADMSG;
    struct sdp_time *t = &s->times[s->ntimes - 1];
    char **slot = sdp_vec_push(&t->repeats, &t->nrepeats, sizeof *slot);
    if (!slot || !(*slot = sdp_str_dup(v)))
        return -ENOMEM;
    return 0;
}

static int keep_line(struct parser *ps, char type, struct sdp_str v)
{
    struct sdp_line *l = ps->m ? sdp_vec_push(&ps->m->lines, &ps->m->nlines, sizeof *l)
                               : sdp_vec_push(&ps->s->lines, &ps->s->nlines, sizeof *l);
    if (!l || !(l->value = sdp_str_dup(v)))
        return -ENOMEM;
    l->type = type;
    return 0;
}

static int parse_line(struct parser *ps, struct sdp_str line)
{
    if (line.n < 2 || line.p[1] != '=' || line.p[0] < 'a' || line.p[0] > 'z')
        return -EBADMSG;
    char type = line.p[0];
    struct sdp_str v = {line.p + 2, line.n - 2};
    struct sdp_session *s = ps->s;
    switch (++ps->count) {
    case 1:
        return type == 'v' && sdp_str_eq(v, "0") ? 0 : -EBADMSG;
    case 2:
        return type == 'o' ? parse_origin(&s->origin, v) : -EBADMSG;
    case 3:
        return type == 's' ? sdp_str_set(&s->name, v) : -EBADMSG;
    }
    if (type == 'm')
        return start_media(ps, v);
    int rc = check_order(ps, type);
    if (rc)
        return rc;
    switch (type) {
    case 'c':
        return parse_conn(ps->m ? &ps->m->conn : &s->conn, v);
    case 'b':
        return ps->m ? parse_bw(&ps->m->bws, &ps->m->nbws, v) : parse_bw(&s->bws, &s->nbws, v);
    case 't':
        return parse_time(s, v);
    case 'r':
        return keep_repeat(s, v);
    case 'a':
        return sdp_attr_parse(s, ps->m, v.p, v.n);
    default:
        return keep_line(ps, type, v);
    }
}

int sdp_parse(struct sdp_session *s, const char *buf, size_t len, size_t *err_line)
{
    size_t dummy;
    if (!err_line)
        err_line = &dummy;
    *err_line = 0;
    if (!s || (!buf && len))
        return -EINVAL;
    memset(s, 0, sizeof *s);
    if (len > SDP_MAX_SIZE)
        return -EBADMSG;
    struct parser ps = {.s = s};
    size_t pos = 0, lineno = 0;
    int rc = 0;
    while (rc == 0 && pos < len) {
        struct sdp_str line;
        lineno++;
        rc = next_line(buf, len, &pos, &line);
        if (rc == 0 && line.n == 0) {
            if (!only_blanks(buf + pos, len - pos))
                rc = -EBADMSG;
            break;
        }
        if (rc == 0)
            rc = parse_line(&ps, line);
    }
    if (rc == 0 && (ps.count < 3 || s->ntimes == 0)) {
        rc = -EBADMSG; /* v= o= s= t= never came */
        lineno = ps.count + 1;
    }
    if (rc) {
        *err_line = lineno;
        sdp_free(s);
    }
    return rc;
}
