/* unknown_task.c — unknown-task: a reference to a task that is not a sibling in the same DAG. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Checks every reference to another task — `dependentTasks`, `taskOutputParameter` / "
    "`taskOutputArtifact` `producerTask`, `taskFinalStatus.producerTask`, DAG output "
    "`producerSubtask`, platform `*NameParameter` sources, and v1 graph `taskOutput.taskId` — "
    "names a task of the same DAG; in Argo manifests, `dependencies`, the names in `depends` "
    "and every `{{tasks.X.…}}` / `{{steps.X.…}}` name a task of the same DAG or a step of the "
    "same steps template (argo lint: `invalid dependency`, `failed to resolve`). When the name is another task's display name "
    "(`taskInfo.name`) the message gives the task key; otherwise it suggests a close name.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails the run with \"cannot find producer task\" (kubeflow/pipelines#11173, "
    "#10371): producers and dependencies are looked up by task key among the siblings, never by "
    "display name and never across DAG boundaries.\n\n"
    "## Example\n"
    "```yaml\n"
    "tasks:\n"
    "  train:\n"
    "    taskInfo: {name: train-model}\n"
    "  evaluate:\n"
    "    dependentTasks: [train-model]     # the key is 'train'\n"
    "```\n\n"
    "## Fix safety\n"
    "Replacing a display name with its task key is safe: it is the task the author named. "
    "Replacing a misspelt name with the one close sibling name is unsafe: it is a guess.\n";

/* taskInfo.name → task (the first) of one DAG, built in scratch memory the first time a
 * reference does not resolve: only broken pipelines pay for it. */
struct by_display {
    struct kfp_strmap map;
    bool built;
};

static const struct kfp_task *find_display(struct kfp_ctx *ctx, const struct kfp_dag *d,
                                           struct by_display *bd, const char *name)
{
    if (!bd->built) {
        bd->built = true;
        if (kfp_strmap_init(ctx->scratch, &bd->map, d->n_tasks)) {
            ctx->oom = 1;
            return NULL;
        }
        for (size_t i = 0; i < d->n_tasks; i++)
            if (d->tasks[i].display.name &&
                kfp_strmap_put(ctx->scratch, &bd->map, d->tasks[i].display.name, (void *)&d->tasks[i], NULL))
                ctx->oom = 1;
    }
    return kfp_strmap_get(&bd->map, name);
}

/* r names a sibling task: `resolved` is the task the model found for it, if it looked. */
static void check_ref(struct kfp_ctx *ctx, const struct kfp_dag *d, struct by_display *bd,
                      struct kfp_ref r, const struct kfp_task *resolved, const struct kfp_node *owner,
                      const char *field)
{
    if (!r.name) {
        if (owner)
            kfp_report_at(ctx, owner, "%s is missing: name the producing task of this DAG", field);
        return;
    }
    if (resolved || kfp_strmap_get(&d->by_key, r.name))
        return;
    if (r.node->len == 0) {
        kfp_report_at(ctx, r.node, "%s is empty: name the producing task of this DAG", field);
        return;
    }
    const struct kfp_task *byd = find_display(ctx, d, bd, r.name);
    if (byd && byd->key.name) {
        struct kfp_finding *f = kfp_report_at(
            ctx, r.node,
            "'%s' is the display name (taskInfo.name) of task '%s': %s must name the task key '%s'",
            r.name, byd->key.name, field, byd->key.name);
        kfp_related(ctx, f, byd->key.node, "task '%s' is defined here", byd->key.name);
        kfp_fix_rename(ctx, f, r.node, byd->key.name, 1,
                       "use the task key instead of the display name");
        return;
    }
    const char *hint = kfp_suggest_in_ctx(ctx, r.name, &d->by_key);
    if (hint) {
        struct kfp_finding *f = kfp_report_at(ctx, r.node, "unknown task '%s' in %s: did you mean '%s'?",
                                              r.name, field, hint);
        kfp_fix_rename(ctx, f, r.node, hint, 0, "replace with the closest task name");
    } else {
        kfp_report_at(ctx, r.node, "unknown task '%s' in %s: no task of this DAG has that key", r.name,
                      field);
    }
}

static const char *producer_field(const struct kfp_source_ref *s, int v1)
{
    if (v1)
        return "taskOutput.taskId";
    return s->kind == KFP_SRC_FINAL_STATUS ? "taskFinalStatus.producerTask" : "producerTask";
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    int v1 = m->kind == KFP_DOC_COMPONENT_V1;
    const char *argo = m->kind == KFP_DOC_ARGO ? "a {{tasks.…}} / {{steps.…}} reference" : NULL;
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        struct by_display bd = {{NULL, 0, 0}, false};
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            for (size_t i = 0; i < t->n_deps; i++)
                check_ref(ctx, d, &bd, t->deps[i], t->dep_tasks[i], NULL,
                          argo ? "dependencies/depends" : "dependentTasks");
            for (size_t i = 0; i < t->n_inputs; i++) {
                const struct kfp_source_ref *s = &t->inputs[i].src;
                if (s->kind == KFP_SRC_TASK_OUTPUT || s->kind == KFP_SRC_FINAL_STATUS)
                    check_ref(ctx, d, &bd, s->producer, s->producer_task, s->node,
                              argo ? argo : producer_field(s, v1));
            }
            for (size_t i = 0; i < t->n_platform_srcs; i++) {
                const struct kfp_source_ref *s = &t->platform_srcs[i];
                if (s->kind == KFP_SRC_TASK_OUTPUT || (argo && s->kind == KFP_SRC_FINAL_STATUS))
                    check_ref(ctx, d, &bd, s->producer, s->producer_task, s->node,
                              argo ? argo : "producerTask");
            }
        }
        for (size_t oi = 0; oi < d->n_outputs; oi++)
            for (size_t i = 0; i < d->outputs[oi].n_sels; i++) {
                const struct kfp_source_ref *s = &d->outputs[oi].sels[i];
                check_ref(ctx, d, &bd, s->producer, s->producer_task, s->node,
                          argo ? argo : v1 ? "taskOutput.taskId" : "producerSubtask");
            }
    }
}

const struct kfp_rule kfp_rule_unknown_task = {
    .id = "unknown-task",
    .summary = "a task reference names no sibling task",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
