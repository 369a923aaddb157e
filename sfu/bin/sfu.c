/* sfu — the media plane of Cầu. `sfu --config FILE` reads the "sfu" section
 * of the config (signaling/core/config.h), listens on the control socket
 * (and on TCP at sfu.control_tcp when it is set) and forwards media between the participants
 * signaling adds to rooms. SIGINT/SIGTERM: every room is closed and the process exits 0. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib-unix.h>

#include "sfu/sfu.h"
#include "signaling/core/config.h"

static gboolean on_signal(gpointer loop)
{
    g_main_loop_quit(loop);
    return G_SOURCE_REMOVE;
}

/* Make the directory that holds the control socket, if it is missing. */
static void make_parent(const char *path)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    g_mkdir_with_parents(dir, 0755);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, 0, 'c'}, {0, 0, 0, 0}};
    const char *path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'c') {
            fprintf(stderr, "usage: sfu --config FILE\n");
            return 2;
        }
        path = optarg;
    }
    if (!path || optind != argc) {
        fprintf(stderr, "usage: sfu --config FILE\n");
        return 2;
    }
    static struct cau_config cfg;
    char err[512];
    if (config_load_file(path, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "sfu: %s\n", err);
        return 1;
    }
    const char *addrs[4];
    for (int i = 0; i < cfg.sfu.n_media_addrs; i++)
        addrs[i] = cfg.sfu.media_addrs[i];
    struct sfu_options opt = {
        .addrs = addrs,
        .n_addrs = (size_t)cfg.sfu.n_media_addrs,
        .port_min = (uint16_t)cfg.sfu.port_min,
        .port_max = (uint16_t)cfg.sfu.port_max,
        .workers = cfg.sfu.workers,
        .control_socket = cfg.sfu.control_socket,
        .control_tcp = cfg.sfu.control_tcp,
        .control_secret = cfg.sfu.control_secret,
    };
    make_parent(cfg.sfu.control_socket);
    struct sfu *s = sfu_new(&opt, err, sizeof err);
    if (!s) {
        fprintf(stderr, "sfu: %s\n", err);
        return 1;
    }
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGINT, on_signal, loop);
    g_unix_signal_add(SIGTERM, on_signal, loop);
    printf("sfu: control %s%s%s, media on %s ports %d-%d, %d workers\n", cfg.sfu.control_socket,
           cfg.sfu.control_tcp[0] ? " and tcp " : "", cfg.sfu.control_tcp, addrs[0],
           cfg.sfu.port_min, cfg.sfu.port_max, opt.workers);
    fflush(stdout);
    g_main_loop_run(loop);
    sfu_free(s);
    g_main_loop_unref(loop);
    return 0;
}
