/* pc sending: test sources → encoders → packetizers → history → transport,
 * and the answers to the peer's NACK and key-frame requests. */
#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/rtp_hdr.h"
#include "media/core/testsrc_video.h"
#include "media/endpoint/pc_int.h"

#define HISTORY_SLOTS 1024
#define HISTORY_AGE_US 1000000
#define RTP_MTU 1200
#define RESEND_GAP_US 20000 /* one resend per packet per 20 ms */
#define AUDIO_FRAME_US 20000
/* After a stall, the 20 ms audio frames that fell due are all sent at
 * once, up to this many (as a sound card hands over its buffer); the
 * stream's clock stays with real time. Beyond, the samples are skipped:
 * a gap the receiver conceals as it would a loss. */
#define AUDIO_MAX_CATCHUP 25

/* The send timers fire at deadlines on the monotonic clock, each one a
 * period after the last deadline, not after the last dispatch: a
 * GLib timeout re-arms from when it ran, so every late tick would push all
 * later ones back and a busy machine would send fewer frames than it
 * should (audio fell behind real time). */
static gboolean deadline_dispatch(GSource *source, GSourceFunc fn, gpointer data)
{
    (void)source;
    return fn(data);
}

static GSourceFuncs deadline_funcs = {.dispatch = deadline_dispatch};

/* Write the RTP header in front of payload (at buf + 12) and send. */
static void send_packet(struct pc *pc, struct pc_tx *tx, uint8_t *buf, size_t payload_len,
                        uint16_t seq, uint32_t ts, bool marker, int64_t now)
{
    struct rtp_hdr h = {
        .marker = marker, .pt = (uint8_t)tx->pt, .seq = seq, .ts = ts, .ssrc = tx->ssrc};
    size_t hl;
    if (rtp_hdr_write(&h, buf, 12, &hl) != 0 || hl != 12)
        return;
    size_t n = 12 + payload_len;
    if (rtp_history_put(tx->hist, seq, buf, n, now) != 0)
        tx->st.history_misses++;
    if (transport_send_rtp(pc->tr, buf, n) == 0) {
        tx->st.packets++;
        tx->st.bytes += n;
        tx->octets_sr += payload_len;
    }
    tx->last_ts = ts;
    tx->last_ts_at_us = now;
}

/* The next deadline after now, counting the ones a stall missed. */
static void next_deadline(struct pc_tx *tx, int64_t now)
{
    if (tx->due_us <= now)
        tx->due_us += ((now - tx->due_us) / tx->period_us + 1) * tx->period_us;
    g_source_set_ready_time(tx->timer, tx->due_us);
}

/* One frame per tick; frames a stall missed are not made up (a camera
 * drops them too), and the RTP timestamp follows the capture time. */
static gboolean video_tick(gpointer data)
{
    struct pc *pc = data;
    struct pc_tx *tx = &pc->tx[PC_VIDEO];
    int64_t now = pc_now_us();
    next_deadline(tx, now);
    if (testsrc_video_fill(&tx->img, tx->frame_no++) != 0 ||
        vp8_enc_encode(tx->venc, &tx->img, now) != 0)
        return G_SOURCE_CONTINUE;
    struct vp8_enc_frame f;
    uint32_t buf[(RTP_MTU + 64) / 4];
    uint8_t *b = (uint8_t *)buf;
    while (vp8_enc_next(tx->venc, &f)) {
        struct vp8_pack_frame pf = {f.data, f.len, now, f.droppable, 0, false};
        if (vp8_pack_start(&tx->vpack, &pf) != 0)
            continue;
        tx->st.frames_encoded++;
        if (f.is_key)
            tx->st.key_frames++;
        struct vp8_pack_pkt pkt;
        while (vp8_pack_poll_payload(&tx->vpack, b + 12, RTP_MTU - 12, &pkt) == 1)
            send_packet(pc, tx, b, pkt.len, pkt.seq, pkt.ts, pkt.marker, now);
    }
    return G_SOURCE_CONTINUE;
}

static void audio_frame(struct pc *pc, struct pc_tx *tx, int64_t now)
{
    int16_t pcm[960 * 2];
    testsrc_audio_fill(&tx->tone, pcm, 960);
    uint32_t buf[(RTP_MTU + 64) / 4];
    uint8_t *b = (uint8_t *)buf;
    size_t len;
    if (opus_enc_encode(tx->aenc, pcm, b + 12, RTP_MTU - 12, &len) != 0)
        return;
    struct opus_pack_pkt pkt;
    if (opus_pack_frame(&tx->apack, b + 12, len, &pkt) == 1) {
        tx->st.frames_encoded++;
        send_packet(pc, tx, b, len, pkt.seq, pkt.ts, pkt.marker, now);
    }
}

/* Every 20 ms frame that is due (AUDIO_MAX_CATCHUP). */
static gboolean audio_tick(gpointer data)
{
    struct pc *pc = data;
    struct pc_tx *tx = &pc->tx[PC_AUDIO];
    int64_t now = pc_now_us();
    for (int n = 0; tx->due_us <= now && n < AUDIO_MAX_CATCHUP; n++) {
        audio_frame(pc, tx, now);
        tx->due_us += AUDIO_FRAME_US;
    }
    /* The rest of a longer stall: not sent, the timestamp jumps over it. */
    for (; tx->due_us <= now; tx->due_us += AUDIO_FRAME_US)
        if (opus_pack_skip(&tx->apack, 960) == 0)
            tx->st.frames_skipped++;
    next_deadline(tx, now);
    return G_SOURCE_CONTINUE;
}

static int setup_video(struct pc *pc, struct pc_tx *tx)
{
    struct vp8_enc_cfg vc;
    vp8_enc_cfg_default(&vc, pc->cfg.width, pc->cfg.height);
    vc.fps = pc->cfg.fps;
    vc.bitrate_kbps = pc->cfg.video_kbps;
    vc.kf_max_dist = 0; /* key frames on request (and the first) */
    int err = vp8_enc_create(&vc, &tx->venc);
    if (err)
        return err;
    size_t sz = i420_size(pc->cfg.width, pc->cfg.height);
    tx->img_buf = mem_alloc(sz);
    if (!tx->img_buf)
        return -ENOMEM;
    err = i420_wrap(&tx->img, tx->img_buf, sz, pc->cfg.width, pc->cfg.height);
    if (err)
        return err;
    struct vp8_pack_cfg pk = {.mtu = RTP_MTU - 12,
                              .first_seq = (uint16_t)g_random_int(),
                              .first_ts = g_random_int(),
                              .picture_id = (uint16_t)(g_random_int() & 0x7fff)};
    tx->clock = 90000;
    return vp8_pack_init(&tx->vpack, &pk);
}

static int setup_audio(struct pc *pc, struct pc_tx *tx)
{
    struct opus_enc_cfg oc;
    opus_enc_cfg_default(&oc);
    oc.channels = pc->cfg.audio_channels;
    oc.fec = true;
    int err = opus_enc_create(&oc, &tx->aenc);
    if (!err)
        err = testsrc_audio_init_tone(&tx->tone, pc->cfg.tone_hz, -20.0, oc.channels);
    struct opus_pack_cfg pk = {.first_seq = (uint16_t)g_random_int(), .first_ts = g_random_int()};
    opus_pack_init(&tx->apack, &pk);
    tx->clock = 48000;
    return err;
}

int pc_tx_setup(struct pc *pc)
{
    for (int k = 0; k < 2; k++) {
        struct pc_tx *tx = &pc->tx[k];
        if (!tx->on)
            continue;
        struct rtp_history_cfg hc = {HISTORY_SLOTS, RTP_MTU, HISTORY_AGE_US};
        int err = rtp_history_create(&hc, &tx->hist);
        if (!err)
            err = k == PC_VIDEO ? setup_video(pc, tx) : setup_audio(pc, tx);
        if (err) {
            snprintf(pc->err, sizeof pc->err, "%s sender set-up failed",
                     k == PC_VIDEO ? "video" : "audio");
            return err;
        }
    }
    return 0;
}

void pc_tx_start(struct pc *pc)
{
    for (int k = 0; k < 2; k++) {
        struct pc_tx *tx = &pc->tx[k];
        if (!tx->on || tx->timer)
            continue;
        tx->period_us = k == PC_VIDEO ? 1000000 / pc->cfg.fps : AUDIO_FRAME_US;
        tx->due_us = pc_now_us() + tx->period_us;
        tx->timer = g_source_new(&deadline_funcs, sizeof(GSource));
        g_source_set_ready_time(tx->timer, tx->due_us);
        g_source_set_callback(tx->timer, k == PC_VIDEO ? video_tick : audio_tick, pc, NULL);
        g_source_attach(tx->timer, pc->cfg.ctx);
    }
}

void pc_tx_free(struct pc *pc)
{
    for (int k = 0; k < 2; k++) {
        struct pc_tx *tx = &pc->tx[k];
        if (tx->timer) {
            g_source_destroy(tx->timer);
            g_source_unref(tx->timer);
            tx->timer = NULL;
        }
        vp8_enc_destroy(tx->venc);
        opus_enc_destroy(tx->aenc);
        rtp_history_destroy(tx->hist);
        mem_free(tx->img_buf);
        tx->venc = NULL;
        tx->aenc = NULL;
        tx->hist = NULL;
        tx->img_buf = NULL;
    }
}

void pc_tx_key_frame(struct pc *pc)
{
    if (pc->tx[PC_VIDEO].venc)
        vp8_enc_request_key_frame(pc->tx[PC_VIDEO].venc);
}

/* RFC 4588 (RTX) is not negotiated: a NACKed packet is sent again as it
 * was, same sequence number, from the clear copy in the history; the
 * transport protects it again (srtp_sess allows the repeat). */
void pc_tx_resend(struct pc *pc, uint32_t ssrc, const uint16_t *seqs, size_t n)
{
    for (int k = 0; k < 2; k++) {
        struct pc_tx *tx = &pc->tx[k];
        if (!tx->on || tx->ssrc != ssrc)
            continue;
        tx->st.nacks_received++;
        for (size_t i = 0; i < n; i++) {
            const uint8_t *p;
            size_t len;
            if (rtp_history_resend(tx->hist, seqs[i], pc_now_us(), RESEND_GAP_US, &p, &len) != 0)
                continue;
            if (transport_send_rtp(pc->tr, p, len) == 0)
                tx->st.retransmitted++;
        }
    }
}
