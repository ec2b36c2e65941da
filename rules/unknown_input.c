/* unknown_input.c — unknown-input: a reference to an input (or output) that is not declared. */
#include "kfplint/rule.h"

#include <stdio.h>

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks references to inputs and outputs by name:\n"
    "- `componentInputParameter` / `componentInputArtifact` (and platform sources) must name an "
    "input of the enclosing component;\n"
    "- a parameter iterator's `items.inputParameter` must name an input of its task;\n"
    "- a placeholder in an executor (`{{$.inputs.parameters['x']}}`, "
    "`{{$.outputs.artifacts['y'].path}}`, `IfPresent.InputName`, v1 `{inputValue: x}`, "
    "`{outputPath: y}`, `fileOutputs`, …) must name an input or output of its component;\n"
    "- a placeholder inside a task's `runtimeValue.constant` must name an input of that task.\n\n"
    "A task argument that its component does not declare is a **warning**, except "
    "`pipelinechannel--*` / `pipelineparam--*` names, which KFP adds on purpose.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails with \"parent DAG does not have input parameter\" (kubeflow/pipelines"
    "#11957), and an unresolved placeholder reaches the container as literal text.\n\n"
    "## Example\n"
    "```yaml\n"
    "args: [--epochs, \"{{$.inputs.parameters['num_epochs']}}\"]   # component declares 'epochs'\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: the right name is a design decision.\n";

static const char *hint_for(const struct kfp_iodefs *d, const char *name, int kind)
{
    struct kfp_suggest s;
    kfp_suggest_init(&s, name);
    kfp_suggest_iodefs(&s, d, kind);
    return kfp_suggest_result(&s);
}

static bool is_channel(const char *name)
{
    return strncmp(name, "pipelinechannel--", 17) == 0 || strncmp(name, "pipelineparam--", 15) == 0;
}

static void undeclared(struct kfp_ctx *ctx, struct kfp_span span, const struct kfp_iodefs *d,
                       const char *name, int kind, const char *what, const char *owner)
{
    const char *hint = hint_for(d, name, kind);
    if (hint)
        kfp_report(ctx, span, "%s '%s' is not declared by %s: did you mean '%s'?", what, name, owner,
                   hint);
    else
        kfp_report(ctx, span, "%s '%s' is not declared by %s", what, name, owner);
}

/* componentInput* sources: the enclosing component's inputs. */
static void check_component_input(struct kfp_ctx *ctx, const struct kfp_component *enclosing,
                                  const struct kfp_source_ref *s, int artifact)
{
    if (s->kind != KFP_SRC_COMPONENT_INPUT || !s->input.name)
        return;
    if (s->input_def /* resolved by the model in `enclosing` */ && (ctx->m->kind == KFP_DOC_COMPONENT_V1 || s->input_def->artifact == artifact))
        return;
    char owner[300];
    snprintf(owner, sizeof(owner), "the enclosing %s '%s'", ctx->m->kind == KFP_DOC_ARGO ? "template" : "component",
             enclosing->key.name ? enclosing->key.name : "");
    undeclared(ctx, s->input.node->span, &enclosing->inputs, s->input.name, artifact,
               artifact ? "input artifact" : "input parameter", owner);
}

static bool task_has_input(const struct kfp_task *t, const char *name)
{
    for (size_t i = 0; i < t->n_inputs; i++)
        if (t->inputs[i].name.name && !strcmp(t->inputs[i].name.name, name))
            return true;
    return false;
}

/* `{{$.inputs.parameters['x']}}` inside a constant must name an input of the task. */
static void check_constant(struct kfp_ctx *ctx, const struct kfp_task *t, const struct kfp_node *c)
{
    c = kfp_deref(c);
    if (!c || c->kind != KFP_NODE_SCALAR)
        return;
    static const char prefix[] = "{{$.inputs.parameters[";
    const char *p = c->u.str, *end = c->u.str + c->len;
    while ((p = memmem(p, (size_t)(end - p), prefix, sizeof(prefix) - 1))) {
        const char *q = p + sizeof(prefix) - 1;
        p = q;
        if (q >= end || (*q != '\'' && *q != '"'))
            continue;
        const char *name = q + 1;
        const char *close = memchr(name, *q, (size_t)(end - name));
        if (!close)
            break;
        char buf[256];
        size_t n = (size_t)(close - name) < sizeof(buf) - 1 ? (size_t)(close - name) : sizeof(buf) - 1;
        memcpy(buf, name, n);
        buf[n] = '\0';
        if (!task_has_input(t, buf))
            kfp_report_at(ctx, c, "placeholder names input parameter '%s', which task '%s' does not "
                                  "have: add it to the task's inputs", buf, t->key.name);
        p = close;
    }
}

static void check_placeholders(struct kfp_ctx *ctx, const struct kfp_container *c,
                               const struct kfp_component *comp)
{
    int v1 = ctx->m->kind == KFP_DOC_COMPONENT_V1;
    for (size_t i = 0; i < c->n_phs; i++) {
        const struct kfp_placeholder *p = &c->phs[i];
        bool out = p->kind == KFP_PH_OUT_PARAM || p->kind == KFP_PH_OUT_ARTIFACT;
        const struct kfp_iodefs *d = out ? &comp->outputs : &comp->inputs;
        int kind = v1 || p->kind == KFP_PH_IN_ANY ? -1
                   : (p->kind == KFP_PH_IN_ARTIFACT || p->kind == KFP_PH_OUT_ARTIFACT);
        if (kfp_iodefs_find(d, p->name, kind))
            continue;
        const char *what = p->kind == KFP_PH_IN_PARAM ? "input parameter"
                           : p->kind == KFP_PH_IN_ARTIFACT ? "input artifact"
                           : p->kind == KFP_PH_OUT_PARAM && !p->v1_form ? "output parameter"
                           : p->kind == KFP_PH_OUT_ARTIFACT ? "output artifact"
                           : out ? "output" : "input";
        char w[96], owner[300];
        snprintf(owner, sizeof(owner), "%s '%s'", ctx->m->kind == KFP_DOC_ARGO ? "template" : "component",
                 comp->key.name ? comp->key.name : "");
        if (p->v1_form)
            snprintf(w, sizeof(w), "{%s: …} placeholder %s", p->v1_form, what);
        else
            snprintf(w, sizeof(w), "placeholder %s", what);
        undeclared(ctx, p->span, d, p->name, kind, w, owner);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    int v1 = m->kind == KFP_DOC_COMPONENT_V1;
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++) {
            const struct kfp_task *t = &d->tasks[ti];
            for (size_t i = 0; i < t->n_inputs; i++) {
                const struct kfp_task_input *in = &t->inputs[i];
                check_component_input(ctx, d->owner, &in->src, in->artifact);
                if (in->src.kind == KFP_SRC_CONSTANT && !v1)
                    check_constant(ctx, t, in->src.constant);
                if (t->component && in->name.name && !is_channel(in->name.name) && !in->def) {
                    const char *hint = hint_for(&t->component->inputs, in->name.name, in->artifact);
                    char extra[300] = "";
                    if (hint)
                        snprintf(extra, sizeof(extra), ": did you mean '%s'?", hint);
                    kfp_report_sev(ctx, KFP_SEV_WARNING, in->name.node,
                                   "task '%s' passes %s '%s', which %s '%s' does not declare%s",
                                   t->key.name, in->artifact ? "artifact" : "parameter",
                                   in->name.name, m->kind == KFP_DOC_ARGO ? "template" : "component",
                                   t->component->key.name, hint ? extra : ": the value is ignored");
                }
            }
            for (size_t i = 0; i < t->n_platform_srcs; i++)
                check_component_input(ctx, d->owner, &t->platform_srcs[i], 0);
            if (t->iter_input.name && !task_has_input(t, t->iter_input.name))
                kfp_report_at(ctx, t->iter_input.node,
                              "iterator items name input '%s', which task '%s' does not have",
                              t->iter_input.name, t->key.name);
        }
    }
    for (size_t i = 0; i < m->n_executors; i++) {
        const struct kfp_executor *e = m->executors[i];
        if (!e->component)
            continue;
        if (e->container)
            check_placeholders(ctx, e->container, e->component);
        for (size_t j = 0; j < e->n_init; j++)
            check_placeholders(ctx, &e->init[j], e->component);
    }
}

const struct kfp_rule kfp_rule_unknown_input = {
    .id = "unknown-input",
    .summary = "a reference to an input or output that is not declared",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,graph",
    .doc = doc,
    .check = check,
};
