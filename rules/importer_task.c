/* importer_task.c — importer-task: importer tasks the KFP backend compiler cannot compile. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports an importer task (a task whose component runs an `importer` executor, "
    "`dsl.importer`) with a `triggerPolicy.condition`.\n\n"
    "## Why is this bad?\n"
    "The KFP backend compiler stops with \"triggerPolicy.condition on importer task is not "
    "supported\" (`backend/src/v2/compiler/argocompiler/dag.go`): an importer runs its driver "
    "and the import in one container, so there is no driver output to gate it on. The run "
    "fails before any task starts. The KFP SDK never puts an importer directly under a "
    "condition: it wraps it in a `comp-condition-N` DAG task, which is where the condition "
    "belongs.\n\n"
    "## Example\n"
    "```yaml\n"
    "importer:\n"
    "  componentRef: {name: comp-importer}\n"
    "  triggerPolicy:\n"
    "    condition: inputs.parameter_values['pipelinechannel--flag'] == true\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: moving the condition onto a DAG task around the importer is a change of structure.\n";

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_task *t = &m->dags[di]->tasks[ti];
            const struct kfp_executor *e = t->component ? t->component->executor : NULL;
            if (!e || e->kind != KFP_EXEC_IMPORTER)
                continue;
            const struct kfp_node *key = NULL;
            const char *cond = kfp_scalar(kfp_deref(
                kfp_map_get(kfp_map_get(t->node, "triggerPolicy", NULL), "condition", &key)));
            if (cond && *cond)
                kfp_report_at(ctx, key,
                              "importer task '%s' has a triggerPolicy.condition: the KFP backend "
                              "compiler fails the run (\"triggerPolicy.condition on importer task "
                              "is not supported\"); put the importer inside a condition DAG task",
                              t->key.name);
        }
}

const struct kfp_rule kfp_rule_importer_task = {
    .id = "importer-task",
    .summary = "an importer task the KFP backend cannot compile (triggerPolicy.condition)",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,backend",
    .doc = doc,
    .check = check,
};
