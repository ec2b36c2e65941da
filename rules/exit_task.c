/* exit_task.c — exit-task: exit tasks and final-status consumers the KFP backend cannot run. */
#include "kfplint/edit.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks exit tasks (`triggerPolicy.strategy: ALL_UPSTREAM_TASKS_COMPLETED`, what "
    "`dsl.ExitHandler` and `.ignore_upstream_failure()` compile to) and consumers of a task's "
    "final status (`taskFinalStatus`):\n"
    "- an exit task must have `dependentTasks`: the backend compiler attaches it as an exit hook "
    "to each of them, so without any it never runs;\n"
    "- a DAG must hold at least one task that is not an exit task (\"DAG … must contain one or "
    "more non-exit tasks\", `backend/src/v2/compiler/argocompiler/dag.go`);\n"
    "- the task of a `taskFinalStatus` input needs `dependentTasks` (\"task … has no dependent tasks\", "
    "`backend/src/v2/driver/resolve.go`); a producer missing from `dependentTasks` is a "
    "**warning**: the task may start before the producer ends;\n"
    "- a `TASK_FINAL_STATUS` input of the pipeline itself (root) must be optional: the API "
    "server rejects any run value for it (\"requires type TASK_FINAL_STATUS, which is invalid "
    "for root component\", `backend/src/apiserver/template/v2_template.go`), and without one a "
    "required input fails the run.\n\n"
    "## Why is this bad?\n"
    "The run is created and then fails in the backend compiler or the driver, or the exit task "
    "silently never runs.\n\n"
    "## Example\n"
    "```yaml\n"
    "notify:\n"
    "  componentRef: {name: comp-notify}\n"
    "  inputs:\n"
    "    parameters:\n"
    "      status: {taskFinalStatus: {producerTask: exit-handler-1}}\n"
    "  triggerPolicy: {strategy: ALL_UPSTREAM_TASKS_COMPLETED}   # no dependentTasks\n"
    "```\n\n"
    "## Fix safety\n"
    "A final-status consumer without `dependentTasks` gets `dependentTasks: [<producer>]`, what "
    "the KFP SDK writes: safe. Nothing else has a fix: which task an exit task should follow is "
    "the author's choice.\n";

static const struct kfp_node *strategy_node(const struct kfp_task *t)
{
    return kfp_deref(kfp_map_get(kfp_map_get(t->node, "triggerPolicy", NULL), "strategy", NULL));
}

static bool is_exit(const struct kfp_task *t)
{
    const char *s = kfp_scalar(strategy_node(t));
    return s && !strcmp(s, "ALL_UPSTREAM_TASKS_COMPLETED");
}

static bool depends_on(const struct kfp_task *t, const char *name)
{
    for (size_t i = 0; i < t->n_deps; i++)
        if (t->deps[i].name && !strcmp(t->deps[i].name, name))
            return true;
    return false;
}

static void check_task(struct kfp_ctx *ctx, const struct kfp_task *t)
{
    if (is_exit(t) && t->n_deps == 0)
        kfp_report_at(ctx, strategy_node(t),
                      "exit task '%s' has no dependentTasks: the KFP backend attaches an exit "
                      "task as an exit hook to each task it depends on, so this one never runs; "
                      "list the task(s) it should follow in dependentTasks", t->key.name);
    for (size_t i = 0; i < t->n_inputs; i++) {
        const struct kfp_task_input *in = &t->inputs[i];
        if (in->src.kind != KFP_SRC_FINAL_STATUS)
            continue;
        const char *p = in->src.producer.name;
        if (!p || !*p)
            continue; /* unknown-task reports it ("producerTask task cannot be empty") */
        if (t->n_deps == 0 && !kfp_map_get(t->node, "dependentTasks", NULL)) {
            struct kfp_finding *f = kfp_report_at(
                ctx, in->src.producer.node,
                "task '%s' reads the final status of '%s' but has no dependentTasks: the driver "
                "fails (\"task %s has no dependent tasks\"); add '%s' to dependentTasks",
                t->key.name, p, t->display.name ? t->display.name : t->key.name, p);
            /* what the SDK writes: the producer is the task's dependency */
            char *q = in->src.producer_task ? kfp_edit_quote(ctx->a, p) : NULL;
            char *list = q ? kfp_arena_printf(ctx->a, "[%s]", q) : NULL;
            struct kfp_edit e;
            if (f && list &&
                kfp_edit_append_pair(ctx->a, &ctx->doc->src, t->node,
                                     ctx->doc->format == KFP_FORMAT_JSON, "dependentTasks", list,
                                     &e) == KFP_OK && e.text)
                kfp_fix_edits(ctx, f, 1, "add the producer to dependentTasks", &e, 1);
        } else if (t->n_deps == 0) {
            kfp_report_at(ctx, in->src.producer.node,
                          "task '%s' reads the final status of '%s' but has no dependentTasks: "
                          "the driver fails (\"task %s has no dependent tasks\"); add '%s' to "
                          "dependentTasks", t->key.name, p,
                          t->display.name ? t->display.name : t->key.name, p);
        }
        else if (in->src.producer_task && !depends_on(t, p))
            kfp_report_sev(ctx, KFP_SEV_WARNING, in->src.producer.node,
                           "task '%s' reads the final status of '%s', which is not in its "
                           "dependentTasks: it may start before '%s' ends; add '%s' to "
                           "dependentTasks", t->key.name, p, p, p);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec)
        return;
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        size_t n_exit = 0;
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            check_task(ctx, &d->tasks[ti]);
            n_exit += is_exit(&d->tasks[ti]);
        }
        if (d->n_tasks && n_exit == d->n_tasks)
            kfp_report_at(ctx, strategy_node(&d->tasks[0]),
                          "every task of the DAG of '%s' is an exit task: the KFP backend "
                          "compiler fails (\"DAG %s must contain one or more non-exit tasks\"); "
                          "an exit task needs a task to follow", d->owner->key.name,
                          d->owner->key.name);
    }
    /* the pipeline's own TASK_FINAL_STATUS inputs: no run value is accepted for them */
    const struct kfp_component *root = m->root;
    for (size_t i = 0; root && m->kind != KFP_DOC_COMPONENT_V1 && i < root->inputs.n; i++) {
        const struct kfp_iodef *def = &root->inputs.items[i];
        if (!def->artifact && def->ptype == KFP_PT_FINAL_STATUS && !def->optional && !def->has_default)
            kfp_report_at(ctx, def->name.node,
                          "pipeline input '%s' is TASK_FINAL_STATUS but not optional: the KFP API "
                          "server rejects any run value for it (\"requires type TASK_FINAL_STATUS, "
                          "which is invalid for root component\") and the run fails without one; "
                          "set isOptional: true (only a parent pipeline can pass a final status)",
                          def->name.name);
    }
}

const struct kfp_rule kfp_rule_exit_task = {
    .id = "exit-task",
    .summary = "an exit task or final-status consumer the KFP backend cannot run",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,backend",
    .doc = doc,
    .check = check,
};
