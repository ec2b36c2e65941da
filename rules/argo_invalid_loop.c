/* argo_invalid_loop.c — argo-invalid-loop: a task or step with conflicting or malformed
 * withItems / withParam / withSequence. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <jansson.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks the loop of every DAG task and step: at most one of `withItems`, `withParam` and "
    "`withSequence`; `withItems` is a list; `withParam` is a `{{…}}` expression or the text of "
    "a JSON list; `withSequence` has `count` or `end` but not both, and its `count`, `start` and "
    "`end` are integers (or `{{…}}`).\n\n"
    "## Why is this bad?\n"
    "`argo lint` rejects the first and the `withSequence` conflict (`only one of withItems, "
    "withParam, withSequence can be specified`, `only one of count or end can be defined in "
    "withSequence`); the others fail when the loop expands (`withParam value could not be "
    "parsed as a JSON list`).\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: fan-out\n"
    "  template: work\n"
    "  withItems: [a, b]\n"
    "  withParam: \"{{tasks.list.outputs.result}}\"   # two loops\n"
    "```\n"
    "KFP v1: `dsl.ParallelFor` compiles to `withItems` or `withParam`; a hand edit that keeps "
    "both is caught here.\n\n"
    "## Fix safety\n"
    "No fix.\n";

/* An integer or its text (IntOrString: "5" counts), or a {{…}} expression. */
static bool int_or_var(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    return !s || strstr(s, "{{") || kfp_argo_int_text(s);
}

static void check_task(struct kfp_ctx *ctx, const struct kfp_argo_task *at)
{
    const char *what = at->is_step ? "step" : "task";
    const char *name = at->task->key.name ? at->task->key.name : "";
    const struct kfp_node *keys[4] = {at->with_items_key, at->with_param_key, at->with_sequence_key,
                                      at->with_expression_key};
    const struct kfp_node *first = NULL;
    for (int i = 0; i < 4; i++) {
        if (!keys[i])
            continue;
        if (!first) {
            first = keys[i];
            continue;
        }
        struct kfp_finding *f = kfp_report_at(
            ctx, keys[i], "%s '%s' has both %s and %s: argo rejects it (only one of withItems, "
                          "withParam, withSequence can be specified)",
            what, name, kfp_scalar(first), kfp_scalar(keys[i]));
        kfp_related(ctx, f, first, "the first loop is here");
    }
    const struct kfp_node *wi = at->with_items;
    if (wi && wi->kind != KFP_NODE_SEQ)
        kfp_report_at(ctx, wi, "withItems of %s '%s' must be a list of items; for a list computed "
                               "at run time use withParam",
                      what, name);
    const struct kfp_node *wp = at->with_param;
    if (wp) {
        const char *s = kfp_scalar(wp);
        if (!s || wp->kind != KFP_NODE_SCALAR) {
            kfp_report_at(ctx, wp, "withParam of %s '%s' must be a string: a {{…}} expression or "
                                   "the text of a JSON list (for a literal list use withItems)",
                          what, name);
        } else if (!strstr(s, "{{")) {
            json_error_t e;
            json_t *j = json_loadb(s, wp->len, JSON_DECODE_ANY, &e);
            if (!j || !json_is_array(j))
                kfp_report_at(ctx, wp, "withParam of %s '%s' is neither a {{…}} expression nor a "
                                       "JSON list: the loop fails when it expands (withParam value "
                                       "could not be parsed as a JSON list)",
                              what, name);
            json_decref(j);
        }
    }
    const struct kfp_node *ws = at->with_sequence;
    if (ws) {
        const struct kfp_node *ck = NULL, *ek = NULL;
        kfp_map_get(ws, "count", &ck);
        kfp_map_get(ws, "end", &ek);
        if (ws->kind != KFP_NODE_MAP)
            kfp_report_at(ctx, ws, "withSequence of %s '%s' must be a mapping {count | end, start, "
                                   "format}",
                          what, name);
        else if (ck && ek)
            kfp_report_at(ctx, ek, "withSequence of %s '%s' has both count and end: argo rejects it "
                                   "(only one of count or end can be defined in withSequence)",
                          what, name);
        static const char *const ints[] = {"count", "start", "end"};
        for (size_t i = 0; ws->kind == KFP_NODE_MAP && i < 3; i++) {
            const struct kfp_node *v = kfp_map_get(ws, ints[i], NULL);
            if (v && !int_or_var(v))
                kfp_report_at(ctx, v, "withSequence.%s of %s '%s' is '%s', not an integer: the "
                                      "loop fails when it expands",
                              ints[i], what, name, kfp_scalar(v));
        }
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_each_task(ctx, check_task);
}

const struct kfp_rule kfp_rule_argo_invalid_loop = {
    .id = "argo-invalid-loop",
    .summary = "an Argo task or step with conflicting or malformed loops",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
