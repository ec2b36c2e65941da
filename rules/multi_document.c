/* multi_document.c — multi-document: the documents of a YAML file that the KFP API server
 * rejects or ignores: a second pipeline spec, a second platform spec, a platform spec without
 * `platforms.kubernetes`. */
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Looks at the documents of a multi-document YAML file the way the KFP API server does when "
    "a pipeline is uploaded (`backend/src/apiserver/template/v2_template.go`, "
    "`NewV2SpecTemplate`): one document must be the pipeline spec (`pipelineInfo.name` and "
    "`root`), at most one may be a PlatformSpec with `platforms.kubernetes`; other documents are "
    "skipped. Reports a second pipeline spec, a second platform spec and a PlatformSpec without "
    "`platforms.kubernetes` (\"did you mean 'kubernetes'?\"). Every pipeline of the file is "
    "still linted by the other rules. A file holding only a PlatformSpec is not reported: such "
    "files are kept beside the pipeline, not uploaded alone.\n\n"
    "## Why is this bad?\n"
    "The upload fails with \"multiple pipeline specs provided\" or \"multiple platform specs "
    "provided\"; a PlatformSpec without "
    "`platforms.kubernetes` is ignored in silence, so none of its secrets, volumes or node "
    "selectors reach the pods.\n\n"
    "## Example\n"
    "```yaml\n"
    "pipelineInfo: {name: train}\n"
    "root: {dag: {tasks: {}}}\n"
    "---\n"
    "platforms:\n"
    "  kubernets:            # did you mean 'kubernetes'? the document is ignored\n"
    "    deploymentSpec: {}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: which document should go, or where it belongs, is the author's call.\n";

/* What the API server's isPipelineSpec needs: a non-empty pipelineInfo.name and a root. */
static bool pipeline_doc(const struct kfp_node *n)
{
    const char *name = kfp_scalar(kfp_deref(kfp_map_get(kfp_map_get(n, "pipelineInfo", NULL), "name", NULL)));
    return name && *name && kfp_map_get(n, "root", NULL);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    /* once per file: the first model sees the whole file (further pipelines see a part) */
    if (!m || m->doc != ctx->doc)
        return;
    const struct kfp_doc *d = ctx->doc;
    const struct kfp_node *first_pipeline = NULL, *first_platform = NULL;
    for (size_t i = 0; i < d->n_roots; i++) {
        const struct kfp_node *r = kfp_deref(d->roots[i]);
        if (!r || r->kind != KFP_NODE_MAP)
            continue;
        const struct kfp_node *pkey = NULL;
        const struct kfp_node *platforms = kfp_map_get(r, "platforms", &pkey);
        if (platforms) {
            if (!kfp_map_get(platforms, "kubernetes", NULL)) {
                struct kfp_suggest s;
                kfp_suggest_init(&s, "kubernetes");
                const struct kfp_node *pl = kfp_deref(platforms);
                const struct kfp_node *near = NULL;
                for (uint32_t k = 0; pl && pl->kind == KFP_NODE_MAP && k < pl->len; k++)
                    if (kfp_scalar(&pl->u.pairs[k].key))
                        kfp_suggest_add(&s, kfp_scalar(&pl->u.pairs[k].key));
                const char *hint = kfp_suggest_result(&s);
                for (uint32_t k = 0; hint && pl && pl->kind == KFP_NODE_MAP && k < pl->len && !near; k++)
                    if (kfp_scalar(&pl->u.pairs[k].key) == hint)
                        near = &pl->u.pairs[k].key;
                if (hint && near)
                    kfp_report_at(ctx, near,
                                  "platform '%s' is not 'kubernetes' (did you mean 'kubernetes'?): "
                                  "the KFP API server ignores a PlatformSpec without "
                                  "platforms.kubernetes, so none of its config is applied", hint);
                else
                    kfp_report_at(ctx, pkey,
                                  "PlatformSpec without platforms.kubernetes: the KFP API server "
                                  "ignores this document, so none of its config is applied");
                continue;
            }
            if (first_platform) {
                struct kfp_finding *f = kfp_report_at(
                    ctx, pkey, "a second platform spec in one file: the KFP API server rejects the "
                               "upload (\"multiple platform specs provided\"); merge it into the "
                               "first");
                kfp_related(ctx, f, first_platform, "the first platform spec");
            } else {
                first_platform = pkey;
            }
            continue;
        }
        if (!pipeline_doc(r))
            continue;
        const struct kfp_node *ikey = NULL;
        kfp_map_get(r, "pipelineInfo", &ikey);
        if (first_pipeline) {
            struct kfp_finding *f = kfp_report_at(
                ctx, ikey, "a second pipeline spec in one file: the KFP API server rejects the "
                           "upload (\"multiple pipeline specs provided\"); put each pipeline in a "
                           "file of its own");
            kfp_related(ctx, f, first_pipeline, "the first pipeline spec");
        } else {
            first_pipeline = ikey;
        }
    }
}

const struct kfp_rule kfp_rule_multi_document = {
    .id = "multi-document",
    .summary = "a YAML file whose documents the KFP API server rejects or ignores",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,upload",
    .doc = doc,
    .check = check,
};
