/* argo_invalid_name.c — argo-invalid-name: an Argo template, task, step, parameter or artifact
 * name, or a manifest's metadata.name, that argo or Kubernetes rejects. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks names against Argo's patterns (`pkg/apis/workflow/v1alpha1/validation_utils.go`): "
    "templates, DAG tasks and steps `^[a-zA-Z0-9][-a-zA-Z0-9]*$`, at most 128 characters; "
    "parameters and artifacts (inputs, outputs, arguments) `^[-a-zA-Z0-9_]+$`; and a "
    "manifest's `metadata.name` (and `generateName`) is a lower-case RFC 1123 name; an output "
    "parameter's or output artifact's `globalName` follows the parameter pattern "
    "(`validateOutputs`: `….globalName: Parameter/Artifact name must consist of …`; two outputs "
    "with the same `globalName` are not reported: argo accepts them and the last one written "
    "wins). Names "
    "holding a `{{…}}` are left alone. Prometheus metrics (`metrics.prometheus` of the workflow "
    "and of each template): the metric `name` and every label `key` match "
    "`^[a-zA-Z_:][a-zA-Z0-9_:]*$` (`IsValidMetricName`, `ValidateMetricLabels`; Argo 3.6+ also "
    "refuses ':', which older versions take, so ':' is not reported).\n\n"
    "## Why is this bad?\n"
    "`argo lint` rejects the workflow (`… is invalid: name must consist of alpha-numeric "
    "characters or '-', and must start with an alpha-numeric character`, `Parameter/Artifact "
    "name must consist of alpha-numeric characters, '_' or '-'`), and Kubernetes refuses a "
    "`metadata.name` with capitals or underscores. For metrics: `templates.… metric name '…' is "
    "invalid. Metric names must contain alphanumeric characters, '_', or ':'` and `metric "
    "label '…' is invalid: keys may only contain alphanumeric characters, '_', or ':'`.\n\n"
    "## Example\n"
    "```yaml\n"
    "templates:\n"
    "- name: train_model        # '_' is not allowed in a template name\n"
    "```\n"
    "KFP v1 sanitises names when it compiles (`sanitize_k8s_name`); a hand-edited file may not.\n\n"
    "## Fix safety\n"
    "No fix: a name is referenced from elsewhere.\n";

static bool field_name_ok(const char *s, size_t n)
{
    if (!n || n > 128 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static bool param_name_ok(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

static bool k8s_name_ok(const char *s, size_t n, bool prefix)
{
    if (!n || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && c != '-' && c != '.')
            return false;
        if (!alnum && (i == 0 || (!prefix && i == n - 1)))
            return false;
    }
    return true;
}

/* Prometheus's legacy metric and label name pattern [a-zA-Z_:][a-zA-Z0-9_:]*. */
static bool metric_name_ok(const char *s, size_t n)
{
    if (!n || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '_' || s[i] == ':'))
            return false;
    return true;
}

/* The names and label keys of every metric of `owner`'s metrics.prometheus. */
static void metrics(struct kfp_ctx *ctx, const struct kfp_node *owner, const char *where)
{
    const struct kfp_node *seq = kfp_deref(kfp_map_get(kfp_map_get(owner, "metrics", NULL), "prometheus", NULL));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        const struct kfp_node *nn = kfp_map_get(&seq->u.items[i], "name", NULL);
        const char *s = kfp_scalar(nn);
        if (s && *s && !strstr(s, "{{") && !metric_name_ok(s, nn->len)) {
            char sug[130];
            size_t n = 0;
            if (s[0] >= '0' && s[0] <= '9')
                sug[n++] = '_';
            for (size_t c = 0; c < nn->len && n < sizeof(sug) - 1; c++)
                sug[n++] = metric_name_ok(&s[c], 1) || (s[c] >= '0' && s[c] <= '9') ? s[c] : '_';
            sug[n] = 0;
            kfp_report_at(ctx, nn, "metric name '%s' of %s is invalid: argo requires letters, digits, "
                                   "'_' or ':', not starting with a digit (e.g. '%s')",
                          s, where, sug);
        }
        const struct kfp_node *labels = kfp_deref(kfp_map_get(&seq->u.items[i], "labels", NULL));
        for (uint32_t j = 0; labels && labels->kind == KFP_NODE_SEQ && j < labels->len; j++) {
            const struct kfp_node *kn = kfp_map_get(&labels->u.items[j], "key", NULL);
            const char *k = kfp_scalar(kn);
            if (k && !strstr(k, "{{") && !metric_name_ok(k, kn->len))
                kfp_report_at(ctx, kn, "metric label '%s' of %s is invalid: argo requires label keys "
                                       "of letters, digits, '_' or ':', not starting with a digit",
                              k, where);
        }
    }
}

static void field(struct kfp_ctx *ctx, const struct kfp_node *n, const char *what)
{
    const char *s = kfp_scalar(n);
    if (!s || !*s || strstr(s, "{{") || field_name_ok(s, n->len))
        return;
    kfp_report_at(ctx, n, "%s name '%s' is invalid: argo requires alpha-numeric characters or '-', "
                          "starting with an alpha-numeric character, at most 128 (e.g. My-name1-2)",
                  what, s);
}

static void params(struct kfp_ctx *ctx, const struct kfp_node *io, bool outputs)
{
    static const char *const lists[] = {"parameters", "artifacts"};
    for (size_t l = 0; io && l < 2; l++) {
        const struct kfp_node *seq = kfp_deref(kfp_map_get(io, lists[l], NULL));
        for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
            const struct kfp_node *nn = kfp_map_get(&seq->u.items[i], "name", NULL);
            const char *s = kfp_scalar(nn);
            /* validateOutputs: an output parameter's or artifact's globalName (unless it holds a
             * {{…}}) follows the parameter/artifact name pattern. */
            const struct kfp_node *gn = outputs ? kfp_map_get(&seq->u.items[i], "globalName", NULL) : NULL;
            const char *g = kfp_scalar(gn);
            if (g && *g && !strstr(g, "{{") && !param_name_ok(g, gn->len))
                kfp_report_at(ctx, gn, "globalName '%s' of output %s '%s' is invalid: argo rejects "
                                       "it (globalName: name must consist of alpha-numeric "
                                       "characters, '_' or '-'); use e.g. my_%s_1",
                              g, l ? "artifact" : "parameter", s ? s : "", l ? "artifact" : "param");
            if (!s || !*s || strstr(s, "{{") || param_name_ok(s, nn->len))
                continue;
            kfp_report_at(ctx, nn, "%s name '%s' is invalid: argo requires alpha-numeric characters, "
                                   "'_' or '-' (e.g. my_param_1, MY-PARAM-1)",
                          l ? "artifact" : "parameter", s);
        }
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    const struct kfp_node *md = kfp_map_get(d->root, "metadata", NULL);
    static const char *const keys[] = {"name", "generateName"};
    for (size_t k = 0; k < 2; k++) {
        const struct kfp_node *nn = kfp_map_get(md, keys[k], NULL);
        const char *s = kfp_scalar(nn);
        if (s && *s && !strstr(s, "{{") && !k8s_name_ok(s, nn->len, k == 1))
            kfp_report_at(ctx, nn, "metadata.%s '%s' is not a valid Kubernetes name: use lower-case "
                                   "letters, digits, '-' and '.', starting and ending with a letter "
                                   "or digit", keys[k], s);
    }
    params(ctx, kfp_map_get(d->spec, "arguments", NULL), false);
    metrics(ctx, d->spec, "the workflow");
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    field(ctx, tp->name.node, "template");
    params(ctx, kfp_map_get(tp->node, "inputs", NULL), false);
    params(ctx, kfp_map_get(tp->node, "outputs", NULL), true);
    if (kfp_map_get(tp->node, "metrics", NULL)) {
        char where[300];
        snprintf(where, sizeof(where), "template '%s'", tp->name.name ? tp->name.name : "");
        metrics(ctx, tp->node, where);
    }
    for (size_t j = 0; j < tp->n_tasks; j++) {
        const struct kfp_argo_task *at = &tp->tasks[j];
        field(ctx, at->task->key.node, at->is_step ? "step" : "task");
        params(ctx, kfp_map_get(at->task->node, "arguments", NULL), false);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_invalid_name = {
    .id = "argo-invalid-name",
    .summary = "an Argo template, task, step, parameter or manifest name that argo rejects",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
