#include "tests/bench/lib/fanout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/rtp_hdr.h"
#include "media/core/vp8_pack.h"
#include "media/endpoint/pc_sdp.h"
#include "media/io/dtls_role.h"
#include "media/io/transport.h"
#include "tests/bench/lib/sfu_proc.h"

#define MAX_SUBS 40
#define FRAME_BYTES 6250 /* 30 frames/s: 1.5 Mbps */
#define MAX_SAMPLES 400000

struct party {
    struct bench *b;
    char id[16];
    bool publisher;
    struct transport *t;
    enum transport_state state;
    char cands[8][256];
    int ncands;
    uint64_t received;
};

struct bench {
    GMainContext *ctx;
    struct sfu_proc *sfu;
    struct dtls_cert *cert;
    struct party pub, subs[MAX_SUBS];
    int n;
    int64_t sent_at[65536]; /* video seq -> send time */
    double *lat_us;
    size_t nlat;
    bool measuring;
    struct vp8_pack pack;
    uint8_t frame[FRAME_BYTES];
};

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    (void)reason;
    ((struct party *)arg)->state = s;
}

static void on_candidate(void *arg, const char *line)
{
    struct party *p = arg;
    if (p->ncands < 8)
        snprintf(p->cands[p->ncands++], sizeof p->cands[0], "%s", line);
}

static void on_rtp(void *arg, uint8_t *pkt, size_t n)
{
    struct party *p = arg;
    struct bench *b = p->b;
    struct rtp_hdr h;
    if (rtp_hdr_parse(&h, pkt, n) != 0)
        return;
    p->received++;
    int64_t sent = b->sent_at[h.seq];
    if (b->measuring && h.pt == 96 && sent && b->nlat < MAX_SAMPLES)
        b->lat_us[b->nlat++] = (double)(g_get_monotonic_time() - sent);
}

static void on_rtcp(void *arg, uint8_t *pkt, size_t n)
{
    (void)arg;
    (void)pkt;
    (void)n;
}

static int open_party(struct bench *b, struct party *p, const char *id, bool publisher)
{
    static const char *const addrs[] = {"127.0.0.1"};
    memset(p, 0, sizeof *p);
    p->b = b;
    p->publisher = publisher;
    snprintf(p->id, sizeof p->id, "%s", id);
    struct transport_config cfg = {.trickle = true, .addrs = addrs, .n_addrs = 1, .cert = b->cert};
    struct transport_callbacks cb = {on_state, on_candidate, NULL, on_rtp, on_rtcp, p};
    if (transport_new(&p->t, b->ctx, &cfg, &cb) != 0 || transport_gather(p->t) != 0)
        return -1;
    json_t *r = sfu_proc_request(b->sfu, "participant_add",
                                 json_pack("{s:s, s:s, s:s, s:s}", "room", "bench", "participant",
                                           id, "name", id, "role", "participant"));
    int ok = r && json_is_true(json_object_get(r, "ok"));
    json_decref(r);
    return ok ? 0 : -1;
}

/* Local description of a party: send (publisher) or receive both kinds. */
static void local_desc(struct bench *b, struct party *p, struct pc_sdp_local *l, const char **cands)
{
    memset(l, 0, sizeof *l);
    l->sess_id = 1;
    l->sess_version = 1;
    l->ufrag = transport_local_ufrag(p->t);
    l->pwd = transport_local_pwd(p->t);
    l->fingerprint = dtls_cert_fp_text(b->cert);
    l->cname = p->id;
    static const char *const mids[2] = {"0", "1"};
    for (int k = 0; k < 2; k++) {
        l->track[k].send = p->publisher;
        l->track[k].recv = !p->publisher;
        l->track[k].mid = mids[k];
        l->track[k].pt = k ? 96 : 111;
        l->track[k].channels = 2;
        l->track[k].ssrc = 1000 + (uint32_t)k;
    }
    for (int i = 0; i < p->ncands; i++)
        cands[i] = p->cands[i];
    l->cands = cands;
    l->ncands = (size_t)p->ncands;
}

static int set_remote(struct party *p, const char *sdp)
{
    struct pc_sdp_remote *r = g_new0(struct pc_sdp_remote, 1);
    char err[128];
    enum dtls_role_setup rs;
    enum dtls_role role;
    const char *setup;
    int rc = pc_sdp_read(sdp, strlen(sdp), r, err, sizeof err);
    if (!rc) {
        setup = sdp_setup_name(r->setup);
        rc = dtls_role_parse_setup(setup, strlen(setup), &rs);
    }
    if (!rc)
        rc = dtls_role_from_remote(rs, &role);
    struct transport_remote tr = {r->ufrag, r->pwd, r->fingerprint, role};
    if (!rc)
        rc = transport_set_remote(p->t, &tr);
    for (size_t i = 0; !rc && i < r->ncands; i++)
        if (transport_add_remote_candidate(p->t, r->cands[i]) != 0)
            rc = -1;
    g_free(r);
    return rc;
}

static int publish(struct bench *b)
{
    struct pc_sdp_local l;
    const char *cands[8];
    local_desc(b, &b->pub, &l, cands);
    l.setup = SDP_SETUP_ACTPASS;
    char *offer = g_malloc(16384);
    int rc = pc_sdp_write(&l, NULL, offer, 16384);
    json_t *r = rc ? NULL
                   : sfu_proc_request(b->sfu, "publish",
                                      json_pack("{s:s, s:s}", "participant", "pub", "sdp", offer));
    const char *answer = json_string_value(json_object_get(r, "sdp"));
    rc = answer ? set_remote(&b->pub, answer) : -1;
    json_decref(r);
    g_free(offer);
    return rc;
}

/* A subscribe offer for party p: answer it. */
static void answer_offer(struct bench *b, struct party *p, const char *sdp)
{
    struct pc_sdp_remote *r = g_new0(struct pc_sdp_remote, 1);
    char err[128];
    char *answer = g_malloc(16384);
    const char *cands[8];
    struct pc_sdp_local l;
    if (pc_sdp_read(sdp, strlen(sdp), r, err, sizeof err) != 0)
        fprintf(stderr, "bench: %s: subscribe offer refused: %s\n", p->id, err);
    else if (set_remote(p, sdp) != 0)
        fprintf(stderr, "bench: %s: transport refused the offer\n", p->id);
    else {
        local_desc(b, p, &l, cands);
        l.setup = SDP_SETUP_PASSIVE; /* we are the DTLS server: the sfu offered actpass */
        if (pc_sdp_write(&l, r, answer, 16384) == 0)
            json_decref(
                sfu_proc_request(b->sfu, "subscribe_answer",
                                 json_pack("{s:s, s:s}", "participant", p->id, "sdp", answer)));
    }
    g_free(answer);
    g_free(r);
}

static struct party *party_by_id(struct bench *b, const char *id)
{
    if (id && strcmp(id, "pub") == 0)
        return &b->pub;
    for (int i = 0; id && i < b->n; i++)
        if (strcmp(b->subs[i].id, id) == 0)
            return &b->subs[i];
    return NULL;
}

static void on_event(void *arg, json_t *e)
{
    struct bench *b = arg;
    const char *ev = json_string_value(json_object_get(e, "event"));
    struct party *p = party_by_id(b, json_string_value(json_object_get(e, "participant")));
    if (!ev || !p)
        return;
    if (strcmp(ev, "subscribe_offer") == 0 && !p->publisher && p->state == TRANSPORT_STATE_NEW)
        answer_offer(b, p, json_string_value(json_object_get(e, "sdp")));
    else if (strcmp(ev, "candidate") == 0) {
        const char *c = json_string_value(json_object_get(e, "candidate"));
        if (c && *c && transport_add_remote_candidate(p->t, c) != 0)
            fprintf(stderr, "bench: candidate refused: %s\n", c);
    }
}

/* One 33 ms tick: a VP8 key frame in ~6 packets. */
static gboolean send_tick(gpointer data)
{
    struct bench *b = data;
    int64_t now = g_get_monotonic_time();
    uint32_t buf[400];
    uint8_t *pkt = (uint8_t *)buf;
    struct vp8_pack_frame f = {b->frame, sizeof b->frame, now, false, 0, false};
    struct vp8_pack_pkt pp;
    if (vp8_pack_start(&b->pack, &f) == 0)
        while (vp8_pack_poll_payload(&b->pack, pkt + 12, 1188, &pp) == 1) {
            struct rtp_hdr h = {
                .marker = pp.marker, .pt = 96, .seq = pp.seq, .ts = pp.ts, .ssrc = 1001};
            size_t hl;
            if (rtp_hdr_write(&h, pkt, 12, &hl) != 0)
                continue;
            b->sent_at[pp.seq] = g_get_monotonic_time();
            if (transport_send_rtp(b->pub.t, pkt, 12 + pp.len) != 0)
                b->sent_at[pp.seq] = 0;
        }
    return G_SOURCE_CONTINUE;
}

static bool all_connected(struct bench *b)
{
    if (b->pub.state != TRANSPORT_STATE_CONNECTED)
        return false;
    for (int i = 0; i < b->n; i++)
        if (b->subs[i].state != TRANSPORT_STATE_CONNECTED || !b->subs[i].received)
            return false;
    return true;
}

static void run_until(struct bench *b, int64_t until, bool (*cond)(struct bench *))
{
    while (g_get_monotonic_time() < until && !(cond && cond(b))) {
        sfu_proc_poll(b->sfu);
        g_main_context_iteration(b->ctx, FALSE);
        g_usleep(100);
    }
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, c = *(const double *)y;
    return a < c ? -1 : a > c;
}

static int setup(struct bench *b, int n, char *err, size_t errlen)
{
    static int port_base = 50000;
    port_base += 200;
    b->sfu = sfu_proc_start(b->ctx, port_base, on_event, b);
    if (!b->sfu || dtls_cert_create(&b->cert) != 0) {
        snprintf(err, errlen, "cannot start build/bin/sfu");
        return -1;
    }
    json_decref(sfu_proc_request(b->sfu, "room_open", json_pack("{s:s}", "room", "bench")));
    if (open_party(b, &b->pub, "pub", true) != 0 || publish(b) != 0) {
        snprintf(err, errlen, "publish failed");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "sub%d", i);
        b->n = i + 1; /* its offer comes during the subscribe request */
        if (open_party(b, &b->subs[i], id, false) != 0) {
            snprintf(err, errlen, "participant_add %s failed", id);
            return -1;
        }
        json_decref(sfu_proc_request(b->sfu, "subscribe", json_pack("{s:s}", "participant", id)));
    }
    struct vp8_pack_cfg pc = {.mtu = 1188, .first_seq = 1, .first_ts = 1, .picture_id = 1};
    memset(b->frame, 0x5a, sizeof b->frame);
    b->frame[0] = 0x10; /* P bit 0: every frame a key frame */
    return vp8_pack_init(&b->pack, &pc);
}

static void teardown(struct bench *b)
{
    transport_destroy(b->pub.t);
    for (int i = 0; i < b->n; i++)
        transport_destroy(b->subs[i].t);
    sfu_proc_stop(b->sfu);
    dtls_cert_free(b->cert);
    while (g_main_context_iteration(b->ctx, FALSE))
        ;
    g_main_context_unref(b->ctx);
    free(b->lat_us);
    free(b);
}

int fanout_run(int n, int seconds, struct fanout_result *out)
{
    memset(out, 0, sizeof *out);
    struct bench *b = calloc(1, sizeof *b);
    b->ctx = g_main_context_new();
    b->lat_us = malloc(sizeof(double) * MAX_SAMPLES);
    int rc = setup(b, n, out->error, sizeof out->error);
    GSource *tick = g_timeout_source_new(33);
    g_source_set_callback(tick, send_tick, b, NULL);
    g_source_attach(tick, b->ctx);
    if (!rc) {
        run_until(b, g_get_monotonic_time() + 20000000, all_connected);
        if (!all_connected(b)) {
            int conn = 0, rx = 0;
            for (int i = 0; i < n; i++) {
                conn += b->subs[i].state == TRANSPORT_STATE_CONNECTED;
                rx += b->subs[i].received > 0;
            }
            snprintf(out->error, sizeof out->error,
                     "after 20 s: publisher %s, %d/%d subscribers connected, %d receiving",
                     transport_state_name(b->pub.state), conn, n, rx);
            rc = -1;
        }
    }
    if (!rc) {
        uint64_t rx0 = 0, rx1 = 0;
        for (int i = 0; i < n; i++)
            rx0 += b->subs[i].received;
        double cpu0 = sfu_proc_cpu_s(b->sfu);
        int64_t t0 = g_get_monotonic_time();
        b->measuring = true;
        run_until(b, t0 + (int64_t)seconds * 1000000, NULL);
        b->measuring = false;
        double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
        double cpu = sfu_proc_cpu_s(b->sfu) - cpu0;
        for (int i = 0; i < n; i++)
            rx1 += b->subs[i].received;
        out->fwd_pps = (double)(rx1 - rx0) / secs;
        out->sfu_ns_per_pkt = rx1 > rx0 ? cpu * 1e9 / (double)(rx1 - rx0) : NAN;
        out->rss_kib_per_participant = (double)sfu_proc_rss_kib(b->sfu) / (n + 1);
        qsort(b->lat_us, b->nlat, sizeof(double), cmp_double);
        out->p50_ms = b->nlat ? b->lat_us[b->nlat / 2] / 1000.0 : NAN;
        out->p99_ms = b->nlat ? b->lat_us[b->nlat * 99 / 100] / 1000.0 : NAN;
    }
    g_source_destroy(tick);
    g_source_unref(tick);
    teardown(b);
    return rc;
}
