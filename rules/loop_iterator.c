/* loop_iterator.c — loop-iterator: a parameterIterator whose items the KFP driver cannot iterate. */
#include "kfplint/rule.h"

#include <jansson.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks what a `parameterIterator` (`dsl.ParallelFor`) iterates when it is known before the "
    "run: `items.raw`, and a constant (`runtimeValue.constant`) fed to the task input that "
    "`items.inputParameter` names. The KFP driver (`getItems` in `backend/src/v2/driver/`) "
    "iterates a list, or a string holding a JSON list; a number, boolean, null or mapping "
    "fails (\"value of type … cannot be iterated\"), and so does a string that is not JSON "
    "(or raw text that is not, \"error unmarshall raw string\"). A string holding JSON that is "
    "not a list is a **warning**: the driver then runs the loop zero times. Also reports a task "
    "with both `parameterIterator` and `artifactIterator` (\"parameterIterator and "
    "artifactIterator cannot be specified at the same time\", "
    "`backend/src/v2/compiler/argocompiler/dag.go`).\n\n"
    "## Why is this bad?\n"
    "The loop's driver fails when the run reaches it, after every task before it has run — or "
    "the loop body silently never runs.\n\n"
    "## Example\n"
    "```yaml\n"
    "parameterIterator:\n"
    "  itemInput: pipelinechannel--loop-item-param-1\n"
    "  items: {raw: '1, 2, 3'}      # not JSON: write '[1, 2, 3]'\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: what the author meant to iterate is a guess.\n";

/* Go's structpb type name for a JSON value (what the driver's message shows). */
static const char *pb_type(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "*structpb.Value_StructValue";
    case JSON_ARRAY: return "*structpb.Value_ListValue";
    case JSON_STRING: return "*structpb.Value_StringValue";
    case JSON_INTEGER:
    case JSON_REAL: return "*structpb.Value_NumberValue";
    case JSON_TRUE:
    case JSON_FALSE: return "*structpb.Value_BoolValue";
    default: return "*structpb.Value_NullValue";
    }
}

/* A string value: the driver parses it as JSON and iterates the list it holds. */
static void check_string(struct kfp_ctx *ctx, const struct kfp_node *at, const char *what,
                         const char *s, size_t len)
{
    json_error_t jerr;
    json_t *v = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!v) {
        kfp_report_at(ctx, at, "%s is a string that is not JSON (%s): the KFP driver cannot "
                               "iterate it; write a JSON list such as [\"a\", \"b\"]", what, jerr.text);
        return;
    }
    if (!json_is_array(v))
        kfp_report_sev(ctx, KFP_SEV_WARNING, at,
                       "%s is a string holding JSON that is not a list: the KFP driver runs the "
                       "loop zero times; write a JSON list", what);
    json_decref(v);
}

static void check_raw(struct kfp_ctx *ctx, const struct kfp_task *t, const struct kfp_node *raw)
{
    const char *s = kfp_scalar(raw);
    if (!s)
        return;
    if (strstr(s, "{{$"))
        return; /* resolved at run time */
    json_error_t jerr;
    json_t *v = json_loadb(s, raw->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!v) {
        kfp_report_at(ctx, raw, "parameterIterator items.raw of task '%s' is not JSON (%s): the "
                                "KFP driver fails (\"error unmarshall raw string\"); write a JSON "
                                "list such as [1, 2, 3]", t->key.name, jerr.text);
        return;
    }
    char what[300];
    snprintf(what, sizeof(what), "parameterIterator items.raw of task '%s'", t->key.name);
    if (json_is_string(v))
        check_string(ctx, raw, what, json_string_value(v), json_string_length(v));
    else if (!json_is_array(v))
        kfp_report_at(ctx, raw, "%s is JSON %s, not a list: the KFP driver fails (\"value of type "
                                "%s cannot be iterated\"); write a JSON list",
                      what, json_is_object(v) ? "object" : json_is_number(v) ? "number" :
                      json_is_boolean(v) ? "boolean" : "null", pb_type(v));
    json_decref(v);
}

static void check_constant(struct kfp_ctx *ctx, const struct kfp_task *t,
                           const struct kfp_task_input *in)
{
    const struct kfp_node *c = kfp_deref(in->src.constant);
    if (!c || c->kind == KFP_NODE_SEQ)
        return;
    char what[300];
    snprintf(what, sizeof(what), "the constant that task '%s' iterates (input '%s')", t->key.name,
             in->name.name);
    if (c->kind == KFP_NODE_MAP) {
        kfp_report_at(ctx, c, "%s is a mapping, not a list: the KFP driver fails (\"value of type "
                              "*structpb.Value_StructValue cannot be iterated\")", what);
        return;
    }
    enum kfp_scalar_type st = kfp_scalar_type(c);
    if (st == KFP_SCALAR_STRING) {
        if (!strstr(c->u.str, "{{$"))
            check_string(ctx, c, what, c->u.str, c->len);
        return;
    }
    const char *type = st == KFP_SCALAR_BOOL ? "*structpb.Value_BoolValue"
                       : st == KFP_SCALAR_NULL ? "*structpb.Value_NullValue"
                                               : "*structpb.Value_NumberValue";
    kfp_report_at(ctx, c, "%s is %s, not a list: the KFP driver fails (\"value of type %s cannot "
                          "be iterated\")", what,
                  st == KFP_SCALAR_BOOL ? "a boolean" : st == KFP_SCALAR_NULL ? "null" : "a number",
                  type);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec)
        return;
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_task *t = &m->dags[di]->tasks[ti];
            const struct kfp_node *pkey = NULL;
            const struct kfp_node *pi = kfp_map_get(t->node, "parameterIterator", &pkey);
            if (!pi)
                continue;
            const struct kfp_node *akey = NULL;
            if (kfp_map_get(t->node, "artifactIterator", &akey))
                kfp_report_at(ctx, akey,
                              "task '%s' has both parameterIterator and artifactIterator: the KFP "
                              "backend compiler fails (\"parameterIterator and artifactIterator "
                              "cannot be specified at the same time\"); keep one", t->key.name);
            const struct kfp_node *raw = kfp_map_get(kfp_map_get(pi, "items", NULL), "raw", NULL);
            if (raw) {
                check_raw(ctx, t, kfp_deref(raw));
                continue;
            }
            if (!t->iter_input.name)
                continue;
            for (size_t i = 0; i < t->n_inputs; i++) {
                const struct kfp_task_input *in = &t->inputs[i];
                if (!in->artifact && in->src.kind == KFP_SRC_CONSTANT && !in->src.legacy_constant &&
                    in->name.name && !strcmp(in->name.name, t->iter_input.name)) {
                    check_constant(ctx, t, in);
                    break;
                }
            }
        }
}

const struct kfp_rule kfp_rule_loop_iterator = {
    .id = "loop-iterator",
    .summary = "a parameterIterator over a value the KFP driver cannot iterate",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,backend",
    .doc = doc,
    .check = check,
};
