/* rtcp_sdes — source description, RTCP PT 202 (RFC 3550 §6.5):
 *
 *  |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *  |                          SSRC/CSRC_1                          |
 *  |                           SDES items                          |
 *  |                              ...                              |  x SC
 *
 * Each item is type (8 bits), length (8 bits), text; a chunk's item list ends
 * with a null octet and is padded with null octets to a 32-bit boundary.
 *
 * Parsing keeps each chunk's SSRC and its first CNAME (RFC 3550 §6.5.1);
 * every other item (NAME, TOOL, PRIV...) is bounds-checked and skipped. The
 * CNAME is not copied: `cname` points into the caller's buffer, which must
 * outlive the struct. Writing emits one CNAME item per chunk that has one.
 *
 * Errors: -EBADMSG malformed (framing, an item or chunk running past the
 * length, a chunk without its terminating null octet, SC larger than the
 * chunks present), -ENOSPC short output buffer, -EINVAL not an SDES, more
 * than 31 chunks, a CNAME over 255 bytes or a NULL argument.
 * Nothing here allocates.
 */
#ifndef CAU_RTCP_SDES_H
#define CAU_RTCP_SDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTCP_SDES_MAX_CHUNKS 31 /* SC is 5 bits */
#define RTCP_SDES_END 0
#define RTCP_SDES_CNAME 1
#define RTCP_SDES_ITEM_MAX 255

struct rtcp_sdes_chunk {
    uint32_t ssrc;
    bool has_cname;
    uint8_t cname_len;
    const uint8_t *cname; /* not NUL-terminated; borrowed */
};

struct rtcp_sdes {
    uint8_t n_chunks; /* chunks[0..n_chunks) are valid */
    struct rtcp_sdes_chunk chunks[RTCP_SDES_MAX_CHUNKS];
};

/* Parse the SDES at buf[0]; buf[0..len) may hold more packets after it. */
__attribute__((warn_unused_result)) int rtcp_sdes_parse(struct rtcp_sdes *s, const uint8_t *buf,
                                                        size_t len);

/* Write every chunk of s into out[0..cap); stores the packet size. */
__attribute__((warn_unused_result)) int rtcp_sdes_write(const struct rtcp_sdes *s, uint8_t *out,
                                                        size_t cap, size_t *written);

/* Write an SDES with one chunk carrying the NUL-terminated cname. */
__attribute__((warn_unused_result)) int
rtcp_sdes_write_cname(uint32_t ssrc, const char *cname, uint8_t *out, size_t cap, size_t *written);

#endif
