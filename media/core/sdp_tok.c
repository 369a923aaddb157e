#include "media/core/sdp_tok.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"

struct sdp_str sdp_tok_until(struct sdp_tok *t, char c)
{
    const char *start = t->p;
    const char *hit = t->p < t->end ? memchr(t->p, c, (size_t)(t->end - t->p)) : NULL;
    t->p = hit ? hit : t->end;
    return (struct sdp_str){start, (size_t)(t->p - start)};
}

bool sdp_tok_skip(struct sdp_tok *t, char c)
{
    if (t->p < t->end && *t->p == c) {
        t->p++;
        return true;
    }
    return false;
}

struct sdp_str sdp_tok_rest(struct sdp_tok *t)
{
    struct sdp_str s = {t->p, (size_t)(t->end - t->p)};
    t->p = t->end;
    return s;
}

bool sdp_tok_word(struct sdp_tok *t, struct sdp_str *out)
{
    *out = sdp_tok_until(t, ' ');
    sdp_tok_skip(t, ' ');
    return out->n > 0;
}

bool sdp_tok_fields(struct sdp_str s, struct sdp_str *w, size_t k)
{
    struct sdp_tok t = sdp_tok_of(s);
    for (size_t i = 0; i < k; i++) {
        w[i] = sdp_tok_until(&t, ' ');
        if (w[i].n == 0 || (i + 1 < k && !sdp_tok_skip(&t, ' ')))
            return false;
    }
    return sdp_tok_eof(&t);
}

bool sdp_str_u64(struct sdp_str s, uint64_t max, uint64_t *v)
{
    if (s.n == 0 || s.n > 20)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9 || x > (UINT64_MAX - d) / 10)
            return false;
        x = x * 10 + d;
    }
    if (x > max)
        return false;
    *v = x;
    return true;
}

/* RFC 8866 §9: token-char = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" /
 * "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "{" / "|" / "}" / "~" */
static bool is_token_char(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`{|}~", c) != NULL;
}

bool sdp_str_is_token(struct sdp_str s)
{
    if (s.n == 0)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (!is_token_char((unsigned char)s.p[i]))
            return false;
    return true;
}

bool sdp_str_eq(struct sdp_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool sdp_str_same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

char *sdp_str_dup(struct sdp_str s)
{
    return mem_strndup(s.p, s.n);
}

int sdp_str_set(char **dst, struct sdp_str s)
{
    char *c = sdp_str_dup(s);
    if (!c)
        return -ENOMEM;
    mem_free(*dst);
    *dst = c;
    return 0;
}

int sdp_str_set_token(char **dst, struct sdp_str s)
{
    if (!sdp_str_is_token(s))
        return -EBADMSG;
    return sdp_str_set(dst, s);
}
