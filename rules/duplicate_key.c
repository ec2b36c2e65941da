/* duplicate_key.c — duplicate-key: a mapping key given twice. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports a mapping key that appears twice in the same YAML mapping or JSON object.\n\n"
    "## Why is this bad?\n"
    "YAML and JSON loaders keep only one of the values, silently: two tasks with the same key "
    "means one of them never runs, two `image` keys means one image is ignored.\n\n"
    "## Example\n"
    "```yaml\n"
    "tasks:\n"
    "  train: {componentRef: {name: comp-train}}\n"
    "  train: {componentRef: {name: comp-train-v2}}   # replaces the first\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: which of the two values is wanted is a decision for the author.\n";

static void check(struct kfp_ctx *ctx)
{
    if (ctx->load_status != KFP_LOAD_OK)
        return;
    if (ctx->m && ctx->m->doc != ctx->doc)
        return; /* a further pipeline of the file: the file's keys were checked once */
    for (size_t i = 0; i < ctx->doc->n_dups; i++) {
        const struct kfp_dup_key *d = &ctx->doc->dups[i];
        size_t line, col;
        kfp_source_pos(&ctx->doc->src, d->first->span.start, &line, &col);
        struct kfp_finding *f = kfp_report_at(
            ctx, d->second, "duplicate key '%s' (first defined at line %zu): only one value is kept",
            d->second->u.str, line);
        kfp_related(ctx, f, d->first, "first definition of '%s'", d->first->u.str);
    }
}

const struct kfp_rule kfp_rule_duplicate_key = {
    .id = "duplicate-key",
    .summary = "a mapping key is given twice; one value is silently lost",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,syntax",
    .doc = doc,
    .check = check,
};
