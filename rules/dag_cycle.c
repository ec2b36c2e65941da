/* dag_cycle.c — dag-cycle: tasks of one DAG (or components through their DAGs) form a cycle. */
#include "kfplint/graph.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a cycle among the tasks of one DAG (the root or any sub-DAG), through "
    "`dependentTasks` and data edges (`taskOutputParameter`, `taskOutputArtifact`, "
    "`taskFinalStatus`, platform `*NameParameter` sources fed by a task output, v1 graph "
    "`taskOutput`), and a component whose DAG reaches itself through `componentRef`. The "
    "message lists the whole cycle, starting from its first task in file order; related "
    "locations point at each edge (a cycle longer than 12 is shortened to its first 12 edges and "
    "a count of the rest). Read `a -> b` as \"a depends on b\".\n\n"
    "On Argo, a step's or DAG task's own `hooks` (exit and expression hooks) and `onExit` run "
    "after it, so their arguments may read its own outputs and status "
    "(`{{steps.s.outputs.parameters.p}}` inside step `s`'s `hooks.exit.arguments`, as Argo's "
    "validate.go allows): such a self-reference is no edge.\n\n"
    "## Why is this bad?\n"
    "No order can run the tasks: KFP's SDK compiler, backend compiler and local runner do not "
    "check for cycles (kubeflow/pipelines#9864), so the pipeline uploads and then fails or "
    "hangs at run time.\n\n"
    "## Example\n"
    "```yaml\n"
    "tasks:\n"
    "  a: {dependentTasks: [b]}\n"
    "  b: {dependentTasks: [a]}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: which edge to drop is a design decision.\n";

struct cyc {
    struct kfp_ctx *ctx;
    const char *const *names; /* node names */
    const char *what;         /* "tasks" / "components" */
};

static void on_cycle(void *user, const struct kfp_graph *g, const uint32_t *from,
                     const uint32_t *cycle, size_t len)
{
    struct cyc *c = user;
    char msg[900];
    size_t o = 0;
    size_t shown = len > 12 ? 12 : len;
    for (size_t i = 0; i < shown && o < sizeof(msg); i++)
        o += (size_t)snprintf(msg + o, sizeof(msg) - o, "%s -> ", c->names[from[cycle[i]]]);
    if (len > shown && o < sizeof(msg))
        o += (size_t)snprintf(msg + o, sizeof(msg) - o, "… (%zu more) -> ", len - shown);
    if (o < sizeof(msg))
        snprintf(msg + o, sizeof(msg) - o, "%s", c->names[from[cycle[0]]]);
    const struct kfp_node *first = g->tag[cycle[0]];
    struct kfp_finding *f = kfp_report_at(
        c->ctx, first, "%s form a cycle: %s (each depends on the next): no order can run them",
        c->what, msg);
    /* related locations: the edges named in the message, so a finding's size is bounded */
    for (size_t i = 0; i < shown && f; i++)
        kfp_related(c->ctx, f, g->tag[cycle[i]], "'%s' depends on '%s' here",
                    c->names[from[cycle[i]]], c->names[g->adj[cycle[i]]]);
    if (len > shown && f) /* one more location, for the edges left out */
        kfp_related(c->ctx, f, g->tag[cycle[shown]], "'%s' depends on '%s' here (%zu more edge%s follow)",
                    c->names[from[cycle[shown]]], c->names[g->adj[cycle[shown]]], len - shown - 1,
                    len - shown - 1 == 1 ? "" : "s");
}

static int dag_cycles(struct kfp_ctx *ctx, const struct kfp_dag *d)
{
    size_t cap = 0;
    for (size_t i = 0; i < d->n_tasks; i++)
        cap += d->tasks[i].n_deps + d->tasks[i].n_inputs + d->tasks[i].n_platform_srcs;
    if (d->n_tasks > KFP_GRAPH_MAX || cap > KFP_GRAPH_MAX)
        return KFP_OK;
    struct kfp_graph g;
    const char **names = kfp_arena_alloc(ctx->scratch, (d->n_tasks ? d->n_tasks : 1) * sizeof(*names));
    if (!names || kfp_graph_init(ctx->scratch, &g, d->n_tasks, cap))
        return KFP_ERR;
    for (size_t i = 0; i < d->n_tasks; i++) {
        const struct kfp_task *t = &d->tasks[i];
        names[i] = t->key.name ? t->key.name : "";
        kfp_graph_begin(&g);
        for (size_t j = 0; j < t->n_deps; j++)
            if (t->dep_tasks[j])
                kfp_graph_edge(&g, t->dep_tasks[j]->index, t->deps[j].node);
        for (size_t j = 0; j < t->n_inputs; j++) {
            const struct kfp_source_ref *s = &t->inputs[j].src;
            if (s->producer_task)
                kfp_graph_edge(&g, s->producer_task->index, s->producer.node);
        }
        for (size_t j = 0; j < t->n_platform_srcs; j++)
            if (t->platform_srcs[j].producer_task)
                kfp_graph_edge(&g, t->platform_srcs[j].producer_task->index, t->platform_srcs[j].producer.node);
    }
    struct cyc c = {ctx, names, "tasks"};
    return kfp_graph_cycles(ctx->scratch, &g, on_cycle, &c);
}

/* Components whose DAG tasks reference components: a cycle is endless recursion. */
static int component_cycles(struct kfp_ctx *ctx, const struct kfp_model *m)
{
    size_t n = m->n_components, cap = 0;
    for (size_t i = 0; i < n; i++)
        cap += m->components[i]->dag ? m->components[i]->dag->n_tasks : 0;
    if (n > KFP_GRAPH_MAX || cap > KFP_GRAPH_MAX)
        return KFP_OK;
    struct kfp_graph g;
    const char **names = kfp_arena_alloc(ctx->scratch, (n ? n : 1) * sizeof(*names));
    if (!names || kfp_graph_init(ctx->scratch, &g, n, cap))
        return KFP_ERR;
    for (size_t i = 0; i < n; i++) {
        const struct kfp_component *c = m->components[i];
        names[i] = c->key.name ? c->key.name : "";
        kfp_graph_begin(&g);
        for (size_t t = 0; c->dag && t < c->dag->n_tasks; t++) {
            const struct kfp_task *task = &c->dag->tasks[t];
            if (task->component && task->component->index < n)
                kfp_graph_edge(&g, task->component->index, task->component_ref.node);
        }
    }
    struct cyc c = {ctx, names, "components"};
    return kfp_graph_cycles(ctx->scratch, &g, on_cycle, &c);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    for (size_t i = 0; i < m->n_dags; i++)
        if (dag_cycles(ctx, m->dags[i])) {
            ctx->oom = 1;
            return;
        }
    if (m->spec && component_cycles(ctx, m))
        ctx->oom = 1;
}

const struct kfp_rule kfp_rule_dag_cycle = {
    .id = "dag-cycle",
    .summary = "tasks (or components) depend on each other in a cycle",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
