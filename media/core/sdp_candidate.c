#include "media/core/sdp_candidate.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/sdp_tok.h"
#include "media/core/sdp_vec.h"

#define FOUNDATION_MAX 32 /* RFC 8839 §5.1: 1*32ice-char */

/* ice-char = ALPHA / DIGIT / "+" / "/" */
static bool is_foundation(struct sdp_str s)
{
    if (s.n == 0 || s.n > FOUNDATION_MAX)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= 'A' && ch <= 'Z') || ch == '+' || ch == '/';
        if (!ok)
            return false;
    }
    return true;
}

/* The mandatory part, up to and including the type. */
static int parse_head(struct sdp_candidate *c, struct sdp_tok *t)
{
    struct sdp_str f[8];
    for (size_t i = 0; i < 8; i++)
        if (!sdp_tok_word(t, &f[i]))
            return -EBADMSG;
    uint64_t comp, prio, port;
    if (!is_foundation(f[0]) || !sdp_str_u64(f[1], 256, &comp) || comp == 0 ||
        !sdp_str_is_token(f[2]) || !sdp_str_u64(f[3], UINT32_MAX, &prio) ||
        !sdp_str_u64(f[5], UINT16_MAX, &port) || !sdp_str_eq(f[6], "typ") ||
        !sdp_str_is_token(f[7]))
        return -EBADMSG;
    c->component = (uint16_t)comp;
    c->priority = (uint32_t)prio;
    c->port = (uint16_t)port;
    if (!(c->foundation = sdp_str_dup(f[0])) || !(c->transport = sdp_str_dup(f[2])) ||
        !(c->addr = sdp_str_dup(f[4])) || !(c->type = sdp_str_dup(f[7])))
        return -ENOMEM;
    return 0;
}

static int parse_pair(struct sdp_candidate *c, struct sdp_str name, struct sdp_str val)
{
    if (sdp_str_eq(name, "raddr")) {
        if (c->raddr)
            return -EBADMSG;
        return sdp_str_set(&c->raddr, val);
    }
    if (sdp_str_eq(name, "rport")) {
        uint64_t port;
        if (c->has_rport || !sdp_str_u64(val, UINT16_MAX, &port))
            return -EBADMSG;
        c->has_rport = true;
        c->rport = (uint16_t)port;
        return 0;
    }
    if (sdp_str_eq(name, "tcptype")) {
        if (c->tcptype)
            return -EBADMSG;
        return sdp_str_set_token(&c->tcptype, val);
    }
    struct sdp_cand_ext *e = sdp_vec_push(&c->exts, &c->nexts, sizeof *c->exts);
    if (!e || !(e->name = sdp_str_dup(name)) || !(e->value = sdp_str_dup(val)))
        return -ENOMEM;
    return 0;
}

int sdp_candidate_parse(struct sdp_candidate *c, const char *s, size_t n)
{
    memset(c, 0, sizeof *c);
    struct sdp_tok t = {s, s + n};
    static const char prefix[] = "candidate:";
    if (n >= sizeof prefix - 1 && memcmp(s, prefix, sizeof prefix - 1) == 0)
        t.p += sizeof prefix - 1;
    /* Fields are separated by exactly one space, with none at the end. */
    int rc = n > 0 && s[n - 1] == ' ' ? -EBADMSG : parse_head(c, &t);
    while (rc == 0 && !sdp_tok_eof(&t)) {
        struct sdp_str name, val;
        if (!sdp_tok_word(&t, &name) || !sdp_tok_word(&t, &val))
            rc = -EBADMSG;
        else
            rc = parse_pair(c, name, val);
    }
    if (rc)
        sdp_candidate_free(c);
    return rc;
}

void sdp_candidate_put(struct sdp_buf *b, const struct sdp_candidate *c)
{
    sdp_buf_str(b, c->foundation);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, c->component);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, c->transport);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, c->priority);
    sdp_buf_char(b, ' ');
    sdp_buf_str(b, c->addr);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, c->port);
    sdp_buf_mem(b, " typ ", 5);
    sdp_buf_str(b, c->type);
    if (c->raddr) {
        sdp_buf_mem(b, " raddr ", 7);
        sdp_buf_str(b, c->raddr);
    }
    if (c->has_rport) {
        sdp_buf_mem(b, " rport ", 7);
        sdp_buf_u64(b, c->rport);
    }
    if (c->tcptype) {
        sdp_buf_mem(b, " tcptype ", 9);
        sdp_buf_str(b, c->tcptype);
    }
    for (size_t i = 0; i < c->nexts; i++) {
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, c->exts[i].name);
        sdp_buf_char(b, ' ');
        sdp_buf_str(b, c->exts[i].value);
    }
}

int sdp_candidate_write(const struct sdp_candidate *c, char *buf, size_t cap, size_t *len)
{
    struct sdp_buf b;
    sdp_buf_init(&b, buf, cap);
    sdp_buf_mem(&b, "candidate:", 10);
    sdp_candidate_put(&b, c);
    *len = b.len;
    return sdp_buf_finish(&b);
}

bool sdp_candidate_equal(const struct sdp_candidate *a, const struct sdp_candidate *b)
{
    if (!sdp_str_same(a->foundation, b->foundation) || a->component != b->component ||
        !sdp_str_same(a->transport, b->transport) || a->priority != b->priority ||
        !sdp_str_same(a->addr, b->addr) || a->port != b->port || !sdp_str_same(a->type, b->type) ||
        !sdp_str_same(a->raddr, b->raddr) || a->has_rport != b->has_rport ||
        (a->has_rport && a->rport != b->rport) || !sdp_str_same(a->tcptype, b->tcptype) ||
        a->nexts != b->nexts)
        return false;
    for (size_t i = 0; i < a->nexts; i++)
        if (!sdp_str_same(a->exts[i].name, b->exts[i].name) ||
            !sdp_str_same(a->exts[i].value, b->exts[i].value))
            return false;
    return true;
}

void sdp_candidate_free(struct sdp_candidate *c)
{
    if (!c)
        return;
    mem_free(c->foundation);
    mem_free(c->transport);
    mem_free(c->addr);
    mem_free(c->type);
    mem_free(c->raddr);
    mem_free(c->tcptype);
    for (size_t i = 0; i < c->nexts; i++) {
        mem_free(c->exts[i].name);
        mem_free(c->exts[i].value);
    }
    mem_free(c->exts);
    memset(c, 0, sizeof *c);
}
