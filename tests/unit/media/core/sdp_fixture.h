/* Shared by the SDP tests: load a captured Chromium description from
 * tests/unit/media/core/fixtures/ (found next to this header, so the tests
 * run from the repository root as `make test` runs them). */
#ifndef CAU_TEST_SDP_FIXTURE_H
#define CAU_TEST_SDP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/core/sdp.h"
#include "media/core/sdp_parse.h"

static const char *const sdp_fixture_names[] = {
    "chromium_av_offer.sdp",
    "chromium_av_answer.sdp",
    "chromium_simulcast_offer.sdp",
    "chromium_audio_offer.sdp",
};
#define SDP_FIXTURE_COUNT (sizeof sdp_fixture_names / sizeof sdp_fixture_names[0])

/* The fixture's bytes (malloc'd, NUL-terminated; free()), or NULL. */
static inline char *sdp_fixture_load(const char *name, size_t *len)
{
    char path[512];
    *len = 0;
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    int dir = slash ? (int)(slash - here) : 1;
    snprintf(path, sizeof path, "%.*s/fixtures/%s", dir, slash ? here : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(64 * 1024);
    size_t n = buf ? fread(buf, 1, 64 * 1024 - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

#endif
