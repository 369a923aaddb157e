/* web_path — maps the path of an HTTP GET to a file under the web root, and
 * a file name to its MIME type.
 *
 * web_path_resolve() is lexical and strict: the path must start with '/',
 * anything from '?' or '#' on is ignored, a path ending in '/' means its
 * index.html. It refuses (-EINVAL) every segment that is "." or "..", or
 * starts with '.' (no hidden files), empty segments ("//"), backslashes,
 * '%' (the server hands us decoded paths; a '%' left is a double-encoding
 * trick), and control bytes. The caller still checks that the resolved file,
 * symlinks followed, lies inside the root (web_path_inside).
 *
 * Errors: -EINVAL a refused path or a NULL argument, -ENOSPC out too short.
 * Nothing here allocates.
 */
#ifndef CAU_WEB_PATH_H
#define CAU_WEB_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* out = root "/" path (without its leading '/'), NUL-terminated. */
int web_path_resolve(const char *root, const char *path, char *out, size_t outlen);
/* "text/html; charset=utf-8" for .html, "text/javascript; charset=utf-8" for
 * .js, "text/css; charset=utf-8" for .css, a few more; unknown extensions:
 * "application/octet-stream". */
const char *web_path_mime(const char *file);
/* True when real_file (a canonical path, as realpath() gives) is real_root
 * itself or below it. */
bool web_path_inside(const char *real_root, const char *real_file);

#endif
