/* unused_output.c — unused-output: a component output that nothing consumes. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an output declared by a component of a pipeline that no task input, DAG output or "
    "iterator consumes anywhere in the pipeline. Off by default: turn it on with "
    "`rules: {unused-output: note}` in `.kfplint.yaml` or `--select unused-output`.\n\n"
    "Outputs that no task could consume are never reported: the pipeline's own (root) outputs, "
    "stand-alone components, components that no task runs (`unused-component` reports those), "
    "outputs read by the platform rather than by tasks (`gcp_resources` of Google Cloud "
    "components, v1 `mlpipeline-ui-metadata` / `mlpipeline-metrics`), and metrics and "
    "visualisation artifacts the KFP UI renders (`system.Metrics`, `system.ClassificationMetrics`, "
    "`system.SlicedClassificationMetrics`, `system.HTML`, `system.Markdown`, `google.*Metrics`).\n\n"
    "**Argo Workflows**: an output parameter or artifact of a template that a DAG task or step "
    "runs, when no task or step running it has it read — `{{tasks.X.outputs.parameters.Y}}`, "
    "`{{steps.X.outputs.artifacts.Y}}`, the expression forms `tasks['X'].outputs.parameters['Y']` "
    "(in `{{=…}}`, `when`, `valueFrom.expression`), the loop aggregate "
    "`{{tasks.X.outputs.parameters}}` (reads them all), or a dag/steps template's "
    "`outputs.parameters[].valueFrom.parameter` — anywhere in the template that owns X. Not "
    "reported: outputs with a `globalName` (workflow outputs), outputs the template's own "
    "`metrics` read (`{{outputs.parameters.Y}}`), the outputs of the entrypoint and "
    "onExit templates (the run's own), artifacts stored at a location of their own (`s3:`, "
    "`gcs:`, …) or named like an output parameter, templates no task runs (`argo-unused-template` "
    "reports those), and in KFP v1 compiled documents (a `pipelines.kubeflow.org/…` annotation) "
    "what the compiler adds by itself: the artifact copy of every output the UI lists, a "
    "ResourceOp's / VolumeOp's manifest, name and size, `…-subpath` parameters. Only a Workflow's "
    "or CronWorkflow's templates are checked, and those a WorkflowTemplate's or "
    "ClusterWorkflowTemplate's own entrypoint runs: its other templates are a library that other "
    "workflows call through `templateRef`, so who reads their outputs is not in the file. An "
    "unread output artifact is still archived to the artifact repository; give it a location "
    "or a globalName if that is its purpose.\n\n"
    "## Why is this bad?\n"
    "Often harmless (real pipelines have many, mostly terminal outputs of prebuilt components), "
    "which is why this is an opt-in note: but an output nobody reads can be a wiring mistake, "
    "such as a consumer reading a similarly named output of another task.\n\n"
    "## Example\n"
    "```yaml\n"
    "outputDefinitions:\n"
    "  parameters:\n"
    "    accuracy: {parameterType: NUMBER_DOUBLE}    # never consumed\n"
    "```\n"
    "Argo:\n"
    "```yaml\n"
    "- name: prepare\n"
    "  outputs:\n"
    "    parameters:\n"
    "    - {name: rows, valueFrom: {path: /tmp/rows}}        # read: {{tasks.prepare.outputs.parameters.rows}}\n"
    "    - {name: columns, valueFrom: {path: /tmp/columns}}  # note: no task reads it\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

/* True for an output the platform or the UI reads, not a task: no consumer is missing. */
static bool platform_output(const struct kfp_iodef *d)
{
    static const char *const names[] = {"gcp_resources", "mlpipeline-ui-metadata",
                                        "mlpipeline_ui_metadata", "mlpipeline-metrics",
                                        "mlpipeline_metrics"};
    for (size_t i = 0; d->name.name && i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(d->name.name, names[i]))
            return true;
    const char *t = d->artifact ? d->schema_title : NULL;
    if (!t)
        return false;
    static const char *const rendered[] = {"system.Metrics", "system.ClassificationMetrics",
                                           "system.SlicedClassificationMetrics", "system.HTML",
                                           "system.Markdown"};
    for (size_t i = 0; i < sizeof(rendered) / sizeof(rendered[0]); i++)
        if (!strcmp(t, rendered[i]))
            return true;
    size_t n = strlen(t);
    return !strncmp(t, "google.", 7) && n > 7 + 7 && !strcmp(t + n - 7, "Metrics");
}

/* Marks the producer's output that s consumes: used[component index][output index]. */
static void mark(unsigned char **used, size_t n_components, const struct kfp_dag *d,
                 const struct kfp_source_ref *s)
{
    if (s->kind != KFP_SRC_TASK_OUTPUT || !s->producer.name || !s->output.name)
        return;
    const struct kfp_task *p = s->producer_task;
    if (!p || !p->component || p->component->index >= n_components)
        return;
    const struct kfp_iodef *def = s->output_def;
    (void)d;
    if (def)
        used[p->component->index][def - p->component->outputs.items] = 1;
}

/* ------------------------------------------------------------------ Argo */

/* Per template of the file: used[i] for its output i (parameters and artifacts, in the model's
 * definition order), used[n] set when every output counts as read. */
struct argo_out {
    unsigned char **used;
    const struct kfp_argo *x;
};

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* Reads a name at *p: `.NAME` or `['NAME']` / `["NAME"]`. Returns its length (and *name), 0
 * when something else follows. */
static size_t ref_name(const char **p, const char *end, const char **name)
{
    const char *q = *p;
    if (q < end && *q == '.') {
        const char *n = ++q;
        while (q < end && id_char(*q))
            q++;
        if (q == n)
            return 0;
        *name = n;
        *p = q;
        return (size_t)(q - n);
    }
    if (q + 1 < end && *q == '[' && (q[1] == '\'' || q[1] == '"')) {
        const char *n = q + 2, *c = memchr(n, q[1], (size_t)(end - n));
        if (!c || c == n)
            return 0;
        *name = n;
        *p = c + 1 < end && c[1] == ']' ? c + 2 : c + 1;
        return (size_t)(c - n);
    }
    return 0;
}

/* Marks output `name` (kind 0/1, -1 all of that kind, -2 all) of the template run by task t. */
static void mark_task(struct argo_out *o, const struct kfp_argo_template *owner, const struct kfp_task *t,
                      const char *name, size_t len, int kind)
{
    const struct kfp_argo_task *at = &owner->tasks[t->index];
    const struct kfp_argo_template *tg = at->target;
    if (!tg)
        return;
    unsigned char *u = o->used[tg->index];
    const struct kfp_iodefs *outs = &tg->comp->outputs;
    for (size_t i = 0; i < outs->n; i++) {
        const struct kfp_iodef *d = &outs->items[i];
        if (kind == -2 || (d->artifact == (kind == 1 || kind == -3) &&
                           (kind < 0 || (d->name.name && strlen(d->name.name) == len &&
                                         !memcmp(d->name.name, name, len)))))
            u[i] = 1;
    }
}

/* Every read of an output of a task of dag/steps template `owner` in string s:
 * `tasks.X.outputs.parameters.Y`, `steps.X…`, expression forms `tasks['X'].outputs.parameters['Y']`;
 * a form that names no single output reads all of X's (or of every task's). KFP_ERR when out of
 * memory (a task name of 256 bytes or more is looked up through a scratch copy). */
static int scan_reads(struct kfp_ctx *ctx, struct argo_out *o, const struct kfp_argo_template *owner,
                      const char *s, size_t n)
{
    const struct kfp_dag *dag = owner->comp->dag;
    const char *root = owner->type == KFP_ARGO_T_DAG ? "tasks" : "steps";
    const char *end = s + n;
    for (const char *p = s; (p = memmem(p, (size_t)(end - p), root, 5)); p += 5) {
        if (p > s && (id_char(p[-1]) || p[-1] == '.'))
            continue;
        const char *q = p + 5, *tn = NULL;
        size_t tl = ref_name(&q, end, &tn);
        if (!tl) {
            if (q < end && *q == '[') /* tasks[expr]: any task */
                for (size_t i = 0; i < dag->n_tasks; i++)
                    mark_task(o, owner, &dag->tasks[i], NULL, 0, -2);
            continue;
        }
        char buf[256];
        char *key = buf;
        if (tl >= sizeof(buf) && !(key = kfp_arena_strndup(ctx->scratch, tn, tl)))
            return KFP_ERR;
        if (key == buf) {
            memcpy(buf, tn, tl);
            buf[tl] = 0;
        }
        const struct kfp_task *t = kfp_strmap_get(&dag->by_key, key);
        if (!t)
            continue;
        const char *w = NULL;
        size_t wl = ref_name(&q, end, &w);
        if (!wl || wl != 7 || memcmp(w, "outputs", 7)) {
            if (!wl && !(q < end && (*q == '.' || *q == '[')))
                mark_task(o, owner, t, NULL, 0, -2); /* toJson(tasks.X): everything */
            continue;
        }
        wl = ref_name(&q, end, &w);
        int kind = wl == 10 && !memcmp(w, "parameters", 10) ? 0 : wl == 9 && !memcmp(w, "artifacts", 9) ? 1 : -1;
        if (kind < 0) {
            if (!wl)
                mark_task(o, owner, t, NULL, 0, -2); /* tasks.X.outputs as a whole */
            continue;
        }
        const char *y = NULL;
        size_t yl = ref_name(&q, end, &y);
        if (yl)
            mark_task(o, owner, t, y, yl, kind);
        else
            mark_task(o, owner, t, NULL, 0, kind ? -3 : -1); /* the aggregate of a loop */
    }
    return KFP_OK;
}

struct scan_arg {
    struct argo_out *o;
    const struct kfp_argo_template *owner;
};

static int scan_scalar(struct kfp_ctx *ctx, const struct kfp_node *n, void *arg)
{
    const struct scan_arg *sa = arg;
    return n->len > 5 ? scan_reads(ctx, sa->o, sa->owner, n->u.str, n->len) : KFP_OK;
}

/* Scans every key and scalar of the dag/steps template `owner` for reads (aliases followed
 * within a budget: when it runs out, every output of its tasks counts as read). */
static int scan_owner(struct kfp_ctx *ctx, struct argo_out *o, const struct kfp_argo_template *owner)
{
    struct scan_arg sa = {o, owner};
    int st = kfp_each_scalar(ctx, owner->node, 1000000, scan_scalar, &sa);
    if (st == 1)
        for (size_t i = 0; i < owner->comp->dag->n_tasks; i++)
            mark_task(o, owner, &owner->comp->dag->tasks[i], NULL, 0, -2);
    return st == KFP_ERR ? KFP_ERR : KFP_OK;
}

/* An output read by something other than a task: one with a globalName (a workflow output),
 * an artifact stored at a location of its own, an artifact of the name of an output parameter,
 * and in KFP v1 compiled documents what the compiler adds (below). */
static bool argo_exported(const struct kfp_argo_template *tp, const struct kfp_iodef *d, bool kfp_v1)
{
    const struct kfp_iodefs *outs = &tp->comp->outputs;
    if (kfp_map_get(d->node, "globalName", NULL) || kfp_map_get(d->node, "emitMetric", NULL))
        return true;
    /* KFP v1's compiler adds outputs of its own: every output as an artifact too (the UI lists
     * them), a ResourceOp's / VolumeOp's manifest, name and size, and the `-subpath` of an
     * artifact passed through a volume */
    if (kfp_v1 && (d->artifact || tp->type == KFP_ARGO_T_RESOURCE))
        return true;
    size_t nl = strlen(d->name.name);
    if (kfp_v1 && nl > 8 && !strcmp(d->name.name + nl - 8, "-subpath"))
        return true;
    if (!d->artifact)
        return false;
    if (!strcmp(d->name.name, "mlpipeline-ui-metadata") || !strcmp(d->name.name, "mlpipeline-metrics"))
        return true;
    static const char *const locs[] = {"s3", "gcs", "oss", "azure", "hdfs", "artifactory", "http",
                                       "git", "raw", "plugin", "huggingface"};
    for (size_t i = 0; i < sizeof(locs) / sizeof(locs[0]); i++)
        if (kfp_map_get(d->node, locs[i], NULL))
            return true;
    return kfp_iodefs_find(outs, d->name.name, 0) != NULL;
}

/* A document KFP v1's compiler wrote: a `pipelines.kubeflow.org/…` annotation. */
static bool kfp_v1_doc(const struct kfp_argo_doc *d)
{
    const struct kfp_node *an = kfp_deref(kfp_map_get(kfp_map_get(d->root, "metadata", NULL), "annotations", NULL));
    for (uint32_t i = 0; an && an->kind == KFP_NODE_MAP && i < an->len; i++) {
        const char *k = kfp_scalar(&an->u.pairs[i].key);
        if (k && !strncmp(k, "pipelines.kubeflow.org/", 23))
            return true;
    }
    return false;
}

/* The template's own metrics read its outputs (`{{outputs.parameters.Y}}` in a value, label or
 * `when`): marks them, all of them for a form naming none. Linear in the metrics. */
static void own_metric_reads(const struct kfp_argo_template *tp, unsigned char *used)
{
    const struct kfp_node *seq = kfp_deref(kfp_map_get(kfp_map_get(tp->node, "metrics", NULL), "prometheus", NULL));
    const struct kfp_iodefs *outs = &tp->comp->outputs;
    const struct kfp_node *stack[64];
    size_t sp = 0;
    if (seq)
        stack[sp++] = seq;
    while (sp) {
        const struct kfp_node *n = kfp_deref(stack[--sp]);
        if (!n)
            continue;
        if (n->kind == KFP_NODE_SEQ || n->kind == KFP_NODE_MAP) {
            for (uint32_t i = 0; i < n->len; i++) {
                const struct kfp_node *c = n->kind == KFP_NODE_SEQ ? &n->u.items[i] : &n->u.pairs[i].value;
                if (sp < sizeof(stack) / sizeof(stack[0]))
                    stack[sp++] = c;
                else
                    used[outs->n] = 1; /* deeper than metrics go: count all as read */
            }
            continue;
        }
        if (n->kind != KFP_NODE_SCALAR)
            continue;
        const char *s = n->u.str, *end = s + n->len;
        for (const char *p = s; (p = memmem(p, (size_t)(end - p), "outputs.", 8)); p += 8) {
            const char *q = p + 7, *w = NULL;
            size_t wl = ref_name(&q, end, &w);
            int kind = wl == 10 && !memcmp(w, "parameters", 10) ? 0 : wl == 9 && !memcmp(w, "artifacts", 9) ? 1 : -1;
            if (kind < 0)
                continue;
            const char *y = NULL;
            size_t yl = ref_name(&q, end, &y);
            for (size_t i = 0; i < outs->n; i++) {
                const struct kfp_iodef *d = &outs->items[i];
                if (d->artifact == kind && (!yl || (d->name.name && strlen(d->name.name) == yl &&
                                                    !memcmp(d->name.name, y, yl))))
                    used[i] = 1;
            }
        }
    }
}

/* Marks the templates reachable from `from` through the tasks' templates (iterative). */
static int reach(struct kfp_ctx *ctx, const struct kfp_argo_template *from, unsigned char *seen)
{
    struct kfp_vec stack = {0};
    if (!from || seen[from->index])
        return KFP_OK;
    seen[from->index] = 1;
    if (kfp_vec_push(ctx->scratch, &stack, (void *)from))
        return KFP_ERR;
    while (stack.len) {
        const struct kfp_argo_template *t = stack.items[--stack.len];
        for (size_t i = 0; i < t->n_tasks; i++) {
            const struct kfp_argo_template *g = t->tasks[i].target;
            if (g && !seen[g->index]) {
                seen[g->index] = 1;
                if (kfp_vec_push(ctx->scratch, &stack, (void *)g))
                    return KFP_ERR;
            }
        }
    }
    return KFP_OK;
}

static void check_argo(struct kfp_ctx *ctx, const struct kfp_argo *x)
{
    size_t nt = x->n_templates;
    struct argo_out o = {kfp_arena_calloc(ctx->scratch, nt ? nt : 1, sizeof(*o.used)), x};
    unsigned char *run = kfp_arena_calloc(ctx->scratch, nt ? nt : 1, 1);   /* run by a task */
    unsigned char *live = kfp_arena_calloc(ctx->scratch, nt ? nt : 1, 1);  /* owner counts */
    if (!o.used || !run || !live)
        goto nomem;
    for (size_t i = 0; i < nt; i++)
        if (!(o.used[i] = kfp_arena_calloc(ctx->scratch, x->templates[i]->comp->outputs.n + 1, 1)))
            goto nomem;
    for (size_t di = 0; di < x->n_docs; di++) {
        const struct kfp_argo_doc *d = &x->docs[di];
        const struct kfp_argo_template *ep = d->entrypoint.name ? kfp_strmap_get(&d->by_name, d->entrypoint.name) : NULL;
        if (d->kind == KFP_ARGO_WORKFLOW || d->kind == KFP_ARGO_CRON_WORKFLOW) {
            for (size_t i = 0; i < d->n_templates; i++)
                live[d->templates[i]->index] = 1;
        } else if (reach(ctx, ep, live)) { /* a (Cluster)WorkflowTemplate: what its entrypoint runs */
            goto nomem;
        }
        /* the entrypoint's and onExit's outputs are the run's own */
        const struct kfp_argo_template *ex = d->on_exit.name ? kfp_strmap_get(&d->by_name, d->on_exit.name) : NULL;
        if (ep)
            o.used[ep->index][ep->comp->outputs.n] = 1;
        if (ex)
            o.used[ex->index][ex->comp->outputs.n] = 1;
    }
    for (size_t i = 0; i < nt; i++) {
        const struct kfp_argo_template *tp = x->templates[i];
        if (!live[i] || !tp->comp->dag)
            continue;
        for (size_t k = 0; k < tp->n_tasks; k++)
            if (tp->tasks[k].target)
                run[tp->tasks[k].target->index] = 1;
        if (scan_owner(ctx, &o, tp))
            goto nomem;
    }
    for (size_t i = 0; i < nt; i++) {
        const struct kfp_argo_template *tp = x->templates[i];
        const struct kfp_iodefs *outs = &tp->comp->outputs;
        if (!run[i] || !live[i] || o.used[i][outs->n])
            continue;
        own_metric_reads(tp, o.used[i]);
        if (o.used[i][outs->n])
            continue;
        const char *tn = tp->name.name ? tp->name.name : "";
        bool v1 = kfp_v1_doc(tp->doc);
        for (size_t k = 0; k < outs->n; k++) {
            const struct kfp_iodef *d = &outs->items[k];
            if (o.used[i][k] || !d->name.name || argo_exported(tp, d, v1))
                continue;
            const char *what = d->artifact ? "artifacts" : "parameters";
            kfp_report_at(ctx, d->name.node,
                          "output %s '%s' of template '%s' is never read: no task or step that runs "
                          "it reads {{tasks.<name>.outputs.%s.%s}} (or steps.…), it has no "
                          "globalName and the template is not the entrypoint; read it, export it "
                          "with globalName, or remove it%s",
                          d->artifact ? "artifact" : "parameter", d->name.name, tn, what, d->name.name,
                          d->artifact ? " (if it is kept only to land in the artifact repository, "
                                        "say so with a globalName or its own location, e.g. s3.key)"
                                      : "");
        }
    }
    return;
nomem:
    ctx->oom = 1;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (m && m->kind == KFP_DOC_ARGO && m->argo) {
        check_argo(ctx, m->argo);
        return;
    }
    if (!m || !m->spec || m->kind == KFP_DOC_COMPONENT_IR)
        return;
    size_t nc = m->n_components;
    unsigned char **used = kfp_arena_alloc(ctx->scratch, (nc ? nc : 1) * sizeof(*used));
    if (!used) {
        ctx->oom = 1;
        return;
    }
    for (size_t ci = 0; ci < nc; ci++) {
        used[ci] = kfp_arena_calloc(ctx->scratch, m->components[ci]->outputs.n + 1, 1);
        if (!used[ci]) {
            ctx->oom = 1;
            return;
        }
    }
    /* used[ci][outputs.n]: some task runs the component (else no output of it can be read) */
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            if (t->component && t->component->index < nc)
                used[t->component->index][t->component->outputs.n] = 1;
            for (size_t i = 0; i < t->n_inputs; i++)
                mark(used, nc, d, &t->inputs[i].src);
            for (size_t i = 0; i < t->n_platform_srcs; i++)
                mark(used, nc, d, &t->platform_srcs[i]);
        }
        for (size_t oi = 0; oi < d->n_outputs; oi++)
            for (size_t i = 0; i < d->outputs[oi].n_sels; i++)
                mark(used, nc, d, &d->outputs[oi].sels[i]);
    }
    for (size_t ci = 0; ci < nc; ci++) {
        const struct kfp_component *c = m->components[ci];
        if (!used[ci][c->outputs.n])
            continue;
        for (size_t i = 0; i < c->outputs.n; i++)
            if (!used[ci][i] && !platform_output(&c->outputs.items[i]))
                kfp_report_at(ctx, c->outputs.items[i].name.node,
                              "output '%s' of component '%s' is never consumed by any task or DAG output",
                              c->outputs.items[i].name.name, c->key.name ? c->key.name : "");
    }
}

const struct kfp_rule kfp_rule_unused_output = {
    .id = "unused-output",
    .summary = "a component output that no task or DAG output consumes",
    .severity = KFP_SEV_NOTE,
    .off_by_default = true,
    .tags = "maintainability,graph",
    .doc = doc,
    .check = check,
};
