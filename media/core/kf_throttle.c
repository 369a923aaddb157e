/* kf_throttle — one key-frame request per interval (policy in the header). */
#include "media/core/kf_throttle.h"

#include <errno.h>
#include <string.h>

int kf_throttle_init(struct kf_throttle *t, const struct kf_throttle_cfg *cfg)
{
    if (!t || (cfg && cfg->interval_us < 0))
        return -EINVAL;
    memset(t, 0, sizeof *t);
    if (cfg)
        t->cfg = *cfg;
    if (t->cfg.interval_us == 0)
        t->cfg.interval_us = KF_THROTTLE_DEFAULT_INTERVAL_US;
    return 0;
}

void kf_throttle_request(struct kf_throttle *t, int64_t now_us)
{
    t->stats.requests++;
    if (t->held++ == 0)
        t->held_since_us = now_us;
}

void kf_throttle_on_key_frame(struct kf_throttle *t, int64_t now_us)
{
    (void)now_us;
    t->stats.answered += t->held;
    t->held = 0;
    t->outstanding = false;
}

int64_t kf_throttle_poll_timeout(const struct kf_throttle *t)
{
    if (t->held) {
        if (!t->ever_sent)
            return t->held_since_us;
        int64_t end = t->last_sent_us + t->cfg.interval_us;
        return end > t->held_since_us ? end : t->held_since_us;
    }
    if (t->outstanding && t->repeats_left > 0)
        return t->last_sent_us + t->cfg.interval_us;
    return INT64_MAX;
}

bool kf_throttle_poll(struct kf_throttle *t, int64_t now_us, uint8_t *fir_seq)
{
    if (kf_throttle_poll_timeout(t) > now_us)
        return false;
    if (t->held) {
        t->fir_seq = t->fir_next++;
        t->repeats_left = t->cfg.max_repeats;
        t->stats.coalesced += t->held - 1;
        t->held = 0;
    } else {
        t->repeats_left--;
        t->stats.repeats++;
    }
    t->outstanding = true;
    t->ever_sent = true;
    t->last_sent_us = now_us;
    t->stats.sent++;
    if (fir_seq)
        *fir_seq = t->fir_seq;
    return true;
}
