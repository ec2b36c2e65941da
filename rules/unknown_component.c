/* unknown_component.c — unknown-component: componentRef.name not in `components`. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Checks that every task's `componentRef.name` is a key of the pipeline's `components` map, "
    "and that every task has a `componentRef`.\n\n"
    "## Why is this bad?\n"
    "The KFP backend compiler stops with \"component spec not found\" when it reaches the task; "
    "the pipeline cannot run.\n\n"
    "## Example\n"
    "```yaml\n"
    "componentRef: {name: comp-trian}     # components has comp-train\n"
    "```\n\n"
    "## Fix safety\n"
    "Replacing the name with the one close component name is unsafe: it is a guess.\n";

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || m->kind == KFP_DOC_COMPONENT_V1 || !m->spec)
        return;
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            if (!t->component_ref.name) {
                kfp_report_at(ctx, t->key.node, "task '%s' has no componentRef.name: name a key of components",
                              t->key.name ? t->key.name : "");
                continue;
            }
            if (t->component)
                continue;
            const char *hint = kfp_suggest_in_ctx(ctx, t->component_ref.name, &m->components_by_name);
            if (hint) {
                struct kfp_finding *f = kfp_report_at(
                    ctx, t->component_ref.node,
                    "unknown component '%s' in componentRef of task '%s': did you mean '%s'?",
                    t->component_ref.name, t->key.name, hint);
                kfp_fix_rename(ctx, f, t->component_ref.node, hint, 0,
                               "replace with the closest component name");
            } else {
                kfp_report_at(ctx, t->component_ref.node,
                              "unknown component '%s' in componentRef of task '%s': it is not a key of components",
                              t->component_ref.name, t->key.name);
            }
        }
    }
}

const struct kfp_rule kfp_rule_unknown_component = {
    .id = "unknown-component",
    .summary = "componentRef names no entry of components",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
