/* schema_version.c — schema-version: a PipelineSpec whose schemaVersion is not 2.1.0. */
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a PipelineSpec whose `schemaVersion` is missing or not `2.1.0`. PipelineJob files "
    "are exempt: Vertex AI still accepts their older schema.\n\n"
    "## Why is this bad?\n"
    "The KFP API server accepts exactly `schemaVersion: 2.1.0` and rejects the upload otherwise.\n\n"
    "## Example\n"
    "```yaml\n"
    "schemaVersion: 2.0.0     # recompile with a current KFP SDK\n"
    "```\n\n"
    "## Fix safety\n"
    "Unsafe: setting `2.1.0` is accepted by the server, but an old spec may use fields that a "
    "2.1.0 backend reads differently; recompiling is the real repair. No fix is offered when the "
    "spec still has pre-2.1 fields — legacy `type: INT|DOUBLE|STRING` definitions, "
    "`constantValue` or `runtimeParameter` — since the 2.1.0 driver reads only `parameterType` "
    "and `runtimeValue.constant`: such a file would pass the upload and fail at run time.\n";

static bool legacy_defs(const struct kfp_component *c)
{
    for (int out = 0; c && out < 2; out++) {
        const struct kfp_iodefs *d = out ? &c->outputs : &c->inputs;
        for (size_t i = 0; i < d->n; i++)
            if (d->items[i].legacy_type)
                return true;
    }
    return false;
}

/* Whether the spec has fields a 2.1.0 backend does not read (legacy `type:`, constantValue,
 * runtimeParameter): then relabelling it 2.1.0 is no repair. Linear in the model. */
static bool has_legacy_fields(const struct kfp_model *m)
{
    if (legacy_defs(m->root))
        return true;
    for (size_t i = 0; i < m->n_components; i++)
        if (legacy_defs(m->components[i]))
            return true;
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_task *t = &m->dags[di]->tasks[ti];
            for (size_t i = 0; i < t->n_inputs; i++)
                if (t->inputs[i].src.legacy_constant || t->inputs[i].src.kind == KFP_SRC_RUNTIME_PARAM)
                    return true;
        }
    return false;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || (m->kind != KFP_DOC_PIPELINE && m->kind != KFP_DOC_COMPONENT_IR))
        return;
    const struct kfp_node *v = m->schema_version.node;
    if (!v) {
        kfp_report_at(ctx, m->pipeline_info_key ? m->pipeline_info_key : m->spec,
                      "schemaVersion is missing: the KFP API server requires schemaVersion 2.1.0");
        return;
    }
    if (!strcmp(v->u.str, "2.1.0"))
        return;
    struct kfp_finding *f = kfp_report_at(
        ctx, v, "schemaVersion '%s' is not 2.1.0: the KFP API server rejects it; recompile with a "
                "current KFP SDK", v->u.str);
    if (has_legacy_fields(m))
        return; /* a 2.1.0 label would not make the legacy fields readable */
    kfp_fix_rename(ctx, f, v, "2.1.0", 0, "set schemaVersion to 2.1.0");
}

const struct kfp_rule kfp_rule_schema_version = {
    .id = "schema-version",
    .summary = "schemaVersion is not 2.1.0",
    .severity = KFP_SEV_WARNING,
    .tags = "compatibility",
    .doc = doc,
    .check = check,
};
