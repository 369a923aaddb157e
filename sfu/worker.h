/* worker — a thread with its own GMainContext and GMainLoop.
 *
 * The sfu runs rooms on workers: every object of a room (participants,
 * transports, forwarders) is created, used and freed on its worker's
 * thread. Other threads hand work over with worker_call, which queues the
 * function on the worker's context; nothing else crosses threads.
 */
#ifndef CAU_SFU_WORKER_H
#define CAU_SFU_WORKER_H

#include <glib.h>

struct worker;

/* Start a worker thread named name. NULL when the thread cannot start. */
struct worker *worker_start(const char *name);
/* Run fn(data) on the worker's thread, soon; free(data) after it, if given. */
void worker_call(struct worker *w, GSourceFunc fn, gpointer data, GDestroyNotify free_fn);
GMainContext *worker_context(const struct worker *w);
/* Stop the loop, join the thread and free. Calls queued before run first. */
void worker_stop(struct worker *w);

#endif
