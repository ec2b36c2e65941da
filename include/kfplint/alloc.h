/* alloc.h — the one place kfplint gets heap memory from, so that tests can make the Nth
 * allocation fail (fault injection) and prove every failure path is handled.
 */
#ifndef KFPLINT_ALLOC_H
#define KFPLINT_ALLOC_H

#include <stddef.h>

/* malloc/realloc/free with optional fault injection; NULL on failure like libc. */
void *kfp_malloc(size_t n);
void *kfp_realloc(void *p, size_t n);
void kfp_free(void *p);

/* Makes the whole pages inside p[0..n) resident now, in one system call, instead of one page
 * fault per page as they are first written (a large file's tree is hundreds of MB, and a fault
 * costs more than its share of a batch). Ranges under KFP_POPULATE_MIN are left alone (for a few
 * pages the call costs what their faults do). Best effort: where the system cannot (Linux before
 * 5.14, other systems) nothing happens and the pages fault in as before. */
#define KFP_POPULATE_MIN ((size_t)64 << 10)
void kfp_populate(void *p, size_t n);

/* How many allocations of this thread have failed so far. A caller that sees the number grow
 * across an operation knows something inside it ran out of memory, even where the failure was
 * absorbed (a missing JSON member, a skipped name): the CLI then exits 2 instead of printing a
 * partial result. */
unsigned long kfp_alloc_failures(void);

/* Test hook: make the allocation numbered `n` (1-based, counted per thread from this call)
 * and every later one fail; 0 turns failures off. The counter is thread-local. */
void kfp_alloc_fail_after(unsigned long n);

#endif
