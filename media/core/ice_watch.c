#include "media/core/ice_watch.h"

void ice_watch_init(struct ice_watch *w, int64_t connect_timeout_us, int64_t consent_timeout_us)
{
    int64_t tick = consent_timeout_us / 4;
    if (tick > ICE_WATCH_MAX_TICK_US)
        tick = ICE_WATCH_MAX_TICK_US;
    if (tick < 1)
        tick = 1;
    *w = (struct ice_watch){
        .connect_timeout_us = connect_timeout_us,
        .consent_timeout_us = consent_timeout_us,
        .tick_us = tick,
        .phase = ICE_WATCH_IDLE,
    };
}

void ice_watch_start(struct ice_watch *w, int64_t now_us)
{
    if (w->phase != ICE_WATCH_IDLE)
        return;
    w->phase = ICE_WATCH_CHECKING;
    w->deadline_us = w->connect_timeout_us > 0 ? now_us + w->connect_timeout_us : INT64_MAX;
}

void ice_watch_connected(struct ice_watch *w, int64_t now_us)
{
    if (w->phase == ICE_WATCH_DONE)
        return;
    if (w->phase == ICE_WATCH_ALIVE) {
        ice_watch_handle_rx(w, now_us);
        return;
    }
    w->phase = ICE_WATCH_ALIVE;
    w->last_rx_us = now_us;
    w->next_tick_us = now_us + w->tick_us;
}

void ice_watch_handle_rx(struct ice_watch *w, int64_t now_us)
{
    if (w->phase == ICE_WATCH_ALIVE && now_us > w->last_rx_us)
        w->last_rx_us = now_us;
}

static enum ice_watch_verdict alive_timeout(struct ice_watch *w, int64_t now_us)
{
    int64_t quiet = now_us - w->last_rx_us;
    if (w->consent_timeout_us > 0 && quiet >= w->consent_timeout_us) {
        w->phase = ICE_WATCH_DONE;
        return ICE_WATCH_GONE;
    }
    if (now_us < w->next_tick_us)
        return ICE_WATCH_OK;
    w->next_tick_us = now_us + w->tick_us;
    return w->consent_timeout_us > 0 && quiet >= w->tick_us ? ICE_WATCH_PROBE : ICE_WATCH_OK;
}

enum ice_watch_verdict ice_watch_handle_timeout(struct ice_watch *w, int64_t now_us)
{
    switch (w->phase) {
    case ICE_WATCH_CHECKING:
        if (now_us < w->deadline_us)
            return ICE_WATCH_OK;
        w->phase = ICE_WATCH_DONE;
        return ICE_WATCH_CONNECT_FAILED;
    case ICE_WATCH_ALIVE:
        return alive_timeout(w, now_us);
    case ICE_WATCH_IDLE:
    case ICE_WATCH_DONE:
        break;
    }
    return ICE_WATCH_OK;
}

int64_t ice_watch_poll_timeout(const struct ice_watch *w)
{
    if (w->phase == ICE_WATCH_CHECKING)
        return w->deadline_us;
    if (w->phase != ICE_WATCH_ALIVE || w->consent_timeout_us <= 0)
        return INT64_MAX;
    int64_t gone = w->last_rx_us + w->consent_timeout_us;
    return w->next_tick_us < gone ? w->next_tick_us : gone;
}

void ice_watch_stop(struct ice_watch *w)
{
    w->phase = ICE_WATCH_DONE;
}
