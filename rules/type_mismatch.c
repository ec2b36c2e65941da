/* type_mismatch.c — type-mismatch: a producer's type differs from what its consumer declares. */
#include "kfplint/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Compares the type of every value passed between tasks with the type its consumer declares: "
    "a task input fed by another task's output, by a component input passed down, or a DAG "
    "output selecting a sub-task's output. Parameters must have the same IR type (legacy "
    "`INT`/`DOUBLE`/`STRING` count as `NUMBER_INTEGER`/`NUMBER_DOUBLE`/`STRING`). Artifacts: "
    "`system.Artifact` on either side is compatible with anything; otherwise the `schemaTitle` "
    "and the major `schemaVersion` must match, and `isArtifactList` must agree. A parameter can "
    "never feed an artifact input, nor the reverse. A `TASK_FINAL_STATUS` input takes only "
    "`taskFinalStatus`.\n\n"
    "In a v1 `component.yaml`, `{inputValue: x}` on an input whose type makes it an artifact in "
    "KFP v2, and `{inputPath: x}` / `{inputUri: x}` on a parameter type: KFP v1 accepted them, the "
    "KFP v2 SDK raises. So they follow the target SDK (`target: {kfp-sdk: …}` in `.kfplint.yaml`, "
    "else what the file says of itself): a **warning** for `v2`, nothing for `v1`, and a **note** "
    "when the target is unknown (a v1 `component.yaml` says nothing of its SDK).\n\n"
    "Values narrowed by `parameterExpressionSelector` and loop items (which the SDK passes as "
    "strings) are not compared; a `LIST` DAG output may collect single values (fan-in), and a "
    "final status may also be declared `STRUCT` or `STRING` (older SDKs did). `STRUCT`, "
    "`TASK_FINAL_STATUS` and `TASK_CONFIG` are compatible with each other when passed down "
    "through `componentInputParameter`: all three are JSON objects to the driver.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails the task (\"input parameter type mismatch: expect NUMBER_INTEGER, got "
    "string\"), and the KFP v2 SDK raises InconsistentTypeException when it loads the component "
    "(kubeflow/pipelines#4710).\n\n"
    "## Example\n"
    "```yaml\n"
    "# 'evaluate' declares model as system.Model; 'train' outputs system.Dataset\n"
    "model: {taskOutputArtifact: {producerTask: train, outputArtifactKey: processed_data}}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: which side is wrong is a design decision.\n";

static int major(const char *v)
{
    return v ? atoi(v) : 0;
}

/* Describes a definition's type into buf ("NUMBER_INTEGER", "system.Model@0.0.1", "list of …"). */
static const char *type_str(const struct kfp_iodef *d, char *buf, size_t cap)
{
    if (!d->artifact)
        snprintf(buf, cap, "parameter %s", kfp_ptype_name(d->ptype));
    else
        snprintf(buf, cap, "artifact %s%s%s%s", d->is_list ? "list of " : "",
                 d->schema_title ? d->schema_title : "system.Artifact",
                 d->schema_version ? "@" : "", d->schema_version ? d->schema_version : "");
    return buf;
}

/* STRUCT, TASK_FINAL_STATUS and TASK_CONFIG values are all JSON objects: the driver accepts a
 * struct value for each (backend/src/v2/driver/resolve.go) and the SDK treats both as dict, so a
 * final status passed down through componentInputParameter may feed a STRUCT input. */
static bool struct_like(uint8_t t)
{
    return t == KFP_PT_STRUCT || t == KFP_PT_FINAL_STATUS || t == KFP_PT_TASK_CONFIG;
}

/* NULL when `from` may feed `to`, else a short reason. */
static const char *incompatible(const struct kfp_iodef *from, const struct kfp_iodef *to)
{
    if (from->artifact != to->artifact)
        return "a parameter can never feed an artifact, nor the reverse";
    if (!from->artifact) {
        if (from->ptype == KFP_PT_UNSPECIFIED || to->ptype == KFP_PT_UNSPECIFIED ||
            from->ptype == KFP_PT_INVALID || to->ptype == KFP_PT_INVALID)
            return NULL;
        if (struct_like(from->ptype) && struct_like(to->ptype))
            return NULL; /* the driver takes a JSON object for all three (resolve.go) */
        return from->ptype == to->ptype ? NULL : "parameter types must match exactly";
    }
    if (from->is_list != to->is_list)
        return "isArtifactList differs";
    const char *a = from->schema_title, *b = to->schema_title;
    if (!a || !b || !strcmp(a, "system.Artifact") || !strcmp(b, "system.Artifact"))
        return NULL;
    if (strcmp(a, b))
        return "artifact types differ";
    if (major(from->schema_version) != major(to->schema_version))
        return "artifact schema major versions differ";
    return NULL;
}

/* Reports a mismatch. The places are described only here, on the rare path: the value comes
 * from task `from_name` (or, with from_enclosing, the enclosing component `from_name`); it goes
 * to task `to_task` of component `to_comp` (or, when to_task is NULL, the output of `to_comp`). */
static void mismatch(struct kfp_ctx *ctx, const struct kfp_node *at, const char *why,
                     const struct kfp_iodef *from, bool from_enclosing, const char *from_name,
                     const struct kfp_iodef *to, const char *to_task, const char *to_comp)
{
    char a[160], b[160], from_where[300], to_where[300];
    snprintf(from_where, sizeof(from_where), from_enclosing ? "the enclosing component '%s'" : "task '%s'",
             from_name ? from_name : "");
    if (to_task)
        snprintf(to_where, sizeof(to_where), "task '%s' (component '%s')", to_task, to_comp ? to_comp : "");
    else
        snprintf(to_where, sizeof(to_where), "component '%s'", to_comp ? to_comp : "");
    struct kfp_finding *f = kfp_report_at(
        ctx, at, "type mismatch: %s '%s' of %s is %s, but %s declares '%s' as %s: %s",
        from->artifact ? "output" : "value", from->name.name, from_where,
        type_str(from, a, sizeof(a)), to_where, to->name.name, type_str(to, b, sizeof(b)), why);
    kfp_related(ctx, f, to->name.node, "'%s' is declared here", to->name.name);
    kfp_related(ctx, f, from->name.node, "'%s' is declared here", from->name.name);
}

static bool loop_item(const char *name)
{
    return name && strstr(name, "loop-item") != NULL;
}

static void check_task(struct kfp_ctx *ctx, const struct kfp_dag *d, const struct kfp_task *t)
{
    for (size_t i = 0; i < t->n_inputs; i++) {
        const struct kfp_task_input *in = &t->inputs[i];
        const struct kfp_iodef *to = in->def;
        if (!to || in->selector)
            continue;
        const struct kfp_iodef *from = NULL;
        const struct kfp_node *at = in->name.node;
        const char *from_name = NULL;
        bool enclosing = false;
        if (in->src.kind == KFP_SRC_TASK_OUTPUT && in->src.producer.name && in->src.output.name) {
            const struct kfp_task *p = in->src.producer_task;
            if (!p || !p->component)
                continue;
            from = in->src.output_def;
            if (from && from->artifact != in->artifact)
                continue; /* the wrong kind of output key: unknown-output says so */
            from_name = p->key.name;
            at = in->src.output.node;
        } else if (in->src.kind == KFP_SRC_COMPONENT_INPUT && in->src.input.name) {
            if (loop_item(in->src.input.name))
                continue;
            from = in->src.input_def && in->src.input_def->artifact == in->artifact ? in->src.input_def : NULL;
            enclosing = true;
            from_name = d->owner->key.name;
            at = in->src.input.node;
        } else if (in->src.kind == KFP_SRC_FINAL_STATUS) {
            /* the status arrives as a JSON payload: SDKs before 2.0 declared it STRUCT */
            if (!to->artifact && to->ptype != KFP_PT_FINAL_STATUS && to->ptype != KFP_PT_UNSPECIFIED &&
                to->ptype != KFP_PT_STRUCT && to->ptype != KFP_PT_STRING) {
                char b[160];
                kfp_report_at(ctx, in->src.node,
                              "type mismatch: taskFinalStatus feeds '%s' of task '%s' (component "
                              "'%s'), declared as %s: declare it TASK_FINAL_STATUS",
                              to->name.name, t->key.name, t->component->key.name,
                              type_str(to, b, sizeof(b)));
            }
            continue;
        }
        if (!from) {
            if (to->ptype == KFP_PT_FINAL_STATUS && in->src.kind != KFP_SRC_NONE &&
                in->src.kind != KFP_SRC_COMPONENT_INPUT)
                kfp_report_at(ctx, in->name.node,
                              "type mismatch: '%s' of task '%s' (component '%s') is "
                              "TASK_FINAL_STATUS, which only taskFinalStatus can feed",
                              to->name.name, t->key.name, t->component->key.name);
            continue;
        }
        const char *why = incompatible(from, to);
        if (why)
            mismatch(ctx, at, why, from, enclosing, from_name, to, t->key.name, t->component->key.name);
    }
}

static void check_dag_outputs(struct kfp_ctx *ctx, const struct kfp_dag *d)
{
    for (size_t i = 0; i < d->n_outputs; i++) {
        const struct kfp_dag_output *o = &d->outputs[i];
        const struct kfp_iodef *to = kfp_iodefs_find(&d->owner->outputs, o->name.name, o->artifact);
        if (!to)
            continue;
        for (size_t s = 0; s < o->n_sels; s++) {
            const struct kfp_source_ref *sel = &o->sels[s];
            const struct kfp_task *p = sel->producer_task;
            if (!p || !p->component || !sel->output.name)
                continue;
            const struct kfp_iodef *from = sel->output_def;
            if (!from || from->artifact != o->artifact)
                continue;
            const char *why = incompatible(from, to);
            /* fan-in (dsl.Collected): a list output collects the single values of a loop body */
            if (why && from->artifact && to->is_list && !from->is_list) {
                struct kfp_iodef single = *to;
                single.is_list = 0;
                why = incompatible(from, &single);
            } else if (why && !from->artifact && !to->artifact && to->ptype == KFP_PT_LIST) {
                why = NULL;
            }
            if (why)
                mismatch(ctx, sel->output.node, why, from, false, p->key.name, to, NULL, d->owner->key.name);
        }
    }
}

/* v1: inputValue on an artifact-typed input, inputPath/inputUri on a parameter type. */
static void check_v1(struct kfp_ctx *ctx, const struct kfp_component *c)
{
    enum kfp_sdk target = kfp_target_sdk(ctx);
    if (target == KFP_SDK_V1)
        return; /* KFP v1 accepts both forms on any type */
    enum kfp_severity cap = target == KFP_SDK_V2 ? KFP_SEV_WARNING : KFP_SEV_NOTE;
    const struct kfp_container *cont = c->executor ? c->executor->container : NULL;
    for (size_t i = 0; cont && i < cont->n_phs; i++) {
        const struct kfp_placeholder *p = &cont->phs[i];
        if (!p->v1_form || p->kind != KFP_PH_IN_ANY)
            continue;
        const struct kfp_iodef *def = kfp_iodefs_find(&c->inputs, p->name, -1);
        if (!def || !def->v1_type)
            continue; /* untyped inputs take anything in KFP v1 */
        bool value = !strcmp(p->v1_form, "inputValue");
        bool path = !strcmp(p->v1_form, "inputPath") || !strcmp(p->v1_form, "inputUri");
        struct kfp_finding *f = NULL;
        if (value && def->artifact)
            f = kfp_report(ctx, p->span,
                           "{inputValue: %s} on input '%s' of type '%s', which KFP v2 reads as an "
                           "artifact (%s): the KFP v2 SDK raises; use {inputPath: %s} or a "
                           "parameter type such as String",
                           p->name, p->name, def->v1_type, def->schema_title, p->name);
        else if (path && !def->artifact)
            f = kfp_report(ctx, p->span,
                           "{%s: %s} on input '%s' of parameter type '%s': the KFP v2 SDK raises; "
                           "use {inputValue: %s} or an artifact type",
                           p->v1_form, p->name, p->name, def->v1_type, p->name);
        if (f && f->severity > cap)
            f->severity = cap;
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        check_v1(ctx, m->root);
        return;
    }
    for (size_t di = 0; di < m->n_dags; di++) {
        const struct kfp_dag *d = m->dags[di];
        for (size_t ti = 0; ti < d->n_tasks; ti++)
            check_task(ctx, d, &d->tasks[ti]);
        check_dag_outputs(ctx, d);
    }
}

const struct kfp_rule kfp_rule_type_mismatch = {
    .id = "type-mismatch",
    .summary = "a value's type differs from the type its consumer declares",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,types",
    .doc = doc,
    .check = check,
};
