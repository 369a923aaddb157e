#include "signaling/metrics.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const drop_names[METRICS_DROP_COUNT] = {
    [METRICS_DROP_TOO_LARGE] = "too_large",     [METRICS_DROP_RATE_LIMITED] = "rate_limited",
    [METRICS_DROP_INVALID] = "invalid",         [METRICS_DROP_SFU_DOWN] = "sfu_down",
    [METRICS_DROP_UNROUTED] = "unrouted",       [METRICS_DROP_SLOW_CLIENT] = "slow_client",
    [METRICS_DROP_SFU_INVALID] = "sfu_invalid",
};

static const char *const media_drop_names[METRICS_MEDIA_DROP_COUNT] = {
    [METRICS_MEDIA_UNKNOWN] = "unknown", [METRICS_MEDIA_EARLY] = "early",
    [METRICS_MEDIA_SRTP] = "srtp",       [METRICS_MEDIA_OVERSIZE] = "oversize",
    [METRICS_MEDIA_DTLS] = "dtls",       [METRICS_MEDIA_CLOSED] = "closed",
};

const char *metrics_drop_name(enum metrics_drop d)
{
    if ((unsigned)d >= METRICS_DROP_COUNT)
        return "unknown";
    return drop_names[d];
}

/* A non-negative number member as an integer; 0 when absent or not a number. */
static uint64_t num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    double d = json_is_number(v) ? json_number_value(v) : 0;
    if (!(d > 0))
        return 0;
    if (d >= 1.8e19)
        return UINT64_MAX;
    return (uint64_t)d;
}

static int add_stream(const json_t *s, struct metrics_sfu *out)
{
    if (!json_is_object(s))
        return -EBADMSG;
    const char *dir = json_string_value(json_object_get(s, "direction"));
    bool in = dir && strcmp(dir, "in") == 0;
    if (!dir || (!in && strcmp(dir, "out") != 0))
        return -EBADMSG;
    if (in) {
        out->streams_in++;
        out->bitrate_in_bps += num(s, "bitrate_bps");
    } else {
        out->streams_out++;
        out->bitrate_out_bps += num(s, "bitrate_bps");
    }
    out->nacks += num(s, "nacks");
    out->plis += num(s, "plis");
    out->dropped += num(s, "dropped");
    return 0;
}

static int add_participant(const json_t *p, struct metrics_sfu *out)
{
    const json_t *streams = json_object_get(p, "streams");
    if (!json_is_object(p) || (streams && !json_is_array(streams)))
        return -EBADMSG;
    size_t i;
    const json_t *s;
    json_array_foreach(streams, i, s)
    {
        int rc = add_stream(s, out);
        if (rc)
            return rc;
    }
    return 0;
}

static int add_rooms(const json_t *rooms, struct metrics_sfu *out)
{
    size_t i, j;
    const json_t *room, *p;
    json_array_foreach(rooms, i, room)
    {
        const json_t *ps = json_object_get(room, "participants");
        const json_t *drops = json_object_get(room, "drops");
        if (!json_is_object(room) || (ps && !json_is_array(ps)) ||
            (drops && !json_is_object(drops)))
            return -EBADMSG;
        for (unsigned k = 0; k < METRICS_MEDIA_DROP_COUNT; k++)
            out->media_drops[k] += num(drops, media_drop_names[k]);
        json_array_foreach(ps, j, p)
        {
            int rc = add_participant(p, out);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int metrics_sfu_from_stats(const json_t *reply, struct metrics_sfu *out)
{
    if (!reply || !out)
        return -EINVAL;
    bool up = out->up;
    memset(out, 0, sizeof *out);
    out->up = up;
    const json_t *rooms = json_object_get(reply, "rooms");
    if (!json_is_object(reply) || !json_is_array(rooms))
        return -EBADMSG;
    int rc = add_rooms(rooms, out);
    if (rc) {
        memset(out, 0, sizeof *out);
        out->up = up;
    }
    return rc;
}

struct out {
    char *buf;
    size_t len, pos;
    bool full;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->len - o->pos) {
        o->full = true;
        return;
    }
    o->pos += (size_t)n;
}

static void head(struct out *o, const char *name, const char *type, const char *help)
{
    put(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void gauges(struct out *o, const struct metrics *m)
{
    head(o, "cau_rooms", "gauge", "Rooms with at least one participant.");
    put(o, "cau_rooms %" PRIu64 "\n", m->rooms);
    head(o, "cau_participants", "gauge", "Participants joined.");
    put(o, "cau_participants %" PRIu64 "\n", m->participants);
    head(o, "cau_connections", "gauge", "Open WebSocket connections.");
    put(o, "cau_connections %" PRIu64 "\n", m->connections);
    head(o, "cau_sfu_up", "gauge", "1 when the control connection to the sfu is up.");
    put(o, "cau_sfu_up %d\n", m->sfu.up ? 1 : 0);
    head(o, "cau_streams", "gauge", "Media streams in the sfu, by direction.");
    put(o, "cau_streams{direction=\"in\"} %" PRIu64 "\n", m->sfu.streams_in);
    put(o, "cau_streams{direction=\"out\"} %" PRIu64 "\n", m->sfu.streams_out);
    head(o, "cau_bitrate_bps", "gauge", "Media bitrate through the sfu, by direction.");
    put(o, "cau_bitrate_bps{direction=\"in\"} %" PRIu64 "\n", m->sfu.bitrate_in_bps);
    put(o, "cau_bitrate_bps{direction=\"out\"} %" PRIu64 "\n", m->sfu.bitrate_out_bps);
}

static void counters(struct out *o, const struct metrics *m)
{
    head(o, "cau_drops_total", "counter", "Messages and packets dropped, by reason.");
    for (unsigned i = 0; i < METRICS_DROP_COUNT; i++)
        put(o, "cau_drops_total{reason=\"%s\"} %" PRIu64 "\n", drop_names[i], m->drops[i]);
    put(o, "cau_drops_total{reason=\"media\"} %" PRIu64 "\n", m->sfu.dropped);
    head(o, "cau_sfu_dropped_packets_total", "counter",
         "Datagrams the sfu's media transports dropped, by reason.");
    for (unsigned i = 0; i < METRICS_MEDIA_DROP_COUNT; i++)
        put(o, "cau_sfu_dropped_packets_total{reason=\"%s\"} %" PRIu64 "\n", media_drop_names[i],
            m->sfu.media_drops[i]);
    head(o, "cau_nacks_total", "counter",
         "NACKs counted by the sfu, summed over its current streams.");
    put(o, "cau_nacks_total %" PRIu64 "\n", m->sfu.nacks);
    head(o, "cau_plis_total", "counter",
         "PLIs counted by the sfu, summed over its current streams.");
    put(o, "cau_plis_total %" PRIu64 "\n", m->sfu.plis);
    head(o, "cau_ws_errors_total", "counter", "Errors sent to WebSocket clients, by code.");
    for (unsigned i = 0; i < ERRCODE_COUNT; i++)
        put(o, "cau_ws_errors_total{code=\"%s\"} %" PRIu64 "\n", errcode_name((enum errcode)i),
            m->ws_errors[i]);
}

int metrics_format(const struct metrics *m, char *buf, size_t len, size_t *written)
{
    if (!m || !buf || !written)
        return -EINVAL;
    struct out o = {.buf = buf, .len = len};
    if (len == 0)
        return -ENOSPC;
    buf[0] = '\0';
    gauges(&o, m);
    counters(&o, m);
    if (o.full)
        return -ENOSPC;
    *written = o.pos;
    return 0;
}
