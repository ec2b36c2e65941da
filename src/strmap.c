/* strmap.c — arena-backed open-addressing string map (kfp_strmap_*). */
#include "kfplint/strmap.h"
#include "kfplint/common.h"

#include <stdint.h>
#include <string.h>

uint32_t kfp_strmap_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (uint32_t)(h ^ (h >> 32));
}

int kfp_strmap_init(struct kfp_arena *a, struct kfp_strmap *m, size_t expected)
{
    if (expected == 0) { /* most definition maps stay empty: allocate on the first put */
        m->slots = NULL;
        m->cap = m->len = 0;
        return KFP_OK;
    }
    size_t cap = 8;
    while (cap * 3 < expected * 4)
        cap *= 2;
    m->slots = kfp_arena_calloc(a, cap, sizeof(*m->slots));
    m->cap = m->slots ? cap : 0;
    m->len = 0;
    return m->slots ? KFP_OK : KFP_ERR;
}

static struct kfp_strmap_slot *find(struct kfp_strmap_slot *slots, size_t cap, const char *key,
                                     uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

int kfp_strmap_put(struct kfp_arena *a, struct kfp_strmap *m, const char *key, void *value,
                   void **existing)
{
    if (existing)
        *existing = NULL;
    if (m->cap == 0 && kfp_strmap_init(a, m, 4))
        return KFP_ERR;
    if ((m->len + 1) * 4 > m->cap * 3) {
        size_t cap = m->cap * 2;
        struct kfp_strmap_slot *ns = kfp_arena_calloc(a, cap, sizeof(*ns));
        if (!ns)
            return KFP_ERR;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *find(ns, cap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
        m->slots = ns;
        m->cap = cap;
    }
    uint32_t h = kfp_strmap_hash(key);
    struct kfp_strmap_slot *s = find(m->slots, m->cap, key, h);
    if (s->key) {
        if (existing)
            *existing = s->value;
        return KFP_OK;
    }
    s->key = key;
    s->value = value;
    s->hash = h;
    m->len++;
    return KFP_OK;
}

void *kfp_strmap_get(const struct kfp_strmap *m, const char *key)
{
    if (m->cap == 0)
        return NULL;
    struct kfp_strmap_slot *s = find(m->slots, m->cap, key, kfp_strmap_hash(key));
    return s->key ? s->value : NULL;
}
