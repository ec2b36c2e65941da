/* argo_unused_template.c — argo-unused-template: a template of a Workflow or CronWorkflow that
 * nothing runs. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "In a `Workflow` or `CronWorkflow`, reports a template that cannot run: it is not the "
    "entrypoint, the `onExit` handler or a workflow hook, and no task, step, task `onExit` or "
    "task hook reachable from those runs it. WorkflowTemplates are libraries and are not "
    "checked, nor are workflows that use `workflowTemplateRef` or have no `entrypoint` (it "
    "may be given at submission).\n\n"
    "## Why is this bad?\n"
    "Dead code: usually a template renamed or a task removed while its template stayed — or a "
    "task that was meant to run it and names another template.\n\n"
    "## Example\n"
    "```yaml\n"
    "entrypoint: main\n"
    "templates:\n"
    "- name: main\n"
    "  steps: [[{name: a, template: work}]]\n"
    "- name: work\n"
    "  container: {image: alpine:3.19}\n"
    "- name: old-work              # nothing runs it\n"
    "  container: {image: alpine:3.19}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

static void push(const struct kfp_argo_doc *d, const char *name, bool *seen,
                 const struct kfp_argo_template **stack, size_t *sp, size_t base)
{
    if (!name)
        return;
    const struct kfp_argo_template *t = kfp_strmap_get(&d->by_name, name);
    if (t && !seen[t->index - base]) {
        seen[t->index - base] = true;
        stack[(*sp)++] = t;
    }
}

static void push_hooks(const struct kfp_argo_doc *d, const struct kfp_node *hooks, bool *seen,
                       const struct kfp_argo_template **stack, size_t *sp, size_t base)
{
    hooks = kfp_deref(hooks);
    for (uint32_t i = 0; hooks && hooks->kind == KFP_NODE_MAP && i < hooks->len; i++)
        push(d, kfp_scalar(kfp_map_get(&hooks->u.pairs[i].value, "template", NULL)), seen, stack, sp, base);
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    if ((d->kind != KFP_ARGO_WORKFLOW && d->kind != KFP_ARGO_CRON_WORKFLOW) || d->wf_template_ref ||
        !d->entrypoint.name || !d->n_templates || !kfp_strmap_get(&d->by_name, d->entrypoint.name))
        return;
    size_t base = d->templates[0]->index, n = d->n_templates, sp = 0;
    bool *seen = kfp_arena_calloc(ctx->scratch, n, sizeof(*seen));
    const struct kfp_argo_template **stack = kfp_arena_alloc(ctx->scratch, n * sizeof(*stack));
    if (!seen || !stack) {
        ctx->oom = 1;
        return;
    }
    push(d, d->entrypoint.name, seen, stack, &sp, base);
    push(d, d->on_exit.name, seen, stack, &sp, base);
    push_hooks(d, kfp_map_get(d->spec, "hooks", NULL), seen, stack, &sp, base);
    while (sp) {
        const struct kfp_argo_template *t = stack[--sp];
        for (size_t j = 0; j < t->n_tasks; j++) {
            const struct kfp_argo_task *at = &t->tasks[j];
            if (!at->template_ref)
                push(d, at->template_name.name, seen, stack, &sp, base);
            push(d, kfp_scalar(at->on_exit), seen, stack, &sp, base);
            push_hooks(d, at->hooks, seen, stack, &sp, base);
        }
    }
    for (size_t j = 0; j < n; j++) {
        const struct kfp_argo_template *t = d->templates[j];
        if (seen[j] || !t->name.name)
            continue;
        const struct kfp_argo_template *first = kfp_strmap_get(&d->by_name, t->name.name);
        if (first != t)
            continue; /* a duplicate: argo-duplicate-name */
        kfp_report_at(ctx, t->name.node,
                      "template '%s' never runs: it is not the entrypoint '%s', the onExit "
                      "handler or a hook, and no task or step reachable from them uses it",
                      t->name.name, d->entrypoint.name);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, NULL, NULL);
}

const struct kfp_rule kfp_rule_argo_unused_template = {
    .id = "argo-unused-template",
    .summary = "a template of an Argo Workflow that nothing runs",
    .severity = KFP_SEV_WARNING,
    .tags = "maintainability,argo",
    .doc = doc,
    .check = check,
};
