/* sub_sdp — see sub_sdp.h. The section list and the offer writer; the
 * answer reader is in sub_sdp_answer.c. */
#include "sfu/core/sub_sdp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "media/core/sdp_buf.h"

/* Mids are decimal numbers below this (7 digits and the NUL). */
#define MID_LIMIT 10000000u

void sub_sdp_init(struct sub_sdp *s)
{
    if (!s)
        return;
    memset(s, 0, sizeof *s);
    s->sess_id = 1;
    s->version = 1;
    s->ntracks = 1;
    s->tracks[0].audio = true;
    s->tracks[0].state = SUB_SDP_IDLE;
    snprintf(s->tracks[0].mid, sizeof s->tracks[0].mid, "0");
    s->next_mid = 1;
}

/* RFC 8830 msid-id: 1*64 token-char (RFC 4566 token characters). */
static bool valid_id(const char *p)
{
    if (!p || !*p)
        return false;
    size_t n = 0;
    for (; p[n]; n++) {
        unsigned char c = (unsigned char)p[n];
        if (n >= SUB_SDP_ID_MAX - 1 || c <= 0x20 || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c))
            return false;
    }
    return true;
}

int sub_sdp_find(const struct sub_sdp *s, const char *mid)
{
    if (!s || !mid)
        return -ENOENT;
    for (size_t i = 0; i < s->ntracks; i++)
        if (strcmp(s->tracks[i].mid, mid) == 0)
            return (int)i;
    return -ENOENT;
}

/* The section a new track of this kind goes to, or -ENOSPC. */
static int pick_section(const struct sub_sdp *s, bool audio, bool *new_mid)
{
    *new_mid = true;
    if (audio && s->tracks[0].state == SUB_SDP_IDLE) {
        *new_mid = false;
        return 0;
    }
    if (s->next_mid >= MID_LIMIT)
        return -ENOSPC;
    for (size_t i = 1; i < s->ntracks; i++)
        if (s->tracks[i].state == SUB_SDP_ENDED && s->tracks[i].audio == audio)
            return (int)i;
    return s->ntracks < SUB_SDP_MAX_TRACKS ? (int)s->ntracks : -ENOSPC;
}

int sub_sdp_add_track(struct sub_sdp *s, bool audio, const char *participant, uint32_t ssrc)
{
    if (!s || !valid_id(participant) || !ssrc)
        return -EINVAL;
    bool new_mid;
    int i = pick_section(s, audio, &new_mid);
    if (i < 0)
        return i;
    struct sub_sdp_track *t = &s->tracks[i];
    if ((size_t)i == s->ntracks)
        s->ntracks++;
    if (new_mid)
        snprintf(t->mid, sizeof t->mid, "%u", (unsigned)s->next_mid++);
    t->audio = audio;
    t->state = SUB_SDP_SENDING;
    snprintf(t->participant, sizeof t->participant, "%s", participant);
    t->ssrc = ssrc;
    s->version++;
    return i;
}

int sub_sdp_remove_track(struct sub_sdp *s, const char *mid)
{
    int i = sub_sdp_find(s, mid);
    if (i < 0 || s->tracks[i].state != SUB_SDP_SENDING)
        return -ENOENT;
    struct sub_sdp_track *t = &s->tracks[i];
    t->state = i == 0 ? SUB_SDP_IDLE : SUB_SDP_ENDED;
    t->participant[0] = '\0';
    t->ssrc = 0;
    s->version++;
    return 0;
}

/* Append the strings given, up to a NULL, as one line. */
static void line(struct sdp_buf *b, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *))
        sdp_buf_str(b, p);
    va_end(ap);
    sdp_buf_eol(b);
}

static void put_u32_line(struct sdp_buf *b, const char *before, uint64_t v, const char *after)
{
    sdp_buf_str(b, before);
    sdp_buf_u64(b, v);
    line(b, after, NULL);
}

static void put_session(struct sdp_buf *b, const struct sub_sdp *s)
{
    line(b, "v=0", NULL);
    sdp_buf_str(b, "o=- ");
    sdp_buf_u64(b, s->sess_id);
    sdp_buf_char(b, ' ');
    sdp_buf_u64(b, s->version);
    line(b, " IN IP4 127.0.0.1", NULL);
    line(b, "s=-", NULL);
    line(b, "t=0 0", NULL);
    line(b, "a=ice-lite", NULL);
    sdp_buf_str(b, "a=group:BUNDLE");
    for (size_t i = 0; i < s->ntracks; i++)
        if (s->tracks[i].state != SUB_SDP_ENDED) {
            sdp_buf_char(b, ' ');
            sdp_buf_str(b, s->tracks[i].mid);
        }
    sdp_buf_eol(b);
}

static void put_transport(struct sdp_buf *b, const struct sub_sdp_transport *t, bool cands)
{
    for (size_t i = 0; cands && i < t->ncandidates; i++) {
        const char *c = t->candidates[i];
        if (!c) {
            sdp_buf_invalid(b);
            continue;
        }
        line(b, "a=", strncmp(c, "a=", 2) == 0 ? c + 2 : c, NULL);
    }
    if (cands)
        line(b, "a=end-of-candidates", NULL);
    line(b, "a=ice-ufrag:", t->ufrag, NULL);
    line(b, "a=ice-pwd:", t->pwd, NULL);
    line(b, "a=fingerprint:sha-256 ", t->fingerprint, NULL);
    line(b, "a=setup:actpass", NULL);
}

static void put_codec(struct sdp_buf *b, bool audio)
{
    if (audio) {
        put_u32_line(b, "a=rtpmap:", SUB_SDP_PT_OPUS, " opus/48000/2");
        put_u32_line(b, "a=fmtp:", SUB_SDP_PT_OPUS, " minptime=10;useinbandfec=1");
        return;
    }
    put_u32_line(b, "a=rtpmap:", SUB_SDP_PT_VP8, " VP8/90000");
    put_u32_line(b, "a=rtcp-fb:", SUB_SDP_PT_VP8, " nack");
    put_u32_line(b, "a=rtcp-fb:", SUB_SDP_PT_VP8, " nack pli");
    put_u32_line(b, "a=rtcp-fb:", SUB_SDP_PT_VP8, " ccm fir");
}

static void put_section(struct sdp_buf *b, const struct sub_sdp_track *tr,
                        const struct sub_sdp_transport *t, bool first)
{
    const char *kind = tr->audio ? "audio" : "video";
    bool ended = tr->state == SUB_SDP_ENDED;
    sdp_buf_str(b, "m=");
    sdp_buf_str(b, kind);
    put_u32_line(b, ended ? " 0 UDP/TLS/RTP/SAVPF " : " 9 UDP/TLS/RTP/SAVPF ",
                 tr->audio ? SUB_SDP_PT_OPUS : SUB_SDP_PT_VP8, "");
    line(b, "c=IN IP4 0.0.0.0", NULL);
    if (!ended)
        line(b, "a=rtcp:9 IN IP4 0.0.0.0", NULL);
    put_transport(b, t, first);
    line(b, "a=mid:", tr->mid, NULL);
    if (tr->state == SUB_SDP_SENDING) {
        line(b, "a=sendonly", NULL);
        line(b, "a=msid:", tr->participant, " ", kind, "-", tr->participant, NULL);
    } else {
        line(b, "a=inactive", NULL);
    }
    line(b, "a=rtcp-mux", NULL);
    line(b, "a=rtcp-rsize", NULL);
    put_codec(b, tr->audio);
    if (tr->state == SUB_SDP_SENDING) {
        sdp_buf_str(b, "a=ssrc:");
        sdp_buf_u64(b, tr->ssrc);
        line(b, " cname:", tr->participant, NULL);
    }
}

int sub_sdp_write_offer(const struct sub_sdp *s, const struct sub_sdp_transport *t, char *buf,
                        size_t cap)
{
    if (!s || !t || !buf || !cap || !t->ufrag || !*t->ufrag || !t->pwd || !*t->pwd ||
        !t->fingerprint || !*t->fingerprint || (t->ncandidates && !t->candidates))
        return -EINVAL;
    struct sdp_buf b;
    sdp_buf_init(&b, buf, cap);
    put_session(&b, s);
    for (size_t i = 0; i < s->ntracks; i++)
        put_section(&b, &s->tracks[i], t, i == 0);
    int rc = sdp_buf_finish(&b);
    if (rc)
        return rc;
    return b.len > (size_t)INT32_MAX ? -ENOSPC : (int)b.len;
}
