/* testutil.h — helpers shared by the cmocka tests: lint a string or a file in-process and
 * render its findings as text-reporter lines. */
#ifndef KFPLINT_TESTUTIL_H
#define KFPLINT_TESTUTIL_H

#include "kfplint/rule.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

/* Lint `text` as file `name` with the rules in `only` (comma-separated ids; NULL: defaults).
 * The result must be freed with kfp_result_free(). */
void tu_lint_text(struct kfp_result *res, const char *name, const char *text, const char *only);

/* Options for linting `path` with the rules in `only` (NULL: defaults) and the .kfplint.yaml
 * beside it, if any. Static storage: valid until the next call. */
const struct kfp_lint_opts *tu_opts(const char *path, const char *only);

/* Lint a file from disk the same way. Returns 0, or -1 when it cannot be read. */
int tu_lint_file(struct kfp_result *res, const char *path, const char *display, const char *only);

/* Renders res's findings as `display:line:col: severity: message [rule]` lines into a malloc'd
 * string (caller frees). */
char *tu_render(const struct kfp_result *res);

/* Reads a whole file into a malloc'd NUL-terminated string, or NULL. */
char *tu_read(const char *path, size_t *len);

#endif
