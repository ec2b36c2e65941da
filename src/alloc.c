/* alloc.c — heap wrappers with per-thread fault injection for the out-of-memory tests.
 *
 * The counters are thread-local, so parallel linting stays free of shared mutable state.
 */
#include "kfplint/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif
#endif

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

void kfp_populate(void *p, size_t n)
{
#if defined(__linux__)
    if (n < KFP_POPULATE_MIN)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1), hi = ((uintptr_t)p + n) & ~(page - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}
