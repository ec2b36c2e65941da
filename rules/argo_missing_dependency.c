/* argo_missing_dependency.c — argo-missing-dependency: a DAG task reads another task's result
 * without depending on it; a step reads a step that has not run yet. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "For every `{{tasks.X.…}}` a DAG task uses — in an argument, `when`, `withParam` or "
    "anywhere else in the task — checks that X is an ancestor of the task through "
    "`dependencies` / `depends`. For every `{{steps.X.…}}` a step uses, checks that X is in an "
    "earlier parallel group (a step of the same group runs at the same time).\n\n"
    "## Why is this bad?\n"
    "Argo starts a task as soon as its dependencies finish; a task it merely reads may not have "
    "run yet, so the value is missing or the variable stays unresolved — a race that passes "
    "review and fails some runs. `argo lint` catches only an argument value that *starts* with "
    "`{{tasks.` (`missing dependency '…' for parameter '…'`) and never the steps case.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: report\n"
    "  template: report\n"
    "  arguments:\n"
    "    parameters: [{name: m, value: \"{{tasks.train.outputs.parameters.model}}\"}]\n"
    "  # no dependencies: [train]\n"
    "```\n"
    "KFP v1: a compiled pipeline edited by hand after a dependency was removed.\n\n"
    "## Fix safety\n"
    "No fix: adding the dependency changes the graph, which is the author's decision.\n";

/* Whether `anc` is reachable from t through dependencies. Direct dependencies are checked
 * first; a deeper search is bounded (stamp-marked, at most `budget` tasks), and an exhausted
 * budget counts as reachable: precise or silent. */
static bool reaches(const struct kfp_task *t, const struct kfp_task *anc, uint32_t *mark, uint32_t stamp,
                    const struct kfp_task **stack, size_t cap)
{
    for (size_t i = 0; i < t->n_deps; i++)
        if (t->dep_tasks[i] == anc)
            return true;
    size_t sp = 0, budget = 4096;
    stack[sp++] = t;
    mark[t->index] = stamp;
    while (sp) {
        const struct kfp_task *x = stack[--sp];
        if (x == anc)
            return true;
        if (!budget--)
            return true;
        for (size_t i = 0; i < x->n_deps; i++) {
            const struct kfp_task *d = x->dep_tasks[i];
            if (d && mark[d->index] != stamp && sp < cap) {
                mark[d->index] = stamp;
                stack[sp++] = d;
            }
        }
    }
    return false;
}

static void check_src(struct kfp_ctx *ctx, const struct kfp_argo_task *at, const struct kfp_source_ref *s,
                      uint32_t *mark, uint32_t *stamp, const struct kfp_task **stack, size_t cap)
{
    if ((s->kind != KFP_SRC_TASK_OUTPUT && s->kind != KFP_SRC_FINAL_STATUS) || !s->producer_task)
        return;
    const struct kfp_task *t = at->task, *p = s->producer_task;
    if (p == t)
        return; /* dag-cycle reports a task that reads itself */
    const struct kfp_argo_template *tp = at->owner;
    if (at->is_step) {
        const struct kfp_argo_task *pa = &tp->tasks[p->index];
        if (pa->group < at->group)
            return;
        struct kfp_finding *f = kfp_report_at(
            ctx, s->producer.node,
            "step '%s' reads step '%s', which %s: its value does not exist yet; move '%s' to a "
            "later group (a new `- -` list)",
            t->key.name, p->key.name, pa->group == at->group ? "runs in the same parallel group" : "runs later",
            t->key.name);
        kfp_related(ctx, f, p->key.node, "step '%s' is here", p->key.name);
        return;
    }
    ++*stamp;
    if (reaches(t, p, mark, *stamp, stack, cap))
        return;
    struct kfp_finding *f = kfp_report_at(
        ctx, s->producer.node,
        "task '%s' reads task '%s' but does not depend on it: Argo may run it before '%s' has "
        "finished; add '%s' to its dependencies (or depends)",
        t->key.name, p->key.name, p->key.name, p->key.name);
    kfp_related(ctx, f, p->key.node, "task '%s' is here", p->key.name);
}

/* The walk releases mark and stack after each template. */
static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const struct kfp_dag *dag = tp->comp->dag;
    if (!dag || !dag->n_tasks)
        return;
    uint32_t *mark = kfp_arena_calloc(ctx->scratch, dag->n_tasks, sizeof(*mark));
    const struct kfp_task **stack = kfp_arena_alloc(ctx->scratch, dag->n_tasks * sizeof(*stack));
    if (!mark || !stack) {
        ctx->oom = 1;
        return;
    }
    uint32_t stamp = 0;
    for (size_t j = 0; j < tp->n_tasks; j++) {
        const struct kfp_argo_task *at = &tp->tasks[j];
        const struct kfp_task *t = at->task;
        for (size_t k = 0; k < t->n_inputs; k++)
            check_src(ctx, at, &t->inputs[k].src, mark, &stamp, stack, dag->n_tasks);
        for (size_t k = 0; k < t->n_platform_srcs; k++)
            check_src(ctx, at, &t->platform_srcs[k], mark, &stamp, stack, dag->n_tasks);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, NULL, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_missing_dependency = {
    .id = "argo-missing-dependency",
    .summary = "an Argo task reads a task it does not depend on (or a step that has not run)",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo,graph",
    .doc = doc,
    .check = check,
};
