/* seq_win — RTP packet window; admission per RFC 3550 A.1. */
#include "media/core/seq_win.h"

#include <errno.h>
#include <string.h>

#include "media/core/mem.h"

int seq_win_init(struct seq_win *w, unsigned window, size_t max_payload)
{
    memset(w, 0, sizeof(*w));
    if (window < 16 || window > 4096 || (window & (window - 1)) || max_payload == 0 ||
        max_payload > 65535)
        return -EINVAL;
    w->window = window;
    w->max_payload = max_payload;
    w->slots = mem_zalloc((window + 2) * sizeof(*w->slots));
    w->pool = mem_alloc((window + 2) * max_payload);
    if (!w->slots || !w->pool) {
        seq_win_fini(w);
        return -ENOMEM;
    }
    for (unsigned i = 0; i < window + 2; i++)
        w->slots[i].data = w->pool + (size_t)i * max_payload;
    return 0;
}

void seq_win_fini(struct seq_win *w)
{
    mem_free(w->pool);
    mem_free(w->slots);
    w->pool = NULL;
    w->slots = NULL;
}

static struct seq_win_slot *ring(const struct seq_win *w, int64_t ext)
{
    return &w->slots[(uint64_t)ext & (w->window - 1)];
}

static struct seq_win_slot *parked_slot(const struct seq_win *w)
{
    return &w->slots[w->window];
}

static struct seq_win_slot *probation_slot(const struct seq_win *w)
{
    return &w->slots[w->window + 1];
}

static void fill(struct seq_win_slot *s, int64_t ext, const struct seq_win_pkt *p)
{
    s->ext = ext;
    if (p->len)
        memcpy(s->data, p->data, p->len);
    s->len = (uint16_t)p->len;
    s->ts = p->ts;
    s->marker = p->marker;
    s->stamp = p->stamp;
    s->aux = p->aux;
    s->state = SEQ_WIN_PACKET;
}

/* Move slot *from into *to, keeping one data buffer per slot. */
static void move_slot(struct seq_win_slot *to, struct seq_win_slot *from)
{
    uint8_t *spare = to->data;
    *to = *from;
    from->data = spare;
    from->state = SEQ_WIN_EMPTY;
}

static void start(struct seq_win *w, uint16_t seq)
{
    rtp_seq_reset(&w->unwrap);
    w->head = rtp_seq_unwrap(&w->unwrap, seq);
    w->highest = w->head - 1;
    w->started = true;
    w->fresh = true;
}

static void put(struct seq_win *w, int64_t ext, const struct seq_win_pkt *p)
{
    struct seq_win_slot *s = ring(w, ext);
    if (ext - w->head >= (int64_t)w->window) {
        s = parked_slot(w);
        w->parked = true;
    }
    fill(s, ext, p);
    w->held++;
    if (ext > w->highest)
        w->highest = ext;
    (void)rtp_seq_unwrap(&w->unwrap, p->seq);
}

static void end_probation(struct seq_win *w)
{
    if (!w->probation)
        return;
    w->probation = false;
    probation_slot(w)->state = SEQ_WIN_EMPTY;
    w->held--;
    w->counts.stray++;
}

/* The sender restarted: start over from the packet on probation and p. */
static void restart(struct seq_win *w, const struct seq_win_pkt *p)
{
    struct seq_win_slot *pr = probation_slot(w);
    for (unsigned i = 0; i <= w->window; i++)
        w->slots[i].state = SEQ_WIN_EMPTY;
    w->counts.reset += w->held - 1;
    w->counts.resets++;
    w->parked = false;
    w->probation = false;
    /* The low 16 bits of an extended number are the sequence number. */
    start(w, (uint16_t)pr->ext);
    pr->ext = w->head;
    move_slot(ring(w, w->head), pr);
    w->held = 1;
    w->highest = w->head;
    put(w, w->head + 1, p);
}

/* The packet on probation is confirmed by its successor when that does not
 * fit the window either (a restart 101 behind has its successor only 100
 * behind the newest: late, not stray). */
static bool confirms(const struct seq_win *w, const struct seq_win_pkt *p)
{
    return w->probation && p->seq == (uint16_t)(probation_slot(w)->ext + 1);
}

static enum seq_win_verdict stray(struct seq_win *w, const struct seq_win_pkt *p, int64_t ext)
{
    end_probation(w);
    fill(probation_slot(w), ext, p);
    w->probation = true;
    w->held++;
    return SEQ_WIN_PROBATION;
}

enum place { PLACE_IN, PLACE_LATE, PLACE_FAR };

/* Where extended number e falls: in the window, behind it, or far away
 * (RFC 3550 A.1). Before the first pop the head moves back to take it. */
static enum place place_of(struct seq_win *w, int64_t e)
{
    int64_t diff = e - w->highest;
    if (diff >= SEQ_WIN_MAX_DROPOUT)
        return PLACE_FAR;
    if (e >= w->head)
        return PLACE_IN;
    if (w->fresh && !w->parked && w->highest - e < (int64_t)w->window) {
        w->head = e; /* reordered ahead of the first packet seen */
        return PLACE_IN;
    }
    return diff < -SEQ_WIN_MAX_MISORDER ? PLACE_FAR : PLACE_LATE;
}

enum seq_win_verdict seq_win_insert(struct seq_win *w, const struct seq_win_pkt *p, int64_t *ext)
{
    if (p->len > w->max_payload)
        return SEQ_WIN_TOO_BIG;
    if (!w->started)
        start(w, p->seq);
    int64_t e = rtp_seq_unwrap_peek(&w->unwrap, p->seq);
    enum place pl = place_of(w, e);
    if (pl != PLACE_IN && confirms(w, p)) {
        restart(w, p);
        if (ext)
            *ext = w->head + 1;
        return SEQ_WIN_RESTART;
    }
    if (ext)
        *ext = e;
    if (pl == PLACE_FAR)
        return stray(w, p, e);
    end_probation(w);
    if (pl == PLACE_LATE) {
        w->counts.late++;
        return SEQ_WIN_LATE;
    }
    if (seq_win_get(w, e) || (w->parked && parked_slot(w)->ext == e)) {
        w->counts.dup++;
        return SEQ_WIN_DUP;
    }
    if (e - w->head >= (int64_t)w->window && w->parked) {
        w->counts.overflow++;
        return SEQ_WIN_FULL;
    }
    put(w, e, p);
    return SEQ_WIN_STORED;
}

const struct seq_win_slot *seq_win_get(const struct seq_win *w, int64_t ext)
{
    const struct seq_win_slot *s = ring(w, ext);
    return s->state == SEQ_WIN_PACKET && s->ext == ext ? s : NULL;
}

void seq_win_mark_lost(struct seq_win *w, uint16_t seq)
{
    if (!w->started)
        return;
    int64_t ext = rtp_seq_unwrap_peek(&w->unwrap, seq);
    if (ext < w->head || ext - w->head >= (int64_t)w->window || seq_win_get(w, ext) ||
        (w->parked && parked_slot(w)->ext == ext))
        return;
    struct seq_win_slot *s = ring(w, ext);
    s->state = SEQ_WIN_LOST;
    s->ext = ext;
    if (ext > w->highest) {
        w->highest = ext;
        (void)rtp_seq_unwrap(&w->unwrap, seq);
    }
}

bool seq_win_marked_lost(const struct seq_win *w, int64_t ext)
{
    const struct seq_win_slot *s = ring(w, ext);
    return s->state == SEQ_WIN_LOST && s->ext == ext;
}

bool seq_win_forced(const struct seq_win *w, int64_t ext)
{
    return w->parked && ext <= parked_slot(w)->ext - (int64_t)w->window;
}

bool seq_win_pop(struct seq_win *w, struct seq_win_slot *out)
{
    struct seq_win_slot *s = ring(w, w->head);
    bool pkt = s->state == SEQ_WIN_PACKET && s->ext == w->head;
    if (pkt) {
        if (out)
            *out = *s;
        w->held--;
    }
    if (s->ext == w->head)
        s->state = SEQ_WIN_EMPTY;
    w->head++;
    w->fresh = false;
    struct seq_win_slot *pk = parked_slot(w);
    if (w->parked && pk->ext - w->head < (int64_t)w->window) {
        move_slot(ring(w, pk->ext), pk);
        w->parked = false;
    }
    return pkt;
}
