/* empty_dag.c — empty-dag: a DAG with no tasks. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports a DAG (the root, a sub-DAG component, or a v1 graph) that has no tasks.\n\n"
    "## Why is this bad?\n"
    "The KFP backend compiler requires at least one task in every DAG; an empty DAG fails to "
    "compile on the cluster.\n\n"
    "## Example\n"
    "```yaml\n"
    "root:\n"
    "  dag:\n"
    "    tasks: {}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        if (d->n_tasks)
            continue;
        if (m->kind == KFP_DOC_ARGO)
            kfp_report_at(ctx, d->tasks_node ? d->tasks_node : d->node,
                          "the DAG of template '%s' has no tasks: argo requires at least one",
                          d->owner->key.name ? d->owner->key.name : "");
        else
        kfp_report_at(ctx, d->tasks_node ? d->tasks_node : d->node,
                      "the DAG of component '%s' has no tasks: KFP requires at least one",
                      d->owner->key.name ? d->owner->key.name : "root");
    }
}

const struct kfp_rule kfp_rule_empty_dag = {
    .id = "empty-dag",
    .summary = "a DAG has no tasks",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
