/* tree_cmp.h — compares two loaded trees node by node (kind, style, span, value, children) and
 * their duplicate-key lists and multi-line scalar texts. Used by tests/test_load.c and the fuzz target to check that the
 * block-YAML fast path and the JSON parser build exactly the tree libyaml does. Iterative: no
 * recursion on input. */
#ifndef KFPLINT_TREE_CMP_H
#define KFPLINT_TREE_CMP_H

#include "kfplint/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns NULL when the trees match, else a description of the first difference (static text,
 * with the byte offset in *where). Aborts when out of memory. */
static inline const char *kfp_tree_diff(const struct kfp_doc *x, const struct kfp_doc *y,
                                        uint32_t *where)
{
    *where = 0;
    if (x->n_roots != y->n_roots)
        return "number of documents";
    if (x->n_dups != y->n_dups)
        return "number of duplicate keys";
    for (size_t i = 0; i < x->n_dups; i++)
        if (x->dups[i].first->span.start != y->dups[i].first->span.start ||
            x->dups[i].second->span.start != y->dups[i].second->span.start) {
            *where = x->dups[i].second->span.start;
            return "duplicate key";
        }
    if (x->n_in_scalars != y->n_in_scalars)
        return "number of multi-line scalars";
    for (size_t i = 0; i < x->n_in_scalars; i++)
        if (x->in_scalars[i].start != y->in_scalars[i].start ||
            x->in_scalars[i].end != y->in_scalars[i].end) {
            *where = x->in_scalars[i].start;
            return "text of a multi-line scalar";
        }
    size_t cap = x->n_roots > 64 ? x->n_roots : 64, n = 0;
    const struct kfp_node **st = malloc(cap * 2 * sizeof(*st));
    if (!st)
        abort();
    for (size_t i = 0; i < x->n_roots; i++) {
        st[n * 2] = x->roots[i];
        st[n * 2 + 1] = y->roots[i];
        n++;
    }
    const char *diff = NULL;
    while (n && !diff) {
        n--;
        const struct kfp_node *a = st[n * 2], *b = st[n * 2 + 1];
        *where = a->span.start;
        if (a->kind != b->kind)
            diff = "node kind";
        else if (a->style != b->style)
            diff = "style";
        else if (a->span.start != b->span.start)
            diff = "span start";
        else if (a->span.end != b->span.end)
            diff = "span end";
        else if (a->len != b->len)
            diff = a->kind == KFP_NODE_SCALAR ? "scalar length" : "number of children";
        else if (a->kind == KFP_NODE_SCALAR && memcmp(a->u.str, b->u.str, a->len + 1) != 0)
            diff = "scalar value";
        else if (a->kind == KFP_NODE_ALIAS)
            diff = NULL; /* targets were compared where they were defined */
        if (diff || a->kind == KFP_NODE_SCALAR || a->kind == KFP_NODE_ALIAS)
            continue;
        size_t kids = a->kind == KFP_NODE_MAP ? 2 * (size_t)a->len : a->len;
        if (n + kids > cap) {
            while (n + kids > cap)
                cap *= 2;
            const struct kfp_node **ns = realloc(st, cap * 2 * sizeof(*st));
            if (!ns)
                abort();
            st = ns;
        }
        for (uint32_t i = 0; i < a->len; i++) {
            if (a->kind == KFP_NODE_MAP) {
                st[n * 2] = &a->u.pairs[i].key;
                st[n * 2 + 1] = &b->u.pairs[i].key;
                n++;
                st[n * 2] = &a->u.pairs[i].value;
                st[n * 2 + 1] = &b->u.pairs[i].value;
            } else {
                st[n * 2] = &a->u.items[i];
                st[n * 2 + 1] = &b->u.items[i];
            }
            n++;
        }
    }
    free(st);
    return diff;
}

/* Loads data with kfplint's own parsers (the block-YAML fast path, the JSON parser) and, when one
 * of them accepts it, with libyaml alone; aborts when the trees differ, or when libyaml rejects
 * YAML the fast path took. */
static inline void kfp_compare_parsers(const char *data, size_t size)
{
    struct kfp_arena fa, la;
    kfp_arena_init(&fa);
    kfp_arena_init(&la);
    struct kfp_doc fd, ld;
    enum kfp_load_status fs = kfp_load_ex(&fa, "f", data, size, 0, &fd, NULL);
    bool json = fd.format == KFP_FORMAT_JSON;
    /* YAML 1.1 breaks lines at NEL, LS and PS, so libyaml folds them inside a JSON string */
    bool yaml11_breaks = memmem(data, size, "\xC2\x85", 2) || memmem(data, size, "\xE2\x80\xA8", 3) ||
                         memmem(data, size, "\xE2\x80\xA9", 3);
    if ((fd.fast || (json && !yaml11_breaks)) && fs == KFP_LOAD_OK) {
        enum kfp_load_status ls = kfp_load_ex(&la, "f", data, size, KFP_LOAD_LIBYAML, &ld, NULL);
        uint32_t where = 0;
        /* strict JSON is YAML, but libyaml has limits of its own (1024-character keys) */
        const char *diff = ls != KFP_LOAD_OK ? (json ? NULL : "libyaml rejects it")
                                             : kfp_tree_diff(&fd, &ld, &where);
        if (diff) {
            fprintf(stderr, "%s and libyaml differ: %s at byte %u\n",
                    json ? "the JSON parser" : "the fast path", diff, (unsigned)where);
            abort();
        }
    }
    kfp_arena_free(&fa);
    kfp_arena_free(&la);
}

#endif
