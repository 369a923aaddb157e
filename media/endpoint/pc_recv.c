/* pc receiving: RTP by payload type → statistics → depacketizer and VP8
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

int pc_rx_setup(struct pc *pc)
{
    struct pc_rx *v = &pc->rx[PC_VIDEO], *a = &pc->rx[PC_AUDIO];
    int err = 0;
    if (v->on) {
        err = vp8_depack_create(NULL, &v->depack);
        if (!err)
            err = vp8_dec_create(1, &v->vdec);
        if (!err)
            err = media_sink_video_init(&v->vsink, 1000000);
        if (!err && !(v->frame = mem_alloc(PC_FRAME_MAX)))
            err = -ENOMEM;
        if (!err) {
            v->nack_timer = g_timeout_source_new(PC_NACK_TICK_MS);
            g_source_set_callback(v->nack_timer, nack_tick, pc, NULL);
            g_source_attach(v->nack_timer, pc->cfg.ctx);
        }
    }
    if (!err && a->on) {
        err = opus_dec_create(2, &a->adec);
        media_sink_audio_init(&a->asink, 2);
        a->st.audio_dbfs = -127.0;
    }
    if (err)
        snprintf(pc->err, sizeof pc->err, "receiver set-up failed");
    return err;
}

void pc_rx_free(struct pc *pc)
{
    struct pc_rx *v = &pc->rx[PC_VIDEO], *a = &pc->rx[PC_AUDIO];
    if (v->nack_timer) {
        g_source_destroy(v->nack_timer);
        g_source_unref(v->nack_timer);
        v->nack_timer = NULL;
    }
    vp8_depack_destroy(v->depack);
    vp8_dec_destroy(v->vdec);
    mem_free(v->frame);
    opus_dec_destroy(a->adec);
    v->depack = NULL;
    v->vdec = NULL;
    v->frame = NULL;
    a->adec = NULL;
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
    struct pc *pc = data;
    struct pc_rx *rx = &pc->rx[PC_VIDEO];
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

void pc_rx_packet(struct pc *pc, uint8_t *p, size_t n)
{
    struct rtp_hdr h;
    if (rtp_hdr_parse(&h, p, n) != 0)
        return;
    int k = pc->rx[PC_AUDIO].on && h.pt == pc->rx[PC_AUDIO].pt   ? PC_AUDIO
            : pc->rx[PC_VIDEO].on && h.pt == pc->rx[PC_VIDEO].pt ? PC_VIDEO
                                                                 : -1;
    if (k < 0)
        return;
    struct pc_rx *rx = &pc->rx[k];
    int64_t now = pc_now_us();
    if (!rx->have_ssrc) {
        if (rtp_rx_stats_init(&rx->rs, h.ssrc, k == PC_VIDEO ? 90000 : 48000, 1) != 0)
            return;
        rx->ssrc = h.ssrc;
        rx->have_ssrc = true;
    } else if (h.ssrc != rx->ssrc) {
        return; /* one stream per kind */
    }
    enum rtp_rx_verdict v = rtp_rx_stats_on_packet(&rx->rs, h.seq, h.ts, n, now);
    if (v == RTP_RX_DUPLICATE || v == RTP_RX_BAD_SEQ)
        return;
    if (k == PC_VIDEO)
        video_packet(pc, rx, &h, now);
    else
        audio_packet(rx, &h);
}
