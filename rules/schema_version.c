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
    "2.1.0 backend reads differently; recompiling is the real repair.\n";

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
