/* unused_output.c — unused-output: a component output that nothing consumes. */
#include "kfplint/rule.h"

#include <stdio.h>

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

static int mark(struct kfp_ctx *ctx, struct kfp_strmap *used, const struct kfp_dag *d,
                const struct kfp_source_ref *s)
{
    if (s->kind != KFP_SRC_TASK_OUTPUT || !s->producer.name || !s->output.name)
        return KFP_OK;
    const struct kfp_task *p = kfp_strmap_get(&d->by_key, s->producer.name);
    if (!p || !p->component || !p->component->key.name)
        return KFP_OK;
    char *key = kfp_arena_printf(ctx->a, "%s\x1f%s", p->component->key.name, s->output.name);
    return key ? kfp_strmap_put(ctx->a, used, key, key, NULL) : KFP_ERR;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec || m->kind == KFP_DOC_COMPONENT_IR)
        return;
    struct kfp_strmap used = {0};
    int rc = KFP_OK;
    for (size_t di = 0; di < m->n_dags && rc == KFP_OK; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks && rc == KFP_OK; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            for (size_t i = 0; i < t->n_inputs && rc == KFP_OK; i++)
                rc = mark(ctx, &used, d, &t->inputs[i].src);
            for (size_t i = 0; i < t->n_platform_srcs && rc == KFP_OK; i++)
                rc = mark(ctx, &used, d, &t->platform_srcs[i]);
        }
        for (size_t oi = 0; oi < d->n_outputs && rc == KFP_OK; oi++)
            for (size_t i = 0; i < d->outputs[oi].n_sels && rc == KFP_OK; i++)
                rc = mark(ctx, &used, d, &d->outputs[oi].sels[i]);
    }
    if (rc != KFP_OK) {
        ctx->oom = 1;
        return;
    }
    char key[1024];
    for (size_t ci = 0; ci < m->n_components; ci++) {
        const struct kfp_component *c = m->components[ci];
        for (size_t i = 0; i < c->outputs.n; i++) {
            const struct kfp_iodef *o = &c->outputs.items[i];
            snprintf(key, sizeof(key), "%s\x1f%s", c->key.name ? c->key.name : "", o->name.name);
            if (!kfp_strmap_get(&used, key))
                kfp_report_at(ctx, o->name.node,
                              "output '%s' of component '%s' is never consumed by any task or DAG output",
                              o->name.name, c->key.name ? c->key.name : "");
        }
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
