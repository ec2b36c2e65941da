/* common.h — shared basics of kfplint: status codes, source spans, the error record.
 *
 * One error convention everywhere: a function returns KFP_OK (0) or KFP_ERR (-1) and, when the
 * caller passed a non-NULL struct kfp_error, fills it with a message (and a span if it has one).
 */
#ifndef KFPLINT_COMMON_H
#define KFPLINT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define KFP_OK 0
#define KFP_ERR (-1)

#define KFPLINT_VERSION "0.1.0"
/* Where the project lives; SARIF tool.driver.informationUri and help links point here. */
#define KFPLINT_HOMEPAGE "https://github.com/kfplint/kfplint"

/* A byte range [start, end) in a loaded buffer. Line and column are derived on demand from the
 * file's line table (kfp_source_pos), so a span stays two words. */
struct kfp_span {
    uint32_t start; /* byte offset of the first byte */
    uint32_t end;   /* byte offset one past the last byte */
};

/* Error record filled by failing functions. The message is always NUL-terminated. */
struct kfp_error {
    char msg[512];
    int has_span;        /* non-zero when span is meaningful */
    struct kfp_span span;
};

/* Fills err (if non-NULL) with a printf-style message; always returns KFP_ERR. */
int kfp_error_set(struct kfp_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Same, with a span. Always returns KFP_ERR. */
int kfp_error_set_at(struct kfp_error *err, struct kfp_span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
