/* config_load_string on any bytes: an accepted config keeps every promise
 * of config.h (terminated strings, ranges, unique room ids), a refused one
 * has a printable message and leaves *out untouched, and nothing leaks
 * (Jansson allocates through mem.h here). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "media/core/mem.h"
#include "signaling/core/config.h"

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static void check_accepted(const struct cau_config *c)
{
    if (!TERMINATED(c->signaling.listen) || !TERMINATED(c->signaling.web_root) ||
        !TERMINATED(c->signaling.token_secret) || !TERMINATED(c->signaling.admin_key) ||
        !TERMINATED(c->sfu.control_socket))
        abort();
    if (strlen(c->signaling.token_secret) < CONFIG_TOKEN_SECRET_MIN)
        abort();
    if (c->signaling.port < 1 || c->signaling.port > 65535 || c->sfu.port_min < 1024 ||
        c->sfu.port_max > 65535 || c->sfu.port_min > c->sfu.port_max || c->sfu.workers < 1)
        abort();
    if (c->sfu.n_media_addrs < 1 || c->sfu.n_media_addrs > CONFIG_MAX_MEDIA_ADDRS)
        abort();
    for (int i = 0; i < c->sfu.n_media_addrs; i++)
        if (!TERMINATED(c->sfu.media_addrs[i]) || !c->sfu.media_addrs[i][0])
            abort();
    if (c->n_rooms < 0 || c->n_rooms > CONFIG_MAX_ROOMS)
        abort();
    for (int i = 0; i < c->n_rooms; i++) {
        if (!TERMINATED(c->rooms[i].id) || !TERMINATED(c->rooms[i].title) || !c->rooms[i].id[0])
            abort();
        if (config_find_room(c, c->rooms[i].id) != &c->rooms[i])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    static struct cau_config c, blank;
    if (!init) {
        json_object_seed(1);
        json_set_alloc_funcs(mem_alloc, mem_free);
        init = 1;
    }
    long live = mem_live_count();
    char err[256];
    memset(&c, 0, sizeof c);
    int rc = config_load_string((const char *)data, size, &c, err, sizeof err);
    if (rc == 0) {
        if (err[0])
            abort();
        check_accepted(&c);
    } else {
        if (rc != -EINVAL || !err[0] || memcmp(&c, &blank, sizeof c) != 0)
            abort();
        for (const char *p = err; *p; p++)
            if (*p < 0x20 || *p > 0x7e)
                abort();
    }
    if (mem_live_count() != live)
        abort();
    return 0;
}
