/* argo_missing_field.c — argo-missing-field: a field Argo requires is absent. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a field an Argo manifest must have: `spec` (`spec.workflowSpec` of a "
    "CronWorkflow); `spec.entrypoint` of a Workflow or CronWorkflow that does not use "
    "`workflowTemplateRef`; a CronWorkflow's `schedules`; the `name` of every template, DAG "
    "task, step, parameter and artifact; what a task or step runs (`template`, `templateRef` "
    "or `inline`); `templateRef.name` and `templateRef.template`; a resource template's "
    "`action` and `manifest` (or `manifestFrom`, whose `artifact.name` is one of the template's "
    "`inputs.artifacts`: `artifact … in manifestFrom refer to a non-exist artifact`); the `expression` of every lifecycle hook but "
    "`exit`; for every Prometheus metric (`metrics.prometheus` of the workflow and of each "
    "template): a `name`, a `help` (`metric '…' must contain a help string under 'help: ' "
    "field`), one of `gauge`, `counter` or `histogram` (with none the controller cannot emit it: "
    "`invalid metric spec`), that type's `value` (`missing gauge.value`, `missing "
    "counter.value`, `missing histogram.value`), a histogram's `buckets` (required by the CRD; "
    "an empty list is reported too) and a `key` and a `value` for every label; in a "
    "Workflow or CronWorkflow, a value (`value`, `default` or `valueFrom`) for every input "
    "parameter of the entrypoint and onExit templates, or a workflow argument of that name "
    "(`inputs.parameters.… was not supplied`: argo validates those templates with "
    "`spec.arguments`; a WorkflowTemplate's inputs may come at submission, so it is not "
    "checked); for every DAG task's and step's arguments, a `value` or `valueFrom` for each "
    "parameter and a `from` (or `fromExpression`), `key` or location (s3, git, http, …) for "
    "each artifact (`validateArgumentsValues`: `… value or … valueFrom is required`, `… from, "
    "artifact location, or key is required`).\n\n"
    "## Why is this bad?\n"
    "`argo lint` and the controller reject the manifest: `spec.entrypoint is required`, "
    "`templates[0].name is required`, `cron workflow must have at least one schedule`, "
    "`resource name is required`, `either … manifest or … manifestFrom must be specified`. "
    "(KFP's upload ignores a missing entrypoint, but the run cannot start.)\n\n"
    "## Example\n"
    "```yaml\n"
    "kind: Workflow\n"
    "spec:                    # no entrypoint\n"
    "  templates: [{name: main, container: {image: alpine:3.19}}]\n"
    "```\n"
    "KFP v1: `tolerations.yaml` of the KFP v1 compiler tests has no `spec.entrypoint`.\n\n"
    "## Fix safety\n"
    "No fix: the value is the author's choice.\n";

/* Reports a mapping without a name; `what` is formatted (printf) only then. */
static void need_name(struct kfp_ctx *ctx, const struct kfp_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void need_name(struct kfp_ctx *ctx, const struct kfp_node *n, const char *fmt, ...)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_MAP)
        return;
    const struct kfp_node *k = NULL;
    const struct kfp_node *v = kfp_map_get(n, "name", &k);
    if (k && kfp_scalar(v) && *kfp_scalar(v) && kfp_scalar_type(v) != KFP_SCALAR_NULL)
        return;
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (!k)
        kfp_report_at(ctx, n, "%s has no name: argo requires one", what);
    else if (!kfp_scalar(v) || !*kfp_scalar(v) || kfp_scalar_type(v) == KFP_SCALAR_NULL)
        kfp_report_at(ctx, v ? v : k, "%s has an empty name: argo requires one", what);
}

static void need_names(struct kfp_ctx *ctx, const struct kfp_node *io, const char *io_name,
                       const char *owner)
{
    static const char *const lists[] = {"parameters", "artifacts"};
    for (size_t l = 0; l < 2; l++) {
        const struct kfp_node *seq = kfp_deref(kfp_map_get(io, lists[l], NULL));
        for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
            need_name(ctx, &seq->u.items[i], "%s.%s[%u] of template '%s'", io_name, lists[l], i, owner);
        }
    }
}

/* Lifecycle hooks other than `exit` run on a condition: they need `expression`. */
static void check_hooks(struct kfp_ctx *ctx, const struct kfp_node *hooks, const char *owner)
{
    hooks = kfp_deref(hooks);
    for (uint32_t i = 0; hooks && hooks->kind == KFP_NODE_MAP && i < hooks->len; i++) {
        const char *k = kfp_scalar(&hooks->u.pairs[i].key);
        if (k && strcmp(k, "exit") != 0 && !kfp_map_get(&hooks->u.pairs[i].value, "expression", NULL))
            kfp_report_at(ctx, &hooks->u.pairs[i].key, "hook '%s' of %s has no expression: argo "
                                                      "requires one for every hook but exit "
                                                      "(hooks.%s Expression required)", k, owner, k);
    }
}

/* The value of `key` of metric type mapping t is absent, null or "" (Argo reads all as ""). */
static bool empty_field(const struct kfp_node *t, const char *key)
{
    const struct kfp_node *v = kfp_deref(kfp_map_get(t, key, NULL));
    if (!v)
        return true;
    if (v->kind != KFP_NODE_SCALAR)
        return false;
    return !v->len || kfp_scalar_type(v) == KFP_SCALAR_NULL;
}

/* Every metric of owner's metrics.prometheus needs `help` (validateTemplate, ValidateWorkflow),
 * one of gauge / counter / histogram (Prometheus.GetMetricType; the controller cannot emit a
 * metric of no type: `invalid metric spec`), that type's `value` (ValidateMetricValues: `missing
 * gauge.value`), a histogram's `buckets`, and every label a `key` and a `value` (MetricLabel:
 * both required by the CRD). */
static void check_metrics(struct kfp_ctx *ctx, const struct kfp_node *owner, const char *where)
{
    static const char *const types[] = {"gauge", "histogram", "counter"};
    const struct kfp_node *seq = kfp_deref(kfp_map_get(kfp_map_get(owner, "metrics", NULL), "prometheus", NULL));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        const struct kfp_node *mt = kfp_deref(&seq->u.items[i]);
        if (!mt || mt->kind != KFP_NODE_MAP)
            continue;
        const struct kfp_node *nn = kfp_map_get(mt, "name", NULL);
        const char *name = kfp_scalar(nn);
        if (!name || !*name || kfp_scalar_type(nn) == KFP_SCALAR_NULL) {
            kfp_report_at(ctx, nn ? nn : mt, "a metric of %s has no name: argo rejects it (metric name "
                                             "'' is invalid); name it, e.g. my_metric_total",
                          where);
            name = "";
        }
        const char *help = kfp_scalar(kfp_map_get(mt, "help", NULL));
        if (!help || !*help)
            kfp_report_at(ctx, nn ? nn : mt, "metric '%s' of %s has no help: argo rejects it (metric "
                                             "must contain a help string under 'help: ' field); say "
                                             "what it measures",
                          name, where);
        bool typed = false;
        for (size_t t = 0; t < 3; t++) {
            const struct kfp_node *tk = NULL;
            const struct kfp_node *tv = kfp_map_get(mt, types[t], &tk);
            if (!tk || !tv || (tv->kind == KFP_NODE_SCALAR && kfp_scalar_type(tv) == KFP_SCALAR_NULL))
                continue;
            typed = true;
            tv = kfp_deref(tv);
            if (!tv || tv->kind != KFP_NODE_MAP)
                continue;
            if (empty_field(tv, "value"))
                kfp_report_at(ctx, tk, "the %s of metric '%s' of %s has no value: argo rejects it "
                                       "(missing %s.value); give the value to record, e.g. value: "
                                       "\"{{duration}}\" or \"1\"",
                              types[t], name, where, types[t]);
            if (t == 1) {
                const struct kfp_node *bk = NULL;
                const struct kfp_node *b = kfp_deref(kfp_map_get(tv, "buckets", &bk));
                if (!bk || !b || (b->kind == KFP_NODE_SCALAR && kfp_scalar_type(b) == KFP_SCALAR_NULL))
                    kfp_report_at(ctx, tk, "the histogram of metric '%s' of %s has no buckets: the "
                                           "Workflow CRD requires them (histogram.buckets); list the "
                                           "bucket boundaries, e.g. buckets: [1, 10, 60]",
                                  name, where);
                else if (b->kind == KFP_NODE_SEQ && b->len == 0)
                    kfp_report_at(ctx, bk, "the histogram of metric '%s' of %s has an empty buckets "
                                           "list: it has no boundaries of yours to count into; list "
                                           "them, e.g. buckets: [1, 10, 60]",
                                  name, where);
            }
        }
        if (!typed)
            kfp_report_at(ctx, nn && *name ? nn : mt,
                          "metric '%s' of %s has no gauge, counter or histogram: argo cannot emit "
                          "it (invalid metric spec); add one, e.g. counter: {value: \"1\"}",
                          name, where);
        const struct kfp_node *labels = kfp_deref(kfp_map_get(mt, "labels", NULL));
        for (uint32_t j = 0; labels && labels->kind == KFP_NODE_SEQ && j < labels->len; j++) {
            const struct kfp_node *lb = kfp_deref(&labels->u.items[j]);
            if (!lb || lb->kind != KFP_NODE_MAP)
                continue;
            static const char *const lk[] = {"key", "value"};
            for (size_t k = 0; k < 2; k++)
                if (!kfp_map_get(lb, lk[k], NULL))
                    kfp_report_at(ctx, lb, "label %u of metric '%s' of %s has no %s: the Workflow CRD "
                                           "requires both key and value (labels[%u].%s: Required value)",
                                  j, name, where, lk[k], j, lk[k]);
        }
    }
}

/* The entrypoint (and onExit) template of a Workflow or CronWorkflow gets its input parameters
 * from spec.arguments (validateTemplateHolder with the workflow's arguments, ProcessArgs): one
 * with no value, default or valueFrom that no argument of that name supplies is "not supplied".
 * An argument of the name counts as supplying it (its value may come at submission). */
static void check_supplied(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, const char *tname,
                           const char *role)
{
    const struct kfp_argo_template *tp = tname ? kfp_strmap_get(&d->by_name, tname) : NULL;
    if (!tp)
        return;
    const struct kfp_node *seq = kfp_deref(kfp_map_get(kfp_map_get(tp->node, "inputs", NULL), "parameters", NULL));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        const struct kfp_node *p = &seq->u.items[i];
        if (kfp_map_get(p, "value", NULL) || kfp_map_get(p, "default", NULL) ||
            kfp_map_get(p, "valueFrom", NULL))
            continue;
        const struct kfp_node *nn = kfp_map_get(p, "name", NULL);
        const char *name = kfp_scalar(nn);
        if (!name || !*name || kfp_strmap_get(&d->param_names, name))
            continue;
        kfp_report_at(ctx, nn, "input parameter '%s' of the %s template '%s' has no value or default, "
                               "and spec.arguments.parameters does not supply it: argo rejects the "
                               "workflow (inputs.parameters.%s was not supplied); give it a default "
                               "or add a workflow argument '%s'",
                      name, role, tname, name, name);
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    const char *kind = kfp_scalar(d->kind_node);
    if (!d->outer_spec) {
        kfp_report_at(ctx, d->kind_node, "this %s has no spec: argo requires one", kind);
        return;
    }
    if (d->kind == KFP_ARGO_CRON_WORKFLOW) {
        const struct kfp_node *k = NULL, *s = kfp_map_get(d->outer_spec, "schedules", &k), *sk = NULL;
        kfp_map_get(d->root, "spec", &sk);
        if ((!s || (s->kind == KFP_NODE_SEQ && s->len == 0)) && !kfp_map_get(d->outer_spec, "schedule", NULL))
            kfp_report_at(ctx, k ? k : sk ? sk : d->kind_node,
                          "this CronWorkflow has no schedules: argo rejects it (cron workflow must "
                          "have at least one schedule); add `schedules: [\"0 * * * *\"]`");
        if (!d->spec) {
            kfp_report_at(ctx, d->kind_node, "this CronWorkflow has no spec.workflowSpec: argo "
                                             "requires the workflow to run");
            return;
        }
    }
    const struct kfp_node *ek = NULL;
    const struct kfp_node *ev = kfp_map_get(d->spec, "entrypoint", &ek);
    if (ev && ev->kind != KFP_NODE_SCALAR)
        kfp_report_at(ctx, ev, "spec.entrypoint must be the name of a template, not a %s",
                      ev->kind == KFP_NODE_SEQ ? "list" : "mapping");
    else if ((d->kind == KFP_ARGO_WORKFLOW || d->kind == KFP_ARGO_CRON_WORKFLOW) && !d->wf_template_ref &&
             !d->entrypoint.name)
        kfp_report_at(ctx, d->spec_key, "spec.entrypoint is missing: argo rejects the %s (spec.entrypoint "
                                        "is required); name the template to run first",
                      kind);
    check_hooks(ctx, kfp_map_get(d->spec, "hooks", NULL), "the workflow");
    check_metrics(ctx, d->spec, "the workflow");
    if ((d->kind == KFP_ARGO_WORKFLOW || d->kind == KFP_ARGO_CRON_WORKFLOW) && !d->wf_template_ref) {
        check_supplied(ctx, d, d->entrypoint.name, "entrypoint");
        if (d->on_exit.name && (!d->entrypoint.name || strcmp(d->on_exit.name, d->entrypoint.name)))
            check_supplied(ctx, d, d->on_exit.name, "onExit");
    }
    const struct kfp_node *params = kfp_deref(d->params);
    for (uint32_t i = 0; params && i < params->len; i++) {
        need_name(ctx, &params->u.items[i], "spec.arguments.parameters[%u]", i);
    }
    const struct kfp_node *ts = kfp_deref(d->templates_node);
    for (uint32_t i = 0; ts && ts->kind == KFP_NODE_SEQ && i < ts->len; i++) {
        need_name(ctx, &ts->u.items[i], "spec.templates[%u]", i);
    }
}

/* validateArgumentsValues (allowEmptyValues false for DAG tasks and steps): a parameter argument
 * has value or valueFrom; an artifact argument has from (or fromExpression), a key or a
 * location. */
static void check_task_args(struct kfp_ctx *ctx, const struct kfp_argo_task *at)
{
    /* fromMulti: a later Argo's (argo-unknown-field warns about it) */
    static const char *const art_src[] = {"from", "fromExpression", "fromMulti", "key", "s3", "git",
                                          "http", "artifactory", "hdfs", "raw", "oss", "gcs",
                                          "azure", "plugin"};
    const struct kfp_task *t = at->task;
    const char *what = at->is_step ? "step" : "task";
    const char *tn = t->key.name ? t->key.name : "";
    for (size_t i = 0; i < t->n_inputs; i++) {
        const struct kfp_node *in = t->inputs[i].node;
        if (!in)
            continue;
        const struct kfp_node *nn = kfp_map_get(in, "name", NULL);
        const char *an = kfp_scalar(nn);
        if (!t->inputs[i].artifact) {
            if (kfp_map_get(in, "value", NULL) || kfp_map_get(in, "valueFrom", NULL))
                continue;
            kfp_report_at(ctx, nn ? nn : in, "argument parameter '%s' of %s '%s' has neither value "
                                             "nor valueFrom: argo rejects it (value or valueFrom "
                                             "is required); give it a value",
                          an ? an : "", what, tn);
            continue;
        }
        bool ok = false;
        for (size_t k = 0; k < sizeof(art_src) / sizeof(art_src[0]) && !ok; k++)
            ok = kfp_map_get(in, art_src[k], NULL) != NULL;
        if (!ok)
            kfp_report_at(ctx, nn ? nn : in, "argument artifact '%s' of %s '%s' has no from, key or "
                                             "location: argo rejects it (from, artifact location, "
                                             "or key is required); say where it comes from, e.g. "
                                             "from: \"{{tasks.X.outputs.artifacts.Y}}\"",
                          an ? an : "", what, tn);
    }
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const char *owner = tp->name.name ? tp->name.name : "";
    need_names(ctx, kfp_map_get(tp->node, "inputs", NULL), "inputs", owner);
    need_names(ctx, kfp_map_get(tp->node, "outputs", NULL), "outputs", owner);
    if (kfp_map_get(tp->node, "metrics", NULL)) {
        char where[300];
        snprintf(where, sizeof(where), "template '%s'", owner);
        check_metrics(ctx, tp->node, where);
    }
    if (tp->type == KFP_ARGO_T_RESOURCE) {
        const struct kfp_node *r = kfp_map_get(tp->node, "resource", NULL);
        if (!kfp_map_get(r, "action", NULL))
            kfp_report_at(ctx, tp->type_key, "resource template '%s' has no action: argo requires "
                                             "one of get, create, apply, delete, replace, patch", owner);
        if (!kfp_map_get(r, "manifest", NULL) && !kfp_map_get(r, "manifestFrom", NULL)) {
            const char *act = kfp_scalar(kfp_map_get(r, "action", NULL));
            if (!act || strcmp(act, "delete") != 0 || !kfp_map_get(r, "flags", NULL))
                kfp_report_at(ctx, tp->type_key, "resource template '%s' has neither manifest nor "
                                                 "manifestFrom: argo requires one", owner);
        }
        /* validateLeaf: manifestFrom.artifact.name names an input artifact of the template. */
        const struct kfp_node *an = kfp_map_get(kfp_map_get(kfp_map_get(r, "manifestFrom", NULL), "artifact", NULL),
                                                "name", NULL);
        const char *as = kfp_scalar(an);
        if (as && !strstr(as, "{{")) {
            const struct kfp_node *arts = kfp_deref(
                kfp_map_get(kfp_map_get(tp->node, "inputs", NULL), "artifacts", NULL));
            bool found = false;
            struct kfp_suggest sg;
            kfp_suggest_init(&sg, as);
            for (uint32_t i = 0; arts && arts->kind == KFP_NODE_SEQ && i < arts->len && !found; i++) {
                const char *nm = kfp_scalar(kfp_map_get(&arts->u.items[i], "name", NULL));
                found = nm && !strcmp(nm, as);
                if (nm)
                    kfp_suggest_add(&sg, nm);
            }
            const char *hint = found ? NULL : kfp_suggest_result(&sg);
            if (!found)
                kfp_report_at(ctx, an, "manifestFrom names artifact '%s', which template '%s' does not "
                                       "have: argo rejects it (refer to a non-exist artifact); %s%s%s",
                              as, owner, hint ? "did you mean '" : "declare it under inputs.artifacts",
                              hint ? hint : "", hint ? "'?" : "");
        }
    }
    for (size_t j = 0; j < tp->n_tasks; j++) {
        const struct kfp_argo_task *at = &tp->tasks[j];
        const char *what = at->is_step ? "step" : "task";
        need_name(ctx, at->task->node, "a %s of template '%s'", what, owner);
        check_task_args(ctx, at);
        if (at->hooks) {
            char o[300];
            snprintf(o, sizeof(o), "%s '%s'", what, at->task->key.name ? at->task->key.name : "");
            check_hooks(ctx, at->hooks, o);
        }
        if (!at->template_name.name && !at->template_ref && !at->inline_tmpl)
            kfp_report_at(ctx, at->task->key.node ? at->task->key.node : at->task->node,
                          "%s '%s' runs nothing: give it a template, templateRef or inline template",
                          what, at->task->key.name ? at->task->key.name : "");
        if (at->template_ref) {
            static const char *const keys[] = {"name", "template"};
            for (size_t k = 0; k < 2; k++) {
                const char *v = kfp_scalar(kfp_map_get(at->template_ref, keys[k], NULL));
                if (!v || !*v)
                    kfp_report_at(ctx, at->template_ref,
                                  "the templateRef of %s '%s' has no %s: argo requires it (%s)", what,
                                  at->task->key.name ? at->task->key.name : "", keys[k],
                                  k ? "template name is required" : "resource name is required");
            }
        }
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_missing_field = {
    .id = "argo-missing-field",
    .summary = "a field Argo requires is missing",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
