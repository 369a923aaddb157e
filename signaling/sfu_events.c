#include "signaling/sfu_events.h"

#include <stdio.h>
#include <string.h>

#include "signaling/app.h"
#include "signaling/conn.h"
#include "signaling/presence.h"
#include "signaling/request.h"
#include "signaling/roster.h"

static void on_state(void *arg, bool up)
{
    struct app *app = arg;
    if (!up) {
        presence_drop_all(app, "lost the connection to the media bridge");
        return;
    }
    for (int i = 0; i < app->cfg.n_rooms; i++) {
        const char *room = app->cfg.rooms[i].id;
        request_forget(app, json_pack("{s:s, s:s}", "op", "room_close", "room", room));
        request_forget(app, json_pack("{s:s, s:s}", "op", "room_open", "room", room));
    }
}

static void invalid(struct app *app, const char *event)
{
    app_count_drop(app, METRICS_DROP_SFU_INVALID);
    fprintf(stderr, "signaling: sfu event %s without its fields ignored\n", event);
}

static void on_candidate(struct app *app, struct participant *p, json_t *msg)
{
    json_t *pc = json_object_get(msg, "pc");
    json_t *cand = json_object_get(msg, "candidate");
    if (!json_is_string(pc) || !json_is_string(cand)) {
        invalid(app, "candidate");
        return;
    }
    conn_send(p->conn,
              json_pack("{s:s, s:O, s:O}", "type", "candidate", "pc", pc, "candidate", cand));
}

static void on_subscribe_offer(struct app *app, struct participant *p, json_t *msg)
{
    json_t *sdp = json_object_get(msg, "sdp");
    json_t *tracks = json_object_get(msg, "tracks");
    if (!json_is_string(sdp) || (tracks && !json_is_array(tracks))) {
        invalid(app, "subscribe_offer");
        return;
    }
    conn_send(p->conn, json_pack("{s:s, s:O}", "type", "subscribe_offer", "sdp", sdp));
    if (tracks)
        conn_send(p->conn, json_pack("{s:s, s:O}", "type", "tracks", "tracks", tracks));
    else
        conn_send(p->conn, json_pack("{s:s, s:[]}", "type", "tracks", "tracks"));
}

static void on_transport(struct app *app, struct participant *p, json_t *msg)
{
    const char *pc = json_string_value(json_object_get(msg, "pc"));
    const char *state = json_string_value(json_object_get(msg, "state"));
    if (!pc || !state) {
        invalid(app, "transport");
        return;
    }
    const char *reason = json_string_value(json_object_get(msg, "reason"));
    bool why = reason && *reason;
    fprintf(stderr, "signaling: %s %s transport %s%s%s\n", p->id, pc, state, why ? ": " : "",
            why ? reason : "");
    if (strcmp(pc, "publish") == 0 && (strcmp(state, "failed") == 0 || strcmp(state, "gone") == 0))
        presence_remove(app, p, "gone", PRESENCE_CLOSE);
}

static void on_event(void *arg, const char *event, json_t *msg)
{
    struct app *app = arg;
    const char *pid = json_string_value(json_object_get(msg, "participant"));
    if (!pid) {
        invalid(app, event);
        return;
    }
    struct participant *p = roster_get(app->roster, pid);
    if (!p) {
        app_count_drop(app, METRICS_DROP_UNROUTED);
        return;
    }
    if (strcmp(event, "candidate") == 0)
        on_candidate(app, p, msg);
    else if (strcmp(event, "subscribe_offer") == 0)
        on_subscribe_offer(app, p, msg);
    else if (strcmp(event, "transport") == 0)
        on_transport(app, p, msg);
    else
        fprintf(stderr, "signaling: unknown sfu event %s ignored\n", event);
}

const struct sfu_link_ops sfu_events_ops = {.state = on_state, .event = on_event};
