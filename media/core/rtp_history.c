/* rtp_history — packets sent on one SSRC, kept for retransmission. */
#include "media/core/rtp_history.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "media/core/mem.h"

#define DEFAULT_SLOTS 1024
#define DEFAULT_MAX_PKT 1500
#define DEFAULT_MAX_AGE_US 1000000

struct slot {
    int64_t sent_us;
    int64_t resent_us;
    uint16_t seq;
    uint16_t len; /* 0: empty */
    bool resent;
};

struct rtp_history {
    struct rtp_history_cfg cfg;
    struct slot *slots;
    uint8_t *pool; /* slots * max_pkt bytes */
    struct rtp_history_stats stats;
};

static int check_cfg(const struct rtp_history_cfg *in, struct rtp_history_cfg *c)
{
    static const struct rtp_history_cfg none;
    *c = in ? *in : none;
    if (c->slots == 0)
        c->slots = DEFAULT_SLOTS;
    if (c->max_pkt == 0)
        c->max_pkt = DEFAULT_MAX_PKT;
    if (c->max_age_us == 0)
        c->max_age_us = DEFAULT_MAX_AGE_US;
    if (c->slots < 16 || c->slots > 32768 || (c->slots & (c->slots - 1)))
        return -EINVAL;
    if (c->max_pkt > 65535 || c->max_age_us < 0)
        return -EINVAL;
    return 0;
}

int rtp_history_create(const struct rtp_history_cfg *cfg, struct rtp_history **out)
{
    struct rtp_history_cfg c;
    if (!out)
        return -EINVAL;
    *out = NULL;
    int rc = check_cfg(cfg, &c);
    if (rc < 0)
        return rc;
    struct rtp_history *h = mem_zalloc(sizeof *h);
    if (!h)
        return -ENOMEM;
    h->cfg = c;
    h->slots = mem_zalloc(c.slots * sizeof h->slots[0]);
    h->pool = mem_alloc(c.slots * c.max_pkt);
    if (!h->slots || !h->pool) {
        rtp_history_destroy(h);
        return -ENOMEM;
    }
    *out = h;
    return 0;
}

void rtp_history_destroy(struct rtp_history *h)
{
    if (!h)
        return;
    mem_free(h->slots);
    mem_free(h->pool);
    mem_free(h);
}

static size_t index_of(const struct rtp_history *h, uint16_t seq)
{
    return seq & (h->cfg.slots - 1);
}

int rtp_history_put(struct rtp_history *h, uint16_t seq, const uint8_t *pkt, size_t len,
                    int64_t now_us)
{
    if (!h || !pkt || len == 0)
        return -EINVAL;
    if (len > h->cfg.max_pkt) {
        h->stats.too_big++;
        return -ENOSPC;
    }
    size_t i = index_of(h, seq);
    struct slot *s = &h->slots[i];
    memcpy(h->pool + i * h->cfg.max_pkt, pkt, len);
    s->seq = seq;
    s->len = (uint16_t)len;
    s->sent_us = now_us;
    s->resent = false;
    h->stats.stored++;
    return 0;
}

/* The slot holding seq at now_us, or NULL (counted as a miss). */
static struct slot *lookup(struct rtp_history *h, uint16_t seq, int64_t now_us)
{
    struct slot *s = &h->slots[index_of(h, seq)];
    if (s->len == 0 || s->seq != seq || now_us - s->sent_us > h->cfg.max_age_us) {
        h->stats.misses++;
        return NULL;
    }
    return s;
}

static void hand_out(const struct rtp_history *h, const struct slot *s, const uint8_t **pkt,
                     size_t *len)
{
    *pkt = h->pool + (size_t)(s - h->slots) * h->cfg.max_pkt;
    *len = s->len;
}

int rtp_history_get(struct rtp_history *h, uint16_t seq, int64_t now_us, const uint8_t **pkt,
                    size_t *len)
{
    if (!h || !pkt || !len)
        return -EINVAL;
    struct slot *s = lookup(h, seq, now_us);
    if (!s)
        return -ENOENT;
    h->stats.hits++;
    hand_out(h, s, pkt, len);
    return 0;
}

int rtp_history_resend(struct rtp_history *h, uint16_t seq, int64_t now_us, int64_t min_gap_us,
                       const uint8_t **pkt, size_t *len)
{
    if (!h || !pkt || !len)
        return -EINVAL;
    struct slot *s = lookup(h, seq, now_us);
    if (!s)
        return -ENOENT;
    if (s->resent && now_us - s->resent_us < min_gap_us) {
        h->stats.throttled++;
        return -EALREADY;
    }
    s->resent = true;
    s->resent_us = now_us;
    h->stats.hits++;
    hand_out(h, s, pkt, len);
    return 0;
}

void rtp_history_get_stats(const struct rtp_history *h, struct rtp_history_stats *out)
{
    *out = h->stats;
}
