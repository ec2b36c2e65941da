/* alloc.c — heap wrappers with per-thread fault injection for the out-of-memory tests.
 *
 * The counters are thread-local, so parallel linting stays free of shared mutable state.
 */
#include "kfplint/alloc.h"

#include <stdlib.h>

static _Thread_local unsigned long fail_at;   /* 0: never fail */
static _Thread_local unsigned long alloc_seen; /* allocations since kfp_alloc_fail_after() */
static _Thread_local unsigned long failures;   /* allocations that returned NULL, ever */

static int should_fail(void)
{
    if (!fail_at)
        return 0;
    return ++alloc_seen >= fail_at;
}

void *kfp_malloc(size_t n)
{
    void *p = should_fail() ? NULL : malloc(n ? n : 1);
    failures += p == NULL;
    return p;
}

void *kfp_realloc(void *p, size_t n)
{
    void *q = should_fail() ? NULL : realloc(p, n ? n : 1);
    failures += q == NULL;
    return q;
}

unsigned long kfp_alloc_failures(void)
{
    return failures;
}

void kfp_free(void *p)
{
    free(p);
}

void kfp_alloc_fail_after(unsigned long n)
{
    fail_at = n;
    alloc_seen = 0;
}
