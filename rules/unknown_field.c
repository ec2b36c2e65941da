/* unknown_field.c — unknown-field: a key the KFP schema does not define where the schema is
 * closed.
 *
 * The schema is the one table of src/schema.c (kfp_schema_*), which invalid-type walks too:
 * each object type lists its fields and what a field's value holds (an object of another type,
 * a map of such objects, or a list of them). The walk over the tree (kfp_schema_walk, which
 * invalid-type uses too) is iterative and follows only the schema, so it is linear in the size
 * of the checked part.
 */
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

/* Reports the keys of an object that its type does not define, and pushes the objects below
 * the others (the values of a map or list of objects each). */
static void visit(struct kfp_ctx *ctx, struct kfp_schema_walk *w, const struct kfp_schema_item *it)
{
    const struct kfp_node *n = kfp_deref(it->node);
    if (!n || n->kind != KFP_NODE_MAP || it->type == KFP_SCHEMA_NONE)
        return;
    for (uint32_t i = 0; i < n->len; i++) {
        const struct kfp_node *k = &n->u.pairs[i].key;
        const struct kfp_schema_field *f = kfp_schema_field(it->type, k);
        if (!f) {
            unknown(ctx, kfp_deref(k), it->type);
            continue;
        }
        const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
        enum kfp_schema_shape shape = kfp_schema_shape(f);
        if (!v || shape == KFP_SCHEMA_SCALAR || (f->flags & KFP_SCHEMA_KEYS_UNCHECKED))
            continue;
        if (shape == KFP_SCHEMA_OBJECT) {
            kfp_schema_push(w, v, f->name, KFP_SCHEMA_V_OBJ, f->type);
        } else if (shape == KFP_SCHEMA_MAP && v->kind == KFP_NODE_MAP) {
            for (uint32_t j = 0; j < v->len; j++)
                kfp_schema_push(w, &v->u.pairs[j].value, f->name, KFP_SCHEMA_V_OBJ, f->type);
        } else if (shape == KFP_SCHEMA_LIST && v->kind == KFP_NODE_SEQ) {
            for (uint32_t j = 0; j < v->len; j++)
                kfp_schema_push(w, &v->u.items[j], f->name, KFP_SCHEMA_V_OBJ, f->type);
        }
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        kfp_schema_walk(ctx, m->top, NULL, KFP_SCHEMA_V1, visit);
        return;
    }
    if (!m->spec)
        return;
    if (m->kind == KFP_DOC_PIPELINE_JOB)
        kfp_schema_walk(ctx, m->top, NULL, KFP_SCHEMA_JOB, visit); /* the wrapper, runtimeConfig, then pipelineSpec */
    else
        kfp_schema_walk(ctx, m->spec, NULL, KFP_SCHEMA_SPEC, visit);
    /* platform executors are checked where they configure an executor of this spec */
    const struct kfp_node *pex = kfp_map_get(kfp_map_get(m->platform, "deploymentSpec", NULL),
                                             "executors", NULL);
    for (uint32_t i = 0; pex && pex->kind == KFP_NODE_MAP && i < pex->len; i++)
        kfp_schema_walk(ctx, &pex->u.pairs[i].value, NULL, KFP_SCHEMA_K8S, visit);
}

const struct kfp_rule kfp_rule_unknown_field = {
    .id = "unknown-field",
    .summary = "a key the KFP schema does not define",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,schema",
    .doc = doc,
    .check = check,
};
