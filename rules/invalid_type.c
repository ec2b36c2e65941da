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
static void v1_arg(struct kfp_ctx *ctx, struct kfp_schema_walk *st, const struct kfp_node *n, const char *name)
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
            kfp_schema_push(st, &n->u.pairs[i].value, "concat", KFP_SCHEMA_V_ARGS, KFP_SCHEMA_NONE);
        else if (!strcmp(key, "if"))
            kfp_schema_push(st, &n->u.pairs[i].value, "if", KFP_SCHEMA_V_OBJ, KFP_SCHEMA_V1_IF);
    }
}

/* Checks item `it` and pushes what lies below it. */
static void check_item(struct kfp_ctx *ctx, struct kfp_schema_walk *st, const struct kfp_schema_item *it)
{
    const struct kfp_node *n = kfp_deref(it->node);
    if (!n)
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
            kfp_schema_push(st, &n->u.items[i], it->name, KFP_SCHEMA_V_ARG, KFP_SCHEMA_NONE);
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
                kfp_schema_push(st, arg, "taskOutput", KFP_SCHEMA_V_OBJ, KFP_SCHEMA_V1_TASK_OUTPUT);
            if ((arg = kfp_map_get(v, "graphInput", NULL)))
                kfp_schema_push(st, arg, "graphInput", KFP_SCHEMA_V_OBJ, KFP_SCHEMA_V1_GRAPH_INPUT);
        }
        return;
    case KFP_SCHEMA_V_ARG_OR_ARGS:
        if (n->kind == KFP_NODE_SEQ)
            for (uint32_t i = n->len; i-- > 0;)
                kfp_schema_push(st, &n->u.items[i], it->name, KFP_SCHEMA_V_ARG, KFP_SCHEMA_NONE);
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
                kfp_schema_push(st, &n->u.items[i], it->name, KFP_SCHEMA_V_OBJ, it->type);
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
                kfp_schema_push(st, &n->u.pairs[i].value, it->name, KFP_SCHEMA_V_OBJ, it->type);
        }
        return;
    }
    /* KFP_SCHEMA_V_OBJ: every known field, in source order (pushed in reverse). A PipelineJob's
     * pipelineSpec is not among them: check() walks it apart, as the model's m->spec. */
    for (uint32_t i = n->len; i-- > 0;) {
        const struct kfp_schema_field *f = kfp_schema_field(it->type, &n->u.pairs[i].key);
        if (f && f->type != KFP_SCHEMA_SPEC)
            kfp_schema_push(st, &n->u.pairs[i].value, f->name, f->kind, f->type);
    }
}

static void walk(struct kfp_ctx *ctx, const struct kfp_node *root, const char *name,
                 enum kfp_schema_type type)
{
    kfp_schema_walk(ctx, root, name, type, check_item);
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
