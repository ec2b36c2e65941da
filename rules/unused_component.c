/* unused_component.c — unused-component: a component or executor that nothing references. */
#include "kfplint/edit.h"
#include "kfplint/rule.h"

static const char doc[] =
    "## What it does\n"
    "Reports an entry of `components` that no task's `componentRef` names, and an entry of "
    "`deploymentSpec.executors` that no component's `executorLabel` names.\n\n"
    "## Why is this bad?\n"
    "Dead definitions make a spec harder to review, and are usually left over from a rename: the "
    "task meant to use the component may be using an older one.\n\n"
    "## Example\n"
    "```yaml\n"
    "components:\n"
    "  comp-train-v1: {executorLabel: exec-train-v1}   # no task uses it\n"
    "```\n\n"
    "## Fix safety\n"
    "Unsafe: removing the component and its executor deletes text a person may still want.\n";

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec)
        return;
    size_t nc = m->n_components, ne = m->n_executors;
    unsigned char *cused = kfp_arena_calloc(ctx->scratch, nc + 1, 1);
    size_t *users = kfp_arena_calloc(ctx->scratch, ne + 1, sizeof(*users)); /* per executor */
    if (!cused || !users) {
        ctx->oom = 1;
        return;
    }
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_component *c = m->dags[di]->tasks[ti].component;
            if (c && c->index < nc)
                cused[c->index] = 1;
        }
    if (m->root && m->root->executor)
        users[m->root->executor->index]++;
    for (size_t i = 0; i < nc; i++)
        if (m->components[i]->executor)
            users[m->components[i]->executor->index]++;
    const struct kfp_node *comps = kfp_map_get(m->spec, "components", NULL);
    const struct kfp_node *execs = kfp_map_get(kfp_map_get(m->spec, "deploymentSpec", NULL), "executors", NULL);
    for (size_t i = 0; i < nc; i++) {
        if (cused[i])
            continue;
        const struct kfp_component *c = m->components[i];
        struct kfp_finding *f = kfp_report_at(ctx, c->key.node,
                                              "component '%s' is defined but no task uses it", c->key.name);
        /* fix: remove the component, and its executor when no other component uses it */
        struct kfp_edit e[2];
        size_t n = 0;
        if (kfp_edit_remove_pair(&ctx->doc->src, comps, (uint32_t)c->index, &e[n]) == KFP_OK)
            n++;
        else
            continue;
        if (c->executor && users[c->executor->index] == 1 && /* not shared */
            kfp_edit_remove_pair(&ctx->doc->src, execs, (uint32_t)c->executor->index, &e[n]) == KFP_OK)
            n++;
        kfp_fix_edits(ctx, f, 0, "remove the unused component and its executor", e, n);
    }
    for (size_t i = 0; i < ne; i++) {
        const struct kfp_executor *e = m->executors[i];
        if (!e->label.name || users[i])
            continue;
        /* a repeated label: components naming it use the first executor that has it */
        const struct kfp_executor *first = kfp_strmap_get(&m->executors_by_label, e->label.name);
        if (first && users[first->index])
            continue;
        struct kfp_finding *f = kfp_report_at(ctx, e->label.node,
                                              "executor '%s' is defined but no component uses it", e->label.name);
        struct kfp_edit ed;
        if (kfp_edit_remove_pair(&ctx->doc->src, execs, (uint32_t)i, &ed) == KFP_OK)
            kfp_fix_edits(ctx, f, 0, "remove the unused executor", &ed, 1);
    }
}

const struct kfp_rule kfp_rule_unused_component = {
    .id = "unused-component",
    .summary = "a component or executor that nothing references",
    .severity = KFP_SEV_WARNING,
    .tags = "maintainability",
    .doc = doc,
    .check = check,
};
