/* arena.h — bump allocator used for everything that lives as long as one linted file.
 *
 * Invariant: memory handed out by an arena is freed all at once by kfp_arena_free(); nothing
 * allocated from it is ever freed on its own. One arena per file makes per-file parallelism safe.
 */
#ifndef KFPLINT_ARENA_H
#define KFPLINT_ARENA_H

#include <stddef.h>

struct kfp_arena_block;

struct kfp_arena {
    struct kfp_arena_block *head; /* current block; older blocks chained behind it */
    size_t block_size;            /* size of the next ordinary block */
    int failed;                   /* set once an allocation failed (sticky) */
};

/* Initialises an empty arena; allocates nothing until the first kfp_arena_alloc(). */
void kfp_arena_init(struct kfp_arena *a);

/* Returns n bytes aligned to 8 (enough for every type kfplint stores), owned by the arena. On allocation failure returns NULL
 * and sets a->failed; the arena stays usable and freeable. */
void *kfp_arena_alloc(struct kfp_arena *a, size_t n);

/* n bytes aligned to `align` (a power of two, at most 8), owned by the arena; for types that pack
 * more tightly than 8 (the 4-aligned tree node). NULL on allocation failure. */
void *kfp_arena_alloc_aligned(struct kfp_arena *a, size_t n, size_t align);

/* n bytes with no alignment (for strings): packs text tightly. NULL on allocation failure. */
void *kfp_arena_alloc_bytes(struct kfp_arena *a, size_t n);

/* Copies n bytes of s plus a NUL into unaligned arena memory. NULL on allocation failure. */
char *kfp_arena_strndup_bytes(struct kfp_arena *a, const char *s, size_t n);

/* Like kfp_arena_alloc() but zero-filled. */
void *kfp_arena_calloc(struct kfp_arena *a, size_t count, size_t size);

/* Copies n bytes of s into the arena and adds a NUL. Returns NULL on allocation failure. */
char *kfp_arena_strndup(struct kfp_arena *a, const char *s, size_t n);

/* Copies a NUL-terminated string. Returns NULL on allocation failure. */
char *kfp_arena_strdup(struct kfp_arena *a, const char *s);

/* printf into the arena. Returns NULL on allocation failure. */
char *kfp_arena_printf(struct kfp_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A point in an arena's life, to go back to with kfp_arena_release(). */
struct kfp_arena_mark {
    struct kfp_arena_block *head;
    size_t used;
    size_t block_size;
};

/* The arena's current state. */
struct kfp_arena_mark kfp_arena_mark(const struct kfp_arena *a);

/* Frees everything allocated since mark m was taken (blocks added since are freed, the block
 * current then is rewound). Pointers into that memory become invalid. */
void kfp_arena_release(struct kfp_arena *a, struct kfp_arena_mark m);

/* Frees every block; the arena is empty and may be reused. */
void kfp_arena_free(struct kfp_arena *a);

/* A growable array of pointers kept in an arena (the old storage is simply abandoned on growth,
 * so the total cost stays linear: doubling). */
struct kfp_vec {
    void **items;
    size_t len;
    size_t cap;
};

/* Appends p. Returns KFP_OK, or KFP_ERR on allocation failure (the vector is unchanged). */
int kfp_vec_push(struct kfp_arena *a, struct kfp_vec *v, void *p);

#endif
