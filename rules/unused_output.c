/* unused_output.c — unused-output: a component output that nothing consumes. */
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an output declared by a component of a pipeline that no task input, DAG output or "
    "iterator consumes anywhere in the pipeline. Off by default: turn it on with "
    "`rules: {unused-output: note}` in `.kfplint.yaml` or `--select unused-output`.\n\n"
    "Outputs that no task could consume are never reported: the pipeline's own (root) outputs, "
    "stand-alone components, components that no task runs (`unused-component` reports those), "
    "outputs read by the platform rather than by tasks (`gcp_resources` of Google Cloud "
    "components, v1 `mlpipeline-ui-metadata` / `mlpipeline-metrics`), and metrics and "
    "visualisation artifacts the KFP UI renders (`system.Metrics`, `system.ClassificationMetrics`, "
    "`system.SlicedClassificationMetrics`, `system.HTML`, `system.Markdown`, `google.*Metrics`).\n\n"
    "## Why is this bad?\n"
    "Often harmless (real pipelines have many, mostly terminal outputs of prebuilt components), "
    "which is why this is an opt-in note: but an output nobody reads can be a wiring mistake, "
    "such as a consumer reading a similarly named output of another task.\n\n"
    "## Example\n"
    "```yaml\n"
    "outputDefinitions:\n"
    "  parameters:\n"
    "    accuracy: {parameterType: NUMBER_DOUBLE}    # never consumed\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

/* True for an output the platform or the UI reads, not a task: no consumer is missing. */
static bool platform_output(const struct kfp_iodef *d)
{
    static const char *const names[] = {"gcp_resources", "mlpipeline-ui-metadata",
                                        "mlpipeline_ui_metadata", "mlpipeline-metrics",
                                        "mlpipeline_metrics"};
    for (size_t i = 0; d->name.name && i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(d->name.name, names[i]))
            return true;
    const char *t = d->artifact ? d->schema_title : NULL;
    if (!t)
        return false;
    static const char *const rendered[] = {"system.Metrics", "system.ClassificationMetrics",
                                           "system.SlicedClassificationMetrics", "system.HTML",
                                           "system.Markdown"};
    for (size_t i = 0; i < sizeof(rendered) / sizeof(rendered[0]); i++)
        if (!strcmp(t, rendered[i]))
            return true;
    size_t n = strlen(t);
    return !strncmp(t, "google.", 7) && n > 7 + 7 && !strcmp(t + n - 7, "Metrics");
}

/* Marks the producer's output that s consumes: used[component index][output index]. */
static void mark(unsigned char **used, size_t n_components, const struct kfp_dag *d,
                 const struct kfp_source_ref *s)
{
    if (s->kind != KFP_SRC_TASK_OUTPUT || !s->producer.name || !s->output.name)
        return;
    const struct kfp_task *p = s->producer_task;
    if (!p || !p->component || p->component->index >= n_components)
        return;
    const struct kfp_iodef *def = s->output_def;
    (void)d;
    if (def)
        used[p->component->index][def - p->component->outputs.items] = 1;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec || m->kind == KFP_DOC_COMPONENT_IR)
        return;
    size_t nc = m->n_components;
    unsigned char **used = kfp_arena_alloc(ctx->scratch, (nc ? nc : 1) * sizeof(*used));
    if (!used) {
        ctx->oom = 1;
        return;
    }
    for (size_t ci = 0; ci < nc; ci++) {
        used[ci] = kfp_arena_calloc(ctx->scratch, m->components[ci]->outputs.n + 1, 1);
        if (!used[ci]) {
            ctx->oom = 1;
            return;
        }
    }
    /* used[ci][outputs.n]: some task runs the component (else no output of it can be read) */
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            if (t->component && t->component->index < nc)
                used[t->component->index][t->component->outputs.n] = 1;
            for (size_t i = 0; i < t->n_inputs; i++)
                mark(used, nc, d, &t->inputs[i].src);
            for (size_t i = 0; i < t->n_platform_srcs; i++)
                mark(used, nc, d, &t->platform_srcs[i]);
        }
        for (size_t oi = 0; oi < d->n_outputs; oi++)
            for (size_t i = 0; i < d->outputs[oi].n_sels; i++)
                mark(used, nc, d, &d->outputs[oi].sels[i]);
    }
    for (size_t ci = 0; ci < nc; ci++) {
        const struct kfp_component *c = m->components[ci];
        if (!used[ci][c->outputs.n])
            continue;
        for (size_t i = 0; i < c->outputs.n; i++)
            if (!used[ci][i] && !platform_output(&c->outputs.items[i]))
                kfp_report_at(ctx, c->outputs.items[i].name.node,
                              "output '%s' of component '%s' is never consumed by any task or DAG output",
                              c->outputs.items[i].name.name, c->key.name ? c->key.name : "");
    }
}

const struct kfp_rule kfp_rule_unused_output = {
    .id = "unused-output",
    .summary = "a component output that no task or DAG output consumes",
    .severity = KFP_SEV_NOTE,
    .off_by_default = true,
    .tags = "maintainability,graph",
    .doc = doc,
    .check = check,
};
