/* invalid_type.c — invalid-type: a known field whose value is not the kind of value (mapping,
 * list, string, number, boolean) KFP's schema requires.
 *
 * The schema is the one table of src/schema.c (kfp_schema_*), which unknown-field walks too:
 * each object type lists its fields and the kind of value each holds. The walk is iterative and
 * follows only the schema, so it is linear in the size of the checked part; a value of the
 * wrong kind is reported once and not descended into. Keys the schema does not know are unknown-field's business.
 *
 * What counts as accepted follows the decoders KFP uses: protobuf JSON (Go protojson in the
 * backend, Python json_format in the SDK) for the v2 formats, and the SDK's v1 structures for
 * component.yaml:
 *   - null for a field means "not set": accepted everywhere (not inside a list);
 *   - a number field also accepts a string (protobuf JSON reads "10" as 10);
 *   - an enum field accepts its name (a string) or its number;
 *   - a string field does not accept a number or a boolean, a boolean field does not accept a
 *     string ("Expected true or false without quotes"), and a repeated field takes no null item.
 */
#include "kfplint/alloc.h"
#include "kfplint/argo_schema.h"
#include "kfplint/rule.h"
#include "kfplint/schema.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a known field whose value is not the kind the Kubeflow Pipelines schema requires: "
    "a list where a mapping belongs (`root: [...]`), a number where a list of strings belongs "
    "(`args: 5`), a number where a name belongs (`name: 5`), a string where `true`/`false` "
    "belongs, and, in v1 `component.yaml`, placeholders of the wrong shape (`{inputValue: [1]}`, "
    "`{concat: 5}`). Every format kfplint reads is covered: v2 IR PipelineSpec, PipelineJob, the "
    "Kubernetes platform spec, single-component IR and v1 ComponentSpec. What KFP accepts is not "
    "reported: `null` for a field (it means \"not set\"), a string for a number field, an enum's "
    "name or number.\n\n"
    "Argo manifests (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow) are "
    "checked at every depth, Kubernetes types included, by Argo's strict decoding "
    "(`src/argo_walk.c`): `parallelism: \"3\"`, `tolerations:` a mapping, `privileged: \"true\"` "
    "are errors; an IntOrString takes a number or any string (`{{…}}` included), a quantity a "
    "number or a string, a string field a plain number or boolean (the YAML step writes its "
    "text), a parameter value any scalar; `withItems` and `plugin` are free-form.\n\n"
    "## Why is this bad?\n"
    "KFP's protobuf decoder rejects the file when it is submitted, or, where the value sits in "
    "a free-form part (the platform spec), the run fails when the driver decodes it. Other "
    "checks cannot look inside a value of the wrong shape, so without this rule the file would "
    "look clean.\n\n"
    "## Example\n"
    "```yaml\n"
    "deploymentSpec:\n"
    "  executors:\n"
    "    exec-train:\n"
    "      container:\n"
    "        image: python:3.11\n"
    "        args: 5          # 'args' must be a list of strings, got a number\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: only the author knows what the value should be.\n";

/* v1 placeholders that name an input or output: {inputValue: NAME} and the like. The others:
 * {concat: [ARG…]}, {if: {cond, then, else}}, and {executorInput: null}, {outputMetadata: null},
 * which take no name. */
static const char *const v1_name_placeholders[] = {
    "inputValue", "inputPath", "outputPath", "inputUri", "outputUri", "isPresent",
    "inputMetadata", NULL};

/* A pending check: node `n` is the value of `name` and must be of kind `kind` (type `type`). */
struct item {
    const struct kfp_node *n;
    const char *name;
    enum kfp_schema_kind kind;
    enum kfp_schema_type type;
};

/* The work list, and the aliased nodes already checked: an alias is checked once per kind, so
 * aliases of aliases (a "billion laughs" of placeholders) cost their size, not their expansion;
 * the findings are the same, since they sit at the anchored nodes. */
struct stack {
    struct item *items;
    size_t len, cap;
    uint64_t *seen; /* open addressing; 0 = empty */
    size_t n_seen, seen_cap;
};

/* True when (alias target, kind, type) was checked before; otherwise records it. On allocation
 * failure sets ctx->oom and returns true (stop). */
static bool seen_before(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *target,
                        enum kfp_schema_kind kind, enum kfp_schema_type type)
{
    /* type in bits 1-7, kind in bits 8-15, the address above them (user-space addresses take
     * at most 48 bits); bit 0 is set, so that 0 stays "empty" */
    _Static_assert(KFP_SCHEMA__COUNT <= 128 && KFP_SCHEMA_V_GRAPH_ARGS < 256,
                   "the seen-set key has 7 bits for the type and 8 for the kind");
    uint64_t key = (uint64_t)(uintptr_t)target << 16 | (uint64_t)kind << 8 | (uint64_t)type << 1 | 1;
    if (2 * (st->n_seen + 1) > st->seen_cap) {
        size_t cap = st->seen_cap ? st->seen_cap * 2 : 64;
        uint64_t *grown = kfp_malloc(cap * sizeof(*grown));
        if (!grown) {
            ctx->oom = 1;
            return true;
        }
        memset(grown, 0, cap * sizeof(*grown));
        for (size_t i = 0; i < st->seen_cap; i++) {
            if (!st->seen[i])
                continue;
            size_t j = (size_t)(st->seen[i] * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
            while (grown[j])
                j = (j + 1) & (cap - 1);
            grown[j] = st->seen[i];
        }
        kfp_free(st->seen);
        st->seen = grown;
        st->seen_cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (st->seen_cap - 1);
    while (st->seen[j]) {
        if (st->seen[j] == key)
            return true;
        j = (j + 1) & (st->seen_cap - 1);
    }
    st->seen[j] = key;
    st->n_seen++;
    return false;
}

static void push(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *n,
                 const char *name, enum kfp_schema_kind kind, enum kfp_schema_type type)
{
    if (st->len == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        struct item *grown = kfp_realloc(st->items, cap * sizeof(*grown));
        if (!grown) {
            ctx->oom = 1;
            return;
        }
        st->items = grown;
        st->cap = cap;
    }
    st->items[st->len++] = (struct item){n, name, kind, type};
}

static bool is_string(const struct kfp_node *n)
{
    return kfp_scalar_type(n) == KFP_SCALAR_STRING;
}

/* " (quote it)" when a plain number or boolean stands where a string belongs. */
static const char *quote_hint(const struct kfp_node *n)
{
    enum kfp_scalar_type t = kfp_scalar_type(n);
    return t == KFP_SCALAR_INT || t == KFP_SCALAR_FLOAT || t == KFP_SCALAR_BOOL
               ? " (quote it to make it a string)"
               : "";
}

static void bad(struct kfp_ctx *ctx, const struct kfp_node *n, const char *name, const char *want)
{
    kfp_report_at(ctx, n, "'%s' must be %s, got %s%s", name, want, kfp_node_kind_name(n),
                  !strcmp(want, "a string") ? quote_hint(n) : "");
}

/* A v1 argument: a string, or a placeholder mapping with one known key whose value has the
 * right shape. Unknown placeholder keys are left alone (KFP may add placeholders). */
static void v1_arg(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *n, const char *name)
{
    if (is_string(n))
        return;
    if (n->kind != KFP_NODE_MAP) {
        kfp_report_at(ctx, n, "'%s' items must be strings or placeholders such as {inputValue: "
                              "NAME}, got %s%s", name, kfp_node_kind_name(n), quote_hint(n));
        return;
    }
    for (uint32_t i = 0; i < n->len; i++) {
        const struct kfp_node *k = &n->u.pairs[i].key, *v = kfp_deref(&n->u.pairs[i].value);
        const char *key = kfp_scalar(kfp_deref(k));
        if (!key || !v)
            continue;
        bool named = false;
        for (size_t p = 0; v1_name_placeholders[p] && !named; p++)
            named = !strcmp(key, v1_name_placeholders[p]);
        if (named && !is_string(v))
            kfp_report_at(ctx, v, "placeholder '%s' takes an input or output name (a string), "
                                  "got %s%s", key, kfp_node_kind_name(v), quote_hint(v));
        else if (!strcmp(key, "concat"))
            push(ctx, st, &n->u.pairs[i].value, "concat", KFP_SCHEMA_V_ARGS, KFP_SCHEMA_NONE);
        else if (!strcmp(key, "if"))
            push(ctx, st, &n->u.pairs[i].value, "if", KFP_SCHEMA_V_OBJ, KFP_SCHEMA_V1_IF);
    }
}

/* Checks item `it` and pushes what lies below it. */
static void check_item(struct kfp_ctx *ctx, struct stack *st, const struct item *it)
{
    const struct kfp_node *n = kfp_deref(it->n);
    if (!n)
        return;
    if (it->n->kind == KFP_NODE_ALIAS && seen_before(ctx, st, n, it->kind, it->type))
        return;
    enum kfp_scalar_type t = kfp_scalar_type(n);
    if (t == KFP_SCALAR_NULL && it->kind != KFP_SCHEMA_V_ARG)
        return; /* null: the field is not set */
    switch (it->kind) {
    case KFP_SCHEMA_V_ANY:
        return;
    case KFP_SCHEMA_V_STR:
        if (t != KFP_SCALAR_STRING)
            bad(ctx, n, it->name, "a string");
        return;
    case KFP_SCHEMA_V_NUM:
        if (t != KFP_SCALAR_INT && t != KFP_SCALAR_FLOAT && t != KFP_SCALAR_STRING)
            bad(ctx, n, it->name, "a number");
        return;
    case KFP_SCHEMA_V_BOOL:
        if (t != KFP_SCALAR_BOOL)
            bad(ctx, n, it->name, "true or false");
        return;
    case KFP_SCHEMA_V_ENUM:
        if (t != KFP_SCALAR_STRING && t != KFP_SCALAR_INT)
            bad(ctx, n, it->name, "an enum name (a string)");
        return;
    case KFP_SCHEMA_V_SCALAR:
        if (n->kind != KFP_NODE_SCALAR)
            bad(ctx, n, it->name, "a string, number or boolean");
        return;
    case KFP_SCHEMA_V_MAPPING:
        if (n->kind != KFP_NODE_MAP)
            bad(ctx, n, it->name, "a mapping");
        return;
    case KFP_SCHEMA_V_LIST:
        if (n->kind != KFP_NODE_SEQ)
            bad(ctx, n, it->name, "a list");
        return;
    case KFP_SCHEMA_V_STRS:
        if (n->kind != KFP_NODE_SEQ) {
            bad(ctx, n, it->name, "a list of strings");
            return;
        }
        for (uint32_t i = 0; i < n->len; i++) {
            const struct kfp_node *e = kfp_deref(&n->u.items[i]);
            if (e && !is_string(e))
                kfp_report_at(ctx, e, "'%s' must be a list of strings, got %s in it%s", it->name,
                              kfp_node_kind_name(e), quote_hint(e));
        }
        return;
    case KFP_SCHEMA_V_ARGS:
        if (n->kind != KFP_NODE_SEQ) {
            bad(ctx, n, it->name, "a list of strings and placeholders");
            return;
        }
        for (uint32_t i = n->len; i-- > 0;)
            push(ctx, st, &n->u.items[i], it->name, KFP_SCHEMA_V_ARG, KFP_SCHEMA_NONE);
        return;
    case KFP_SCHEMA_V_ARG:
        v1_arg(ctx, st, n, it->name);
        return;
    case KFP_SCHEMA_V_GRAPH_ARGS:
        /* ArgumentType: a constant, {taskOutput: {taskId, outputName}} or
         * {graphInput: {inputName}} */
        if (n->kind != KFP_NODE_MAP) {
            bad(ctx, n, it->name, "a mapping of names to arguments");
            return;
        }
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
            const struct kfp_node *arg;
            if (!v || v->kind != KFP_NODE_MAP) {
                if (v && v->kind == KFP_NODE_SEQ)
                    kfp_report_at(ctx, v, "a v1 argument must be a constant, {taskOutput: …} or "
                                          "{graphInput: …}, got a list");
                continue;
            }
            if ((arg = kfp_map_get(v, "taskOutput", NULL)))
                push(ctx, st, arg, "taskOutput", KFP_SCHEMA_V_OBJ, KFP_SCHEMA_V1_TASK_OUTPUT);
            if ((arg = kfp_map_get(v, "graphInput", NULL)))
                push(ctx, st, arg, "graphInput", KFP_SCHEMA_V_OBJ, KFP_SCHEMA_V1_GRAPH_INPUT);
        }
        return;
    case KFP_SCHEMA_V_ARG_OR_ARGS:
        if (n->kind == KFP_NODE_SEQ)
            for (uint32_t i = n->len; i-- > 0;)
                push(ctx, st, &n->u.items[i], it->name, KFP_SCHEMA_V_ARG, KFP_SCHEMA_NONE);
        else
            v1_arg(ctx, st, n, it->name);
        return;
    case KFP_SCHEMA_V_OBJ:
    case KFP_SCHEMA_V_MAPOF:
        if (n->kind != KFP_NODE_MAP) {
            bad(ctx, n, it->name, it->kind == KFP_SCHEMA_V_OBJ ? "a mapping" : "a mapping of names to definitions");
            return;
        }
        break;
    case KFP_SCHEMA_V_SEQOF:
        if (n->kind != KFP_NODE_SEQ) {
            bad(ctx, n, it->name, "a list of mappings");
            return;
        }
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *e = kfp_deref(&n->u.items[i]);
            if (e && e->kind != KFP_NODE_MAP)
                kfp_report_at(ctx, e, "'%s' must be a list of mappings, got %s in it", it->name,
                              kfp_node_kind_name(e));
            else
                push(ctx, st, &n->u.items[i], it->name, KFP_SCHEMA_V_OBJ, it->type);
        }
        return;
    }
    if (it->kind == KFP_SCHEMA_V_MAPOF) {
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
            const char *key = kfp_scalar(kfp_deref(&n->u.pairs[i].key));
            if (v && v->kind != KFP_NODE_MAP && kfp_scalar_type(v) != KFP_SCALAR_NULL)
                kfp_report_at(ctx, v, "'%s' in '%s' must be a mapping (%s), got %s",
                              key ? key : "?", it->name, kfp_schema_type_name(it->type),
                              kfp_node_kind_name(v));
            else
                push(ctx, st, &n->u.pairs[i].value, it->name, KFP_SCHEMA_V_OBJ, it->type);
        }
        return;
    }
    /* KFP_SCHEMA_V_OBJ: every known field, in source order (pushed in reverse). A PipelineJob's
     * pipelineSpec is not among them: check() walks it apart, as the model's m->spec. */
    for (uint32_t i = n->len; i-- > 0;) {
        const struct kfp_schema_field *f = kfp_schema_field(it->type, &n->u.pairs[i].key);
        if (f && f->type != KFP_SCHEMA_SPEC)
            push(ctx, st, &n->u.pairs[i].value, f->name, f->kind, f->type);
    }
}

static void walk(struct kfp_ctx *ctx, const struct kfp_node *root, const char *name,
                 enum kfp_schema_type type)
{
    struct stack st = {NULL, 0, 0, NULL, 0, 0};
    push(ctx, &st, root, name, KFP_SCHEMA_V_OBJ, type);
    while (st.len && !ctx->oom) {
        struct item it = st.items[--st.len];
        check_item(ctx, &st, &it);
    }
    kfp_free(st.items);
    kfp_free(st.seen);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        walk(ctx, m->top, "component", KFP_SCHEMA_V1);
        return;
    }
    if (m->kind == KFP_DOC_PIPELINE_JOB && m->top && m->top != m->spec)
        walk(ctx, m->top, "PipelineJob", KFP_SCHEMA_JOB);
    if (m->spec)
        walk(ctx, m->spec, "PipelineSpec", KFP_SCHEMA_SPEC);
    if (m->platform_doc)
        walk(ctx, m->platform_doc, "PlatformSpec", KFP_SCHEMA_PLATFORM_DOC);
    kfp_argo_check_shapes(ctx); /* Argo manifests: src/argo_walk.c */
}

const struct kfp_rule kfp_rule_invalid_type = {
    .id = "invalid-type",
    .summary = "a field's value is not the kind the KFP schema requires",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,schema",
    .doc = doc,
    .check = check,
};
