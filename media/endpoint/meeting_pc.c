/* meeting_pc — the publish and subscribe peer connections of a meeting:
 * made when needed, described over signaling, candidates both ways. */
#include <errno.h>
#include <string.h>

#include "media/core/mem.h"
#include "media/endpoint/meeting_int.h"
#include "media/endpoint/pc_stats_json.h"

static void send_candidate(struct meeting_pc *mp, const char *cand)
{
    meeting_send(mp->m, json_pack("{s:s, s:s, s:s}", "type", "candidate", "pc", mp->name,
                                  "candidate", cand));
}

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    struct meeting_pc *mp = arg;
    struct pc_stats st;
    pc_get_stats(mp->pc, &st);
    meeting_event(mp->m, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "state", "pc", mp->name,
                                   "state", transport_state_name(s), "reason", reason ? reason : "",
                                   "srtp_profile", pc_stats_profile_name(st.srtp_profile)));
}

/* Candidates found before our description went out are in it (pc.c keeps
 * them for the SDP before it calls us); the later ones are trickled. */
static void on_candidate(void *arg, const char *cand)
{
    struct meeting_pc *mp = arg;
    if (*cand && mp == &mp->m->pub && mp->m->hold_pub)
        return; /* the test hook: the bridge learns the relay's address from its checks */
    if (mp->described)
        send_candidate(mp, cand);
    else if (!*cand)
        mp->gathered_early = true;
}

static void described(struct meeting_pc *mp)
{
    if (mp->described)
        return;
    mp->described = true;
    if (mp->gathered_early)
        send_candidate(mp, "");
}

static int make_pc(struct meeting_pc *mp, bool send)
{
    struct pc_config c = mp->m->pcfg;
    c.send_audio = c.send_video = send;
    c.recv_audio = c.recv_video = !send;
    c.lite = false;
    struct pc_callbacks cb = {on_state, on_candidate, mp};
    int err = pc_new(&mp->pc, &c, &cb);
    if (err)
        meeting_error(mp->m, "cannot make the peer connection", strerror(-err));
    return err;
}

/* Test hook (hold_publish_candidates): one candidate of the bridge held
 * back, for the owner to see. */
static void held(struct meeting_pc *mp, const char *cand, size_t len)
{
    while (len > 0 && (cand[len - 1] == '\n' || cand[len - 1] == '\r'))
        len--;
    meeting_event(mp->m, json_pack("{s:s, s:s, s:s%}", "type", "held_candidate", "pc", mp->name,
                                   "candidate", cand, len));
}

/* The description without its a=candidate lines, which are held when they
 * are the bridge's; NULL when out of memory. */
static char *without_candidates(struct meeting_pc *mp, const char *sdp, bool theirs)
{
    char *out = mem_alloc(strlen(sdp) + 1);
    size_t n = 0;
    for (const char *p = sdp; out && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);
        if (strncmp(p, "a=candidate:", 12) == 0) {
            if (theirs)
                held(mp, p + 2, len - 2);
        } else {
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
    }
    if (out)
        out[n] = '\0';
    return out;
}

void meeting_pc_publish(struct meeting *m)
{
    struct meeting_pc *mp = &m->pub;
    const char *sdp;
    if (mp->pc || make_pc(mp, true) != 0)
        return;
    if (pc_create_offer(mp->pc, &sdp) != 0) {
        meeting_error(m, "cannot make the publish offer", pc_last_error(mp->pc));
        return;
    }
    /* The test hook: none of our candidates for the bridge either. */
    char *copy = m->hold_pub ? without_candidates(mp, sdp, false) : NULL;
    if (m->hold_pub && !copy) {
        meeting_error(m, "cannot make the publish offer", strerror(ENOMEM));
        return;
    }
    meeting_send(m, json_pack("{s:s, s:s}", "type", "publish", "sdp", copy ? copy : sdp));
    mem_free(copy);
    described(mp);
}

static void flush_pending(struct meeting_pc *mp)
{
    for (size_t i = 0; i < mp->npending; i++) {
        if (pc_add_remote_candidate(mp->pc, mp->pending[i]) != 0)
            meeting_error(mp->m, "candidate refused", mp->pending[i]);
        mem_free(mp->pending[i]);
    }
    mp->npending = 0;
}

static void answer(struct meeting *m, struct meeting_pc *mp)
{
    const char *sdp;
    if (pc_create_answer(mp->pc, &sdp) != 0) {
        meeting_error(m, "cannot answer the subscribe offer", pc_last_error(mp->pc));
        return;
    }
    meeting_send(m, json_pack("{s:s, s:s}", "type", "subscribe_answer", "sdp", sdp));
    described(mp);
    meeting_event(m, json_pack("{s:s, s:s, s:I}", "type", "answered", "pc", mp->name, "receivers",
                               (json_int_t)pc_rx_count(mp->pc)));
}

void meeting_pc_remote(struct meeting *m, struct meeting_pc *mp, const char *sdp)
{
    bool offer = mp == &m->sub;
    if (offer && !mp->pc && make_pc(mp, false) != 0)
        return;
    if (!mp->pc) {
        meeting_error(m, "a publish_answer without a publish offer", NULL);
        return;
    }
    char *copy = !offer && m->hold_pub ? without_candidates(mp, sdp, true) : NULL;
    if (!offer && m->hold_pub && !copy) {
        meeting_error(m, "publish answer dropped", strerror(ENOMEM));
        return;
    }
    int err = pc_set_remote(mp->pc, copy ? copy : sdp, strlen(copy ? copy : sdp));
    mem_free(copy);
    if (err != 0) {
        meeting_error(m, offer ? "subscribe offer refused" : "publish answer refused",
                      pc_last_error(mp->pc));
        return;
    }
    mp->have_remote = true;
    flush_pending(mp);
    if (offer)
        answer(m, mp);
}

/* A candidate for mp, kept until its remote description when early.
 * -ENOSPC / -ENOMEM: not kept; -EINVAL: refused by the pc. */
int meeting_pc_add_candidate(struct meeting_pc *mp, const char *cand)
{
    if (mp->have_remote)
        return pc_add_remote_candidate(mp->pc, cand) != 0 ? -EINVAL : 0;
    if (mp->npending >= MEETING_PENDING_MAX)
        return -ENOSPC;
    char *c = mem_strdup(cand);
    if (!c)
        return -ENOMEM;
    mp->pending[mp->npending++] = c;
    return 0;
}

void meeting_pc_candidate(struct meeting *m, const char *which, const char *cand)
{
    struct meeting_pc *mp = !which                            ? NULL
                            : strcmp(which, "publish") == 0   ? &m->pub
                            : strcmp(which, "subscribe") == 0 ? &m->sub
                                                              : NULL;
    if (!mp || !cand) {
        meeting_error(m, "a candidate for no known peer connection", which);
        return;
    }
    if (mp == &m->pub && m->hold_pub) {
        held(mp, cand, strlen(cand));
        return;
    }
    int err = meeting_pc_add_candidate(mp, cand);
    if (err == -EINVAL)
        meeting_error(m, "candidate refused", cand);
    else if (err)
        meeting_error(m, "too many early candidates, dropped", cand);
}

void meeting_pc_free(struct meeting_pc *mp)
{
    pc_destroy(mp->pc);
    mp->pc = NULL;
    for (size_t i = 0; i < mp->npending; i++)
        mem_free(mp->pending[i]);
    mp->npending = 0;
}
