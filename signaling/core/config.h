/* config — the JSON configuration of signaling and sfu (the files of configs/),
 * loaded and validated against declarative key tables. Every key, its type,
 * range and default is documented in docs/operations.md ("Configuration").
 *
 * Rules: the text is one JSON object with the sections "signaling", "sfu"
 * and "rooms"; an unknown key anywhere is an error (a typo must not pass
 * silently); a missing key takes its default, except the required ones
 * (signaling.token_secret, rooms[i].id, and sfu.control_secret of 32..255
 * bytes when sfu.control_tcp is set); duplicate keys are an error.
 *
 * Errors: 0, or -EINVAL with err (NUL-terminated, may be NULL when errlen is
 * 0; printable ASCII but for a file's path) naming the key and the problem:
 *   "signaling.port: expected integer 1..65535, got \"abc\""
 *   "rooms[2].id: missing"
 *   "line 4 column 7: invalid token near 'x'"
 * config_load_file() prefixes the path: "configs/x.json: signaling.port: ...".
 * -ENOMEM when the file buffer cannot be allocated (Jansson reports most of
 * its allocation failures as syntax errors: -EINVAL). On error *out is left
 * untouched, so a reload that fails keeps the old configuration.
 *
 * Allocation: the file buffer through media/core/mem.h, the JSON tree through
 * Jansson; both are freed before returning. The result owns no memory.
 */
#ifndef CAU_CONFIG_H
#define CAU_CONFIG_H

#include <stddef.h>

#define CONFIG_MAX_ROOMS 64
#define CONFIG_MAX_MEDIA_ADDRS 4
#define CONFIG_TOKEN_SECRET_MIN 32
#define CONFIG_CONTROL_SECRET_MIN 32
#define CONFIG_FILE_MAX (1024 * 1024) /* bytes */

struct cau_config_room {
    char id[65];     /* 1..64 of [A-Za-z0-9_-] */
    char title[129]; /* default: the id */
};

struct cau_config {
    struct {
        char listen[64];
        int port;
        char web_root[256];
        char token_secret[256];
        char admin_key[256]; /* "" = admin API disabled */
        int max_message_bytes;
        int messages_per_second;
        int participant_timeout_s;
    } signaling;
    struct {
        char control_socket[108];
        char control_tcp[64];     /* "" = off, else "HOST:PORT" (config_host_port) */
        char control_secret[256]; /* 32..255 bytes when control_tcp is set */
        char media_addrs[CONFIG_MAX_MEDIA_ADDRS][64];
        int n_media_addrs;
        int port_min, port_max;
        int workers;
    } sfu;
    struct cau_config_room rooms[CONFIG_MAX_ROOMS];
    int n_rooms;
};

int config_load_file(const char *path, struct cau_config *out, char *err, size_t errlen);
int config_load_string(const char *text, size_t len, struct cau_config *out, char *err,
                       size_t errlen);

/* Splits "HOST:PORT" (an IPv4 literal, or an IPv6 literal in brackets:
 * "[::1]:9000"; port 1..65535) into host (NUL-terminated, without the
 * brackets) and *port. 0, or -EINVAL when s is not of that form or host
 * does not fit hostlen. */
int config_host_port(const char *s, char *host, size_t hostlen, int *port);

/* The room with this id, or NULL. */
const struct cau_config_room *config_find_room(const struct cau_config *c, const char *id);

#endif
