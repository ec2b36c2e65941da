/* unknown_field.c — unknown-field: a key the KFP schema does not define where the schema is
 * closed.
 *
 * The schema is the one table of src/schema.c (kfp_schema_*), which invalid-type walks too:
 * each object type lists its fields and what a field's value holds (an object of another type,
 * a map of such objects, or a list of them). The walk over the tree is iterative and follows
 * only the schema, so it is linear in the size of the checked part.
 */
#include "kfplint/alloc.h"
#include "kfplint/rule.h"
#include "kfplint/schema.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a key that the Kubeflow Pipelines schema does not define, wherever the schema is "
    "closed: the PipelineSpec top level, `pipelineInfo`, components and their input/output "
    "definitions, DAGs, tasks and their inputs, executors and containers, PlatformSpec "
    "executors, v1 `component.yaml`, and a PipelineJob's wrapper and `runtimeConfig` (the "
    "fields of KFP's and Vertex AI's PipelineJob). camelCase and snake_case spellings are both "
    "known. "
    "A near miss gets a \"did you mean\".\n\n"
    "## Why is this bad?\n"
    "KFP's API server rejects unknown fields in the spec, and its backend silently drops them in "
    "executors and platform config, where a typo (`dependentTask`, `secretAsEnvs`) quietly "
    "changes what runs.\n\n"
    "## Example\n"
    "```yaml\n"
    "tasks:\n"
    "  train:\n"
    "    dependentTask: [preprocess]    # did you mean 'dependentTasks'?\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: a renamed key can change what runs.\n";

struct item {
    const struct kfp_node *node;
    enum kfp_schema_type type;
};

static void unknown(struct kfp_ctx *ctx, const struct kfp_node *key, enum kfp_schema_type type)
{
    const char *name = kfp_scalar(key);
    if (!name)
        return;
    char buf[48];
    const char *hint = kfp_schema_suggest(type, name, buf, sizeof(buf));
    if (hint)
        kfp_report_at(ctx, key, "unknown field '%s' in %s: did you mean '%s'?", name,
                      kfp_schema_type_name(type), hint);
    else
        kfp_report_at(ctx, key, "unknown field '%s' in %s: KFP does not define it (a typo is "
                                "rejected by the API server or silently dropped at run time)",
                      name, kfp_schema_type_name(type));
}

struct stack {
    struct item *items;
    size_t len, cap;
};

static void push(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *n,
                 enum kfp_schema_type t)
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
    st->items[st->len].node = n;
    st->items[st->len].type = t;
    st->len++;
}

static void walk(struct kfp_ctx *ctx, const struct kfp_node *root, enum kfp_schema_type type)
{
    struct stack stack = {NULL, 0, 0};
    push(ctx, &stack, root, type);
    while (stack.len && !ctx->oom) {
        struct item it = stack.items[--stack.len];
        const struct kfp_node *n = kfp_deref(it.node);
        if (!n || n->kind != KFP_NODE_MAP || it.type == KFP_SCHEMA_NONE)
            continue;
        for (uint32_t i = 0; i < n->len; i++) {
            const struct kfp_node *k = &n->u.pairs[i].key;
            const struct kfp_schema_field *f = kfp_schema_field(it.type, k);
            if (!f) {
                unknown(ctx, kfp_deref(k), it.type);
                continue;
            }
            const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
            enum kfp_schema_shape shape = kfp_schema_shape(f);
            if (!v || shape == KFP_SCHEMA_SCALAR || (f->flags & KFP_SCHEMA_KEYS_UNCHECKED))
                continue;
            if (shape == KFP_SCHEMA_OBJECT) {
                push(ctx, &stack, v, f->type);
            } else if (shape == KFP_SCHEMA_MAP && v->kind == KFP_NODE_MAP) {
                for (uint32_t j = 0; j < v->len; j++)
                    push(ctx, &stack, &v->u.pairs[j].value, f->type);
            } else if (shape == KFP_SCHEMA_LIST && v->kind == KFP_NODE_SEQ) {
                for (uint32_t j = 0; j < v->len; j++)
                    push(ctx, &stack, &v->u.items[j], f->type);
            }
        }
    }
    kfp_free(stack.items);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        walk(ctx, m->top, KFP_SCHEMA_V1);
        return;
    }
    if (!m->spec)
        return;
    if (m->kind == KFP_DOC_PIPELINE_JOB)
        walk(ctx, m->top, KFP_SCHEMA_JOB); /* the wrapper, runtimeConfig, then pipelineSpec */
    else
        walk(ctx, m->spec, KFP_SCHEMA_SPEC);
    /* platform executors are checked where they configure an executor of this spec */
    const struct kfp_node *pex = kfp_map_get(kfp_map_get(m->platform, "deploymentSpec", NULL),
                                             "executors", NULL);
    for (uint32_t i = 0; pex && pex->kind == KFP_NODE_MAP && i < pex->len; i++)
        walk(ctx, &pex->u.pairs[i].value, KFP_SCHEMA_K8S);
}

const struct kfp_rule kfp_rule_unknown_field = {
    .id = "unknown-field",
    .summary = "a key the KFP schema does not define",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,schema",
    .doc = doc,
    .check = check,
};
