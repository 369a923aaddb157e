#include "signaling/sfu_link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "media/core/mem.h"
#include "signaling/core/config.h"

struct pending {
    struct sfu_link *link;
    uint64_t id;
    sfu_link_reply_fn fn;
    void *arg;
    guint timer;
};

struct sfu_link {
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* Unix; TCP: "HOST:PORT" */
    bool tcp;
    struct sockaddr_storage addr; /* TCP */
    socklen_t addrlen;
    char secret[256];  /* TCP */
    unsigned refusals; /* failed TCP hellos since the link was last up */
    struct sfu_link_ops ops;
    void *arg;
    int fd;  /* -1 while down */
    bool up; /* connected (TCP: and the hello answered) */
    GIOChannel *chan;
    guint in_watch, out_watch, retry, down_idle, connect_watch, hello_timer;
    const char *down_why; /* why the deferred link_down runs */
    GString *in, *out;
    bool skipping; /* discarding the rest of an over-long line */
    uint64_t next_id;
    GHashTable *pending; /* id -> struct pending */
};

static void schedule_connect(struct sfu_link *l);

static json_t *local_error(uint64_t id, const char *message)
{
    return json_pack("{s:I, s:b, s:{s:s, s:s}}", "id", (json_int_t)id, "ok", 0, "error", "code",
                     "internal", "message", message);
}

/* Runs a pending request's callback with reply (or a local error) and frees it. */
static void finish(struct pending *p, json_t *reply, const char *why)
{
    json_t *own = reply ? NULL : local_error(p->id, why);
    if (p->timer)
        g_source_remove(p->timer);
    p->fn(p->arg, reply ? reply : own);
    json_decref(own);
    mem_free(p);
}

/* Fails every pending request; callbacks may queue new requests. */
static void fail_all(struct sfu_link *l, const char *why)
{
    GHashTable *old = l->pending;
    l->pending = g_hash_table_new(g_int64_hash, g_int64_equal);
    GList *list = g_hash_table_get_values(old);
    g_hash_table_destroy(old);
    for (GList *it = list; it; it = it->next)
        finish(it->data, NULL, why);
    g_list_free(list);
}

static void close_socket(struct sfu_link *l)
{
    if (l->in_watch)
        g_source_remove(l->in_watch);
    if (l->out_watch)
        g_source_remove(l->out_watch);
    if (l->connect_watch)
        g_source_remove(l->connect_watch);
    if (l->hello_timer)
        g_source_remove(l->hello_timer);
    l->in_watch = l->out_watch = l->connect_watch = l->hello_timer = 0;
    l->up = false;
    if (l->chan)
        g_io_channel_unref(l->chan);
    l->chan = NULL;
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    g_string_truncate(l->in, 0);
    g_string_truncate(l->out, 0);
    l->skipping = false;
}

/* The connection goes; the owner hears of it when the link was up. */
static void link_down(struct sfu_link *l, const char *why)
{
    if (l->fd < 0)
        return;
    bool was_up = l->up;
    if (was_up)
        fprintf(stderr, "signaling: sfu link lost (%s); reconnecting\n", why);
    close_socket(l);
    fail_all(l, "sfu link lost");
    if (was_up)
        l->ops.state(l->arg, false);
    schedule_connect(l);
}

/* A TCP connection that did not get through the hello. Logged, but not
 * every 200 ms while the sfu keeps refusing. */
static void hello_failed(struct sfu_link *l, const char *why)
{
    l->refusals++;
    if (l->refusals <= 3 || l->refusals % 100 == 0)
        fprintf(stderr,
                "signaling: sfu link to %s failed: %s (check sfu.control_secret on both sides); "
                "retrying every %d ms, %u failures so far\n",
                l->path, why, SFU_LINK_RETRY_MS, l->refusals);
    link_down(l, why);
}

static void link_up(struct sfu_link *l)
{
    l->up = true;
    l->refusals = 0;
    fprintf(stderr, "signaling: sfu link up (%s%s)\n", l->tcp ? "tcp " : "", l->path);
    l->ops.state(l->arg, true);
}

static gboolean on_down_idle(gpointer data)
{
    struct sfu_link *l = data;
    l->down_idle = 0;
    link_down(l, l->down_why);
    return G_SOURCE_REMOVE;
}

/* link_down from the main loop, not from inside sfu_link_request(): a
 * caller never sees its callback run before the request returns. */
static void down_later(struct sfu_link *l, const char *why)
{
    l->down_why = why;
    if (!l->down_idle)
        l->down_idle = g_idle_add(on_down_idle, l);
}

static gboolean on_writable(GIOChannel *ch, GIOCondition cond, gpointer data);

static void flush(struct sfu_link *l)
{
    while (l->out->len) {
        ssize_t n = send(l->fd, l->out->str, l->out->len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            break;
        if (n <= 0) {
            down_later(l, "write failed");
            return;
        }
        g_string_erase(l->out, 0, n);
    }
    if (l->out->len && !l->out_watch)
        l->out_watch = g_io_add_watch(l->chan, G_IO_OUT | G_IO_ERR | G_IO_HUP, on_writable, l);
}

static gboolean on_writable(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    (void)ch;
    (void)cond;
    struct sfu_link *l = data;
    l->out_watch = 0;
    flush(l);
    return G_SOURCE_REMOVE;
}

/* The first line over TCP: the hello's reply. */
static void on_hello_reply(struct sfu_link *l, json_t *msg)
{
    json_t *id = json_object_get(msg, "id");
    if (json_is_integer(id) && json_integer_value(id) == 0 &&
        json_is_true(json_object_get(msg, "ok"))) {
        g_source_remove(l->hello_timer);
        l->hello_timer = 0;
        link_up(l);
        return;
    }
    json_t *e = json_object_get(msg, "error");
    const char *code = json_string_value(json_object_get(e, "code"));
    const char *m = json_string_value(json_object_get(e, "message"));
    char why[200];
    if (code)
        snprintf(why, sizeof why, "the sfu refused the hello (%s: %.120s)", code, m ? m : "");
    else
        snprintf(why, sizeof why, "the sfu's first line was not the hello's reply");
    hello_failed(l, why);
}

static void on_message(struct sfu_link *l, json_t *msg)
{
    if (!l->up) {
        on_hello_reply(l, msg);
        return;
    }
    const char *event = json_string_value(json_object_get(msg, "event"));
    if (event) {
        l->ops.event(l->arg, event, msg);
        return;
    }
    json_t *id = json_object_get(msg, "id");
    if (!json_is_integer(id)) {
        fprintf(stderr, "signaling: sfu line with neither id nor event ignored\n");
        return;
    }
    uint64_t key = (uint64_t)json_integer_value(id);
    struct pending *p = g_hash_table_lookup(l->pending, &key);
    if (!p) {
        fprintf(stderr, "signaling: sfu reply to unknown request %llu ignored\n",
                (unsigned long long)key);
        return;
    }
    g_hash_table_steal(l->pending, &key);
    finish(p, msg, NULL);
}

static void on_line(struct sfu_link *l, const char *text, size_t len)
{
    json_error_t je;
    json_t *msg = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(msg))
        fprintf(stderr, "signaling: sfu sent a line that is not a JSON object%s%s\n",
                msg ? "" : ": ", msg ? "" : je.text);
    else
        on_message(l, msg);
    json_decref(msg);
}

/* Hands every complete line on; returns false when the link went down. */
static bool split_lines(struct sfu_link *l)
{
    int fd = l->fd;
    size_t start = 0;
    for (size_t i = 0; i < l->in->len; i++) {
        if (l->in->str[i] != '\n')
            continue;
        if (!l->skipping && i - start > SFU_LINK_MAX_LINE)
            fprintf(stderr, "signaling: sfu line over %d bytes dropped\n", SFU_LINK_MAX_LINE);
        else if (!l->skipping && i > start)
            on_line(l, l->in->str + start, i - start);
        l->skipping = false;
        start = i + 1;
        if (l->fd != fd)
            return false; /* a callback dropped the link */
    }
    g_string_erase(l->in, 0, start);
    if (l->in->len > SFU_LINK_MAX_LINE) {
        if (!l->skipping)
            fprintf(stderr, "signaling: sfu line over %d bytes dropped\n", SFU_LINK_MAX_LINE);
        l->skipping = true;
        g_string_truncate(l->in, 0);
    }
    return true;
}

static gboolean on_readable(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    (void)ch;
    struct sfu_link *l = data;
    char buf[65536];
    ssize_t n = (cond & G_IO_IN) ? recv(l->fd, buf, sizeof buf, MSG_DONTWAIT) : 0;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return G_SOURCE_CONTINUE;
    if (n <= 0) {
        l->in_watch = 0; /* removed by our return value */
        const char *why = n < 0 ? strerror(errno) : "closed by the sfu";
        if (l->up)
            link_down(l, why);
        else
            hello_failed(l, why);
        return G_SOURCE_REMOVE;
    }
    g_string_append_len(l->in, buf, n);
    split_lines(l);
    return G_SOURCE_CONTINUE;
}

static gboolean on_hello_timeout(gpointer data)
{
    struct sfu_link *l = data;
    l->hello_timer = 0;
    hello_failed(l, "no answer to the hello in time");
    return G_SOURCE_REMOVE;
}

/* The TCP connect finished: send the hello (on error: retry quietly, as
 * for a Unix socket that is not there yet). */
static gboolean on_connected(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    (void)ch;
    (void)cond;
    struct sfu_link *l = data;
    l->connect_watch = 0;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        link_down(l, strerror(err));
        return G_SOURCE_REMOVE;
    }
    json_t *hello = json_pack("{s:s, s:s}", "op", "hello", "secret", l->secret);
    char *text = hello ? json_dumps(hello, JSON_COMPACT) : NULL;
    json_decref(hello);
    if (!text) {
        link_down(l, "out of memory");
        return G_SOURCE_REMOVE;
    }
    g_string_append(l->out, text);
    g_string_append_c(l->out, '\n');
    memset(text, 0, strlen(text));
    free(text);
    l->in_watch = g_io_add_watch(l->chan, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, l);
    flush(l);
    return G_SOURCE_REMOVE;
}

/* Starts a TCP connect; the hello follows in on_connected. */
static bool try_connect_tcp(struct sfu_link *l)
{
    int fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    if (connect(fd, (struct sockaddr *)&l->addr, l->addrlen) != 0 && errno != EINPROGRESS) {
        close(fd);
        return false;
    }
    l->fd = fd;
    l->chan = g_io_channel_unix_new(fd);
    l->connect_watch = g_io_add_watch(l->chan, G_IO_OUT | G_IO_ERR | G_IO_HUP, on_connected, l);
    l->hello_timer = g_timeout_add(SFU_LINK_TIMEOUT_MS, on_hello_timeout, l);
    return true;
}

static bool try_connect(struct sfu_link *l)
{
    if (l->tcp)
        return try_connect_tcp(l);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, l->path, sizeof sa.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd); /* ENOENT, ECONNREFUSED, EAGAIN (backlog full): later */
        return false;
    }
    l->fd = fd;
    l->chan = g_io_channel_unix_new(fd);
    l->in_watch = g_io_add_watch(l->chan, G_IO_IN | G_IO_HUP | G_IO_ERR, on_readable, l);
    return true;
}

static gboolean on_retry(gpointer data)
{
    struct sfu_link *l = data;
    if (!try_connect(l))
        return G_SOURCE_CONTINUE;
    l->retry = 0;
    if (!l->tcp)
        link_up(l);
    return G_SOURCE_REMOVE;
}

static void schedule_connect(struct sfu_link *l)
{
    if (!l->retry)
        l->retry = g_timeout_add(SFU_LINK_RETRY_MS, on_retry, l);
}

static struct sfu_link *link_new(const char *path, const struct sfu_link_ops *ops, void *arg)
{
    struct sfu_link *l = mem_zalloc(sizeof *l);
    if (!l)
        return NULL;
    if (strlen(path) >= sizeof l->path) {
        fprintf(stderr, "signaling: sfu.control_socket path too long: %s\n", path);
        mem_free(l);
        return NULL;
    }
    strcpy(l->path, path);
    l->ops = *ops;
    l->arg = arg;
    l->fd = -1;
    l->in = g_string_new(NULL);
    l->out = g_string_new(NULL);
    l->pending = g_hash_table_new(g_int64_hash, g_int64_equal);
    return l;
}

struct sfu_link *sfu_link_new(const char *path, const struct sfu_link_ops *ops, void *arg)
{
    struct sfu_link *l = link_new(path, ops, arg);
    if (l)
        l->retry = g_idle_add(on_retry, l); /* first attempt at once */
    return l;
}

/* addr from "HOST:PORT"; false when it is not that. */
static bool tcp_addr(struct sfu_link *l, const char *host_port)
{
    char host[64];
    int port;
    if (config_host_port(host_port, host, sizeof host, &port) != 0)
        return false;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&l->addr;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&l->addr;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        l->addrlen = sizeof *a4;
    } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        l->addrlen = sizeof *a6;
    } else {
        return false;
    }
    return true;
}

struct sfu_link *sfu_link_new_tcp(const char *host_port, const char *secret,
                                  const struct sfu_link_ops *ops, void *arg)
{
    struct sfu_link *l = link_new(host_port, ops, arg);
    if (!l)
        return NULL;
    size_t n = strlen(secret);
    if (!tcp_addr(l, host_port) || n == 0 || n >= sizeof l->secret) {
        fprintf(stderr, "signaling: sfu.control_tcp %s: %s\n", host_port,
                n == 0 || n >= sizeof l->secret ? "bad secret length" : "expected HOST:PORT");
        sfu_link_free(l);
        return NULL;
    }
    l->tcp = true;
    memcpy(l->secret, secret, n + 1);
    l->retry = g_idle_add(on_retry, l);
    return l;
}

static gboolean on_timeout(gpointer data)
{
    struct pending *p = data;
    p->timer = 0;
    g_hash_table_steal(p->link->pending, &p->id);
    finish(p, NULL, "sfu did not answer in time");
    return G_SOURCE_REMOVE;
}

int sfu_link_request(struct sfu_link *l, json_t *req, sfu_link_reply_fn fn, void *arg)
{
    if (!json_is_object(req)) {
        json_decref(req);
        return -EINVAL;
    }
    if (!l->up) {
        json_decref(req);
        return -ENOTCONN;
    }
    struct pending *p = mem_zalloc(sizeof *p);
    char *text = NULL;
    if (!p || json_object_set_new(req, "id", json_integer((json_int_t)++l->next_id)) != 0 ||
        !(text = json_dumps(req, JSON_COMPACT))) {
        mem_free(p);
        json_decref(req);
        return -ENOMEM;
    }
    json_decref(req);
    *p = (struct pending){.link = l, .id = l->next_id, .fn = fn, .arg = arg};
    p->timer = g_timeout_add(SFU_LINK_TIMEOUT_MS, on_timeout, p);
    g_hash_table_insert(l->pending, &p->id, p);
    g_string_append(l->out, text);
    g_string_append_c(l->out, '\n');
    free(text);
    if (l->out->len > SFU_LINK_MAX_BACKLOG)
        down_later(l, "output backlog over its limit");
    else if (!l->out_watch)
        flush(l);
    return 0;
}

bool sfu_link_is_up(const struct sfu_link *l)
{
    return l && l->up;
}

void sfu_link_free(struct sfu_link *l)
{
    if (!l)
        return;
    if (l->retry)
        g_source_remove(l->retry);
    if (l->down_idle)
        g_source_remove(l->down_idle);
    l->retry = l->down_idle = 0;
    close_socket(l);
    fail_all(l, "signaling is shutting down");
    g_hash_table_destroy(l->pending);
    g_string_free(l->in, TRUE);
    g_string_free(l->out, TRUE);
    volatile char *secret = l->secret;
    for (size_t i = 0; i < sizeof l->secret; i++)
        secret[i] = 0;
    mem_free(l);
}
