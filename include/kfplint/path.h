/* path.h — path helpers (kfp_path_*): lexical normalisation and glob matching. */
#ifndef KFPLINT_PATH_H
#define KFPLINT_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Absolute, lexically normalised form of path (no '.', '..' or empty segments) into out; a
 * relative path is taken from the working directory. */
void kfp_path_absolute(const char *path, char *out, size_t cap);

/* The part of `path` below directory `dir` (both made absolute), or NULL when it is not below.
 * Points into `buf`, which must hold 2 * PATH_MAX bytes. */
const char *kfp_path_below(const char *dir, const char *path, char *buf);

/* Glob match of a relative path: `*` and `?` stay within one segment, `**` spans segments, a
 * pattern without '/' matches the last segment at any depth, and a directory pattern matches
 * everything below it. */
bool kfp_path_glob(const char *pattern, const char *rel);

#endif
