/* load.c — YAML/JSON text → node tree with exact byte spans (kfp_load, kfp_source_*, kfp_map_*).
 *
 * The tree is built iteratively, from libyaml events (YAML) or by the JSON parser below: open
 * collections sit on a frame stack and their children on one shared scratch stack, so user data
 * never drives recursion. libyaml marks count code points after an optional BOM; a cursor walks
 * the UTF-8 text to turn them into byte offsets, forwards or backwards from the previous mark
 * (not at all for ASCII text), which keeps the total walk linear.
 */
#include "kfplint/load.h"
#include "kfplint/alloc.h"
#include "load_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---------------------------------------------------------------- line table */

/* The offset just past the first line break at or after off, or SIZE_MAX when there is none. */
static size_t after_break(const struct kfp_source *src, size_t off)
{
    const char *d = src->data;
    size_t len = src->len;
    if (off >= len)
        return SIZE_MAX;
    if (!src->has_cr) {
        const char *nl = memchr(d + off, '\n', len - off);
        return nl ? (size_t)(nl - d + 1) : SIZE_MAX;
    }
    for (size_t i = off; i < len; i++) {
        if (d[i] == '\n')
            return i + 1;
        if (d[i] == '\r')
            return i + 1 < len && d[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return SIZE_MAX;
}

uint32_t kfp_source_next_line(const struct kfp_source *src, uint32_t start, uint32_t *end)
{
    size_t r = after_break(src, start);
    uint32_t next = (uint32_t)(r == SIZE_MAX ? src->len : r);
    if (end) {
        uint32_t e = next;
        while (e > start && (src->data[e - 1] == '\n' || src->data[e - 1] == '\r'))
            e--;
        *end = e;
    }
    return next;
}

/* The 0-based index and start of the line holding byte offset off. */
static size_t line_of(const struct kfp_source *src, uint32_t off, uint32_t *start)
{
    if (!src->checkpoints) { /* no line table (memory ran out building it): line 1 */
        *start = 0;
        return 0;
    }
    size_t lo = 0, hi = (src->n_lines + KFP_LINE_STRIDE - 1) / KFP_LINE_STRIDE;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->checkpoints[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t li = lo * KFP_LINE_STRIDE;
    uint32_t s = src->checkpoints[lo];
    while (li + 1 < src->n_lines) {
        uint32_t next = kfp_source_next_line(src, s, NULL);
        if (next > off)
            break;
        s = next;
        li++;
    }
    *start = s;
    return li;
}

/* Whether the byte at i ends a line (LF, or a CR not followed by LF). */
static bool ends_line(const struct kfp_source *src, size_t i)
{
    char c = src->data[i];
    return c == '\n' || (c == '\r' && (i + 1 >= src->len || src->data[i + 1] != '\n'));
}

/* Line (0-based), line start and column (0-based, in code points) of off, from its block:
 * at most KFP_POS_BLOCK bytes are read. */
static void block_scan(const struct kfp_source *src, const struct kfp_pos_block *pb, size_t from,
                       uint32_t off, size_t *line, uint32_t *start, size_t *col)
{
    size_t li = pb->line, c = pb->col;
    uint32_t s = pb->line_start;
    size_t i = from;
    if (!src->has_cr) { /* LF breaks only: memchr to the last one, then count code points */
        const char *d = src->data;
        for (const char *nl; i < off && (nl = memchr(d + i, '\n', off - i));) {
            li++;
            i = (size_t)(nl - d) + 1;
            s = (uint32_t)i;
            c = 0;
        }
        for (i = s > from ? s : from; i + 8 <= off; i += 8) {
            uint64_t w;
            memcpy(&w, d + i, 8);
            uint64_t cont = w & ~(w << 1) & 0x8080808080808080ull; /* bytes 10xxxxxx */
            c += 8 - (size_t)__builtin_popcountll(cont);
        }
    }
    for (; i < off; i++) {
        if (ends_line(src, i)) {
            li++;
            s = (uint32_t)i + 1;
            c = 0;
        } else if (((unsigned char)src->data[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = li;
    *start = s;
    *col = c;
}

static void block_pos(const struct kfp_source *src, uint32_t off, size_t *line, uint32_t *start,
                      size_t *col)
{
    size_t b = off / KFP_POS_BLOCK;
    block_scan(src, &src->blocks[b], b * KFP_POS_BLOCK, off, line, start, col);
}

/* Builds src->blocks when some stride of KFP_LINE_STRIDE lines is longer than 16 KiB (so that a
 * position is never a scan of more than that); one pass over the text. KFP_OK or KFP_ERR. */
static int build_blocks(struct kfp_arena *a, struct kfp_source *src)
{
    size_t n_cp = (src->n_lines - 1) / KFP_LINE_STRIDE + 1;
    bool long_stride = false;
    for (size_t k = 0; k < n_cp && !long_stride; k++) {
        size_t end = k + 1 < n_cp ? src->checkpoints[k + 1] : src->len;
        long_stride = end - src->checkpoints[k] > 16384;
    }
    src->blocks = NULL;
    src->n_blocks = 0;
    if (!long_stride)
        return KFP_OK;
    size_t nb = src->len / KFP_POS_BLOCK + 1;
    struct kfp_pos_block *bl = kfp_arena_alloc(a, nb * sizeof(*bl));
    if (!bl)
        return KFP_ERR;
    bl[0] = (struct kfp_pos_block){0, 0, 0};
    for (size_t b = 1; b < nb; b++) { /* each block's start from the previous block's */
        size_t line, col;
        uint32_t start;
        block_scan(src, &bl[b - 1], (b - 1) * KFP_POS_BLOCK, (uint32_t)(b * KFP_POS_BLOCK), &line,
                   &start, &col);
        bl[b] = (struct kfp_pos_block){(uint32_t)line, start, (uint32_t)col};
    }
    src->blocks = bl;
    src->n_blocks = nb;
    return KFP_OK;
}

bool kfp_source_line_at(const struct kfp_source *src, uint32_t off, size_t max, uint32_t *start,
                        uint32_t *end)
{
    if (off > src->len)
        off = (uint32_t)src->len;
    uint32_t s;
    size_t li, c;
    if (src->blocks)
        block_pos(src, off, &li, &s, &c);
    else
        li = line_of(src, off, &s);
    (void)li;
    size_t lim = src->len - s < max + 1 ? src->len - s : max + 1;
    for (size_t i = s; i < s + lim; i++)
        if (src->data[i] == '\n' || src->data[i] == '\r') {
            *start = s;
            *end = (uint32_t)i;
            return true;
        }
    if (lim > max)
        return false;
    *start = s;
    *end = (uint32_t)src->len;
    return true;
}

void kfp_source_pos(const struct kfp_source *src, uint32_t off, size_t *line, size_t *col)
{
    if (off > src->len)
        off = (uint32_t)src->len;
    if (src->blocks) {
        uint32_t start;
        size_t li, c;
        block_pos(src, off, &li, &start, &c);
        *line = li + 1;
        *col = c + 1;
        return;
    }
    uint32_t s;
    size_t li = line_of(src, off, &s);
    if (s == 0 && off >= 3 && src->len >= 3 && !memcmp(src->data, "\xEF\xBB\xBF", 3))
        s = 3; /* a byte-order mark is no column */
    size_t c = 1;
    for (uint32_t i = s; i < off; i++)
        if (((unsigned char)src->data[i] & 0xC0) != 0x80)
            c++;
    *line = li + 1;
    *col = c;
}

void kfp_source_line(const struct kfp_source *src, size_t line, uint32_t *start, uint32_t *end)
{
    if (line < 1 || line > src->n_lines || !src->checkpoints) {
        *start = *end = (uint32_t)src->len;
        return;
    }
    uint32_t s = src->checkpoints[(line - 1) / KFP_LINE_STRIDE];
    for (size_t k = (line - 1) % KFP_LINE_STRIDE; k > 0; k--)
        s = kfp_source_next_line(src, s, NULL);
    kfp_source_next_line(src, s, end);
    *start = s;
}

/* ---------------------------------------------------------------- mark → byte cursor */

static uint32_t cursor_to(struct cursor *c, size_t index)
{
    if (c->ascii) /* one byte per code point: the mark is the offset (after a BOM) */
        return (uint32_t)(index + c->bom < c->len ? index + c->bom : c->len);
    while (c->chr < index && c->byte < c->len) {
        unsigned char b = c->data[c->byte];
        size_t w = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
        c->byte += w;
        if (c->byte > c->len)
            c->byte = c->len;
        c->chr++;
    }
    while (c->chr > index && c->byte > 0) {
        c->byte--;
        while (c->byte > 0 && (c->data[c->byte] & 0xC0) == 0x80)
            c->byte--;
        c->chr--;
    }
    return (uint32_t)c->byte;
}

/* ---------------------------------------------------------------- tree building */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return KFP_OK;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *np = kfp_realloc(*p, nc * elem);
    if (!np)
        return KFP_ERR;
    *p = np;
    *cap = nc;
    return KFP_OK;
}

static int push_child(struct builder *b, struct kfp_node *n)
{
    if (grow((void **)&b->scratch, &b->cap_scratch, b->n_scratch + 1, sizeof(*b->scratch)))
        return KFP_ERR;
    b->scratch[b->n_scratch++] = n;
    return KFP_OK;
}

static int record_dup(struct builder *b, const struct kfp_node *first, const struct kfp_node *second)
{
    if (grow((void **)&b->dups, &b->cap_dups, b->n_dups + 1, sizeof(*b->dups)))
        return KFP_ERR;
    b->dups[b->n_dups].first = first;
    b->dups[b->n_dups].second = second;
    b->n_dups++;
    return KFP_OK;
}

enum kfp_load_status kfp_load_in_scalar(struct builder *b, uint32_t start, uint32_t end)
{
    if (start >= end)
        return KFP_LOAD_OK;
    if (grow((void **)&b->in_scalars, &b->cap_in_scalars, b->n_in_scalars + 1,
             sizeof(*b->in_scalars)))
        return KFP_LOAD_NOMEM;
    b->in_scalars[b->n_in_scalars++] = (struct kfp_span){start, end};
    return KFP_LOAD_OK;
}

/* libyaml's scalar n: records the text of a block scalar, or of a quoted one that spans lines,
 * where a `#` is content, not a comment. */
static enum kfp_load_status note_in_scalar(struct builder *b, const struct kfp_node *n)
{
    const struct kfp_source *src = &b->doc->src;
    uint32_t s = n->span.start, e = n->span.end;
    if (n->style == KFP_STYLE_LITERAL || n->style == KFP_STYLE_FOLDED) {
        size_t body = after_break(src, s); /* the header line may end with a real comment */
        return body == SIZE_MAX ? KFP_LOAD_OK : kfp_load_in_scalar(b, (uint32_t)body, e);
    }
    if (n->style != KFP_STYLE_SINGLE && n->style != KFP_STYLE_DOUBLE)
        return KFP_LOAD_OK; /* a plain scalar ends before any ` #` */
    if (memchr(src->data + s, '\n', e - s) || (src->has_cr && memchr(src->data + s, '\r', e - s)))
        return kfp_load_in_scalar(b, s, e);
    return KFP_LOAD_OK;
}

/* A hash of n bytes, eight at a time; the last 1–7 bytes are read with at most two loads that
 * stay inside s[0..n). */
static uint32_t text_hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t w;
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        w = (uint64_t)lo | (uint64_t)hi << 32;
    } else {
        w = n ? (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                    (uint64_t)(unsigned char)s[n - 1] << 16
              : 0;
    }
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull; /* then spread the high bits into the low ones */
    h ^= h >> 32;
    h *= 0xff51afd7ed558ccdull;
    return (uint32_t)(h >> 32);
}

/* Whether keys x and y are the same scalar; a key written as an alias (`*k: v`) is its anchor's
 * text. */
static bool alias_key_eq(const struct kfp_node *x, const struct kfp_node *y);

static inline bool scalar_eq(const struct kfp_node *x, const struct kfp_node *y)
{
    if (x->kind == KFP_NODE_SCALAR && y->kind == KFP_NODE_SCALAR)
        return x->len == y->len && memcmp(x->u.str, y->u.str, x->len) == 0;
    return (x->kind == KFP_NODE_ALIAS || y->kind == KFP_NODE_ALIAS) && alias_key_eq(x, y);
}

/* scalar_eq() when x or y is an alias (rare: kept out of the loop above). */
static bool alias_key_eq(const struct kfp_node *x, const struct kfp_node *y)
{
    x = kfp_deref(x);
    y = kfp_deref(y);
    return x && y && x->kind != KFP_NODE_ALIAS && y->kind != KFP_NODE_ALIAS && scalar_eq(x, y);
}

/* Reports keys given twice in pairs[0..n). Small maps compare pairwise; larger ones use a
 * temporary open-addressing table, so the check is linear. */
static int find_dups(struct builder *b, struct kfp_pair *pairs, size_t n)
{
    if (n < 2)
        return KFP_OK;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (scalar_eq(&pairs[i].key, &pairs[j].key)) {
                    if (record_dup(b, kfp_deref(&pairs[j].key), kfp_deref(&pairs[i].key)))
                        return KFP_ERR;
                    break;
                }
        return KFP_OK;
    }
    size_t cap = 32;
    while (cap < n * 2)
        cap *= 2;
    size_t *slots = kfp_malloc(cap * sizeof(*slots));
    if (!slots)
        return KFP_ERR;
    for (size_t i = 0; i < cap; i++)
        slots[i] = SIZE_MAX;
    int rc = KFP_OK;
    for (size_t i = 0; i < n && rc == KFP_OK; i++) {
        const struct kfp_node *k = &pairs[i].key;
        if (k->kind == KFP_NODE_ALIAS) /* `*k:` is its anchor's text */
            k = kfp_deref(k);
        if (!k || k->kind != KFP_NODE_SCALAR)
            continue;
        size_t s = text_hash(k->u.str, k->len) & (cap - 1);
        while (slots[s] != SIZE_MAX) {
            if (scalar_eq(&pairs[slots[s]].key, k)) {
                rc = record_dup(b, kfp_deref(&pairs[slots[s]].key), k);
                goto next;
            }
            s = (s + 1) & (cap - 1);
        }
        slots[s] = i;
    next:;
    }
    kfp_free(slots);
    return rc;
}

static bool is_merge_key(const struct kfp_node *k)
{
    return k->kind == KFP_NODE_SCALAR && k->style == KFP_STYLE_PLAIN && k->len == 2 &&
           k->u.str[0] == '<' && k->u.str[1] == '<';
}

static bool has_key(const struct kfp_pair *pairs, size_t n, const struct kfp_node *k)
{
    for (size_t i = 0; i < n; i++)
        if (scalar_eq(&pairs[i].key, k))
            return true;
    return false;
}

/* Resolves YAML merge keys (`<<: *base`, `<<: [*a, *b]`): the merged mapping's entries are added
 * after the explicit ones unless the key is already there. Bounded: merges of more than a few
 * thousand entries are left unresolved rather than made quadratic. */
static int resolve_merges(struct builder *b, struct kfp_node *map)
{
    size_t extra = 0;
    for (uint32_t i = 0; i < map->len; i++) {
        if (!is_merge_key(&map->u.pairs[i].key))
            continue;
        const struct kfp_node *v = kfp_deref(&map->u.pairs[i].value);
        if (v && v->kind == KFP_NODE_MAP)
            extra += v->len;
        else if (v && v->kind == KFP_NODE_SEQ)
            for (uint32_t j = 0; j < v->len; j++) {
                const struct kfp_node *m = kfp_deref(&v->u.items[j]);
                if (m && m->kind == KFP_NODE_MAP)
                    extra += m->len;
            }
    }
    if (extra == 0 || extra + map->len > 4096)
        return KFP_OK;
    struct kfp_pair *np = kfp_arena_alloc(b->a, (map->len + extra) * sizeof(*np));
    if (!np)
        return KFP_ERR;
    size_t n = 0;
    for (uint32_t i = 0; i < map->len; i++)
        if (!is_merge_key(&map->u.pairs[i].key))
            np[n++] = map->u.pairs[i];
    for (uint32_t i = 0; i < map->len; i++) {
        if (!is_merge_key(&map->u.pairs[i].key))
            continue;
        const struct kfp_node *v = kfp_deref(&map->u.pairs[i].value);
        const struct kfp_node *list = v;
        uint32_t nl = 1;
        if (v && v->kind == KFP_NODE_SEQ) {
            list = v->u.items;
            nl = v->len;
        }
        for (uint32_t j = 0; list && j < nl; j++) {
            const struct kfp_node *m = kfp_deref(&list[j]);
            if (!m || m->kind != KFP_NODE_MAP)
                continue;
            for (uint32_t k = 0; k < m->len; k++)
                if (!has_key(np, n, &m->u.pairs[k].key))
                    np[n++] = m->u.pairs[k];
        }
    }
    map->u.pairs = np;
    map->len = (uint32_t)n;
    return KFP_OK;
}

/* kfp_load_node(); a `pinned` node always comes from the arena (an anchored node: aliases point
 * at it, also after its collection closed). */
static struct kfp_node *node_new(struct builder *b, enum kfp_node_kind kind, enum kfp_style style,
                                 uint32_t start, uint32_t end, bool pinned)
{
    bool child = !pinned && b->n_frames;
    struct kfp_node *n = kfp_arena_alloc_aligned(child ? &b->pool : b->a, sizeof(*n),
                                                 _Alignof(struct kfp_node));
    if (!n)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->kind = (uint8_t)kind;
    n->style = (uint8_t)style;
    n->span.start = start;
    n->span.end = end;
    return n;
}

struct kfp_node *kfp_load_node(struct builder *b, enum kfp_node_kind kind, enum kfp_style style,
                               uint32_t start, uint32_t end)
{
    return node_new(b, kind, style, start, end, false);
}

/* False, and the builder remembers offset `at` for the error, when n (a scalar's bytes, or a
 * collection's entries when `coll`) exceeds KFP_MAX_LEN. */
static bool fits(struct builder *b, size_t n, uint32_t at, bool coll)
{
    if (n <= KFP_MAX_LEN)
        return true;
    if (!b->too_long) {
        b->too_long_at = at;
        b->too_long_coll = coll;
    }
    b->too_long = true;
    return false;
}

/* The table is a cache: TEXT_WAYS entries per set (one cache line), most recently used first,
 * and as many sets as the file has about 256 bytes, up to TEXT_SETS_MAX. Frequent texts stay in
 * it; a text seen once is evicted soon. A full map of every distinct text costs a cache miss per
 * scalar once the file is large, for little more sharing. */
#define TEXT_WAYS 4
#define TEXT_SETS_MAX 2048

static int texts_init(struct builder *b)
{
    size_t sets = 64;
    while (sets < TEXT_SETS_MAX && sets * 256 < b->cur.len)
        sets *= 2;
    b->texts = kfp_malloc(sets * TEXT_WAYS * sizeof(*b->texts));
    if (!b->texts)
        return KFP_ERR;
    memset(b->texts, 0, sets * TEXT_WAYS * sizeof(*b->texts));
    b->n_text_sets = sets;
    return KFP_OK;
}

/* A NUL-terminated arena copy of text[0..n), shared with the equal scalars before it while the
 * text is in the builder's cache of recent texts: a text is copied (or, when `owned`, text itself
 * is kept: it must then be in b's arena and NUL-terminated) unless the cache has it. Compiled
 * specs repeat a small vocabulary (keys, types, whole command lines of reused components), so
 * most scalars share. n is at most KFP_MAX_LEN. NULL on allocation failure. */
static const char *load_text(struct builder *b, const char *text, size_t n, bool owned)
{
    if (!b->texts && texts_init(b))
        return NULL;
    uint32_t h = text_hash(text, n);
    struct interned *set = &b->texts[(h & (b->n_text_sets - 1)) * TEXT_WAYS];
    for (int k = 0; k < TEXT_WAYS && set[k].str; k++)
        if (set[k].hash == h && set[k].len == n && memcmp(set[k].str, text, n) == 0) {
            struct interned hit = set[k];
            memmove(set + 1, set, (size_t)k * sizeof(*set));
            set[0] = hit;
            return hit.str;
        }
    const char *s = owned ? text : kfp_arena_strndup_bytes(b->a, text, n);
    if (s) {
        memmove(set + 1, set, (TEXT_WAYS - 1) * sizeof(*set));
        set[0] = (struct interned){s, (uint32_t)n, h};
    }
    return s;
}

/* Empties the cache of shared texts (after the arena was released to a mark). */
static void forget_texts(struct builder *b)
{
    if (b->texts)
        memset(b->texts, 0, b->n_text_sets * TEXT_WAYS * sizeof(*b->texts));
}

struct kfp_node *kfp_load_scalar(struct builder *b, enum kfp_style style, uint32_t start,
                                 uint32_t end, const char *text, size_t n)
{
    if (!fits(b, n, start, false))
        return NULL;
    struct kfp_node *nd = kfp_load_node(b, KFP_NODE_SCALAR, style, start, end);
    if (!nd)
        return NULL;
    nd->len = (uint32_t)n;
    nd->u.str = load_text(b, text, n, false);
    return nd->u.str ? nd : NULL;
}

/* Where the value starts in d[i..end) after node properties (`&anchor`, `!tag`), the white
 * space, line breaks and comments after them; i when there are none, end at most. */
static uint32_t after_props(const char *d, uint32_t i, uint32_t end)
{
    while (i < end && (d[i] == '&' || d[i] == '!')) {
        while (i < end && d[i] != ' ' && d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
            i++;
        for (;;) {
            while (i < end && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r'))
                i++;
            if (i >= end || d[i] != '#')
                break;
            while (i < end && d[i] != '\n' && d[i] != '\r')
                i++;
        }
    }
    return i;
}

/* A node from libyaml's marks. libyaml starts a node at its first property; its span starts at
 * the value itself (an empty value with properties is empty at their end). An anchored node is
 * pinned (aliases copy it). */
static struct kfp_node *new_node(struct builder *b, enum kfp_node_kind kind, const yaml_mark_t *s,
                                 const yaml_mark_t *e, const yaml_char_t *anchor, bool props)
{
    uint32_t start = cursor_to(&b->cur, s->index), end = cursor_to(&b->cur, e->index);
    if (props)
        start = after_props((const char *)b->cur.data, start, end);
    return node_new(b, kind, KFP_STYLE_PLAIN, start, end, anchor != NULL);
}

static int add_anchor(struct builder *b, const yaml_char_t *name, struct kfp_node *n)
{
    if (!name)
        return KFP_OK;
    if (grow((void **)&b->anchors, &b->cap_anchors, b->n_anchors + 1, sizeof(*b->anchors)))
        return KFP_ERR;
    size_t *cell = kfp_strmap_get(&b->anchor_names, (const char *)name);
    char *copy = kfp_arena_strdup(b->a, (const char *)name);
    if (!copy)
        return KFP_ERR;
    if (!cell) { /* the latest definition wins: a redefinition reuses the name's cell */
        cell = kfp_arena_alloc(b->a, sizeof(*cell));
        if (!cell || kfp_strmap_put(b->a, &b->anchor_names, copy, cell, NULL))
            return KFP_ERR;
    }
    *cell = b->n_anchors;
    b->anchors[b->n_anchors].name = copy;
    b->anchors[b->n_anchors].node = n;
    b->anchors[b->n_anchors].start = b->n_expanded - 1; /* n is counted already */
    b->anchors[b->n_anchors].size = n->kind == KFP_NODE_SCALAR ? 1 : 0;
    b->n_anchors++;
    return KFP_OK;
}

static struct anchor *find_anchor(const struct builder *b, const char *name)
{
    const size_t *cell = kfp_strmap_get(&b->anchor_names, name);
    return cell ? &b->anchors[*cell] : NULL;
}

/* go-yaml's limit (decode.go allowedAliasRatio), which Argo, kubectl and KFP's Go backend decode
 * with: of `expanded` nodes decoded, the share reached through aliases may be 99 % up to 400,000
 * nodes, falling linearly to 10 % at 4,000,000. */
static bool excessive_aliasing(uint64_t expanded, uint64_t written)
{
    uint64_t aliased = expanded - written;
    if (aliased <= 100 || expanded <= 1000)
        return false;
    double ratio = expanded <= 400000    ? 0.99
                   : expanded >= 4000000 ? 0.10
                                         : 0.99 - 0.89 * ((double)(expanded - 400000) / 3600000.0);
    return (double)aliased / (double)expanded > ratio;
}

static enum kfp_load_status syntax_at(struct builder *b, struct kfp_error *err, uint32_t off,
                                      const char *what)
{
    struct kfp_span sp = {off, off};
    kfp_error_set_at(err, sp, "%s", what);
    (void)b;
    return KFP_LOAD_SYNTAX;
}

enum kfp_load_status kfp_load_close(struct builder *b, uint32_t end)
{
    struct frame *f = &b->frames[--b->n_frames];
    struct kfp_node *n = f->node;
    size_t count = b->n_scratch - f->base;
    n->span.end = end;
    if (!fits(b, n->kind == KFP_NODE_SEQ ? count : count / 2, n->span.start, true))
        return KFP_LOAD_NOMEM;
    if (n->kind == KFP_NODE_SEQ) {
        n->len = (uint32_t)count;
        n->u.items = kfp_arena_alloc_aligned(b->a, (count ? count : 1) * sizeof(*n->u.items),
                                             _Alignof(struct kfp_node));
        if (!n->u.items)
            return KFP_LOAD_NOMEM;
        for (size_t i = 0; i < count; i++)
            n->u.items[i] = *b->scratch[f->base + i];
    } else {
        size_t np = count / 2;
        n->len = (uint32_t)np;
        n->u.pairs = kfp_arena_alloc_aligned(b->a, (np ? np : 1) * sizeof(*n->u.pairs),
                                             _Alignof(struct kfp_pair));
        if (!n->u.pairs)
            return KFP_LOAD_NOMEM;
        bool merges = false;
        for (size_t i = 0; i < np; i++) {
            n->u.pairs[i].key = *b->scratch[f->base + 2 * i];
            n->u.pairs[i].value = *b->scratch[f->base + 2 * i + 1];
            merges |= !b->json && is_merge_key(&n->u.pairs[i].key);
        }
        if (find_dups(b, n->u.pairs, np))
            return KFP_LOAD_NOMEM;
        if (merges && resolve_merges(b, n))
            return KFP_LOAD_NOMEM;
    }
    b->n_scratch = f->base;
    kfp_arena_release(&b->pool, f->pool_mark); /* its children are copied */
    return KFP_LOAD_OK;
}

enum kfp_load_status kfp_load_attach(struct builder *b, struct kfp_node *n)
{
    if (b->n_frames == 0)
        return kfp_vec_push(b->a, &b->roots, n) ? KFP_LOAD_NOMEM : KFP_LOAD_OK;
    return push_child(b, n) ? KFP_LOAD_NOMEM : KFP_LOAD_OK;
}

enum kfp_load_status kfp_load_open(struct builder *b, struct kfp_node *n, struct kfp_error *err)
{
    if (b->n_frames >= KFP_MAX_DEPTH)
        return syntax_at(b, err, n->span.start, "nesting deeper than 1000 levels");
    if (kfp_load_attach(b, n) != KFP_LOAD_OK) /* placed now, filled at its END event */
        return KFP_LOAD_NOMEM;
    if (grow((void **)&b->frames, &b->cap_frames, b->n_frames + 1, sizeof(*b->frames)))
        return KFP_LOAD_NOMEM;
    b->frames[b->n_frames].node = n;
    b->frames[b->n_frames].base = b->n_scratch;
    b->frames[b->n_frames].pool_mark = kfp_arena_mark(&b->pool);
    b->frames[b->n_frames].indent = 0;
    b->frames[b->n_frames].indentless = false;
    b->frames[b->n_frames].anchor = SIZE_MAX;
    b->n_frames++;
    return KFP_LOAD_OK;
}

static enum kfp_load_status on_event(struct builder *b, yaml_event_t *ev, struct kfp_error *err)
{
    struct kfp_node *n;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        b->n_anchors = 0;
        memset(&b->anchor_names, 0, sizeof(b->anchor_names)); /* the old slots stay in the arena */
        b->n_nodes = b->n_expanded = b->big_alias = 0;
        return KFP_LOAD_OK;
    case YAML_DOCUMENT_END_EVENT:
        /* a tree whose aliases expand it many times over is what Go's decoder refuses, and what
         * would make every walk of it cost the expansion: an error, as there */
        if (excessive_aliasing(b->n_expanded, b->n_nodes)) {
            char msg[300];
            snprintf(msg, sizeof(msg), "document contains excessive aliasing: its aliases expand "
                     "it from %llu to %llu nodes (this one to %llu), which Go's YAML decoder "
                     "(argo, kubectl, KFP's backend) refuses; write the repeated parts out",
                     (unsigned long long)b->n_nodes, (unsigned long long)b->n_expanded,
                     (unsigned long long)b->big_alias);
            return syntax_at(b, err, b->big_alias_at, msg);
        }
        return KFP_LOAD_OK;
    case YAML_SCALAR_EVENT: {
        b->n_nodes++;
        b->n_expanded++;
        n = new_node(b, KFP_NODE_SCALAR, &ev->start_mark, &ev->end_mark, ev->data.scalar.anchor,
                     ev->data.scalar.anchor || ev->data.scalar.tag);
        if (!n)
            return KFP_LOAD_NOMEM;
        switch (ev->data.scalar.style) {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = KFP_STYLE_SINGLE; break;
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = KFP_STYLE_DOUBLE; break;
        case YAML_LITERAL_SCALAR_STYLE: n->style = KFP_STYLE_LITERAL; break;
        case YAML_FOLDED_SCALAR_STYLE: n->style = KFP_STYLE_FOLDED; break;
        default: n->style = KFP_STYLE_PLAIN; break;
        }
        if (!fits(b, ev->data.scalar.length, n->span.start, false))
            return KFP_LOAD_NOMEM;
        n->len = (uint32_t)ev->data.scalar.length;
        n->u.str = load_text(b, (const char *)ev->data.scalar.value, n->len, false);
        if (!n->u.str)
            return KFP_LOAD_NOMEM;
        if (add_anchor(b, ev->data.scalar.anchor, n) || note_in_scalar(b, n) != KFP_LOAD_OK)
            return KFP_LOAD_NOMEM;
        return kfp_load_attach(b, n);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
        const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
        const yaml_char_t *tag = seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;
        int flow = seq ? ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                       : ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        b->n_nodes++;
        b->n_expanded++;
        n = new_node(b, seq ? KFP_NODE_SEQ : KFP_NODE_MAP, &ev->start_mark, &ev->end_mark, anchor,
                     anchor || tag);
        if (!n)
            return KFP_LOAD_NOMEM;
        n->style = flow ? KFP_STYLE_FLOW : KFP_STYLE_BLOCK;
        if (add_anchor(b, anchor, n))
            return KFP_LOAD_NOMEM;
        enum kfp_load_status st = kfp_load_open(b, n, err);
        if (st == KFP_LOAD_OK && anchor)
            b->frames[b->n_frames - 1].anchor = b->n_anchors - 1;
        return st;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        size_t ai = b->frames[b->n_frames - 1].anchor;
        if (ai != SIZE_MAX)
            b->anchors[ai].size = b->n_expanded - b->anchors[ai].start;
        return kfp_load_close(b, cursor_to(&b->cur, ev->end_mark.index));
    }
    case YAML_ALIAS_EVENT: {
        uint32_t at = cursor_to(&b->cur, ev->start_mark.index);
        const struct anchor *an = find_anchor(b, (const char *)ev->data.alias.anchor);
        if (!an)
            return syntax_at(b, err, at, "alias names no anchor defined before it");
        struct kfp_node *t = an->node;
        uint64_t size = an->size ? an->size : 1; /* an anchor still open is copied empty */
        b->n_nodes++;
        /* saturating (a ten-level bomb of 10^20 nodes must not wrap): past 2^60 it is refused
         * at the document's end anyway */
        b->n_expanded = size > (1ull << 60) - b->n_expanded ? 1ull << 60 : b->n_expanded + size;
        if (size > b->big_alias) {
            b->big_alias = size;
            b->big_alias_at = at;
        }
        /* the alias points at a copy of the anchored node that carries the alias's own span: a
         * finding on the value is reported where it is used. The copy shares the children (an
         * anchor still open, `&a [*a]`, is copied empty: no cycle) */
        uint32_t end = cursor_to(&b->cur, ev->end_mark.index);
        struct kfp_node *copy = node_new(b, (enum kfp_node_kind)t->kind,
                                         (enum kfp_style)t->style, at, end, true);
        n = new_node(b, KFP_NODE_ALIAS, &ev->start_mark, &ev->end_mark, NULL, false);
        if (!copy || !n)
            return KFP_LOAD_NOMEM;
        copy->len = t->len;
        copy->u = t->u;
        n->u.target = copy;
        return kfp_load_attach(b, n);
    }
    default:
        return KFP_LOAD_OK;
    }
}


/* ---------------------------------------------------------------- JSON */

/* JSON gets its own parser (RFC 8259, strict): it builds the same tree with byte offsets taken
 * directly, iteratively, and is several times faster than libyaml on JSON (bench/RESULTS.md),
 * which the pipeline-sized JSON files kfp.v2.compiler writes make worth it. */

/* ---------------------------------------------------------------- bytes, eight at a time */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Per byte of w, exactly (no carry crosses bytes): the high bit set where the byte is below 0x20,
 * above 0x7E, or equal to c. */
static uint64_t bytes_below_20(uint64_t w)
{
    return ~(((w & ~HIGHS) + ONES * 0x60) | w) & HIGHS;
}

static uint64_t bytes_above_7e(uint64_t w)
{
    return (((w & ~HIGHS) + ONES) | w) & HIGHS;
}

static uint64_t bytes_equal(uint64_t w, unsigned char c)
{
    uint64_t y = w ^ (ONES * c);
    return ~(((y & ~HIGHS) + ~HIGHS) | y) & HIGHS;
}

/* How many bytes of the word (as loaded from memory) come before the first one a non-zero mask
 * of the functions above marks. */
static size_t first_marked(uint64_t mask)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(mask) / 8;
#else
    return (size_t)__builtin_clzll(mask) / 8;
#endif
}

/* ---------------------------------------------------------------- JSON */

static bool json_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The first non-whitespace offset at or after i (len at the end); indentation eight spaces at a
 * time. */
static size_t json_skip_ws(const char *d, size_t len, size_t i)
{
    for (;;) {
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, d + i, 8);
            if (w != ONES * ' ')
                break;
            i += 8;
        }
        if (i >= len || !json_ws(d[i]))
            return i;
        i++;
    }
}

/* Length of a valid UTF-8 sequence at s[0..n), or 0. Rejects overlong forms and surrogates. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t w = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!w || w > n || c == 0xC0 || c == 0xC1 || c > 0xF4)
        return 0;
    for (size_t i = 1; i < w; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] >= 0x90))
        return 0;
    return w;
}

static int hex4(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Parses the string starting at d[*i] (a '"'); on success the node holds the decoded value. */
static enum kfp_load_status json_string(struct builder *b, const char *d, size_t len, size_t *i,
                                        struct kfp_node **out, struct kfp_error *err)
{
    size_t start = *i, p = start + 1;
    bool escapes = false;
    /* first pass: find the end, validate, note whether decoding is needed */
    while (p < len && d[p] != '"') {
        if (p + 8 <= len) { /* eight plain ASCII characters: no quote, backslash or control */
            uint64_t w;
            memcpy(&w, d + p, 8);
            uint64_t m = bytes_below_20(w) | (w & HIGHS) | bytes_equal(w, '"') | bytes_equal(w, '\\');
            if (!m) {
                p += 8;
                continue;
            }
            p += first_marked(m);
            if (d[p] == '"')
                break;
        }
        unsigned char c = (unsigned char)d[p];
        if (c == '\\') {
            escapes = true;
            p += 2;
            continue;
        }
        if (c < 0x20)
            return syntax_at(b, err, (uint32_t)p, "JSON syntax error: control character in a string (escape it)");
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t w = utf8_seq((const unsigned char *)d + p, len - p);
        if (!w)
            return syntax_at(b, err, (uint32_t)p, "JSON syntax error: invalid UTF-8 in a string");
        p += w;
    }
    if (p >= len)
        return syntax_at(b, err, (uint32_t)start, "JSON syntax error: unterminated string");
    struct kfp_node *n;
    if (!escapes) {
        n = kfp_load_scalar(b, KFP_STYLE_DOUBLE, (uint32_t)start, (uint32_t)(p + 1), d + start + 1,
                            p - start - 1);
        if (!n)
            return KFP_LOAD_NOMEM;
    } else {
        n = kfp_load_node(b, KFP_NODE_SCALAR, KFP_STYLE_DOUBLE, (uint32_t)start, (uint32_t)(p + 1));
        if (!n)
            return KFP_LOAD_NOMEM;
        char *o = kfp_arena_alloc_bytes(b->a, p - start);
        if (!o)
            return KFP_LOAD_NOMEM;
        size_t k = 0;
        for (size_t q = start + 1; q < p;) {
            if (d[q] != '\\') {
                o[k++] = d[q++];
                continue;
            }
            char e = d[q + 1];
            q += 2;
            switch (e) {
            case '"': o[k++] = '"'; break;
            case '\\': o[k++] = '\\'; break;
            case '/': o[k++] = '/'; break;
            case 'b': o[k++] = '\b'; break;
            case 'f': o[k++] = '\f'; break;
            case 'n': o[k++] = '\n'; break;
            case 'r': o[k++] = '\r'; break;
            case 't': o[k++] = '\t'; break;
            case 'u': {
                uint32_t cp;
                if (q + 4 > p || hex4(d + q, &cp))
                    return syntax_at(b, err, (uint32_t)(q - 2), "JSON syntax error: bad \\u escape");
                q += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo;
                    if (q + 6 > p || d[q] != '\\' || d[q + 1] != 'u' || hex4(d + q + 2, &lo) ||
                        lo < 0xDC00 || lo > 0xDFFF)
                        return syntax_at(b, err, (uint32_t)(q - 6), "JSON syntax error: unpaired surrogate in a \\u escape");
                    q += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return syntax_at(b, err, (uint32_t)(q - 6), "JSON syntax error: unpaired surrogate in a \\u escape");
                }
                if (cp == 0)
                    return syntax_at(b, err, (uint32_t)(q - 6), "JSON syntax error: \\u0000 is not supported");
                if (cp < 0x80) {
                    o[k++] = (char)cp;
                } else if (cp < 0x800) {
                    o[k++] = (char)(0xC0 | (cp >> 6));
                    o[k++] = (char)(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    o[k++] = (char)(0xE0 | (cp >> 12));
                    o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    o[k++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    o[k++] = (char)(0xF0 | (cp >> 18));
                    o[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                    o[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    o[k++] = (char)(0x80 | (cp & 0x3F));
                }
                break;
            }
            default:
                return syntax_at(b, err, (uint32_t)(q - 2), "JSON syntax error: unknown escape in a string");
            }
        }
        o[k] = '\0';
        if (!fits(b, k, n->span.start, false))
            return KFP_LOAD_NOMEM;
        n->len = (uint32_t)k;
        n->u.str = load_text(b, o, k, true);
        if (!n->u.str)
            return KFP_LOAD_NOMEM;
    }
    *i = p + 1;
    *out = n;
    return KFP_LOAD_OK;
}

/* A number, true, false or null at d[*i]. */
static enum kfp_load_status json_literal(struct builder *b, const char *d, size_t len, size_t *i,
                                         struct kfp_node **out, struct kfp_error *err)
{
    size_t s = *i, p = s;
    if (len - p >= 4 && !memcmp(d + p, "true", 4))
        p += 4;
    else if (len - p >= 5 && !memcmp(d + p, "false", 5))
        p += 5;
    else if (len - p >= 4 && !memcmp(d + p, "null", 4))
        p += 4;
    else {
        if (p < len && d[p] == '-')
            p++;
        if (p < len && d[p] == '0')
            p++;
        else if (p < len && d[p] >= '1' && d[p] <= '9')
            while (p < len && d[p] >= '0' && d[p] <= '9')
                p++;
        else if (p < len && d[p] == '\'')
            return syntax_at(b, err, (uint32_t)s, "JSON syntax error: strings must use double quotes");
        else if (p < len && ((d[p] >= 'a' && d[p] <= 'z') || (d[p] >= 'A' && d[p] <= 'Z')))
            return syntax_at(b, err, (uint32_t)s, "JSON syntax error: unquoted string (strings need double quotes)");
        else
            return syntax_at(b, err, (uint32_t)s, "JSON syntax error: expected a value (string, number, object, array, true, false or null)");
        if (p < len && d[p] == '.') {
            p++;
            if (p >= len || d[p] < '0' || d[p] > '9')
                return syntax_at(b, err, (uint32_t)p, "JSON syntax error: digits expected after '.'");
            while (p < len && d[p] >= '0' && d[p] <= '9')
                p++;
        }
        if (p < len && (d[p] == 'e' || d[p] == 'E')) {
            p++;
            if (p < len && (d[p] == '+' || d[p] == '-'))
                p++;
            if (p >= len || d[p] < '0' || d[p] > '9')
                return syntax_at(b, err, (uint32_t)p, "JSON syntax error: digits expected in the exponent");
            while (p < len && d[p] >= '0' && d[p] <= '9')
                p++;
        }
    }
    if (p < len && !json_ws(d[p]) && d[p] != ',' && d[p] != '}' && d[p] != ']')
        return syntax_at(b, err, (uint32_t)s, "JSON syntax error: unexpected characters (strings need double quotes)");
    struct kfp_node *n = kfp_load_scalar(b, KFP_STYLE_PLAIN, (uint32_t)s, (uint32_t)p, d + s, p - s);
    if (!n)
        return KFP_LOAD_NOMEM;
    *i = p;
    *out = n;
    return KFP_LOAD_OK;
}

enum { J_VALUE, J_KEY, J_COLON, J_NEXT }; /* what the innermost container expects */

static enum kfp_load_status parse_json(struct builder *b, const char *d, size_t len, size_t i,
                                       struct kfp_error *err)
{
    int expect = J_VALUE; /* at the top: one value */
    bool first = false;   /* just after '{' or '[' (a close is allowed) */
    bool done = false;
    while (!done) {
        i = json_skip_ws(d, len, i);
        if (i >= len)
            return syntax_at(b, err, (uint32_t)len, b->n_frames ? "JSON syntax error: unexpected end of file (unclosed object or array)"
                                                               : "JSON syntax error: unexpected end of file");
        char c = d[i];
        struct frame *f = b->n_frames ? &b->frames[b->n_frames - 1] : NULL;
        bool in_map = f && f->node->kind == KFP_NODE_MAP;
        if ((c == '}' || c == ']') && ((expect == J_NEXT) || (first && (expect == J_VALUE || expect == J_KEY)))) {
            if (!f || (c == '}') != in_map)
                return syntax_at(b, err, (uint32_t)i, c == '}' ? "JSON syntax error: '}' does not close an object"
                                                               : "JSON syntax error: ']' does not close an array");
            enum kfp_load_status st = kfp_load_close(b, (uint32_t)(i + 1));
            if (st != KFP_LOAD_OK)
                return st;
            i++;
            first = false;
            expect = J_NEXT;
            if (b->n_frames == 0)
                done = true;
            continue;
        }
        if (expect == J_NEXT) {
            if (c != ',')
                return syntax_at(b, err, (uint32_t)i, in_map ? "JSON syntax error: expected ',' or '}' after an object member"
                                                             : "JSON syntax error: expected ',' or ']' after an array element");
            i++;
            expect = in_map ? J_KEY : J_VALUE;
            first = false;
            continue;
        }
        if (expect == J_COLON) {
            if (c != ':')
                return syntax_at(b, err, (uint32_t)i, "JSON syntax error: expected ':' after an object key");
            i++;
            expect = J_VALUE;
            continue;
        }
        struct kfp_node *n = NULL;
        enum kfp_load_status st;
        if (expect == J_KEY) {
            if (c != '"')
                return syntax_at(b, err, (uint32_t)i, first ? "JSON syntax error: expected a string key or '}'"
                                                            : "JSON syntax error: expected a string key (a trailing comma is not JSON)");
            if ((st = json_string(b, d, len, &i, &n, err)) != KFP_LOAD_OK)
                return st;
            if (push_child(b, n))
                return KFP_LOAD_NOMEM;
            expect = J_COLON;
            first = false;
            continue;
        }
        /* a value */
        if (first == false && expect == J_VALUE && f && !in_map && (c == ']'))
            return syntax_at(b, err, (uint32_t)i, "JSON syntax error: a trailing comma is not JSON");
        if (c == '{' || c == '[') {
            n = kfp_load_node(b, c == '{' ? KFP_NODE_MAP : KFP_NODE_SEQ, KFP_STYLE_FLOW, (uint32_t)i, 0);
            if (!n)
                return KFP_LOAD_NOMEM;
            if ((st = kfp_load_open(b, n, err)) != KFP_LOAD_OK)
                return st;
            i++;
            expect = c == '{' ? J_KEY : J_VALUE;
            first = true;
            continue;
        }
        if (c == '"')
            st = json_string(b, d, len, &i, &n, err);
        else
            st = json_literal(b, d, len, &i, &n, err);
        if (st != KFP_LOAD_OK)
            return st;
        if ((st = kfp_load_attach(b, n)) != KFP_LOAD_OK)
            return st;
        first = false;
        expect = J_NEXT;
        if (b->n_frames == 0)
            done = true;
    }
    i = json_skip_ws(d, len, i);
    if (i < len)
        return syntax_at(b, err, (uint32_t)i, "JSON syntax error: unexpected data after the JSON value");
    return KFP_LOAD_OK;
}

/* Returns the libyaml error position as a byte offset. */
static uint32_t problem_offset(struct builder *b, const yaml_parser_t *p, size_t bom)
{
    if (p->error == YAML_READER_ERROR) {
        size_t off = p->problem_offset;
        return (uint32_t)(off > b->cur.len ? b->cur.len : off);
    }
    (void)bom;
    return cursor_to(&b->cur, p->problem_mark.index);
}

static bool looks_empty(const char *d, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = d[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            i++;
        } else if (c == '#') {
            while (i < len && d[i] != '\n' && d[i] != '\r')
                i++;
        } else if (c == '-' && len - i >= 3 && d[i + 1] == '-' && d[i + 2] == '-') {
            i += 3; /* a bare document marker */
        } else {
            return false;
        }
    }
    return true;
}

/* What one pass over a file's bytes finds besides its line table (scan_text). */
struct text_scan {
    size_t nul;  /* offset of the first NUL byte, SIZE_MAX for none */
    bool fast;   /* in the block-YAML fast path's alphabet: printable ASCII, '\n', and valid UTF-8
                  * for printable characters other than the ones libyaml gives a meaning (NEL, LS
                  * and PS break lines; U+FEFF is a byte-order mark, skipped as the first
                  * character) or refuses (C1 controls, U+FFFE, U+FFFF) */
    bool ascii;  /* no byte above 0x7F (after a BOM) */
};

/* Fills src with data[0..len) and its sparse line table (line breaks LF, CRLF and a lone CR), and
 * *out with the NUL, alphabet and ASCII findings: all in one pass, eight bytes at a time while
 * they are printable ASCII or LF (reading a large file from memory again is what costs). The
 * table is allocated in a; KFP_OK, or KFP_ERR on allocation failure. */
static int scan_text(struct kfp_arena *a, struct kfp_source *src, const char *path,
                     const char *data, size_t len, struct text_scan *out)
{
    const unsigned char *d = (const unsigned char *)data;
    src->path = path;
    src->data = data;
    src->len = len;
    src->has_cr = false;
    src->blocks = NULL;
    src->n_blocks = 0;
    *out = (struct text_scan){SIZE_MAX, true, true};
    size_t n = 1, cap = 64; /* lines so far; checkpoints collected in a growing scratch array */
    uint32_t *cp = kfp_malloc(cap * sizeof(*cp));
    if (!cp)
        return KFP_ERR;
    cp[0] = 0;
    /* a byte-order mark is no text: it leaves `fast` and `ascii` alone (they say what follows) */
    size_t first = len >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (size_t i = first; i < len;) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, d + i, 8);
            uint64_t odd = bytes_below_20(w) | bytes_above_7e(w);
            if (!odd) {
                i += 8;
                continue;
            }
            uint64_t lf = bytes_equal(w, '\n');
            size_t r = n % KFP_LINE_STRIDE, k = (size_t)__builtin_popcountll(lf);
            if (odd == lf && r && r + k <= KFP_LINE_STRIDE) { /* only LFs, ending no 64th line */
                n += k;
                i += 8;
                continue;
            }
            i += first_marked(odd); /* to the first byte that needs a look */
        }
        unsigned char c = d[i];
        size_t next = i + 1;
        if (c == '\r') {
            src->has_cr = true;
            out->fast = false;
            if (next < len && d[next] == '\n')
                next++;
        }
        if (c == '\n' || c == '\r') {
            if (n++ % KFP_LINE_STRIDE == 0) { /* a 64th line ends: the next starts a checkpoint */
                if ((n - 1) / KFP_LINE_STRIDE == cap) {
                    uint32_t *ncp = kfp_realloc(cp, 2 * cap * sizeof(*cp));
                    if (!ncp) {
                        kfp_free(cp);
                        return KFP_ERR;
                    }
                    cp = ncp;
                    cap *= 2;
                }
                cp[(n - 1) / KFP_LINE_STRIDE] = (uint32_t)next;
            }
        } else if (c < 0x20 || c == 0x7F) {
            if (c == 0 && out->nul == SIZE_MAX)
                out->nul = i;
            out->fast = false; /* tab, control characters */
        } else if (c >= 0x80) {
            out->ascii = false;
            size_t w = out->fast ? utf8_seq(d + i, len - i) : 1;
            if (out->fast && w) {
                uint32_t u = c & (0xFF >> (w + 1));
                for (size_t k = 1; k < w; k++)
                    u = u << 6 | (d[i + k] & 0x3F);
                out->fast = !(u < 0xA0 || u == 0x2028 || u == 0x2029 || u == 0xFEFF ||
                              u == 0xFFFE || u == 0xFFFF);
            }
            if (w)
                next = i + w;
            else
                out->fast = false;
        }
        i = next;
    }
    size_t n_cp = (n - 1) / KFP_LINE_STRIDE + 1;
    src->n_lines = n;
    src->checkpoints = kfp_arena_alloc(a, n_cp * sizeof(*cp));
    if (src->checkpoints)
        memcpy(src->checkpoints, cp, n_cp * sizeof(*cp));
    kfp_free(cp);
    return src->checkpoints ? build_blocks(a, src) : KFP_ERR;
}

/* Forgets what a parse that is given up built (its arena was released to a mark). */
static void reset_builder(struct builder *b)
{
    b->n_frames = b->n_scratch = b->n_dups = b->n_in_scalars = 0;
    kfp_arena_free(&b->pool);
    memset(&b->roots, 0, sizeof(b->roots));
    forget_texts(b);
    b->too_long = b->too_long_coll = false;
}

/* Whether the file's name says JSON (`.json`, any case). */
static bool json_named(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n >= 5 && path[n - 5] == '.' && tolower((unsigned char)path[n - 4]) == 'j' &&
           tolower((unsigned char)path[n - 3]) == 's' && tolower((unsigned char)path[n - 2]) == 'o' &&
           tolower((unsigned char)path[n - 1]) == 'n';
}

int kfp_source_init(struct kfp_arena *a, struct kfp_source *src, const char *path,
                    const char *data, size_t len)
{
    struct text_scan scan;
    return scan_text(a, src, path, data, len, &scan);
}

enum kfp_load_status kfp_load(struct kfp_arena *a, const char *path, const char *data, size_t len,
                              struct kfp_doc *doc, struct kfp_error *err)
{
    return kfp_load_ex(a, path, data, len, 0, doc, err);
}

enum kfp_load_status kfp_load_ex(struct kfp_arena *a, const char *path, const char *data,
                                 size_t len, unsigned flags, struct kfp_doc *doc,
                                 struct kfp_error *err)
{
    memset(doc, 0, sizeof(*doc));
    if (len > UINT32_MAX - 1)
        len = UINT32_MAX - 1; /* callers cap sizes far below this */
    struct text_scan scan;
    if (scan_text(a, &doc->src, path, data, len, &scan))
        return KFP_LOAD_NOMEM;

    size_t bom = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    if (len >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE)) {
        kfp_error_set(err, "file is UTF-16 encoded; KFP specs must be UTF-8 (convert it with iconv -f UTF-16 -t UTF-8)");
        return KFP_LOAD_BINARY;
    }
    if (len >= 2 && ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)) {
        kfp_error_set(err, "file is UTF-16 encoded; KFP specs must be UTF-8 (convert it with iconv -f UTF-16 -t UTF-8)");
        return KFP_LOAD_BINARY;
    }
    if (scan.nul != SIZE_MAX) {
        struct kfp_span sp = {(uint32_t)scan.nul, (uint32_t)scan.nul};
        kfp_error_set_at(err, sp, "file contains NUL bytes: it is binary, not YAML or JSON");
        return KFP_LOAD_BINARY;
    }
    if (looks_empty(data + bom, len - bom)) {
        kfp_error_set(err, "file is empty: expected a KFP pipeline or component");
        return KFP_LOAD_EMPTY;
    }

    size_t i = bom;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    struct builder b;
    memset(&b, 0, sizeof(b));
    kfp_arena_init(&b.pool);
    b.a = a;
    b.doc = doc;
    b.json = !(flags & KFP_LOAD_LIBYAML) && i < len && (data[i] == '{' || data[i] == '[');
    b.cur.data = (const unsigned char *)data;
    b.cur.len = len;
    b.cur.byte = bom;
    b.cur.bom = bom;
    doc->format = b.json ? KFP_FORMAT_JSON : KFP_FORMAT_YAML;

    enum kfp_load_status st = KFP_LOAD_OK;
    yaml_parser_t parser;
    if (b.json) {
        /* A text that opens with '{' or '[' is JSON only if it is valid JSON: a flow mapping
         * with plain keys, single quotes, comments or trailing commas is YAML. A file named
         * *.json must be JSON, and gets the JSON parser's error. */
        struct kfp_arena_mark mark = kfp_arena_mark(a);
        st = parse_json(&b, data, len, i, err);
        if (st != KFP_LOAD_SYNTAX || json_named(path))
            goto built;
        kfp_arena_release(a, mark); /* read it as YAML */
        reset_builder(&b);
        b.json = false;
        doc->format = KFP_FORMAT_YAML;
        st = KFP_LOAD_OK;
        if (err)
            memset(err, 0, sizeof(*err));
    }
    if (scan.fast && !(flags & KFP_LOAD_LIBYAML)) {
        struct kfp_arena_mark mark = kfp_arena_mark(a);
        enum kfp_block_status bs = kfp_load_block(&b, data, len, bom);
        if (bs != KFP_BLOCK_FALLBACK) {
            st = bs == KFP_BLOCK_OK ? KFP_LOAD_OK : KFP_LOAD_NOMEM;
            doc->fast = true;
            goto built;
        }
        kfp_arena_release(a, mark); /* start again with libyaml */
        reset_builder(&b);
    }
    b.cur.ascii = scan.ascii; /* after the BOM */
    if (!yaml_parser_initialize(&parser))
        return KFP_LOAD_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                st = KFP_LOAD_NOMEM;
                break;
            }
            uint32_t off = problem_offset(&b, &parser, bom);
            struct kfp_span sp = {off, off};
            if (parser.context)
                kfp_error_set_at(err, sp, "YAML syntax error: %s (%s)",
                                 parser.problem ? parser.problem : "unexpected input", parser.context);
            else
                kfp_error_set_at(err, sp, "YAML syntax error: %s",
                                 parser.problem ? parser.problem : "unexpected input");
            st = KFP_LOAD_SYNTAX;
            break;
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        st = on_event(&b, &ev, err);
        yaml_event_delete(&ev);
        if (st != KFP_LOAD_OK || end)
            break;
    }
    yaml_parser_delete(&parser);
built:
    if (st == KFP_LOAD_OK) {
        doc->roots = (struct kfp_node **)b.roots.items;
        doc->n_roots = b.roots.len;
        if (b.n_dups) {
            doc->dups = kfp_arena_alloc(a, b.n_dups * sizeof(*doc->dups));
            if (!doc->dups)
                st = KFP_LOAD_NOMEM;
            else {
                memcpy(doc->dups, b.dups, b.n_dups * sizeof(*doc->dups));
                doc->n_dups = b.n_dups;
            }
        }
        if (st == KFP_LOAD_OK && b.n_in_scalars) {
            doc->in_scalars = kfp_arena_alloc(a, b.n_in_scalars * sizeof(*doc->in_scalars));
            if (!doc->in_scalars)
                st = KFP_LOAD_NOMEM;
            else {
                memcpy(doc->in_scalars, b.in_scalars, b.n_in_scalars * sizeof(*doc->in_scalars));
                doc->n_in_scalars = b.n_in_scalars;
            }
        }
        if (st == KFP_LOAD_OK && doc->n_roots == 0) {
            kfp_error_set(err, "file is empty: expected a KFP pipeline or component");
            st = KFP_LOAD_EMPTY;
        }
    }
    if (st == KFP_LOAD_NOMEM && b.too_long) {
        struct kfp_span sp = {b.too_long_at, b.too_long_at};
        kfp_error_set_at(err, sp, b.too_long_coll ? "this collection has more than %u entries: not linted"
                                                  : "this scalar is longer than %u bytes: not linted",
                         KFP_MAX_LEN);
        st = KFP_LOAD_TOO_BIG;
    } else if (st == KFP_LOAD_NOMEM)
        kfp_error_set(err, "out of memory");
    kfp_arena_free(&b.pool);
    kfp_free(b.frames);
    kfp_free(b.scratch);
    kfp_free(b.anchors);
    kfp_free(b.dups);
    kfp_free(b.in_scalars);
    kfp_free(b.texts);
    return st;
}

/* ---------------------------------------------------------------- access helpers */

const struct kfp_node *kfp_deref(const struct kfp_node *n)
{
    /* Aliases always name an anchor defined earlier, so a chain cannot loop; bound it anyway. */
    for (int i = 0; n && n->kind == KFP_NODE_ALIAS && i < 64; i++)
        n = n->u.target;
    return n && n->kind == KFP_NODE_ALIAS ? NULL : n;
}

/* Length of the snake_case form of a lowerCamelCase name (one '_' per upper-case letter). */
static size_t snake_len(const char *name, size_t nl)
{
    size_t sl = nl;
    for (size_t i = 0; i < nl; i++)
        sl += name[i] >= 'A' && name[i] <= 'Z';
    return sl;
}

/* Whether key text s[0..n) spells name (nl bytes) or its snake_case form (sl bytes). The lengths
 * rule out most keys without reading their text. */
static bool key_text_is(const char *s, size_t n, const char *name, size_t nl, size_t sl)
{
    if (n == nl)
        return memcmp(s, name, n) == 0;
    if (n != sl)
        return false;
    size_t j = 0; /* every upper-case letter becomes '_' + lower-case */
    for (size_t i = 0; i < nl; i++) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') {
            if (s[j] != '_' || s[j + 1] != (char)(c - 'A' + 'a'))
                return false;
            j += 2;
        } else if (s[j++] != c) {
            return false;
        }
    }
    return true;
}

bool kfp_key_is(const struct kfp_node *k, const char *name)
{
    k = kfp_deref(k);
    if (!k || k->kind != KFP_NODE_SCALAR)
        return false;
    size_t nl = strlen(name);
    return key_text_is(k->u.str, k->len, name, nl, snake_len(name, nl));
}

const struct kfp_node *kfp_map_get(const struct kfp_node *m, const char *name,
                                   const struct kfp_node **key_out)
{
    m = kfp_deref(m);
    if (key_out)
        *key_out = NULL;
    if (!m || m->kind != KFP_NODE_MAP)
        return NULL;
    size_t nl = strlen(name), sl = snake_len(name, nl);
    for (uint32_t i = 0; i < m->len; i++) {
        const struct kfp_node *k = &m->u.pairs[i].key;
        if (k->kind == KFP_NODE_ALIAS)
            k = kfp_deref(k);
        if (!k || k->kind != KFP_NODE_SCALAR || (k->len != nl && k->len != sl) ||
            !key_text_is(k->u.str, k->len, name, nl, sl))
            continue;
        if (key_out)
            *key_out = &m->u.pairs[i].key;
        return kfp_deref(&m->u.pairs[i].value);
    }
    return NULL;
}

const char *kfp_scalar(const struct kfp_node *n)
{
    n = kfp_deref(n);
    return n && n->kind == KFP_NODE_SCALAR ? n->u.str : NULL;
}

static bool ieq(const char *s, const char *lit)
{
    for (; *s && *lit; s++, lit++)
        if (tolower((unsigned char)*s) != *lit)
            return false;
    return *s == *lit;
}

/* s is lit, lit Capitalised, or lit in upper case. */
static bool case_variant(const char *s, const char *lit)
{
    if (!strcmp(s, lit))
        return true;
    if (!ieq(s, lit) || !isupper((unsigned char)s[0]))
        return false;
    bool all_upper = true, rest_lower = true;
    for (const char *p = s + 1; *p; p++) {
        all_upper &= isupper((unsigned char)*p) != 0;
        rest_lower &= islower((unsigned char)*p) != 0;
    }
    return all_upper || rest_lower;
}

enum kfp_scalar_type kfp_scalar_type(const struct kfp_node *n)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_SCALAR)
        return KFP_SCALAR_NOT;
    if (n->style != KFP_STYLE_PLAIN)
        return KFP_SCALAR_STRING;
    const char *s = n->u.str;
    if (n->len == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
        !strcmp(s, "NULL"))
        return KFP_SCALAR_NULL;
    /* YAML 1.1 booleans, as PyYAML and the Go YAML libraries KFP uses read them: each word in
     * lower case, Capitalised or UPPER CASE */
    static const char *const bools[] = {"true", "false", "yes", "no", "on", "off", NULL};
    for (int i = 0; bools[i]; i++)
        if (case_variant(s, bools[i]))
            return KFP_SCALAR_BOOL;
    /* No number is 1 KiB long (Go's strconv, which KFP's and Argo's decoders use, rejects such a
     * text as out of range and go-yaml keeps it a string), and a scalar shared by many aliases
     * must not cost its length at each use: a longer plain scalar is a string. */
    if (n->len > 1024)
        return KFP_SCALAR_STRING;
    char *end;
    errno = 0;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (isdigit((unsigned char)*p)) {
        (void)strtoll(s, &end, 0);
        if (*end == '\0')
            return KFP_SCALAR_INT;
        (void)strtod(s, &end);
        if (*end == '\0')
            return KFP_SCALAR_FLOAT;
    } else if (*p == '.' && isdigit((unsigned char)p[1])) {
        (void)strtod(s, &end);
        if (*end == '\0')
            return KFP_SCALAR_FLOAT;
    } else if (ieq(p, ".inf") || ieq(s, ".nan")) {
        return KFP_SCALAR_FLOAT;
    }
    return KFP_SCALAR_STRING;
}

const char *kfp_node_kind_name(const struct kfp_node *n)
{
    n = kfp_deref(n);
    if (!n)
        return "nothing";
    switch (n->kind) {
    case KFP_NODE_MAP: return "a mapping";
    case KFP_NODE_SEQ: return "a list";
    default: break;
    }
    switch (kfp_scalar_type(n)) {
    case KFP_SCALAR_NULL: return "null";
    case KFP_SCALAR_BOOL: return "a boolean";
    case KFP_SCALAR_INT:
    case KFP_SCALAR_FLOAT: return "a number";
    default: return "a string";
    }
}

bool kfp_scalar_number(const struct kfp_node *n, double *out)
{
    enum kfp_scalar_type t = kfp_scalar_type(n);
    if (t != KFP_SCALAR_INT && t != KFP_SCALAR_FLOAT)
        return false;
    const char *s = kfp_scalar(n);
    const char *p = (*s == '+' || *s == '-') ? s + 1 : s;
    if (ieq(p, ".inf"))
        *out = *s == '-' ? -INFINITY : INFINITY;
    else if (ieq(s, ".nan"))
        *out = NAN;
    else
        *out = t == KFP_SCALAR_INT ? (double)strtoll(s, NULL, 0) : strtod(s, NULL);
    return true;
}

bool kfp_node_is_alias(const struct kfp_source *src, const struct kfp_node *n)
{
    /* `*` and an anchor name (libyaml's: letters, digits, '-', '_'), nothing else: no scalar,
     * and no collection (a mapping whose first key is an alias spans its ':' too) */
    if (!n || n->span.end - n->span.start < 2 || n->span.end > src->len ||
        src->data[n->span.start] != '*')
        return false;
    for (uint32_t i = n->span.start + 1; i < n->span.end; i++) {
        char c = src->data[i];
        if (!isalnum((unsigned char)c) && c != '-' && c != '_')
            return false;
    }
    return true;
}

struct kfp_span kfp_node_subspan(const struct kfp_source *src, const struct kfp_node *n,
                                 const char *needle, size_t len)
{
    if (n->span.start < src->len && src->data[n->span.start] == '*' && kfp_node_is_alias(src, n))
        return n->span; /* the text is `*name`, not the value */
    const char *raw = src->data + n->span.start;
    size_t rl = n->span.end - n->span.start;
    /* a one-line scalar without escapes is its source text, between its quotes if any */
    uint32_t q = n->style == KFP_STYLE_SINGLE || n->style == KFP_STYLE_DOUBLE ? 1 : 0;
    uintptr_t at = (uintptr_t)needle, str = (uintptr_t)n->u.str;
    if ((q || n->style == KFP_STYLE_PLAIN) && rl == n->len + 2 * q && at >= str &&
        at + len <= str + n->len) {
        uint32_t off = n->span.start + q + (uint32_t)(at - str);
        return (struct kfp_span){off, off + (uint32_t)len};
    }
    if (len && rl >= len) {
        const char *hit = memmem(raw, rl, needle, len);
        if (hit) {
            struct kfp_span s = {(uint32_t)(hit - src->data), (uint32_t)(hit - src->data + len)};
            return s;
        }
    }
    return n->span;
}

/* ---- value offsets → source offsets (kfp_node_value_span) */

/* Bytes of the UTF-8 encoding of code point c. */
static uint32_t utf8_len(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static uint32_t hex_run(const char *d, uint32_t i, uint32_t end, uint32_t n, uint32_t *v)
{
    *v = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (i + k >= end || !isxdigit((unsigned char)d[i + k]))
            return 0;
        char c = d[i + k];
        *v = *v * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return n;
}

/* A flow scalar's source [i, end) (quotes excluded) against its value: the source offset of value
 * byte `off`, or UINT32_MAX when it cannot be told. Follows YAML's line folding (a line break
 * with the white space around it reads as one space, or as one newline per empty line), the
 * escapes of double quotes (YAML and JSON) and the doubled quote of single quotes. */
static uint32_t flow_offset(const char *d, uint32_t i, uint32_t end, enum kfp_style style, size_t off,
                            struct kfp_value_cursor *cur)
{
    size_t v = 0;
    if (cur->v && cur->v <= off && cur->i >= i && cur->i <= end) { /* resume */
        v = cur->v;
        i = cur->i;
    }
    while (i < end) {
        cur->i = i; /* the start of a unit of the source: a place to resume from */
        cur->v = v;
        char c = d[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            uint32_t j = i;
            while (j < end && (d[j] == ' ' || d[j] == '\t'))
                j++;
            if (j >= end || (d[j] != '\n' && d[j] != '\r')) {
                /* white space inside a line: kept */
                if (v + (j - i) > off)
                    return i + (uint32_t)(off - v);
                v += j - i;
                i = j;
                continue;
            }
            /* a line break (white space before it dropped): count the empty lines after it */
            size_t breaks = 0;
            while (j < end && (d[j] == '\n' || d[j] == '\r')) {
                j += d[j] == '\r' && j + 1 < end && d[j + 1] == '\n' ? 2 : 1;
                breaks++;
                while (j < end && (d[j] == ' ' || d[j] == '\t'))
                    j++;
            }
            size_t produced = breaks > 1 ? breaks - 1 : 1;
            if (v + produced > off)
                return i;
            v += produced;
            i = j;
            continue;
        }
        if (v == off)
            return i;
        if (style == KFP_STYLE_SINGLE && c == '\'' && i + 1 < end && d[i + 1] == '\'') {
            v++;
            i += 2;
            continue;
        }
        if (style == KFP_STYLE_DOUBLE && c == '\\' && i + 1 < end) {
            char e = d[i + 1];
            if (e == '\n' || e == '\r') { /* an escaped line break: nothing, nor the indentation */
                i += e == '\r' && i + 2 < end && d[i + 2] == '\n' ? 3 : 2;
                while (i < end && (d[i] == ' ' || d[i] == '\t'))
                    i++;
                continue;
            }
            uint32_t cp, n = 2, produced = 1;
            if (e == 'x' && hex_run(d, i + 2, end, 2, &cp)) {
                n = 4;
                produced = utf8_len(cp);
            } else if (e == 'u' && hex_run(d, i + 2, end, 4, &cp)) {
                n = 6;
                uint32_t lo;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 11 < end && d[i + 6] == '\\' && d[i + 7] == 'u' &&
                    hex_run(d, i + 8, end, 4, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    n = 12;
                    produced = 4;
                } else {
                    produced = utf8_len(cp);
                }
            } else if (e == 'U' && hex_run(d, i + 2, end, 8, &cp)) {
                n = 10;
                produced = utf8_len(cp);
            } else if (e == 'N' || e == '_') {
                produced = 2;
            } else if (e == 'L' || e == 'P') {
                produced = 3;
            }
            if (v + produced > off)
                return i;
            v += produced;
            i += n;
            continue;
        }
        v++;
        i++;
    }
    return v == off ? end : UINT32_MAX;
}

/* A block scalar whose header starts at i: sets cur's first content line and indentation (once
 * per scalar). False for an explicit indentation indicator (`|2`: the parent's indentation
 * plus 2, which the scalar alone does not tell) or a header with nothing after it. */
static bool block_start(const char *d, uint32_t i, uint32_t end, struct kfp_value_cursor *cur)
{
    if (cur->first_line)
        return true;
    uint32_t h = i;
    while (h < end && d[h] != '\n') {
        if (d[h] >= '1' && d[h] <= '9')
            return false;
        if (d[h] == '#')
            break;
        h++;
    }
    while (h < end && d[h] != '\n')
        h++;
    if (h >= end)
        return false;
    uint32_t line = h + 1, indent = 0;
    /* the indentation: the first line with text */
    for (uint32_t k = line; k < end;) {
        uint32_t s = k;
        while (k < end && d[k] == ' ')
            k++;
        if (k < end && d[k] != '\n' && d[k] != '\r') {
            indent = k - s;
            break;
        }
        while (k < end && d[k] != '\n')
            k++;
        k++;
    }
    cur->first_line = line;
    cur->indent = indent;
    return true;
}

/* One line of a block scalar from `line`: *text where its content starts (after the
 * indentation), *le its end without the line break; returns the start of the next line. */
static uint32_t block_line(const char *d, uint32_t line, uint32_t end, uint32_t indent, uint32_t *text,
                           uint32_t *le)
{
    uint32_t e = line;
    while (e < end && d[e] != '\n')
        e++;
    *le = e > line && d[e - 1] == '\r' ? e - 1 : e;
    *text = line + indent <= *le ? line + indent : *le;
    return e + 1;
}

/* A literal block scalar (`|`, `|-`, `|+`) whose header starts at i: the source offset of value
 * byte `off`, or UINT32_MAX (an explicit indentation indicator, or past the text). */
static uint32_t literal_offset(const char *d, uint32_t i, uint32_t end, size_t off,
                               struct kfp_value_cursor *cur)
{
    if (!block_start(d, i, end, cur))
        return UINT32_MAX;
    uint32_t line = cur->first_line;
    size_t v = 0;
    if (cur->v && cur->v <= off && cur->i >= line && cur->i <= end) { /* resume at a line */
        v = cur->v;
        line = cur->i;
    }
    while (line < end) {
        cur->i = line;
        cur->v = v;
        uint32_t text, le;
        uint32_t next = block_line(d, line, end, cur->indent, &text, &le);
        size_t n = le - text;
        if (off < v + n)
            return text + (uint32_t)(off - v);
        if (off == v + n)
            return le; /* the line break */
        v += n + 1;
        line = next;
    }
    return UINT32_MAX;
}

/* A folded block scalar (`>`, `>-`, `>+`) whose header starts at i: the source offset of value
 * byte `off`, or UINT32_MAX. YAML's folding: the break between two lines of text becomes a
 * space, or one newline per empty line between them; next to a more-indented line (one that
 * starts with white space) every break stays a newline. */
static uint32_t folded_offset(const char *d, uint32_t i, uint32_t end, size_t off,
                              struct kfp_value_cursor *cur)
{
    if (!block_start(d, i, end, cur))
        return UINT32_MAX;
    uint32_t line = cur->first_line, prev_le = 0;
    size_t v = 0, empties = 0;
    bool have_prev = false, prev_more = false;
    if (cur->v && cur->v <= off && cur->i >= line && cur->i <= end) { /* resume at a text line */
        v = cur->v;
        line = cur->i;
    }
    while (line < end) {
        uint32_t text, le;
        uint32_t next = block_line(d, line, end, cur->indent, &text, &le);
        uint32_t k = text;
        while (k < le && (d[k] == ' ' || d[k] == '\t'))
            k++;
        if (k == le) { /* an empty line (white space only) */
            empties++;
            line = next;
            continue;
        }
        bool more = d[text] == ' ' || d[text] == '\t';
        size_t sep = !have_prev ? empties : !prev_more && !more ? (empties ? empties : 1) : empties + 1;
        if (off < v + sep)
            return have_prev ? prev_le : line;
        v += sep;
        empties = 0;
        cur->i = line; /* a text line with what comes before it counted: a place to resume */
        cur->v = v;
        size_t n = le - text;
        if (off < v + n)
            return text + (uint32_t)(off - v);
        v += n;
        prev_more = more;
        prev_le = le;
        have_prev = true;
        line = next;
    }
    return off == v && have_prev ? prev_le : UINT32_MAX;
}

struct kfp_span kfp_node_value_span(const struct kfp_source *src, const struct kfp_node *n, size_t off,
                                    size_t len)
{
    return kfp_node_value_span_from(src, n, off, len, NULL);
}

struct kfp_span kfp_node_value_span_from(const struct kfp_source *src, const struct kfp_node *n,
                                         size_t off, size_t len, struct kfp_value_cursor *cur)
{
    struct kfp_value_cursor local = {0};
    if (!cur || cur->node != n) {
        cur = cur ? cur : &local;
        memset(cur, 0, sizeof(*cur));
        cur->node = n;
    }
    if (!n || n->kind != KFP_NODE_SCALAR || off > n->len || n->span.end > src->len ||
        n->span.end < n->span.start || kfp_node_is_alias(src, n))
        return n ? n->span : (struct kfp_span){0, 0};
    if (off + len > n->len)
        len = n->len - off;
    const char *d = src->data;
    uint32_t s = n->span.start, e = n->span.end;
    uint32_t a = UINT32_MAX, b = UINT32_MAX;
    switch (n->style) {
    case KFP_STYLE_PLAIN:
    case KFP_STYLE_SINGLE:
    case KFP_STYLE_DOUBLE: {
        uint32_t q = n->style == KFP_STYLE_PLAIN ? 0 : 1;
        if (e - s < 2 * q)
            break;
        if (e - s == n->len + 2 * q) { /* spelt verbatim */
            a = s + q + (uint32_t)off;
            b = a + (uint32_t)len;
            break;
        }
        a = flow_offset(d, s + q, e - q, (enum kfp_style)n->style, off, cur);
        b = len ? flow_offset(d, s + q, e - q, (enum kfp_style)n->style, off + len - 1, cur) : a;
        if (len && b != UINT32_MAX)
            b++;
        break;
    }
    case KFP_STYLE_LITERAL:
        a = literal_offset(d, s, e, off, cur);
        b = len ? literal_offset(d, s, e, off + len - 1, cur) : a;
        if (len && b != UINT32_MAX)
            b++;
        break;
    case KFP_STYLE_FOLDED:
        a = folded_offset(d, s, e, off, cur);
        b = len ? folded_offset(d, s, e, off + len - 1, cur) : a;
        if (len && b != UINT32_MAX)
            b++;
        break;
    default:
        break;
    }
    if (a == UINT32_MAX || b == UINT32_MAX || b < a || b > e || a < s)
        return n->span;
    return (struct kfp_span){a, b};
}
