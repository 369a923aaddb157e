#include "signaling/core/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "media/core/errbuf.h"
#include "media/core/mem.h"
#include "signaling/core/schema.h"

/* How a key's value is checked and stored. */
enum key_type {
    K_STR,     /* string of min..max bytes into char[cap] */
    K_IDENT,   /* same, of [A-Za-z0-9_-] only */
    K_IP,      /* an IPv4 or IPv6 address literal into char[cap] */
    K_ADDR,    /* "" or "HOST:PORT" (config_host_port) into char[cap] */
    K_IP_LIST, /* array of 1..max addresses into char[max][cap], count at count_off */
    K_INT,     /* integer min..max into int */
};

struct key {
    const char *name;
    enum key_type type;
    size_t off;         /* of the value in the section's struct */
    size_t cap;         /* strings: size of the char array */
    long long min, max; /* ints: range; strings: length in bytes; lists: elements */
    bool required;
    const char *def_s; /* default of a string (or the one address of a list) */
    long long def_i;   /* default of an integer */
    size_t count_off;  /* K_IP_LIST: offset of the int count */
};

#define SIG(m)                                                                                     \
    offsetof(struct cau_config, signaling.m), sizeof(((struct cau_config *)0)->signaling.m)
#define SFU(m) offsetof(struct cau_config, sfu.m), sizeof(((struct cau_config *)0)->sfu.m)
#define ROOM(m) offsetof(struct cau_config_room, m), sizeof(((struct cau_config_room *)0)->m)

static const struct key signaling_keys[] = {
    {"listen", K_IP, SIG(listen), 0, 0, false, "127.0.0.1", 0, 0},
    {"port", K_INT, SIG(port), 1, 65535, false, NULL, 8080, 0},
    {"web_root", K_STR, SIG(web_root), 1, 255, false, "signaling/web", 0, 0},
    {"token_secret", K_STR, SIG(token_secret), CONFIG_TOKEN_SECRET_MIN, 255, true, NULL, 0, 0},
    {"admin_key", K_STR, SIG(admin_key), 0, 255, false, "", 0, 0},
    {"max_message_bytes", K_INT, SIG(max_message_bytes), 40960, 1048576, false, NULL, 65536, 0},
    {"messages_per_second", K_INT, SIG(messages_per_second), 1, 10000, false, NULL, 50, 0},
    {"participant_timeout_s", K_INT, SIG(participant_timeout_s), 1, 3600, false, NULL, 10, 0},
};

static const struct key sfu_keys[] = {
    {"control_socket", K_STR, SFU(control_socket), 1, 107, false, "build/run/sfu.sock", 0, 0},
    {"control_tcp", K_ADDR, SFU(control_tcp), 0, 0, false, "", 0, 0},
    {"control_secret", K_STR, SFU(control_secret), 0, 255, false, "", 0, 0},
    {"media_addrs", K_IP_LIST, offsetof(struct cau_config, sfu.media_addrs),
     sizeof(((struct cau_config *)0)->sfu.media_addrs[0]), 1, CONFIG_MAX_MEDIA_ADDRS, false,
     "127.0.0.1", 0, offsetof(struct cau_config, sfu.n_media_addrs)},
    {"port_min", K_INT, SFU(port_min), 1024, 65535, false, NULL, 40000, 0},
    {"port_max", K_INT, SFU(port_max), 1024, 65535, false, NULL, 40999, 0},
    {"workers", K_INT, SFU(workers), 1, 64, false, NULL, 2, 0},
};

static const struct key room_keys[] = {
    {"id", K_IDENT, ROOM(id), 1, 64, true, NULL, 0, 0},
    {"title", K_STR, ROOM(title), 0, 128, false, "", 0, 0},
};

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

/* Whether s[0..len) may appear in a message: short printable ASCII. */
static bool printable(const char *s, size_t len)
{
    if (len > 32)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
            return false;
    return true;
}

/* A short description of v for "got ...": quoted when a short printable
 * string, else its kind. Never echoes long strings (they may be secrets). */
static void got(const json_t *v, char *buf, size_t n)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (printable(s, len))
            snprintf(buf, n, "\"%s\"", s);
        else
            snprintf(buf, n, "a string of %zu bytes", len);
    } else if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        snprintf(buf, n, "%g", json_real_value(v));
    } else if (json_is_true(v) || json_is_false(v)) {
        snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
    } else if (json_is_null(v)) {
        snprintf(buf, n, "null");
    } else {
        snprintf(buf, n, "%s", json_is_object(v) ? "an object" : "an array");
    }
}

static bool ident_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static bool ip_ok(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int config_host_port(const char *s, char *host, size_t hostlen, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return -EINVAL;
    const char *h = s, *hend = colon;
    if (s[0] == '[') {
        if (colon[-1] != ']')
            return -EINVAL;
        h = s + 1;
        hend = colon - 1;
    }
    size_t hlen = (size_t)(hend - h);
    char tmp[64];
    if (hlen == 0 || hlen >= sizeof tmp || hlen >= hostlen)
        return -EINVAL;
    memcpy(tmp, h, hlen);
    tmp[hlen] = '\0';
    unsigned char buf[16];
    bool v6 = inet_pton(AF_INET6, tmp, buf) == 1;
    if (v6 != (s[0] == '[') || (!v6 && inet_pton(AF_INET, tmp, buf) != 1))
        return -EINVAL; /* IPv6 needs its brackets, IPv4 must not have them */
    const char *p = colon + 1;
    long v = 0;
    if (!*p || strlen(p) > 5)
        return -EINVAL;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return -EINVAL;
        v = v * 10 + (*p - '0');
    }
    if (v < 1 || v > 65535)
        return -EINVAL;
    memcpy(host, tmp, hlen + 1);
    *port = (int)v;
    return 0;
}

static bool addr_ok(const char *s)
{
    char host[64];
    int port;
    return !*s || config_host_port(s, host, sizeof host, &port) == 0;
}

/* The "expected" text of a string key. */
static void expect_str(const struct key *k, char *buf, size_t n)
{
    if (k->type == K_ADDR)
        snprintf(buf, n, "\"\" or HOST:PORT (\"127.0.0.1:9000\", \"[::1]:9000\")");
    else if (k->type == K_IP)
        snprintf(buf, n, "an IPv4 or IPv6 address");
    else if (k->type == K_IDENT)
        snprintf(buf, n, "%lld..%lld letters, digits, '-' or '_'", k->min, k->max);
    else if (k->min > 0)
        snprintf(buf, n, "string of %lld..%lld bytes", k->min, k->max);
    else
        snprintf(buf, n, "string of at most %lld bytes", k->max);
}

/* Check string v against k and copy it into dst[0..cap). */
static int set_str(const struct key *k, const json_t *v, char *dst, size_t cap, const char *path,
                   char *err, size_t errlen)
{
    char want[96], g[64];
    expect_str(k, want, sizeof want);
    if (!json_is_string(v)) {
        got(v, g, sizeof g);
        return errbuf_fmt(err, errlen, -EINVAL, "%s: expected %s, got %s", path, want, g);
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    long long max = k->type == K_IP || k->type == K_ADDR ? (long long)cap - 1 : k->max;
    long long min = k->type == K_IP ? 1 : k->min;
    if ((long long)len < min || (long long)len > max || len + 1 > cap) {
        if (k->type == K_STR)
            return errbuf_fmt(err, errlen, -EINVAL, "%s: expected %s, got %zu bytes", path, want,
                              len);
        got(v, g, sizeof g);
        return errbuf_fmt(err, errlen, -EINVAL, "%s: expected %s, got %s", path, want, g);
    }
    if ((k->type == K_IDENT && !ident_ok(s)) || (k->type == K_IP && !ip_ok(s)) ||
        (k->type == K_ADDR && !addr_ok(s))) {
        got(v, g, sizeof g);
        return errbuf_fmt(err, errlen, -EINVAL, "%s: expected %s, got %s", path, want, g);
    }
    memcpy(dst, s, len + 1);
    return 0;
}

static int set_int(const struct key *k, const json_t *v, int *dst, const char *path, char *err,
                   size_t errlen)
{
    if (!json_is_integer(v) || json_integer_value(v) < k->min || json_integer_value(v) > k->max) {
        char g[64];
        got(v, g, sizeof g);
        return errbuf_fmt(err, errlen, -EINVAL, "%s: expected integer %lld..%lld, got %s", path,
                          k->min, k->max, g);
    }
    *dst = (int)json_integer_value(v);
    return 0;
}

static int set_ip_list(const struct key *k, const json_t *v, char *base, const char *path,
                       char *err, size_t errlen)
{
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n < (size_t)k->min || n > (size_t)k->max) {
        char g[64];
        got(v, g, sizeof g);
        if (json_is_array(v))
            snprintf(g, sizeof g, "%zu", n);
        return errbuf_fmt(err, errlen, -EINVAL,
                          "%s: expected array of %lld..%lld addresses, got %s", path, k->min,
                          k->max, g);
    }
    const struct key elem = {.type = K_IP};
    for (size_t i = 0; i < n; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        int rc = set_str(&elem, json_array_get(v, i), base + k->off + i * k->cap, k->cap, p, err,
                         errlen);
        if (rc)
            return rc;
    }
    *(int *)(void *)(base + k->count_off) = (int)n;
    return 0;
}

static void set_default(const struct key *k, char *base)
{
    switch (k->type) {
    case K_INT:
        *(int *)(void *)(base + k->off) = (int)k->def_i;
        break;
    case K_IP_LIST:
        snprintf(base + k->off, k->cap, "%s", k->def_s);
        *(int *)(void *)(base + k->count_off) = 1;
        break;
    default:
        snprintf(base + k->off, k->cap, "%s", k->def_s ? k->def_s : "");
        break;
    }
}

static int set_value(const struct key *k, const json_t *v, char *base, const char *path, char *err,
                     size_t errlen)
{
    switch (k->type) {
    case K_INT:
        return set_int(k, v, (int *)(void *)(base + k->off), path, err, errlen);
    case K_IP_LIST:
        return set_ip_list(k, v, base, path, err, errlen);
    default:
        return set_str(k, v, base + k->off, k->cap, path, err, errlen);
    }
}

/* Load object obj (NULL: absent, every key takes its default) described by
 * keys[0..n) into base; path names the object in messages ("signaling",
 * "rooms[2]"). */
static int load_object(const json_t *obj, const struct key *keys, size_t n, char *base,
                       const char *path, char *err, size_t errlen)
{
    char p[128], g[64];
    if (obj && !json_is_object(obj)) {
        got(obj, g, sizeof g);
        return errbuf_fmt(err, errlen, -EINVAL, "%s: expected object, got %s", path, g);
    }
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)obj, name, v)
    {
        size_t i = 0;
        while (i < n && strcmp(keys[i].name, name) != 0)
            i++;
        if (i == n) {
            if (!printable(name, strlen(name)))
                return errbuf_fmt(err, errlen, -EINVAL, "%s: unknown key of %zu bytes", path,
                                  strlen(name));
            return errbuf_fmt(err, errlen, -EINVAL, "%s.%s: unknown key", path, name);
        }
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s.%s", path, keys[i].name);
        v = obj ? json_object_get(obj, keys[i].name) : NULL;
        if (!v && keys[i].required)
            return errbuf_fmt(err, errlen, -EINVAL, "%s: missing", p);
        if (!v) {
            set_default(&keys[i], base);
            continue;
        }
        int rc = set_value(&keys[i], v, base, p, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

/* Room ids are unique: two rooms of one id would make tokens ambiguous. */
static int check_rooms(const struct cau_config *c, char *err, size_t errlen)
{
    for (int i = 0; i < c->n_rooms; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(c->rooms[i].id, c->rooms[j].id) == 0)
                return errbuf_fmt(err, errlen, -EINVAL,
                                  "rooms[%d].id: duplicate of rooms[%d].id \"%s\"", i, j,
                                  c->rooms[i].id);
    return 0;
}

static int load_rooms(const json_t *rooms, struct cau_config *c, char *err, size_t errlen)
{
    c->n_rooms = 0;
    if (!rooms)
        return 0;
    if (!json_is_array(rooms) || json_array_size(rooms) > CONFIG_MAX_ROOMS) {
        char g[64];
        got(rooms, g, sizeof g);
        if (json_is_array(rooms))
            snprintf(g, sizeof g, "%zu", json_array_size(rooms));
        return errbuf_fmt(err, errlen, -EINVAL, "rooms: expected array of at most %d rooms, got %s",
                          CONFIG_MAX_ROOMS, g);
    }
    for (size_t i = 0; i < json_array_size(rooms); i++) {
        char path[32];
        snprintf(path, sizeof path, "rooms[%zu]", i);
        struct cau_config_room *r = &c->rooms[i];
        int rc = load_object(json_array_get(rooms, i), room_keys, NKEYS(room_keys), (char *)r, path,
                             err, errlen);
        if (rc)
            return rc;
        if (!r->title[0])
            memcpy(r->title, r->id, sizeof r->id);
        c->n_rooms++;
    }
    return check_rooms(c, err, errlen);
}

static int load_root(const json_t *root, struct cau_config *c, char *err, size_t errlen)
{
    static const char *const sections[] = {"signaling", "sfu", "rooms"};
    if (!json_is_object(root))
        return errbuf_fmt(err, errlen, -EINVAL, "expected a JSON object");
    const char *name;
    const json_t *v;
    json_object_foreach((json_t *)root, name, v)
    {
        size_t i = 0;
        while (i < NKEYS(sections) && strcmp(sections[i], name) != 0)
            i++;
        if (i == NKEYS(sections)) {
            if (!printable(name, strlen(name)))
                return errbuf_fmt(err, errlen, -EINVAL, "unknown key of %zu bytes", strlen(name));
            return errbuf_fmt(err, errlen, -EINVAL, "%s: unknown key", name);
        }
    }
    int rc = load_object(json_object_get(root, "signaling"), signaling_keys, NKEYS(signaling_keys),
                         (char *)c, "signaling", err, errlen);
    if (!rc)
        rc = load_object(json_object_get(root, "sfu"), sfu_keys, NKEYS(sfu_keys), (char *)c, "sfu",
                         err, errlen);
    if (!rc && c->sfu.control_tcp[0] && strlen(c->sfu.control_secret) < CONFIG_CONTROL_SECRET_MIN)
        rc = errbuf_fmt(err, errlen, -EINVAL,
                        "sfu.control_secret: required, %d..255 bytes, when sfu.control_tcp is "
                        "set, got %zu bytes",
                        CONFIG_CONTROL_SECRET_MIN, strlen(c->sfu.control_secret));
    if (!rc && c->sfu.port_max < c->sfu.port_min)
        rc = errbuf_fmt(err, errlen, -EINVAL, "sfu.port_max: %d is below sfu.port_min %d",
                        c->sfu.port_max, c->sfu.port_min);
    if (!rc)
        rc = load_rooms(json_object_get(root, "rooms"), c, err, errlen);
    return rc;
}

int config_load_string(const char *text, size_t len, struct cau_config *out, char *err,
                       size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        schema_json_error(&je, err, errlen);
        return json_error_code(&je) == json_error_out_of_memory ? -ENOMEM : -EINVAL;
    }
    struct cau_config c;
    memset(&c, 0, sizeof c);
    int rc = load_root(root, &c, err, errlen);
    json_decref(root);
    if (rc == 0)
        *out = c;
    return rc;
}

/* Read the whole file into a mem_alloc'd buffer. */
static int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errbuf_fmt(err, errlen, -EINVAL, "%s", strerror(errno));
    char *b = mem_alloc(CONFIG_FILE_MAX + 1);
    if (!b) {
        fclose(f);
        errbuf_fmt(err, errlen, -EINVAL, "out of memory");
        return -ENOMEM;
    }
    size_t n = fread(b, 1, CONFIG_FILE_MAX + 1, f);
    int rc = 0;
    if (ferror(f))
        rc = errbuf_fmt(err, errlen, -EINVAL, "read error");
    else if (n > CONFIG_FILE_MAX)
        rc = errbuf_fmt(err, errlen, -EINVAL, "larger than %d bytes", CONFIG_FILE_MAX);
    fclose(f);
    if (rc) {
        mem_free(b);
        return rc;
    }
    *buf = b;
    *len = n;
    return 0;
}

int config_load_file(const char *path, struct cau_config *out, char *err, size_t errlen)
{
    char msg[256] = "";
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(path, &buf, &len, msg, sizeof msg);
    if (rc == 0) {
        rc = config_load_string(buf, len, out, msg, sizeof msg);
        mem_free(buf);
    }
    if (rc && err && errlen)
        snprintf(err, errlen, "%s: %s", path, msg);
    return rc;
}

const struct cau_config_room *config_find_room(const struct cau_config *c, const char *id)
{
    for (int i = 0; i < c->n_rooms; i++)
        if (strcmp(c->rooms[i].id, id) == 0)
            return &c->rooms[i];
    return NULL;
}
