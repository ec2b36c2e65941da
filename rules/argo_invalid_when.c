/* argo_invalid_when.c — argo-invalid-when: a task's or step's `when` that cannot evaluate,
 * evaluated by govaluate after substitution. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks the `when` of every DAG task and step, with each `{{…}}` standing for its value: "
    "it is not empty, its quotes and parentheses are balanced, and it does not end in an "
    "operator.\n\n"
    "An unquoted substitution is not reported: Argo's controller (`shouldExecute`) parses the "
    "substituted text with govaluate and turns every bare word (a govaluate variable) into a "
    "string, so `{{steps.flip.outputs.result}} == heads`, Argo's own documented pattern, "
    "compares strings, and `{{tasks.count.outputs.result}} > 5` must stay unquoted to compare "
    "numbers (quoting it would make it a string comparison). Whether a value with `-`, `/` or a "
    "space breaks such an expression depends on the value at run time, which no static check "
    "knows.\n\n"
    "## Why is this bad?\n"
    "`argo lint` does not look at `when` beyond its variables; the controller evaluates it "
    "when the task is due and fails the workflow: `Invalid 'when' expression '…'` "
    "(argoproj/argo-workflows#3611, #1240).\n\n"
    "## Example\n"
    "```yaml\n"
    "when: \"'{{tasks.flip.outputs.result}}' == 'heads\"    # unterminated string\n"
    "when: \"({{tasks.count.outputs.result}} > 5\"          # unclosed '('\n"
    "when: \"{{tasks.flip.outputs.result}} ==\"             # ends in an operator\n"
    "```\n"
    "KFP v1 quotes both sides (`'\"{{…}}\" == \"heads\"'`); both styles are valid.\n\n"
    "## Fix safety\n"
    "No fix.\n";

static void check_when(struct kfp_ctx *ctx, const struct kfp_argo_task *at)
{
    const struct kfp_node *w = at->when;
    if (!w || w->kind != KFP_NODE_SCALAR)
        return;
    const char *s = w->u.str, *end = s + w->len;
    int depth = 0;
    char quote = 0;
    const char *last = NULL, *qstart = NULL;
    for (const char *p = s; p < end; p++) {
        if (p + 1 < end && p[0] == '{' && p[1] == '{') {
            const char *close = memmem(p + 2, (size_t)(end - p - 2), "}}", 2);
            if (!close)
                return; /* argo-unknown-variable reports it */
            last = close + 1;
            p = close + 1;
            continue;
        }
        char c = *p;
        if (quote) {
            if (c == '\\' && p + 1 < end)
                p++;
            else if (c == quote)
                quote = 0;
            last = p;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            qstart = p;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth < 0) {
                kfp_report(ctx, kfp_node_subspan(&ctx->doc->src, w, p, 1),
                           "unbalanced ')' in when: the expression cannot be evaluated");
                return;
            }
        }
        if (c != ' ' && c != '\t' && c != '\n')
            last = p;
    }
    if (quote) {
        kfp_report(ctx, kfp_node_subspan(&ctx->doc->src, w, qstart, 1),
                   "unterminated %s string in when: the expression cannot be evaluated",
                   quote == '"' ? "double-quoted" : "single-quoted");
        return;
    }
    if (depth > 0) {
        kfp_report_at(ctx, w, "when has an unclosed '(': the expression cannot be evaluated");
        return;
    }
    if (!last) {
        kfp_report_at(ctx, w, "when is empty: give a condition such as \"'{{…}}' == 'yes'\", or "
                              "remove it");
        return;
    }
    static const char ops[] = "=!<>&|+-*/%^~,";
    if (strchr(ops, *last) && *last)
        kfp_report(ctx, kfp_node_subspan(&ctx->doc->src, w, last, 1),
                   "when ends in the operator '%c': the expression cannot be evaluated", *last);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_each_task(ctx, check_when);
}

const struct kfp_rule kfp_rule_argo_invalid_when = {
    .id = "argo-invalid-when",
    .summary = "an Argo when expression that cannot evaluate",
    .severity = KFP_SEV_WARNING,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
