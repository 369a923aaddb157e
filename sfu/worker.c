#include "sfu/worker.h"

#include "media/core/mem.h"

struct worker {
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *thread;
};

static gpointer run(gpointer data)
{
    struct worker *w = data;
    g_main_context_push_thread_default(w->ctx);
    g_main_loop_run(w->loop);
    /* Finish what was queued before the stop. */
    while (g_main_context_iteration(w->ctx, FALSE))
        ;
    g_main_context_pop_thread_default(w->ctx);
    return NULL;
}

struct worker *worker_start(const char *name)
{
    struct worker *w = mem_zalloc(sizeof *w);
    if (!w)
        return NULL;
    w->ctx = g_main_context_new();
    w->loop = g_main_loop_new(w->ctx, FALSE);
    w->thread = g_thread_try_new(name, run, w, NULL);
    if (!w->thread) {
        g_main_loop_unref(w->loop);
        g_main_context_unref(w->ctx);
        mem_free(w);
        return NULL;
    }
    return w;
}

void worker_call(struct worker *w, GSourceFunc fn, gpointer data, GDestroyNotify free_fn)
{
    g_main_context_invoke_full(w->ctx, G_PRIORITY_DEFAULT, fn, data, free_fn);
}

GMainContext *worker_context(const struct worker *w)
{
    return w->ctx;
}

static gboolean quit(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
}

void worker_stop(struct worker *w)
{
    if (!w)
        return;
    worker_call(w, quit, w->loop, NULL);
    g_thread_join(w->thread);
    g_main_loop_unref(w->loop);
    g_main_context_unref(w->ctx);
    mem_free(w);
}
