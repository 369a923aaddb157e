/* net_client — the tests' own HTTP/1.1 and WebSocket (RFC 6455) clients
 * over loopback TCP: just enough to talk to build/bin/signaling. Every read
 * waits with poll() and a deadline, never a sleep.
 *
 * http_get(): one request with "Connection: close", the whole response.
 * ws_*: handshake (RFC 6455 section 1.3's example key, whose accept value
 * is checked), masked frames out (text, continuation, pong), frames in
 * (pings answered on the way, text and close returned).
 *
 * Header-only (static functions) for the test programs of this directory.
 */
#ifndef CAU_TEST_NET_CLIENT_H
#define CAU_TEST_NET_CLIENT_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NET_WAIT_MS 5000

static int net_connect(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static bool net_send(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

/* Reads exactly n bytes; false on EOF, error or timeout. */
static bool net_read(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        if (poll(&pf, 1, NET_WAIT_MS) != 1)
            return false;
        ssize_t r = read(fd, c, n);
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

struct http_resp {
    int status;
    char head[2048];
    char body[16384];
};

/* GET or POST path with an optional extra header line; false when no whole
 * response arrived. */
static bool http_request(uint16_t port, const char *method, const char *path, const char *header,
                         struct http_resp *r)
{
    memset(r, 0, sizeof *r);
    int fd = net_connect(port);
    if (fd < 0)
        return false;
    char req[1024];
    snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%sConnection: close\r\n\r\n",
             method, path, header ? header : "", header ? "\r\n" : "");
    static char buf[sizeof r->head + sizeof r->body];
    size_t len = 0;
    bool ok = net_send(fd, req, strlen(req));
    while (ok && len < sizeof buf - 1) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        if (poll(&pf, 1, NET_WAIT_MS) != 1)
            ok = false;
        ssize_t n = ok ? read(fd, buf + len, sizeof buf - 1 - len) : -1;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    if (!ok || !end || sscanf(buf, "HTTP/1.1 %d", &r->status) != 1)
        return false;
    snprintf(r->head, sizeof r->head, "%.*s", (int)(end - buf), buf);
    snprintf(r->body, sizeof r->body, "%s", end + 4);
    return true;
}

static bool http_get(uint16_t port, const char *path, const char *header, struct http_resp *r)
{
    return http_request(port, "GET", path, header, r);
}

/* A WebSocket to /ws (or another path); -1 when the upgrade fails. */
static int ws_open(uint16_t port, const char *path)
{
    int fd = net_connect(port);
    if (fd < 0)
        return -1;
    char req[512];
    snprintf(req, sizeof req,
             "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             "Sec-WebSocket-Version: 13\r\n\r\n",
             path);
    char head[1024];
    size_t n = 0;
    bool ok = net_send(fd, req, strlen(req));
    /* Byte by byte up to the blank line: nothing of the first frame is lost. */
    while (ok && n < sizeof head - 1 && (n < 4 || memcmp(head + n - 4, "\r\n\r\n", 4) != 0))
        ok = net_read(fd, head + n++, 1);
    head[n] = '\0';
    if (!ok || strncmp(head, "HTTP/1.1 101", 12) != 0 ||
        !strstr(head, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One masked frame: opcode op (1 text, 0 continuation, 10 pong), fin bit. */
static bool ws_frame(int fd, int op, bool fin, const void *payload, size_t n)
{
    uint8_t *f = malloc(n + 14);
    size_t h = 0;
    f[h++] = (uint8_t)((fin ? 0x80 : 0) | op);
    if (n < 126) {
        f[h++] = (uint8_t)(0x80 | n);
    } else if (n < 65536) {
        f[h++] = 0x80 | 126;
        f[h++] = (uint8_t)(n >> 8);
        f[h++] = (uint8_t)n;
    } else {
        f[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            f[h++] = (uint8_t)((uint64_t)n >> (8 * i));
    }
    static const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    memcpy(f + h, mask, 4);
    h += 4;
    for (size_t i = 0; i < n; i++)
        f[h + i] = ((const uint8_t *)payload)[i] ^ mask[i % 4];
    bool ok = net_send(fd, f, h + n);
    free(f);
    return ok;
}

static bool ws_send_text(int fd, const char *text)
{
    return ws_frame(fd, 1, true, text, strlen(text));
}

enum ws_got { WS_TEXT, WS_CLOSE, WS_NOTHING };

/* The next text or close frame (pings answered meanwhile). text gets the
 * payload NUL-terminated (a close frame: its status as a number then its
 * reason). */
static enum ws_got ws_recv(int fd, char *text, size_t cap)
{
    for (;;) {
        uint8_t h[2], ext[8];
        if (!net_read(fd, h, 2))
            return WS_NOTHING;
        uint64_t n = h[1] & 0x7f;
        size_t extn = n == 126 ? 2 : n == 127 ? 8 : 0;
        if (extn && !net_read(fd, ext, extn))
            return WS_NOTHING;
        if (extn)
            n = 0;
        for (size_t i = 0; i < extn; i++)
            n = n << 8 | ext[i];
        if (n >= cap || !net_read(fd, text, (size_t)n))
            return WS_NOTHING;
        text[n] = '\0';
        int op = h[0] & 0x0f;
        if (op == 9) {
            ws_frame(fd, 10, true, text, (size_t)n);
            continue;
        }
        if (op == 8 && n >= 2) {
            unsigned status = (uint8_t)text[0] << 8 | (uint8_t)text[1];
            char reason[128];
            snprintf(reason, sizeof reason, "%.*s", (int)n - 2, text + 2);
            snprintf(text, cap, "%u %s", status, reason);
        }
        return op == 8 ? WS_CLOSE : WS_TEXT;
    }
}

#endif
