/* path.c — lexical path normalisation and glob matching (kfp_path_*), on libc's fnmatch. */
#include "kfplint/path.h"
#include "kfplint/alloc.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
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

/* What match() already knows: whether the pattern after its k-th double star matches the path
 * from its b-th segment on (0 unknown, 1 no, 2 yes). Without it a pattern of n double stars
 * tries every way of spreading the path's segments over them: exponential in n. */
struct glob_memo {
    const char *s0;     /* the whole path */
    unsigned char *m;   /* n_stars x n_segs, NULL when allocation failed (no memo) */
    size_t n_segs;
};

/* fnmatch where a double star (alone or followed by a slash) matches any number of whole
 * segments. pat is what follows the k-th double star of the pattern (k = 0: the pattern). */
static bool match(const char *pat, const char *s, size_t k, struct glob_memo *mo)
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
                        if (q == p || q[-1] == '/') {
                            size_t seg = 0; /* q's segment index, for the memo */
                            for (const char *c = mo->s0; mo->m && c < q; c++)
                                seg += *c == '/';
                            unsigned char *known = mo->m ? &mo->m[k * mo->n_segs + seg] : NULL;
                            if (known && *known) {
                                if (*known == 2)
                                    return true;
                            } else {
                                bool r = match(rest, q, k + 1, mo);
                                if (known)
                                    *known = r ? 2 : 1;
                                if (r)
                                    return true;
                            }
                        }
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

/* match() with a memo for the path rel (allocated here, freed before returning; without memory
 * the same answer, only slower). */
static bool match_path(const char *pat, const char *rel)
{
    size_t n_stars = 1, n_segs = 1;
    for (const char *p = pat; (p = strstr(p, "**")); p += 2)
        n_stars++;
    for (const char *c = rel; *c; c++)
        n_segs += *c == '/';
    struct glob_memo mo = {rel, NULL, n_segs};
    if (n_stars > 2) /* one or no double star: no repeated work to save */
        mo.m = n_stars <= SIZE_MAX / n_segs ? kfp_malloc(n_stars * n_segs) : NULL;
    if (mo.m)
        memset(mo.m, 0, n_stars * n_segs);
    bool r = match(pat, rel, 0, &mo);
    kfp_free(mo.m);
    return r;
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
    return match_path(pattern, rel) || match_path(dirpat, rel);
}
