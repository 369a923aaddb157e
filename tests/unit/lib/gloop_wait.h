/* gloop_wait — unit-test helpers that iterate a GMainContext until a
 * condition holds or a deadline passes. A 20 ms tick source keeps the
 * blocking iteration waking up so that the deadline is seen even when
 * nothing else fires. ctx NULL means the global default context. Nothing
 * is allocated that outlives a call; no errors (a timeout is a false). */
#ifndef CAU_TEST_GLOOP_WAIT_H
#define CAU_TEST_GLOOP_WAIT_H

#include <stdbool.h>

#include <glib.h>

/* Iterate ctx until cond(arg) holds or ms milliseconds have passed;
 * returns cond(arg) at the end. */
bool gloop_wait_for(GMainContext *ctx, bool (*cond)(void *), void *arg, int ms);
/* Iterate ctx for ms milliseconds, whatever happens. */
void gloop_run_for(GMainContext *ctx, int ms);
/* Dispatch everything ready on ctx without blocking. */
void gloop_drain(GMainContext *ctx);

#endif
