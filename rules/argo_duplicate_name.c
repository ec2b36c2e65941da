/* argo_duplicate_name.c — argo-duplicate-name: two entries of one named list of an Argo
 * manifest share a name (templates, tasks, steps, parameters, artifacts, volumes, containers). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a name used twice in one named list: `spec.templates`, the tasks of a DAG, the "
    "steps of a steps template (across its groups), a template's input and output parameters "
    "and artifacts, the workflow's and a task's arguments, `spec.volumes` and a template's "
    "`volumes`, and the containers of one pod (init containers, sidecars, a containerSet). "
    "Repeated *keys* of a mapping are `duplicate-key`'s.\n\n"
    "## Why is this bad?\n"
    "`argo lint` rejects the workflow (`templates.… is not unique`, `duplicated nodeName`), or "
    "the pod is refused by Kubernetes; where neither does, one entry silently wins.\n\n"
    "## Example\n"
    "```yaml\n"
    "templates:\n"
    "- name: train\n"
    "  container: {image: trainer:1.0}\n"
    "- name: train          # again\n"
    "  container: {image: trainer:2.0}\n"
    "```\n"
    "KFP v1: two `dsl.ContainerOp`s given the same name by hand-editing the compiled file.\n\n"
    "## Fix safety\n"
    "No fix: which entry to rename is the author's choice.\n";

/* Reports repeated `name`s (or metadata.name with `claim`) among the items of one or more
 * sequences checked together. */
/* Where a list is, formatted only when a duplicate is reported: "[list of ]owner[ 'name']". */
struct where {
    const char *list;  /* "inputs.parameters" or NULL */
    const char *owner; /* "template", "the workflow", "spec.templates" */
    const char *name;  /* the owner's name or NULL */
};

static void dup_names(struct kfp_ctx *ctx, const struct kfp_node *const *lists, size_t n_lists,
                      const char *what, struct where w)
{
    size_t total = 0;
    for (size_t l = 0; l < n_lists; l++) {
        const struct kfp_node *s = kfp_deref(lists[l]);
        total += s && s->kind == KFP_NODE_SEQ ? s->len : 0;
    }
    if (total < 2)
        return;
    struct kfp_arena_mark am = kfp_arena_mark(ctx->scratch);
    struct kfp_strmap seen;
    if (kfp_strmap_init(ctx->scratch, &seen, total)) {
        ctx->oom = 1;
        return;
    }
    for (size_t l = 0; l < n_lists; l++) {
        const struct kfp_node *s = kfp_deref(lists[l]);
        for (uint32_t i = 0; s && s->kind == KFP_NODE_SEQ && i < s->len; i++) {
            const struct kfp_node *nn = kfp_map_get(&s->u.items[i], "name", NULL);
            const char *n = kfp_scalar(nn);
            if (!n || !*n)
                continue;
            const struct kfp_node *prev = kfp_strmap_get(&seen, n);
            if (prev) {
                char where[600];
                snprintf(where, sizeof(where), "%s%s%s%s%s%s", w.list ? w.list : "", w.list ? " of " : "",
                         w.owner, w.name ? " '" : "", w.name ? w.name : "", w.name ? "'" : "");
                struct kfp_finding *f = kfp_report_at(ctx, nn, "%s '%s' is defined twice in %s: "
                                                               "names must be unique",
                                                      what, n, where);
                kfp_related(ctx, f, prev, "first defined here");
            } else if (kfp_strmap_put(ctx->scratch, &seen, n, (void *)nn, NULL)) {
                ctx->oom = 1;
                return;
            }
        }
    }
    kfp_arena_release(ctx->scratch, am);
}

static void io_lists(struct kfp_ctx *ctx, const struct kfp_node *io, const char *io_name, const char *owner,
                     const char *name)
{
    static const char *const kinds[] = {"parameters", "artifacts"};
    for (size_t k = 0; io && k < 2; k++) {
        const struct kfp_node *l = kfp_deref(kfp_map_get(io, kinds[k], NULL));
        if (!l || l->kind != KFP_NODE_SEQ || l->len < 2)
            continue; /* nothing to repeat: no names to format */
        char what[64], list[64];
        snprintf(what, sizeof(what), "%.*s %s", (int)strlen(io_name) - 1, io_name,
                 k ? "artifact" : "parameter"); /* "input parameter" */
        snprintf(list, sizeof(list), "%s.%s", io_name, kinds[k]);
        dup_names(ctx, &l, 1, what, (struct where){list, owner, name});
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    dup_names(ctx, &d->templates_node, 1, "template", (struct where){NULL, "spec.templates", NULL});
    io_lists(ctx, kfp_map_get(d->spec, "arguments", NULL), "arguments", "the workflow", NULL);
    const struct kfp_node *v = kfp_map_get(d->spec, "volumes", NULL);
    dup_names(ctx, &v, 1, "volume", (struct where){NULL, "spec.volumes", NULL});
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const char *tn = tp->name.name ? tp->name.name : "";
    struct where owner = {NULL, "template", tn};
    io_lists(ctx, kfp_map_get(tp->node, "inputs", NULL), "inputs", "template", tn);
    io_lists(ctx, kfp_map_get(tp->node, "outputs", NULL), "outputs", "template", tn);
    const struct kfp_node *v = kfp_map_get(tp->node, "volumes", NULL);
    dup_names(ctx, &v, 1, "volume", owner);
    const struct kfp_node *pods[4] = {kfp_map_get(tp->node, "initContainers", NULL),
                                      kfp_map_get(tp->node, "sidecars", NULL),
                                      kfp_map_get(kfp_map_get(tp->node, "containerSet", NULL), "containers", NULL),
                                      NULL};
    dup_names(ctx, pods, 3, "container", owner);
    if (tp->type == KFP_ARGO_T_DAG) {
        const struct kfp_node *t = kfp_map_get(kfp_map_get(tp->node, "dag", NULL), "tasks", NULL);
        dup_names(ctx, &t, 1, "task", owner);
    } else if (tp->type == KFP_ARGO_T_STEPS) {
        const struct kfp_node *g = kfp_deref(kfp_map_get(tp->node, "steps", NULL));
        if (g && g->kind == KFP_NODE_SEQ && g->len) {
            const struct kfp_node **groups = kfp_arena_alloc(ctx->scratch, g->len * sizeof(*groups));
            if (!groups) {
                ctx->oom = 1;
                return;
            }
            for (uint32_t j = 0; j < g->len; j++)
                groups[j] = &g->u.items[j];
            dup_names(ctx, groups, g->len, "step", owner);
        }
    }
    for (size_t j = 0; j < tp->n_tasks; j++) {
        const struct kfp_argo_task *at = &tp->tasks[j];
        const struct kfp_node *args = kfp_map_get(at->task->node, "arguments", NULL);
        if (!args)
            continue;
        io_lists(ctx, args, "arguments", at->is_step ? "step" : "task",
                 at->task->key.name ? at->task->key.name : "");
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_duplicate_name = {
    .id = "argo-duplicate-name",
    .summary = "two entries of one named list of an Argo manifest share a name",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
