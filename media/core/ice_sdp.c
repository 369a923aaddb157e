#include "media/core/ice_sdp.h"

#include <errno.h>
#include <string.h>

/* A field of the line: [p, p + n). */
struct field {
    const char *p;
    size_t n;
};

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8839 §5.1: ice-char = ALPHA / DIGIT / "+" / "/" */
static bool is_ice_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '+' || c == '/';
}

/* RFC 4566 §9 token-char: visible ASCII except the separators. */
static bool is_token_char(char c)
{
    return c > 0x20 && c < 0x7f && strchr("\"(),/:;<=>?@[\\]{}", c) == NULL;
}

static bool all_of(struct field f, bool (*pred)(char))
{
    for (size_t i = 0; i < f.n; i++)
        if (!pred(f.p[i]))
            return false;
    return true;
}

static bool field_is(struct field f, const char *s)
{
    return f.n == strlen(s) && memcmp(f.p, s, f.n) == 0;
}

static bool field_is_nocase(struct field f, const char *s)
{
    if (f.n != strlen(s))
        return false;
    for (size_t i = 0; i < f.n; i++) {
        char a = f.p[i], b = s[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

/* Decimal of 1..max_digits digits, value in [lo, hi]. */
static bool parse_uint(struct field f, size_t max_digits, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (f.n == 0 || f.n > max_digits || !all_of(f, is_digit))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < f.n; i++)
        v = v * 10 + (uint64_t)(f.p[i] - '0');
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Next space-separated field from *pos up to end. */
static struct field next_field(const char **pos, const char *end)
{
    const char *p = *pos;
    while (p < end && *p == ' ')
        p++;
    const char *s = p;
    while (p < end && *p != ' ')
        p++;
    *pos = p;
    return (struct field){s, (size_t)(p - s)};
}

static bool is_addr_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '.' || c == ':' || c == '-' || c == '_';
}

static enum ice_sdp_cand_type cand_type(struct field f)
{
    if (field_is(f, "host"))
        return ICE_SDP_CAND_HOST;
    if (field_is(f, "srflx"))
        return ICE_SDP_CAND_SRFLX;
    if (field_is(f, "prflx"))
        return ICE_SDP_CAND_PRFLX;
    if (field_is(f, "relay"))
        return ICE_SDP_CAND_RELAY;
    return ICE_SDP_CAND_OTHER;
}

static bool ends_with_local(struct field f)
{
    static const char suffix[] = ".local";
    size_t n = sizeof(suffix) - 1;
    return f.n > n && field_is_nocase((struct field){f.p + f.n - n, n}, suffix);
}

/* The fields after "candidate:" (RFC 8839 §5.1 grammar). */
static int parse_fields(const char *p, const char *end, struct ice_sdp_cand *c)
{
    struct field foundation = next_field(&p, end);
    struct field component = next_field(&p, end);
    struct field transport = next_field(&p, end);
    struct field priority = next_field(&p, end);
    struct field addr = next_field(&p, end);
    struct field port = next_field(&p, end);
    struct field typ = next_field(&p, end);
    struct field type = next_field(&p, end);
    uint64_t v_comp, v_prio, v_port;

    if (foundation.n == 0 || foundation.n > 32 || !all_of(foundation, is_ice_char))
        return -EBADMSG;
    if (!parse_uint(component, 3, 1, 256, &v_comp))
        return -EBADMSG;
    if (transport.n == 0 || transport.n > 32 || !all_of(transport, is_token_char))
        return -EBADMSG;
    if (!parse_uint(priority, 10, 1, UINT32_MAX, &v_prio))
        return -EBADMSG;
    if (addr.n == 0 || addr.n > 255 || !all_of(addr, is_addr_char))
        return -EBADMSG;
    if (!parse_uint(port, 5, 1, 65535, &v_port))
        return -EBADMSG;
    if (!field_is(typ, "typ") || type.n == 0 || !all_of(type, is_token_char))
        return -EBADMSG;
    c->component = (uint32_t)v_comp;
    c->priority = (uint32_t)v_prio;
    c->port = (uint16_t)v_port;
    c->udp = field_is_nocase(transport, "udp");
    c->mdns = ends_with_local(addr);
    c->type = cand_type(type);
    return 0;
}

int ice_sdp_parse_candidate(const char *line, struct ice_sdp_cand *out)
{
    static const char attr[] = "candidate:";
    if (!line || !out)
        return -EINVAL;
    size_t n = strnlen(line, ICE_SDP_CAND_MAX + 1);
    if (n > ICE_SDP_CAND_MAX)
        return -EBADMSG;
    while (n > 0 && strchr("\r\n \t", line[n - 1]))
        n--;
    if (n == 0)
        return ICE_SDP_END_OF_CANDIDATES;
    const char *p = line, *end = line + n;
    if (n >= 2 && p[0] == 'a' && p[1] == '=')
        p += 2;
    struct field rest = {p, (size_t)(end - p)};
    if (field_is(rest, "end-of-candidates"))
        return ICE_SDP_END_OF_CANDIDATES;
    if (rest.n < sizeof(attr) - 1 || memcmp(p, attr, sizeof(attr) - 1) != 0)
        return -EBADMSG;
    for (const char *q = p; q < end; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            return -EBADMSG;
    struct ice_sdp_cand c = {.body = p, .body_len = rest.n};
    int err = parse_fields(p + sizeof(attr) - 1, end, &c);
    if (err)
        return err;
    *out = c;
    return 0;
}

static bool valid_cred(const char *s, size_t min)
{
    if (!s)
        return false;
    size_t n = strnlen(s, ICE_SDP_CRED_MAX + 1);
    if (n < min || n > ICE_SDP_CRED_MAX)
        return false;
    return all_of((struct field){s, n}, is_ice_char);
}

bool ice_sdp_valid_ufrag(const char *s)
{
    return valid_cred(s, 4);
}

bool ice_sdp_valid_pwd(const char *s)
{
    return valid_cred(s, 22);
}
