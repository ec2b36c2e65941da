/* argo_invalid_output.c — argo-invalid-output: an Argo output parameter or artifact that argo
 * rejects (validateOutputParameter, validateOutputs). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks each template's `outputs`: a parameter has `value` or `valueFrom` but not both; "
    "`valueFrom` names one source (`path`, `jsonPath`, `jqFilter`, `parameter`, `expression`, "
    "…) and the one the template type reads — `path` in container, script and containerSet "
    "templates, `jqFilter` or `jsonPath` in resource templates, `parameter` or `expression` "
    "(not both) in dag and steps templates. An output artifact of a container or script "
    "template has a `path`; one of a dag or steps template has none (it takes `from`).\n\n"
    "## Why is this bad?\n"
    "`argo lint` rejects the workflow: `… has both valueFrom and value specified`, `… does not "
    "have valueFrom or value specified`, `… multiple valueFrom types specified`, `….path must "
    "be specified for container templates`, `….parameter or expression must be specified for "
    "DAG templates`, `….path not specified`, `….path only valid in container/script templates`.\n\n"
    "## Example\n"
    "```yaml\n"
    "outputs:\n"
    "  parameters:\n"
    "  - name: model\n"
    "    valueFrom: {parameter: \"{{tasks.train.outputs.parameters.model}}\"}   # in a container template\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

static const char *const sources[] = {"path", "jsonPath", "jqFilter", "parameter", "expression",
                                      "event", "supplied", "configMapKeyRef"};

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const struct kfp_node *outs = kfp_map_get(tp->node, "outputs", NULL);
    const char *tname = tp->name.name ? tp->name.name : "";
    const char *type = kfp_argo_ttype_name(tp->type);
    const struct kfp_node *params = kfp_deref(kfp_map_get(outs, "parameters", NULL));
    for (uint32_t i = 0; params && params->kind == KFP_NODE_SEQ && i < params->len; i++) {
        const struct kfp_node *p = kfp_deref(&params->u.items[i]);
        const char *pn = kfp_scalar(kfp_map_get(p, "name", NULL));
        pn = pn ? pn : "";
        const struct kfp_node *vk = NULL, *vfk = NULL;
        kfp_map_get(p, "value", &vk);
        const struct kfp_node *vf = kfp_map_get(p, "valueFrom", &vfk);
        if (vk && vfk) {
            kfp_report_at(ctx, vfk, "output parameter '%s' of template '%s' has both value and "
                                    "valueFrom: argo rejects it; choose one", pn, tname);
            continue;
        }
        if (!vk && !vfk) {
            if (p && p->kind == KFP_NODE_MAP)
                kfp_report_at(ctx, p, "output parameter '%s' of template '%s' has neither value nor "
                                      "valueFrom: argo rejects it", pn, tname);
            continue;
        }
        if (!vfk || !vf || vf->kind != KFP_NODE_MAP)
            continue;
        size_t n = 0, early = 0;
        const struct kfp_node *second = NULL;
        for (size_t s = 0; s < sizeof(sources) / sizeof(sources[0]); s++) {
            const struct kfp_node *k = NULL;
            if (kfp_map_get(vf, sources[s], &k) && k) {
                n++;
                if (s < 5 && ++early == 2)
                    second = k;
            }
        }
        if (n == 0) {
            kfp_report_at(ctx, vfk, "valueFrom of output parameter '%s' of template '%s' names no "
                                    "source: argo rejects it (valueFrom type unspecified); use %s",
                          pn, tname,
                          tp->type == KFP_ARGO_T_RESOURCE ? "jsonPath or jqFilter"
                          : tp->type == KFP_ARGO_T_DAG || tp->type == KFP_ARGO_T_STEPS ? "parameter or expression"
                                                                                       : "path");
            continue;
        }
        if (second && !(tp->type == KFP_ARGO_T_DAG || tp->type == KFP_ARGO_T_STEPS)) {
            kfp_report_at(ctx, second, "valueFrom of output parameter '%s' of template '%s' names "
                                       "several sources: argo rejects it (multiple valueFrom types "
                                       "specified); keep one", pn, tname);
            continue;
        }
        const struct kfp_node *k = NULL;
        switch (tp->type) {
        case KFP_ARGO_T_CONTAINER:
        case KFP_ARGO_T_SCRIPT:
        case KFP_ARGO_T_CONTAINER_SET:
            if (!kfp_map_get(vf, "path", NULL))
                kfp_report_at(ctx, vfk, "output parameter '%s' of the %s template '%s' needs "
                                        "valueFrom.path: argo rejects it (path must be specified "
                                        "for %s templates)", pn, type, tname, type);
            break;
        case KFP_ARGO_T_RESOURCE:
            if (!kfp_map_get(vf, "jqFilter", NULL) && !kfp_map_get(vf, "jsonPath", NULL))
                kfp_report_at(ctx, vfk, "output parameter '%s' of the resource template '%s' needs "
                                        "valueFrom.jqFilter or jsonPath: argo rejects it", pn, tname);
            break;
        case KFP_ARGO_T_DAG:
        case KFP_ARGO_T_STEPS:
            if (!kfp_map_get(vf, "parameter", NULL) && !kfp_map_get(vf, "expression", NULL))
                kfp_report_at(ctx, vfk, "output parameter '%s' of the %s template '%s' needs "
                                        "valueFrom.parameter or expression: argo rejects it", pn,
                              type, tname);
            else if (kfp_map_get(vf, "parameter", NULL) && kfp_map_get(vf, "expression", &k) && k)
                kfp_report_at(ctx, k, "output parameter '%s' of the %s template '%s' has both "
                                      "valueFrom.parameter and expression: argo rejects it; keep one",
                              pn, type, tname);
            break;
        default:
            break;
        }
    }
    const struct kfp_node *arts = kfp_deref(kfp_map_get(outs, "artifacts", NULL));
    for (uint32_t i = 0; arts && arts->kind == KFP_NODE_SEQ && i < arts->len; i++) {
        const struct kfp_node *a = kfp_deref(&arts->u.items[i]);
        const char *an = kfp_scalar(kfp_map_get(a, "name", NULL));
        const struct kfp_node *pk = NULL;
        kfp_map_get(a, "path", &pk);
        if ((tp->type == KFP_ARGO_T_CONTAINER || tp->type == KFP_ARGO_T_SCRIPT) && !pk && a &&
            a->kind == KFP_NODE_MAP)
            kfp_report_at(ctx, a, "output artifact '%s' of the %s template '%s' has no path: argo "
                                  "rejects it (path not specified)", an ? an : "", type, tname);
        else if ((tp->type == KFP_ARGO_T_DAG || tp->type == KFP_ARGO_T_STEPS) && pk)
            kfp_report_at(ctx, pk, "output artifact '%s' of the %s template '%s' has a path, which "
                                   "only container and script templates take: argo rejects it; "
                                   "use from: \"{{tasks.X.outputs.artifacts.Y}}\"",
                          an ? an : "", type, tname);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, NULL, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_invalid_output = {
    .id = "argo-invalid-output",
    .summary = "an Argo output parameter or artifact that argo rejects",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
