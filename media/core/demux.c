/* demux — RFC 7983 §7 first-byte demultiplexing, RFC 5761 §4 RTP/RTCP. */
#include "media/core/demux.h"

#include <stdbool.h>

#define STUN_HDR_LEN 20
#define ZRTP_HDR_LEN 12
#define DTLS_HDR_LEN 13
#define TURN_CHANNEL_HDR_LEN 4
#define RTP_HDR_LEN 12
#define RTCP_MIN_LEN 8

/* 'ZRTP' at bytes 4..7 of a ZRTP packet (RFC 6189 §5). */
#define ZRTP_MAGIC 0x5a525450u

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

enum demux_kind demux_classify(const uint8_t *p, size_t n)
{
    if (!p || n == 0)
        return DEMUX_UNKNOWN;
    uint8_t b = p[0];
    if (b <= 3)
        return DEMUX_STUN;
    if (b >= 16 && b <= 19)
        return DEMUX_ZRTP;
    if (b >= 20 && b <= 63)
        return DEMUX_DTLS;
    if (b >= 64 && b <= 79)
        return DEMUX_TURN_CHANNEL;
    if (b >= 128 && b <= 191) {
        /* RTCP packet types 192..223 (RFC 5761 §4); RTP payload types 64..95
         * with the marker bit would collide and are not used for that. */
        if (n >= 2 && p[1] >= 192 && p[1] <= 223)
            return DEMUX_RTCP;
        return DEMUX_RTP;
    }
    return DEMUX_UNKNOWN;
}

size_t demux_min_len(enum demux_kind k)
{
    switch (k) {
    case DEMUX_STUN:
        return STUN_HDR_LEN;
    case DEMUX_ZRTP:
        return ZRTP_HDR_LEN;
    case DEMUX_DTLS:
        return DTLS_HDR_LEN;
    case DEMUX_TURN_CHANNEL:
        return TURN_CHANNEL_HDR_LEN;
    case DEMUX_RTP:
        return RTP_HDR_LEN;
    case DEMUX_RTCP:
        return RTCP_MIN_LEN;
    case DEMUX_UNKNOWN:
        break;
    }
    return 0;
}

/* Header checks beyond the length; n >= demux_min_len(k) already holds. */
static bool plausible(enum demux_kind k, const uint8_t *p, size_t n)
{
    switch (k) {
    case DEMUX_STUN: {
        /* RFC 5389 §6: the length excludes the 20-byte header and is a
         * multiple of 4, since attributes are padded to 4 bytes. */
        size_t len = be16(p + 2);
        return be32(p + 4) == DEMUX_STUN_MAGIC && len % 4 == 0 && len <= n - STUN_HDR_LEN;
    }
    case DEMUX_ZRTP:
        return be32(p + 4) == ZRTP_MAGIC;
    case DEMUX_TURN_CHANNEL:
        /* RFC 5766 §11.4: the length counts the application data only. */
        return be16(p + 2) <= n - TURN_CHANNEL_HDR_LEN;
    default:
        return true;
    }
}

enum demux_kind demux_classify_strict(const uint8_t *p, size_t n)
{
    enum demux_kind k = demux_classify(p, n);
    if (k == DEMUX_UNKNOWN || n < demux_min_len(k) || !plausible(k, p, n))
        return DEMUX_UNKNOWN;
    return k;
}

const char *demux_kind_name(enum demux_kind k)
{
    switch (k) {
    case DEMUX_STUN:
        return "stun";
    case DEMUX_ZRTP:
        return "zrtp";
    case DEMUX_DTLS:
        return "dtls";
    case DEMUX_TURN_CHANNEL:
        return "turn_channel";
    case DEMUX_RTP:
        return "rtp";
    case DEMUX_RTCP:
        return "rtcp";
    case DEMUX_UNKNOWN:
        break;
    }
    return "unknown";
}
