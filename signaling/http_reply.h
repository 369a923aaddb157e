/* http_reply — one HTTP response of a dynamic route, written when lws says
 * the connection is writable.
 *
 * A route makes a reply (http_reply_new) and either fills it at once
 * (http_reply_set / http_reply_text, which ask lws for a writable callback)
 * or later, when an answer it waits for arrives (e.g. the sfu's stats for
 * /metrics). If the connection closes first, http_reply_orphan() marks the
 * reply: whoever fills it later frees it instead (http_reply_set returns
 * false then), so an answer never touches a closed connection.
 *
 * Ownership: the connection's per-session data holds the reply until it is
 * written (http_reply_write frees it) or orphaned; the body is copied.
 * Errors: http_reply_new returns NULL on -ENOMEM; http_reply_write returns
 * -1 when lws must close the connection.
 */
#ifndef CAU_HTTP_REPLY_H
#define CAU_HTTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

struct lws;

struct http_reply {
    struct lws *wsi; /* NULL once orphaned */
    int status;
    const char *ctype; /* static string */
    const char *extra; /* an extra header line "Name: value", static, or NULL */
    bool close;        /* close the connection after this reply */
    char *body;
    size_t len;
    bool ready;
};

struct http_reply *http_reply_new(struct lws *wsi);
/* Fills the reply and asks for a writable callback; false (and the reply
 * freed) when it was orphaned. */
bool http_reply_set(struct http_reply *r, int status, const char *ctype, const char *body,
                    size_t len);
/* A text/plain reply of body and a newline. */
bool http_reply_text(struct http_reply *r, int status, const char *body);
/* The connection closed: free a filled reply, orphan one still waited for. */
void http_reply_orphan(struct http_reply *r);
/* Writes headers and body, frees the reply; 0, or -1 to close. */
int http_reply_write(struct http_reply *r);

#endif
