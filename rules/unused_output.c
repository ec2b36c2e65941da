/* unused_output.c — unused-output: a component output that nothing consumes. */
#include "kfplint/rule.h"


static const char doc[] =
    "## What it does\n"
    "Reports an output declared by a component of a pipeline that no task input, DAG output or "
    "iterator consumes anywhere in the pipeline. The pipeline's own (root) outputs are exempt, "
    "and so are stand-alone components.\n\n"
    "## Why is this bad?\n"
    "Often harmless (real pipelines have many), which is why this is a note: but an output "
    "nobody reads can be a wiring mistake, such as a consumer reading a similarly named output "
    "of another task.\n\n"
    "## Example\n"
    "```yaml\n"
    "outputDefinitions:\n"
    "  parameters:\n"
    "    accuracy: {parameterType: NUMBER_DOUBLE}    # never consumed\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

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
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
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
        for (size_t i = 0; i < c->outputs.n; i++)
            if (!used[ci][i])
                kfp_report_at(ctx, c->outputs.items[i].name.node,
                              "output '%s' of component '%s' is never consumed by any task or DAG output",
                              c->outputs.items[i].name.name, c->key.name ? c->key.name : "");
    }
}

const struct kfp_rule kfp_rule_unused_output = {
    .id = "unused-output",
    .summary = "a component output that no task or DAG output consumes",
    .severity = KFP_SEV_NOTE,
    .tags = "maintainability,graph",
    .doc = doc,
    .check = check,
};
