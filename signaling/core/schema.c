#include "signaling/core/schema.h"

#include <stdio.h>
#include <string.h>

#include "media/core/errbuf.h"

/* Longest input value quoted back in an error message. */
#define SCHEMA_QUOTE_MAX 32

/* Whether s[0..n) may be quoted in a message: short printable ASCII. */
static bool quotable(const char *s, size_t n)
{
    if (n > SCHEMA_QUOTE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
            return false;
    return true;
}

void schema_json_error(const json_error_t *je, char *err, size_t errlen)
{
    if (json_error_code(je) == json_error_out_of_memory) {
        errbuf_set(err, errlen, "out of memory");
        return;
    }
    char text[sizeof je->text];
    size_t i = 0;
    for (; i + 1 < sizeof text && je->text[i]; i++) {
        unsigned char c = (unsigned char)je->text[i];
        text[i] = (c < 0x20 || c > 0x7e) ? '?' : (char)c;
    }
    text[i] = '\0';
    errbuf_set(err, errlen, "line %d column %d: %s", je->line, je->column, text);
}

static json_t *load_object(const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        schema_json_error(&je, err, errlen);
        return NULL;
    }
    if (!json_is_object(root)) {
        errbuf_set(err, errlen, "expected a JSON object");
        json_decref(root);
        return NULL;
    }
    return root;
}

/* "expected ..." text for field f into buf. */
static void describe(const struct schema_field *f, char *buf, size_t n)
{
    switch (f->type) {
    case SCHEMA_STRING:
        if (f->one_of) {
            size_t used = (size_t)snprintf(buf, n, "one of");
            for (size_t i = 0; f->one_of[i] && used < n; i++)
                used +=
                    (size_t)snprintf(buf + used, n - used, "%s \"%s\"", i ? "," : "", f->one_of[i]);
        } else if (f->max_len) {
            snprintf(buf, n, "string of at most %zu bytes", f->max_len);
        } else {
            snprintf(buf, n, "string");
        }
        break;
    case SCHEMA_INT:
        snprintf(buf, n, "integer");
        break;
    case SCHEMA_BOOL:
        snprintf(buf, n, "boolean");
        break;
    case SCHEMA_OBJECT:
        snprintf(buf, n, "object");
        break;
    case SCHEMA_ARRAY:
        if (f->max_len)
            snprintf(buf, n, "array of at most %zu elements", f->max_len);
        else
            snprintf(buf, n, "array");
        break;
    case SCHEMA_STRING_OR_NUMBER:
        if (f->max_len)
            snprintf(buf, n, "number or string of at most %zu bytes", f->max_len);
        else
            snprintf(buf, n, "number or string");
        break;
    }
}

static bool string_ok(const struct schema_field *f, const json_t *v)
{
    size_t len = json_string_length(v);
    if (f->max_len && len > f->max_len)
        return false;
    if (!f->one_of)
        return true;
    const char *s = json_string_value(v);
    for (size_t i = 0; f->one_of[i]; i++)
        if (strlen(f->one_of[i]) == len && memcmp(f->one_of[i], s, len) == 0)
            return true;
    return false;
}

static bool field_ok(const struct schema_field *f, const json_t *v)
{
    switch (f->type) {
    case SCHEMA_STRING:
        return json_is_string(v) && string_ok(f, v);
    case SCHEMA_INT:
        return json_is_integer(v);
    case SCHEMA_BOOL:
        return json_is_boolean(v);
    case SCHEMA_OBJECT:
        return json_is_object(v);
    case SCHEMA_ARRAY:
        return json_is_array(v) && (!f->max_len || json_array_size(v) <= f->max_len);
    case SCHEMA_STRING_OR_NUMBER:
        return json_is_number(v) ||
               (json_is_string(v) && (!f->max_len || json_string_length(v) <= f->max_len));
    }
    return false;
}

static bool fields_ok(const struct schema_msg *m, const json_t *root, char *err, size_t errlen)
{
    for (size_t i = 0; i < m->nfields; i++) {
        const struct schema_field *f = &m->fields[i];
        const json_t *v = json_object_get(root, f->name);
        if (!v) {
            if (!f->required)
                continue;
            errbuf_set(err, errlen, "field \"%s\": missing", f->name);
            return false;
        }
        if (!field_ok(f, v)) {
            char want[256];
            describe(f, want, sizeof want);
            errbuf_set(err, errlen, "field \"%s\": expected %s", f->name, want);
            return false;
        }
    }
    return true;
}

static const struct schema_msg *find_msg(const json_t *root, const char *type_key,
                                         const struct schema_msg *table, size_t n, char *err,
                                         size_t errlen)
{
    const json_t *t = json_object_get(root, type_key);
    if (!t) {
        errbuf_set(err, errlen, "missing \"%s\"", type_key);
        return NULL;
    }
    if (!json_is_string(t)) {
        errbuf_set(err, errlen, "\"%s\" must be a string", type_key);
        return NULL;
    }
    const char *s = json_string_value(t);
    size_t len = json_string_length(t);
    for (size_t i = 0; i < n; i++)
        if (strlen(table[i].type) == len && memcmp(table[i].type, s, len) == 0)
            return &table[i];
    if (quotable(s, len))
        errbuf_set(err, errlen, "unknown %s \"%s\"", type_key, s);
    else
        errbuf_set(err, errlen, "unknown %s (a string of %zu bytes)", type_key, len);
    return NULL;
}

enum schema_result schema_parse(const char *text, size_t len, const char *type_key,
                                const struct schema_msg *table, size_t n, json_t **out,
                                const struct schema_msg **which, char *err, size_t errlen)
{
    *out = NULL;
    if (which)
        *which = NULL;
    errbuf_set(err, errlen, "%s", "");
    json_t *root = load_object(text, len, err, errlen);
    if (!root)
        return SCHEMA_BAD_JSON;
    const struct schema_msg *m = find_msg(root, type_key, table, n, err, errlen);
    if (!m) {
        json_decref(root);
        return SCHEMA_UNKNOWN_TYPE;
    }
    if (which)
        *which = m;
    if (!fields_ok(m, root, err, errlen)) {
        json_decref(root);
        return SCHEMA_BAD_FIELD;
    }
    *out = root;
    return SCHEMA_OK;
}

json_t *schema_peek(const char *text, size_t len, const char *key)
{
    json_t *root = load_object(text, len, NULL, 0);
    if (!root)
        return NULL;
    json_t *v = json_object_get(root, key);
    json_incref(v);
    json_decref(root);
    return v;
}
