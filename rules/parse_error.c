/* parse_error.c — parse-error: the file is not valid YAML or JSON. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports a YAML or JSON syntax error, at the line and column where the parser stopped, "
    "and a file over the `--max-file-size` limit, which is not parsed at all.\n\n"
    "## Why is this bad?\n"
    "A file that does not parse cannot be uploaded or compiled; every other check is skipped "
    "for it.\n\n"
    "## Example\n"
    "```yaml\n"
    "pipelineInfo:\n"
    "  name: demo\n"
    " root: {}      # bad indentation\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: kfplint never edits a file that does not parse.\n";

static void check(struct kfp_ctx *ctx)
{
    if (ctx->load_status == KFP_LOAD_SYNTAX || ctx->load_status == KFP_LOAD_TOO_BIG)
        kfp_report(ctx, ctx->load_err->span, "%s", ctx->load_err->msg);
}

const struct kfp_rule kfp_rule_parse_error = {
    .id = "parse-error",
    .summary = "the file is not valid YAML or JSON",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,syntax",
    .doc = doc,
    .check = check,
};
