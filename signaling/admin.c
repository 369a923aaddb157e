#include "signaling/admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "signaling/app.h"
#include "signaling/http_reply.h"
#include "signaling/presence.h"
#include "signaling/roster.h"

#define JSON_TYPE "application/json"

bool admin_authorized(const char *key, const char *header)
{
    static const char prefix[] = "Bearer ";
    if (!key || !*key || !header || strncmp(header, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *given = header + sizeof prefix - 1;
    size_t n = strlen(key), m = strlen(given);
    unsigned char diff = n != m;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)key[i] ^ (unsigned char)(i < m ? given[i] : 0);
    return diff == 0;
}

bool admin_end_path(const char *uri, char *id, size_t idlen)
{
    static const char prefix[] = "/admin/rooms/", suffix[] = "/end";
    size_t plen = sizeof prefix - 1, slen = sizeof suffix - 1, n = strlen(uri);
    if (n <= plen + slen || strncmp(uri, prefix, plen) != 0 || strcmp(uri + n - slen, suffix) != 0)
        return false;
    size_t idn = n - plen - slen;
    if (idn >= idlen || memchr(uri + plen, '/', idn))
        return false;
    memcpy(id, uri + plen, idn);
    id[idn] = '\0';
    return true;
}

static void reply_json(struct http_reply *r, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text)
        http_reply_set(r, status, JSON_TYPE, text, strlen(text));
    else
        http_reply_text(r, 500, "out of memory");
    free(text);
}

static void reply_error(struct http_reply *r, int status, const char *message)
{
    reply_json(r, status, json_pack("{s:s}", "error", message));
}

static json_t *room_json(struct app *app, const struct cau_config_room *room)
{
    json_t *list = json_array();
    GPtrArray *ps = roster_in_room(app->roster, room->id, true);
    for (guint i = 0; i < ps->len; i++)
        json_array_append_new(list, presence_json(g_ptr_array_index(ps, i)));
    g_ptr_array_unref(ps);
    return json_pack("{s:s, s:s, s:o}", "id", room->id, "title", room->title, "participants", list);
}

static void list_rooms(struct app *app, struct http_reply *r)
{
    json_t *rooms = json_array();
    for (int i = 0; i < app->cfg.n_rooms; i++)
        json_array_append_new(rooms, room_json(app, &app->cfg.rooms[i]));
    reply_json(r, 200, json_pack("{s:o}", "rooms", rooms));
}

static void end_room(struct app *app, const char *id, struct http_reply *r)
{
    if (!config_find_room(&app->cfg, id)) {
        reply_error(r, 404, "no such room");
        return;
    }
    size_t n = presence_end_room(app, id);
    fprintf(stderr, "signaling: room %s ended by the admin API (%zu removed)\n", id, n);
    reply_json(r, 200, json_pack("{s:s, s:I}", "room", id, "removed", (json_int_t)n));
}

void admin_route(struct app *app, struct lws *wsi, int method, const char *uri,
                 struct http_reply *r)
{
    char auth[512] = "";
    if (lws_hdr_copy(wsi, auth, sizeof auth, WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
        auth[0] = '\0';
    if (!admin_authorized(app->cfg.signaling.admin_key, auth)) {
        r->extra = "WWW-Authenticate: Bearer";
        reply_error(r, 401, "unauthorized");
        return;
    }
    char id[sizeof app->cfg.rooms[0].id];
    if (strcmp(uri, "/admin/rooms") == 0) {
        if (method == LWSHUMETH_GET) {
            list_rooms(app, r);
            return;
        }
        r->extra = "Allow: GET";
    } else if (admin_end_path(uri, id, sizeof id)) {
        if (method == LWSHUMETH_POST) {
            end_room(app, id, r);
            return;
        }
        r->extra = "Allow: POST";
    } else {
        reply_error(r, 404, "no such admin resource");
        return;
    }
    reply_error(r, 405, "method not allowed");
}
