/* unknown_executor.c — unknown-executor: executorLabel not in deploymentSpec.executors. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Checks that every component's `executorLabel` is a key of `deploymentSpec.executors`, and "
    "that a component has either a `dag` or an `executorLabel`.\n\n"
    "## Why is this bad?\n"
    "The KFP backend compiler fails with \"executor not found\": the component has nothing to "
    "run.\n\n"
    "## Example\n"
    "```yaml\n"
    "comp-train:\n"
    "  executorLabel: exec-trian     # deploymentSpec.executors has exec-train\n"
    "```\n\n"
    "## Fix safety\n"
    "Replacing the label with the one close executor label is unsafe: it is a guess.\n";

static void check_component(struct kfp_ctx *ctx, const struct kfp_component *c)
{
    const struct kfp_model *m = ctx->m;
    if (c->dag)
        return;
    if (!c->executor_label.name) {
        kfp_report_at(ctx, c->key.node ? c->key.node : c->node,
                      "component '%s' has neither a dag nor an executorLabel", c->key.name);
        return;
    }
    if (c->executor)
        return;
    const char *hint = kfp_suggest_in_ctx(ctx, c->executor_label.name, &m->executors_by_label);
    if (hint) {
        struct kfp_finding *f = kfp_report_at(
            ctx, c->executor_label.node,
            "unknown executor '%s' in component '%s': did you mean '%s'?", c->executor_label.name,
            c->key.name, hint);
        kfp_fix_rename(ctx, f, c->executor_label.node, hint, 0,
                       "replace with the closest executor label");
    } else {
        kfp_report_at(ctx, c->executor_label.node,
                      "unknown executor '%s' in component '%s': it is not a key of deploymentSpec.executors",
                      c->executor_label.name, c->key.name);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec)
        return;
    for (size_t i = 0; i < m->n_components; i++)
        check_component(ctx, m->components[i]);
}

const struct kfp_rule kfp_rule_unknown_executor = {
    .id = "unknown-executor",
    .summary = "executorLabel names no entry of deploymentSpec.executors",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
