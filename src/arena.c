/* arena.c — bump allocator (kfp_arena_*) and arena-backed pointer vectors (kfp_vec_*).
 *
 * Blocks grow geometrically up to 1 MiB; a request larger than a block gets a block of its own.
 */
#include "kfplint/arena.h"
#include "kfplint/common.h"
#include "kfplint/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct kfp_arena_block {
    struct kfp_arena_block *next; /* older block */
    size_t size;                  /* usable bytes in data */
    size_t used;                  /* bytes handed out */
    size_t ready;                 /* bytes of data made resident ahead of use (kfp_populate) */
    max_align_t data[];           /* the memory */
};

#define ARENA_MIN_BLOCK 4096u
#define ARENA_MAX_BLOCK (1u << 20)

void kfp_arena_init(struct kfp_arena *a)
{
    a->head = NULL;
    a->block_size = ARENA_MIN_BLOCK;
    a->failed = 0;
}

static void *arena_take(struct kfp_arena *a, size_t n, size_t align);

/* Nothing kfplint keeps in an arena needs more than 8-byte alignment (no long double, no
 * vector types); 16 would waste a quarter of every node. */
#define ARENA_ALIGN 8

void *kfp_arena_alloc(struct kfp_arena *a, size_t n)
{
    return arena_take(a, n, ARENA_ALIGN);
}

void *kfp_arena_alloc_aligned(struct kfp_arena *a, size_t n, size_t align)
{
    return arena_take(a, n, align);
}

void *kfp_arena_alloc_bytes(struct kfp_arena *a, size_t n)
{
    return arena_take(a, n, 1);
}

char *kfp_arena_strndup_bytes(struct kfp_arena *a, const char *s, size_t n)
{
    char *p = arena_take(a, n + 1, 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Pages are made resident ahead of use this much at a time: a batch per 64 pages instead of a
 * fault per page, and never more than this beyond what an arena uses. */
#define ARENA_READY_STEP ((size_t)256 << 10)

/* Makes b's pages resident past b->used (kfp_populate), a step at a time. */
static void arena_ready(struct kfp_arena_block *b)
{
    size_t end = b->ready + ARENA_READY_STEP;
    if (end < b->used)
        end = b->used;
    if (end > b->size)
        end = b->size;
    kfp_populate((char *)b->data + b->ready, end - b->ready);
    b->ready = end;
}

/* n bytes aligned to `align` (a power of two) from the current block, or a new one. */
static void *arena_take(struct kfp_arena *a, size_t n, size_t align)
{
    if (n == 0)
        n = 1;
    struct kfp_arena_block *b = a->head;
    if (b) {
        size_t at = (b->used + align - 1) & ~(align - 1);
        if (at <= b->size && b->size - at >= n) {
            b->used = at + n;
            if (b->used > b->ready)
                arena_ready(b);
            return (char *)b->data + at;
        }
    }
    {
        size_t size = a->block_size;
        if (size < n)
            size = n;
        b = kfp_malloc(sizeof(*b) + size);
        if (!b) {
            a->failed = 1;
            return NULL;
        }
        b->size = size;
        b->used = 0;
        b->ready = 0;
        b->next = a->head;
        a->head = b;
        if (a->block_size < ARENA_MAX_BLOCK)
            a->block_size *= 2;
    }
    b->used = n; /* the block's data is maximally aligned */
    arena_ready(b);
    return b->data;
}

void *kfp_arena_calloc(struct kfp_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        a->failed = 1;
        return NULL;
    }
    void *p = kfp_arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *kfp_arena_strndup(struct kfp_arena *a, const char *s, size_t n)
{
    return kfp_arena_strndup_bytes(a, s, n); /* text needs no alignment */
}

char *kfp_arena_strdup(struct kfp_arena *a, const char *s)
{
    return kfp_arena_strndup(a, s, strlen(s));
}

char *kfp_arena_printf(struct kfp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = kfp_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

struct kfp_arena_mark kfp_arena_mark(const struct kfp_arena *a)
{
    struct kfp_arena_mark m = {a->head, a->head ? a->head->used : 0, a->block_size};
    return m;
}

void kfp_arena_release(struct kfp_arena *a, struct kfp_arena_mark m)
{
    while (a->head != m.head) {
        struct kfp_arena_block *next = a->head->next;
        kfp_free(a->head);
        a->head = next;
    }
    if (a->head)
        a->head->used = m.used;
    a->block_size = m.block_size;
}

void kfp_arena_free(struct kfp_arena *a)
{
    struct kfp_arena_block *b = a->head;
    while (b) {
        struct kfp_arena_block *next = b->next;
        kfp_free(b);
        b = next;
    }
    kfp_arena_init(a);
}

int kfp_vec_push(struct kfp_arena *a, struct kfp_vec *v, void *p)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **items = kfp_arena_alloc(a, cap * sizeof(*items));
        if (!items)
            return KFP_ERR;
        if (v->len)
            memcpy(items, v->items, v->len * sizeof(*items));
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = p;
    return KFP_OK;
}

int kfp_error_set(struct kfp_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->has_span = 0;
    }
    return KFP_ERR;
}

int kfp_error_set_at(struct kfp_error *err, struct kfp_span span, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->has_span = 1;
        err->span = span;
    }
    return KFP_ERR;
}
