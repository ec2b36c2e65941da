/* strmap.h — string-keyed hash map in an arena (kfp_strmap_*), for name lookups in the model.
 *
 * Open addressing with linear probing, power-of-two capacity, load factor ≤ 3/4. Each slot keeps
 * its key's hash, so a probe compares strings only when the hashes agree (a key's text lies
 * elsewhere in memory: comparing it is a cache miss). Keys are not copied: they must outlive the
 * map (they live in the same arena).
 */
#ifndef KFPLINT_STRMAP_H
#define KFPLINT_STRMAP_H

#include "kfplint/arena.h"

#include <stddef.h>
#include <stdint.h>

struct kfp_strmap_slot {
    const char *key; /* NULL: empty */
    void *value;
    uint32_t hash;   /* kfp_strmap_hash(key) */
};

struct kfp_strmap {
    struct kfp_strmap_slot *slots;
    size_t cap; /* 0 or a power of two */
    size_t len;
};

/* The hash the map uses (FNV-1a, folded to 32 bits). */
uint32_t kfp_strmap_hash(const char *key);

/* Sizes an empty map for `expected` entries. Returns KFP_OK or KFP_ERR on allocation failure. */
int kfp_strmap_init(struct kfp_arena *a, struct kfp_strmap *m, size_t expected);

/* Inserts key → value unless the key is present. Returns KFP_OK, or KFP_ERR on allocation
 * failure. Sets *existing (if non-NULL) to the present value or NULL when inserted. */
int kfp_strmap_put(struct kfp_arena *a, struct kfp_strmap *m, const char *key, void *value,
                   void **existing);

/* The value for key, or NULL. */
void *kfp_strmap_get(const struct kfp_strmap *m, const char *key);

#endif
