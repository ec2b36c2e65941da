/* unsupported_feature.c — unsupported-feature: features the open-source KFP backend lacks. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports features that the open-source KFP backend does not implement: `resolver` "
    "executors, `artifactIterator` tasks and `customJob` executors (Vertex AI only).\n\n"
    "## Why is this bad?\n"
    "The pipeline uploads, then the KFP backend compiler or driver stops with \"not implemented\" "
    "(`argocompiler/dag.go`, `driver/resolve.go`) when it reaches the task. On Vertex AI "
    "Pipelines these work; ignore the rule there.\n\n"
    "## Example\n"
    "```yaml\n"
    "executors:\n"
    "  exec-latest-model:\n"
    "    resolver: {outputArtifactQueries: {model: {filter: 'artifact_type=\"system.Model\"'}}}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    for (size_t i = 0; i < m->n_executors; i++) {
        const struct kfp_executor *e = m->executors[i];
        if (e->kind == KFP_EXEC_RESOLVER)
            kfp_report_at(ctx, e->kind_key,
                          "executor '%s' is a resolver: the open-source KFP backend does not "
                          "implement resolver executors (Vertex AI only)", e->label.name);
        else if (e->kind == KFP_EXEC_CUSTOM_JOB)
            kfp_report_at(ctx, e->kind_key,
                          "executor '%s' is a customJob: it runs on Vertex AI only; the "
                          "open-source KFP backend cannot run it", e->label.name);
    }
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_task *t = &m->dags[di]->tasks[ti];
            if (t->artifact_iterator)
                kfp_report_at(ctx, t->artifact_iterator,
                              "task '%s' uses artifactIterator, which the open-source KFP backend "
                              "does not implement: iterate over a parameter instead", t->key.name);
        }
}

const struct kfp_rule kfp_rule_unsupported_feature = {
    .id = "unsupported-feature",
    .summary = "a feature the open-source KFP backend does not implement",
    .severity = KFP_SEV_WARNING,
    .tags = "compatibility",
    .doc = doc,
    .check = check,
};
