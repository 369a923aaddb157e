/* fuzz_rtp — RTP header, RFC 8285 extensions and the typed accessors.
 *
 * For every input that parses: the header's lengths add up; re-serializing
 * the parsed header reproduces the input byte for byte; the fixed-header
 * setters change only their field; every typed accessor agrees with
 * rtp_ext_find; the in-place rewrites change only their bytes; and the
 * element list rebuilt with rtp_ext_write parses back to the same
 * elements and header fields. Any disagreement aborts. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/rtp_ext.h"
#include "media/core/rtp_hdr.h"
#include "media/core/rtp_seq.h"

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            abort();                                                                               \
    } while (0)

#define MAX_PKT 8192
#define MAX_ELEMS 4096

static const uint8_t ids[] = {0, 1, 2, 3, 4, 5, 10, 11, 14, 15, 16, 200, 255};

static uint8_t pkt_copy[MAX_PKT];
static uint8_t out[MAX_PKT];
static uint8_t block[MAX_PKT];
static struct rtp_ext_elem elems[MAX_ELEMS];

/* Collect the elements; false if the block is malformed or too long. */
static bool collect(const struct rtp_hdr *h, size_t *n, int *init_rc)
{
    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    int rc;
    *n = 0;
    *init_rc = rtp_ext_iter_init_hdr(&it, h);
    if (*init_rc)
        return false;
    while ((rc = rtp_ext_iter_next(&it, &e)) == 0) {
        CHECK(e.data >= h->ext && e.data + e.len <= h->ext + h->ext_len);
        if (*n == MAX_ELEMS)
            return false;
        elems[(*n)++] = e;
    }
    CHECK(rc == -ENOENT || rc == -EBADMSG);
    return rc == -ENOENT;
}

static void check_typed(const struct rtp_hdr *h, uint8_t id)
{
    struct rtp_ext_elem e;
    int found = rtp_ext_find(h, id, &e);
    char s[256];
    bool voice;
    uint8_t level;
    uint32_t t;
    uint16_t seq;

    int rc = rtp_ext_mid(h, id, s, sizeof s);
    CHECK(rc == 0 ? found == 0 && strlen(s) >= 1 && strlen(s) <= e.len : rc != -EINVAL);
    CHECK(rtp_ext_rid(h, id, s, sizeof s) == rc);
    CHECK(rtp_ext_repaired_rid(h, id, s, sizeof s) == rc);
    if (found == 0 && rc == 0)
        CHECK(rtp_ext_mid(h, id, s, strlen(s)) == -ENOSPC);

    rc = rtp_ext_audio_level(h, id, &voice, &level);
    CHECK(rc == 0 ? found == 0 && e.len == 1 && level <= 127 : rc != -EINVAL);
    rc = rtp_ext_abs_send_time(h, id, &t);
    CHECK(rc == 0 ? found == 0 && e.len == 3 && t < (1u << 24) : rc != -EINVAL);
    rc = rtp_ext_twcc(h, id, &seq);
    CHECK(rc == 0 ? found == 0 && e.len == 2 : rc != -EINVAL);
    if (found != 0) {
        /* Absent or malformed: every accessor says the same as find. */
        CHECK(rc == found && rtp_ext_mid(h, id, s, sizeof s) == found);
        CHECK(rtp_ext_abs_send_time(h, id, &t) == found);
        CHECK(rtp_ext_audio_level(h, id, &voice, &level) == found);
    }
}

/* Rewrite twcc and abs-send-time in a copy: only their bytes change. */
static void check_rewrite(const uint8_t *data, size_t size, uint8_t id)
{
    struct rtp_hdr h;
    uint16_t seq = 0;
    uint32_t t = 0;
    memcpy(pkt_copy, data, size);
    if (rtp_ext_set_twcc(pkt_copy, size, id, 0xa55a) == 0) {
        CHECK(rtp_hdr_parse(&h, pkt_copy, size) == 0);
        CHECK(rtp_ext_twcc(&h, id, &seq) == 0 && seq == 0xa55a);
    }
    if (rtp_ext_set_abs_send_time(pkt_copy, size, id, 0x5aa55a) == 0) {
        CHECK(rtp_hdr_parse(&h, pkt_copy, size) == 0);
        CHECK(rtp_ext_abs_send_time(&h, id, &t) == 0 && t == 0x5aa55a);
    }
    size_t changed = 0;
    for (size_t i = 0; i < size; i++)
        changed += pkt_copy[i] != data[i];
    CHECK(changed <= 3);
}

/* Patch the fixed header of a copy: the fields read back, the rest stays. */
static void check_set_fields(const struct rtp_hdr *h, const uint8_t *data, size_t size)
{
    struct rtp_hdr p;
    memcpy(pkt_copy, data, size);
    CHECK(rtp_hdr_set_ssrc(pkt_copy, size, ~h->ssrc) == 0);
    CHECK(rtp_hdr_set_seq(pkt_copy, size, (uint16_t)(h->seq + 1)) == 0);
    CHECK(rtp_hdr_set_ts(pkt_copy, size, h->ts ^ 0x80000000u) == 0);
    CHECK(rtp_hdr_set_pt(pkt_copy, size, (uint8_t)(h->pt ^ 0x7f)) == 0);
    CHECK(rtp_hdr_set_marker(pkt_copy, size, !h->marker) == 0);
    CHECK(rtp_hdr_parse(&p, pkt_copy, size) == 0);
    CHECK(p.ssrc == ~h->ssrc && p.seq == (uint16_t)(h->seq + 1) && p.ts == (h->ts ^ 0x80000000u));
    CHECK(p.pt == (h->pt ^ 0x7f) && p.marker == !h->marker && pkt_copy[0] == data[0]);
    CHECK(memcmp(pkt_copy + RTP_HDR_FIXED_LEN, data + RTP_HDR_FIXED_LEN,
                 size - RTP_HDR_FIXED_LEN) == 0);
}

static bool has_duplicates(size_t n)
{
    bool seen[256] = {false};
    for (size_t i = 0; i < n; i++) {
        if (seen[elems[i].id])
            return true;
        seen[elems[i].id] = true;
    }
    return false;
}

/* Rebuild the block from the elements, the packet around it, parse again. */
static void check_round_trip(const struct rtp_hdr *h, const uint8_t *data, size_t size, size_t n)
{
    uint16_t profile;
    size_t blen, hlen;
    int rc = rtp_ext_write(elems, n, block, sizeof block, &profile, &blen);
    if (has_duplicates(n)) {
        CHECK(rc == -EINVAL);
        return;
    }
    CHECK(rc == 0 && blen <= h->ext_len);
    struct rtp_hdr h2 = *h;
    h2.ext_profile = profile;
    h2.ext = block;
    h2.ext_len = blen;
    CHECK(rtp_hdr_write(&h2, out, sizeof out, &hlen) == 0);
    size_t rest = size - h->payload_off;
    memcpy(out + hlen, data + h->payload_off, rest);

    struct rtp_hdr p;
    CHECK(rtp_hdr_parse(&p, out, hlen + rest) == 0);
    CHECK(p.seq == h->seq && p.ts == h->ts && p.ssrc == h->ssrc && p.pt == h->pt);
    CHECK(p.marker == h->marker && p.padding == h->padding && p.cc == h->cc);
    CHECK(memcmp(p.csrc, h->csrc, sizeof p.csrc) == 0);
    CHECK(p.payload_len == h->payload_len && p.pad_len == h->pad_len);
    CHECK(memcmp(p.payload, h->payload, h->payload_len) == 0);

    struct rtp_ext_iter it;
    struct rtp_ext_elem e;
    CHECK(rtp_ext_iter_init_hdr(&it, &p) == 0);
    for (size_t i = 0; i < n; i++) {
        CHECK(rtp_ext_iter_next(&it, &e) == 0);
        CHECK(e.id == elems[i].id && e.len == elems[i].len);
        CHECK(memcmp(e.data, elems[i].data, e.len) == 0);
    }
    CHECK(rtp_ext_iter_next(&it, &e) == -ENOENT);
}

/* The parsed header, written back, is the input's header byte for byte. */
static void check_header_bytes(const struct rtp_hdr *h, const uint8_t *data, size_t size)
{
    size_t hlen;
    CHECK(h->payload_off + h->payload_len + h->pad_len == size);
    CHECK(rtp_hdr_len(h) == h->payload_off);
    CHECK(rtp_hdr_write(h, out, sizeof out, &hlen) == 0);
    CHECK(hlen == h->payload_off && memcmp(out, data, hlen) == 0);
    CHECK(rtp_seq_diff(h->seq, (uint16_t)h->ts) == -rtp_seq_diff((uint16_t)h->ts, h->seq));
    CHECK(rtp_seq_ts_newer(h->ts, h->ssrc) != rtp_seq_ts_newer(h->ssrc, h->ts) || h->ts == h->ssrc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtp_hdr h;
    if (rtp_hdr_parse(&h, data, size) != 0 || size > MAX_PKT)
        return 0;
    check_header_bytes(&h, data, size);
    check_set_fields(&h, data, size);
    for (size_t i = 0; i < sizeof ids; i++) {
        check_typed(&h, ids[i]);
        check_rewrite(data, size, ids[i]);
    }
    size_t n;
    int init_rc;
    bool ok = collect(&h, &n, &init_rc);
    CHECK(init_rc == 0 || init_rc == -ENOTSUP);
    if (ok && h.extension)
        check_round_trip(&h, data, size, n);
    return 0;
}
