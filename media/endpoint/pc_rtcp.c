/* pc RTCP: periodic SR/RR + SDES, NACK and PLI out; SR, RR, NACK, PLI and
 * FIR in. rtcp-rsize is negotiated, so feedback goes out alone. */
#include <errno.h>
#include <string.h>

#include "media/core/ntp_time.h"
#include "media/core/rtcp_fir.h"
#include "media/core/rtcp_hdr.h"
#include "media/core/rtcp_nack.h"
#include "media/core/rtcp_pli.h"
#include "media/core/rtcp_rr.h"
#include "media/core/rtcp_sdes.h"
#include "media/core/rtcp_sr.h"
#include "media/endpoint/pc_int.h"

#define RTCP_BUF 1200

static uint32_t sender_ssrc(const struct pc *pc)
{
    if (pc->tx[PC_VIDEO].on)
        return pc->tx[PC_VIDEO].ssrc;
    if (pc->tx[PC_AUDIO].on)
        return pc->tx[PC_AUDIO].ssrc;
    return pc->rtcp_ssrc;
}

static uint8_t report_blocks(struct pc *pc, struct rtcp_rb *rb, int64_t now)
{
    /* Beyond RTCP_RB_MAX receivers the later ones go unreported. */
    uint8_t n = 0;
    for (size_t i = 0; i < pc->nrx && n < RTCP_RB_MAX; i++)
        if (pc->rx[i]->have_ssrc && rtp_rx_stats_make_rb(&pc->rx[i]->rs, now, &rb[n]) == 0)
            n++;
    return n;
}

static void add_sr(struct pc *pc, struct rtcp_build *b, struct pc_tx *tx, bool with_rbs,
                   int64_t now)
{
    struct rtcp_sr sr = {.ssrc = tx->ssrc};
    sr.ntp = ntp_time_from_us(g_get_real_time());
    int64_t since = tx->last_ts_at_us ? now - tx->last_ts_at_us : 0;
    sr.rtp_ts = tx->last_ts + (uint32_t)(since * tx->clock / 1000000);
    sr.pkt_count = (uint32_t)tx->st.packets;
    sr.octet_count = (uint32_t)tx->octets_sr;
    if (with_rbs)
        sr.rb_count = report_blocks(pc, sr.rb, now);
    size_t w = 0;
    int rc = rtcp_sr_write(&sr, rtcp_build_pos(b), rtcp_build_room(b), &w);
    rtcp_build_add(b, rc, w);
}

static void send_reports(struct pc *pc)
{
    uint32_t buf[RTCP_BUF / 4];
    struct rtcp_build b;
    rtcp_build_init(&b, (uint8_t *)buf, sizeof buf);
    int64_t now = pc_now_us();
    bool first = true;
    for (int k = PC_VIDEO; k >= PC_AUDIO; k--) {
        if (!pc->tx[k].on || !pc->tx[k].st.packets)
            continue;
        add_sr(pc, &b, &pc->tx[k], first, now);
        first = false;
    }
    if (first) {
        struct rtcp_rr rr = {.ssrc = pc->rtcp_ssrc};
        rr.rb_count = report_blocks(pc, rr.rb, now);
        size_t w = 0;
        int rc = rtcp_rr_write(&rr, rtcp_build_pos(&b), rtcp_build_room(&b), &w);
        rtcp_build_add(&b, rc, w);
    }
    size_t w = 0;
    int rc = rtcp_sdes_write_cname(first ? pc->rtcp_ssrc : sender_ssrc(pc), pc->cfg.cname,
                                   rtcp_build_pos(&b), rtcp_build_room(&b), &w);
    rtcp_build_add(&b, rc, w);
    size_t len;
    if (rtcp_build_finish(&b, &len) == 0 && transport_send_rtcp(pc->tr, (uint8_t *)buf, len) == 0)
        pc->reports_sent++;
}

static gboolean rtcp_tick(gpointer data)
{
    struct pc *pc = data;
    send_reports(pc);
    /* Keep asking while a decoder waits for a key frame. */
    for (size_t i = 0; i < pc->nrx; i++) {
        struct pc_rx *v = pc->rx[i];
        if (v->kind == PC_VIDEO && v->have_ssrc && vp8_depack_waiting_for_key(v->depack))
            pc_rtcp_send_pli(pc, v);
    }
    return G_SOURCE_CONTINUE;
}

void pc_rtcp_start(struct pc *pc)
{
    if (pc->rtcp_timer)
        return;
    pc->rtcp_timer = g_timeout_source_new(PC_RTCP_INTERVAL_MS);
    g_source_set_callback(pc->rtcp_timer, rtcp_tick, pc, NULL);
    g_source_attach(pc->rtcp_timer, pc->cfg.ctx);
}

void pc_rtcp_stop(struct pc *pc)
{
    if (!pc->rtcp_timer)
        return;
    g_source_destroy(pc->rtcp_timer);
    g_source_unref(pc->rtcp_timer);
    pc->rtcp_timer = NULL;
}

void pc_rtcp_send_nack(struct pc *pc, struct pc_rx *rx, const uint16_t *seqs, size_t n)
{
    struct rtcp_nack nack;
    if (rtcp_nack_from_seqs(&nack, seqs, n) != 0)
        return;
    nack.sender_ssrc = sender_ssrc(pc);
    nack.media_ssrc = rx->ssrc;
    uint32_t buf[RTCP_BUF / 4];
    size_t len;
    if (rtcp_nack_write(&nack, (uint8_t *)buf, sizeof buf, &len) == 0 &&
        transport_send_rtcp(pc->tr, (uint8_t *)buf, len) == 0)
        rx->st.nacks_sent++;
}

void pc_rtcp_send_pli(struct pc *pc, struct pc_rx *rx)
{
    int64_t now = pc_now_us();
    if (rx->last_pli_us && now - rx->last_pli_us < PC_PLI_INTERVAL_US)
        return;
    struct rtcp_pli pli = {sender_ssrc(pc), rx->ssrc};
    uint32_t buf[4];
    size_t len;
    if (rtcp_pli_write(&pli, (uint8_t *)buf, sizeof buf, &len) == 0 &&
        transport_send_rtcp(pc->tr, (uint8_t *)buf, len) == 0) {
        rx->st.plis_sent++;
        rx->last_pli_us = now;
    }
}

/* Report blocks about what we send: the round-trip time. */
static void handle_rbs(struct pc *pc, const struct rtcp_rb *rb, size_t n)
{
    uint32_t now_mid = ntp_time_mid32(ntp_time_from_us(g_get_real_time()));
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++)
            if (pc->tx[k].on && rb[i].ssrc == pc->tx[k].ssrc && rb[i].lsr)
                pc->tx[k].st.rtt_ms =
                    (double)ntp_time_rtt_us(now_mid, rb[i].lsr, rb[i].dlsr) / 1000.0;
}

static void handle_sr(struct pc *pc, const struct rtcp_pkt *p)
{
    struct rtcp_sr sr;
    if (rtcp_sr_parse(&sr, p->data, p->len) != 0)
        return;
    for (size_t i = 0; i < pc->nrx; i++)
        if (pc->rx[i]->have_ssrc && pc->rx[i]->ssrc == sr.ssrc)
            rtp_rx_stats_on_sr(&pc->rx[i]->rs, sr.ntp, pc_now_us());
    handle_rbs(pc, sr.rb, sr.rb_count);
}

static void handle_fb(struct pc *pc, const struct rtcp_pkt *p)
{
    if (p->pt == RTCP_PT_RTPFB && p->fmt == RTCP_RTPFB_NACK) {
        struct rtcp_nack nack;
        uint16_t seqs[RTCP_NACK_MAX_PAIRS * RTCP_NACK_SEQS_PER_PAIR];
        size_t n;
        if (rtcp_nack_parse(&nack, p->data, p->len) == 0 &&
            rtcp_nack_to_seqs(&nack, seqs, sizeof seqs / sizeof seqs[0], &n) == 0)
            pc_tx_resend(pc, nack.media_ssrc, seqs, n);
    } else if (p->pt == RTCP_PT_PSFB && p->fmt == RTCP_PSFB_PLI) {
        struct rtcp_pli pli;
        if (rtcp_pli_parse(&pli, p->data, p->len) == 0 && pli.media_ssrc == pc->tx[PC_VIDEO].ssrc) {
            pc->tx[PC_VIDEO].st.plis_received++;
            pc_tx_key_frame(pc);
        }
    } else if (p->pt == RTCP_PT_PSFB && p->fmt == RTCP_PSFB_FIR) {
        struct rtcp_fir fir;
        if (rtcp_fir_parse(&fir, p->data, p->len) == 0)
            for (size_t i = 0; i < fir.n; i++)
                if (fir.e[i].ssrc == pc->tx[PC_VIDEO].ssrc) {
                    pc->tx[PC_VIDEO].st.plis_received++;
                    pc_tx_key_frame(pc);
                }
    }
}

void pc_rtcp_packet(struct pc *pc, const uint8_t *buf, size_t n)
{
    struct rtcp_iter it;
    struct rtcp_pkt p;
    rtcp_iter_init(&it, buf, n);
    while (rtcp_iter_next(&it, &p) == 1) {
        if (p.pt == RTCP_PT_SR) {
            handle_sr(pc, &p);
        } else if (p.pt == RTCP_PT_RR) {
            struct rtcp_rr rr;
            if (rtcp_rr_parse(&rr, p.data, p.len) == 0)
                handle_rbs(pc, rr.rb, rr.rb_count);
        } else {
            handle_fb(pc, &p);
        }
    }
}
