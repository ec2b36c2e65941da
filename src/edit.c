/* edit.c — byte-range edits that keep the surrounding formatting (kfp_edit_*).
 *
 * Block YAML items and entries are removed as whole lines (from the start of their first line
 * to the end of their last line, line break included); flow YAML and JSON items are removed
 * with the comma that separates them from a neighbour. New text copies the indentation, the
 * line break and the flow/block style of its neighbours.
 */
#include "kfplint/edit.h"

#include <stdio.h>
#include <string.h>

const char *kfp_edit_eol(const struct kfp_source *src)
{
    const char *nl = memchr(src->data, '\n', src->len);
    return nl && nl > src->data && nl[-1] == '\r' ? "\r\n" : "\n";
}

char *kfp_edit_quote(struct kfp_arena *a, const char *s)
{
    struct kfp_node n;
    memset(&n, 0, sizeof(n));
    n.style = KFP_STYLE_DOUBLE;
    return kfp_quote_like(a, &n, s);
}

/* The start of the line holding `off`; on line 1, after a byte-order mark (no column). */
static uint32_t line_start(const struct kfp_source *src, uint32_t off)
{
    uint32_t at = off;
    while (off > 0 && src->data[off - 1] != '\n' && src->data[off - 1] != '\r')
        off--;
    if (off == 0 && at >= 3 && !memcmp(src->data, "\xEF\xBB\xBF", 3))
        off = 3;
    return off;
}

/* Offset just past the line break that ends the line holding `off` (or the end of the text). */
static uint32_t next_line(const struct kfp_source *src, uint32_t off)
{
    while (off < src->len && src->data[off] != '\n' && src->data[off] != '\r')
        off++;
    if (off < src->len && src->data[off] == '\r')
        off++;
    if (off < src->len && src->data[off] == '\n')
        off++;
    return off;
}

/* Only white space (and, when allowed, a sequence dash) between line start and off? */
static bool alone_on_line(const struct kfp_source *src, uint32_t off, bool dash_ok)
{
    for (uint32_t i = line_start(src, off); i < off; i++)
        if (src->data[i] != ' ' && src->data[i] != '\t' && !(dash_ok && src->data[i] == '-'))
            return false;
    return true;
}

/* The end of a block node's text: libyaml ends block collections at the next token, so take
 * the end of its last scalar's line instead. */
static uint32_t content_end(const struct kfp_node *n)
{
    for (int guard = 0; guard < 1000; guard++) {
        n = kfp_deref(n);
        if (!n || n->kind == KFP_NODE_SCALAR || n->style == KFP_STYLE_FLOW || n->len == 0)
            return n ? n->span.end : 0;
        n = n->kind == KFP_NODE_SEQ ? &n->u.items[n->len - 1] : &n->u.pairs[n->len - 1].value;
    }
    return n ? n->span.end : 0;
}

/* Offset of the ',' before `from` (skipping white space), or UINT32_MAX. */
static uint32_t comma_before(const struct kfp_source *src, uint32_t from)
{
    while (from > 0) {
        char c = src->data[--from];
        if (c == ',')
            return from;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return UINT32_MAX;
    }
    return UINT32_MAX;
}

static uint32_t comma_after(const struct kfp_source *src, uint32_t from)
{
    for (; from < src->len; from++) {
        char c = src->data[from];
        if (c == ',')
            return from;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return UINT32_MAX;
    }
    return UINT32_MAX;
}

/* Removal of one element spanning [start, end) from a flow/JSON collection of `count` elements:
 * with the comma before it, or (for the first) the comma and space after it. */
static int remove_flow(const struct kfp_source *src, uint32_t start, uint32_t end, uint32_t index,
                       uint32_t count, struct kfp_edit *e)
{
    if (count == 1) {
        e->start = start;
        e->end = end;
    } else if (index > 0) {
        uint32_t c = comma_before(src, start);
        if (c == UINT32_MAX)
            return KFP_ERR;
        e->start = c;
        e->end = end;
    } else {
        uint32_t c = comma_after(src, end);
        if (c == UINT32_MAX)
            return KFP_ERR;
        uint32_t next = c + 1;
        while (next < src->len && (src->data[next] == ' ' || src->data[next] == '\t' ||
                                   src->data[next] == '\n' || src->data[next] == '\r'))
            next++;
        e->start = start;
        e->end = next;
    }
    e->text = "";
    return KFP_OK;
}

int kfp_edit_remove_item(const struct kfp_source *src, const struct kfp_node *seq, uint32_t index,
                         struct kfp_edit *e)
{
    seq = kfp_deref(seq);
    if (!seq || seq->kind != KFP_NODE_SEQ || index >= seq->len || kfp_node_is_alias(src, seq))
        return KFP_ERR; /* through an alias the edit would change every use of the anchor */
    const struct kfp_node *item = &seq->u.items[index];
    if (seq->style == KFP_STYLE_FLOW)
        return remove_flow(src, item->span.start, item->span.end, index, seq->len, e);
    /* block: the item's lines, from the line of its '-' to the end of its last line */
    uint32_t s = line_start(src, item->span.start);
    if (!alone_on_line(src, item->span.start, true) || seq->len == 1)
        return KFP_ERR; /* `key: - x` oddities, or the list would become empty */
    e->start = s;
    e->end = next_line(src, content_end(item));
    e->text = "";
    return KFP_OK;
}

int kfp_edit_remove_pair(const struct kfp_source *src, const struct kfp_node *map, uint32_t index,
                         struct kfp_edit *e)
{
    map = kfp_deref(map);
    if (!map || map->kind != KFP_NODE_MAP || index >= map->len || kfp_node_is_alias(src, map))
        return KFP_ERR;
    const struct kfp_pair *p = &map->u.pairs[index];
    if (map->style == KFP_STYLE_FLOW)
        return remove_flow(src, p->key.span.start, kfp_deref(&p->value)->span.end, index, map->len, e);
    if (!alone_on_line(src, p->key.span.start, false) || map->len == 1)
        return KFP_ERR;
    e->start = line_start(src, p->key.span.start);
    e->end = next_line(src, content_end(&p->value));
    e->text = "";
    return KFP_OK;
}

/* Column (bytes from line start) of offset off. */
static uint32_t column(const struct kfp_source *src, uint32_t off)
{
    return off - line_start(src, off);
}

static char *spaces(struct kfp_arena *a, uint32_t n)
{
    char *s = kfp_arena_alloc(a, n + 1);
    if (s) {
        memset(s, ' ', n);
        s[n] = '\0';
    }
    return s;
}

int kfp_edit_append_item(struct kfp_arena *a, const struct kfp_source *src, const struct kfp_node *seq,
                         const char *key1, const char *val1, const char *key2, const char *val2,
                         struct kfp_edit *e)
{
    seq = kfp_deref(seq);
    if (!seq || seq->kind != KFP_NODE_SEQ || seq->len == 0 || kfp_node_is_alias(src, seq))
        return KFP_ERR;
    const struct kfp_node *last = kfp_deref(&seq->u.items[seq->len - 1]);
    const char *eol = kfp_edit_eol(src);
    bool json = src->len && (src->data[0] == '{' || src->data[0] == '[');
    /* write each value the way the last item writes its value for that key */
    const struct kfp_node *like1 = kfp_map_get(last, key1, NULL), *like2 = key2 ? kfp_map_get(last, key2, NULL) : NULL;
    char *q1 = like1 && like1->kind == KFP_NODE_SCALAR ? kfp_quote_like(a, like1, val1) : kfp_edit_quote(a, val1);
    char *q2 = !val2 ? NULL
               : like2 && like2->kind == KFP_NODE_SCALAR ? kfp_quote_like(a, like2, val2)
                                                         : kfp_edit_quote(a, val2);
    char *k1 = json ? kfp_edit_quote(a, key1) : (char *)key1;
    char *k2 = key2 ? (json ? kfp_edit_quote(a, key2) : (char *)key2) : NULL;
    if (!q1 || (val2 && !q2) || !k1 || (key2 && !k2))
        return KFP_ERR;
    char *item;
    bool multi_line_item = last->kind == KFP_NODE_MAP && last->style != KFP_STYLE_FLOW;
    if (seq->style == KFP_STYLE_FLOW) {
        /* flow or JSON: after the last item, on its own line when items are on their own lines */
        bool own_lines = seq->len > 1 ? line_start(src, kfp_deref(&seq->u.items[seq->len - 2])->span.start) !=
                                            line_start(src, last->span.start)
                                      : line_start(src, seq->span.start) != line_start(src, last->span.start);
        bool obj_multi = last->kind == KFP_NODE_MAP && last->len > 0 &&
                         line_start(src, last->span.start) != line_start(src, last->u.pairs[0].key.span.start);
        char *body;
        if (obj_multi) {
            uint32_t ind = column(src, last->span.start), kind = column(src, last->u.pairs[0].key.span.start);
            char *i0 = spaces(a, ind), *i1 = spaces(a, kind);
            body = key2 ? kfp_arena_printf(a, "{%s%s%s: %s,%s%s%s: %s%s%s}", eol, i1, k1, q1, eol, i1, k2, q2, eol, i0)
                        : kfp_arena_printf(a, "{%s%s%s: %s%s%s}", eol, i1, k1, q1, eol, i0);
        } else {
            body = key2 ? kfp_arena_printf(a, "{%s: %s, %s: %s}", k1, q1, k2, q2)
                        : kfp_arena_printf(a, "{%s: %s}", k1, q1);
        }
        if (!body)
            return KFP_ERR;
        item = own_lines ? kfp_arena_printf(a, ",%s%s%s", eol, spaces(a, column(src, last->span.start)), body)
                         : kfp_arena_printf(a, ", %s", body);
        e->start = e->end = last->span.end;
    } else {
        /* block: a new "- " line with the indentation of the last item's dash */
        uint32_t dash = line_start(src, last->span.start);
        while (dash < last->span.start && src->data[dash] != '-')
            dash++;
        uint32_t ind = column(src, dash), kin = column(src, last->span.start);
        char *i0 = spaces(a, ind), *i1 = spaces(a, kin);
        if (multi_line_item)
            item = key2 ? kfp_arena_printf(a, "%s- %s: %s%s%s%s: %s%s", i0, k1, q1, eol, i1, k2, q2, eol)
                        : kfp_arena_printf(a, "%s- %s: %s%s", i0, k1, q1, eol);
        else
            item = key2 ? kfp_arena_printf(a, "%s- {%s: %s, %s: %s}%s", i0, k1, q1, k2, q2, eol)
                        : kfp_arena_printf(a, "%s- {%s: %s}%s", i0, k1, q1, eol);
        e->start = e->end = next_line(src, content_end(last));
        if (e->start == src->len && src->len && src->data[src->len - 1] != '\n')
            item = item ? kfp_arena_printf(a, "%s%s", eol, item) : NULL;
    }
    e->text = item;
    return item ? KFP_OK : KFP_ERR;
}

int kfp_edit_append_pair(struct kfp_arena *a, const struct kfp_source *src, const struct kfp_node *map,
                         bool json, const char *key, const char *value, struct kfp_edit *e)
{
    map = kfp_deref(map);
    if (!map || map->kind != KFP_NODE_MAP || map->len == 0 || kfp_node_is_alias(src, map))
        return KFP_ERR;
    const struct kfp_pair *last = &map->u.pairs[map->len - 1];
    const char *eol = kfp_edit_eol(src);
    char *k = json ? kfp_edit_quote(a, key) : (char *)key;
    if (!k)
        return KFP_ERR;
    char *text;
    if (map->style == KFP_STYLE_FLOW) {
        bool own_lines = line_start(src, map->u.pairs[0].key.span.start) != line_start(src, map->span.start);
        uint32_t end = kfp_deref(&last->value)->span.end;
        text = own_lines ? kfp_arena_printf(a, ",%s%s%s: %s", eol,
                                            spaces(a, column(src, last->key.span.start)), k, value)
                         : kfp_arena_printf(a, ", %s: %s", k, value);
        e->start = e->end = end;
    } else {
        if (!alone_on_line(src, last->key.span.start, false))
            return KFP_ERR;
        text = kfp_arena_printf(a, "%s%s: %s%s", spaces(a, column(src, last->key.span.start)), k,
                                value, eol);
        e->start = e->end = next_line(src, content_end(&last->value));
        if (text && e->start == src->len && src->len && src->data[src->len - 1] != '\n')
            text = kfp_arena_printf(a, "%s%s", eol, text);
    }
    e->text = text;
    return text ? KFP_OK : KFP_ERR;
}
