/* opus_pack — Opus packetizer, RFC 7587 §4. */
#include "media/core/opus_pack.h"

#include <errno.h>
#include <string.h>

#include "media/core/opus_toc.h"

void opus_pack_init(struct opus_pack *p, const struct opus_pack_cfg *cfg)
{
    memset(p, 0, sizeof(*p));
    p->cfg = *cfg;
    p->seq = cfg->first_seq;
    p->ts = cfg->first_ts;
    p->silent = true; /* the first packet starts a talkspurt */
}

int opus_pack_frame(struct opus_pack *p, const uint8_t *payload, size_t n,
                    struct opus_pack_pkt *pkt)
{
    struct opus_toc toc;
    if (!p || !payload || !pkt)
        return -EINVAL;
    int rc = opus_toc_parse(payload, n, &toc);
    if (rc < 0)
        return rc;
    bool dtx = opus_toc_is_dtx(payload, n);
    uint32_t ts = p->ts;
    /* RFC 7587 §4.1: the timestamp counts 48 kHz samples whatever the
     * encoder's internal rate. */
    p->ts += toc.duration_samples;
    if (dtx && !p->cfg.send_dtx) {
        p->silent = true;
        return 0;
    }
    memset(pkt, 0, sizeof(*pkt));
    pkt->seq = p->seq++;
    pkt->ts = ts;
    pkt->dtx = dtx;
    pkt->marker = !dtx && p->silent;
    p->silent = dtx;
    return 1;
}

int opus_pack_skip(struct opus_pack *p, uint32_t samples)
{
    if (!p || samples == 0 || samples > OPUS_TOC_MAX_PACKET_SAMPLES)
        return -EINVAL;
    p->ts += samples;
    p->silent = true;
    return 0;
}
