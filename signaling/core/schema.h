/* schema — declarative validation of JSON messages (Jansson).
 *
 * A protocol is a table of message kinds (struct schema_msg), each a list of
 * fields (struct schema_field). schema_parse() parses one frame, which must
 * be a JSON object, picks its kind by the string member type_key ("type" in
 * the client protocol, "op" in the control protocol) and checks every field
 * of the table: presence, JSON type, length, allowed values. Members that the
 * table does not name are allowed and ignored. Duplicate keys are refused
 * (the frame is not valid JSON for us), and so are strings holding U+0000.
 *
 * Ownership: on SCHEMA_OK *out is a new reference the caller json_decref()s;
 * otherwise *out is NULL. The tables are static data owned by their modules.
 * Allocation is Jansson's own (json_set_alloc_funcs decides where it goes); an
 * allocation failure comes back as SCHEMA_BAD_JSON (Jansson reports most of
 * them as syntax errors; err is "out of memory" when it tells).
 *
 * err (may be NULL when errlen is 0) always receives a NUL-terminated message
 * naming the problem, "" on success. Values of the input are quoted in it
 * only when short and printable ASCII, so err is always valid UTF-8 and safe
 * to put into a JSON string.
 */
#ifndef CAU_SCHEMA_H
#define CAU_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum schema_type {
    SCHEMA_STRING,
    SCHEMA_INT, /* a JSON integer (no fraction, no exponent) */
    SCHEMA_BOOL,
    SCHEMA_OBJECT,
    SCHEMA_ARRAY,
    SCHEMA_STRING_OR_NUMBER, /* e.g. a client's "ref"; max_len bounds a string */
};

struct schema_field {
    const char *name;
    enum schema_type type;
    bool required;
    size_t max_len;            /* strings: bytes; arrays: elements; 0 = no limit */
    const char *const *one_of; /* NULL-terminated allowed string values, or NULL */
};

struct schema_msg {
    const char *type; /* the value of type_key that selects this kind */
    const struct schema_field *fields;
    size_t nfields;
};

enum schema_result { SCHEMA_OK = 0, SCHEMA_BAD_JSON, SCHEMA_UNKNOWN_TYPE, SCHEMA_BAD_FIELD };

/* Parse text[0..len) (no NUL needed; an embedded NUL is malformed JSON) and
 * validate it against table[0..n).
 *  SCHEMA_BAD_JSON     not JSON, or not an object   err "line 1 column 5: ..."
 *  SCHEMA_UNKNOWN_TYPE type_key missing, not a string or not in the table
 *                      err "missing \"type\"" / "unknown type \"foo\"" (the
 *                      word is type_key: "unknown op \"foo\"")
 *  SCHEMA_BAD_FIELD    a field missing, of the wrong type, too long or not
 *                      one of the allowed values
 *                      err "field \"sdp\": expected string of at most 32768 bytes"
 * *which (may be NULL) is the matching table entry on SCHEMA_OK and
 * SCHEMA_BAD_FIELD, NULL otherwise. */
enum schema_result schema_parse(const char *text, size_t len, const char *type_key,
                                const struct schema_msg *table, size_t n, json_t **out,
                                const struct schema_msg **which, char *err, size_t errlen);

/* The member key of the top-level object in text[0..len), whatever its type,
 * as a new reference (caller json_decref), or NULL when text is not a JSON
 * object or has no such member. For replying to a request that failed
 * validation with its "ref" or "id": check the returned value's type. */
json_t *schema_peek(const char *text, size_t len, const char *key);

/* Jansson's parse error as "line L column C: text" into err, with anything
 * but printable ASCII in the text (it may quote the input) replaced by '?';
 * "out of memory" for an allocation failure. */
void schema_json_error(const json_error_t *je, char *err, size_t errlen);

#endif
