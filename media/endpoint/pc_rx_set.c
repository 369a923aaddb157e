/* pc receivers: one per m= section of the remote description in which the
 * peer sends a kind we receive. A new remote description (the first, or a
 * later offer) keeps the receivers whose section is still there with the
 * same mid, kind and signaled SSRC, makes new ones and ends the rest. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/endpoint/pc_int.h"

static bool peer_sends(enum sdp_dir d)
{
    return d == SDP_DIR_SENDRECV || d == SDP_DIR_SENDONLY;
}

static void rx_destroy(struct pc_rx *rx)
{
    if (!rx)
        return;
    pc_rx_stop(rx);
    mem_free(rx);
}

static void describe(struct pc_rx *rx, const struct pc_sdp_section *sec)
{
    rx->pt = sec->tr.pt;
    snprintf(rx->stream, sizeof rx->stream, "%s", sec->tr.stream);
}

static int rx_new(struct pc *pc, const struct pc_sdp_section *sec, struct pc_rx **out)
{
    struct pc_rx *rx = mem_zalloc(sizeof *rx);
    if (!rx)
        return -ENOMEM;
    rx->pc = pc;
    rx->kind = sec->kind == PC_SDP_VIDEO ? PC_VIDEO : PC_AUDIO;
    snprintf(rx->mid, sizeof rx->mid, "%s", sec->tr.mid);
    rx->signaled_ssrc = sec->tr.ssrc;
    describe(rx, sec);
    int err = pc_rx_start(rx);
    if (err) {
        rx_destroy(rx);
        return err;
    }
    *out = rx;
    return 0;
}

/* The current receiver that goes on in sec, taken out of pc->rx; or NULL. */
static struct pc_rx *take(struct pc *pc, const struct pc_sdp_section *sec)
{
    int kind = sec->kind == PC_SDP_VIDEO ? PC_VIDEO : PC_AUDIO;
    for (size_t i = 0; i < pc->nrx; i++) {
        struct pc_rx *rx = pc->rx[i];
        if (!rx || rx->kind != kind || strcmp(rx->mid, sec->tr.mid) != 0 ||
            rx->signaled_ssrc != sec->tr.ssrc)
            continue;
        pc->rx[i] = NULL;
        describe(rx, sec);
        return rx;
    }
    return NULL;
}

int pc_rx_sync(struct pc *pc)
{
    const bool want[2] = {pc->cfg.recv_audio, pc->cfg.recv_video};
    struct pc_rx **next = mem_zalloc(PC_MAX_RX * sizeof *next);
    if (!next)
        return -ENOMEM;
    size_t n = 0;
    int err = 0;
    for (size_t i = 0; !err && i < pc->remote.nsections && n < PC_MAX_RX; i++) {
        const struct pc_sdp_section *sec = &pc->remote.sections[i];
        int kind = sec->kind == PC_SDP_VIDEO ? PC_VIDEO : PC_AUDIO;
        if (sec->kind < 0 || !want[kind] || !peer_sends(sec->tr.dir))
            continue;
        struct pc_rx *rx = take(pc, sec);
        if (!rx)
            err = rx_new(pc, sec, &rx);
        if (!err)
            next[n++] = rx;
    }
    for (size_t i = 0; i < pc->nrx; i++)
        rx_destroy(pc->rx[i]); /* the ones not taken: their tracks ended */
    memcpy(pc->rx, next, n * sizeof *next);
    pc->nrx = n;
    mem_free(next);
    return err;
}

void pc_rx_free(struct pc *pc)
{
    for (size_t i = 0; i < pc->nrx; i++)
        rx_destroy(pc->rx[i]);
    pc->nrx = 0;
}

struct pc_rx *pc_rx_first(const struct pc *pc, int kind)
{
    for (size_t i = 0; i < pc->nrx; i++)
        if (pc->rx[i]->kind == kind)
            return pc->rx[i];
    return NULL;
}

void pc_rx_fill_stats(const struct pc_rx *rx, struct pc_stream_stats *out, int64_t now)
{
    *out = rx->st;
    out->active = true;
    out->ssrc = rx->have_ssrc ? rx->ssrc : rx->signaled_ssrc;
    if (!rx->have_ssrc)
        return;
    out->packets = rx->rs.counts.packets;
    out->bytes = rx->rs.counts.bytes;
    out->packets_lost = rtp_rx_stats_lost(&rx->rs);
    out->jitter_ms = (double)rtp_rx_stats_jitter_us(&rx->rs) / 1000.0;
    if (rx->kind == PC_VIDEO) {
        out->fps = media_sink_video_fps(&rx->vsink, now);
        out->width = rx->vsink.width;
        out->height = rx->vsink.height;
        out->has_frame_number = rx->vsink.have_number;
        out->last_frame_number = rx->vsink.last_number;
    } else {
        out->audio_dbfs = media_sink_audio_dbfs(&rx->asink);
    }
}
