#include "sfu/control.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>

#include "media/core/mem.h"

struct client {
    struct control *owner;
    uint64_t id;
    int fd;
    guint in_watch, out_watch;
    GString *in, *out;
    bool skipping; /* discarding the rest of an over-long line */
};

struct control {
    int fd;
    guint watch;
    char path[108];
    control_line_fn fn;
    void *arg;
    GHashTable *clients; /* id -> struct client */
    uint64_t next_id;
};

static void client_free(gpointer p)
{
    struct client *c = p;
    if (c->in_watch)
        g_source_remove(c->in_watch);
    if (c->out_watch)
        g_source_remove(c->out_watch);
    close(c->fd);
    g_string_free(c->in, TRUE);
    g_string_free(c->out, TRUE);
    mem_free(c);
}

static void drop(struct client *c)
{
    g_hash_table_remove(c->owner->clients, &c->id);
}

static gboolean on_writable(gint fd, GIOCondition cond, gpointer data);

static void flush(struct client *c)
{
    while (c->out->len) {
        ssize_t n = send(c->fd, c->out->str, c->out->len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (n <= 0) {
            drop(c);
            return;
        }
        g_string_erase(c->out, 0, n);
    }
    if (c->out->len && !c->out_watch)
        c->out_watch = g_unix_fd_add(c->fd, G_IO_OUT, on_writable, c);
}

static gboolean on_writable(gint fd, GIOCondition cond, gpointer data)
{
    (void)fd;
    (void)cond;
    struct client *c = data;
    c->out_watch = 0;
    flush(c); /* may free c */
    return G_SOURCE_REMOVE;
}

static void queue(struct client *c, json_t *msg)
{
    char *s = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!s)
        return;
    g_string_append(c->out, s);
    g_string_append_c(c->out, '\n');
    free(s);
    if (c->out->len > CONTROL_MAX_BACKLOG) {
        drop(c);
        return;
    }
    if (!c->out_watch)
        flush(c);
}

void control_send(struct control *ctl, uint64_t client, json_t *msg)
{
    struct client *c = g_hash_table_lookup(ctl->clients, &client);
    if (c)
        queue(c, msg);
    else
        json_decref(msg);
}

void control_broadcast(struct control *ctl, json_t *msg)
{
    GList *list = g_hash_table_get_values(ctl->clients);
    for (GList *l = list; l; l = l->next)
        queue(l->data, json_incref(msg));
    g_list_free(list);
    json_decref(msg);
}

static void too_long(struct client *c)
{
    queue(c, json_pack("{s:i, s:b, s:{s:s, s:s}}", "id", 0, "ok", 0, "error", "code", "bad_request",
                       "message", "line too long"));
}

/* Hand every complete line to the owner; keep the rest. */
static void split_lines(struct client *c)
{
    uint64_t id = c->id;
    struct control *ctl = c->owner;
    size_t start = 0;
    for (size_t i = 0; i < c->in->len; i++) {
        if (c->in->str[i] != '\n')
            continue;
        if (!c->skipping && i > start)
            ctl->fn(ctl->arg, id, c->in->str + start, i - start);
        c->skipping = false;
        start = i + 1;
        if (!g_hash_table_lookup(ctl->clients, &id))
            return; /* the owner dropped the client */
    }
    g_string_erase(c->in, 0, start);
    if (c->in->len > CONTROL_MAX_LINE) {
        if (!c->skipping)
            too_long(c);
        c->skipping = true;
        g_string_truncate(c->in, 0);
    }
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer data)
{
    struct client *c = data;
    char buf[65536];
    ssize_t n = (cond & G_IO_IN) ? recv(fd, buf, sizeof buf, MSG_DONTWAIT) : 0;
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        c->in_watch = 0;
        drop(c);
        return G_SOURCE_REMOVE;
    }
    g_string_append_len(c->in, buf, n);
    split_lines(c);
    return G_SOURCE_CONTINUE;
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
    (void)cond;
    struct control *ctl = data;
    int cfd = accept(fd, NULL, NULL);
    if (cfd < 0)
        return G_SOURCE_CONTINUE;
    fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK);
    fcntl(cfd, F_SETFD, FD_CLOEXEC);
    struct client *c = mem_zalloc(sizeof *c);
    if (!c) {
        close(cfd);
        return G_SOURCE_CONTINUE;
    }
    c->owner = ctl;
    c->id = ++ctl->next_id;
    c->fd = cfd;
    c->in = g_string_new(NULL);
    c->out = g_string_new(NULL);
    c->in_watch = g_unix_fd_add(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, c);
    g_hash_table_insert(ctl->clients, &c->id, c);
    return G_SOURCE_CONTINUE;
}

struct control *control_listen(const char *path, control_line_fn fn, void *arg, char *err,
                               size_t errlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "control socket path too long: %s", path);
        return NULL;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0) {
        snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    struct control *ctl = mem_zalloc(sizeof *ctl);
    if (!ctl) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ctl->fd = fd;
    snprintf(ctl->path, sizeof ctl->path, "%s", path);
    ctl->fn = fn;
    ctl->arg = arg;
    ctl->clients = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, client_free);
    ctl->watch = g_unix_fd_add(fd, G_IO_IN, on_accept, ctl);
    return ctl;
}

void control_close(struct control *ctl)
{
    if (!ctl)
        return;
    g_source_remove(ctl->watch);
    g_hash_table_destroy(ctl->clients);
    close(ctl->fd);
    unlink(ctl->path);
    mem_free(ctl);
}
