/* child_proc — a program of the build (build/bin/...) as a child process
 * of a unit test, with its stdout and stderr on pipes.
 *
 * child_proc_spawn starts it; child_proc_read_until reads its stdout into
 * c->out until a string appears (a ready line) or a poll times out;
 * child_proc_reap waits for its exit (stdout closing first) and keeps what
 * it wrote to stderr in c->err; child_proc_kill ends whatever still runs
 * (teardowns). Every wait is a poll() with a timeout, never a sleep.
 *
 * Ownership: the caller owns the struct; the pipes and the process are
 * released by child_proc_reap or child_proc_kill. Errors fail the running
 * cmocka test (a program that is missing, a pipe or spawn that fails, a
 * child that does not exit in time: killed, then a failure). */
#ifndef CAU_TEST_CHILD_PROC_H
#define CAU_TEST_CHILD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct child_proc {
    pid_t pid;      /* -1: none */
    int out_fd;     /* its stdout; -1: none */
    int err_fd;     /* its stderr (non-blocking); -1: none */
    char name[64];  /* argv[0]'s last part, for messages */
    char out[4096]; /* its stdout so far, NUL-terminated */
    size_t out_len;
    char err[4096]; /* its stderr, read by child_proc_reap */
};

/* No process, no pipes (what child_proc_kill may be called on). */
void child_proc_init(struct child_proc *c);
/* "$BUILD/bin/<name>" (BUILD unset or empty: build), in a static buffer;
 * fails the test when it is not an executable file. */
const char *child_proc_bin(const char *name);
/* Start argv[0] (a path) with argv, NULL-terminated. */
void child_proc_spawn(struct child_proc *c, const char *const argv[]);
/* Read stdout until want appears in c->out (NULL: until EOF); false when
 * nothing comes for ms milliseconds (or EOF comes first, with want). */
bool child_proc_read_until(struct child_proc *c, const char *want, int ms);
/* Wait for the exit: stdout to EOF (SIGKILL and a test failure when
 * nothing comes for ms), the wait status, stderr into c->err. */
int child_proc_reap(struct child_proc *c, int ms);
/* SIGKILL and reap a child still running; close the pipes. */
void child_proc_kill(struct child_proc *c);

#endif
