/* metrics — the figures /metrics shows, and their Prometheus text
 * exposition (format 0.0.4).
 *
 * struct metrics is filled by the shell: its own gauges and counters, and the
 * sfu's part summed from a `stats` reply (docs/control-protocol.md) by
 * metrics_sfu_from_stats(). metrics_format() writes the text.
 *
 * Every message signaling drops is counted under one reason of enum
 * metrics_drop; every error sent to a client under its code (errcode.h).
 *
 * Errors: -EBADMSG a stats reply without the documented shape (out is left
 * zeroed except .up), -ENOSPC a short buffer, -EINVAL a NULL argument.
 * Nothing here allocates.
 */
#ifndef CAU_METRICS_H
#define CAU_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "signaling/errcode.h"

enum metrics_drop {
    METRICS_DROP_TOO_LARGE,    /* client frame over max_message_bytes */
    METRICS_DROP_RATE_LIMITED, /* client message over messages_per_second */
    METRICS_DROP_INVALID,      /* client message refused (schema, state) */
    METRICS_DROP_SFU_DOWN,     /* client request while the sfu link is down */
    METRICS_DROP_UNROUTED,     /* sfu event or reply for a participant gone */
    METRICS_DROP_SLOW_CLIENT,  /* client whose output queue overflowed */
    METRICS_DROP_SFU_INVALID,  /* sfu event without its documented fields */
    METRICS_DROP_COUNT
};

/* Datagrams the sfu's media transports dropped, by reason: the `drops`
 * members of each room in a stats reply, in this order. */
enum metrics_media_drop {
    METRICS_MEDIA_UNKNOWN,  /* not RTP, RTCP or DTLS (RFC 7983) */
    METRICS_MEDIA_EARLY,    /* SRTP before the keys */
    METRICS_MEDIA_SRTP,     /* SRTP that failed to unprotect */
    METRICS_MEDIA_OVERSIZE, /* too large */
    METRICS_MEDIA_DTLS,     /* DTLS records refused */
    METRICS_MEDIA_CLOSED,   /* after the transport failed */
    METRICS_MEDIA_DROP_COUNT
};

/* The sfu's figures, summed over every stream of every room. */
struct metrics_sfu {
    bool up; /* the control connection is up */
    uint64_t streams_in, streams_out;
    uint64_t bitrate_in_bps, bitrate_out_bps;
    uint64_t nacks, plis;
    uint64_t dropped; /* media packets the sfu dropped */
    uint64_t media_drops[METRICS_MEDIA_DROP_COUNT];
};

struct metrics {
    uint64_t rooms;        /* rooms with at least one participant */
    uint64_t participants; /* joined participants */
    uint64_t connections;  /* open WebSocket connections */
    uint64_t ws_errors[ERRCODE_COUNT];
    uint64_t drops[METRICS_DROP_COUNT];
    struct metrics_sfu sfu;
};

/* "too_large", "rate_limited", "invalid", "sfu_down", "unrouted",
 * "slow_client", "sfu_invalid". */
const char *metrics_drop_name(enum metrics_drop d);
/* Sums a stats reply ({rooms:[{room, participants:[{participant,
 * streams:[...]}], drops:{unknown, ...}}]}) into out; out->up is left as it
 * was. */
int metrics_sfu_from_stats(const json_t *reply, struct metrics_sfu *out);
/* Writes the exposition text into buf (NUL-terminated); *written = its
 * length without the NUL. */
int metrics_format(const struct metrics *m, char *buf, size_t len, size_t *written);

#endif
