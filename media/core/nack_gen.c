/* nack_gen — which sequence numbers to NACK, and when (policy in the
 * header). */
#include "media/core/nack_gen.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/core/rtp_seq.h"

#define DEFAULT_WINDOW 1024
#define DEFAULT_RETRIES 10
#define DEFAULT_MIN_INTERVAL_US 20000
#define DEFAULT_RTT_US 100000
#define NO_BAD_SEQ 0x10000u

struct slot {
    int64_t next_us; /* when to NACK (or give up) next */
    uint8_t retries; /* NACKs sent */
    bool missing;
};

struct nack_gen {
    struct nack_gen_cfg cfg;
    int64_t rtt_us;
    struct rtp_seq_unwrapper unwrap;
    bool started;
    int64_t highest; /* extended */
    int64_t oldest;  /* no missing number below it */
    size_t n_missing;
    int64_t deadline; /* no missing number due before it (may be early) */
    uint32_t bad_seq; /* a packet far behind expects this successor */
    bool key_frame;
    struct nack_gen_stats stats;
    struct slot slots[]; /* cfg.window, indexed by ext & (window - 1) */
};

static int check_cfg(const struct nack_gen_cfg *in, struct nack_gen_cfg *c)
{
    static const struct nack_gen_cfg none;
    *c = in ? *in : none;
    if (c->window == 0)
        c->window = DEFAULT_WINDOW;
    if (c->max_retries == 0)
        c->max_retries = DEFAULT_RETRIES;
    if (c->min_interval_us == 0)
        c->min_interval_us = DEFAULT_MIN_INTERVAL_US;
    if (c->initial_rtt_us == 0)
        c->initial_rtt_us = DEFAULT_RTT_US;
    if (c->window < 64 || c->window > 16384 || (c->window & (c->window - 1)))
        return -EINVAL;
    if (c->max_retries > 255 || c->min_interval_us < 0 || c->first_delay_us < 0 ||
        c->initial_rtt_us < 0)
        return -EINVAL;
    return 0;
}

int nack_gen_create(const struct nack_gen_cfg *cfg, struct nack_gen **out)
{
    struct nack_gen_cfg c;
    if (!out)
        return -EINVAL;
    *out = NULL;
    int rc = check_cfg(cfg, &c);
    if (rc < 0)
        return rc;
    struct nack_gen *g = mem_zalloc(sizeof *g + c.window * sizeof g->slots[0]);
    if (!g)
        return -ENOMEM;
    g->cfg = c;
    g->rtt_us = c.initial_rtt_us;
    g->deadline = INT64_MAX;
    g->bad_seq = NO_BAD_SEQ;
    *out = g;
    return 0;
}

void nack_gen_destroy(struct nack_gen *g)
{
    mem_free(g);
}

static struct slot *slot_at(struct nack_gen *g, int64_t ext)
{
    return &g->slots[(uint64_t)ext & (g->cfg.window - 1)];
}

static void give_up(struct nack_gen *g, struct slot *s)
{
    s->missing = false;
    g->n_missing--;
    g->stats.given_up++;
    if (!g->key_frame)
        g->stats.key_frames++;
    g->key_frame = true;
}

/* Start over at ext: what is tracked is given up. */
static void reset(struct nack_gen *g, int64_t ext)
{
    g->stats.resets++;
    g->stats.given_up += g->n_missing;
    if (!g->key_frame)
        g->stats.key_frames++;
    g->key_frame = true;
    memset(g->slots, 0, g->cfg.window * sizeof g->slots[0]);
    g->n_missing = 0;
    g->deadline = INT64_MAX;
    g->highest = ext;
    g->oldest = ext + 1;
    g->bad_seq = NO_BAD_SEQ;
}

static void advance(struct nack_gen *g, int64_t ext, int64_t now_us)
{
    int64_t due = now_us + g->cfg.first_delay_us;
    for (int64_t e = g->highest + 1; e <= ext; e++) {
        struct slot *s = slot_at(g, e);
        if (s->missing)
            give_up(g, s); /* e - window falls out */
        if (e == ext)
            break;
        s->missing = true;
        s->retries = 0;
        s->next_us = due;
        g->n_missing++;
    }
    if (ext > g->highest + 1 && due < g->deadline)
        g->deadline = due;
    g->highest = ext;
    int64_t floor = ext - g->cfg.window + 1;
    if (g->oldest < floor)
        g->oldest = floor;
}

/* A packet more than the window behind: a stray, or a restarted sender
 * when its successor follows. */
static enum nack_gen_verdict far_behind(struct nack_gen *g, uint16_t seq)
{
    if (seq != g->bad_seq) {
        g->bad_seq = (seq + 1u) & 0xffffu;
        return NACK_GEN_OLD;
    }
    rtp_seq_reset(&g->unwrap);
    reset(g, rtp_seq_unwrap(&g->unwrap, seq));
    return NACK_GEN_RESET;
}

enum nack_gen_verdict nack_gen_on_packet(struct nack_gen *g, uint16_t seq, int64_t now_us)
{
    if (!g->started) {
        g->started = true;
        g->highest = rtp_seq_unwrap(&g->unwrap, seq);
        g->oldest = g->highest + 1;
        return NACK_GEN_NEW;
    }
    int64_t ext = rtp_seq_unwrap_peek(&g->unwrap, seq);
    if (ext > g->highest) {
        (void)rtp_seq_unwrap(&g->unwrap, seq);
        g->bad_seq = NO_BAD_SEQ;
        if (ext - g->highest - 1 >= (int64_t)g->cfg.window) {
            reset(g, ext);
            return NACK_GEN_RESET;
        }
        advance(g, ext, now_us);
        return NACK_GEN_NEW;
    }
    if (ext <= g->highest - (int64_t)g->cfg.window)
        return far_behind(g, seq);
    g->bad_seq = NO_BAD_SEQ;
    struct slot *s = slot_at(g, ext);
    if (!s->missing)
        return NACK_GEN_OLD;
    s->missing = false;
    g->n_missing--;
    if (s->retries) {
        g->stats.recovered++;
        return NACK_GEN_RECOVERED;
    }
    g->stats.reordered++;
    return NACK_GEN_REORDERED;
}

void nack_gen_set_rtt(struct nack_gen *g, int64_t rtt_us)
{
    if (rtt_us > 0)
        g->rtt_us = rtt_us;
}

static int64_t retry_interval(const struct nack_gen *g)
{
    int64_t i = g->rtt_us + g->rtt_us / 2;
    return i > g->cfg.min_interval_us ? i : g->cfg.min_interval_us;
}

size_t nack_gen_poll(struct nack_gen *g, int64_t now_us, uint16_t *seqs, size_t cap)
{
    size_t n = 0;
    int64_t next = INT64_MAX;
    int64_t interval = retry_interval(g);
    bool leading = true; /* no missing number seen yet: oldest may move */
    if (!seqs)
        cap = 0;
    for (int64_t e = g->oldest; e <= g->highest && g->n_missing; e++) {
        struct slot *s = slot_at(g, e);
        if (!s->missing) {
            if (leading)
                g->oldest = e + 1;
            continue;
        }
        if (s->next_us <= now_us) {
            if (s->retries >= g->cfg.max_retries) {
                give_up(g, s);
                if (leading)
                    g->oldest = e + 1;
                continue;
            }
            if (n == cap) {
                next = now_us; /* due, no room: poll again */
                leading = false;
                continue;
            }
            seqs[n++] = (uint16_t)e;
            if (s->retries++ == 0)
                g->stats.nacked++;
            g->stats.requested++;
            s->next_us = now_us + interval;
        }
        leading = false;
        if (s->next_us < next)
            next = s->next_us;
    }
    g->deadline = g->n_missing ? next : INT64_MAX;
    return n;
}

int64_t nack_gen_poll_timeout(const struct nack_gen *g)
{
    return g->n_missing ? g->deadline : INT64_MAX;
}

bool nack_gen_poll_key_frame(struct nack_gen *g)
{
    bool k = g->key_frame;
    g->key_frame = false;
    return k;
}

size_t nack_gen_missing(const struct nack_gen *g)
{
    return g->n_missing;
}

void nack_gen_get_stats(const struct nack_gen *g, struct nack_gen_stats *out)
{
    *out = g->stats;
}
