#include "signaling/web_path.h"

#include <errno.h>
#include <string.h>

/* Checks one segment path[0..n); 0 when it may name a file or directory. */
static int check_segment(const char *s, size_t n)
{
    if (n == 0 || s[0] == '.')
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '%')
            return -EINVAL;
    }
    return 0;
}

/* The length of path before any query or fragment. */
static size_t path_len(const char *path)
{
    return strcspn(path, "?#");
}

static int check_path(const char *path, size_t len)
{
    size_t i = 1;
    while (i < len) {
        size_t end = i;
        while (end < len && path[end] != '/')
            end++;
        int rc = check_segment(path + i, end - i);
        if (rc)
            return rc;
        i = end + 1; /* past the '/'; i == len + 1 when the path ended there */
    }
    return 0;
}

int web_path_resolve(const char *root, const char *path, char *out, size_t outlen)
{
    if (!root || !path || !out || !*root || path[0] != '/')
        return -EINVAL;
    size_t len = path_len(path);
    int rc = check_path(path, len);
    if (rc)
        return rc;
    size_t rlen = strlen(root);
    while (rlen > 0 && root[rlen - 1] == '/')
        rlen--; /* the path brings its own '/' (root "/" becomes "") */
    bool dir = path[len - 1] == '/';
    const char *index = dir ? "index.html" : "";
    size_t need = rlen + len + strlen(index) + 1;
    if (need > outlen)
        return -ENOSPC;
    memcpy(out, root, rlen);
    memcpy(out + rlen, path, len);
    strcpy(out + rlen + len, index);
    return 0;
}

struct mime {
    const char *ext;
    const char *type;
};

static const struct mime mimes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
};

const char *web_path_mime(const char *file)
{
    const char *base = file ? strrchr(file, '/') : NULL;
    base = base ? base + 1 : file;
    const char *dot = base ? strrchr(base, '.') : NULL;
    if (dot)
        for (size_t i = 0; i < sizeof mimes / sizeof mimes[0]; i++)
            if (strcmp(dot, mimes[i].ext) == 0)
                return mimes[i].type;
    return "application/octet-stream";
}

bool web_path_inside(const char *real_root, const char *real_file)
{
    if (!real_root || !real_file)
        return false;
    size_t n = strlen(real_root);
    while (n > 1 && real_root[n - 1] == '/')
        n--;
    if (strncmp(real_root, real_file, n) != 0)
        return false;
    if (n == 1 && real_root[0] == '/')
        return real_file[0] == '/';
    return real_file[n] == '\0' || real_file[n] == '/';
}
