/* fix.h — applying fixes (kfp_fix_*), ruff's way: sorted byte-range edits on the original text,
 * overlapping fixes skipped, re-lint and repeat to a fixpoint with a cap, accept the result only
 * if it parses and has no finding the original did not have, and write it atomically. */
#ifndef KFPLINT_FIX_H
#define KFPLINT_FIX_H

#include "kfplint/rule.h"

#include <stdio.h>

#define KFP_FIX_MAX_ITERATIONS 20

enum kfp_fix_status {
    KFP_FIX_NONE,        /* nothing to fix: *out is NULL */
    KFP_FIX_APPLIED,     /* *out holds the fixed text */
    KFP_FIX_NOT_PARSED,  /* the file does not parse: never touched */
    KFP_FIX_REJECTED,    /* the result would not parse or has new findings: nothing written */
    KFP_FIX_NO_CONVERGE, /* still changing after KFP_FIX_MAX_ITERATIONS rounds */
    KFP_FIX_NOMEM,
};

struct kfp_fix_outcome {
    enum kfp_fix_status status;
    char *out;          /* fixed text (kfp_malloc'd, owned by the caller) or NULL */
    size_t out_len;
    size_t applied;     /* fixes applied over all rounds */
    char why[768];      /* for REJECTED / NO_CONVERGE: what went wrong */
};

/* Applies the fixes of data[0..len) (safe ones; unsafe ones too when `unsafe`). Does not write
 * anything; `data` is not modified and stays owned by the caller. */
void kfp_fix_buffer(const struct kfp_lint_opts *opts, const char *path, const char *data, size_t len,
                    bool unsafe, struct kfp_fix_outcome *out);

/* An atomic replacement of one file (kfp_atomic_*): a temporary file beside the target that
 * takes the target's mode, owner and group, then fsync and rename. What it never does, as git
 * and ruff never do: replace a symbolic link (the file it names is replaced and the link kept),
 * split a hard link (a file with more than one link is refused: rename would leave the other
 * names on the old text), write a read-only file (no write bit, or not writable for us: refused
 * even for root), hand a file to another owner (when the owner or group cannot be kept, the
 * file is not replaced), or write over a file that changed since it was read (`expect`). */
struct kfp_atomic {
    char target[4096]; /* the file replaced: the path, with a symbolic link resolved */
    char tmp[4096 + 32];
    int fd;            /* the temporary file, -1 when none */
    FILE *stream;      /* kfp_atomic_stream's stdio stream on fd, or NULL */
    bool existed;      /* the target existed (mode, owner, identity below are its own) */
    unsigned mode;
    unsigned uid, gid;
    unsigned long long dev, ino;
};

/* Checks that `path` may be replaced (see above) and creates the temporary file. Returns KFP_OK,
 * or KFP_ERR with the reason in err and nothing created. After KFP_OK the caller writes to a->fd
 * (or to kfp_atomic_stream) and ends with exactly one of kfp_atomic_commit or kfp_atomic_abort. */
int kfp_atomic_begin(struct kfp_atomic *a, const char *path, struct kfp_error *err);

/* A stdio stream on the temporary file (owned by a; closed by commit or abort), NULL on failure. */
FILE *kfp_atomic_stream(struct kfp_atomic *a);

/* Keeps mode, owner and group, fsyncs and renames the temporary file over the target. When
 * `expect` is not NULL, the target must still hold exactly expect[0..expect_len) (and be the
 * same inode) at that moment, or nothing is replaced. On any failure the target is intact, the
 * temporary file removed, and err says why. Returns KFP_OK or KFP_ERR. */
int kfp_atomic_commit(struct kfp_atomic *a, const char *expect, size_t expect_len,
                      struct kfp_error *err);

/* Removes the temporary file; the target is untouched. */
void kfp_atomic_abort(struct kfp_atomic *a);

/* Replaces the file at `path` (which must exist) with data[0..len) through kfp_atomic_*, only if
 * it still holds expect[0..expect_len) (no check when expect is NULL). On failure the original
 * is intact, no temporary file is left, and err says which step failed. */
int kfp_fix_write_checked(const char *path, const char *expect, size_t expect_len,
                          const char *data, size_t len, struct kfp_error *err);

/* kfp_fix_write_checked without the check that the file is unchanged. */
int kfp_fix_write(const char *path, const char *data, size_t len, struct kfp_error *err);

/* Test hook: make write step `n` fail (1 create, 2 write, 3 chmod, 4 fsync, 5 rename, 6 chown
 * (when the owner or group must be set); 0 off). Thread-local. */
void kfp_fix_fail_step(int n);

/* Writes a unified diff of a → b for `path` (3 lines of context). Returns KFP_OK or KFP_ERR. */
int kfp_diff_unified(FILE *out, const char *path, const char *a, size_t alen, const char *b,
                     size_t blen);

#endif
