/* peer life cycle and its two transports. */
#include "sfu/peer.h"
#include "sfu/peer_twcc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "media/core/mem.h"
#include "sfu/room.h"
#include "sfu/sfu.h"

static const char *pc_name(struct peer *p, const struct transport_ctx *c)
{
    (void)p;
    return c->publish ? "publish" : "subscribe";
}

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    struct transport_ctx *c = arg;
    struct peer *p = c->peer;
    if (c->publish)
        p->pub_state = s;
    else
        p->sub_state = s;
    sfu_post_event(room_sfu(p->room), json_pack("{s:s, s:s, s:s, s:s, s:s}", "event", "transport",
                                                "participant", p->id, "pc", pc_name(p, c), "state",
                                                transport_state_name(s), "reason", reason));
    if (s == TRANSPORT_STATE_CONNECTED && !c->publish)
        room_for_each_peer(p->room, peer_key_frame_for, p);
}

static void on_candidate(void *arg, const char *line)
{
    struct transport_ctx *c = arg;
    struct peer *p = c->peer;
    const char *cand = strncmp(line, "a=", 2) == 0 ? line + 2 : line;
    if (c->ncands < PEER_MAX_CANDS)
        snprintf(c->cands[c->ncands++], sizeof c->cands[0], "%s", line);
    /* Before our description goes out, candidates travel in it: a trickled
     * one would reach the client before the SDP it belongs to. */
    if (!c->described)
        return;
    sfu_post_event(room_sfu(p->room),
                   json_pack("{s:s, s:s, s:s, s:s}", "event", "candidate", "participant", p->id,
                             "pc", pc_name(p, c), "candidate", cand));
}

static void on_gathered(void *arg)
{
    struct transport_ctx *c = arg;
    struct peer *p = c->peer;
    if (!c->described)
        return;
    sfu_post_event(room_sfu(p->room),
                   json_pack("{s:s, s:s, s:s, s:s}", "event", "candidate", "participant", p->id,
                             "pc", pc_name(p, c), "candidate", ""));
}

static void on_rtp(void *arg, uint8_t *pkt, size_t len)
{
    struct transport_ctx *c = arg;
    if (c->publish)
        peer_pub_rtp(c->peer, pkt, len);
}

static void on_rtcp(void *arg, uint8_t *pkt, size_t len)
{
    struct transport_ctx *c = arg;
    if (c->publish)
        peer_pub_rtcp(c->peer, pkt, len);
    else
        peer_sub_rtcp(c->peer, pkt, len);
}

int peer_open_transport(struct peer *p, bool publish, struct transport **out)
{
    const struct sfu_options *o = sfu_options(room_sfu(p->room));
    struct transport_ctx *c = publish ? &p->pub_ctx : &p->sub_ctx;
    c->peer = p;
    c->publish = publish;
    c->ncands = 0;
    c->described = false;
    struct transport_config cfg = {
        .lite = true,
        .trickle = true,
        .addrs = o->addrs,
        .n_addrs = o->n_addrs,
        .port_min = o->port_min,
        .port_max = o->port_max,
        .consent_timeout_ms = PEER_CONSENT_TIMEOUT_MS,
        .cert = sfu_cert(room_sfu(p->room)),
    };
    struct transport_callbacks cb = {on_state, on_candidate, on_gathered, on_rtp, on_rtcp, c};
    int err = transport_new(out, room_context(p->room), &cfg, &cb);
    if (!err)
        err = transport_gather(*out);
    if (err) {
        transport_destroy(*out);
        *out = NULL;
    }
    return err;
}

struct peer *peer_new(struct room *r, const char *id, const char *name, const char *role)
{
    struct peer *p = mem_zalloc(sizeof *p);
    if (!p)
        return NULL;
    p->room = r;
    snprintf(p->id, sizeof p->id, "%s", id);
    snprintf(p->name, sizeof p->name, "%s", name ? name : "");
    snprintf(p->role, sizeof p->role, "%s", role ? role : "");
    p->rtcp_ssrc = g_random_int() | 1u;
    p->joined_us = g_get_monotonic_time();
    rtp_rtt_init(&p->sub_rtt);
    sub_sdp_init(&p->sdp);
    return p;
}

void peer_free(struct peer *p)
{
    if (!p)
        return;
    transport_destroy(p->pub);
    transport_destroy(p->sub);
    for (int k = 0; k < 2; k++) {
        rtp_history_destroy(p->in[k].hist);
        nack_gen_destroy(p->in[k].ng);
    }
    peer_twcc_free(p);
    mem_free(p);
}

int peer_candidate(struct peer *p, bool publish, const char *candidate)
{
    struct transport *t = publish ? p->pub : p->sub;
    if (!t)
        return -ENOTCONN;
    return transport_add_remote_candidate(t, candidate);
}
