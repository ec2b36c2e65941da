/* argo_unknown_volume.c — argo-unknown-volume: a volumeMount names no volume of the workflow,
 * or two mounts of one container share a mountPath. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks every `volumeMounts[].name` of a template's containers (container, script, init "
    "containers, sidecars, containerSet) names a volume of the template's `volumes`, the "
    "workflow's `spec.volumes` or a `spec.volumeClaimTemplates` entry, and that no two mounts "
    "of one container use the same `mountPath`; and (in every kind of document) that no input "
    "artifact of a container template is placed at the `path` of one of the container's "
    "`volumeMounts` or of another input artifact (`validateLeaf`). Templates of a WorkflowTemplate are skipped (the "
    "Workflow that runs them may bring the volumes), and so are workflows that use "
    "`workflowTemplateRef` or `podSpecPatch`.\n\n"
    "## Why is this bad?\n"
    "`argo lint` does not check the name (argoproj/argo-workflows#782, *wontfix*): the pod "
    "fails when it is created, `volume '…' not found in workflow spec` "
    "(kubeflow/pipelines#2828). A repeated mountPath, or an input artifact path on a mount, is "
    "rejected (`mountPath '…' already mounted`, `inputs.artifacts[0].path '…' already mounted "
    "in …`).\n\n"
    "## Example\n"
    "```yaml\n"
    "volumes: [{name: workdir, emptyDir: {}}]\n"
    "…\n"
    "    volumeMounts: [{name: work-dir, mountPath: /work}]\n"
    "```\n"
    "KFP v1: `dsl.VolumeOp` + `add_pvolumes` with a volume renamed by hand.\n\n"
    "## Fix safety\n"
    "Replacing the name with the one close volume name is unsafe: it is a guess.\n";

static int add_names(struct kfp_ctx *ctx, struct kfp_strmap *m, const struct kfp_node *list, bool claim)
{
    list = kfp_deref(list);
    for (uint32_t i = 0; list && list->kind == KFP_NODE_SEQ && i < list->len; i++) {
        const struct kfp_node *v = &list->u.items[i];
        const char *n = kfp_scalar(kfp_map_get(claim ? kfp_map_get(v, "metadata", NULL) : v, "name", NULL));
        if (n && kfp_strmap_put(ctx->scratch, m, n, (void *)n, NULL))
            return KFP_ERR;
    }
    return KFP_OK;
}

static void check_mounts(struct kfp_ctx *ctx, const struct kfp_strmap *vols, const struct kfp_node *mounts,
                         const char *what)
{
    mounts = kfp_deref(mounts);
    if (!mounts || mounts->kind != KFP_NODE_SEQ)
        return;
    struct kfp_strmap paths;
    if (kfp_strmap_init(ctx->scratch, &paths, mounts->len)) {
        ctx->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < mounts->len; i++) {
        const struct kfp_node *mt = &mounts->u.items[i];
        const struct kfp_node *nn = kfp_map_get(mt, "name", NULL);
        const char *n = kfp_scalar(nn);
        if (n && !strstr(n, "{{") && !kfp_strmap_get(vols, n)) {
            const char *hint = kfp_suggest_in(n, vols);
            struct kfp_finding *f = kfp_report_at(
                ctx, nn, "volumeMount '%s' of %s names no volume of the template or workflow (spec.volumes, "
                         "volumeClaimTemplates): the pod fails (volume not found)%s%s%s",
                n, what, hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
            if (hint)
                kfp_fix_rename(ctx, f, nn, hint, 0, "replace with the closest volume name");
        }
        const struct kfp_node *pn = kfp_map_get(mt, "mountPath", NULL);
        const char *p = kfp_scalar(pn);
        if (!p || strstr(p, "{{"))
            continue;
        const struct kfp_node *prev = kfp_strmap_get(&paths, p);
        if (prev) {
            struct kfp_finding *f = kfp_report_at(ctx, pn, "mountPath '%s' of %s is already mounted: "
                                                           "argo rejects it", p, what);
            kfp_related(ctx, f, prev, "first mounted here");
        } else if (kfp_strmap_put(ctx->scratch, &paths, p, (void *)pn, NULL)) {
            ctx->oom = 1;
        }
    }
}

static void check_container(struct kfp_ctx *ctx, const struct kfp_strmap *vols, const struct kfp_node *c,
                            const char *kind, const char *tname)
{
    const struct kfp_node *mounts = kfp_map_get(c, "volumeMounts", NULL);
    if (!mounts)
        return;
    char what[400];
    const char *cn = kfp_scalar(kfp_map_get(c, "name", NULL));
    if (cn)
        snprintf(what, sizeof(what), "%s '%s' of template '%s'", kind, cn, tname);
    else
        snprintf(what, sizeof(what), "the %s of template '%s'", kind, tname);
    check_mounts(ctx, vols, mounts, what);
}

/* validateLeaf: a container template's input artifacts are placed at their `path`, which must
 * not be a mountPath of container.volumeMounts nor the path of another input artifact. Every
 * document kind (argo lint checks WorkflowTemplates too). */
static void check_artifact_paths(struct kfp_ctx *ctx, const struct kfp_argo_template *tp)
{
    const struct kfp_node *c = kfp_map_get(tp->node, "container", NULL);
    const struct kfp_node *arts = kfp_deref(kfp_map_get(kfp_map_get(tp->node, "inputs", NULL), "artifacts", NULL));
    if (!c || c->kind != KFP_NODE_MAP || !arts || arts->kind != KFP_NODE_SEQ || !arts->len)
        return;
    const struct kfp_node *mounts = kfp_deref(kfp_map_get(c, "volumeMounts", NULL));
    uint32_t nm = mounts && mounts->kind == KFP_NODE_SEQ ? mounts->len : 0;
    struct kfp_arena_mark am = kfp_arena_mark(ctx->scratch);
    struct kfp_strmap paths; /* path → the mapping (volumeMount or artifact) that has it */
    if (kfp_strmap_init(ctx->scratch, &paths, nm + arts->len)) {
        ctx->oom = 1;
        kfp_arena_release(ctx->scratch, am);
        return;
    }
    for (uint32_t i = 0; i < nm; i++) {
        const char *p = kfp_scalar(kfp_map_get(&mounts->u.items[i], "mountPath", NULL));
        if (p && *p && !strstr(p, "{{") && !kfp_strmap_get(&paths, p) &&
            kfp_strmap_put(ctx->scratch, &paths, p, (void *)&mounts->u.items[i], NULL)) {
            ctx->oom = 1;
            break;
        }
    }
    const char *tname = tp->name.name ? tp->name.name : "";
    for (uint32_t i = 0; i < arts->len && !ctx->oom; i++) {
        const struct kfp_node *art = &arts->u.items[i];
        const struct kfp_node *pn = kfp_map_get(art, "path", NULL);
        const char *p = kfp_scalar(pn);
        if (!p || !*p || strstr(p, "{{"))
            continue;
        const struct kfp_node *prev = kfp_strmap_get(&paths, p);
        if (!prev) {
            if (kfp_strmap_put(ctx->scratch, &paths, p, (void *)art, NULL))
                ctx->oom = 1;
            continue;
        }
        const char *an = kfp_scalar(kfp_map_get(art, "name", NULL));
        bool is_mount = kfp_map_get(prev, "mountPath", NULL) != NULL;
        const char *pname = kfp_scalar(kfp_map_get(prev, "name", NULL));
        struct kfp_finding *f = kfp_report_at(
            ctx, pn, "input artifact '%s' of template '%s' is placed at '%s', where %s '%s' is "
                     "already %s: argo rejects it (path already mounted); give it another path",
            an ? an : "", tname, p, is_mount ? "volumeMount" : "input artifact", pname ? pname : "",
            is_mount ? "mounted" : "placed");
        kfp_related(ctx, f, kfp_map_get(prev, is_mount ? "mountPath" : "path", NULL),
                    is_mount ? "the volume is mounted here" : "the other artifact is placed here");
    }
    kfp_arena_release(ctx->scratch, am);
}

/* Every mount of the template's containers against the volumes its pod has; the walk releases
 * the map after each template. */
static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    check_artifact_paths(ctx, tp);
    const struct kfp_argo_doc *d = tp->doc;
    if ((d->kind != KFP_ARGO_WORKFLOW && d->kind != KFP_ARGO_CRON_WORKFLOW) || d->wf_template_ref ||
        kfp_map_get(d->spec, "podSpecPatch", NULL) || kfp_map_get(tp->node, "podSpecPatch", NULL))
        return;
    struct kfp_strmap vols;
    if (kfp_strmap_init(ctx->scratch, &vols, 16) ||
        add_names(ctx, &vols, kfp_map_get(d->spec, "volumes", NULL), false) ||
        add_names(ctx, &vols, kfp_map_get(d->spec, "volumeClaimTemplates", NULL), true) ||
        add_names(ctx, &vols, kfp_map_get(tp->node, "volumes", NULL), false)) {
        ctx->oom = 1;
        return;
    }
    const char *tname = tp->name.name ? tp->name.name : "";
    static const char *const single[] = {"container", "script"};
    for (size_t s = 0; s < 2; s++) {
        const struct kfp_node *c = kfp_map_get(tp->node, single[s], NULL);
        if (c && c->kind == KFP_NODE_MAP)
            check_container(ctx, &vols, c, single[s], tname);
    }
    static const struct { const char *list, *kind; } lists[] = {
        {"initContainers", "init container"}, {"sidecars", "sidecar"}};
    for (size_t l = 0; l < 2; l++) {
        const struct kfp_node *seq = kfp_deref(kfp_map_get(tp->node, lists[l].list, NULL));
        for (uint32_t j = 0; seq && seq->kind == KFP_NODE_SEQ && j < seq->len; j++)
            check_container(ctx, &vols, &seq->u.items[j], lists[l].kind, tname);
    }
    const struct kfp_node *cs = kfp_map_get(tp->node, "containerSet", NULL);
    if (cs) {
        char what[300];
        snprintf(what, sizeof(what), "the containerSet of template '%s'", tname);
        check_mounts(ctx, &vols, kfp_map_get(cs, "volumeMounts", NULL), what);
        const struct kfp_node *seq = kfp_deref(kfp_map_get(cs, "containers", NULL));
        for (uint32_t j = 0; seq && seq->kind == KFP_NODE_SEQ && j < seq->len; j++)
            check_container(ctx, &vols, &seq->u.items[j], "container", tname);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, NULL, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_unknown_volume = {
    .id = "argo-unknown-volume",
    .summary = "an Argo volumeMount names no volume, or a mountPath or input artifact path is used twice",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
