/* child_proc — see child_proc.h. */
#include "tests/unit/lib/child_proc.h"

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

extern char **environ;

void child_proc_init(struct child_proc *c)
{
    memset(c, 0, sizeof *c);
    c->pid = -1;
    c->out_fd = c->err_fd = -1;
}

const char *child_proc_bin(const char *name)
{
    static char path[512];
    const char *build = getenv("BUILD");
    snprintf(path, sizeof path, "%s/bin/%s", build && *build ? build : "build", name);
    if (access(path, X_OK) != 0)
        fail_msg("%s is missing: build it first (make all), and run this test from the "
                 "repository root",
                 path);
    return path;
}

void child_proc_spawn(struct child_proc *c, const char *const argv[])
{
    child_proc_init(c);
    const char *base = strrchr(argv[0], '/');
    snprintf(c->name, sizeof c->name, "%s", base ? base + 1 : argv[0]);
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, err[0]);
    int rc = posix_spawn(&c->pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    c->out_fd = out[0];
    c->err_fd = err[0];
    fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
    if (rc != 0)
        c->pid = -1;
    assert_int_equal(rc, 0);
}

bool child_proc_read_until(struct child_proc *c, const char *want, int ms)
{
    for (;;) {
        c->out[c->out_len] = '\0';
        if (want && strstr(c->out, want))
            return true;
        struct pollfd p = {.fd = c->out_fd, .events = POLLIN};
        if (poll(&p, 1, ms) != 1)
            return false;
        ssize_t n = read(c->out_fd, c->out + c->out_len, sizeof c->out - 1 - c->out_len);
        if (n <= 0)
            return want == NULL;
        c->out_len += (size_t)n;
    }
}

static void close_pipes(struct child_proc *c)
{
    if (c->out_fd >= 0)
        close(c->out_fd);
    if (c->err_fd >= 0)
        close(c->err_fd);
    c->out_fd = c->err_fd = -1;
}

int child_proc_reap(struct child_proc *c, int ms)
{
    bool eof = child_proc_read_until(c, NULL, ms);
    if (!eof)
        kill(c->pid, SIGKILL);
    int status = -1;
    assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
    c->pid = -1;
    size_t len = 0;
    ssize_t n;
    while (len < sizeof c->err - 1 &&
           (n = read(c->err_fd, c->err + len, sizeof c->err - 1 - len)) > 0)
        len += (size_t)n;
    c->err[len] = '\0';
    close_pipes(c);
    if (!eof)
        fail_msg("%s did not exit within %d ms", c->name, ms);
    return status;
}

void child_proc_kill(struct child_proc *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
        c->pid = -1;
    }
    close_pipes(c);
}
