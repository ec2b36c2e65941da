/* unused_suppression.c — unused-suppression: a `# kfplint: disable=…` comment that suppresses
 * nothing (or, with --require-suppression-reason, gives no reason). The engine's suppression
 * pass reports it; this file is its registry entry and documentation. */
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports an inline suppression that suppresses nothing: `# kfplint: disable=RULE` on a line "
    "(or the line above) with no finding of RULE there, `# kfplint: disable-file=RULE` in a file "
    "without RULE findings, or an unknown rule id in one. With `--require-suppression-reason`, "
    "a suppression without `-- reason` does not count and is reported too.\n\n"
    "Syntax: `# kfplint: disable=unknown-task,env-unset -- reason` at the end of the line of the "
    "finding or alone on the line above it; `# kfplint: disable-file=RULE -- reason` anywhere "
    "for the whole file. `--no-inline-suppressions` ignores them all (strict CI).\n\n"
    "## Why is this bad?\n"
    "A stale suppression hides the next real finding on that line, and nobody notices that the "
    "problem it was written for is gone.\n\n"
    "## Example\n"
    "```yaml\n"
    "image: python:3.11   # kfplint: disable=image-unpinned -- this line has no such finding\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix yet: removing the comment is safe but not implemented.\n";

static void check(struct kfp_ctx *ctx)
{
    (void)ctx; /* findings come from the engine's suppression pass (src/suppress.c) */
}

const struct kfp_rule kfp_rule_unused_suppression = {
    .id = "unused-suppression",
    .summary = "an inline suppression that suppresses nothing",
    .severity = KFP_SEV_WARNING,
    .tags = "maintainability",
    .doc = doc,
    .check = check,
};
