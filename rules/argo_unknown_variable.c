/* argo_unknown_variable.c — argo-unknown-variable: an Argo `{{…}}` tag that does not resolve in
 * its scope (the checks of argo lint's `failed to resolve {{…}}` and the roots it skips). */
#include "kfplint/argo.h"
#include "kfplint/expr.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks each `{{…}}` tag of an Argo manifest against the variables of its scope, the way "
    "Argo's validator fills them (`workflow/validate/validate.go`):\n\n"
    "- `{{inputs.parameters.p}}` / `{{inputs.artifacts.a}}` outside task arguments and "
    "container fields (those are `unknown-input`'s), `{{outputs.parameters.p}}` / "
    "`{{outputs.artifacts.a}}`: the template declares the name;\n"
    "- `{{workflow.parameters.p}}`: `spec.arguments.parameters` declares it (any name in a "
    "WorkflowTemplate, which a Workflow fills; `workflow.parameters.json`, all parameters as "
    "JSON, always resolves, in a tag or an expression); `{{workflow.x}}`: `x` is a workflow "
    "variable (`workflow.failures` only where an exit handler can run: a Workflow or "
    "CronWorkflow without `spec.onExit` has none);\n"
    "- `{{workflow.outputs.parameters.g}}` / `{{workflow.outputs.artifacts.g}}`: an output of "
    "some template declares `globalName: g` (in a Workflow or CronWorkflow whose templates are "
    "all its own: no `workflowTemplateRef`, no `templateRef`);\n"
    "- `{{item}}` / `{{item.k}}`: only in a task or step with `withItems`, `withParam` or "
    "`withSequence`, and `k` is a key of the `withItems` maps;\n"
    "- `{{pod.name}}`: only in a template that runs a pod;\n"
    "- `{{tasks.X.…}}` / `{{steps.X.…}}`: only in a DAG / steps template; `outputs.result` "
    "and `exitCode` only of a template that has them; artifacts the template declares (the "
    "task name and parameter outputs are `unknown-task`'s and `unknown-output`'s);\n"
    "- a `{{` with no `}}` in a template;\n"
    "- roots `argo lint` skips silently but that are a typo of one it knows (`{{input.…}}`, "
    "`{{workflows.…}}`, `{{task.…}}`): a did-you-mean;\n"
    "- KFP v1 `{{pipelineparam:op=…;name=…}}` left by the compiler.\n\n"
    "In an expression `{{=…}}` the paths `inputs.parameters.x` / `inputs.parameters['x']`, "
    "`inputs.artifacts.x`, `workflow.parameters.x` and `tasks.X` / `steps.X` are checked the same "
    "way (and `inputs.parameters.a-b`, which expr reads as a subtraction, gets the bracket form); "
    "the syntax of the expression is `argo-invalid-expression`'s. `{{retries}}`, `{{lastRetry.*}}`, "
    "`{{node.name}}`, `{{cronworkflow.*}}` and tags of other tools (`{{ .Values.x }}`) are not "
    "checked.\n\n"
    "## Why is this bad?\n"
    "`argo lint` rejects most of these (`failed to resolve {{…}}`); the others pass it and "
    "reach the container as literal text, e.g. `{{input.parameters.x}}`.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: print\n"
    "  inputs: {parameters: [{name: message}]}\n"
    "  container: {image: alpine:3.19, args: ['{{input.parameters.message}}']}   # inputs\n"
    "```\n"
    "KFP v1: `{{pipelineparam:op=train;name=model}}` in a compiled file (the compiler's "
    "\"Found unresolved PipelineParam\").\n\n"
    "## Fix safety\n"
    "Replacing a misspelt root or name with the one close candidate is unsafe: it is a "
    "guess.\n";

static const char *const roots[] = {"item", "inputs", "outputs", "pod", "workflow", "tasks",
                                    "steps", "node", "retries", "lastRetry", "cronworkflow"};

static const char *const workflow_keys[] = {
    "name", "namespace", "uid", "mainEntrypoint", "serviceAccountName", "status", "priority",
    "failures", "duration", "creationTimestamp", "scheduledTime", "parameters", "annotations",
    "labels", "outputs",
};

static size_t seg(const char *p, const char *end)
{
    const char *d = memchr(p, '.', (size_t)(end - p));
    return d ? (size_t)(d - p) : (size_t)(end - p);
}

static bool is(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

static char *dup(struct kfp_ctx *ctx, const char *p, size_t n)
{
    char *s = kfp_arena_strndup(ctx->scratch, p, n);
    if (!s)
        ctx->oom = 1;
    return s;
}

/* Reports at the piece [p, p+n) of v's text (exact when the tag is), with an optional
 * did-you-mean fix replacing that piece. */
static void report_piece(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const char *p, size_t n,
                         const char *hint, const char *msg)
{
    struct kfp_span sp = v->span;
    if (v->exact) {
        sp.start = v->span.start + v->text_off + (uint32_t)(p - v->text);
        sp.end = sp.start + (uint32_t)n;
    }
    struct kfp_finding *f = kfp_report(ctx, sp, "%s", msg);
    if (f && hint && v->exact) {
        char title[300];
        snprintf(title, sizeof(title), "replace with '%s'", hint);
        kfp_fix_replace(ctx, f, 0, sp.start, sp.end, hint, title);
    }
}

static bool pod_type(int t)
{
    return t == KFP_ARGO_T_CONTAINER || t == KFP_ARGO_T_SCRIPT || t == KFP_ARGO_T_RESOURCE ||
           t == KFP_ARGO_T_CONTAINER_SET || t == KFP_ARGO_T_DATA;
}

static bool has_output(int t)
{
    return t == KFP_ARGO_T_CONTAINER || t == KFP_ARGO_T_SCRIPT || t == KFP_ARGO_T_CONTAINER_SET ||
           t == KFP_ARGO_T_DATA || t == KFP_ARGO_T_HTTP || t == KFP_ARGO_T_PLUGIN;
}

/* {{inputs.…}} / {{outputs.…}} against the template's definitions. */
static void check_io(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const char *p, const char *end,
                     bool out)
{
    const struct kfp_argo_template *tp = v->tmpl;
    const struct kfp_iodefs *d = out ? &tp->comp->outputs : &tp->comp->inputs;
    const char *k = p + (out ? 8 : 7);
    if (k >= end)
        return;
    size_t kl = seg(k, end);
    int artifact = is(k, kl, "parameters") ? 0 : is(k, kl, "artifacts") ? 1 : -1;
    if (artifact < 0) {
        if (out && (is(k, kl, "result") || is(k, kl, "exitCode")))
            return;
        char msg[400];
        snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: expected %s.parameters.<name> or %s.artifacts.<name>",
                 (int)v->len, v->text, out ? "outputs" : "inputs", out ? "outputs" : "inputs");
        report_piece(ctx, v, k, kl, NULL, msg);
        return;
    }
    const char *n = k + kl + 1;
    if (n >= end)
        return; /* {{inputs.parameters}}: the list as JSON */
    size_t nl = seg(n, end);
    char *name = dup(ctx, n, nl);
    if (!name || kfp_iodefs_find(d, name, artifact))
        return;
    struct kfp_suggest sg;
    kfp_suggest_init(&sg, name);
    kfp_suggest_iodefs(&sg, d, artifact);
    const char *hint = kfp_suggest_result(&sg);
    char msg[600];
    snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: template '%s' declares no %s %s '%s'%s%s%s",
             (int)v->len, v->text, tp->name.name ? tp->name.name : "", out ? "output" : "input",
             artifact ? "artifact" : "parameter", name, hint ? ": did you mean '" : "",
             hint ? hint : "", hint ? "'?" : "");
    report_piece(ctx, v, n, nl, hint, msg);
}

/* The global outputs of one document: the globalName of every output parameter and artifact of
 * its templates (argo's validator adds workflow.outputs.parameters.<g> / .artifacts.<g> for each).
 * checked is false where other names may exist: a WorkflowTemplate (its caller has templates
 * too), a workflowTemplateRef, a templateRef or inline template, or a globalName that holds a
 * {{…}} (argo then accepts any name of that kind, resolved at run time). */
struct doc_globals {
    struct kfp_strmap names[2];         /* [0] parameters, [1] artifacts */
    bool any[2];                        /* a templated globalName of that kind */
    bool checked;
};

/* Fills g (allocated by the caller in ctx->scratch, kept for the whole check) for document d.
 * KFP_ERR when memory runs out (g->checked then stays false). */
static int collect_globals(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, struct doc_globals *g)
{
    g->checked = false;
    if ((d->kind != KFP_ARGO_WORKFLOW && d->kind != KFP_ARGO_CRON_WORKFLOW) || d->wf_template_ref)
        return KFP_OK;
    if (kfp_strmap_init(ctx->scratch, &g->names[0], 8) || kfp_strmap_init(ctx->scratch, &g->names[1], 8))
        return KFP_ERR;
    static const char *const lists[2] = {"parameters", "artifacts"};
    for (size_t t = 0; t < d->n_templates; t++) {
        const struct kfp_argo_template *tp = d->templates[t];
        for (size_t k = 0; k < tp->n_tasks; k++)
            if (tp->tasks[k].template_ref || tp->tasks[k].inline_tmpl)
                return KFP_OK;
        const struct kfp_node *outs = kfp_map_get(tp->node, "outputs", NULL);
        for (int a = 0; a < 2; a++) {
            const struct kfp_node *l = kfp_deref(kfp_map_get(outs, lists[a], NULL));
            for (uint32_t i = 0; l && l->kind == KFP_NODE_SEQ && i < l->len; i++) {
                const char *gn = kfp_scalar(kfp_map_get(&l->u.items[i], "globalName", NULL));
                if (!gn || !*gn)
                    continue;
                if (strstr(gn, "{{"))
                    g->any[a] = true;
                else if (kfp_strmap_put(ctx->scratch, &g->names[a], gn, (void *)gn, NULL))
                    return KFP_ERR;
            }
        }
    }
    g->checked = true;
    return KFP_OK;
}

/* {{workflow.outputs.parameters.g}} / {{workflow.outputs.artifacts.g}}: some output declares
 * globalName g (argo: failed to resolve). */
static void check_global_output(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const char *k,
                                const char *end, const struct doc_globals *g)
{
    if (!g || !g->checked)
        return;
    const char *kind = k + 8; /* after "outputs." */
    if (kind >= end)
        return;
    size_t kl = seg(kind, end);
    int a = is(kind, kl, "parameters") ? 0 : is(kind, kl, "artifacts") ? 1 : -1;
    const char *n = kind + kl + 1;
    if (a < 0 || n >= end || g->any[a])
        return;
    char *name = dup(ctx, n, (size_t)(end - n));
    if (!name || kfp_strmap_get(&g->names[a], name))
        return;
    const char *hint = kfp_suggest_in_ctx(ctx, name, &g->names[a]);
    char msg[600];
    snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: no output %s of this %s declares "
             "globalName '%s'%s%s%s", (int)v->len, v->text, a ? "artifact" : "parameter",
             kfp_scalar(v->doc->kind_node), name, hint ? ": did you mean '" : "", hint ? hint : "",
             hint ? "'?" : "; set globalName on the output that produces it");
    report_piece(ctx, v, n, (size_t)(end - n), hint, msg);
}

static void check_workflow(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const char *p, const char *end,
                           const struct doc_globals *g)
{
    const char *k = p + 9;
    if (k >= end)
        return;
    size_t kl = seg(k, end);
    bool known = false;
    for (size_t i = 0; i < sizeof(workflow_keys) / sizeof(workflow_keys[0]); i++)
        known |= is(k, kl, workflow_keys[i]);
    if (!known) {
        char *key = dup(ctx, k, kl);
        if (!key)
            return;
        struct kfp_suggest sg;
        kfp_suggest_init(&sg, key);
        for (size_t i = 0; i < sizeof(workflow_keys) / sizeof(workflow_keys[0]); i++)
            kfp_suggest_add(&sg, workflow_keys[i]);
        const char *hint = kfp_suggest_result(&sg);
        char msg[500];
        snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: 'workflow.%s' is not a workflow variable%s%s%s",
                 (int)v->len, v->text, key, hint ? ": did you mean 'workflow." : "", hint ? hint : "",
                 hint ? "'?" : "");
        report_piece(ctx, v, k, kl, hint, msg);
        return;
    }
    const struct kfp_argo_doc *d = v->doc;
    if (is(k, kl, "outputs")) {
        check_global_output(ctx, v, k, end, g);
        return;
    }
    if (is(k, kl, "failures") && k + kl >= end && (d->kind == KFP_ARGO_WORKFLOW || d->kind == KFP_ARGO_CRON_WORKFLOW) &&
        !d->wf_template_ref && !d->on_exit.node &&
        !kfp_map_get(kfp_map_get(d->spec, "hooks", NULL), "exit", NULL)) {
        /* argo adds workflow.failures to the globals only to validate the onExit handler;
         * a WorkflowTemplate's templates may be a Workflow's exit handler, so only a whole
         * Workflow with no exit handler is known to lack it */
        char msg[500];
        snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: workflow.failures exists only in "
                 "an exit handler and this %s has no spec.onExit; set onExit to the template "
                 "that reports failures", (int)v->len, v->text, kfp_scalar(d->kind_node));
        report_piece(ctx, v, k, kl, NULL, msg);
        return;
    }
    if (!is(k, kl, "parameters") || k + kl >= end)
        return;
    if (d->kind == KFP_ARGO_WORKFLOW_TEMPLATE || d->kind == KFP_ARGO_CLUSTER_WORKFLOW_TEMPLATE ||
        d->wf_template_ref)
        return; /* the Workflow that runs it supplies the parameters */
    const char *n = k + kl + 1;
    size_t nl = (size_t)(end - n); /* a parameter name may hold dots? no: [-a-zA-Z0-9_]; keep all */
    if (is(n, nl, "json"))
        return;
    char *name = dup(ctx, n, nl);
    if (!name || kfp_strmap_get(&d->param_names, name))
        return;
    const char *hint = kfp_suggest_in(name, &d->param_names);
    char msg[600];
    snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: spec.arguments.parameters declares no '%s'%s%s%s",
             (int)v->len, v->text, name, hint ? ": did you mean '" : "", hint ? hint : "",
             hint ? "'?" : ": add it to spec.arguments.parameters");
    report_piece(ctx, v, n, nl, hint, msg);
}

/* {{item}} / {{item.k}}: the enclosing task or step loops; k is a withItems map key. */
static void check_item(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const char *p, const char *end)
{
    const struct kfp_argo_task *at = v->task;
    if (!at || !kfp_argo_task_loops(at)) {
        char msg[400];
        snprintf(msg, sizeof(msg), "'{{%.*s}}' is outside a loop: only a task or step with withItems, "
                 "withParam, withSequence or withExpression has {{item}}%s", (int)v->len, v->text,
                 at ? "" : " (pass it to the template as an input parameter)");
        report_piece(ctx, v, p, 4, NULL, msg);
        return;
    }
    if (p + 4 >= end || !at->with_items || at->with_items->kind != KFP_NODE_SEQ)
        return;
    const struct kfp_node *items = at->with_items;
    const char *k = p + 5;
    size_t kl = seg(k, end);
    char *key = dup(ctx, k, kl);
    if (!key)
        return;
    struct kfp_suggest sg;
    kfp_suggest_init(&sg, key);
    for (uint32_t i = 0; i < items->len; i++) {
        const struct kfp_node *it = kfp_deref(&items->u.items[i]);
        if (!it || it->kind != KFP_NODE_MAP)
            return; /* scalars or lists: argo checks item.[i] forms we do not model */
        if (kfp_map_get(it, key, NULL)) {
            const struct kfp_node *kk = NULL;
            kfp_map_get(it, key, &kk);
            if (kk && !strcmp(kfp_scalar(kk), key))
                return;
        }
        for (uint32_t j = 0; j < it->len && i < 64; j++)
            kfp_suggest_add(&sg, kfp_scalar(&it->u.pairs[j].key));
    }
    const char *hint = kfp_suggest_result(&sg);
    char msg[500];
    snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: no withItems item has the key '%s'%s%s%s",
             (int)v->len, v->text, key, hint ? ": did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
    report_piece(ctx, v, k, kl, hint, msg);
}

/* {{tasks.X.…}} / {{steps.X.…}} whose X the model resolved: the rest of the path. */
static void check_node_ref(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const char *p, const char *end)
{
    const struct kfp_argo_template *tp = v->tmpl;
    bool steps = p[0] == 's';
    if (!tp || tp->type != (steps ? KFP_ARGO_T_STEPS : KFP_ARGO_T_DAG)) {
        char msg[400];
        snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: {{%s.…}} exists only inside a %s template",
                 (int)v->len, v->text, steps ? "steps" : "tasks", steps ? "steps" : "DAG");
        report_piece(ctx, v, p, 5, NULL, msg);
        return;
    }
    if (v->sourced != 2 || !tp->comp->dag)
        return;
    const char *x = p + 6;
    size_t xl = seg(x, end);
    char *name = dup(ctx, x, xl);
    if (!name)
        return;
    const struct kfp_task *t = kfp_strmap_get(&tp->comp->dag->by_key, name);
    if (!t)
        return; /* unknown-task */
    const struct kfp_argo_task *at = &tp->tasks[t->index];
    const char *r = x + xl + 1;
    if (r >= end)
        return;
    size_t rl = seg(r, end);
    static const char *const attrs[] = {"id", "startedAt", "finishedAt", "hostNodeName", "status",
                                        "ip", "exitCode", "outputs"};
    bool known = false;
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
        known |= is(r, rl, attrs[i]);
    char msg[600];
    if (!known) {
        snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: '%.*s' is not a %s attribute (id, status, "
                 "startedAt, finishedAt, hostNodeName, ip, exitCode, outputs)",
                 (int)v->len, v->text, (int)rl, r, steps ? "step" : "task");
        report_piece(ctx, v, r, rl, NULL, msg);
        return;
    }
    if (!is(r, rl, "outputs") || r + rl >= end || !at->target)
        return;
    const char *o = r + rl + 1;
    size_t ol = seg(o, end);
    if (is(o, ol, "result") || is(o, ol, "exitCode")) {
        if (!has_output(at->target->type) && at->target->type != KFP_ARGO_T_NONE) {
            snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: template '%s' is a %s template, "
                     "which has no outputs.%.*s (only container, script, containerSet, data, http "
                     "and plugin templates do)", (int)v->len, v->text,
                     at->target->name.name ? at->target->name.name : "",
                     kfp_argo_ttype_name(at->target->type), (int)ol, o);
            report_piece(ctx, v, o, ol, NULL, msg);
        }
        return;
    }
    if (!is(o, ol, "artifacts") || o + ol >= end)
        return;
    const char *a = o + ol + 1;
    size_t al = seg(a, end);
    char *an = dup(ctx, a, al);
    if (!an || kfp_iodefs_find(&at->target->comp->outputs, an, 1))
        return;
    struct kfp_suggest sg;
    kfp_suggest_init(&sg, an);
    kfp_suggest_iodefs(&sg, &at->target->comp->outputs, 1);
    const char *hint = kfp_suggest_result(&sg);
    snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: template '%s' has no output artifact '%s'%s%s%s",
             (int)v->len, v->text, at->target->name.name ? at->target->name.name : "", an,
             hint ? ": did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
    report_piece(ctx, v, a, al, hint, msg);
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

struct expr_walk {
    struct kfp_ctx *ctx;
    const struct kfp_argo_var *v;
    const char *text; /* the expression: v->text after its '=' */
    size_t len;
};

static bool seg_is(const struct expr_walk *w, const struct kfp_expr_seg *s, const char *lit)
{
    return !s->quoted && is(w->text + s->off, s->len, lit);
}

/* One member chain of the expression (kfp_expr_parse's path hook): inputs.parameters.x (or
 * ['x']), inputs.artifacts.x, workflow.parameters.x, tasks.X / steps.X, checked like the plain
 * tags. */
static void expr_path(void *ud, const struct kfp_expr_seg *segs, size_t n)
{
    static const char *const roots_[] = {"inputs.parameters", "inputs.artifacts",
                                         "workflow.parameters", "tasks", "steps"};
    struct expr_walk *w = ud;
    struct kfp_ctx *ctx = w->ctx;
    const struct kfp_argo_var *v = w->v;
    int kind = -1;
    const struct kfp_expr_seg *ns = NULL;
    if (n >= 3 && seg_is(w, &segs[0], "inputs") && seg_is(w, &segs[1], "parameters"))
        kind = 0;
    else if (n >= 3 && seg_is(w, &segs[0], "inputs") && seg_is(w, &segs[1], "artifacts"))
        kind = 1;
    else if (n >= 3 && seg_is(w, &segs[0], "workflow") && seg_is(w, &segs[1], "parameters"))
        kind = 2;
    else if (n >= 2 && seg_is(w, &segs[0], "tasks"))
        kind = 3;
    else if (n >= 2 && seg_is(w, &segs[0], "steps"))
        kind = 4;
    if (kind < 0 || ctx->oom)
        return;
    ns = &segs[kind <= 2 ? 2 : 1];
    if (ns->escaped)
        return; /* ['a\'b']: the name is not its spelling */
    const char *name = w->text + ns->off, *end = w->text + w->len;
    size_t nl = ns->len;
    const struct kfp_strmap *names = NULL;
    const struct kfp_iodefs *defs = NULL;
    const struct kfp_argo_template *tp = v->tmpl;
    if (kind <= 1 && tp)
        defs = &tp->comp->inputs;
    else if (kind == 2 && v->doc->kind != KFP_ARGO_WORKFLOW_TEMPLATE &&
             v->doc->kind != KFP_ARGO_CLUSTER_WORKFLOW_TEMPLATE && !v->doc->wf_template_ref)
        names = &v->doc->param_names;
    else if (kind >= 3 && tp && tp->comp->dag && tp->type == (kind == 3 ? KFP_ARGO_T_DAG : KFP_ARGO_T_STEPS))
        names = &tp->comp->dag->by_key;
    if (!defs && !names)
        return;
    char *nm = dup(ctx, name, nl);
    if (!nm)
        return;
    const char *hint = NULL;
    if (defs) {
        if (kfp_iodefs_find(defs, nm, kind))
            return;
        struct kfp_suggest sg;
        kfp_suggest_init(&sg, nm);
        kfp_suggest_iodefs(&sg, defs, kind);
        hint = kfp_suggest_result(&sg);
    } else {
        /* workflow.parameters.json: all workflow parameters as JSON (Argo's variables) */
        if (kfp_strmap_get(names, nm) || (kind == 2 && !strcmp(nm, "json")))
            return;
        hint = kfp_suggest_in(nm, names);
    }
    char msg[700];
    /* a dotted name cut at '-': in expr, a-b is a subtraction */
    if (!ns->quoted && name + nl < end && name[nl] == '-') {
        const char *e2 = name + nl;
        while (e2 < end && (ident_char(*e2) || *e2 == '-'))
            e2++;
        snprintf(msg, sizeof(msg), "in an expression, %s.%.*s reads as %s.%s minus …: write "
                 "%s['%.*s']",
                 roots_[kind], (int)(e2 - name), name, roots_[kind], nm, roots_[kind],
                 (int)(e2 - name), name);
        report_piece(ctx, v, name, (size_t)(e2 - name), NULL, msg);
        return;
    }
    snprintf(msg, sizeof(msg), "an expression reads %s '%s', which %s%s%s%s", roots_[kind], nm,
             kind <= 1 ? "the template does not declare"
             : kind == 2 ? "spec.arguments.parameters does not declare"
                         : "is no task of this template",
             hint ? ": did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
    report_piece(ctx, v, name, nl, hint, msg);
}

/* {{=expr}}: the variable paths the expression reads, as expr-lang's parser finds them
 * (string literals, predicates' `#`, `let` names and calls are not paths); its syntax is
 * argo-invalid-expression's (paths before a syntax error are still checked). */
static void check_expr(struct kfp_ctx *ctx, const struct kfp_argo_var *v)
{
    struct expr_walk w = {ctx, v, v->text + 1, v->len - 1};
    struct kfp_expr_hooks hooks = {.path = expr_path, .call = NULL};
    (void)kfp_expr_parse(w.text, w.len, &hooks, &w, NULL);
}

static void check_var(struct kfp_ctx *ctx, const struct kfp_argo_var *v, const struct doc_globals *globals)
{
    const char *p = v->text, *end = v->text + v->len;
    char msg[600];
    if (v->unterminated) {
        if (v->tmpl) {
            snprintf(msg, sizeof(msg), "'{{' has no closing '}}': argo cannot substitute this "
                     "template (Cannot find end tag=\"}}\")");
            report_piece(ctx, v, p, 0, NULL, msg);
        }
        return;
    }
    if (v->len && p[0] == '=') {
        check_expr(ctx, v);
        return;
    }
    if (v->sourced == 1 || !v->len)
        return;
    if (v->len > 14 && !memcmp(p, "pipelineparam:", 14)) {
        snprintf(msg, sizeof(msg), "unresolved KFP pipeline parameter '{{%.*s}}': the KFP v1 compiler "
                 "left it (\"Found unresolved PipelineParam\"); pass it as an input of the template",
                 (int)v->len, v->text);
        report_piece(ctx, v, p, v->len, NULL, msg);
        return;
    }
    size_t rl = seg(p, end);
    if (is(p, rl, "item")) {
        check_item(ctx, v, p, end);
    } else if (is(p, rl, "inputs") || is(p, rl, "outputs")) {
        if (v->tmpl)
            check_io(ctx, v, p, end, p[0] == 'o');
    } else if (is(p, rl, "pod")) {
        if (!is(p, v->len, "pod.name")) {
            snprintf(msg, sizeof(msg), "'{{%.*s}}' does not resolve: the only pod variable is {{pod.name}}",
                     (int)v->len, v->text);
            report_piece(ctx, v, p, v->len, NULL, msg);
        } else if (v->tmpl && (v->task || !pod_type(v->tmpl->type))) {
            snprintf(msg, sizeof(msg), "'{{pod.name}}' does not resolve here: it exists only in a "
                     "template that runs a pod (container, script, resource, containerSet, data)");
            report_piece(ctx, v, p, v->len, NULL, msg);
        }
    } else if (is(p, rl, "workflow")) {
        check_workflow(ctx, v, p, end, globals ? &globals[v->doc->index] : NULL);
    } else if (is(p, rl, "tasks") || is(p, rl, "steps")) {
        if (v->tmpl && rl < v->len && !is(p, v->len, "tasks.name") && !is(p, v->len, "steps.name"))
            check_node_ref(ctx, v, p, end);
    } else {
        bool known = false;
        for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
            known |= is(p, rl, roots[i]);
        if (known)
            return;
        /* a root argo skips: report only a near miss of a known one (others belong to other
         * template languages, e.g. Helm's {{ .Values.x }}) */
        bool word = rl > 0 && rl < v->len; /* a dotted path: a bare {{word}} may be another
                                             * template language's (Jinja, Helm) */
        for (size_t i = 0; i < rl; i++)
            word &= (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z');
        if (!word)
            return;
        char *root = dup(ctx, p, rl);
        if (!root)
            return;
        struct kfp_suggest sg;
        kfp_suggest_init(&sg, root);
        for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
            kfp_suggest_add(&sg, roots[i]);
        const char *hint = kfp_suggest_result(&sg);
        if (!hint || (rl < 4 && strcmp(hint, "pod") != 0))
            return;
        snprintf(msg, sizeof(msg), "'{{%.*s}}' is not an Argo variable (argo lint skips it, and the "
                 "text reaches the pod unchanged): did you mean '%s'?", (int)v->len, v->text, hint);
        report_piece(ctx, v, p, rl, hint, msg);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->argo)
        return;
    /* the global output names per document, kept across the tags (NULL when memory ran out:
     * those tags are then not checked) */
    struct doc_globals *globals = kfp_arena_alloc(ctx->scratch, m->argo->n_docs * sizeof(*globals) + 1);
    if (!globals)
        ctx->oom = 1;
    for (size_t d = 0; globals && d < m->argo->n_docs; d++) {
        memset(&globals[d], 0, sizeof(globals[d]));
        if (collect_globals(ctx, &m->argo->docs[d], &globals[d])) {
            ctx->oom = 1;
            globals = NULL;
        }
    }
    struct kfp_arena_mark mark = kfp_arena_mark(ctx->scratch);
    for (size_t i = 0; i < m->argo->n_vars && !ctx->oom; i++) {
        check_var(ctx, &m->argo->vars[i], globals);
        kfp_arena_release(ctx->scratch, mark); /* each tag's names are dropped after it */
    }
}

const struct kfp_rule kfp_rule_argo_unknown_variable = {
    .id = "argo-unknown-variable",
    .summary = "an Argo {{…}} variable does not resolve in its scope",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
