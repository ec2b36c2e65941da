/* regex.h — kfplint's built-in regular expressions (kfp_re_*), compiled once per process with
 * pcre2 and read-only afterwards, so every thread can match with its own match data. */
#ifndef KFPLINT_REGEX_H
#define KFPLINT_REGEX_H

#include <stddef.h>

enum kfp_re {
    /* ORDER kfp_re: the pattern table in src/regex.c */
    KFP_RE_IMAGE,        /* distribution image reference; group 1 tag, group 2 digest */
    KFP_RE_SECRET_NAME,  /* env names that hold credentials */
    KFP_RE_SECRET_VALUE, /* well-known credential formats */
    KFP_RE__COUNT
};

/* Matches s[0..len) against pattern `re`. Returns the number of captured groups + 1 (> 0) on a
 * match, 0 on no match, -1 when the pattern is unavailable or memory ran out. When ov is
 * non-NULL it receives up to n_ov (start, end) offset pairs; unset groups are (-1, -1). */
int kfp_re_match(enum kfp_re re, const char *s, size_t len, long *ov, int n_ov);

#endif
