/* The floor of forwarding one packet, measured on this machine: what no
 * bridge can avoid per forwarded packet. */
#define _GNU_SOURCE /* sendmmsg */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

#include "media/io/srtp_sess.h"
#include "tests/bench/lib/fanout.h"

#define ROUNDS 20000
#define BATCH 32

static double protect_unprotect(double *unprotect_ns)
{
    struct dtls_srtp_keys k = {
        .profile = DTLS_SRTP_AEAD_AES_128_GCM, .key_len = 16, .salt_len = 12};
    memset(k.local_key, 7, sizeof k.local_key);
    memset(k.local_salt, 9, sizeof k.local_salt);
    memcpy(k.remote_key, k.local_key, sizeof k.remote_key);
    memcpy(k.remote_salt, k.local_salt, sizeof k.remote_salt);
    struct srtp_sess *tx, *rx;
    if (srtp_sess_create(&tx, &k) != 0 || srtp_sess_create(&rx, &k) != 0)
        return -1;
    static uint32_t pkts[ROUNDS][(1212 + 64) / 4];
    size_t lens[ROUNDS];
    int64_t t0 = g_get_monotonic_time();
    for (int i = 0; i < ROUNDS; i++) {
        uint8_t *p = (uint8_t *)pkts[i];
        memset(p, 0x33, 1212);
        p[0] = 0x80;
        p[1] = 96;
        p[2] = (uint8_t)(i >> 8);
        p[3] = (uint8_t)i;
        p[8] = 1;
        if (srtp_sess_protect_rtp(tx, p, 1212, sizeof pkts[i], &lens[i]) != 0)
            return -1;
    }
    int64_t t1 = g_get_monotonic_time();
    for (int i = 0; i < ROUNDS; i++) {
        size_t n;
        if (srtp_sess_unprotect_rtp(rx, (uint8_t *)pkts[i], lens[i], &n) != 0)
            return -1;
    }
    int64_t t2 = g_get_monotonic_time();
    srtp_sess_free(tx);
    srtp_sess_free(rx);
    *unprotect_ns = (double)(t2 - t1) * 1000.0 / ROUNDS;
    return (double)(t1 - t0) * 1000.0 / ROUNDS;
}

/* One packet's share of sendmmsg of BATCH 1228-byte datagrams to a loopback
 * socket nobody reads (the kernel drops when its buffer is full: the send
 * cost is the same). */
static double sendmmsg_share(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0), sink = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    if (fd < 0 || sink < 0 || bind(sink, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(sink, (struct sockaddr *)&sa, &sl) != 0)
        return -1;
    static uint8_t data[1228];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        iov[i] = (struct iovec){data, sizeof data};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &sa;
        msgs[i].msg_hdr.msg_namelen = sizeof sa;
    }
    int64_t t0 = g_get_monotonic_time();
    long sent = 0;
    for (int r = 0; r < ROUNDS / BATCH; r++) {
        int n = sendmmsg(fd, msgs, BATCH, 0);
        sent += n > 0 ? n : 0;
    }
    int64_t t1 = g_get_monotonic_time();
    close(fd);
    close(sink);
    return sent ? (double)(t1 - t0) * 1000.0 / (double)sent : -1;
}

int fanout_floor(double floor[2])
{
    double unprotect;
    double protect = protect_unprotect(&unprotect);
    double send = sendmmsg_share();
    if (protect < 0 || send < 0)
        return -1;
    floor[0] = protect + send;
    floor[1] = unprotect;
    return 0;
}
