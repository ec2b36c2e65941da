/* missing_input.c — missing-input: a required component input that the task does not supply. */
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a task that does not pass an input its component requires: one with no "
    "`defaultValue` and not `isOptional` (v1: no `default`, not `optional`). An iterator's item "
    "input counts as supplied. In Argo manifests: a DAG task or step that does not pass an "
    "input parameter of its template that has no `value`/`default`, or an input artifact with "
    "no source that is not `optional`.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails the task: \"neither value nor default value provided for non-optional "
    "parameter\".\n\n"
    "## Example\n"
    "```yaml\n"
    "comp-train:\n"
    "  inputDefinitions:\n"
    "    parameters:\n"
    "      epochs: {parameterType: NUMBER_INTEGER}\n"
    "# …the task 'train' passes no 'epochs'\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: the value to pass is the author's choice.\n";

/* What one task passes, for looking its component's inputs up in constant time: the definitions
 * the model resolved its arguments to, and the names it passes (scratch memory). */
struct passed {
    bool *resolved;          /* per definition of the component's inputs */
    struct kfp_strmap names; /* argument name -> (non-NULL) */
};

/* Fills p for task t; KFP_OK or KFP_ERR when memory ran out. */
static int passed_init(struct kfp_ctx *ctx, const struct kfp_task *t, const struct kfp_iodefs *in,
                       struct passed *p)
{
    p->resolved = kfp_arena_calloc(ctx->scratch, in->n, sizeof(*p->resolved));
    if (!p->resolved || kfp_strmap_init(ctx->scratch, &p->names, t->n_inputs + 1))
        return KFP_ERR;
    for (size_t i = 0; i < t->n_inputs; i++) {
        const struct kfp_iodef *def = t->inputs[i].def; /* the model's resolution */
        if (def && def >= in->items && def < in->items + in->n)
            p->resolved[def - in->items] = true;
        if (t->inputs[i].name.name && /* passed as the wrong kind: type-mismatch says so */
            kfp_strmap_put(ctx->scratch, &p->names, t->inputs[i].name.name, (void *)t, NULL))
            return KFP_ERR;
    }
    if (t->item_input.name && kfp_strmap_put(ctx->scratch, &p->names, t->item_input.name, (void *)t, NULL))
        return KFP_ERR;
    return KFP_OK;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || m->kind == KFP_DOC_COMPONENT_V1)
        return;
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            if (!t->component || !t->component->inputs.n)
                continue;
            const struct kfp_iodefs *in = &t->component->inputs;
            struct kfp_arena_mark mark = kfp_arena_mark(ctx->scratch);
            struct passed p;
            if (passed_init(ctx, t, in, &p)) {
                ctx->oom = 1;
                return;
            }
            for (size_t i = 0; i < in->n; i++) {
                const struct kfp_iodef *def = &in->items[i];
                if (def->optional || def->has_default || p.resolved[i] ||
                    (def->name.name && kfp_strmap_get(&p.names, def->name.name)))
                    continue;
                struct kfp_finding *f = m->kind == KFP_DOC_ARGO
                    ? kfp_report_at(ctx, t->key.node,
                                    "task '%s' does not pass %s '%s' of template '%s' (it has no "
                                    "value or default): argo rejects it (inputs.%s.%s was not supplied)",
                                    t->key.name, def->artifact ? "artifact" : "parameter",
                                    def->name.name, t->component->key.name,
                                    def->artifact ? "artifacts" : "parameters", def->name.name)
                    : kfp_report_at(
                    ctx, t->key.node,
                    "task '%s' does not pass required %s '%s' of component '%s' (no default, not "
                    "optional): the run fails in the KFP driver",
                    t->key.name, def->artifact ? "artifact" : "parameter", def->name.name,
                    t->component->key.name);
                kfp_related(ctx, f, def->name.node, "'%s' is declared here", def->name.name);
            }
            kfp_arena_release(ctx->scratch, mark);
        }
    }
}

const struct kfp_rule kfp_rule_missing_input = {
    .id = "missing-input",
    .summary = "a task does not supply a required input of its component",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
