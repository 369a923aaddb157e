#include "media/core/rtcp_nack.h"

#include <errno.h>

#include "media/core/rtcp_hdr.h"

int rtcp_nack_parse(struct rtcp_nack *n, const uint8_t *buf, size_t len)
{
    struct rtcp_hdr h;
    if (!n)
        return -EINVAL;
    int rc = rtcp_hdr_parse(&h, buf, len);
    if (rc < 0)
        return rc;
    if (h.pt != RTCP_PT_RTPFB || h.count != RTCP_RTPFB_NACK)
        return -EINVAL;
    /* §6.2.1: the FCI holds one or more whole entries. */
    if (h.body_len < 8 + 4 || h.body_len % 4 != 0)
        return -EBADMSG;
    size_t pairs = (h.body_len - 8) / 4;
    if (pairs > RTCP_NACK_MAX_PAIRS)
        return -ENOSPC;
    n->sender_ssrc = rtcp_get32(h.body);
    n->media_ssrc = rtcp_get32(h.body + 4);
    n->n_pairs = pairs;
    for (size_t i = 0; i < pairs; i++) {
        n->pairs[i].pid = rtcp_get16(h.body + 8 + 4 * i);
        n->pairs[i].blp = rtcp_get16(h.body + 10 + 4 * i);
    }
    return 0;
}

int rtcp_nack_write(const struct rtcp_nack *n, uint8_t *out, size_t cap, size_t *written)
{
    if (!n || !written || n->n_pairs == 0 || n->n_pairs > RTCP_NACK_MAX_PAIRS)
        return -EINVAL;
    size_t size = RTCP_FB_HDR_LEN + 4 * n->n_pairs;
    if (!out || cap < size)
        return -ENOSPC;
    size_t w;
    int rc = rtcp_hdr_write(RTCP_PT_RTPFB, RTCP_RTPFB_NACK, size, out, cap, &w);
    if (rc < 0)
        return rc;
    rtcp_put32(out + 4, n->sender_ssrc);
    rtcp_put32(out + 8, n->media_ssrc);
    for (size_t i = 0; i < n->n_pairs; i++) {
        rtcp_put16(out + 12 + 4 * i, n->pairs[i].pid);
        rtcp_put16(out + 14 + 4 * i, n->pairs[i].blp);
    }
    *written = size;
    return 0;
}

int rtcp_nack_to_seqs(const struct rtcp_nack *n, uint16_t *seqs, size_t cap, size_t *count)
{
    if (!n || !count || n->n_pairs > RTCP_NACK_MAX_PAIRS || (!seqs && cap))
        return -EINVAL;
    size_t k = 0;
    for (size_t i = 0; i < n->n_pairs; i++) {
        uint16_t pid = n->pairs[i].pid;
        if (k == cap)
            return -ENOSPC;
        seqs[k++] = pid;
        for (unsigned b = 0; b < 16; b++) {
            if (!(n->pairs[i].blp & (1u << b)))
                continue;
            if (k == cap)
                return -ENOSPC;
            seqs[k++] = (uint16_t)(pid + b + 1);
        }
    }
    *count = k;
    return 0;
}

int rtcp_nack_from_seqs(struct rtcp_nack *n, const uint16_t *seqs, size_t count)
{
    if (!n || !seqs || count == 0)
        return -EINVAL;
    n->n_pairs = 0;
    size_t np = 0;
    for (size_t i = 0; i < count; i++) {
        if (i > 0) {
            int16_t step = (int16_t)(uint16_t)(seqs[i] - seqs[i - 1]);
            if (step == 0)
                continue; /* duplicate */
            if (step < 0)
                return -EINVAL;
        }
        uint16_t d = np ? (uint16_t)(seqs[i] - n->pairs[np - 1].pid) : 0;
        if (np && d >= 1 && d <= 16) {
            n->pairs[np - 1].blp |= (uint16_t)(1u << (d - 1));
            continue;
        }
        if (np == RTCP_NACK_MAX_PAIRS)
            return -ENOSPC;
        n->pairs[np].pid = seqs[i];
        n->pairs[np].blp = 0;
        np++;
    }
    n->n_pairs = np;
    return 0;
}
