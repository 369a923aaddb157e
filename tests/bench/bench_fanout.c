/* bench_fanout — one publisher, N subscribers through a real build/bin/sfu
 * on loopback (N = 1, 10, 40). Figures, not a test.
 *
 * The publisher and the subscribers are bare WebRTC transports in this
 * process (media/io/transport: ICE, DTLS-SRTP), driven over the sfu's
 * control socket the way signaling drives it. The publisher sends
 * synthetic VP8 at ~1.5 Mbps (30 key frames/s of 6 250 bytes: every packet
 * is forwardable at once), no audio; encoding is left out so the sfu gets
 * the CPU. Latency is the subscriber's receive
 * time minus the publisher's send time of the same sequence number, both
 * on this process's monotonic clock (the sfu keeps the first source's
 * numbers). The floor is measured in the same run: one SRTP protect and
 * one sendmmsg share per forwarded packet, plus 1/N of the unprotect of
 * the publisher's packet. */
#include "tests/bench/lib/fanout.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

int main(void)
{
    static const int all[] = {1, 10, 40};
    const int *ns = all;
    size_t count = 3;
    int only = getenv("CAU_FANOUT_N") ? atoi(getenv("CAU_FANOUT_N")) : 0; /* one N only */
    if (only > 0) {
        ns = &only;
        count = 1;
    }
    /* 40 subscribers and their sockets, three times over. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    double floor_ns[2];
    if (fanout_floor(floor_ns) != 0) {
        fprintf(stderr, "bench_fanout: floor measurement failed\n");
        return 1;
    }
    printf("floor per forwarded 1200 B packet (AEAD_AES_128_GCM): protect + sendmmsg share "
           "%.0f ns, unprotect %.0f ns (divided by N)\n",
           floor_ns[0], floor_ns[1]);
    printf("%4s %12s %14s %10s %7s %9s %9s %12s\n", "N", "fwd pkt/s", "sfu ns/pkt", "floor ns",
           "ratio", "p50 ms", "p99 ms", "RSS KiB/pp");
    for (size_t i = 0; i < count; i++) {
        struct fanout_result r;
        if (fanout_run(ns[i], 10, &r) != 0) {
            printf("%4d  run failed: %s\n", ns[i], r.error);
            continue;
        }
        double floor = floor_ns[0] + floor_ns[1] / ns[i];
        printf("%4d %12.0f %14.0f %10.0f %7.2f %9.3f %9.3f %12.0f\n", ns[i], r.fwd_pps,
               r.sfu_ns_per_pkt, floor, r.sfu_ns_per_pkt / floor, r.p50_ms, r.p99_ms,
               r.rss_kib_per_participant);
        fflush(stdout);
    }
    return 0;
}
