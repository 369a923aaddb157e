/* netem-relay — a UDP relay that impairs the traffic through it.
 *
 * The kernels of our test machines have no netem qdisc: this program sits
 * between two peers instead and runs the netem core (media/core/netem.h)
 * on the datagrams it forwards.
 *
 *   netem-relay --listen 127.0.0.1:PORT --to 127.0.0.1:PORT [impairments]
 *
 * Datagrams arriving at the listen address (from "the client") go "up" to
 * --to; datagrams from --to come "down" to the client that sent last. An
 * impairment option applies to both directions, or to one when spelled
 * --up-<option> or --down-<option>. When ready the relay prints
 * "netem-relay: listening 127.0.0.1:PORT" (the port it got, if 0 was asked
 * for); on SIGTERM or SIGINT it prints one line of counters per direction
 * and exits 0. Bad arguments: a message on stderr, exit 2; a failing
 * socket: exit 1.
 *
 * A shell around the core: POSIX sockets, poll() and CLOCK_MONOTONIC.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "media/core/netem.h"

#define POOL_DATAGRAMS 8192
#define MAX_DATAGRAM 4096
#define DEFAULT_QUEUE_BYTES 65536
#define RECV_BATCH 64

static const char usage[] =
    "usage: netem-relay --listen ADDR:PORT --to ADDR:PORT [--seed N] [impairments]\n"
    "impairments (both directions, or one as --up-OPTION / --down-OPTION):\n"
    "  --loss P             random loss probability, 0..1\n"
    "  --burst p,r[,h]      Gilbert-Elliott burst loss: good->bad p, bad->good r,\n"
    "                       loss h in the bad state (default 1)\n"
    "  --delay-ms D         fixed delay\n"
    "  --jitter-ms J        jitter, +-J uniform or sd J normal\n"
    "  --jitter-dist uniform|normal\n"
    "  --jitter-in-order    jitter never reorders\n"
    "  --reorder P          probability to hold a datagram back --reorder-ms (10)\n"
    "  --reorder-ms M\n"
    "  --duplicate P        duplication probability\n"
    "  --rate-kbps R        rate cap, with a drop-tail queue of\n"
    "  --queue-bytes B      bytes (default 65536)\n"
    "times in milliseconds (fractions allowed, at most 60000)\n";

enum kind { K_PROB, K_MS, K_KBPS, K_BYTES, K_BURST, K_DIST, K_FLAG };

struct opt {
    const char *name;
    enum kind kind;
    size_t off; /* into struct netem_link */
};

static const struct opt opts[] = {
    {"loss", K_PROB, offsetof(struct netem_link, loss)},
    {"burst", K_BURST, 0},
    {"delay-ms", K_MS, offsetof(struct netem_link, delay_us)},
    {"jitter-ms", K_MS, offsetof(struct netem_link, jitter_us)},
    {"jitter-dist", K_DIST, offsetof(struct netem_link, jitter_dist)},
    {"jitter-in-order", K_FLAG, offsetof(struct netem_link, jitter_in_order)},
    {"reorder", K_PROB, offsetof(struct netem_link, reorder)},
    {"reorder-ms", K_MS, offsetof(struct netem_link, reorder_extra_us)},
    {"duplicate", K_PROB, offsetof(struct netem_link, duplicate)},
    {"rate-kbps", K_KBPS, offsetof(struct netem_link, rate_bps)},
    {"queue-bytes", K_BYTES, offsetof(struct netem_link, queue_bytes)},
};

struct relay {
    int lsock, usock;
    int sig_pipe[2];
    struct sockaddr_in listen_addr, to_addr, client;
    int have_client;
    struct netem_cfg cfg;
    struct netem *em;
    uint64_t send_errors[NETEM_DIRS];
};

static int sig_fd = -1;

static int bad_arg(const char *opt, const char *val, const char *want)
{
    if (val)
        fprintf(stderr, "netem-relay: bad value for %s: '%s' (%s)\n", opt, val, want);
    else
        fprintf(stderr, "netem-relay: %s needs a value (%s)\n", opt, want);
    return -1;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) /* NaN fails */
        return -1;
    *out = v;
    return 0;
}

/* An integer in [lo, hi], hi at most 2^53. */
static int parse_int(const char *s, double lo, double hi, uint64_t *out)
{
    double v;
    if (parse_double(s, lo, hi, &v) < 0 || v != (double)(uint64_t)v)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int parse_addr(const char *opt, const char *s, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = s ? strrchr(s, ':') : NULL;
    uint64_t port;
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return bad_arg(opt, s, "IPv4ADDR:PORT");
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1 || parse_int(colon + 1, 0, 65535, &port) < 0)
        return bad_arg(opt, s, "IPv4ADDR:PORT");
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

static int parse_burst(const char *opt, const char *s, struct netem_link *l)
{
    double v[3] = {0, 0, 1};
    char buf[128];
    if (strlen(s) >= sizeof buf)
        return bad_arg(opt, s, "p,r[,h] probabilities");
    strcpy(buf, s);
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (n == 3 || parse_double(tok, 0, 1, &v[n]) < 0)
            return bad_arg(opt, s, "p,r[,h] probabilities");
        n++;
    }
    if (n < 2)
        return bad_arg(opt, s, "p,r[,h] probabilities");
    l->burst_p = v[0];
    l->burst_r = v[1];
    l->burst_loss = v[2];
    return 0;
}

/* Sets one impairment on one link from its text value. */
static int apply(const struct opt *o, const char *opt, const char *val, struct netem_link *l)
{
    char *field = (char *)l + o->off;
    double v;
    uint64_t n;
    switch (o->kind) {
    case K_PROB:
        if (parse_double(val, 0, 1, &v) < 0)
            return bad_arg(opt, val, "a probability, 0..1");
        *(double *)field = v;
        return 0;
    case K_MS:
        if (parse_double(val, 0, 60000, &v) < 0)
            return bad_arg(opt, val, "milliseconds, 0..60000");
        *(int64_t *)field = (int64_t)(v * 1000 + 0.5);
        return 0;
    case K_KBPS:
        if (parse_double(val, 0, 1e8, &v) < 0)
            return bad_arg(opt, val, "kbit/s, 0..1e8");
        *(uint64_t *)field = (uint64_t)(v * 1000 + 0.5);
        return 0;
    case K_BYTES:
        if (parse_int(val, 0, 1e9, &n) < 0)
            return bad_arg(opt, val, "bytes, 0..1e9");
        *(size_t *)field = (size_t)n;
        return 0;
    case K_BURST:
        return parse_burst(opt, val, l);
    case K_DIST:
        if (strcmp(val, "uniform") && strcmp(val, "normal"))
            return bad_arg(opt, val, "uniform or normal");
        *(enum netem_jitter_dist *)field =
            strcmp(val, "normal") ? NETEM_JITTER_UNIFORM : NETEM_JITTER_NORMAL;
        return 0;
    case K_FLAG:
        *(bool *)field = true;
        return 0;
    }
    return -1;
}

/* An impairment option (--[up-|down-]name), with its value when it takes
 * one; returns the number of arguments used, or -1. */
static int parse_impairment(struct relay *r, int argc, char **argv, int i)
{
    const char *name = argv[i] + 2;
    unsigned dirs = 3;
    if (!strncmp(name, "up-", 3))
        dirs = 1, name += 3;
    else if (!strncmp(name, "down-", 5))
        dirs = 2, name += 5;
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        if (strcmp(name, opts[k].name))
            continue;
        const char *val = "";
        if (opts[k].kind != K_FLAG) {
            if (i + 1 >= argc)
                return bad_arg(argv[i], NULL, "see --help");
            val = argv[i + 1];
        }
        for (int d = 0; d < NETEM_DIRS; d++)
            if ((dirs >> d & 1) && apply(&opts[k], argv[i], val, &r->cfg.link[d]) < 0)
                return -1;
        return opts[k].kind == K_FLAG ? 1 : 2;
    }
    fprintf(stderr, "netem-relay: unknown option '%s'\n%s", argv[i], usage);
    return -1;
}

/* 0, 1 for --help, -1 on a bad argument (reported). */
static int parse_args(struct relay *r, int argc, char **argv)
{
    int have_listen = 0, have_to = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 1;
        } else if (!strcmp(a, "--listen")) {
            if (parse_addr(a, v, &r->listen_addr) < 0)
                return -1;
            have_listen = 1, i += 2;
        } else if (!strcmp(a, "--to")) {
            if (parse_addr(a, v, &r->to_addr) < 0)
                return -1;
            if (r->to_addr.sin_port == 0)
                return bad_arg(a, v, "a port other than 0");
            have_to = 1, i += 2;
        } else if (!strcmp(a, "--seed")) {
            if (!v || parse_int(v, 0, 9007199254740992.0, &r->cfg.seed) < 0)
                return bad_arg(a, v, "an integer, 0..2^53");
            i += 2;
        } else if (!strncmp(a, "--", 2)) {
            int used = parse_impairment(r, argc, argv, i);
            if (used < 0)
                return -1;
            i += used;
        } else {
            fprintf(stderr, "netem-relay: unexpected argument '%s'\n%s", a, usage);
            return -1;
        }
    }
    if (!have_listen || !have_to) {
        fprintf(stderr, "netem-relay: --listen and --to are required\n%s", usage);
        return -1;
    }
    return 0;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_signal(int sig)
{
    (void)sig;
    int saved = errno;
    if (sig_fd >= 0 && write(sig_fd, "x", 1) < 0) {
        /* the pipe is full: a wake-up is pending already */
    }
    errno = saved;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int open_sockets(struct relay *r)
{
    socklen_t len = sizeof r->listen_addr;
    r->lsock = socket(AF_INET, SOCK_DGRAM, 0);
    r->usock = socket(AF_INET, SOCK_DGRAM, 0);
    if (r->lsock < 0 || r->usock < 0 || set_nonblock(r->lsock) < 0 || set_nonblock(r->usock) < 0) {
        perror("netem-relay: socket");
        return -1;
    }
    if (bind(r->lsock, (struct sockaddr *)&r->listen_addr, sizeof r->listen_addr) < 0 ||
        getsockname(r->lsock, (struct sockaddr *)&r->listen_addr, &len) < 0) {
        perror("netem-relay: --listen");
        return -1;
    }
    if (connect(r->usock, (struct sockaddr *)&r->to_addr, sizeof r->to_addr) < 0) {
        perror("netem-relay: --to");
        return -1;
    }
    return 0;
}

static int open_signals(struct relay *r)
{
    if (pipe(r->sig_pipe) < 0 || set_nonblock(r->sig_pipe[0]) < 0 ||
        set_nonblock(r->sig_pipe[1]) < 0) {
        perror("netem-relay: pipe");
        return -1;
    }
    sig_fd = r->sig_pipe[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0) {
        perror("netem-relay: sigaction");
        return -1;
    }
    return 0;
}

/* Reads up to a batch of datagrams from one socket into the emulator. */
static void pump_in(struct relay *r, enum netem_dir dir)
{
    static uint8_t buf[65536];
    int fd = dir == NETEM_UP ? r->lsock : r->usock;
    for (int k = 0; k < RECV_BATCH; k++) {
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
        if (n < 0) {
            if (errno == EINTR || errno == ECONNREFUSED)
                continue; /* ECONNREFUSED: an ICMP error from --to, not data */
            return;
        }
        if (dir == NETEM_UP) {
            r->client = from;
            r->have_client = 1;
        }
        /* drops are counted by the core */
        (void)!netem_push(r->em, dir, buf, (size_t)n, now_us());
    }
}

/* Sends everything the emulator has released by now. */
static void pump_out(struct relay *r)
{
    struct netem_datagram g;
    while (netem_poll(r->em, now_us(), &g)) {
        ssize_t n;
        if (g.dir == NETEM_UP)
            n = send(r->usock, g.data, g.len, 0);
        else if (r->have_client)
            n = sendto(r->lsock, g.data, g.len, 0, (struct sockaddr *)&r->client, sizeof r->client);
        else
            n = -1;
        if (n < 0)
            r->send_errors[g.dir]++;
    }
}

static int poll_timeout_ms(const struct relay *r)
{
    int64_t due = netem_poll_timeout(r->em);
    if (due == INT64_MAX)
        return -1;
    int64_t wait = due - now_us();
    if (wait <= 0)
        return 0;
    int64_t ms = (wait + 999) / 1000;
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

static int run(struct relay *r)
{
    for (;;) {
        pump_out(r);
        struct pollfd p[3] = {{.fd = r->sig_pipe[0], .events = POLLIN},
                              {.fd = r->lsock, .events = POLLIN},
                              {.fd = r->usock, .events = POLLIN}};
        int n = poll(p, 3, poll_timeout_ms(r));
        if (n < 0 && errno != EINTR) {
            perror("netem-relay: poll");
            return 1;
        }
        if (n <= 0)
            continue;
        if (p[0].revents)
            return 0;
        if (p[1].revents)
            pump_in(r, NETEM_UP);
        if (p[2].revents)
            pump_in(r, NETEM_DOWN);
    }
}

static void print_stats(const struct relay *r)
{
    static const char *const names[NETEM_DIRS] = {"up", "down"};
    for (int d = 0; d < NETEM_DIRS; d++) {
        struct netem_stats s;
        netem_get_stats(r->em, (enum netem_dir)d, &s);
        printf("netem-relay: %s in=%" PRIu64 " out=%" PRIu64 " dropped_loss=%" PRIu64
               " dropped_queue=%" PRIu64 " dropped_pool=%" PRIu64 " dropped_size=%" PRIu64
               " duplicated=%" PRIu64 " reordered=%" PRIu64 " held=%u send_errors=%" PRIu64 "\n",
               names[d], s.in, s.out, s.dropped_loss, s.dropped_queue, s.dropped_pool,
               s.dropped_size, s.duplicated, s.reordered, netem_held(r->em, (enum netem_dir)d),
               r->send_errors[d]);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static struct relay r = {.lsock = -1, .usock = -1, .sig_pipe = {-1, -1}};
    r.cfg.max_datagrams = POOL_DATAGRAMS;
    r.cfg.max_datagram_size = MAX_DATAGRAM;
    for (int d = 0; d < NETEM_DIRS; d++)
        r.cfg.link[d].queue_bytes = DEFAULT_QUEUE_BYTES;
    int rc = parse_args(&r, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (netem_create(&r.cfg, &r.em) < 0) {
        fprintf(stderr, "netem-relay: cannot create the emulator\n");
        return 1;
    }
    if (open_signals(&r) < 0 || open_sockets(&r) < 0)
        return 1;
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &r.listen_addr.sin_addr, host, sizeof host);
    printf("netem-relay: listening %s:%u\n", host, (unsigned)ntohs(r.listen_addr.sin_port));
    fflush(stdout);
    rc = run(&r);
    print_stats(&r);
    netem_destroy(r.em);
    close(r.lsock);
    close(r.usock);
    return rc;
}
