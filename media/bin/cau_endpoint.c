/* cau-endpoint — one C endpoint, driven by JSON lines or joining a meeting.
 *
 * Peer-connection mode (the default): one peer connection whose signaling
 * is a test harness's, over stdin/stdout, one JSON object per line:
 *
 *   in:  {"type":"offer","sdp":S}      -> out {"type":"answer","sdp":S}
 *        {"type":"answer","sdp":S}
 *        {"type":"candidate","candidate":"candidate:..."}   ("" = end)
 *        {"type":"stats"}               -> out {"type":"stats",...}
 *        {"type":"quit"}
 *   out: {"type":"offer","sdp":S}      (at start, with --offer)
 *        {"type":"candidate","candidate":C}
 *        {"type":"state","state":"connected","reason":R,"srtp_profile":P}
 *        {"type":"error","message":M}  (bad input; the endpoint goes on)
 *
 * Options: --offer, --send audio,video, --recv audio,video, --addr A,
 * --srtp-profiles P, --tamper-fingerprint, --size WxH, --fps N, --kbps N,
 * --duration S (print stats and exit after S seconds).
 *
 * Join mode: --join ws://HOST:PORT/ws --token TOKEN [--subscribe]
 * [--name-check] [--stats-every S] [--hold-publish-candidates] and the
 * media options above: a participant of a meeting through the signaling
 * server (media/endpoint/meeting.h says what it does and the events it
 * prints as JSON lines).
 * stdin takes {"type":"stats"} and {"type":"quit"} (leave); its end is not
 * a reason to stop. SIGINT/SIGTERM, --duration and quit send leave, print
 * the last stats and exit: 0 after a leave, 1 when joining failed or the
 * server closed the connection.
 *
 * Test hook: --hold-publish-candidates (join mode) puts a relay such as
 * build/bin/netem-relay in front of the bridge for our uplink. The publish
 * connection uses none of the bridge's candidates and gives it none of
 * ours; each of the bridge's is printed as
 * {"type":"held_candidate","pc":"publish","candidate":C}, and the harness,
 * having aimed its relay at that candidate's port, gives the relay's as
 * {"type":"candidate","pc":"publish","candidate":C} on stdin.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <jansson.h>

#include "media/endpoint/meeting.h"
#include "media/endpoint/pc.h"
#include "media/endpoint/pc_stats_json.h"

#define LEAVE_WAIT_S 3 /* for the server to close after our leave */

struct app {
    GMainLoop *loop;
    struct pc *pc;
    struct meeting *meeting;
    bool stopping;
    int exit_code;
};

struct opts {
    struct pc_config cfg;
    const char *addr;
    bool offer;
    int duration;
    const char *join, *token;
    bool subscribe, name_check, hold_pub;
    int stats_every;
};

static void emit(json_t *msg)
{
    char *s = json_dumps(msg, JSON_COMPACT);
    if (s) {
        fprintf(stdout, "%s\n", s);
        fflush(stdout);
        free(s);
    }
    json_decref(msg);
}

static void emit_error(const char *what, const char *detail)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
    emit(json_pack("{s:s, s:s}", "type", "error", "message", buf));
}

static void on_state(void *arg, enum transport_state s, const char *reason)
{
    struct app *a = arg;
    struct pc_stats st;
    pc_get_stats(a->pc, &st);
    emit(json_pack("{s:s, s:s, s:s, s:s}", "type", "state", "state", transport_state_name(s),
                   "reason", reason, "srtp_profile", pc_stats_profile_name(st.srtp_profile)));
}

static void on_candidate(void *arg, const char *cand)
{
    (void)arg;
    emit(json_pack("{s:s, s:s}", "type", "candidate", "candidate", cand));
}

static void handle_sdp(struct app *a, const char *type, const char *sdp)
{
    int err = pc_set_remote(a->pc, sdp, strlen(sdp));
    if (err) {
        emit_error("remote description refused", pc_last_error(a->pc));
        return;
    }
    if (strcmp(type, "offer") == 0) {
        const char *answer;
        if (pc_create_answer(a->pc, &answer) == 0)
            emit(json_pack("{s:s, s:s}", "type", "answer", "sdp", answer));
        else
            emit_error("cannot answer", pc_last_error(a->pc));
    }
}

/* The end of the run: at once in peer-connection mode; in join mode after
 * the leave (on_end quits, or the LEAVE_WAIT_S timer). */
static gboolean on_give_up(gpointer data)
{
    struct app *a = data;
    emit_error("no close from the server after leave", NULL);
    g_main_loop_quit(a->loop);
    return G_SOURCE_REMOVE;
}

static void stop(struct app *a)
{
    if (!a->meeting) {
        g_main_loop_quit(a->loop);
        return;
    }
    if (a->stopping)
        return;
    a->stopping = true;
    meeting_leave(a->meeting);
    g_timeout_add_seconds(LEAVE_WAIT_S, on_give_up, a);
}

static json_t *stats_json(struct app *a)
{
    return a->meeting ? meeting_stats_json(a->meeting) : pc_stats_json(a->pc);
}

static void handle_line(struct app *a, const char *line)
{
    json_error_t jerr;
    json_t *msg = json_loads(line, 0, &jerr);
    const char *type = msg ? json_string_value(json_object_get(msg, "type")) : NULL;
    const char *sdp = msg ? json_string_value(json_object_get(msg, "sdp")) : NULL;
    const char *cand = msg ? json_string_value(json_object_get(msg, "candidate")) : NULL;
    const char *which = msg ? json_string_value(json_object_get(msg, "pc")) : NULL;
    bool pc_mode = a->pc != NULL;
    if (!msg)
        emit_error("malformed JSON", jerr.text);
    else if (!type)
        emit_error("message without a string \"type\"", NULL);
    else if (pc_mode && (strcmp(type, "offer") == 0 || strcmp(type, "answer") == 0) && sdp)
        handle_sdp(a, type, sdp);
    else if (pc_mode && strcmp(type, "candidate") == 0 && cand) {
        if (pc_add_remote_candidate(a->pc, cand) != 0)
            emit_error("candidate refused", cand);
    } else if (!pc_mode && strcmp(type, "candidate") == 0 && cand && which &&
               strcmp(which, "publish") == 0) {
        if (meeting_add_publish_candidate(a->meeting, cand) != 0) /* the test hook */
            emit_error("publish candidate refused (--hold-publish-candidates?)", cand);
    } else if (strcmp(type, "stats") == 0)
        emit(stats_json(a));
    else if (strcmp(type, "quit") == 0)
        stop(a);
    else
        emit_error("unknown or incomplete message", type);
    json_decref(msg);
}

static gboolean on_stdin(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    struct app *a = data;
    char *line = NULL;
    gsize len = 0;
    GIOStatus st = G_IO_STATUS_AGAIN;
    if (cond & G_IO_IN)
        st = g_io_channel_read_line(ch, &line, &len, NULL, NULL);
    if (st == G_IO_STATUS_NORMAL && line) {
        g_strchomp(line);
        if (*line)
            handle_line(a, line);
        g_free(line);
        return G_SOURCE_CONTINUE;
    }
    g_free(line);
    if (st == G_IO_STATUS_AGAIN)
        return G_SOURCE_CONTINUE;
    if (!a->meeting)
        g_main_loop_quit(a->loop); /* stdin closed: the harness is gone */
    return G_SOURCE_REMOVE;
}

static gboolean on_deadline(gpointer data)
{
    stop(data);
    return G_SOURCE_REMOVE;
}

static gboolean on_stats_tick(gpointer data)
{
    emit(stats_json(data));
    return G_SOURCE_CONTINUE;
}

static void usage(void)
{
    fprintf(stderr, "usage: cau-endpoint [--offer] [--send audio,video] [--recv audio,video]\n"
                    "  [--addr 127.0.0.1] [--srtp-profiles P] [--tamper-fingerprint]\n"
                    "  [--size WxH] [--fps N] [--kbps N] [--duration S]\n"
                    "or: cau-endpoint --join ws://HOST:PORT/ws --token TOKEN [--subscribe]\n"
                    "  [--name-check] [--stats-every S] [--addr A] [--size WxH] [--fps N]\n"
                    "  [--kbps N] [--duration S]\n"
                    "  [--hold-publish-candidates]   (test hook: the bridge's publish candidates\n"
                    "  are printed as held_candidate, not used; stdin gives the ones to use)\n");
    exit(2);
}

static void kinds(const char *s, bool *audio, bool *video)
{
    *audio = strstr(s, "audio") != NULL;
    *video = strstr(s, "video") != NULL;
    if (!*audio && !*video && strcmp(s, "none") != 0)
        usage();
}

static const struct option long_opts[] = {
    {"offer", no_argument, 0, 'o'},
    {"send", required_argument, 0, 's'},
    {"recv", required_argument, 0, 'r'},
    {"addr", required_argument, 0, 'a'},
    {"srtp-profiles", required_argument, 0, 'p'},
    {"tamper-fingerprint", no_argument, 0, 't'},
    {"size", required_argument, 0, 'z'},
    {"fps", required_argument, 0, 'f'},
    {"kbps", required_argument, 0, 'k'},
    {"duration", required_argument, 0, 'd'},
    {"join", required_argument, 0, 'j'},
    {"token", required_argument, 0, 'T'},
    {"subscribe", no_argument, 0, 'S'},
    {"name-check", no_argument, 0, 'n'},
    {"stats-every", required_argument, 0, 'e'},
    {"hold-publish-candidates", no_argument, 0, 'H'},
    {0, 0, 0, 0},
};

static void parse_one(int c, struct opts *o)
{
    struct pc_config *cfg = &o->cfg;
    switch (c) {
    case 'o':
        o->offer = true;
        break;
    case 's':
        kinds(optarg, &cfg->send_audio, &cfg->send_video);
        break;
    case 'r':
        kinds(optarg, &cfg->recv_audio, &cfg->recv_video);
        break;
    case 'a':
        o->addr = optarg;
        break;
    case 'p':
        cfg->srtp_profiles = optarg;
        break;
    case 't':
        cfg->tamper_remote_fingerprint = true;
        break;
    case 'z':
        if (sscanf(optarg, "%dx%d", &cfg->width, &cfg->height) != 2)
            usage();
        break;
    case 'f':
        cfg->fps = atoi(optarg);
        break;
    case 'k':
        cfg->video_kbps = atoi(optarg);
        break;
    case 'd':
        o->duration = atoi(optarg);
        break;
    case 'j':
        o->join = optarg;
        break;
    case 'T':
        o->token = optarg;
        break;
    case 'S':
        o->subscribe = true;
        break;
    case 'n':
        o->name_check = true;
        break;
    case 'e':
        o->stats_every = atoi(optarg);
        break;
    case 'H':
        o->hold_pub = true;
        break;
    default:
        usage();
    }
}

static void parse_args(int argc, char **argv, struct opts *o)
{
    o->addr = "127.0.0.1";
    kinds("audio,video", &o->cfg.send_audio, &o->cfg.send_video);
    kinds("audio,video", &o->cfg.recv_audio, &o->cfg.recv_video);
    int c;
    while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1)
        parse_one(c, o);
    if (optind != argc || !o->join != !o->token || o->cfg.fps < 0 || o->stats_every < 0 ||
        (o->hold_pub && !o->join))
        usage();
}

static void on_meeting_event(void *arg, json_t *ev)
{
    (void)arg;
    emit(json_incref(ev));
}

static void on_meeting_end(void *arg, int status)
{
    struct app *a = arg;
    a->exit_code = status;
    g_main_loop_quit(a->loop);
}

static int start(struct app *a, struct opts *o)
{
    int err;
    if (o->join) {
        struct meeting_config mc = {o->join,      o->token,      o->cfg,
                                    o->subscribe, o->name_check, o->hold_pub};
        struct meeting_callbacks cb = {on_meeting_event, on_meeting_end, a};
        err = meeting_new(&a->meeting, &mc, &cb);
    } else {
        struct pc_callbacks cb = {on_state, on_candidate, a};
        err = pc_new(&a->pc, &o->cfg, &cb);
        const char *sdp;
        if (!err && o->offer && pc_create_offer(a->pc, &sdp) == 0)
            emit(json_pack("{s:s, s:s}", "type", "offer", "sdp", sdp));
    }
    if (err)
        fprintf(stderr, "cau-endpoint: %s\n", strerror(-err));
    return err;
}

int main(int argc, char **argv)
{
    struct opts o = {0};
    parse_args(argc, argv, &o);
    struct dtls_cert *cert;
    if (dtls_cert_create(&cert) != 0) {
        fprintf(stderr, "cau-endpoint: cannot make a DTLS certificate\n");
        return 1;
    }
    struct app a = {.loop = g_main_loop_new(NULL, FALSE)};
    const char *addrs[] = {o.addr};
    o.cfg.ctx = g_main_context_default();
    o.cfg.cert = cert;
    o.cfg.addrs = addrs;
    o.cfg.n_addrs = 1;
    o.cfg.loopback_only = strncmp(o.addr, "127.", 4) == 0;
    if (start(&a, &o) != 0)
        return 1;
    GIOChannel *in = g_io_channel_unix_new(0);
    g_io_add_watch(in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &a);
    g_unix_signal_add(SIGINT, on_deadline, &a);
    g_unix_signal_add(SIGTERM, on_deadline, &a);
    if (o.duration > 0)
        g_timeout_add_seconds((guint)o.duration, on_deadline, &a);
    if (o.stats_every > 0)
        g_timeout_add_seconds((guint)o.stats_every, on_stats_tick, &a);
    g_main_loop_run(a.loop);
    emit(stats_json(&a));
    meeting_free(a.meeting);
    pc_destroy(a.pc);
    g_io_channel_unref(in);
    g_main_loop_unref(a.loop);
    dtls_cert_free(cert);
    return a.exit_code;
}
