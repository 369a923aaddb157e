/* Fuzz target: an RTCP compound packet. Iterates it, hands each packet to
 * the parser of its type, and for every packet that parses, writes it back,
 * parses the output and checks that the values agree. The rewritten packets
 * are assembled into a new compound which must iterate cleanly. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/rtcp_bye.h"
#include "media/core/rtcp_fir.h"
#include "media/core/rtcp_hdr.h"
#include "media/core/rtcp_nack.h"
#include "media/core/rtcp_pli.h"
#include "media/core/rtcp_remb.h"
#include "media/core/rtcp_rr.h"
#include "media/core/rtcp_sdes.h"
#include "media/core/rtcp_sr.h"
#include "media/core/rtcp_twcc.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

static uint8_t out[RTCP_MAX_LEN];
static uint8_t compound[1 << 20];
static struct rtcp_build build;
static struct rtcp_twcc_pkt twcc_a[65536], twcc_b[65536];
static uint16_t seqs_a[RTCP_NACK_MAX_PAIRS * RTCP_NACK_SEQS_PER_PAIR];
static uint16_t seqs_b[RTCP_NACK_MAX_PAIRS * RTCP_NACK_SEQS_PER_PAIR];

/* Append a rewritten packet to the compound under construction. */
static void keep(size_t len)
{
    size_t room = rtcp_build_room(&build);
    if (room >= len)
        memcpy(rtcp_build_pos(&build), out, len);
    (void)rtcp_build_add(&build, room >= len ? 0 : -ENOSPC, len);
}

static bool rb_equal(const struct rtcp_rb *a, const struct rtcp_rb *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].ssrc != b[i].ssrc || a[i].fraction_lost != b[i].fraction_lost ||
            a[i].cumulative_lost != b[i].cumulative_lost ||
            a[i].ext_highest_seq != b[i].ext_highest_seq || a[i].jitter != b[i].jitter ||
            a[i].lsr != b[i].lsr || a[i].dlsr != b[i].dlsr)
            return false;
    return true;
}

static void check_sr(const uint8_t *p, size_t n)
{
    static struct rtcp_sr a, b;
    size_t w;
    if (rtcp_sr_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_sr_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_sr_parse(&b, out, w) == 0);
    CHECK(a.ssrc == b.ssrc && a.ntp == b.ntp && a.rtp_ts == b.rtp_ts &&
          a.pkt_count == b.pkt_count && a.octet_count == b.octet_count &&
          a.rb_count == b.rb_count && rb_equal(a.rb, b.rb, a.rb_count));
    keep(w);
}

static void check_rr(const uint8_t *p, size_t n)
{
    static struct rtcp_rr a, b;
    size_t w;
    if (rtcp_rr_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_rr_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_rr_parse(&b, out, w) == 0);
    CHECK(a.ssrc == b.ssrc && a.rb_count == b.rb_count && rb_equal(a.rb, b.rb, a.rb_count));
    keep(w);
}

static void check_sdes(const uint8_t *p, size_t n)
{
    static struct rtcp_sdes a, b;
    size_t w;
    if (rtcp_sdes_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_sdes_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_sdes_parse(&b, out, w) == 0);
    CHECK(a.n_chunks == b.n_chunks);
    for (size_t i = 0; i < a.n_chunks; i++) {
        const struct rtcp_sdes_chunk *x = &a.chunks[i], *y = &b.chunks[i];
        CHECK(x->ssrc == y->ssrc && x->has_cname == y->has_cname);
        CHECK(!x->has_cname ||
              (x->cname_len == y->cname_len && memcmp(x->cname, y->cname, x->cname_len) == 0));
    }
    keep(w);
}

static void check_bye(const uint8_t *p, size_t n)
{
    static struct rtcp_bye a, b;
    size_t w;
    if (rtcp_bye_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_bye_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_bye_parse(&b, out, w) == 0);
    CHECK(a.n_ssrc == b.n_ssrc && memcmp(a.ssrc, b.ssrc, 4 * (size_t)a.n_ssrc) == 0);
    CHECK(a.has_reason == b.has_reason);
    CHECK(!a.has_reason ||
          (a.reason_len == b.reason_len && memcmp(a.reason, b.reason, a.reason_len) == 0));
    keep(w);
}

/* Pairs -> list -> pairs -> list gives the same list (duplicates dropped)
 * whenever the first list is in RTP order. */
static void check_nack_lists(const struct rtcp_nack *a)
{
    static struct rtcp_nack c;
    size_t na, nb;
    CHECK(rtcp_nack_to_seqs(a, seqs_a, RTCP_NACK_SEQS_PER_PAIR * a->n_pairs, &na) == 0);
    if (rtcp_nack_from_seqs(&c, seqs_a, na) != 0)
        return;
    CHECK(c.n_pairs <= a->n_pairs);
    CHECK(rtcp_nack_to_seqs(&c, seqs_b, sizeof seqs_b / sizeof seqs_b[0], &nb) == 0);
    size_t k = 0;
    for (size_t i = 0; i < na; i++) {
        if (i > 0 && seqs_a[i] == seqs_a[i - 1])
            continue;
        CHECK(k < nb && seqs_b[k] == seqs_a[i]);
        k++;
    }
    CHECK(k == nb);
}

static void check_nack(const uint8_t *p, size_t n)
{
    static struct rtcp_nack a, b;
    size_t w;
    if (rtcp_nack_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_nack_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_nack_parse(&b, out, w) == 0);
    CHECK(a.sender_ssrc == b.sender_ssrc && a.media_ssrc == b.media_ssrc);
    CHECK(a.n_pairs == b.n_pairs);
    for (size_t i = 0; i < a.n_pairs; i++)
        CHECK(a.pairs[i].pid == b.pairs[i].pid && a.pairs[i].blp == b.pairs[i].blp);
    check_nack_lists(&a);
    keep(w);
}

/* Arrival times keep their distances; the reference time is recomputed by
 * the writer, so absolute values may move by whole 64 ms units. */
static void check_twcc(const uint8_t *p, size_t n)
{
    struct rtcp_twcc a, b;
    size_t w;
    if (rtcp_twcc_parse(&a, p, n, twcc_a, 65536) != 0)
        return;
    CHECK(rtcp_twcc_write(&a, twcc_a, a.status_count, out, sizeof out, &w) == 0);
    CHECK(rtcp_twcc_parse(&b, out, w, twcc_b, 65536) == 0);
    CHECK(a.sender_ssrc == b.sender_ssrc && a.media_ssrc == b.media_ssrc &&
          a.base_seq == b.base_seq && a.status_count == b.status_count && a.fb_count == b.fb_count);
    bool first = true;
    int64_t off = 0;
    for (size_t i = 0; i < a.status_count; i++) {
        CHECK(twcc_a[i].seq == twcc_b[i].seq && twcc_a[i].received == twcc_b[i].received);
        if (!twcc_a[i].received)
            continue;
        if (first)
            off = twcc_b[i].arrival_us - twcc_a[i].arrival_us;
        first = false;
        CHECK(off % RTCP_TWCC_REF_US == 0);
        CHECK(twcc_b[i].arrival_us - twcc_a[i].arrival_us == off);
    }
    if (first)
        CHECK(a.ref_time == b.ref_time);
    keep(w);
}

static void check_pli(const uint8_t *p, size_t n)
{
    struct rtcp_pli a, b;
    size_t w;
    if (rtcp_pli_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_pli_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_pli_parse(&b, out, w) == 0);
    CHECK(a.sender_ssrc == b.sender_ssrc && a.media_ssrc == b.media_ssrc);
    keep(w);
}

static void check_fir(const uint8_t *p, size_t n)
{
    static struct rtcp_fir a, b;
    size_t w;
    if (rtcp_fir_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_fir_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_fir_parse(&b, out, w) == 0);
    CHECK(a.sender_ssrc == b.sender_ssrc && a.media_ssrc == b.media_ssrc && a.n == b.n);
    for (size_t i = 0; i < a.n; i++)
        CHECK(a.e[i].ssrc == b.e[i].ssrc && a.e[i].seq == b.e[i].seq);
    keep(w);
}

static void check_remb(const uint8_t *p, size_t n)
{
    static struct rtcp_remb a, b;
    size_t w;
    if (rtcp_remb_parse(&a, p, n) != 0)
        return;
    CHECK(rtcp_remb_write(&a, out, sizeof out, &w) == 0);
    CHECK(rtcp_remb_parse(&b, out, w) == 0);
    CHECK(a.sender_ssrc == b.sender_ssrc && a.media_ssrc == b.media_ssrc &&
          a.bitrate == b.bitrate && a.n_ssrc == b.n_ssrc &&
          memcmp(a.ssrc, b.ssrc, 4 * (size_t)a.n_ssrc) == 0);
    keep(w);
}

/* Hand a packet to the parser of its type. */
static void dispatch(const struct rtcp_pkt *pkt)
{
    const uint8_t *p = pkt->data;
    size_t n = pkt->len;
    switch (pkt->pt) {
    case RTCP_PT_SR:
        check_sr(p, n);
        break;
    case RTCP_PT_RR:
        check_rr(p, n);
        break;
    case RTCP_PT_SDES:
        check_sdes(p, n);
        break;
    case RTCP_PT_BYE:
        check_bye(p, n);
        break;
    case RTCP_PT_RTPFB:
        if (pkt->fmt == RTCP_RTPFB_NACK)
            check_nack(p, n);
        else if (pkt->fmt == RTCP_RTPFB_TWCC)
            check_twcc(p, n);
        break;
    case RTCP_PT_PSFB:
        if (pkt->fmt == RTCP_PSFB_PLI)
            check_pli(p, n);
        else if (pkt->fmt == RTCP_PSFB_FIR)
            check_fir(p, n);
        else if (pkt->fmt == RTCP_PSFB_AFB)
            check_remb(p, n);
        break;
    default:
        break; /* unknown types are skipped */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtcp_iter it;
    struct rtcp_pkt pkt;
    size_t yielded = 0;
    int rc;
    rtcp_build_init(&build, compound, sizeof compound);
    rtcp_iter_init(&it, data, size);
    while ((rc = rtcp_iter_next(&it, &pkt)) == 1) {
        CHECK(pkt.data >= data && pkt.len >= 4 && pkt.len <= size - (size_t)(pkt.data - data));
        dispatch(&pkt);
        yielded++;
    }
    CHECK(rc == 0 || rc == -EBADMSG);
    CHECK(rtcp_iter_next(&it, &pkt) == rc); /* the end or the error sticks */

    /* The rewritten packets form a compound that iterates to its end. */
    size_t len = 0, again = 0;
    rc = rtcp_build_finish(&build, &len);
    if (rc == -ENOSPC)
        return 0; /* a huge input whose rewrite outgrew the buffer */
    CHECK(rc == 0);
    rtcp_iter_init(&it, compound, len);
    while ((rc = rtcp_iter_next(&it, &pkt)) == 1)
        again++;
    CHECK(rc == 0 && again <= yielded);
    return 0;
}
