/* load.h — the loader (kfp_load_*, kfp_node_*, kfp_source_*): bytes → a generic node tree.
 *
 * One tree type serves YAML and JSON: mappings, sequences and scalars, each with the byte span it
 * came from. libyaml parses YAML (its marks count characters, so byte offsets come from our own
 * walk over the UTF-8 text); a strict JSON parser of our own parses JSON with byte offsets
 * directly. Lines and columns come from our own line table.
 */
#ifndef KFPLINT_LOAD_H
#define KFPLINT_LOAD_H

#include "kfplint/arena.h"
#include "kfplint/common.h"

#include <stdbool.h>

enum kfp_node_kind {
    KFP_NODE_SCALAR,
    KFP_NODE_MAP,
    KFP_NODE_SEQ,
    KFP_NODE_ALIAS, /* `*name`: u.target is a copy of the anchored node (its value and children)
                     * spanning the alias itself, so what is found there is reported where the
                     * value is used; generic walks do not follow it */
};

enum kfp_style {
    KFP_STYLE_PLAIN,
    KFP_STYLE_SINGLE,
    KFP_STYLE_DOUBLE,
    KFP_STYLE_LITERAL,
    KFP_STYLE_FOLDED,
    KFP_STYLE_BLOCK, /* block collection */
    KFP_STYLE_FLOW,  /* flow collection */
};

struct kfp_pair;

/* Longest scalar (bytes) and largest collection (entries) a node holds; a file with a bigger
 * one is not linted (KFP_LOAD_TOO_BIG). */
#define KFP_MAX_LEN ((1u << 27) - 1)

/* A node of the tree, 20 bytes (a file has about one per 15 bytes of YAML, so every byte here
 * counts). A collection holds its children in place: items are nodes, mapping entries are
 * key/value node pairs. Everything is owned by the file's arena. */
struct kfp_node {
    unsigned kind : 2;   /* enum kfp_node_kind */
    unsigned style : 3;  /* enum kfp_style */
    unsigned len : 27;   /* scalar: bytes in str; map: pairs; seq: items (at most KFP_MAX_LEN) */
    struct kfp_span span; /* source bytes of the node (quotes included) */
    union __attribute__((packed, aligned(4))) {
        const char *str;                /* scalar value, unescaped, NUL-terminated */
        struct kfp_node *items;         /* sequence items */
        struct kfp_pair *pairs;         /* mapping entries in source order */
        const struct kfp_node *target;  /* alias target */
    } u;
};

struct kfp_pair {
    struct kfp_node key;
    struct kfp_node value;
};

/* A key given twice in one mapping (for the duplicate-key rule). */
struct kfp_dup_key {
    const struct kfp_node *first;  /* first occurrence's key */
    const struct kfp_node *second; /* the repeated key */
};

enum kfp_format { KFP_FORMAT_YAML, KFP_FORMAT_JSON };

/* The text of one file and a sparse line table: the start of every KFP_LINE_STRIDE-th line is
 * kept (4 bytes per 64 lines), and positions in between are found by scanning at most that many
 * lines. Line breaks are LF, CRLF and a lone CR. */
#define KFP_LINE_STRIDE 64
struct kfp_source {
    const char *path;     /* display path */
    const char *data;     /* the bytes (not owned unless said otherwise by the owner) */
    size_t len;
    uint32_t *checkpoints; /* byte offset of lines 1, 1 + STRIDE, 1 + 2·STRIDE, … (arena) */
    size_t n_lines;
    bool has_cr;           /* the text has a CR: breaks are not just LF */
    /* Only for a text with a 64-line stride over 16 KiB (a minified JSON file): where each
     * KFP_POS_BLOCK-byte block starts, so that a position costs at most one block's scan,
     * whatever the length of its line. NULL otherwise (arena). */
    struct kfp_pos_block *blocks;
    size_t n_blocks;
};

#define KFP_POS_BLOCK 4096
struct kfp_pos_block {
    uint32_t line;       /* 0-based line holding the block's first byte */
    uint32_t line_start; /* byte offset where that line starts */
    uint32_t col;        /* code points from line_start to the block's first byte */
};

/* A loaded file: one or more YAML documents (a JSON file has one). */
struct kfp_doc {
    struct kfp_source src;
    enum kfp_format format;
    struct kfp_node **roots; /* document roots, in order */
    size_t n_roots;
    struct kfp_dup_key *dups; /* duplicate mapping keys, in source order */
    size_t n_dups;
    struct kfp_span *in_scalars; /* the text of every multi-line quoted and block scalar (a
                                  * block scalar's from the line after its header), in source
                                  * order: a `#` there starts no comment (suppressions) */
    size_t n_in_scalars;
    bool fast; /* YAML read by the block-YAML fast path rather than libyaml */
};

/* Loader limits. */
#define KFP_MAX_DEPTH 1000 /* nesting deeper than this is a parse error */

/* Why loading failed (for picking the finding). */
enum kfp_load_status {
    KFP_LOAD_OK = 0,
    KFP_LOAD_SYNTAX,    /* parse error: err has message and span */
    KFP_LOAD_EMPTY,     /* no content (empty, whitespace or comments only) */
    KFP_LOAD_BINARY,    /* NUL bytes or not text: err has message */
    KFP_LOAD_NOMEM,     /* allocation failed */
    KFP_LOAD_TOO_BIG,   /* over the size limit: not parsed */
};

/* Builds the line table of src (in the arena). Returns KFP_OK or KFP_ERR on allocation failure. */
int kfp_source_init(struct kfp_arena *a, struct kfp_source *src, const char *path,
                    const char *data, size_t len);

/* 1-based line and column (in Unicode code points) of byte offset `off`. */
void kfp_source_pos(const struct kfp_source *src, uint32_t off, size_t *line, size_t *col);

/* Start and end (exclusive, without the line break) of the line holding byte offset `off`, when
 * that line is at most `max` bytes long: returns true; false for a longer line (then *start and
 * *end are unset). Costs O(max) plus a bounded lookup, whatever the line's length. */
bool kfp_source_line_at(const struct kfp_source *src, uint32_t off, size_t max, uint32_t *start,
                        uint32_t *end);

/* Start and end (exclusive, without the line break) byte offsets of 1-based line `line`. */
void kfp_source_line(const struct kfp_source *src, size_t line, uint32_t *start, uint32_t *end);

/* For the line that starts at byte offset `start`: sets *end (when non-NULL) to its end,
 * exclusive and without the line break, and returns the start of the next line (src->len after
 * the last). Walks a file's lines in order in linear time. */
uint32_t kfp_source_next_line(const struct kfp_source *src, uint32_t start, uint32_t *end);

/* Parses data[0..len) into doc, everything allocated from arena `a`. `data` must stay alive as
 * long as doc is used (spans and the line table point into it). On failure returns the status
 * and fills err (message and, where known, span); doc->src is set in every case. */
enum kfp_load_status kfp_load(struct kfp_arena *a, const char *path, const char *data, size_t len,
                              struct kfp_doc *doc, struct kfp_error *err);

/* kfp_load() with flags: KFP_LOAD_LIBYAML parses with libyaml alone, skipping the block-YAML fast
 * path and the JSON parser (the tests and the fuzz target compare their trees with libyaml's). */
#define KFP_LOAD_LIBYAML 1u
enum kfp_load_status kfp_load_ex(struct kfp_arena *a, const char *path, const char *data,
                                 size_t len, unsigned flags, struct kfp_doc *doc,
                                 struct kfp_error *err);

/* --- node access helpers (all O(1) or O(pairs) and never allocate) --- */

/* Follows aliases; returns NULL for NULL. */
const struct kfp_node *kfp_deref(const struct kfp_node *n);

/* The value of key `name` in mapping m, accepting the proto JSON name (lowerCamelCase, `name`)
 * and its snake_case form. Returns NULL when m is not a mapping or has no such key. When
 * key_out is non-NULL it receives the key node. */
const struct kfp_node *kfp_map_get(const struct kfp_node *m, const char *name,
                                   const struct kfp_node **key_out);

/* True when key node `k` spells `name` (lowerCamelCase) or its snake_case form. */
bool kfp_key_is(const struct kfp_node *k, const char *name);

/* True for a scalar node; kfp_scalar() returns its string or NULL for non-scalars. */
const char *kfp_scalar(const struct kfp_node *n);

/* YAML core / JSON typing of a scalar. */
enum kfp_scalar_type {
    KFP_SCALAR_NOT, /* not a scalar */
    KFP_SCALAR_NULL,
    KFP_SCALAR_BOOL,
    KFP_SCALAR_INT,
    KFP_SCALAR_FLOAT,
    KFP_SCALAR_STRING,
};
enum kfp_scalar_type kfp_scalar_type(const struct kfp_node *n);

/* What a value is, for messages: "a mapping", "a list", "a string", "a number", "a boolean",
 * "null" (aliases followed; "nothing" for NULL). A static string. */
const char *kfp_node_kind_name(const struct kfp_node *n);

/* The exact span of `needle` (a piece of scalar n's value) in the source, when the source spells
 * it verbatim; n's whole span otherwise (escapes, doubled quotes, folding). */
struct kfp_span kfp_node_subspan(const struct kfp_source *src, const struct kfp_node *n,
                                 const char *needle, size_t len);

/* The source span of the value bytes [off, off + len) of scalar n: exact through escapes,
 * doubled quotes, line folding of flow scalars and the indentation and folding of block scalars
 * (`|`, `>`); n's whole span where the source cannot be matched (an explicit indentation
 * indicator, an alias). A multi-byte escape maps to the whole escape; a folded line break to the
 * break. */
struct kfp_span kfp_node_value_span(const struct kfp_source *src, const struct kfp_node *n, size_t off,
                                    size_t len);

/* Where kfp_node_value_span_from stopped in a scalar's source: a later offset of the same scalar
 * resumes there, so mapping many offsets of one long scalar in increasing order costs one pass
 * over it. Zero it (or hand it another node: it resets itself) to start. */
struct kfp_value_cursor {
    const struct kfp_node *node;
    size_t v;    /* a value offset reached … */
    uint32_t i;  /* … and its source offset */
    uint32_t first_line, indent; /* literal block scalars: its first line (0: not yet known) and
                                  * its indentation */
};

/* kfp_node_value_span, resuming from *cur (NULL: from the start) and leaving it further on. */
struct kfp_span kfp_node_value_span_from(const struct kfp_source *src, const struct kfp_node *n,
                                         size_t off, size_t len, struct kfp_value_cursor *cur);

/* True when n, as kfp_deref returns it, is the value of an alias `*name`: it spans the alias
 * while its content is the anchor's, so no edit may treat its text as the value. */
bool kfp_node_is_alias(const struct kfp_source *src, const struct kfp_node *n);

/* For an integral-valued float scalar (1.0) returns true and sets *out. */
bool kfp_scalar_number(const struct kfp_node *n, double *out);

#endif
