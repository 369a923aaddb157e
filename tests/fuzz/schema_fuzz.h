/* Shared by fuzz_client_msg and fuzz_control_msg: runs schema_parse and
 * schema_peek over one input and aborts when a promise of schema.h breaks:
 * *out is an object exactly on SCHEMA_OK and then holds every required field
 * with its type, *which is set on OK and BAD_FIELD only, err is printable
 * ASCII (non-empty on failure), and nothing is left allocated. Jansson
 * allocates through mem.h here so that a leak shows in mem_live_count(). */
#ifndef CAU_TEST_SCHEMA_FUZZ_H
#define CAU_TEST_SCHEMA_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/mem.h"
#include "signaling/core/schema.h"

static inline void schema_fuzz_check_fields(const struct schema_msg *m, const json_t *o)
{
    for (size_t i = 0; i < m->nfields; i++) {
        const struct schema_field *f = &m->fields[i];
        const json_t *v = json_object_get(o, f->name);
        if (!v) {
            if (f->required)
                abort();
            continue;
        }
        if (f->type == SCHEMA_STRING &&
            (!json_is_string(v) || (f->max_len && json_string_length(v) > f->max_len)))
            abort();
        if (f->type == SCHEMA_INT && !json_is_integer(v))
            abort();
    }
}

static inline void schema_fuzz_one(const uint8_t *data, size_t size, const char *type_key,
                                   const struct schema_msg *table, size_t n, const char *peek_key)
{
    static int init;
    if (!init) {
        json_object_seed(1);
        json_set_alloc_funcs(mem_alloc, mem_free);
        init = 1;
    }
    long live = mem_live_count();
    json_t *out = NULL;
    const struct schema_msg *which = NULL;
    char err[256];
    enum schema_result r =
        schema_parse((const char *)data, size, type_key, table, n, &out, &which, err, sizeof err);
    for (const char *p = err; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            abort();
    if (r == SCHEMA_OK) {
        if (!json_is_object(out) || !which || err[0])
            abort();
        if (strcmp(json_string_value(json_object_get(out, type_key)), which->type) != 0)
            abort();
        schema_fuzz_check_fields(which, out);
        json_decref(out);
    } else if (out || !err[0] || (r == SCHEMA_BAD_FIELD) != (which != NULL)) {
        abort();
    }
    json_t *v = schema_peek((const char *)data, size, peek_key);
    if (v && r == SCHEMA_BAD_JSON) /* only an object has members */
        abort();
    json_decref(v);
    if (mem_live_count() != live)
        abort();
}

#endif
