/* unsupported_feature.c — unsupported-feature: features the open-source KFP backend lacks. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports features that the open-source KFP backend does not implement: `artifactIterator` "
    "tasks (an **error**, at the `artifactIterator` key: neither the backend compiler nor the "
    "driver implements them), and `resolver` and `customJob` executors (a **warning**: they are "
    "Vertex AI features).\n\n"
    "## Why is this bad?\n"
    "The pipeline uploads, then the KFP backend compiler or driver stops with \"not implemented\" "
    "(`backend/src/v2/compiler/argocompiler/dag.go`: \"artifact iterator not implemented yet\", "
    "`backend/src/v2/driver/resolve.go`) when it reaches the task. On Vertex AI Pipelines "
    "resolver and customJob executors work; ignore those warnings there.\n\n"
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
            kfp_report_sev(ctx, KFP_SEV_WARNING, e->kind_key,
                          "executor '%s' is a resolver: the open-source KFP backend does not "
                          "implement resolver executors (Vertex AI only)", e->label.name);
        else if (e->kind == KFP_EXEC_CUSTOM_JOB)
            kfp_report_sev(ctx, KFP_SEV_WARNING, e->kind_key,
                          "executor '%s' is a customJob: it runs on Vertex AI only; the "
                          "open-source KFP backend cannot run it", e->label.name);
    }
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_task *t = &m->dags[di]->tasks[ti];
            const struct kfp_node *key = NULL;
            if (t->artifact_iterator && kfp_map_get(t->node, "artifactIterator", &key))
                kfp_report_at(ctx, key,
                              "task '%s' uses artifactIterator, which the open-source KFP backend "
                              "does not implement (\"artifact iterator not implemented yet\"): "
                              "iterate over a parameter instead", t->key.name);
        }
}

const struct kfp_rule kfp_rule_unsupported_feature = {
    .id = "unsupported-feature",
    .summary = "a feature the open-source KFP backend does not implement",
    .severity = KFP_SEV_ERROR,
    .tags = "compatibility",
    .doc = doc,
    .check = check,
};
