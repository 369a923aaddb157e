/* gloop_wait — see gloop_wait.h. */
#include "tests/unit/lib/gloop_wait.h"

#include <stdint.h>

static gboolean wake(gpointer data)
{
    (void)data;
    return G_SOURCE_CONTINUE;
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

bool gloop_wait_for(GMainContext *ctx, bool (*cond)(void *), void *arg, int ms)
{
    int64_t deadline = g_get_monotonic_time() + (int64_t)ms * 1000;
    GSource *tick = g_timeout_source_new(20);
    g_source_set_callback(tick, wake, NULL, NULL);
    g_source_attach(tick, ctx);
    while (!cond(arg) && g_get_monotonic_time() < deadline)
        g_main_context_iteration(ctx, TRUE);
    g_source_destroy(tick);
    g_source_unref(tick);
    return cond(arg);
}

void gloop_run_for(GMainContext *ctx, int ms)
{
    gloop_wait_for(ctx, never, NULL, ms);
}

void gloop_drain(GMainContext *ctx)
{
    while (g_main_context_iteration(ctx, FALSE))
        ;
}
