/* pc receiving: RTP by SSRC (or payload type) to its receiver → statistics → depacketizer and VP8
 * decoder, or Opus decoder → sinks; NACK for gaps, PLI for lost key
 * frames. */
#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/rtp_hdr.h"
#include "media/core/testsrc_video.h"
#include "media/endpoint/pc_int.h"

#define NACK_MAX_PER_GAP 64
#define AUDIO_LEVEL_FRAMES 50 /* one second of 20 ms frames */

static gboolean nack_tick(gpointer data);

int pc_rx_start(struct pc_rx *rx)
{
    struct pc *pc = rx->pc;
    int err = 0;
    if (rx->kind == PC_VIDEO) {
        err = vp8_depack_create(NULL, &rx->depack);
        if (!err)
            err = vp8_dec_create(1, &rx->vdec);
        if (!err)
            err = media_sink_video_init(&rx->vsink, 1000000);
        if (!err && !(rx->frame = mem_alloc(PC_FRAME_MAX)))
            err = -ENOMEM;
        if (!err) {
            rx->nack_timer = g_timeout_source_new(PC_NACK_TICK_MS);
            g_source_set_callback(rx->nack_timer, nack_tick, rx, NULL);
            g_source_attach(rx->nack_timer, pc->cfg.ctx);
        }
    } else {
        err = opus_dec_create(2, &rx->adec);
        media_sink_audio_init(&rx->asink, 2);
        rx->st.audio_dbfs = -127.0;
    }
    if (err)
        snprintf(pc->err, sizeof pc->err, "receiver set-up failed (mid %s)", rx->mid);
    return err;
}

void pc_rx_stop(struct pc_rx *rx)
{
    if (rx->nack_timer) {
        g_source_destroy(rx->nack_timer);
        g_source_unref(rx->nack_timer);
        rx->nack_timer = NULL;
    }
    vp8_depack_destroy(rx->depack);
    vp8_dec_destroy(rx->vdec);
    mem_free(rx->frame);
    opus_dec_destroy(rx->adec);
    rx->depack = NULL;
    rx->vdec = NULL;
    rx->frame = NULL;
    rx->adec = NULL;
}

static void decode_video(struct pc_rx *rx, const struct vp8_depack_frame *f, int64_t now)
{
    struct vp8_dec_frame out;
    if (vp8_dec_decode(rx->vdec, rx->frame, f->len, &out) != 0 || out.corrupt) {
        rx->st.frames_dropped++;
        return;
    }
    rx->st.frames_decoded++;
    if (out.is_key)
        rx->st.key_frames++;
    media_sink_video_handle_frame(&rx->vsink, out.img.width, out.img.height, now);
    uint32_t number;
    if (testsrc_video_read_frame_number(out.img.y, out.img.stride_y, out.img.width, out.img.height,
                                        &number) == 0)
        media_sink_video_handle_number(&rx->vsink, number);
}

static void drain_depack(struct pc *pc, struct pc_rx *rx, int64_t now);

/* Missing packets are NACKed at once, again every PC_NACK_RETRY_US, and
 * given up after PC_NACK_TRIES: then the depacketizer drops their frame
 * and waits for a key frame instead of holding every later frame. */
static void gap(struct pc *pc, struct pc_rx *rx, uint16_t first, uint16_t count, int64_t now)
{
    uint16_t seqs[NACK_MAX_PER_GAP];
    size_t n = 0;
    for (unsigned i = 0; i < count; i++) {
        uint16_t seq = (uint16_t)(first + i);
        if (n == NACK_MAX_PER_GAP || rx->n_nack == PC_NACK_PENDING) {
            vp8_depack_handle_lost(rx->depack, seq); /* more than we track */
            continue;
        }
        rx->nack[rx->n_nack++] = (struct pc_nack_pending){seq, 1, now + PC_NACK_RETRY_US};
        seqs[n++] = seq;
    }
    if (n)
        pc_rtcp_send_nack(pc, rx, seqs, n);
}

static void nack_arrived(struct pc_rx *rx, uint16_t seq)
{
    for (unsigned i = 0; i < rx->n_nack; i++)
        if (rx->nack[i].seq == seq) {
            memmove(&rx->nack[i], &rx->nack[i + 1], (rx->n_nack - i - 1) * sizeof rx->nack[0]);
            rx->n_nack--;
            rx->st.nack_recovered++; /* a retransmission answered our NACK */
            return;
        }
}

static gboolean nack_tick(gpointer data)
{
    struct pc_rx *rx = data;
    struct pc *pc = rx->pc;
    int64_t now = pc_now_us();
    uint16_t seqs[PC_NACK_PENDING];
    size_t n = 0;
    bool lost = false;
    unsigned keep = 0;
    for (unsigned i = 0; i < rx->n_nack; i++) {
        struct pc_nack_pending e = rx->nack[i];
        if (e.next_us <= now && e.tries >= PC_NACK_TRIES) {
            vp8_depack_handle_lost(rx->depack, e.seq);
            lost = true;
            continue;
        }
        if (e.next_us <= now) {
            e.tries++;
            e.next_us = now + PC_NACK_RETRY_US;
            seqs[n++] = e.seq;
        }
        rx->nack[keep++] = e;
    }
    rx->n_nack = keep;
    if (n)
        pc_rtcp_send_nack(pc, rx, seqs, n);
    if (lost)
        drain_depack(pc, rx, now);
    return G_SOURCE_CONTINUE;
}

static void drain_depack(struct pc *pc, struct pc_rx *rx, int64_t now)
{
    struct vp8_depack_frame f;
    int rc;
    while ((rc = vp8_depack_poll_frame(rx->depack, rx->frame, PC_FRAME_MAX, &f)) != 0) {
        if (rc == 1)
            decode_video(rx, &f, now);
        else if (rc < 0 && rc != -ENOSPC)
            break;
    }
    struct vp8_depack_event ev;
    while (vp8_depack_poll_event(rx->depack, &ev)) {
        if (ev.kind == VP8_DEPACK_EV_GAP)
            gap(pc, rx, ev.seq, ev.count, now);
        else
            pc_rtcp_send_pli(pc, rx);
    }
}

static void video_packet(struct pc *pc, struct pc_rx *rx, const struct rtp_hdr *h, int64_t now)
{
    struct vp8_depack_pkt pkt = {h->seq, h->ts, h->marker, h->payload, h->payload_len};
    if (rx->n_nack)
        nack_arrived(rx, h->seq);
    if (vp8_depack_handle_packet(rx->depack, &pkt) < 0)
        return;
    drain_depack(pc, rx, now);
}

static void audio_packet(struct pc_rx *rx, const struct rtp_hdr *h)
{
    int16_t pcm[5760 * 2];
    size_t frames;
    if (opus_dec_decode(rx->adec, h->payload, h->payload_len, pcm, sizeof pcm / sizeof pcm[0],
                        &frames) != 0) {
        rx->st.frames_dropped++;
        return;
    }
    rx->st.frames_decoded++;
    media_sink_audio_handle_samples(&rx->asink, pcm, frames);
    if (rx->st.frames_decoded % AUDIO_LEVEL_FRAMES == 0) {
        rx->st.audio_dbfs = media_sink_audio_dbfs(&rx->asink);
        media_sink_audio_reset(&rx->asink);
    }
}

/* The receiver of a packet: the one bound to its SSRC; else one whose
 * section signaled that SSRC; else, when the peer signaled none (or when a
 * single receiver of that payload type waits), the first one waiting. */
static struct pc_rx *demux(struct pc *pc, const struct rtp_hdr *h)
{
    struct pc_rx *waiting = NULL;
    size_t same_pt = 0;
    for (size_t i = 0; i < pc->nrx; i++) {
        struct pc_rx *rx = pc->rx[i];
        if (rx->have_ssrc && rx->ssrc == h->ssrc)
            return rx;
        if (rx->pt != h->pt)
            continue;
        same_pt++;
        if (rx->have_ssrc)
            continue;
        if (rx->signaled_ssrc == h->ssrc)
            return rx;
        if (!waiting && !rx->signaled_ssrc)
            waiting = rx;
    }
    if (!waiting && same_pt == 1)
        for (size_t i = 0; i < pc->nrx; i++)
            if (pc->rx[i]->pt == h->pt && !pc->rx[i]->have_ssrc)
                waiting = pc->rx[i];
    return waiting;
}

void pc_rx_packet(struct pc *pc, uint8_t *p, size_t n)
{
    struct rtp_hdr h;
    if (rtp_hdr_parse(&h, p, n) != 0)
        return;
    struct pc_rx *rx = demux(pc, &h);
    if (!rx || rx->pt != h.pt)
        return;
    int64_t now = pc_now_us();
    if (!rx->have_ssrc) {
        if (rtp_rx_stats_init(&rx->rs, h.ssrc, rx->kind == PC_VIDEO ? 90000 : 48000, 1) != 0)
            return;
        rx->ssrc = h.ssrc;
        rx->have_ssrc = true;
    }
    enum rtp_rx_verdict v = rtp_rx_stats_on_packet(&rx->rs, h.seq, h.ts, n, now);
    if (v == RTP_RX_DUPLICATE || v == RTP_RX_BAD_SEQ)
        return;
    if (rx->kind == PC_VIDEO)
        video_packet(pc, rx, &h, now);
    else
        audio_packet(rx, &h);
}
