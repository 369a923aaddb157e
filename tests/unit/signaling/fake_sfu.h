/* fake_sfu — the sfu's side of the control protocol, as small as the tests
 * of signaling need: a thread that listens on a Unix socket, accepts
 * signaling (again after a disconnect), and answers every request line
 * with {"id", "ok": true}, plus "sdp" for publish and an empty "rooms" list
 * for stats. A subscribe is followed by a subscribe_offer event (one audio
 * track), a publish whose sdp contains "fail" by a transport event "failed".
 * It counts the ops it saw (fake_sfu_count).
 *
 * Header-only (static functions) for the test programs of this directory.
 */
#ifndef CAU_TEST_FAKE_SFU_H
#define CAU_TEST_FAKE_SFU_H

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#define FAKE_SFU_OPS 64

struct fake_sfu {
    int listen_fd, client_fd, stop[2];
    pthread_t thread;
    pthread_mutex_t lock;
    char ops[FAKE_SFU_OPS][32]; /* every op seen, in order (the first 64) */
    int n_ops;
    char buf[1 << 20];
    size_t len;
};

/* Writes msg (stolen) as one line. */
static void fake_sfu_send(struct fake_sfu *s, json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    if (text && write(s->client_fd, text, strlen(text)) < 0)
        perror("fake_sfu");
    if (write(s->client_fd, "\n", 1) < 0)
        perror("fake_sfu");
    free(text);
    json_decref(msg);
}

static void fake_sfu_answer(struct fake_sfu *s, const char *line, size_t n)
{
    json_t *req = json_loadb(line, n, 0, NULL);
    const char *op = json_string_value(json_object_get(req, "op"));
    pthread_mutex_lock(&s->lock);
    if (s->n_ops < FAKE_SFU_OPS)
        snprintf(s->ops[s->n_ops], sizeof s->ops[0], "%s", op ? op : "?");
    s->n_ops++;
    pthread_mutex_unlock(&s->lock);
    json_t *reply = json_pack("{s:O, s:b}", "id", json_object_get(req, "id"), "ok", 1);
    if (op && strcmp(op, "publish") == 0)
        json_object_set_new(reply, "sdp", json_string("v=0\r\n"));
    if (op && strcmp(op, "stats") == 0)
        json_object_set_new(reply, "rooms", json_array());
    fake_sfu_send(s, reply);
    json_t *pid = json_object_get(req, "participant");
    const char *sdp = json_string_value(json_object_get(req, "sdp"));
    if (op && strcmp(op, "subscribe") == 0)
        fake_sfu_send(s, json_pack("{s:s, s:O, s:s, s:[{s:O, s:s, s:s}]}", "event",
                                   "subscribe_offer", "participant", pid, "sdp", "v=0\r\n",
                                   "tracks", "participant", pid, "kind", "audio", "mid", "0"));
    if (op && strcmp(op, "publish") == 0 && sdp && strstr(sdp, "fail"))
        fake_sfu_send(s, json_pack("{s:s, s:O, s:s, s:s, s:s}", "event", "transport", "participant",
                                   pid, "pc", "publish", "state", "failed", "reason", "test"));
    json_decref(req);
}

static void fake_sfu_read(struct fake_sfu *s)
{
    ssize_t n = read(s->client_fd, s->buf + s->len, sizeof s->buf - s->len);
    if (n <= 0) {
        close(s->client_fd);
        s->client_fd = -1;
        s->len = 0;
        return;
    }
    s->len += (size_t)n;
    size_t start = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->buf[i] == '\n') {
            fake_sfu_answer(s, s->buf + start, i - start);
            start = i + 1;
        }
    memmove(s->buf, s->buf + start, s->len - start);
    s->len -= start;
}

static void *fake_sfu_main(void *arg)
{
    struct fake_sfu *s = arg;
    for (;;) {
        struct pollfd p[3] = {{.fd = s->stop[0], .events = POLLIN},
                              {.fd = s->listen_fd, .events = POLLIN},
                              {.fd = s->client_fd, .events = POLLIN}};
        if (poll(p, s->client_fd >= 0 ? 3 : 2, -1) < 0)
            continue;
        if (p[0].revents)
            break;
        if (p[1].revents & POLLIN) {
            int c = accept(s->listen_fd, NULL, NULL);
            if (c >= 0 && s->client_fd >= 0)
                close(s->client_fd);
            if (c >= 0)
                s->client_fd = c;
            s->len = 0;
        } else if (s->client_fd >= 0 && p[2].revents) {
            fake_sfu_read(s);
        }
    }
    return NULL;
}

/* Starts listening on path; NULL on failure. */
static struct fake_sfu *fake_sfu_start(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path)
        return NULL;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    struct fake_sfu *s = calloc(1, sizeof *s);
    s->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    s->client_fd = -1;
    unlink(path);
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(s->listen_fd, 4) != 0 || pipe(s->stop) != 0) {
        perror("fake_sfu");
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_create(&s->thread, NULL, fake_sfu_main, s);
    return s;
}

/* How many times op was seen. */
static int fake_sfu_count(struct fake_sfu *s, const char *op)
{
    int n = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->n_ops && i < FAKE_SFU_OPS; i++)
        n += strcmp(s->ops[i], op) == 0;
    pthread_mutex_unlock(&s->lock);
    return n;
}

static void fake_sfu_stop(struct fake_sfu *s, const char *path)
{
    if (!s)
        return;
    if (write(s->stop[1], "x", 1) < 0)
        perror("fake_sfu");
    pthread_join(s->thread, NULL);
    if (s->client_fd >= 0)
        close(s->client_fd);
    close(s->listen_fd);
    close(s->stop[0]);
    close(s->stop[1]);
    pthread_mutex_destroy(&s->lock);
    unlink(path);
    free(s);
}

#endif
