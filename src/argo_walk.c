/* argo_walk.c — one walk of an Argo manifest by the generated schema (src/argo_schema.c): every
 * key its type does not define and every value of the wrong shape. See argo_schema.h.
 *
 * What counts as the right shape follows the decoder argo uses (`argo lint`, `argo submit`, the
 * controller): sigs.k8s.io/yaml turns YAML (and JSON, which it reads as YAML) into JSON guided by
 * the target type, then encoding/json decodes it strictly.
 *   - null is "not set" (the zero value) everywhere, list items included;
 *   - a string field takes a plain number or boolean too (the YAML step writes its text);
 *   - an integer or number field takes no string ("5" is rejected), an integral float is an
 *     integer (1.0 becomes 1 on the way to JSON);
 *   - a boolean takes true/false and YAML 1.1's yes/no/on/off (plain);
 *   - IntOrString takes an integer or any string; Quantity and Amount a number or a string;
 *     AnyString (parameter values) any scalar;
 *   - free-form parts (withItems, plugin) are not looked into.
 */
#include "kfplint/alloc.h"
#include "kfplint/argo.h"
#include "kfplint/argo_schema.h"
#include "kfplint/rule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct kfp_argo_sfield *kfp_argo_schema_field(uint16_t type, const char *key)
{
    if (type >= kfp_argo_schema.n_types || !key)
        return NULL;
    const struct kfp_argo_stype *t = &kfp_argo_schema.types[type];
    if (t->kind != KFP_ARGO_S_OBJECT || !t->n_fields)
        return NULL;
    uint32_t h = t->seed;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    uint16_t i = kfp_argo_schema.slots[t->slots + (h & ((1u << t->hash_bits) - 1))];
    if (i == 0xFFFF)
        return NULL;
    const struct kfp_argo_sfield *f = &kfp_argo_schema.fields[t->first + i];
    return strcmp(key, kfp_argo_schema_str(f->name)) ? NULL : f;
}

const struct kfp_argo_sfield *kfp_argo_schema_field_nocase(uint16_t type, const char *key)
{
    if (type >= kfp_argo_schema.n_types || !key)
        return NULL;
    const struct kfp_argo_stype *t = &kfp_argo_schema.types[type];
    if (t->kind != KFP_ARGO_S_OBJECT)
        return NULL;
    for (uint16_t i = 0; i < t->n_fields; i++) {
        const struct kfp_argo_sfield *f = &kfp_argo_schema.fields[t->first + i];
        if (!strcasecmp(key, kfp_argo_schema_str(f->name)))
            return f;
    }
    return NULL;
}

/* A pending check: node n must be of type `type`; `field` names it in messages, with the key
 * of a map value (`key`) or whether it is a list item. */
struct item {
    const struct kfp_node *n;
    const char *field;
    const struct kfp_node *key;
    uint16_t type;
    bool in_list;
};

struct walk {
    struct kfp_ctx *ctx;
    const struct kfp_argo_walk_ops *ops;
    struct item *items;
    size_t len, cap;
    uint64_t *seen; /* (aliased children, type) already walked; open addressing, 0 = empty */
    size_t n_seen, seen_cap;
};

static uint64_t mix(uint64_t k)
{
    return k * 0x9E3779B97F4A7C15ull >> 20;
}

/* True when (the children of an aliased collection, type) were walked before; otherwise records
 * them. On allocation failure sets ctx->oom and returns true (stop). */
static bool seen_before(struct walk *w, const void *target, uint16_t type)
{
    uint64_t key = ((uint64_t)(uintptr_t)target << 16 ^ (uint64_t)type << 1) | 1;
    if (2 * (w->n_seen + 1) > w->seen_cap) {
        size_t cap = w->seen_cap ? w->seen_cap * 2 : 64;
        uint64_t *grown = kfp_malloc(cap * sizeof(*grown));
        if (!grown) {
            w->ctx->oom = 1;
            return true;
        }
        memset(grown, 0, cap * sizeof(*grown));
        for (size_t i = 0; i < w->seen_cap; i++) {
            if (!w->seen[i])
                continue;
            size_t j = (size_t)mix(w->seen[i]) & (cap - 1);
            while (grown[j])
                j = (j + 1) & (cap - 1);
            grown[j] = w->seen[i];
        }
        kfp_free(w->seen);
        w->seen = grown;
        w->seen_cap = cap;
    }
    size_t j = (size_t)mix(key) & (w->seen_cap - 1);
    while (w->seen[j]) {
        if (w->seen[j] == key)
            return true;
        j = (j + 1) & (w->seen_cap - 1);
    }
    w->seen[j] = key;
    w->n_seen++;
    return false;
}

static void push(struct walk *w, const struct kfp_node *n, const char *field, uint16_t type,
                 bool in_list, const struct kfp_node *key)
{
    if (kfp_argo_schema.types[type].kind == KFP_ARGO_S_ANY)
        return;
    if (w->len == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct item *grown = kfp_realloc(w->items, cap * sizeof(*grown));
        if (!grown) {
            w->ctx->oom = 1;
            return;
        }
        w->items = grown;
        w->cap = cap;
    }
    w->items[w->len++] = (struct item){n, field, key, type, in_list};
}

/* A plain float scalar with no fraction (1.0, 2e3): JSON carries it as an integer. */
static bool integral(const struct kfp_node *n)
{
    char *end;
    double d = strtod(n->u.str, &end);
    return *end == '\0' && isfinite(d) && d == floor(d);
}

/* Whether scalar n (not null) has the shape `kind` asks for. */
static bool scalar_fits(const struct kfp_node *n, enum kfp_argo_skind kind)
{
    enum kfp_scalar_type t = kfp_scalar_type(n);
    switch (kind) {
    case KFP_ARGO_S_STRING:
    case KFP_ARGO_S_SCALAR:
        return true;
    case KFP_ARGO_S_INT:
        return t == KFP_SCALAR_INT || (t == KFP_SCALAR_FLOAT && integral(n));
    case KFP_ARGO_S_NUMBER:
        return t == KFP_SCALAR_INT || t == KFP_SCALAR_FLOAT;
    case KFP_ARGO_S_BOOL:
        return t == KFP_SCALAR_BOOL;
    case KFP_ARGO_S_INT_OR_STRING:
        return t == KFP_SCALAR_INT || t == KFP_SCALAR_STRING || (t == KFP_SCALAR_FLOAT && integral(n));
    case KFP_ARGO_S_QUANTITY:
        return t == KFP_SCALAR_INT || t == KFP_SCALAR_FLOAT || t == KFP_SCALAR_STRING;
    default:
        return false;
    }
}

static void step(struct walk *w, const struct item *it)
{
    const struct kfp_node *n = kfp_deref(it->n);
    if (!n)
        return;
    const struct kfp_argo_stype *t = &kfp_argo_schema.types[it->type];
    if (n->kind == KFP_NODE_SCALAR && (t->kind == KFP_ARGO_S_STRING || t->kind == KFP_ARGO_S_SCALAR))
        return; /* any scalar (null: not set) */
    if (kfp_scalar_type(n) == KFP_SCALAR_NULL)
        return; /* not set */
    bool fits;
    switch (t->kind) {
    case KFP_ARGO_S_ANY:
        return;
    case KFP_ARGO_S_OBJECT:
    case KFP_ARGO_S_MAP:
        fits = n->kind == KFP_NODE_MAP;
        break;
    case KFP_ARGO_S_LIST:
        fits = n->kind == KFP_NODE_SEQ;
        break;
    default:
        fits = n->kind == KFP_NODE_SCALAR && scalar_fits(n, t->kind);
        break;
    }
    if (!fits) {
        if (w->ops->shape)
            w->ops->shape(w->ctx, n, it->field, it->in_list, it->key, it->type, w->ops->arg);
        return;
    }
    /* What an alias holds is walked once per type. Every alias has its own copy of the anchored
     * node (src/load.c: the copy carries the alias's span), so the copy's address is no key: the
     * children it shares with the anchor are. The value itself was checked above, at the alias,
     * in O(1); 50,000 aliases of a 1,000-entry map cost 50,000 lookups, not 50 M visits. */
    if (it->n->kind == KFP_NODE_ALIAS && n->kind != KFP_NODE_SCALAR && n->len &&
        seen_before(w, n->kind == KFP_NODE_MAP ? (const void *)n->u.pairs : (const void *)n->u.items,
                    it->type))
        return;
    if (t->kind == KFP_ARGO_S_LIST) {
        for (uint32_t i = n->len; i-- > 0;)
            push(w, &n->u.items[i], it->field, t->elem, true, NULL);
    } else if (t->kind == KFP_ARGO_S_MAP) {
        for (uint32_t i = n->len; i-- > 0;)
            push(w, &n->u.pairs[i].value, it->field, t->elem, false, &n->u.pairs[i].key);
    } else if (t->kind == KFP_ARGO_S_OBJECT) {
        /* every key in source order (pushed in reverse) */
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *k = &n->u.pairs[i].key;
            const char *key = kfp_scalar(kfp_deref(k));
            const struct kfp_argo_sfield *f = kfp_argo_schema_field(it->type, key);
            if (f) {
                push(w, &n->u.pairs[i].value, kfp_argo_schema_str(f->name), f->type, false, NULL);
                if ((f->flags & (KFP_ARGO_F_OLDER | KFP_ARGO_F_NEWER)) && w->ops->unknown)
                    w->ops->unknown(w->ctx, k, it->type, f, w->ops->arg);
                continue;
            }
            if (!key)
                continue;
            f = t->exact_case ? NULL : kfp_argo_schema_field_nocase(it->type, key);
            if (f)
                push(w, &n->u.pairs[i].value, kfp_argo_schema_str(f->name), f->type, false, NULL);
            if (w->ops->unknown)
                w->ops->unknown(w->ctx, k, it->type, f, w->ops->arg);
        }
    }
}

void kfp_argo_schema_walk(struct kfp_ctx *ctx, const struct kfp_argo_walk_ops *ops)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->argo)
        return;
    struct walk w = {ctx, ops, NULL, 0, 0, NULL, 0, 0};
    for (size_t d = 0; d < m->argo->n_docs && !ctx->oom; d++) {
        const struct kfp_argo_doc *doc = &m->argo->docs[d];
        push(&w, doc->root, kfp_scalar(doc->kind_node), kfp_argo_schema.roots[doc->kind], false, NULL);
        while (w.len && !ctx->oom) {
            struct item it = w.items[--w.len];
            step(&w, &it);
        }
        w.len = 0;
    }
    kfp_free(w.items);
    kfp_free(w.seen);
}

/* What a value of type t must be, for messages. */
static const char *want(uint16_t type)
{
    const struct kfp_argo_stype *t = &kfp_argo_schema.types[type];
    switch (t->kind) {
    case KFP_ARGO_S_STRING:
        return "a string";
    case KFP_ARGO_S_INT:
        return "an integer";
    case KFP_ARGO_S_NUMBER:
        return "a number";
    case KFP_ARGO_S_BOOL:
        return "true or false";
    case KFP_ARGO_S_SCALAR:
        return "a string, number or boolean";
    case KFP_ARGO_S_INT_OR_STRING:
        return "an integer or a string";
    case KFP_ARGO_S_QUANTITY:
        return "a quantity (a number or a string such as 500m)";
    case KFP_ARGO_S_OBJECT:
        return kfp_argo_schema_str(t->label);
    case KFP_ARGO_S_LIST:
        return "a list";
    case KFP_ARGO_S_MAP:
        return "a mapping";
    default:
        return "something else";
    }
}

static void report_shape(struct kfp_ctx *ctx, const struct kfp_node *value, const char *field,
                         bool in_list, const struct kfp_node *map_key, uint16_t type, void *arg)
{
    (void)arg;
    enum kfp_argo_skind k = (enum kfp_argo_skind)kfp_argo_schema.types[type].kind;
    enum kfp_scalar_type st = kfp_scalar_type(value);
    const char *hint = "";
    if (st == KFP_SCALAR_STRING && (k == KFP_ARGO_S_INT || k == KFP_ARGO_S_NUMBER ||
                                    k == KFP_ARGO_S_BOOL))
        hint = strstr(value->u.str, "{{")
                   ? ": argo decodes the manifest before it substitutes variables, so a "
                     "`{{…}}` cannot stand here"
                   : ": argo decodes it strictly; remove the quotes";
    else if (st == KFP_SCALAR_FLOAT && (k == KFP_ARGO_S_INT || k == KFP_ARGO_S_INT_OR_STRING))
        hint = " with a fraction";
    else if (k == KFP_ARGO_S_OBJECT && value->kind == KFP_NODE_SEQ)
        hint = ": a single mapping, not a list";
    else if (k == KFP_ARGO_S_LIST && value->kind != KFP_NODE_SEQ)
        hint = ": wrap it in a list";
    const char *key = map_key ? kfp_scalar(kfp_deref(map_key)) : NULL;
    if (!field)
        field = "?";
    if (key)
        kfp_report_at(ctx, value, "'%s' in '%s' must be %s, got %s%s", key, field, want(type),
                      kfp_node_kind_name(value), hint);
    else
        kfp_report_at(ctx, value, "'%s'%s must be %s, got %s%s", field, in_list ? " items" : "",
                      want(type), kfp_node_kind_name(value), hint);
}

void kfp_argo_check_shapes(struct kfp_ctx *ctx)
{
    const struct kfp_argo_walk_ops ops = {NULL, report_shape, NULL};
    kfp_argo_schema_walk(ctx, &ops);
}
