/* signaling — the control plane of Cầu: WebSocket and HTTP on the GLib main
 * loop, driving the sfu over the control protocol.
 *
 *   signaling --config FILE     run; prints "signaling: listening
 *                               http://HOST:PORT" on stdout when ready;
 *                               SIGINT or SIGTERM: clean exit 0
 *   signaling token ...         mint a room token (token_cmd.h)
 *
 * Exit status: 0 after a signal, 1 for a bad configuration or a failure to
 * start (the reason on stderr), 2 for bad arguments.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <glib.h>

#include "signaling/app.h"
#include "signaling/core/config.h"
#include "signaling/server.h"
#include "signaling/token_cmd.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: signaling --config FILE\n"
               "       signaling token --config FILE --room ROOM --role ROLE "
               "--name NAME "
               "[--ttl SECONDS]\n");
}

/* The --config argument, NULL (and a message) when the arguments are wrong. */
static const char *config_arg(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
        else {
            fprintf(stderr, "signaling: unexpected argument: %s\n", argv[i]);
            return NULL;
        }
    }
    if (!path)
        fprintf(stderr, "signaling: --config FILE is required\n");
    return path;
}

static gboolean on_signal(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_CONTINUE;
}

static int run(const struct cau_config *cfg)
{
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    static struct app app;
    if (app_start(&app, cfg, loop) != 0) {
        g_main_loop_unref(loop);
        return 1;
    }
    const char *host = cfg->signaling.listen;
    bool v6 = strchr(host, ':') != NULL;
    printf("signaling: listening http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "",
           server_port(&app));
    fflush(stdout);
    guint sigint = g_unix_signal_add(SIGINT, on_signal, loop);
    guint sigterm = g_unix_signal_add(SIGTERM, on_signal, loop);
    g_main_loop_run(loop);
    g_source_remove(sigint);
    g_source_remove(sigterm);
    app_stop(&app);
    g_main_loop_unref(loop);
    fprintf(stderr, "signaling: stopped\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "token") == 0)
        return token_cmd_main(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    const char *path = config_arg(argc, argv);
    if (!path) {
        usage(stderr);
        return 2;
    }
    static struct cau_config cfg;
    char err[512];
    if (config_load_file(path, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "signaling: %s\n", err);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    return run(&cfg);
}
