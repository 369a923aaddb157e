#include "signaling/token_cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signaling/core/config.h"
#include "signaling/jwt.h"

static const char usage[] =
    "usage: signaling token --config FILE --room ROOM --role ROLE --name NAME [--ttl SECONDS]\n"
    "  ROLE: chair, participant or observer; NAME: 1..64 bytes; SECONDS: 1..31536000 "
    "(default 86400)\n";

struct token_args {
    const char *config, *room, *role, *name, *ttl;
};

static int usage_error(FILE *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(FILE *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(err, "signaling token: ");
    vfprintf(err, fmt, ap);
    fprintf(err, "\n%s", usage);
    va_end(ap);
    return 2;
}

/* The slot of option name (without "--"), or NULL. */
static const char **slot(struct token_args *a, const char *name, size_t len)
{
    static const char *const names[] = {"config", "room", "role", "name", "ttl"};
    const char **slots[] = {&a->config, &a->room, &a->role, &a->name, &a->ttl};
    for (size_t i = 0; i < 5; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return slots[i];
    return NULL;
}

/* 0 parsed, 2 usage error (reported), -1 --help. */
static int parse_args(int argc, char **argv, struct token_args *a, FILE *err)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return -1;
        if (strncmp(arg, "--", 2) != 0)
            return usage_error(err, "unexpected argument \"%s\"", arg);
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        const char **s = slot(a, arg + 2, len);
        if (!s)
            return usage_error(err, "unknown option %s", arg);
        if (eq) {
            *s = eq + 1;
        } else if (i + 1 < argc) {
            *s = argv[++i];
        } else {
            return usage_error(err, "%s needs a value", arg);
        }
    }
    if (!a->config)
        return usage_error(err, "%s is required", "--config");
    if (!a->room)
        return usage_error(err, "%s is required", "--room");
    if (!a->role)
        return usage_error(err, "%s is required", "--role");
    if (!a->name)
        return usage_error(err, "%s is required", "--name");
    return 0;
}

static int check_args(const struct token_args *a, long long *ttl, FILE *err)
{
    if (!jwt_role_valid(a->role))
        return usage_error(err, "--role must be chair, participant or observer, not \"%s\"",
                           a->role);
    size_t n = strlen(a->name);
    if (n == 0 || n > 64)
        return usage_error(err, "--name must be 1..64 bytes");
    *ttl = TOKEN_CMD_DEFAULT_TTL;
    if (a->ttl) {
        char *end;
        errno = 0;
        *ttl = strtoll(a->ttl, &end, 10);
        if (errno || end == a->ttl || *end || *ttl < 1 || *ttl > TOKEN_CMD_MAX_TTL)
            return usage_error(err, "--ttl must be 1..31536000 seconds, not \"%s\"", a->ttl);
    }
    return 0;
}

int token_cmd_run(int argc, char **argv, int64_t now_s, FILE *out, FILE *err)
{
    struct token_args a;
    long long ttl = TOKEN_CMD_DEFAULT_TTL;
    int rc = parse_args(argc, argv, &a, err);
    if (rc == -1) {
        fputs(usage, out);
        return 0;
    }
    if (rc || (rc = check_args(&a, &ttl, err)) != 0)
        return rc;
    struct cau_config cfg;
    char msg[512];
    if (config_load_file(a.config, &cfg, msg, sizeof msg) != 0) {
        fprintf(err, "signaling token: %s\n", msg);
        return 1;
    }
    if (!config_find_room(&cfg, a.room)) {
        fprintf(err, "signaling token: no room \"%s\" in %s\n", a.room, a.config);
        return 2;
    }
    struct jwt_claims c = {.exp = now_s + ttl, .iat = now_s};
    snprintf(c.room, sizeof c.room, "%s", a.room);
    snprintf(c.role, sizeof c.role, "%s", a.role);
    snprintf(c.name, sizeof c.name, "%s", a.name);
    char tok[JWT_MAX_LEN + 1];
    rc = jwt_sign(cfg.signaling.token_secret, strlen(cfg.signaling.token_secret), &c, tok,
                  sizeof tok);
    if (rc == -EINVAL)
        return usage_error(err, "--name must be UTF-8");
    if (rc) {
        fprintf(err, "signaling token: cannot sign: %s\n", strerror(-rc));
        return 1;
    }
    if (fprintf(out, "%s\n", tok) < 0 || fflush(out) != 0) {
        fprintf(err, "signaling token: cannot write the token\n");
        return 1;
    }
    return 0;
}

int token_cmd_main(int argc, char **argv)
{
    return token_cmd_run(argc, argv, (int64_t)time(NULL), stdout, stderr);
}
