/* The writing half of pc_sdp.h: our offer or answer as text. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "media/endpoint/pc_sdp.h"

struct out {
    char *buf;
    size_t cap, len;
    bool full;
    bool answer;
};

static void put(struct out *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->cap - o->len) {
        o->full = true;
        return;
    }
    o->len += (size_t)n;
}

static enum sdp_dir dir_of(bool send, bool recv)
{
    return send && recv ? SDP_DIR_SENDRECV
           : send       ? SDP_DIR_SENDONLY
           : recv       ? SDP_DIR_RECVONLY
                        : SDP_DIR_INACTIVE;
}

/* Our direction in an answer: what we want, within what the peer allows. */
static enum sdp_dir answer_dir(enum sdp_dir remote, bool send, bool recv)
{
    bool peer_recv = remote == SDP_DIR_SENDRECV || remote == SDP_DIR_RECVONLY;
    bool peer_send = remote == SDP_DIR_SENDRECV || remote == SDP_DIR_SENDONLY;
    return dir_of(send && peer_recv, recv && peer_send);
}

/* An answer carries the transport only in its first bundled section (RFC
 * 8843 §7.3.1): the others share it, and a bridge's answer for a large
 * room stays within the client protocol's 32 KB. */
static void put_transport(struct out *o, const struct pc_sdp_local *l, bool first)
{
    if (o->answer && !first)
        return;
    if (first)
        for (size_t i = 0; i < l->ncands; i++)
            put(o, "%s\r\n", l->cands[i]);
    put(o, "a=ice-ufrag:%s\r\na=ice-pwd:%s\r\na=ice-options:trickle\r\n", l->ufrag, l->pwd);
    put(o, "a=fingerprint:sha-256 %s\r\na=setup:%s\r\n", l->fingerprint, sdp_setup_name(l->setup));
}

/* twcc: the extmap id to echo with rtcp-fb transport-cc, 0 for none. */
static void put_track(struct out *o, const struct pc_sdp_local *l, int kind, const char *mid,
                      int pt, enum sdp_dir dir, bool first, int twcc)
{
    bool audio = kind == PC_SDP_AUDIO;
    put(o, "m=%s 9 UDP/TLS/RTP/SAVPF %d\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n",
        audio ? "audio" : "video", pt);
    put_transport(o, l, first);
    put(o, "a=mid:%s\r\na=%s\r\n", mid, sdp_dir_name(dir));
    bool sends = dir == SDP_DIR_SENDRECV || dir == SDP_DIR_SENDONLY;
    if (sends)
        put(o, "a=msid:%s %s-%s\r\n", l->cname, l->cname, audio ? "audio" : "video");
    put(o, "a=rtcp-mux\r\na=rtcp-rsize\r\n");
    if (twcc)
        put(o, "a=extmap:%d %s\r\n", twcc, PC_SDP_TWCC_URI);
    if (audio) {
        int ch = l->track[kind].channels == 1 ? 1 : 2;
        put(o, "a=rtpmap:%d opus/48000/2\r\n", pt);
        put(o, "a=fmtp:%d minptime=10;useinbandfec=1%s\r\n", pt, ch == 2 ? ";stereo=1" : "");
    } else {
        put(o, "a=rtpmap:%d VP8/90000\r\n", pt);
        put(o, "a=rtcp-fb:%d nack\r\na=rtcp-fb:%d nack pli\r\na=rtcp-fb:%d ccm fir\r\n", pt, pt,
            pt);
    }
    if (twcc)
        put(o, "a=rtcp-fb:%d transport-cc\r\n", pt);
    if (sends && l->track[kind].ssrc)
        put(o, "a=ssrc:%u cname:%s\r\n", l->track[kind].ssrc, l->cname);
}

static void put_session(struct out *o, const struct pc_sdp_local *l)
{
    put(o, "v=0\r\no=- %llu %llu IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n",
        (unsigned long long)l->sess_id, (unsigned long long)l->sess_version);
    if (l->ice_lite)
        put(o, "a=ice-lite\r\n");
}

static int write_offer(struct out *o, const struct pc_sdp_local *l)
{
    put_session(o, l);
    put(o, "a=group:BUNDLE");
    for (int k = 0; k < PC_SDP_KINDS; k++)
        if (l->track[k].send || l->track[k].recv)
            put(o, " %s", l->track[k].mid);
    put(o, "\r\na=msid-semantic: WMS %s\r\n", l->cname);
    bool first = true;
    for (int k = 0; k < PC_SDP_KINDS; k++) {
        if (!l->track[k].send && !l->track[k].recv)
            continue;
        put_track(o, l, k, l->track[k].mid, l->track[k].pt,
                  dir_of(l->track[k].send, l->track[k].recv), first, 0);
        first = false;
    }
    return first ? -EINVAL : 0;
}

static int write_answer(struct out *o, const struct pc_sdp_local *l, const struct pc_sdp_remote *r)
{
    put_session(o, l);
    put(o, "a=group:BUNDLE");
    for (size_t i = 0; i < r->nsections; i++)
        if (r->sections[i].kind >= 0)
            put(o, " %s", r->sections[i].mid);
    put(o, "\r\na=msid-semantic: WMS %s\r\n", l->cname);
    bool first = true;
    for (size_t i = 0; i < r->nsections; i++) {
        const struct pc_sdp_section *sec = &r->sections[i];
        if (sec->kind < 0) {
            put(o, "m=%s 0 %s %s\r\nc=IN IP4 0.0.0.0\r\n", sec->type, sec->proto, sec->fmt);
            if (sec->mid[0])
                put(o, "a=mid:%s\r\n", sec->mid);
            put(o, "a=inactive\r\n");
            continue;
        }
        const struct pc_sdp_track *t = &sec->tr;
        /* one sender per kind: in the first section of that kind */
        bool send = l->track[sec->kind].send && t->index == r->track[sec->kind].index;
        enum sdp_dir d = answer_dir(t->dir, send, l->track[sec->kind].recv);
        int twcc = l->twcc && t->twcc_fb ? t->twcc_ext : 0;
        put_track(o, l, sec->kind, t->mid, t->pt, d, first, twcc);
        first = false;
    }
    return 0;
}

int pc_sdp_write(const struct pc_sdp_local *l, const struct pc_sdp_remote *answering_to, char *buf,
                 size_t cap)
{
    if (!l || !buf || !cap || !l->ufrag || !l->pwd || !l->fingerprint || !l->cname ||
        !sdp_setup_name(l->setup))
        return -EINVAL;
    struct out o = {buf, cap, 0, false, answering_to != NULL};
    int rc = answering_to ? write_answer(&o, l, answering_to) : write_offer(&o, l);
    if (rc)
        return rc;
    return o.full ? -ENOSPC : 0;
}
