#include "tests/bench/lib/sfu_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

struct sfu_proc {
    GMainContext *ctx;
    pid_t pid;
    int fd;
    char dir[96];
    char sock[108];
    GString *in;
    sfu_proc_event_fn fn;
    void *arg;
    json_int_t next_id;
    json_t *replies; /* id (as string) -> reply */
};

static int write_config(struct sfu_proc *p, int port_base, char *path, size_t cap)
{
    json_error_t je;
    json_t *cfg = json_load_file("configs/default.json", 0, &je);
    if (!cfg)
        return -1;
    json_t *sfu = json_object_get(cfg, "sfu");
    json_object_set_new(sfu, "control_socket", json_string(p->sock));
    json_object_set_new(sfu, "port_min", json_integer(port_base));
    json_object_set_new(sfu, "port_max", json_integer(port_base + 199));
    snprintf(path, cap, "%s/config.json", p->dir);
    int rc = json_dump_file(cfg, path, 0);
    json_decref(cfg);
    return rc;
}

static bool connect_sock(struct sfu_proc *p)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", p->sock);
    for (int i = 0; i < 100; i++) {
        p->fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(p->fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
            fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK);
            return true;
        }
        close(p->fd);
        p->fd = -1;
        g_usleep(100000); /* the child is starting: its socket appears soon */
    }
    return false;
}

struct sfu_proc *sfu_proc_start(GMainContext *ctx, int port_base, sfu_proc_event_fn fn, void *arg)
{
    struct sfu_proc *p = g_new0(struct sfu_proc, 1);
    p->ctx = ctx;
    p->fn = fn;
    p->arg = arg;
    p->fd = -1;
    p->in = g_string_new(NULL);
    p->replies = json_object();
    char cfg[300];
    gchar *dir = g_dir_make_tmp("cau-bench-XXXXXX", NULL);
    if (!dir)
        goto fail;
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    g_free(dir);
    snprintf(p->sock, sizeof p->sock, "%s/sfu.sock", p->dir);
    if (write_config(p, port_base, cfg, sizeof cfg) != 0)
        goto fail;
    p->pid = fork();
    if (p->pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        execl("build/bin/sfu", "sfu", "--config", cfg, (char *)NULL);
        _exit(127);
    }
    if (p->pid > 0 && connect_sock(p))
        return p;
fail:
    sfu_proc_stop(p);
    return NULL;
}

static void handle_line(struct sfu_proc *p, const char *line, size_t len)
{
    json_t *m = json_loadb(line, len, 0, NULL);
    if (!m)
        return;
    json_t *id = json_object_get(m, "id");
    if (id && !json_object_get(m, "event")) {
        char key[32];
        snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        json_object_set_new(p->replies, key, m);
        return;
    }
    if (p->fn)
        p->fn(p->arg, m);
    json_decref(m);
}

/* Read what the sfu wrote and dispatch complete lines. */
static void pump(struct sfu_proc *p)
{
    char buf[65536];
    ssize_t n;
    while ((n = read(p->fd, buf, sizeof buf)) > 0)
        g_string_append_len(p->in, buf, n);
    /* Take the complete lines out first: an event handler may make a
     * request, which pumps again. */
    size_t len = p->in->len;
    while (len && p->in->str[len - 1] != '\n')
        len--;
    if (!len)
        return;
    char *lines = g_strndup(p->in->str, len);
    g_string_erase(p->in, 0, len);
    for (char *s = lines, *e; (e = strchr(s, '\n')); s = e + 1)
        handle_line(p, s, (size_t)(e - s));
    g_free(lines);
}

json_t *sfu_proc_request(struct sfu_proc *p, const char *op, json_t *fields)
{
    json_t *req = fields ? fields : json_object();
    json_int_t id = ++p->next_id;
    json_object_set_new(req, "op", json_string(op));
    json_object_set_new(req, "id", json_integer(id));
    char *s = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    size_t len = strlen(s), off = 0;
    while (off < len) {
        ssize_t w = write(p->fd, s + off, len - off);
        if (w > 0)
            off += (size_t)w;
        else if (errno != EAGAIN)
            break;
    }
    free(s);
    if (write(p->fd, "\n", 1) != 1)
        return NULL;
    char key[32];
    snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT, id);
    int64_t deadline = g_get_monotonic_time() + 10000000;
    while (g_get_monotonic_time() < deadline) {
        pump(p);
        json_t *r = json_object_get(p->replies, key);
        if (r) {
            json_incref(r);
            json_object_del(p->replies, key);
            return r;
        }
        g_main_context_iteration(p->ctx, FALSE);
        g_usleep(200);
    }
    return NULL;
}

void sfu_proc_poll(struct sfu_proc *p)
{
    pump(p);
}

pid_t sfu_proc_pid(const struct sfu_proc *p)
{
    return p->pid;
}

double sfu_proc_cpu_s(const struct sfu_proc *p)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)p->pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *s = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    /* fields after the command: state(3) ... utime(14) stime(15) */
    if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

long sfu_proc_rss_kib(const struct sfu_proc *p)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)p->pid);
    FILE *f = fopen(path, "r");
    long kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

void sfu_proc_stop(struct sfu_proc *p)
{
    if (!p)
        return;
    if (p->fd >= 0)
        close(p->fd);
    if (p->pid > 0) {
        kill(p->pid, SIGTERM);
        waitpid(p->pid, NULL, 0);
    }
    char cfg[300];
    snprintf(cfg, sizeof cfg, "%s/config.json", p->dir);
    unlink(cfg);
    unlink(p->sock);
    rmdir(p->dir);
    g_string_free(p->in, TRUE);
    json_decref(p->replies);
    g_free(p);
}
