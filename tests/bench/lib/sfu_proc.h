/* sfu_proc — build/bin/sfu as a child of a benchmark, with a config of its
 * own in a temporary directory, and a client of its control socket that
 * runs on a GMainContext (requests answered by id, events to a callback). */
#ifndef CAU_BENCH_SFU_PROC_H
#define CAU_BENCH_SFU_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include <glib.h>
#include <jansson.h>

struct sfu_proc;
typedef void (*sfu_proc_event_fn)(void *arg, json_t *event);

/* Start the sfu (media ports from port_base) and connect; NULL on failure. */
struct sfu_proc *sfu_proc_start(GMainContext *ctx, int port_base, sfu_proc_event_fn fn, void *arg);
/* Send a request (fields stolen, "op" and "id" added) and iterate ctx until
 * its reply comes (NULL after 10 s). The reply is the caller's. */
json_t *sfu_proc_request(struct sfu_proc *p, const char *op, json_t *fields);
/* Read and dispatch what the sfu wrote (events), without blocking. */
void sfu_proc_poll(struct sfu_proc *p);
pid_t sfu_proc_pid(const struct sfu_proc *p);
/* CPU seconds (user + system) the sfu has used, from /proc. */
double sfu_proc_cpu_s(const struct sfu_proc *p);
/* Resident set size in KiB, from /proc. */
long sfu_proc_rss_kib(const struct sfu_proc *p);
void sfu_proc_stop(struct sfu_proc *p);

#endif
