/* argo_unknown_field.c — argo-unknown-field: a key the Argo Workflows v4 or Kubernetes type it
 * sits in does not define, at any depth of an Argo manifest (the schema walk of
 * src/argo_walk.c over the generated table src/argo_schema.c). */
#include "kfplint/argo.h"
#include "kfplint/argo_schema.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks every key of an Argo manifest (`Workflow`, `WorkflowTemplate`, "
    "`ClusterWorkflowTemplate`, `CronWorkflow`) against the type it belongs to, at every depth: "
    "the document itself (`apiVersion`, `kind`, `metadata`, `spec`, `status`), `metadata`, the "
    "workflow spec, templates, DAG tasks and steps, parameters and artifacts, and the Kubernetes "
    "types inside them — containers, volumes, volume mounts, affinity, tolerations, resources, "
    "securityContext, probes, `env` with `valueFrom`. The types are Argo Workflows v4's and "
    "Kubernetes' own (generated from their OpenAPI schemas: `tools/gen_argo_schema.py`). Free-form "
    "parts (`withItems`, `plugin`) and the document's `status` are not looked into. Fields "
    "removed in Argo 4.0 that 3.x still accepts are `argo-removed-field`'s. A key that names a "
    "field only when case is ignored (`serviceaccountname`) is a warning: argo's CLI matches keys "
    "as Go's encoding/json does, ignoring case, but Kubernetes' decoder does not. A field Argo "
    "3.x's schema has and 4's does not (a template's `priority`) is a warning too, and so is a "
    "field of a later Argo that Argo's own examples use (`withExpression`, an artifact's "
    "`fromMulti`, `pathMulti` and `artifactRepositoryRef`). A memoization cache's `configMap` "
    "takes 3.x's `key`.\n\n"
    "## Why is this bad?\n"
    "`argo lint` and `argo submit` decode strictly and reject the manifest (`strict decoding "
    "error: unknown field \"…\"`), one key at a time; KFP's upload decodes loosely and silently "
    "drops the key, so a misspelt `dependencies`, `mountPath` or `limits` changes what runs "
    "without a word.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: report\n"
    "  template: report\n"
    "  dependancies: [train]     # dependencies\n"
    "...\n"
    "  container:\n"
    "    volumeMounts:\n"
    "      - name: data\n"
    "        mountpath: /data     # mountPath\n"
    "```\n"
    "KFP v1: a compiled pipeline edited by hand (`argument:` for `arguments:`).\n\n"
    "## Fix safety\n"
    "Renaming a misspelt key to the one close field name is unsafe: it is a guess. Fixing the case "
    "of a key that matches a field ignoring case is safe: argo already reads it as that field.\n";

static void unknown(struct kfp_ctx *ctx, const struct kfp_node *key, uint16_t type,
                    const struct kfp_argo_sfield *near, void *arg)
{
    (void)arg;
    const char *s = kfp_scalar(kfp_deref(key));
    const struct kfp_argo_stype *t = &kfp_argo_schema.types[type];
    if (near && (near->flags & KFP_ARGO_F_NEWER) && !strcmp(s, kfp_argo_schema_str(near->name))) {
        kfp_report_sev(ctx, KFP_SEV_WARNING, key,
                       "field '%s' of %s is not in Argo 4.0's schema: it comes with a later Argo, "
                       "and Argo 4.0 rejects the manifest (strict decoding); make sure the cluster "
                       "runs an Argo that has it", s, kfp_argo_schema_str(t->label));
        return;
    }
    if (near && (near->flags & KFP_ARGO_F_OLDER) && !strcmp(s, kfp_argo_schema_str(near->name))) {
        kfp_report_sev(ctx, KFP_SEV_WARNING, key,
                       "field '%s' of %s is not in Argo 4's schema: Argo 3.x accepts it, Argo 4 "
                       "rejects the manifest (strict decoding); remove it before upgrading", s,
                       kfp_argo_schema_str(t->label));
        return;
    }
    if (near) {
        /* encoding/json matches keys ignoring case: argo's CLI takes it, Kubernetes does not */
        const char *name = kfp_argo_schema_str(near->name);
        struct kfp_finding *f = kfp_report_sev(
            ctx, KFP_SEV_WARNING, key,
            "'%s' matches field '%s' of %s only when case is ignored: argo's CLI accepts it, "
            "but Kubernetes' decoder (kubectl apply, the workflow controller) is case-sensitive "
            "and drops it; write '%s'", s, name, kfp_argo_schema_str(t->label), name);
        kfp_fix_rename(ctx, f, key, name, 1, "fix the case of the field name");
        return;
    }
    struct kfp_suggest sg;
    kfp_suggest_init(&sg, s);
    for (uint16_t i = 0; i < t->n_fields; i++) {
        const struct kfp_argo_sfield *f = &kfp_argo_schema.fields[t->first + i];
        if (!(f->flags & (KFP_ARGO_F_REMOVED | KFP_ARGO_F_OLDER | KFP_ARGO_F_NEWER)))
            kfp_suggest_add(&sg, kfp_argo_schema_str(f->name));
    }
    const char *hint = kfp_suggest_result(&sg);
    struct kfp_finding *f = kfp_report_at(
        ctx, key, "unknown field '%s' in %s: argo rejects it (strict decoding)%s%s%s", s,
        kfp_argo_schema_str(t->label), hint ? "; did you mean '" : "; remove it or check its spelling and indentation",
        hint ? hint : "", hint ? "'?" : "");
    if (hint)
        kfp_fix_rename(ctx, f, key, hint, 0, "rename to the closest field");
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_argo_walk_ops ops = {unknown, NULL, NULL};
    kfp_argo_schema_walk(ctx, &ops);
}

const struct kfp_rule kfp_rule_argo_unknown_field = {
    .id = "argo-unknown-field",
    .summary = "a key the Argo or Kubernetes type it sits in does not define (argo decodes strictly)",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
