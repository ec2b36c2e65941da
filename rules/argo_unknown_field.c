/* argo_unknown_field.c — argo-unknown-field: a key Argo's schema does not define, in the parts
 * of an Argo manifest whose keys are small and fixed (DAG tasks, steps, parameters, …). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks the keys of the parts of an Argo manifest whose fields are few and fixed, against "
    "Argo's types (`pkg/apis/workflow/v1alpha1/workflow_types.go`): the document itself "
    "(`apiVersion`, `kind`, `metadata`, `spec`, `status`), DAG tasks and steps, `dag`, "
    "`arguments` / `inputs` / `outputs`, parameters, `valueFrom`, `withSequence`, `templateRef` "
    "and `continueOn`, where every unknown key is reported with a did-you-mean when one is "
    "close. In the larger structs — the workflow spec, templates and containers (container, "
    "script, init containers, sidecars, containerSet) — only a key that is a near miss of a known "
    "field is reported: a field a later Argo or Kubernetes version added is not. Fields removed "
    "in Argo 4.0 are `argo-removed-field`'s.\n\n"
    "## Why is this bad?\n"
    "`argo lint` decodes strictly and rejects the manifest (`strict decoding error: unknown "
    "field \"…\"`); KFP's upload decodes loosely and silently drops the key, so a misspelt "
    "`dependencies` or `when` changes what runs without a word.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: report\n"
    "  template: report\n"
    "  dependancies: [train]     # dependencies\n"
    "```\n"
    "KFP v1: a compiled pipeline edited by hand (`argument:` for `arguments:`).\n\n"
    "## Fix safety\n"
    "Renaming a misspelt key to the one close field name is unsafe: it is a guess.\n";

static const char *const k_doc[] = {"apiVersion", "kind", "metadata", "spec", "status", NULL};
static const char *const k_task[] = {"name", "template", "inline", "arguments", "templateRef",
                                     "dependencies", "withItems", "withParam", "withSequence", "when",
                                     "continueOn", "onExit", "depends", "hooks", NULL};
static const char *const k_step[] = {"name", "template", "inline", "arguments", "templateRef",
                                     "withItems", "withParam", "withSequence", "when", "continueOn",
                                     "onExit", "hooks", NULL};
static const char *const k_dag[] = {"target", "tasks", "failFast", NULL};
static const char *const k_io[] = {"parameters", "artifacts", NULL};
static const char *const k_outputs[] = {"parameters", "artifacts", "result", "exitCode", NULL};
static const char *const k_param[] = {"name", "value", "default", "valueFrom", "enum", "globalName",
                                      "description", NULL};
static const char *const k_value_from[] = {"path", "jsonPath", "jqFilter", "parameter", "expression",
                                           "event", "supplied", "configMapKeyRef", "default", NULL};
static const char *const k_sequence[] = {"count", "start", "end", "format", NULL};
static const char *const k_template_ref[] = {"name", "template", "clusterScope", NULL};
static const char *const k_continue_on[] = {"error", "failed", NULL};
/* Larger structs, checked for near misses only (a key close to one of these and equal to none):
 * a field added by a later Argo or Kubernetes version is not close to a known one by chance. */
static const char *const k_spec[] = {
    "templates", "entrypoint", "arguments", "serviceAccountName", "automountServiceAccountToken",
    "executor", "volumes", "volumeClaimTemplates", "parallelism", "artifactRepositoryRef", "suspend",
    "nodeSelector", "affinity", "tolerations", "imagePullSecrets", "hostNetwork", "dnsPolicy",
    "dnsConfig", "onExit", "ttlStrategy", "activeDeadlineSeconds", "priority", "schedulerName",
    "podGC", "podPriorityClassName", "podPriority", "hostAliases", "securityContext", "podSpecPatch",
    "podDisruptionBudget", "metrics", "shutdown", "workflowTemplateRef", "synchronization",
    "volumeClaimGC", "retryStrategy", "podMetadata", "templateDefaults", "archiveLogs", "hooks",
    "workflowMetadata", "artifactGC", "podResources", "resourceClaims", "ttlSecondsAfterFinished", NULL};
static const char *const k_template[] = {
    "name", "inputs", "outputs", "nodeSelector", "affinity", "metadata", "daemon", "steps",
    "container", "containerSet", "script", "resource", "dag", "suspend", "data", "http", "plugin",
    "volumes", "initContainers", "sidecars", "archiveLocation", "activeDeadlineSeconds",
    "retryStrategy", "parallelism", "failFast", "tolerations", "schedulerName", "priorityClassName",
    "priority", "podPriority", "serviceAccountName", "automountServiceAccountToken", "executor",
    "hostAliases", "securityContext", "podSpecPatch", "metrics", "synchronization", "memoize",
    "timeout", "pendingTimeout", "podResources", "resourceClaims", "arguments", "template",
    "templateRef", NULL};
static const char *const k_container[] = {
    "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources",
    "resizePolicy", "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe",
    "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath",
    "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
    "source", "mirrorVolumeMounts", "dependencies", NULL};

static void check_keys_mode(struct kfp_ctx *ctx, const struct kfp_node *m, const char *const *keys,
                            const char *what, bool near_only)
{
    m = kfp_deref(m);
    if (!m || m->kind != KFP_NODE_MAP)
        return;
    for (uint32_t i = 0; i < m->len; i++) {
        const struct kfp_node *k = &m->u.pairs[i].key;
        const char *s = kfp_scalar(k);
        if (!s)
            continue;
        bool known = false;
        for (const char *const *p = keys; *p && !known; p++)
            known = !strcmp(*p, s);
        if (known)
            continue;
        struct kfp_suggest sg;
        kfp_suggest_init(&sg, s);
        for (const char *const *p = keys; *p; p++)
            kfp_suggest_add(&sg, *p);
        const char *hint = kfp_suggest_result(&sg);
        if (near_only && !hint)
            continue;
        struct kfp_finding *f = kfp_report_at(
            ctx, k, "unknown field '%s' in %s: argo rejects it (strict decoding)%s%s%s", s, what,
            hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
        if (hint)
            kfp_fix_rename(ctx, f, k, hint, 0, "rename to the closest field");
    }
}

static void check_keys(struct kfp_ctx *ctx, const struct kfp_node *m, const char *const *keys,
                       const char *what)
{
    check_keys_mode(ctx, m, keys, what, false);
}

static void check_container_list(struct kfp_ctx *ctx, const struct kfp_node *list, const char *what)
{
    list = kfp_deref(list);
    for (uint32_t i = 0; list && list->kind == KFP_NODE_SEQ && i < list->len; i++)
        check_keys_mode(ctx, &list->u.items[i], k_container, what, true);
}

static void check_params(struct kfp_ctx *ctx, const struct kfp_node *list, const char *what)
{
    list = kfp_deref(list);
    for (uint32_t i = 0; list && list->kind == KFP_NODE_SEQ && i < list->len; i++) {
        const struct kfp_node *p = &list->u.items[i];
        check_keys(ctx, p, k_param, what);
        check_keys(ctx, kfp_map_get(p, "valueFrom", NULL), k_value_from, "a parameter's valueFrom");
    }
}

static void check_io(struct kfp_ctx *ctx, const struct kfp_node *io, const char *const *keys,
                     const char *what, const char *param_what)
{
    if (!io)
        return;
    check_keys(ctx, io, keys, what);
    check_params(ctx, kfp_map_get(io, "parameters", NULL), param_what);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->argo)
        return;
    for (size_t i = 0; i < m->argo->n_docs; i++) {
        const struct kfp_argo_doc *d = &m->argo->docs[i];
        char what[64];
        snprintf(what, sizeof(what), "the %s", kfp_scalar(d->kind_node));
        check_keys(ctx, d->root, k_doc, what);
        check_keys_mode(ctx, d->spec, k_spec, "the workflow spec", true);
        check_io(ctx, kfp_map_get(d->spec, "arguments", NULL), k_io, "spec.arguments", "a workflow parameter");
    }
    for (size_t i = 0; i < m->argo->n_templates; i++) {
        const struct kfp_argo_template *tp = m->argo->templates[i];
        check_keys_mode(ctx, tp->node, k_template, "a template", true);
        check_keys_mode(ctx, kfp_map_get(tp->node, "container", NULL), k_container, "a container", true);
        check_keys_mode(ctx, kfp_map_get(tp->node, "script", NULL), k_container, "a script", true);
        check_container_list(ctx, kfp_map_get(tp->node, "initContainers", NULL), "an init container");
        check_container_list(ctx, kfp_map_get(tp->node, "sidecars", NULL), "a sidecar");
        check_container_list(ctx, kfp_map_get(kfp_map_get(tp->node, "containerSet", NULL), "containers", NULL),
                             "a containerSet container");
        check_io(ctx, kfp_map_get(tp->node, "inputs", NULL), k_io, "a template's inputs", "an input parameter");
        check_io(ctx, kfp_map_get(tp->node, "outputs", NULL), k_outputs, "a template's outputs",
                 "an output parameter");
        if (tp->type == KFP_ARGO_T_DAG)
            check_keys(ctx, kfp_map_get(tp->node, "dag", NULL), k_dag, "a dag");
        for (size_t j = 0; j < tp->n_tasks; j++) {
            const struct kfp_argo_task *at = &tp->tasks[j];
            const struct kfp_node *tn = at->task->node;
            check_keys(ctx, tn, at->is_step ? k_step : k_task, at->is_step ? "a step" : "a DAG task");
            check_io(ctx, kfp_map_get(tn, "arguments", NULL), k_io, "a task's arguments", "an argument");
            check_keys(ctx, at->with_sequence, k_sequence, "withSequence");
            check_keys(ctx, at->template_ref, k_template_ref, "templateRef");
            check_keys(ctx, kfp_map_get(tn, "continueOn", NULL), k_continue_on, "continueOn");
        }
    }
}

const struct kfp_rule kfp_rule_argo_unknown_field = {
    .id = "argo-unknown-field",
    .summary = "a key Argo does not define in a DAG task, step, parameter or other fixed part",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
