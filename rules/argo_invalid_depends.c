/* argo_invalid_depends.c — argo-invalid-depends: a malformed `depends` expression, or
 * `depends` mixed with `dependencies` / `continueOn` (workflow/common/ancestry.go). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Parses every DAG task's `depends`: task names, each optionally followed by `.Succeeded`, "
    "`.Failed`, `.Errored`, `.Skipped`, `.Omitted`, `.Daemoned`, `.AnySucceeded` or "
    "`.AllFailed`, joined by `&&` and `||`, with `!` and parentheses. Reports a token out of "
    "place, an unknown result, unbalanced parentheses, `.AnySucceeded` / `.AllFailed` of a task "
    "that does not loop, a DAG that mixes `depends` and `dependencies`, `continueOn` on any task "
    "of a DAG where some task uses `depends` (validateDAG), and a task name that starts with a digit in a DAG that uses either. "
    "Names that are no task of the DAG are `unknown-task`'s.\n\n"
    "## Why is this bad?\n"
    "`argo lint` and the controller reject the workflow (`task result '…' for task '…' is "
    "invalid`, `cannot use both 'depends' and 'dependencies' in the same DAG template`, `cannot "
    "use 'continueOn' when using 'depends'`, `dependency '…' uses an items-based condition such "
    "as .AnySucceeded or .AllFailed but does not contain any items`), or the expression fails "
    "to evaluate when the DAG runs.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: report\n"
    "  depends: \"train.Succeded && (eval || \"   # misspelt result, unbalanced\n"
    "```\n\n"
    "## Fix safety\n"
    "Replacing a misspelt result with the one close result name is unsafe: it is a guess.\n";

static const char *const results[] = {"Succeeded", "Failed",   "Errored",      "Skipped",
                                      "Omitted",   "Daemoned", "AnySucceeded", "AllFailed"};

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* Reports at bytes [p, p+n) of the depends scalar. */
static void at(struct kfp_ctx *ctx, const struct kfp_node *dn, const char *p, size_t n,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void at(struct kfp_ctx *ctx, const struct kfp_node *dn, const char *p, size_t n,
               const char *fmt, ...)
{
    struct kfp_span sp = kfp_node_subspan(&ctx->doc->src, dn, p, n ? n : 1);
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kfp_report(ctx, sp, "%s", msg);
}

static void check_expr(struct kfp_ctx *ctx, const struct kfp_argo_task *at_, const struct kfp_dag *dag)
{
    const struct kfp_node *dn = at_->depends;
    if (!dn || dn->kind != KFP_NODE_SCALAR) {
        if (dn)
            kfp_report_at(ctx, dn, "depends must be a string expression such as \"a && b.Failed\"");
        return;
    }
    const char *s = dn->u.str, *end = s + dn->len;
    int depth = 0;
    bool operand = true; /* an operand (name, '!' or '(') is expected next */
    const char *last = s;
    for (const char *p = s; p < end;) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n') {
            p++;
            continue;
        }
        last = p;
        if (operand) {
            if (c == '!') {
                p++;
                continue;
            }
            if (c == '(') {
                depth++;
                p++;
                continue;
            }
            if (!name_char(c)) {
                at(ctx, dn, p, 1, "unexpected '%c' in depends: expected a task name, '!' or '('", c);
                return;
            }
            const char *w = p;
            while (p < end && name_char(*p))
                p++;
            if (p < end && *p == '.') {
                const char *r = ++p;
                while (p < end && name_char(*p))
                    p++;
                size_t rl = (size_t)(p - r);
                bool ok = false;
                for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++)
                    ok |= strlen(results[i]) == rl && !memcmp(results[i], r, rl);
                char res[64], task[256];
                snprintf(res, sizeof(res), "%.*s", (int)(rl < 60 ? rl : 60), r);
                snprintf(task, sizeof(task), "%.*s", (int)((size_t)(r - 1 - w) < 250 ? (size_t)(r - 1 - w) : 250), w);
                if (!ok) {
                    struct kfp_suggest sg;
                    kfp_suggest_init(&sg, res);
                    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++)
                        kfp_suggest_add(&sg, results[i]);
                    const char *hint = kfp_suggest_result(&sg);
                    char msg[800];
                    snprintf(msg, sizeof(msg), "task result '%s' for task '%s' is invalid: use Succeeded, "
                             "Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded or AllFailed%s%s%s",
                             res, task, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
                    struct kfp_span sp = kfp_node_subspan(&ctx->doc->src, dn, r, rl ? rl : 1);
                    struct kfp_finding *f = kfp_report(ctx, sp, "%s", msg);
                    if (f && hint && rl && sp.end - sp.start == rl)
                        kfp_fix_replace(ctx, f, 0, sp.start, sp.end, hint, "replace with the closest task result");
                } else if (!strcmp(res, "AnySucceeded") || !strcmp(res, "AllFailed")) {
                    const struct kfp_task *t = kfp_strmap_get(&dag->by_key, task);
                    const struct kfp_argo_task *tt = t ? &at_->owner->tasks[t->index] : NULL;
                    if (tt && !kfp_argo_task_loops(tt))
                        at(ctx, dn, r, rl, "'.%s' is an items-based condition, but task '%s' has no "
                                           "withItems, withParam or withSequence: argo rejects it",
                           res, task);
                }
            }
            operand = false;
            continue;
        }
        if (c == ')') {
            if (--depth < 0) {
                at(ctx, dn, p, 1, "unbalanced ')' in depends");
                return;
            }
            p++;
            continue;
        }
        if ((c == '&' || c == '|') && p + 1 < end && p[1] == c) {
            p += 2;
            operand = true;
            continue;
        }
        at(ctx, dn, p, 1, "unexpected '%c' in depends: expected '&&', '||' or ')'", c);
        return;
    }
    if (operand)
        at(ctx, dn, last, 1, "depends ends where a task name is expected");
    else if (depth > 0)
        at(ctx, dn, last, 1, "depends has an unclosed '('");
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    if (tp->type != KFP_ARGO_T_DAG || !tp->comp->dag)
        return;
    const struct kfp_argo_task *first_depends = NULL, *first_deps = NULL;
    for (size_t j = 0; j < tp->n_tasks; j++) {
        const struct kfp_argo_task *at_ = &tp->tasks[j];
        if (at_->depends_key && !first_depends)
            first_depends = at_;
        if (at_->dependencies_key && !first_deps)
            first_deps = at_;
        if (at_->depends_key)
            check_expr(ctx, at_, tp->comp->dag);
    }
    /* validateDAG: once any task of the DAG uses depends, no task may have continueOn */
    for (size_t j = 0; first_depends && j < tp->n_tasks; j++) {
        const struct kfp_argo_task *at_ = &tp->tasks[j];
        const struct kfp_node *k = NULL;
        if (!kfp_map_get(at_->task->node, "continueOn", &k) || !k)
            continue;
        const char *tn = at_->task->key.name ? at_->task->key.name : "";
        struct kfp_finding *f = kfp_report_at(
            ctx, k, "task '%s' has continueOn in template '%s', whose DAG uses 'depends': argo "
                    "rejects it (cannot use 'continueOn' when using 'depends'); drop continueOn "
                    "and let the tasks after it depend on \"%s.Succeeded || %s.Failed\"",
            tn, tp->name.name ? tp->name.name : "", tn, tn);
        if (at_ != first_depends)
            kfp_related(ctx, f, first_depends->depends_key, "depends is used here");
    }
    if (first_depends && first_deps) {
        const struct kfp_argo_task *later = first_depends->task->index > first_deps->task->index
                                                ? first_depends : first_deps;
        const struct kfp_argo_task *other = later == first_depends ? first_deps : first_depends;
        struct kfp_finding *f = kfp_report_at(
            ctx, later == first_depends ? later->depends_key : later->dependencies_key,
            "template '%s' uses both 'depends' and 'dependencies': argo rejects it (cannot use "
            "both in the same DAG template); write every task's dependencies with depends",
            tp->name.name ? tp->name.name : "");
        kfp_related(ctx, f, other == first_depends ? other->depends_key : other->dependencies_key,
                    "the other form is used here");
    }
    if (first_depends || first_deps)
        for (size_t j = 0; j < tp->n_tasks; j++) {
            const struct kfp_ref *k = &tp->tasks[j].task->key;
            if (k->name && k->name[0] >= '0' && k->name[0] <= '9')
                kfp_report_at(ctx, k->node, "task name '%s' begins with a digit, which argo rejects "
                                            "in a DAG that uses depends or dependencies",
                              k->name);
        }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, NULL, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_invalid_depends = {
    .id = "argo-invalid-depends",
    .summary = "a malformed Argo depends expression, or depends mixed with dependencies",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo,graph",
    .doc = doc,
    .check = check,
};
