#include "signaling/http_reply.h"

#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>

#include "media/core/mem.h"

struct http_reply *http_reply_new(struct lws *wsi)
{
    struct http_reply *r = mem_zalloc(sizeof *r);
    if (r)
        r->wsi = wsi;
    return r;
}

static void reply_free(struct http_reply *r)
{
    mem_free(r->body);
    mem_free(r);
}

bool http_reply_set(struct http_reply *r, int status, const char *ctype, const char *body,
                    size_t len)
{
    if (!r->wsi) {
        reply_free(r);
        return false;
    }
    mem_free(r->body);
    /* LWS_PRE bytes of headroom: lws_write() needs them before the data. */
    r->body = mem_alloc(LWS_PRE + len + 1);
    r->status = status;
    r->ctype = ctype;
    if (r->body) {
        memcpy(r->body + LWS_PRE, body, len);
        r->len = len;
    } else {
        r->status = 500;
        r->len = 0;
    }
    r->ready = true;
    lws_callback_on_writable(r->wsi);
    return true;
}

bool http_reply_text(struct http_reply *r, int status, const char *body)
{
    char text[256];
    int n = snprintf(text, sizeof text, "%s\n", body);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof text ? sizeof text - 1 : (size_t)n;
    return http_reply_set(r, status, "text/plain; charset=utf-8", text, len);
}

void http_reply_orphan(struct http_reply *r)
{
    if (!r)
        return;
    if (r->ready)
        reply_free(r);
    else
        r->wsi = NULL;
}

static int headers(struct http_reply *r)
{
    unsigned char buf[LWS_PRE + 1024];
    unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
    if (lws_add_http_common_headers(r->wsi, (unsigned)r->status, r->ctype, r->len, &p, end))
        return -1;
    const char *no_store = "no-store";
    if (lws_add_http_header_by_token(r->wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
                                     (const unsigned char *)no_store, (int)strlen(no_store), &p,
                                     end))
        return -1;
    if (r->extra) {
        const char *colon = strchr(r->extra, ':');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(colon - r->extra + 1), r->extra);
        const char *value = colon + 1 + (colon[1] == ' ');
        if (lws_add_http_header_by_name(r->wsi, (const unsigned char *)name,
                                        (const unsigned char *)value, (int)strlen(value), &p, end))
            return -1;
    }
    if (r->close && lws_add_http_header_by_token(r->wsi, WSI_TOKEN_CONNECTION,
                                                 (const unsigned char *)"close", 5, &p, end))
        return -1;
    return lws_finalize_write_http_header(r->wsi, start, &p, end) ? -1 : 0;
}

int http_reply_write(struct http_reply *r)
{
    struct lws *wsi = r->wsi;
    int rc = headers(r);
    if (rc == 0 && r->len) {
        unsigned char *body = (unsigned char *)r->body + LWS_PRE;
        if (lws_write(wsi, body, r->len, LWS_WRITE_HTTP_FINAL) != (int)r->len)
            rc = -1;
    }
    bool close = r->close;
    reply_free(r);
    if (rc || close)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}
