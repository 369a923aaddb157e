/* cau-endpoint — one C endpoint peer connection driven by JSON lines.
 *
 * The signaling of a test harness (or, later, of a probe) talks to it over
 * stdin/stdout, one JSON object per line:
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
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <jansson.h>

#include "media/endpoint/pc.h"
#include "media/endpoint/pc_stats_json.h"

struct app {
    GMainLoop *loop;
    struct pc *pc;
    int exit_code;
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

static void handle_line(struct app *a, const char *line)
{
    json_error_t jerr;
    json_t *msg = json_loads(line, 0, &jerr);
    const char *type = msg ? json_string_value(json_object_get(msg, "type")) : NULL;
    const char *sdp = msg ? json_string_value(json_object_get(msg, "sdp")) : NULL;
    const char *cand = msg ? json_string_value(json_object_get(msg, "candidate")) : NULL;
    if (!msg)
        emit_error("malformed JSON", jerr.text);
    else if (!type)
        emit_error("message without a string \"type\"", NULL);
    else if ((strcmp(type, "offer") == 0 || strcmp(type, "answer") == 0) && sdp)
        handle_sdp(a, type, sdp);
    else if (strcmp(type, "candidate") == 0 && cand) {
        if (pc_add_remote_candidate(a->pc, cand) != 0)
            emit_error("candidate refused", cand);
    } else if (strcmp(type, "stats") == 0)
        emit(pc_stats_json(a->pc));
    else if (strcmp(type, "quit") == 0)
        g_main_loop_quit(a->loop);
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
    g_main_loop_quit(a->loop); /* stdin closed: the harness is gone */
    return G_SOURCE_REMOVE;
}

static gboolean on_deadline(gpointer data)
{
    struct app *a = data;
    g_main_loop_quit(a->loop);
    return G_SOURCE_REMOVE;
}

static gboolean on_signal(gpointer data)
{
    return on_deadline(data);
}

static void usage(void)
{
    fprintf(stderr, "usage: cau-endpoint [--offer] [--send audio,video] [--recv audio,video]\n"
                    "  [--addr 127.0.0.1] [--srtp-profiles P] [--tamper-fingerprint]\n"
                    "  [--size WxH] [--fps N] [--kbps N] [--duration S]\n");
    exit(2);
}

static void kinds(const char *s, bool *audio, bool *video)
{
    *audio = strstr(s, "audio") != NULL;
    *video = strstr(s, "video") != NULL;
    if (!*audio && !*video && strcmp(s, "none") != 0)
        usage();
}

/* Options into cfg; returns the listen address, *offer and *duration. */
static const char *parse_args(int argc, char **argv, struct pc_config *cfg, bool *offer,
                              int *duration)
{
    static const struct option opts[] = {
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
        {0, 0, 0, 0},
    };
    const char *addr = "127.0.0.1";
    kinds("audio,video", &cfg->send_audio, &cfg->send_video);
    kinds("audio,video", &cfg->recv_audio, &cfg->recv_video);
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            *offer = true;
            break;
        case 's':
            kinds(optarg, &cfg->send_audio, &cfg->send_video);
            break;
        case 'r':
            kinds(optarg, &cfg->recv_audio, &cfg->recv_video);
            break;
        case 'a':
            addr = optarg;
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
            *duration = atoi(optarg);
            break;
        default:
            usage();
        }
    }
    if (optind != argc)
        usage();
    return addr;
}

int main(int argc, char **argv)
{
    struct pc_config cfg = {0};
    bool offer = false;
    int duration = 0;
    const char *addr = parse_args(argc, argv, &cfg, &offer, &duration);
    struct dtls_cert *cert;
    if (dtls_cert_create(&cert) != 0) {
        fprintf(stderr, "cau-endpoint: cannot make a DTLS certificate\n");
        return 1;
    }
    struct app a = {.loop = g_main_loop_new(NULL, FALSE)};
    const char *addrs[] = {addr};
    cfg.ctx = g_main_context_default();
    cfg.cert = cert;
    cfg.addrs = addrs;
    cfg.n_addrs = 1;
    cfg.loopback_only = strncmp(addr, "127.", 4) == 0;
    struct pc_callbacks cb = {on_state, on_candidate, &a};
    int err = pc_new(&a.pc, &cfg, &cb);
    if (err) {
        fprintf(stderr, "cau-endpoint: %s\n", strerror(-err));
        return 1;
    }
    const char *sdp;
    if (offer && pc_create_offer(a.pc, &sdp) == 0)
        emit(json_pack("{s:s, s:s}", "type", "offer", "sdp", sdp));
    GIOChannel *in = g_io_channel_unix_new(0);
    g_io_add_watch(in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &a);
    g_unix_signal_add(SIGINT, on_signal, &a);
    g_unix_signal_add(SIGTERM, on_signal, &a);
    if (duration > 0)
        g_timeout_add_seconds((guint)duration, on_deadline, &a);
    g_main_loop_run(a.loop);
    emit(pc_stats_json(a.pc));
    pc_destroy(a.pc);
    g_io_channel_unref(in);
    g_main_loop_unref(a.loop);
    dtls_cert_free(cert);
    return a.exit_code;
}
