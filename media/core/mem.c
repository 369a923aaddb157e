#include "media/core/mem.h"

#include <stdlib.h>
#include <string.h>

static unsigned long fail_at;   /* 0: never fail */
static unsigned long attempted; /* allocations since the last reset */
static long live;

static int should_fail(void)
{
    attempted++;
    return fail_at != 0 && attempted >= fail_at;
}

void *mem_alloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        live++;
    return p;
}

void *mem_zalloc(size_t n)
{
    void *p = mem_alloc(n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *mem_realloc(void *p, size_t n)
{
    if (!p)
        return mem_alloc(n);
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

char *mem_strndup(const char *s, size_t n)
{
    char *d = mem_alloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mem_strdup(const char *s)
{
    return mem_strndup(s, strlen(s));
}

void mem_free(void *p)
{
    if (!p)
        return;
    live--;
    free(p);
}

void mem_fail_nth(unsigned long nth)
{
    fail_at = nth;
    attempted = 0;
}

unsigned long mem_alloc_count(void)
{
    return attempted;
}

long mem_live_count(void)
{
    return live;
}
