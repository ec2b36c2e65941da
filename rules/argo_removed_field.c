/* argo_removed_field.c — argo-removed-field: a field Argo Workflows 4.0 removed, with its
 * replacement. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports fields deprecated in Argo Workflows 3.6 and removed in 4.0 (`docs/upgrading.md`, "
    "\"Deprecations\"): a "
    "CronWorkflow's `spec.schedule` (now `schedules`, a list), `podPriority` of a workflow or "
    "template (use `priorityClassName`), and `synchronization.mutex` / `synchronization."
    "semaphore` (now the lists `mutexes` / `semaphores`).\n\n"
    "## Why is this bad?\n"
    "Argo 4 decodes manifests strictly: a removed field is an unknown field and the manifest is "
    "rejected (`strict decoding error: unknown field …`); with older servers it keeps working, "
    "so the break comes with the upgrade.\n\n"
    "These findings are warnings, not errors: every Argo 3.x accepts these fields "
    "(`CronWorkflowSpec.getSchedules` falls back to `schedule` \"for backwards compatibility\", "
    "and the singular `mutex` / `semaphore` are still read), so the manifest runs today; "
    "`argo convert` rewrites `schedule`, `mutex` and `semaphore` to the new lists. One case is "
    "an error: a CronWorkflow with both a `schedule` and a non-empty `schedules`, which Argo "
    "3.x rejects too (`cron workflow cant be configured with both Spec.Schedule and "
    "Spec.Schedules`, `ValidateCronWorkflow`).\n\n"
    "## Example\n"
    "```yaml\n"
    "kind: CronWorkflow\n"
    "spec:\n"
    "  schedule: \"0 2 * * *\"      # Argo 4: schedules: [\"0 2 * * *\"]\n"
    "```\n\n"
    "## Fix safety\n"
    "Safe for `schedule` and for a `mutex` / `semaphore` written in flow style or JSON: the "
    "value moves into a one-item list under the new name, which means the same. `podPriority` "
    "has no fix (a priority class must exist in the cluster).\n";

/* key: value → newkey: [value], when the value can be wrapped in place (scalar or flow). */
static void wrap_fix(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *key,
                     const struct kfp_node *val, const char *newkey)
{
    if (!f || !val || (val->kind != KFP_NODE_SCALAR && val->style != KFP_STYLE_FLOW) ||
        val->style == KFP_STYLE_LITERAL || val->style == KFP_STYLE_FOLDED)
        return;
    char *k = kfp_quote_like(ctx->a, key, newkey);
    if (!k) {
        ctx->oom = 1;
        return;
    }
    struct kfp_edit e[3] = {
        {key->span.start, key->span.end, k},
        {val->span.start, val->span.start, "["},
        {val->span.end, val->span.end, "]"},
    };
    char title[128];
    snprintf(title, sizeof(title), "move the value into the list '%s'", newkey);
    kfp_fix_edits(ctx, f, 1, title, e, 3);
}

static void check_sync(struct kfp_ctx *ctx, const struct kfp_node *owner, const char *where)
{
    const struct kfp_node *sync = kfp_map_get(owner, "synchronization", NULL);
    static const char *const old[] = {"mutex", "semaphore"}, *const repl[] = {"mutexes", "semaphores"};
    for (size_t i = 0; i < 2; i++) {
        const struct kfp_node *k = NULL;
        const struct kfp_node *v = kfp_map_get(sync, old[i], &k);
        if (!k)
            continue;
        struct kfp_finding *f = kfp_report_sev(
            ctx, KFP_SEV_WARNING, k, "synchronization.%s of %s is deprecated and removed in Argo 4.0: use "
                    "synchronization.%s, a list (%s: [...]), or run `argo convert`", old[i], where, repl[i], repl[i]);
        wrap_fix(ctx, f, k, v, repl[i]);
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    const struct kfp_node *k = NULL, *v;
    if (d->kind == KFP_ARGO_CRON_WORKFLOW && (v = kfp_map_get(d->outer_spec, "schedule", &k)) && k) {
        const struct kfp_node *ss = kfp_deref(kfp_map_get(d->outer_spec, "schedules", NULL));
        const char *sv = kfp_scalar(v);
        if (ss && ss->kind == KFP_NODE_SEQ && ss->len && sv && *sv) {
            kfp_report_at(ctx, k, "this CronWorkflow has both schedule and schedules: argo "
                                  "rejects it (cron workflow cant be configured with both "
                                  "Spec.Schedule and Spec.Schedules); drop schedule");
        } else {
            struct kfp_finding *f = kfp_report_sev(
                ctx, KFP_SEV_WARNING, k,
                "CronWorkflow spec.schedule is deprecated and removed in Argo 4.0: use "
                "schedules, a list (schedules: [\"%s\"]), or run `argo convert`",
                sv ? sv : "…");
            if (!ss)
                wrap_fix(ctx, f, k, v, "schedules");
        }
    }
    k = NULL;
    if (kfp_map_get(d->spec, "podPriority", &k) && k)
        kfp_report_sev(ctx, KFP_SEV_WARNING, k, "spec.podPriority is deprecated and removed in Argo 4.0: use "
                              "spec.podPriorityClassName with a PriorityClass of the cluster");
    check_sync(ctx, d->spec, "the workflow");
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const struct kfp_node *k = NULL;
    if (!kfp_map_get(tp->node, "podPriority", NULL) && !kfp_map_get(tp->node, "synchronization", NULL))
        return;
    char where[300];
    snprintf(where, sizeof(where), "template '%s'", tp->name.name ? tp->name.name : "");
    if (kfp_map_get(tp->node, "podPriority", &k) && k)
        kfp_report_sev(ctx, KFP_SEV_WARNING, k, "podPriority of %s is deprecated and removed in Argo 4.0: use "
                              "priorityClassName with a PriorityClass of the cluster", where);
    check_sync(ctx, tp->node, where);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_removed_field = {
    .id = "argo-removed-field",
    .summary = "a field deprecated in Argo 3.6 and removed in 4.0 (with its replacement)",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo,compat",
    .doc = doc,
    .check = check,
};
