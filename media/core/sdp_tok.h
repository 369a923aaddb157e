/* sdp_tok — a cursor over one SDP line (not NUL-terminated) and the small
 * checks the SDP parsers share: tokens (RFC 8866 §9 `token`), bounded
 * decimal numbers, copies into owned strings.
 *
 * Nothing here reads outside [p, end). sdp_str_dup allocates through mem.h
 * (the caller owns the copy); nothing else allocates.
 */
#ifndef CAU_SDP_TOK_H
#define CAU_SDP_TOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A slice of the input. */
struct sdp_str {
    const char *p;
    size_t n;
};

struct sdp_tok {
    const char *p;
    const char *end;
};

static inline struct sdp_tok sdp_tok_of(struct sdp_str s)
{
    return (struct sdp_tok){s.p, s.p + s.n};
}

static inline bool sdp_tok_eof(const struct sdp_tok *t)
{
    return t->p >= t->end;
}

/* The run of bytes up to c (not consumed) or the end; may be empty. */
struct sdp_str sdp_tok_until(struct sdp_tok *t, char c);
/* Consume c if it is the next byte. */
bool sdp_tok_skip(struct sdp_tok *t, char c);
/* Everything left; the cursor ends at the end. */
struct sdp_str sdp_tok_rest(struct sdp_tok *t);
/* A non-empty run up to ' ' or the end, then the ' ' if any: the usual
 * "field SP field" step. False when the field is empty. */
bool sdp_tok_word(struct sdp_tok *t, struct sdp_str *out);

/* s is exactly k non-empty fields separated by single spaces, stored in
 * w[0..k). */
bool sdp_tok_fields(struct sdp_str s, struct sdp_str *w, size_t k);

/* s is 1..20 decimal digits with a value <= max. */
bool sdp_str_u64(struct sdp_str s, uint64_t max, uint64_t *v);
/* s is non-empty and made of RFC 8866 token characters. */
bool sdp_str_is_token(struct sdp_str s);
/* s equals the NUL-terminated literal, exactly. */
bool sdp_str_eq(struct sdp_str s, const char *lit);
/* Two optional C strings are both NULL or equal. */
bool sdp_str_same(const char *a, const char *b);
/* NUL-terminated copy, or NULL on allocation failure. */
char *sdp_str_dup(struct sdp_str s);
/* *dst = copy of s: 0 or -ENOMEM. */
__attribute__((warn_unused_result)) int sdp_str_set(char **dst, struct sdp_str s);
/* *dst = copy of s if s is a token: 0, -EBADMSG or -ENOMEM. */
__attribute__((warn_unused_result)) int sdp_str_set_token(char **dst, struct sdp_str s);

#endif
