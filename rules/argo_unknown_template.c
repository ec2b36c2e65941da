/* argo_unknown_template.c — argo-unknown-template: an Argo entrypoint, onExit, hook, task or
 * step names a template the workflow does not define. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks every template name of an Argo `Workflow`, `WorkflowTemplate`, "
    "`ClusterWorkflowTemplate` or `CronWorkflow`: `spec.entrypoint`, `spec.onExit`, "
    "`spec.hooks.*.template`, and the `template`, `onExit` and `hooks.*.template` of every DAG "
    "task and step name a template in `spec.templates`; a `templateRef` to a WorkflowTemplate "
    "defined in the same file names one of its templates. A close name is suggested.\n\n"
    "## Why is this bad?\n"
    "`argo lint` and the controller reject the workflow: `template name '…' undefined` "
    "(`templateRef`: `template reference ….… not found`). KFP v1 uploads run the same "
    "validation.\n\n"
    "## Example\n"
    "```yaml\n"
    "spec:\n"
    "  entrypoint: mian          # the template is 'main'\n"
    "  templates:\n"
    "  - name: main\n"
    "    container: {image: alpine:3.19}\n"
    "```\n"
    "KFP v1: a compiled pipeline whose `dag.tasks[].template` was edited by hand to a name no "
    "template has.\n\n"
    "## Fix safety\n"
    "Replacing the name with the one close template name is unsafe: it is a guess.\n";

static void check_name(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, struct kfp_ref r,
                       const char *field)
{
    if (!r.name || kfp_strmap_get(&d->by_name, r.name))
        return;
    if (d->wf_template_ref)
        return; /* the templates live in the referenced WorkflowTemplate */
    const char *hint = kfp_suggest_in(r.name, &d->by_name);
    if (hint) {
        struct kfp_finding *f = kfp_report_at(
            ctx, r.node, "%s names template '%s', which spec.templates does not define: did you mean '%s'?",
            field, r.name, hint);
        kfp_fix_rename(ctx, f, r.node, hint, 0, "replace with the closest template name");
    } else {
        kfp_report_at(ctx, r.node,
                      "%s names template '%s', which spec.templates does not define: argo rejects "
                      "the workflow (template name '%s' undefined)",
                      field, r.name, r.name);
    }
}

/* Whether check_name would report r (so its message is formatted only then). */
static bool unknown(const struct kfp_argo_doc *d, struct kfp_ref r)
{
    return r.name && !d->wf_template_ref && !kfp_strmap_get(&d->by_name, r.name);
}

static void check_hooks(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, const struct kfp_node *hooks,
                        const char *field)
{
    hooks = kfp_deref(hooks);
    for (uint32_t i = 0; hooks && hooks->kind == KFP_NODE_MAP && i < hooks->len; i++) {
        const struct kfp_node *k = NULL;
        const struct kfp_node *t = kfp_map_get(&hooks->u.pairs[i].value, "template", &k);
        if (t && t->kind == KFP_NODE_SCALAR)
            check_name(ctx, d, (struct kfp_ref){t->u.str, t}, field);
    }
}

/* templateRef {name, template} to a WorkflowTemplate of the same file. */
static void check_ref(struct kfp_ctx *ctx, const struct kfp_argo *x, const struct kfp_node *tr)
{
    const struct kfp_node *nm = kfp_map_get(tr, "name", NULL);
    const struct kfp_node *tn = kfp_map_get(tr, "template", NULL);
    const char *cs = kfp_scalar(kfp_map_get(tr, "clusterScope", NULL));
    enum kfp_argo_kind want = cs && !strcmp(cs, "true") ? KFP_ARGO_CLUSTER_WORKFLOW_TEMPLATE
                                                        : KFP_ARGO_WORKFLOW_TEMPLATE;
    const char *name = kfp_scalar(nm), *tmpl = kfp_scalar(tn);
    if (!name || !tmpl)
        return;
    for (size_t i = 0; i < x->n_docs; i++) {
        const struct kfp_argo_doc *d = &x->docs[i];
        if (d->kind != want || !d->name.name || strcmp(d->name.name, name) != 0 ||
            kfp_strmap_get(&d->by_name, tmpl))
            continue;
        const char *hint = kfp_suggest_in(tmpl, &d->by_name);
        struct kfp_finding *f = kfp_report_at(
            ctx, tn, "templateRef names template '%s' of %s '%s' (in this file), which defines no such template%s%s%s",
            tmpl, want == KFP_ARGO_WORKFLOW_TEMPLATE ? "WorkflowTemplate" : "ClusterWorkflowTemplate",
            name, hint ? ": did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
        if (hint)
            kfp_fix_rename(ctx, f, tn, hint, 0, "replace with the closest template name");
        return;
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    check_name(ctx, d, d->entrypoint, "spec.entrypoint");
    check_name(ctx, d, d->on_exit, "spec.onExit");
    check_hooks(ctx, d, kfp_map_get(d->spec, "hooks", NULL), "a workflow hook");
}

static void check_task(struct kfp_ctx *ctx, const struct kfp_argo_task *at)
{
    const struct kfp_argo_doc *d = at->owner->doc;
    const char *what = at->is_step ? "step" : "task";
    char field[300];
    if (!at->template_ref && !at->inline_tmpl && unknown(d, at->template_name)) {
        snprintf(field, sizeof(field), "%s '%s'", what, at->task->key.name ? at->task->key.name : "");
        check_name(ctx, d, at->template_name, field);
    }
    if (at->template_ref)
        check_ref(ctx, ctx->m->argo, at->template_ref);
    if (at->on_exit && at->on_exit->kind == KFP_NODE_SCALAR) {
        snprintf(field, sizeof(field), "the onExit of %s '%s'", what,
                 at->task->key.name ? at->task->key.name : "");
        check_name(ctx, d, (struct kfp_ref){at->on_exit->u.str, at->on_exit}, field);
    }
    if (at->hooks) {
        snprintf(field, sizeof(field), "a hook of %s '%s'", what,
                 at->task->key.name ? at->task->key.name : "");
        check_hooks(ctx, d, at->hooks, field);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, NULL, NULL);
    kfp_argo_each_task(ctx, check_task);
}

const struct kfp_rule kfp_rule_argo_unknown_template = {
    .id = "argo-unknown-template",
    .summary = "an Argo entrypoint, onExit, hook, task or step names no template",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
