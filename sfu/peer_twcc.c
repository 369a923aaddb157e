#include "sfu/peer_twcc.h"

#include <errno.h>

#include "media/core/mem.h"
#include "media/core/rtp_ext.h"
#include "media/core/twcc_rx.h"
#include "media/endpoint/pc_sdp.h"
#include "sfu/peer.h"

/* The id the answer echoes (pc_sdp_write: the offer's, in every section
 * that has the extension and the feedback; BUNDLE makes it one id). */
static int answered_id(const struct pc_sdp_remote *r)
{
    for (size_t i = 0; i < r->nsections; i++) {
        const struct pc_sdp_section *s = &r->sections[i];
        if (s->kind >= 0 && s->tr.twcc_fb && s->tr.twcc_ext)
            return s->tr.twcc_ext;
    }
    return 0;
}

int peer_twcc_start(struct peer *p, const struct pc_sdp_remote *r)
{
    int id = answered_id(r);
    if (!id)
        return 0;
    p->twcc = mem_alloc(sizeof *p->twcc);
    if (!p->twcc)
        return -ENOMEM;
    twcc_rx_init(p->twcc);
    p->twcc_ext = (uint8_t)id;
    return 0;
}

void peer_twcc_on_rtp(struct peer *p, const struct rtp_hdr *h, int64_t now_us)
{
    uint16_t seq;
    if (p->twcc && rtp_ext_twcc(h, p->twcc_ext, &seq) == 0)
        twcc_rx_on_packet(p->twcc, seq, now_us);
}

void peer_twcc_tick(struct peer *p, int64_t now_us)
{
    if (!p->twcc || now_us - p->twcc_sent_us < PEER_TWCC_INTERVAL_US)
        return;
    p->twcc_sent_us = now_us;
    /* Any of the publisher's SSRCs: the feedback is about the transport. */
    uint32_t media = p->in[PEER_VIDEO].have_ssrc ? p->in[PEER_VIDEO].ssrc : p->in[PEER_AUDIO].ssrc;
    uint8_t buf[1200];
    size_t n;
    for (int i = 0; i < 8 && twcc_rx_poll(p->twcc, p->rtcp_ssrc, media, buf, sizeof buf, &n) == 1;
         i++)
        peer_send_pub_rtcp(p, buf, n);
}

void peer_twcc_free(struct peer *p)
{
    mem_free(p->twcc);
    p->twcc = NULL;
}
