/* app — the state of the signaling process that every part shares: the
 * configuration, the lws context, the sfu link, the roster, the open
 * WebSocket connections and the counters /metrics shows.
 *
 * One app per process, on the default GMainContext; nothing here is
 * thread-safe (there is one thread). app_start() creates the link and the
 * server, app_stop() tears them down in the order that lets every pending
 * callback run against live objects.
 *
 * Errors: app_start returns 0, or -1 with the reason on stderr.
 */
#ifndef CAU_APP_H
#define CAU_APP_H

#include <limits.h>
#include <stdint.h>

#include <glib.h>

#include "signaling/core/config.h"
#include "signaling/errcode.h"
#include "signaling/metrics.h"

struct lws_context;
struct lws_vhost;
struct sfu_link;
struct roster;

struct app {
    struct cau_config cfg;
    char web_root[PATH_MAX]; /* cfg.signaling.web_root, resolved */
    GMainLoop *loop;
    struct lws_context *lws;
    struct lws_vhost *vhost;
    struct sfu_link *link;
    struct roster *roster;
    GHashTable *conns; /* struct conn * -> itself: the open WebSockets */
    guint sweep;       /* the liveness timer */
    uint64_t ws_errors[ERRCODE_COUNT];
    uint64_t drops[METRICS_DROP_COUNT];
};

int app_start(struct app *app, const struct cau_config *cfg, GMainLoop *loop);
void app_stop(struct app *app);

/* Count an error sent to a client, a message dropped. */
void app_count_error(struct app *app, enum errcode code);
void app_count_drop(struct app *app, enum metrics_drop why);
/* The current figures (gauges from the roster and conns, the counters);
 * the sfu part is left zero but for .up. */
void app_metrics(const struct app *app, struct metrics *m);
/* Wall clock in Unix seconds, monotonic clock in microseconds. */
int64_t app_now_s(void);
int64_t app_mono_us(void);

#endif
