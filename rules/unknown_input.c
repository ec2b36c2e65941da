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
    "A task argument that its component does not declare is an error too (the driver drops "
    "the value in silence), except `pipelinechannel--*` / `pipelineparam--*` names, which KFP "
    "adds on purpose, and the inputs the SDK adds for machine fields set from a value "
    "(`accelerator_count`, `cpu_limit`, …): a constant `{{$.inputs.parameters['X']}}` whose `X` "
    "(or the input itself) the executor's `resources` read.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails with \"parent DAG does not have input parameter\" (kubeflow/pipelines"
    "#11957), and an unresolved placeholder reaches the container as literal text.\n\n"
    "## Example\n"
    "```yaml\n"
    "args: [--epochs, \"{{$.inputs.parameters['num_epochs']}}\"]   # component declares 'epochs'\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: the right name is a design decision.\n";

static const char *hint_for(struct kfp_ctx *ctx, const struct kfp_iodefs *d, const char *name,
                            int kind)
{
    struct kfp_suggest s;
    kfp_suggest_init(&s, name);
    kfp_suggest_limit(&s, ctx);
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
    const char *hint = hint_for(ctx, d, name, kind);
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

/* A task's argument names, looked up by hash once the task has many (built on first use in
 * scratch memory, released after the task). */
struct task_names {
    const struct kfp_task *t;
    struct kfp_strmap map;
    bool built;
};

static bool task_has_input(struct kfp_ctx *ctx, struct task_names *tn, const char *name)
{
    const struct kfp_task *t = tn->t;
    if (t->n_inputs > 8 && !tn->built) {
        tn->built = true;
        if (kfp_strmap_init(ctx->scratch, &tn->map, t->n_inputs))
            ctx->oom = 1;
        for (size_t i = 0; !ctx->oom && i < t->n_inputs; i++)
            if (t->inputs[i].name.name &&
                kfp_strmap_put(ctx->scratch, &tn->map, t->inputs[i].name.name, (void *)t, NULL))
                ctx->oom = 1;
    }
    if (tn->built)
        return ctx->oom || kfp_strmap_get(&tn->map, name) != NULL; /* out of memory: no finding */
    for (size_t i = 0; i < t->n_inputs; i++)
        if (t->inputs[i].name.name && !strcmp(t->inputs[i].name.name, name))
            return true;
    return false;
}

/* `{{$.inputs.parameters['x']}}` inside a constant must name an input of the task. */
static void check_constant(struct kfp_ctx *ctx, struct task_names *tn, const struct kfp_node *c)
{
    const struct kfp_task *t = tn->t;
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
        if (!task_has_input(ctx, tn, buf))
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

/* Whether the task's executor reads `{{$.inputs.parameters['name']}}` in container.resources. */
static bool resources_read(const struct kfp_node *n, const char *name, size_t name_len, int depth)
{
    n = kfp_deref(n);
    if (!n || depth > 8)
        return false;
    if (n->kind == KFP_NODE_SCALAR) {
        static const char prefix[] = "{{$.inputs.parameters[";
        const char *p = n->u.str, *end = n->u.str + n->len;
        while ((p = memmem(p, (size_t)(end - p), prefix, sizeof(prefix) - 1))) {
            p += sizeof(prefix) - 1;
            if (p < end && (*p == '\'' || *p == '"') && (size_t)(end - p) > name_len + 1 &&
                !memcmp(p + 1, name, name_len) && p[1 + name_len] == *p)
                return true;
        }
        return false;
    }
    for (uint32_t i = 0; i < n->len; i++)
        if (resources_read(n->kind == KFP_NODE_MAP ? &n->u.pairs[i].value : &n->u.items[i], name,
                           name_len, depth + 1))
            return true;
    return false;
}

/* The SDK emits undeclared task inputs for machine fields set from a value (accelerator_count,
 * cpu_limit, …): a constant placeholder of another task input, read by the executor's
 * resources. Those are consumed, not dropped. */
static bool machine_field_input(const struct kfp_task *t, const struct kfp_task_input *in)
{
    const struct kfp_executor *e = t->component->executor;
    const struct kfp_node *res = e && e->container ? kfp_map_get(e->container->node, "resources", NULL) : NULL;
    if (!res)
        return false;
    if (resources_read(res, in->name.name, strlen(in->name.name), 0))
        return true;
    const char *c = in->src.kind == KFP_SRC_CONSTANT ? kfp_scalar(kfp_deref(in->src.constant)) : NULL;
    static const char prefix[] = "{{$.inputs.parameters[";
    if (!c || strncmp(c, prefix, sizeof(prefix) - 1))
        return false;
    const char *q = c + sizeof(prefix) - 1;
    if (*q != '\'' && *q != '"')
        return false;
    const char *close = strchr(q + 1, *q);
    if (!close || strcmp(close + 1, "]}}"))
        return false;
    return resources_read(res, q + 1, (size_t)(close - q - 1), 0);
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
            struct kfp_arena_mark mark = kfp_arena_mark(ctx->scratch);
            struct task_names tn;
            memset(&tn, 0, sizeof(tn));
            tn.t = t;
            for (size_t i = 0; i < t->n_inputs; i++) {
                const struct kfp_task_input *in = &t->inputs[i];
                check_component_input(ctx, d->owner, &in->src, in->artifact);
                if (in->src.kind == KFP_SRC_CONSTANT && !v1)
                    check_constant(ctx, &tn, in->src.constant);
                if (t->component && in->name.name && !is_channel(in->name.name) && !in->def &&
                    !(!in->artifact && machine_field_input(t, in))) {
                    const char *hint = hint_for(ctx, &t->component->inputs, in->name.name, in->artifact);
                    char extra[300] = "";
                    if (hint)
                        snprintf(extra, sizeof(extra), ": the value is dropped; did you mean '%s'?", hint);
                    if (m->kind == KFP_DOC_ARGO) /* Argo ignores it too, but KFP v1 output does it: a warning */
                        kfp_report_sev(ctx, KFP_SEV_WARNING, in->name.node,
                                       "task '%s' passes %s '%s', which template '%s' does not declare%s",
                                       t->key.name, in->artifact ? "artifact" : "parameter", in->name.name,
                                       t->component->key.name, hint ? extra : ": the value is ignored");
                    else
                        kfp_report_at(ctx, in->name.node,
                                      "task '%s' passes %s '%s', which component '%s' does not declare%s",
                                      t->key.name, in->artifact ? "artifact" : "parameter",
                                      in->name.name, t->component->key.name,
                                      hint ? extra : ": the value is dropped in silence; declare it "
                                                     "in the component's inputDefinitions or remove it");
                }
            }
            for (size_t i = 0; i < t->n_platform_srcs; i++)
                check_component_input(ctx, d->owner, &t->platform_srcs[i], 0);
            if (t->iter_input.name && !task_has_input(ctx, &tn, t->iter_input.name))
                kfp_report_at(ctx, t->iter_input.node,
                              "iterator items name input '%s', which task '%s' does not have",
                              t->iter_input.name, t->key.name);
            kfp_arena_release(ctx->scratch, mark);
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
