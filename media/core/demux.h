/* demux — which protocol a datagram on the shared ICE socket belongs to.
 *
 * RFC 7983 §7 splits on the first byte:
 *
 *     0..3     STUN          20..63   DTLS           128..191  RTP / RTCP
 *     16..19   ZRTP          64..79   TURN channel   anything else: unknown
 *
 * and inside 128..191 the second byte tells RTCP (192..223, the RTCP packet
 * types, RFC 5761 §4) from RTP (marker bit plus payload type otherwise).
 *
 * Two classifiers over a caller-owned buffer, both total (every input gets
 * an answer), allocation-free and without state:
 *  - demux_classify reads the first byte (and the second for RTP/RTCP; a
 *    1-byte buffer in 128..191 is RTP) and checks nothing else;
 *  - demux_classify_strict returns the same kind only when the buffer is at
 *    least demux_min_len(kind) bytes and the header is plausible (see below),
 *    and DEMUX_UNKNOWN otherwise. Nothing is parsed beyond that.
 */
#ifndef CAU_DEMUX_H
#define CAU_DEMUX_H

#include <stddef.h>
#include <stdint.h>

enum demux_kind {
    DEMUX_UNKNOWN = 0,
    DEMUX_STUN,
    DEMUX_ZRTP,
    DEMUX_DTLS,
    DEMUX_TURN_CHANNEL,
    DEMUX_RTP,
    DEMUX_RTCP,
};

/* STUN magic cookie (RFC 5389 §6). */
#define DEMUX_STUN_MAGIC 0x2112A442u

/* RFC 7983 first-byte classification; an empty buffer is DEMUX_UNKNOWN. */
enum demux_kind demux_classify(const uint8_t *p, size_t n);

/* The smallest valid packet of each kind: STUN 20 (header, RFC 5389 §6),
 * ZRTP 12 (its RTP-like header with the 'ZRTP' cookie, RFC 6189 §5),
 * DTLS 13 (record header, RFC 6347 §4.1), TURN channel 4 (ChannelData header,
 * RFC 5766 §11.4), RTP 12 (fixed header, RFC 3550 §5.1), RTCP 8 (header and
 * sender SSRC, RFC 3550 §6.4). 0 for DEMUX_UNKNOWN. */
size_t demux_min_len(enum demux_kind k);

/* demux_classify, then DEMUX_UNKNOWN unless n >= demux_min_len(kind) and:
 * STUN carries the magic cookie and a message length that is a multiple of
 * 4 and fits the buffer; ZRTP carries its 'ZRTP' cookie; a TURN ChannelData
 * length fits the buffer. */
enum demux_kind demux_classify_strict(const uint8_t *p, size_t n);

/* A short lower-case name for logs and metrics labels ("stun", "rtp", ...). */
const char *demux_kind_name(enum demux_kind k);

#endif
