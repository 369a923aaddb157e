#include "signaling/linger.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>

#include "media/core/mem.h"

struct lingering_sock {
    int fd;
    guint watch, timer;
};

/* The lingering sockets; one thread (the default context) touches it. */
static GList *lingering;

static void finish(struct lingering_sock *l)
{
    lingering = g_list_remove(lingering, l);
    if (l->watch)
        g_source_remove(l->watch);
    if (l->timer)
        g_source_remove(l->timer);
    close(l->fd);
    mem_free(l);
}

static gboolean on_input(gint fd, GIOCondition cond, gpointer data)
{
    struct lingering_sock *l = data;
    char scratch[4096];
    (void)cond;
    for (;;) {
        ssize_t n = recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (n > 0)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return G_SOURCE_CONTINUE;
        if (n < 0 && errno == EINTR)
            continue;
        break; /* 0: the client closed its side; or an error */
    }
    l->watch = 0;
    finish(l);
    return G_SOURCE_REMOVE;
}

static gboolean on_timeout(gpointer data)
{
    struct lingering_sock *l = data;
    l->timer = 0;
    finish(l);
    return G_SOURCE_REMOVE;
}

int linger_start(int fd)
{
    if (fd < 0 || g_list_length(lingering) >= LINGER_MAX)
        return -1;
    struct lingering_sock *l = mem_zalloc(sizeof *l);
    if (!l)
        return -1;
    l->fd = dup(fd);
    if (l->fd < 0) {
        mem_free(l);
        return -1;
    }
    /* The close frame is written by now; the FIN follows it. */
    shutdown(l->fd, SHUT_WR);
    l->watch = g_unix_fd_add(l->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input, l);
    l->timer = g_timeout_add(LINGER_TIMEOUT_MS, on_timeout, l);
    lingering = g_list_prepend(lingering, l);
    return 0;
}

unsigned linger_count(void)
{
    return g_list_length(lingering);
}

void linger_stop_all(void)
{
    while (lingering)
        finish(lingering->data);
}
