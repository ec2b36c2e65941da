/* baseline.h — baseline files (kfp_baseline_*): today's findings recorded by rule, path and a
 * location-independent fingerprint, so later runs report only new ones. */
#ifndef KFPLINT_BASELINE_H
#define KFPLINT_BASELINE_H

#include "kfplint/rule.h"

struct kfp_baseline;

/* Loads a baseline written by kfp_baseline_write. Returns a new baseline owned by the caller,
 * or NULL with a message in err. */
struct kfp_baseline *kfp_baseline_load(const char *path, struct kfp_error *err);

/* Removes from every result the findings the baseline records. Returns how many were removed,
 * or (size_t)-1 on allocation failure. */
size_t kfp_baseline_filter(const struct kfp_baseline *b, struct kfp_result *const *results, size_t n);

/* Writes the findings of results as a baseline file. Returns KFP_OK or KFP_ERR with err. */
int kfp_baseline_write(const char *path, struct kfp_result *const *results, size_t n,
                       struct kfp_error *err);

void kfp_baseline_free(struct kfp_baseline *b);

#endif
