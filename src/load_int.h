/* load_int.h — the loader's internals shared by load.c (libyaml events, JSON) and load_block.c
 * (the block-YAML fast path): the iterative tree builder. Not a public header. */
#ifndef KFPLINT_LOAD_INT_H
#define KFPLINT_LOAD_INT_H

#include "kfplint/load.h"
#include "kfplint/strmap.h"

#include <stdbool.h>
#include <stddef.h>

struct frame {
    struct kfp_node *node; /* the open collection */
    size_t base;           /* first child in the scratch stack */
    struct kfp_arena_mark pool_mark; /* the node pool when it opened */
    int indent;            /* block YAML fast path: the collection's column */
    bool indentless;       /* block YAML fast path: a `-` list at its parent mapping's column */
    size_t anchor;         /* libyaml path: its entry in the anchor table, SIZE_MAX if none */
};

struct anchor {
    const char *name;
    struct kfp_node *node;
    uint64_t start; /* nodes counted (expanded) before it, while it is open */
    uint64_t size;  /* nodes it expands to, itself included (0 while it is still open) */
};

/* A slot of the builder's table of scalar texts (load.c's load_text). */
struct interned {
    const char *str; /* NULL: free slot */
    uint32_t len;
    uint32_t hash;
};

struct cursor {
    const unsigned char *data;
    size_t len;
    size_t chr;  /* code-point index of `byte` (libyaml's mark.index) */
    size_t byte; /* byte offset */
    bool ascii;  /* the text after the BOM is pure ASCII: no walking needed */
    size_t bom;  /* bytes of BOM before the text */
};

/* Open collections sit on a frame stack and their children on one shared scratch stack, so user
 * data never drives recursion. */
struct builder {
    struct kfp_arena *a;
    struct kfp_arena pool; /* children of the open collections: copied into them at close */
    struct kfp_doc *doc;
    struct cursor cur;
    struct frame *frames;
    size_t n_frames, cap_frames;
    struct kfp_node **scratch;
    size_t n_scratch, cap_scratch;
    struct anchor *anchors; /* per document */
    size_t n_anchors, cap_anchors;
    struct kfp_strmap anchor_names; /* per document: name → size_t cell (arena) holding the index
                                     * of its latest definition in anchors */
    uint64_t n_nodes;    /* libyaml path, per document: nodes written (an alias counts one) … */
    uint64_t n_expanded; /* … and nodes with every alias expanded, as Go's YAML decoder counts */
    uint32_t big_alias_at; /* the alias that expands to the most nodes */
    uint64_t big_alias;
    struct kfp_vec roots;
    struct kfp_dup_key *dups;
    size_t n_dups, cap_dups;
    struct kfp_span *in_scalars; /* doc->in_scalars being collected (kfp_load_in_scalar) */
    size_t n_in_scalars, cap_in_scalars;
    struct interned *texts; /* recently seen scalar texts (load.c's load_text) */
    size_t n_text_sets;
    bool json;
    bool too_long;        /* a scalar or collection exceeded KFP_MAX_LEN (reported as NOMEM… */
    bool too_long_coll;   /* …a collection… */
    uint32_t too_long_at; /* …until kfp_load turns it into KFP_LOAD_TOO_BIG at this offset) */
};

/* A zeroed node of the given kind, style and span; NULL on allocation failure. A document root
 * comes from b's arena; any other node from the pool, and must be attached next (its collection
 * gets a copy when it closes, and the pool is released). */
struct kfp_node *kfp_load_node(struct builder *b, enum kfp_node_kind kind, enum kfp_style style,
                               uint32_t start, uint32_t end);

/* A scalar node holding the shared copy of text[0..n); NULL on allocation failure or when n
 * exceeds KFP_MAX_LEN (b->too_long is then set). */
struct kfp_node *kfp_load_scalar(struct builder *b, enum kfp_style style, uint32_t start,
                                 uint32_t end, const char *text, size_t n);

/* Attaches a finished node to the innermost open collection, or makes it a document root.
 * Returns KFP_LOAD_OK or KFP_LOAD_NOMEM. */
enum kfp_load_status kfp_load_attach(struct builder *b, struct kfp_node *n);

/* Attaches collection n and opens it (its children follow until kfp_load_close). Returns
 * KFP_LOAD_OK, KFP_LOAD_NOMEM, or KFP_LOAD_SYNTAX (err set) beyond KFP_MAX_DEPTH. */
enum kfp_load_status kfp_load_open(struct builder *b, struct kfp_node *n, struct kfp_error *err);

/* Closes the innermost collection at byte offset `end`: its children move into the arena, and
 * a mapping's duplicate keys are recorded and merge keys resolved. KFP_LOAD_OK or _NOMEM. */
enum kfp_load_status kfp_load_close(struct builder *b, uint32_t end);

/* Records [start, end) as text inside a multi-line quoted or block scalar (no comment there);
 * calls come in source order. KFP_LOAD_OK or KFP_LOAD_NOMEM. */
enum kfp_load_status kfp_load_in_scalar(struct builder *b, uint32_t start, uint32_t end);

/* What the fast path did. */
enum kfp_block_status {
    KFP_BLOCK_OK,       /* the tree is built */
    KFP_BLOCK_NOMEM,    /* allocation failed */
    KFP_BLOCK_FALLBACK, /* the text leaves the subset: parse it again with libyaml */
};

/* Parses d[start..len) — block-style YAML as compilers write it, in printable ASCII and UTF-8
 * (the caller checks the alphabet) — into b.
 * Never reports syntax errors: anything outside the subset it handles exactly like libyaml (tabs,
 * CR, anchors, tags, flow collections other than {} and [], complex keys, directives, empty
 * documents, anything invalid) returns KFP_BLOCK_FALLBACK, and the caller discards b's state. */
enum kfp_block_status kfp_load_block(struct builder *b, const char *d, size_t len, size_t start);

#endif
