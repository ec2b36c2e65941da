/* unknown_output.c — unknown-output: an output key the producer's component does not declare. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Checks that `outputParameterKey` / `outputArtifactKey` in task inputs, platform sources and "
    "DAG output selectors name an output that the producing task's component declares, of the "
    "right kind, and are not missing or empty.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails at run time: \"cannot find output parameter key\" (kubeflow/pipelines"
    "#10039) or an empty `outputParameterKey` error.\n\n"
    "## Example\n"
    "```yaml\n"
    "inputs:\n"
    "  parameters:\n"
    "    model_path:\n"
    "      taskOutputParameter: {producerTask: train, outputParameterKey: modle_path}\n"
    "```\n\n"
    "## Fix safety\n"
    "Replacing a misspelt key with the one close output name is unsafe: it is a guess.\n";

static void check_src(struct kfp_ctx *ctx, const struct kfp_dag *d, const struct kfp_source_ref *s,
                      int artifact)
{
    if (s->kind != KFP_SRC_TASK_OUTPUT || !s->producer.name)
        return;
    const struct kfp_task *p = s->producer_task;
    (void)d;
    if (!p || !p->component)
        return; /* unknown-task / unknown-component report these */
    const struct kfp_component *c = p->component;
    const char *field = artifact ? "outputArtifactKey" : "outputParameterKey";
    const char *unit = ctx->m->kind == KFP_DOC_ARGO ? "template" : "component";
    if (!s->output.name || s->output.node->len == 0) {
        kfp_report_at(ctx, s->output.node ? s->output.node : s->node,
                      "%s is %s: name an output of task '%s' (component '%s'); the KFP driver "
                      "fails on an empty output key",
                      field, s->output.name ? "empty" : "missing", p->key.name, c->key.name);
        return;
    }
    if (s->output_def && s->output_def->artifact == artifact)
        return;
    const struct kfp_iodef *other = s->output_def; /* the model's fallback: the other kind */
    if (other) {
        kfp_report_at(ctx, s->output.node,
                      "'%s' is an %s output of task '%s', not an %s: use %s", s->output.name,
                      artifact ? "parameter" : "artifact", p->key.name,
                      artifact ? "artifact" : "parameter",
                      artifact ? "taskOutputParameter/outputParameterKey"
                               : "taskOutputArtifact/outputArtifactKey");
        return;
    }
    struct kfp_suggest sg;
    kfp_suggest_init(&sg, s->output.name);
    kfp_suggest_limit(&sg, ctx);
    kfp_suggest_iodefs(&sg, &c->outputs, artifact);
    const char *hint = kfp_suggest_result(&sg);
    if (hint) {
        struct kfp_finding *f = kfp_report_at(
            ctx, s->output.node, "task '%s' (%s '%s') has no %s output '%s': did you mean '%s'?",
            p->key.name, unit, c->key.name, artifact ? "artifact" : "parameter", s->output.name, hint);
        kfp_fix_rename(ctx, f, s->output.node, hint, 0, "replace with the closest output name");
    } else {
        kfp_report_at(ctx, s->output.node,
                      "task '%s' (%s '%s') has no %s output '%s'%s", p->key.name, unit, c->key.name,
                      artifact ? "artifact" : "parameter", s->output.name,
                      c->outputs.n ? "" : ctx->m->kind == KFP_DOC_ARGO ? ": its template declares no outputs"
                                                                       : ": its component declares no outputs");
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || m->kind == KFP_DOC_COMPONENT_V1)
        return; /* v1 graph tasks reference external components */
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            for (size_t i = 0; i < t->n_inputs; i++)
                check_src(ctx, d, &t->inputs[i].src, t->inputs[i].artifact);
            for (size_t i = 0; i < t->n_platform_srcs; i++)
                check_src(ctx, d, &t->platform_srcs[i], 0);
        }
        for (size_t oi = 0; oi < d->n_outputs; oi++)
            for (size_t i = 0; i < d->outputs[oi].n_sels; i++)
                check_src(ctx, d, &d->outputs[oi].sels[i], d->outputs[oi].artifact);
    }
}

const struct kfp_rule kfp_rule_unknown_output = {
    .id = "unknown-output",
    .summary = "an output key the producing component does not declare",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
