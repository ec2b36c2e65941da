/* unknown_document.c — unknown-document: a file named on the command line that is not a KFP
 * pipeline or component (empty, binary, or some other YAML/JSON). */
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a file given on the command line that is not a Kubeflow Pipelines document: empty, "
    "binary, or YAML/JSON of another kind. Files of another kind found while walking a directory "
    "are skipped instead, and counted with the reason in the summary.\n\n"
    "kfplint reads KFP v2 IR PipelineSpec (YAML or JSON), PipelineJob JSON, single-component IR "
    "and v1 `component.yaml`, and Argo `Workflow`, `WorkflowTemplate`, `ClusterWorkflowTemplate` "
    "and `CronWorkflow` manifests (KFP v1 compiled pipelines and hand-written Argo).\n\n"
    "## Why is this bad?\n"
    "A file named explicitly was meant to be checked; saying nothing would hide that it was not.\n\n"
    "## Example\n"
    "```yaml\n"
    "apiVersion: v1\n"
    "kind: ConfigMap      # not a pipeline\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

static void check(struct kfp_ctx *ctx)
{
    if (ctx->load_status == KFP_LOAD_EMPTY || ctx->load_status == KFP_LOAD_BINARY) {
        kfp_report(ctx, ctx->load_err->has_span ? ctx->load_err->span : (struct kfp_span){0, 0},
                   "%s", ctx->load_err->msg);
        return;
    }
    if (!ctx->m || ctx->m->kind != KFP_DOC_UNKNOWN)
        return;
    const struct kfp_node *top = kfp_deref(ctx->doc->roots[0]);
    const char *api = kfp_scalar(kfp_map_get(top, "apiVersion", NULL));
    const char *kind = kfp_scalar(kfp_map_get(top, "kind", NULL));
    if (api && strncmp(api, "argoproj.io/", 12) == 0)
        kfp_report_at(ctx, top,
                      "an Argo %s, not a document kfplint checks: of Argo it reads Workflow, "
                      "WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow",
                      kind ? kind : "resource");
    else if (!top || top->kind != KFP_NODE_MAP)
        kfp_report_at(ctx, top,
                      "not a KFP document: the top level is a %s, expected a mapping with "
                      "pipelineInfo/root (pipeline), pipelineSpec (PipelineJob) or implementation "
                      "(component.yaml)",
                      top && top->kind == KFP_NODE_SEQ ? "list" : "scalar");
    else
        kfp_report_at(ctx, top,
                      "not a KFP document: expected pipelineInfo/root (pipeline), pipelineSpec "
                      "(PipelineJob) or implementation (component.yaml) at the top level");
}

const struct kfp_rule kfp_rule_unknown_document = {
    .id = "unknown-document",
    .summary = "a file named on the command line is not a KFP pipeline or component",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness",
    .doc = doc,
    .check = check,
};
