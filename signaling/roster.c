#include "signaling/roster.h"

#include <stdio.h>
#include <string.h>

#include "media/core/mem.h"

struct roster {
    GHashTable *by_id; /* id -> struct participant (owned) */
    unsigned long next_seq;
};

struct roster *roster_new(void)
{
    struct roster *r = mem_zalloc(sizeof *r);
    if (!r)
        return NULL;
    r->by_id = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, mem_free);
    return r;
}

void roster_free(struct roster *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->by_id);
    mem_free(r);
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

struct participant *roster_add(struct roster *r, const char *room, const char *name,
                               const char *role, struct conn *conn)
{
    struct participant *p = mem_zalloc(sizeof *p);
    if (!p)
        return NULL;
    do {
        snprintf(p->id, sizeof p->id, "p%08x%08x", g_random_int(), g_random_int());
    } while (g_hash_table_contains(r->by_id, p->id));
    copy(p->room, sizeof p->room, room);
    copy(p->name, sizeof p->name, name);
    copy(p->role, sizeof p->role, role);
    p->conn = conn;
    p->seq = ++r->next_seq;
    g_hash_table_insert(r->by_id, p->id, p);
    return p;
}

struct participant *roster_get(const struct roster *r, const char *id)
{
    return id ? g_hash_table_lookup(r->by_id, id) : NULL;
}

void roster_remove(struct roster *r, struct participant *p)
{
    g_hash_table_remove(r->by_id, p->id);
}

static gint by_seq(gconstpointer a, gconstpointer b)
{
    const struct participant *x = *(struct participant *const *)a;
    const struct participant *y = *(struct participant *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static GPtrArray *pick(const struct roster *r, const char *room, bool joined_only)
{
    GPtrArray *out = g_ptr_array_new();
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, r->by_id);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        struct participant *p = v;
        if ((room && strcmp(p->room, room) != 0) || (joined_only && !p->joined))
            continue;
        g_ptr_array_add(out, p);
    }
    g_ptr_array_sort(out, by_seq);
    return out;
}

GPtrArray *roster_in_room(const struct roster *r, const char *room, bool joined_only)
{
    return pick(r, room, joined_only);
}

GPtrArray *roster_all(const struct roster *r)
{
    return pick(r, NULL, false);
}

size_t roster_count_joined(const struct roster *r)
{
    GPtrArray *a = pick(r, NULL, true);
    size_t n = a->len;
    g_ptr_array_unref(a);
    return n;
}

size_t roster_count_rooms(const struct roster *r)
{
    GHashTable *rooms = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, r->by_id);
    while (g_hash_table_iter_next(&it, NULL, &v)) {
        struct participant *p = v;
        if (p->joined)
            g_hash_table_add(rooms, p->room);
    }
    size_t n = g_hash_table_size(rooms);
    g_hash_table_destroy(rooms);
    return n;
}
