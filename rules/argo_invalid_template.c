/* argo_invalid_template.c — argo-invalid-template: an Argo template has no type or several, or
 * a field its type does not allow (validateTemplateType, validateLeaf/NonLeaf). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks each template of an Argo manifest has exactly one type — `container`, `script`, "
    "`resource`, `dag`, `steps`, `suspend`, `containerSet`, `http`, `data` or `plugin` — with a "
    "value (a `container:` left empty counts as none), and that fields only some types take are "
    "not set on others: `activeDeadlineSeconds` and `timeout` only on leaf templates, "
    "`parallelism` only on `dag` and `steps`.\n\n"
    "## Why is this bad?\n"
    "`argo lint` and the controller reject the workflow: `template type unspecified. choose one "
    "of: …`, `multiple template types specified`, `activeDeadlineSeconds is only valid for leaf "
    "templates`, `… template doesn't support timeout field`, `parallelism is only valid for "
    "steps and dag templates`.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: leaf-1\n"
    "  container:            # empty: no type\n"
    "```\n"
    "KFP v1: the mock template `mock-recursive-template.yaml` of kubeflow/pipelines has two such "
    "leaves.\n\n"
    "## Fix safety\n"
    "No fix: what the template should run is the author's choice.\n";

static bool leaf(int t)
{
    return t == KFP_ARGO_T_CONTAINER || t == KFP_ARGO_T_SCRIPT || t == KFP_ARGO_T_RESOURCE ||
           t == KFP_ARGO_T_CONTAINER_SET || t == KFP_ARGO_T_HTTP || t == KFP_ARGO_T_DATA ||
           t == KFP_ARGO_T_PLUGIN;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->argo)
        return;
    for (size_t i = 0; i < m->argo->n_templates; i++) {
        const struct kfp_argo_template *tp = m->argo->templates[i];
        const char *name = tp->name.name ? tp->name.name : "";
        const struct kfp_node *at = tp->name.node ? tp->name.node : tp->node;
        if (tp->n_types == 0) {
            if (tp->null_type_key)
                kfp_report_at(ctx, tp->null_type_key,
                              "template '%s' has an empty '%s:', so no type: argo rejects it "
                              "(template type unspecified); give the %s its fields",
                              name, kfp_scalar(tp->null_type_key), kfp_scalar(tp->null_type_key));
            else
                kfp_report_at(ctx, at,
                              "template '%s' has no type: argo rejects it (template type "
                              "unspecified); choose one of container, script, resource, dag, "
                              "steps, suspend, containerSet, http, data, plugin",
                              name);
            continue;
        }
        if (tp->n_types > 1) {
            struct kfp_finding *f = kfp_report_at(
                ctx, tp->extra_type_key,
                "template '%s' has several types ('%s' and '%s'): argo rejects it (multiple "
                "template types specified); keep one",
                name, kfp_scalar(tp->type_key), kfp_scalar(tp->extra_type_key));
            kfp_related(ctx, f, tp->type_key, "the first type is here");
        }
        const struct kfp_node *k = NULL;
        if (!leaf(tp->type)) {
            if (kfp_map_get(tp->node, "activeDeadlineSeconds", &k) && k)
                kfp_report_at(ctx, k, "activeDeadlineSeconds is only valid for leaf templates, not "
                                      "the %s template '%s': argo rejects it; use timeout on a "
                                      "leaf, or the workflow's activeDeadlineSeconds",
                              kfp_argo_ttype_name(tp->type), name);
            k = NULL;
            if (kfp_map_get(tp->node, "timeout", &k) && k)
                kfp_report_at(ctx, k, "the %s template '%s' does not support timeout: argo "
                                      "rejects it; set it on its leaf templates",
                              kfp_argo_ttype_name(tp->type), name);
        }
        k = NULL;
        if (tp->type != KFP_ARGO_T_DAG && tp->type != KFP_ARGO_T_STEPS &&
            kfp_map_get(tp->node, "parallelism", &k) && k)
            kfp_report_at(ctx, k, "parallelism is only valid for steps and dag templates, not the "
                                  "%s template '%s': argo rejects it",
                          kfp_argo_ttype_name(tp->type), name);
    }
}

const struct kfp_rule kfp_rule_argo_invalid_template = {
    .id = "argo-invalid-template",
    .summary = "an Argo template has no type, several, or a field its type does not take",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
