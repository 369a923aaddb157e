/* fanout — the "fanout" scenario of make bench (see bench_fanout.c). */
#ifndef CAU_BENCH_FANOUT_H
#define CAU_BENCH_FANOUT_H

struct fanout_result {
    double fwd_pps;                 /* packets received by all subscribers per second */
    double sfu_ns_per_pkt;          /* sfu CPU time (user + system) per forwarded packet */
    double p50_ms, p99_ms;          /* publisher send -> subscriber receive */
    double rss_kib_per_participant; /* sfu VmRSS / (N + 1) */
    char error[200];
};

/* Run N subscribers for `seconds` of measured traffic. 0 or -1 (error set). */
int fanout_run(int n, int seconds, struct fanout_result *out);
/* floor[0]: ns of one SRTP protect (1200 B, AEAD_AES_128_GCM) plus one
 * packet's share of a 32-packet sendmmsg on loopback; floor[1]: ns of one
 * unprotect. */
int fanout_floor(double floor[2]);

#endif
