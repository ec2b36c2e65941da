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

/* Replaces the file at `path` with data atomically: a temporary file in the same directory, the
 * original's mode, fsync, rename. On failure the original is intact, the temporary file is
 * removed, and err says which step failed. */
int kfp_fix_write(const char *path, const char *data, size_t len, struct kfp_error *err);

/* Test hook: make write step `n` fail (1 create, 2 write, 3 chmod, 4 fsync, 5 rename; 0 off).
 * Thread-local. */
void kfp_fix_fail_step(int n);

/* Writes a unified diff of a → b for `path` (3 lines of context). Returns KFP_OK or KFP_ERR. */
int kfp_diff_unified(FILE *out, const char *path, const char *a, size_t alen, const char *b,
                     size_t blen);

#endif
