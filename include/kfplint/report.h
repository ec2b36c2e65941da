/* report.h — reporters (kfp_report_*): text now, machine formats beside it. */
#ifndef KFPLINT_REPORT_H
#define KFPLINT_REPORT_H

#include "kfplint/rule.h"

#include <stdio.h>

struct kfp_report_opts {
    bool color;      /* ANSI colour */
    bool quiet;      /* findings only, no summary */
    enum kfp_severity min_severity; /* findings below this are not printed */
};

/* Writes findings of results[0..n) (already in path order) as
 * `path:line:col: severity: message [rule-id]` plus the source line and a caret, then a summary.
 * Returns KFP_OK, or KFP_ERR when writing failed. */
int kfp_report_text(FILE *out, struct kfp_result *const *results, size_t n,
                    const struct kfp_report_opts *o);

/* Copies s to out with control characters, escape sequences and invalid UTF-8 neutralised as
 * `\xNN`, so hostile input cannot drive the terminal. */
void kfp_write_safe(FILE *out, const char *s, size_t len);

#endif
