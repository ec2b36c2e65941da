/* path.c — lexical path normalisation and glob matching (kfp_path_*), on libc's fnmatch. */
#include "kfplint/path.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void kfp_path_absolute(const char *path, char *out, size_t cap)
{
    char joined[2 * PATH_MAX];
    if (path[0] == '/' || !getcwd(joined, PATH_MAX))
        snprintf(joined, sizeof(joined), "%s", path);
    else
        snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "/%s", path);
    size_t o = 0;
    out[0] = '\0';
    for (char *save, *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (!strcmp(seg, "."))
            continue;
        if (!strcmp(seg, "..")) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            out[o] = '\0';
            continue;
        }
        int w = snprintf(out + o, cap - o, "/%s", seg);
        o = w < 0 || (size_t)w >= cap - o ? cap - 1 : o + (size_t)w;
    }
    if (o == 0)
        snprintf(out, cap, "/");
}

const char *kfp_path_below(const char *dir, const char *path, char *buf)
{
    char d[2 * PATH_MAX];
    kfp_path_absolute(dir, d, sizeof(d));
    kfp_path_absolute(path, buf, 2 * PATH_MAX);
    size_t n = strlen(d);
    if (n == 1) /* "/" */
        return buf + 1;
    if (strncmp(buf, d, n) || buf[n] != '/')
        return NULL;
    return buf + n + 1;
}

/* fnmatch where a double star (alone or followed by a slash) matches any number of whole
 * segments. */
static bool match(const char *pat, const char *s)
{
    const char *dd = strstr(pat, "**");
    if (!dd)
        return fnmatch(pat, s, FNM_PATHNAME | FNM_PERIOD) == 0;
    char head[1024];
    size_t hl = (size_t)(dd - pat);
    if (hl >= sizeof(head))
        return false;
    memcpy(head, pat, hl);
    head[hl] = '\0';
    const char *rest = dd[2] == '/' ? dd + 3 : dd + 2;
    /* head must match a prefix of s ending at a segment boundary (or be empty) */
    for (const char *p = s;; p++) {
        if (p == s || p[-1] == '/') {
            char pre[1024];
            size_t pl = (size_t)(p - s);
            if (pl < sizeof(pre)) {
                memcpy(pre, s, pl);
                pre[pl] = '\0';
                /* a non-empty head ends with a slash: compare with it kept */
                if ((hl == 0 && pl == 0) || (hl && fnmatch(head, pre, FNM_PATHNAME) == 0)) {
                    if (!*rest)
                        return true;
                    for (const char *q = p;; q++) {
                        if ((q == p || q[-1] == '/') && match(rest, q))
                            return true;
                        if (!*q)
                            break;
                    }
                }
            }
        }
        if (!*p)
            break;
    }
    return false;
}

bool kfp_path_glob(const char *pattern, const char *rel)
{
    while (pattern[0] == '.' && pattern[1] == '/')
        pattern += 2;
    if (!strchr(pattern, '/')) { /* a bare name: any segment at any depth */
        for (const char *p = rel;; p++) {
            if ((p == rel || p[-1] == '/') &&
                fnmatch(pattern, p, FNM_PATHNAME | FNM_PERIOD | FNM_LEADING_DIR) == 0)
                return true;
            if (!*p)
                return false;
        }
    }
    char dirpat[1100];
    size_t n = strlen(pattern);
    if (pattern[n - 1] == '/')
        snprintf(dirpat, sizeof(dirpat), "%s**", pattern);
    else
        snprintf(dirpat, sizeof(dirpat), "%s/**", pattern);
    return match(pattern, rel) || match(dirpat, rel);
}
