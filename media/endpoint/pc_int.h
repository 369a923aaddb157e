/* pc_int — the parts of a struct pc that pc.c, pc_send.c, pc_recv.c and
 * pc_rtcp.c share. Not for users of the endpoint library. */
#ifndef CAU_PC_INT_H
#define CAU_PC_INT_H

#include "media/codec/opus_dec.h"
#include "media/codec/opus_enc.h"
#include "media/codec/vp8_dec.h"
#include "media/codec/vp8_enc.h"
#include "media/core/i420.h"
#include "media/core/media_sink.h"
#include "media/core/opus_pack.h"
#include "media/core/rtp_history.h"
#include "media/core/rtp_rx_stats.h"
#include "media/core/testsrc_audio.h"
#include "media/core/vp8_depack.h"
#include "media/core/vp8_pack.h"
#include "media/endpoint/pc.h"
#include "media/endpoint/pc_sdp.h"

#define PC_SDP_MAX 65536
#define PC_FRAME_MAX (512 * 1024)
#define PC_PLI_INTERVAL_US 500000
#define PC_RTCP_INTERVAL_MS 1000
#define PC_NACK_PENDING 256
#define PC_NACK_TRIES 3
#define PC_NACK_RETRY_US 100000 /* resend a NACK after this long */
#define PC_NACK_TICK_MS 20

struct pc_tx {
    bool on;
    int pt;
    uint32_t ssrc;
    uint32_t clock;
    GSource *timer; /* fires at due_us (pc_send.c) */
    int64_t due_us, period_us;
    struct rtp_history *hist;
    uint64_t packets, bytes, octets_sr; /* octets_sr: payload bytes, for SRs */
    uint32_t last_ts;
    int64_t last_ts_at_us;
    /* video */
    struct vp8_enc *venc;
    struct vp8_pack vpack;
    uint8_t *img_buf;
    struct i420 img;
    uint32_t frame_no;
    /* audio */
    struct opus_enc *aenc;
    struct opus_pack apack;
    struct testsrc_audio tone;
    struct pc_stream_stats st;
};

/* One received track: an m= section in which the peer sends and we take
 * its kind. Receivers come and go with the remote descriptions. */
struct pc_rx {
    struct pc *pc;
    int kind; /* PC_AUDIO or PC_VIDEO */
    int pt;
    char mid[PC_SDP_MID_MAX];
    char stream[PC_SDP_STREAM_MAX]; /* the sender's msid stream id */
    uint32_t signaled_ssrc;         /* the section's a=ssrc, 0 when none */
    uint32_t ssrc;                  /* the stream taken (signaled or first seen) */
    bool have_ssrc;
    struct rtp_rx_stats rs;
    /* video */
    struct vp8_depack *depack;
    struct vp8_dec *vdec;
    uint8_t *frame;
    struct media_sink_video vsink;
    int64_t last_pli_us;
    /* sequence numbers NACKed and not yet seen, oldest first */
    struct pc_nack_pending {
        uint16_t seq;
        uint8_t tries;
        int64_t next_us;
    } nack[PC_NACK_PENDING];
    unsigned n_nack;
    GSource *nack_timer;
    /* audio */
    struct opus_dec *adec;
    struct media_sink_audio asink;
    struct pc_stream_stats st;
};

#define PC_MAX_RX PC_SDP_MAX_SECTIONS

struct pc {
    struct pc_config cfg;
    struct pc_callbacks cb;
    struct transport *tr;
    enum transport_state state;
    bool have_remote, offered, answered;
    struct pc_sdp_remote remote;
    enum dtls_role role;
    struct pc_tx tx[2];
    struct pc_rx *rx[PC_MAX_RX]; /* in the order of their m= sections */
    size_t nrx;
    GSource *rtcp_timer;
    uint32_t rtcp_ssrc; /* sender SSRC of our RTCP when we send no media */
    uint64_t reports_sent;
    char cands[PC_SDP_MAX_CANDS][PC_SDP_CAND_MAX];
    size_t ncands;
    char sdp[PC_SDP_MAX];
    char err[160];
};

int64_t pc_now_us(void);
/* pc_send.c */
int pc_tx_setup(struct pc *pc);
void pc_tx_start(struct pc *pc);
void pc_tx_free(struct pc *pc);
void pc_tx_key_frame(struct pc *pc);
void pc_tx_resend(struct pc *pc, uint32_t ssrc, const uint16_t *seqs, size_t n);
/* pc_rx_set.c: receivers from the remote description */
int pc_rx_sync(struct pc *pc);
void pc_rx_free(struct pc *pc);
struct pc_rx *pc_rx_first(const struct pc *pc, int kind);
void pc_rx_fill_stats(const struct pc_rx *rx, struct pc_stream_stats *out, int64_t now);
/* pc_recv.c */
int pc_rx_start(struct pc_rx *rx);
void pc_rx_stop(struct pc_rx *rx);
void pc_rx_packet(struct pc *pc, uint8_t *p, size_t n);
/* pc_rtcp.c */
void pc_rtcp_start(struct pc *pc);
void pc_rtcp_stop(struct pc *pc);
void pc_rtcp_packet(struct pc *pc, const uint8_t *p, size_t n);
void pc_rtcp_send_nack(struct pc *pc, struct pc_rx *rx, const uint16_t *seqs, size_t n);
void pc_rtcp_send_pli(struct pc *pc, struct pc_rx *rx);

#endif
