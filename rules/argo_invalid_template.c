/* argo_invalid_template.c — argo-invalid-template: an Argo template has no type or several, or
 * a field its type does not allow (validateTemplateType, validateLeaf/NonLeaf). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks each template of an Argo manifest has exactly one type — `container`, `script`, "
    "`resource`, `dag`, `steps`, `suspend`, `containerSet`, `http`, `data` or `plugin` — with a "
    "value (a `container:` left empty counts as none), and that fields only some types take are "
    "not set on others: `activeDeadlineSeconds` and `timeout` only on leaf templates, "
    "`parallelism` only on `dag` and `steps`. Also: a containerSet has containers, and one named "
    "`main` when the template has inputs or outputs, and its containers' `dependencies` name "
    "containers of the set; every init container has a name; no container or sidecar takes a reserved "
    "name (`wait`, `supervisor`); input artifacts have no `from` and, in dag and steps "
    "templates, no `path`; `dag.target` names tasks of the DAG; a resource template's "
    "`manifest` (one without `{{…}}`) is valid YAML; a workflow using "
    "`workflowTemplateRef` has no templates of its own.\n\n"
    "## Why is this bad?\n"
    "`argo lint` and the controller reject the workflow: `template type unspecified. choose one "
    "of: …`, `multiple template types specified`, `activeDeadlineSeconds is only valid for leaf "
    "templates`, `… template doesn't support timeout field`, `parallelism is only valid for "
    "steps and dag templates`.\n\n"
    "## Example\n"
    "```yaml\n"
    "- name: leaf-1\n"
    "  container:            # empty: no type\n"
    "```\n"
    "KFP v1: the mock template `mock-recursive-template.yaml` of kubeflow/pipelines has two such "
    "leaves.\n\n"
    "## Fix safety\n"
    "No fix: what the template should run is the author's choice.\n";

static bool leaf(int t)
{
    return t == KFP_ARGO_T_CONTAINER || t == KFP_ARGO_T_SCRIPT || t == KFP_ARGO_T_RESOURCE ||
           t == KFP_ARGO_T_CONTAINER_SET || t == KFP_ARGO_T_HTTP || t == KFP_ARGO_T_DATA ||
           t == KFP_ARGO_T_PLUGIN;
}

/* containerSet: containers, a `main` for inputs/outputs; reserved container names. */
static void check_containers(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, const char *name)
{
    static const char *const reserved[] = {"wait", "supervisor"};
    const struct kfp_node *cs = kfp_map_get(tp->node, "containerSet", NULL);
    const struct kfp_node *lists[2] = {kfp_deref(kfp_map_get(cs, "containers", NULL)),
                                       kfp_deref(kfp_map_get(tp->node, "sidecars", NULL))};
    if (tp->type == KFP_ARGO_T_CONTAINER_SET) {
        const struct kfp_node *c = lists[0];
        if (!c || c->kind != KFP_NODE_SEQ || c->len == 0) {
            kfp_report_at(ctx, tp->type_key, "the containerSet of template '%s' has no containers: "
                                             "argo requires at least one", name);
        } else if (kfp_map_get(tp->node, "inputs", NULL) || kfp_map_get(tp->node, "outputs", NULL)) {
            bool main = false;
            for (uint32_t i = 0; i < c->len && !main; i++) {
                const char *n = kfp_scalar(kfp_map_get(&c->u.items[i], "name", NULL));
                main = n && !strcmp(n, "main");
            }
            if (!main)
                kfp_report_at(ctx, tp->type_key, "the containerSet of template '%s' has inputs or "
                                                 "outputs but no container named \"main\": argo "
                                                 "rejects it", name);
        }
    }
    for (size_t l = 0; l < 2; l++)
        for (uint32_t i = 0; lists[l] && lists[l]->kind == KFP_NODE_SEQ && i < lists[l]->len; i++) {
            const struct kfp_node *nn = kfp_map_get(&lists[l]->u.items[i], "name", NULL);
            const char *n = kfp_scalar(nn);
            for (size_t r = 0; n && r < sizeof(reserved) / sizeof(reserved[0]); r++)
                if (!strcmp(n, reserved[r]))
                    kfp_report_at(ctx, nn, "'%s' is a reserved Argo container name (template '%s'): "
                                           "argo rejects it; rename the %s",
                                  n, name, l ? "sidecar" : "container");
        }
}

/* Every init container has a name (validateInitContainers), on any template type. */
static void check_init_names(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, const char *name)
{
    const struct kfp_node *ic = kfp_deref(kfp_map_get(tp->node, "initContainers", NULL));
    for (uint32_t i = 0; ic && ic->kind == KFP_NODE_SEQ && i < ic->len; i++) {
        const struct kfp_node *c = kfp_deref(&ic->u.items[i]);
        if (!c || c->kind != KFP_NODE_MAP)
            continue;
        const char *n = kfp_scalar(kfp_map_get(c, "name", NULL));
        if (!n || !*n)
            kfp_report_at(ctx, &ic->u.items[i], "init container %u of template '%s' has no name: "
                                                "argo rejects it (initContainers must all have "
                                                "container name); give it a name",
                          (unsigned)i + 1, name);
    }
}

/* containerSet: each container's `dependencies` name containers of the same set (argo:
 * `containerSet.containers.X dependency 'Y' not defined`). One hash of the names, then one
 * lookup per dependency. */
static void check_container_deps(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, const char *name)
{
    if (tp->type != KFP_ARGO_T_CONTAINER_SET)
        return;
    const struct kfp_node *c = kfp_deref(kfp_map_get(kfp_map_get(tp->node, "containerSet", NULL), "containers", NULL));
    if (!c || c->kind != KFP_NODE_SEQ)
        return;
    struct kfp_arena_mark am = kfp_arena_mark(ctx->scratch);
    struct kfp_strmap names;
    if (kfp_strmap_init(ctx->scratch, &names, c->len)) {
        ctx->oom = 1;
        return;
    }
    for (uint32_t i = 0; i < c->len; i++) {
        const char *n = kfp_scalar(kfp_map_get(&c->u.items[i], "name", NULL));
        if (n && *n && kfp_strmap_put(ctx->scratch, &names, n, (void *)n, NULL)) {
            ctx->oom = 1;
            kfp_arena_release(ctx->scratch, am);
            return;
        }
    }
    for (uint32_t i = 0; i < c->len; i++) {
        const char *cn = kfp_scalar(kfp_map_get(&c->u.items[i], "name", NULL));
        const struct kfp_node *deps = kfp_deref(kfp_map_get(&c->u.items[i], "dependencies", NULL));
        for (uint32_t j = 0; deps && deps->kind == KFP_NODE_SEQ && j < deps->len; j++) {
            const struct kfp_node *dn = &deps->u.items[j];
            const char *d = kfp_scalar(dn);
            if (!d || kfp_strmap_get(&names, d))
                continue;
            const char *hint = kfp_suggest_in_ctx(ctx, d, &names);
            kfp_report_at(ctx, dn, "container '%s' of the containerSet of template '%s' depends on "
                                   "'%s', which is not a container of the set: argo rejects it "
                                   "(dependency '%s' not defined)%s%s%s",
                          cn ? cn : "", name, d, d, hint ? "; did you mean '" : "", hint ? hint : "",
                          hint ? "'?" : "");
        }
    }
    kfp_arena_release(ctx->scratch, am);
}

/* Input artifacts: `path` only in container/script templates, never `from`. */
static void check_input_artifacts(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, const char *name)
{
    const struct kfp_node *arts = kfp_deref(kfp_map_get(kfp_map_get(tp->node, "inputs", NULL), "artifacts", NULL));
    for (uint32_t i = 0; arts && arts->kind == KFP_NODE_SEQ && i < arts->len; i++) {
        const struct kfp_node *a = &arts->u.items[i];
        const char *an = kfp_scalar(kfp_map_get(a, "name", NULL));
        const struct kfp_node *k = NULL;
        if (kfp_map_get(a, "from", &k) && k)
            kfp_report_at(ctx, k, "input artifact '%s' of template '%s' has from, which is not valid in "
                                  "inputs: argo rejects it; pass it as an argument of the task",
                          an ? an : "", name);
        k = NULL;
        if ((tp->type == KFP_ARGO_T_DAG || tp->type == KFP_ARGO_T_STEPS) && kfp_map_get(a, "path", &k) && k)
            kfp_report_at(ctx, k, "input artifact '%s' of the %s template '%s' has a path, which only "
                                  "container and script templates take: argo rejects it",
                          an ? an : "", kfp_argo_ttype_name(tp->type), name);
    }
}

/* Where the manifest's parse error is in the file: inside a literal block (`manifest: |`) its
 * lines are the file's, less the block's indentation; elsewhere the whole scalar. */
static struct kfp_span manifest_span(struct kfp_ctx *ctx, const struct kfp_node *mn, const struct kfp_error *e)
{
    if (mn->style != KFP_STYLE_LITERAL || !e->has_span || e->span.start > mn->len)
        return mn->span;
    const char *s = mn->u.str;
    size_t li = 0, col = e->span.start;
    for (size_t i = 0; i < e->span.start; i++)
        if (s[i] == '\n') {
            li++;
            col = e->span.start - i - 1;
        }
    const struct kfp_source *src = &ctx->doc->src;
    uint32_t line = kfp_source_next_line(src, mn->span.start, NULL); /* after the `|` header */
    size_t indent = 0;
    while (line + indent < src->len && src->data[line + indent] == ' ')
        indent++;
    for (size_t i = 0; i < li && line < src->len; i++)
        line = kfp_source_next_line(src, line, NULL);
    uint32_t end;
    kfp_source_next_line(src, line, &end);
    uint32_t off = line + (uint32_t)indent + (uint32_t)col;
    if (off >= end || off >= mn->span.end)
        return mn->span;
    return (struct kfp_span){off, off + 1};
}

/* resource.manifest parses as YAML (one without {{…}}: those are filled in at run time). */
static void check_manifest(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, const char *name)
{
    const struct kfp_node *mn = kfp_map_get(kfp_map_get(tp->node, "resource", NULL), "manifest", NULL);
    const char *s = kfp_scalar(mn);
    if (!s || !*s || strstr(s, "{{"))
        return;
    struct kfp_arena_mark am = kfp_arena_mark(ctx->scratch);
    struct kfp_doc d;
    struct kfp_error e;
    memset(&e, 0, sizeof(e));
    enum kfp_load_status st = kfp_load(ctx->scratch, ctx->doc->src.path, s, mn->len, &d, &e);
    if (st == KFP_LOAD_NOMEM)
        ctx->oom = 1;
    else if (st == KFP_LOAD_SYNTAX || st == KFP_LOAD_BINARY)
        kfp_report(ctx, manifest_span(ctx, mn, &e),
                   "the manifest of resource template '%s' is not valid YAML: %s; argo rejects it "
                   "(resource.manifest must be a valid yaml)",
                   name, e.msg);
    kfp_arena_release(ctx->scratch, am);
}

/* dag.target: space-separated task names of the DAG. */
static void check_target(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, const char *name)
{
    const struct kfp_node *t = kfp_map_get(kfp_map_get(tp->node, "dag", NULL), "target", NULL);
    const char *s = kfp_scalar(t);
    if (!s || !tp->comp->dag || strstr(s, "{{"))
        return;
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p == w)
            break;
        char buf[256];
        size_t n = (size_t)(p - w) < sizeof(buf) - 1 ? (size_t)(p - w) : sizeof(buf) - 1;
        memcpy(buf, w, n);
        buf[n] = '\0';
        if (!kfp_strmap_get(&tp->comp->dag->by_key, buf))
            kfp_report(ctx, kfp_node_subspan(&ctx->doc->src, t, w, (size_t)(p - w)),
                       "dag.target '%s' of template '%s' names no task of the DAG: argo rejects it",
                       buf, name);
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    const struct kfp_node *k = NULL;
    kfp_map_get(d->spec, "templates", &k);
    if (d->wf_template_ref && k && d->n_templates)
        kfp_report_at(ctx, k, "a workflow that uses workflowTemplateRef cannot have templates: argo "
                              "rejects it; put them in the WorkflowTemplate");
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const char *name = tp->name.name ? tp->name.name : "";
    const struct kfp_node *at = tp->name.node ? tp->name.node : tp->node;
    if (tp->n_types == 0) {
        if (tp->null_type_key)
            kfp_report_at(ctx, tp->null_type_key,
                          "template '%s' has an empty '%s:', so no type: argo rejects it "
                          "(template type unspecified); give the %s its fields",
                          name, kfp_scalar(tp->null_type_key), kfp_scalar(tp->null_type_key));
        else
            kfp_report_at(ctx, at,
                          "template '%s' has no type: argo rejects it (template type "
                          "unspecified); choose one of container, script, resource, dag, "
                          "steps, suspend, containerSet, http, data, plugin",
                          name);
        return;
    }
    if (tp->n_types > 1) {
        struct kfp_finding *f = kfp_report_at(
            ctx, tp->extra_type_key,
            "template '%s' has several types ('%s' and '%s'): argo rejects it (multiple "
            "template types specified); keep one",
            name, kfp_scalar(tp->type_key), kfp_scalar(tp->extra_type_key));
        kfp_related(ctx, f, tp->type_key, "the first type is here");
    }
    check_containers(ctx, tp, name);
    check_init_names(ctx, tp, name);
    check_container_deps(ctx, tp, name);
    check_input_artifacts(ctx, tp, name);
    check_target(ctx, tp, name);
    if (tp->type == KFP_ARGO_T_RESOURCE)
        check_manifest(ctx, tp, name);
    const struct kfp_node *k = NULL;
    if (!leaf(tp->type)) {
        if (kfp_map_get(tp->node, "activeDeadlineSeconds", &k) && k)
            kfp_report_at(ctx, k, "activeDeadlineSeconds is only valid for leaf templates, not "
                                  "the %s template '%s': argo rejects it; use timeout on a "
                                  "leaf, or the workflow's activeDeadlineSeconds",
                          kfp_argo_ttype_name(tp->type), name);
        k = NULL;
        if (kfp_map_get(tp->node, "timeout", &k) && k)
            kfp_report_at(ctx, k, "the %s template '%s' does not support timeout: argo "
                                  "rejects it; set it on its leaf templates",
                          kfp_argo_ttype_name(tp->type), name);
    }
    k = NULL;
    if (tp->type != KFP_ARGO_T_DAG && tp->type != KFP_ARGO_T_STEPS &&
        kfp_map_get(tp->node, "parallelism", &k) && k)
        kfp_report_at(ctx, k, "parallelism is only valid for steps and dag templates, not the "
                              "%s template '%s': argo rejects it",
                      kfp_argo_ttype_name(tp->type), name);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_invalid_template = {
    .id = "argo-invalid-template",
    .summary = "an Argo template has no type, several, or a field its type does not take",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
