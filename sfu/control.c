#include "sfu/control.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib-unix.h>
#include <openssl/crypto.h>

#include "media/core/mem.h"
#include "sfu/core/control_hello.h"
#include "signaling/core/config.h"

struct client {
    struct control *owner;
    uint64_t id;
    int fd;
    guint in_watch, out_watch;
    GString *in, *out;
    bool skipping; /* discarding the rest of an over-long line */
    bool authed;   /* Unix clients, and TCP clients after their hello */
    bool closing;  /* refused: dropped once its error line is out */
    guint hello_timer;
    char peer[64]; /* TCP: "address port", for the log */
};

struct control {
    int fd, tcp_fd;
    guint watch, tcp_watch;
    char path[108];
    char secret[256];
    size_t secret_len;
    uint64_t unauthorized;
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
    if (c->hello_timer)
        g_source_remove(c->hello_timer);
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
    if (!c->out->len && c->closing) {
        drop(c);
        return;
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
    if (c && c->authed && !c->closing)
        queue(c, msg);
    else
        json_decref(msg);
}

void control_broadcast(struct control *ctl, json_t *msg)
{
    GList *list = g_hash_table_get_values(ctl->clients);
    for (GList *l = list; l; l = l->next) {
        struct client *c = l->data;
        if (c->authed && !c->closing)
            queue(c, json_incref(msg));
    }
    g_list_free(list);
    json_decref(msg);
}

static void too_long(struct client *c)
{
    queue(c, json_pack("{s:i, s:b, s:{s:s, s:s}}", "id", 0, "ok", 0, "error", "code", "bad_request",
                       "message", "line too long"));
}

/* Answers one error line, counts the refusal and closes the connection
 * once the line is out; reads nothing more. May free c. */
static void refuse(struct client *c, const char *why)
{
    struct control *ctl = c->owner;
    uint64_t n = ++ctl->unauthorized;
    if (n <= 10 || n % 100 == 0) /* a client retrying must not flood the log */
        fprintf(stderr, "sfu: control client %s refused: %s (%llu refused so far)\n", c->peer, why,
                (unsigned long long)n);
    if (c->in_watch)
        g_source_remove(c->in_watch);
    if (c->hello_timer)
        g_source_remove(c->hello_timer);
    c->in_watch = c->hello_timer = 0;
    c->closing = true; /* flush() drops the client once the line is out */
    queue(c, json_pack("{s:i, s:b, s:{s:s, s:s}}", "id", 0, "ok", 0, "error", "code",
                       "unauthorized", "message", why));
}

/* The first line of a TCP client. False when the client was refused. */
static bool hello(struct client *c, const char *text, size_t len)
{
    struct control *ctl = c->owner;
    int rc = control_hello_check(text, len, ctl->secret, ctl->secret_len);
    if (rc) {
        refuse(c, rc == -EACCES ? "wrong secret" : "the first line must be the hello");
        return false;
    }
    c->authed = true;
    if (c->hello_timer)
        g_source_remove(c->hello_timer);
    c->hello_timer = 0;
    queue(c, json_pack("{s:i, s:b}", "id", 0, "ok", 1));
    return true;
}

static gboolean on_hello_timeout(gpointer data)
{
    struct client *c = data;
    c->hello_timer = 0;
    refuse(c, "no hello within 5 s");
    return G_SOURCE_REMOVE;
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
        if (!c->authed) {
            if (!hello(c, c->in->str + start, i - start))
                return;
        } else if (!c->skipping && i > start) {
            ctl->fn(ctl->arg, id, c->in->str + start, i - start);
        }
        c->skipping = false;
        start = i + 1;
        if (!g_hash_table_lookup(ctl->clients, &id))
            return; /* the owner dropped the client */
    }
    g_string_erase(c->in, 0, start);
    if (!c->authed && c->in->len > CONTROL_HELLO_MAX_LINE) {
        refuse(c, "hello line too long");
        return;
    }
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

/* "address port" of a TCP peer. */
static void peer_name(int fd, char *buf, size_t n)
{
    struct sockaddr_storage ss = {0};
    socklen_t len = sizeof ss;
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0 && ss.ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        port = ntohs(a->sin6_port);
    }
    snprintf(buf, n, "%s port %d", host, port);
}

static void accept_client(struct control *ctl, int fd, bool tcp)
{
    int cfd = accept(fd, NULL, NULL);
    if (cfd < 0)
        return;
    fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK);
    fcntl(cfd, F_SETFD, FD_CLOEXEC);
    struct client *c = mem_zalloc(sizeof *c);
    if (!c) {
        close(cfd);
        return;
    }
    c->owner = ctl;
    c->id = ++ctl->next_id;
    c->fd = cfd;
    c->in = g_string_new(NULL);
    c->out = g_string_new(NULL);
    c->authed = !tcp; /* the socket file's permissions guard the Unix socket */
    if (tcp) {
        peer_name(cfd, c->peer, sizeof c->peer);
        c->hello_timer = g_timeout_add(CONTROL_HELLO_TIMEOUT_MS, on_hello_timeout, c);
    }
    c->in_watch = g_unix_fd_add(cfd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, c);
    g_hash_table_insert(ctl->clients, &c->id, c);
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
    (void)cond;
    accept_client(data, fd, false);
    return G_SOURCE_CONTINUE;
}

static gboolean on_accept_tcp(gint fd, GIOCondition cond, gpointer data)
{
    (void)cond;
    accept_client(data, fd, true);
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
    ctl->tcp_fd = -1;
    snprintf(ctl->path, sizeof ctl->path, "%s", path);
    ctl->fn = fn;
    ctl->arg = arg;
    ctl->clients = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, client_free);
    ctl->watch = g_unix_fd_add(fd, G_IO_IN, on_accept, ctl);
    return ctl;
}

/* A listening TCP socket on host_port, or -1 with the reason in err. */
static int tcp_socket(const char *host_port, char *err, size_t errlen)
{
    char host[64];
    int port;
    struct sockaddr_storage ss = {0};
    socklen_t len;
    if (config_host_port(host_port, host, sizeof host, &port) != 0) {
        snprintf(err, errlen, "control TCP address %s: expected HOST:PORT", host_port);
        return -1;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        len = sizeof *a4;
    } else {
        inet_pton(AF_INET6, host, &a6->sin6_addr);
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        len = sizeof *a6;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 16) != 0) {
        snprintf(err, errlen, "control TCP %s: %s", host_port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int control_listen_tcp(struct control *ctl, const char *host_port, const char *secret, char *err,
                       size_t errlen)
{
    size_t n = strlen(secret);
    if (ctl->tcp_fd >= 0 || n == 0 || n >= sizeof ctl->secret) {
        snprintf(err, errlen, "control TCP %s: %s", host_port,
                 ctl->tcp_fd >= 0 ? "already listening" : "bad secret length");
        return -1;
    }
    int fd = tcp_socket(host_port, err, errlen);
    if (fd < 0)
        return -1;
    memcpy(ctl->secret, secret, n + 1);
    ctl->secret_len = n;
    ctl->tcp_fd = fd;
    ctl->tcp_watch = g_unix_fd_add(fd, G_IO_IN, on_accept_tcp, ctl);
    return 0;
}

uint64_t control_unauthorized(const struct control *ctl)
{
    return ctl ? ctl->unauthorized : 0;
}

void control_close(struct control *ctl)
{
    if (!ctl)
        return;
    g_source_remove(ctl->watch);
    if (ctl->tcp_watch)
        g_source_remove(ctl->tcp_watch);
    g_hash_table_destroy(ctl->clients);
    if (ctl->tcp_fd >= 0)
        close(ctl->tcp_fd);
    close(ctl->fd);
    unlink(ctl->path);
    OPENSSL_cleanse(ctl->secret, sizeof ctl->secret);
    mem_free(ctl);
}
