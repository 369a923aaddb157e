#include "signaling/presence.h"

#include <libwebsockets.h>

#include "signaling/app.h"
#include "signaling/conn.h"
#include "signaling/request.h"
#include "signaling/roster.h"

json_t *presence_json(const struct participant *p)
{
    return json_pack("{s:s, s:s, s:s}", "id", p->id, "name", p->name, "role", p->role);
}

static json_t *left_msg(const char *id, const char *reason)
{
    return json_pack("{s:s, s:s, s:s}", "type", "participant_left", "id", id, "reason", reason);
}

void presence_joined(struct app *app, struct participant *p, json_t *ref)
{
    GPtrArray *all = roster_in_room(app->roster, p->room, true);
    json_t *others = json_array();
    for (guint i = 0; i < all->len; i++) {
        struct participant *o = g_ptr_array_index(all, i);
        if (o != p)
            json_array_append_new(others, presence_json(o));
    }
    json_t *joined = json_pack("{s:s, s:o, s:s, s:o}", "type", "joined", "self", presence_json(p),
                               "room", p->room, "participants", others);
    if (joined && ref)
        json_object_set(joined, "ref", ref);
    conn_send(p->conn, joined);
    for (guint i = 0; i < all->len; i++) {
        struct participant *o = g_ptr_array_index(all, i);
        if (o != p)
            conn_send(o->conn, json_pack("{s:s, s:o}", "type", "participant_joined", "participant",
                                         presence_json(p)));
    }
    g_ptr_array_unref(all);
}

static void tell_sfu_removed(struct app *app, const struct participant *p)
{
    request_forget(app, json_pack("{s:s, s:s}", "op", "participant_remove", "participant", p->id));
}

void presence_remove(struct app *app, struct participant *p, const char *reason,
                     enum presence_how how)
{
    /* A participant still joining has been sent participant_add: the sfu
     * handles requests in order, so the remove follows the add. */
    tell_sfu_removed(app, p);
    if (p->joined) {
        GPtrArray *all = roster_in_room(app->roster, p->room, true);
        for (guint i = 0; i < all->len; i++) {
            struct participant *o = g_ptr_array_index(all, i);
            if (o != p)
                conn_send(o->conn, left_msg(p->id, reason));
        }
        g_ptr_array_unref(all);
    }
    struct conn *c = p->conn;
    c->state = CONN_NEW;
    c->pid[0] = '\0';
    if (how == PRESENCE_CLOSE) {
        conn_send(c, left_msg(p->id, reason));
        conn_close(c, LWS_CLOSE_STATUS_NORMAL, reason);
    }
    roster_remove(app->roster, p);
}

size_t presence_end_room(struct app *app, const char *room)
{
    GPtrArray *all = roster_in_room(app->roster, room, false);
    /* Everybody hears of everybody else first, then of itself. */
    for (guint i = 0; i < all->len; i++) {
        struct participant *p = g_ptr_array_index(all, i);
        for (guint j = 0; j < all->len; j++) {
            struct participant *o = g_ptr_array_index(all, j);
            if (o != p && o->joined && p->joined)
                conn_send(p->conn, left_msg(o->id, "room_ended"));
        }
    }
    for (guint i = 0; i < all->len; i++) {
        struct participant *p = g_ptr_array_index(all, i);
        p->joined = false; /* the others were told above */
        presence_remove(app, p, "room_ended", PRESENCE_CLOSE);
    }
    size_t n = all->len;
    g_ptr_array_unref(all);
    request_forget(app, json_pack("{s:s, s:s}", "op", "room_close", "room", room));
    request_forget(app, json_pack("{s:s, s:s}", "op", "room_open", "room", room));
    return n;
}

void presence_drop_all(struct app *app, const char *message)
{
    GPtrArray *all = roster_all(app->roster);
    for (guint i = 0; i < all->len; i++) {
        struct participant *p = g_ptr_array_index(all, i);
        struct conn *c = p->conn;
        c->state = CONN_NEW;
        c->pid[0] = '\0';
        conn_error(c, ERRCODE_INTERNAL, message, NULL);
        conn_close(c, LWS_CLOSE_STATUS_UNEXPECTED_CONDITION, "internal");
        roster_remove(app->roster, p);
    }
    g_ptr_array_unref(all);
}
