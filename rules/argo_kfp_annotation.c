/* argo_kfp_annotation.c — argo-kfp-annotation: the KFP v1 annotations of a compiled Argo
 * workflow do not parse or disagree with what they describe. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <jansson.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks the `pipelines.kubeflow.org/*` annotations the KFP v1 compiler writes into an Argo "
    "workflow: `pipeline_spec` (on the workflow), `component_spec`, `component_ref` and "
    "`arguments.parameters` (on templates) are JSON objects; every input of `pipeline_spec` is a "
    "workflow parameter (`spec.arguments.parameters`, names as the compiler sanitises them: `my_param` "
    "or, from older compilers, `my-param`) and "
    "every workflow parameter an input; the image of `component_spec` is the template's image; "
    "`max_cache_staleness` is an ISO-8601 duration (`P30D`, `PT1H`); the `enable_caching` label "
    "is \"true\" or \"false\". A parse error points at its byte inside the annotation string.\n\n"
    "## Why is this bad?\n"
    "The KFP UI and API read these annotations: a broken `pipeline_spec` loses the run's "
    "parameter form, a stale `component_spec` shows one image while another runs, a malformed "
    "staleness or caching flag is ignored, so caching silently does not do what the pipeline "
    "says. They usually break when a compiled file is edited by hand.\n\n"
    "## Example\n"
    "```yaml\n"
    "metadata:\n"
    "  annotations:\n"
    "    pipelines.kubeflow.org/pipeline_spec: '{\"name\": \"train\", \"inputs\": [{\"name\": \"lr\"}]'   # no closing }\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

#define KFP_PREFIX "pipelines.kubeflow.org/"

/* The span of byte `off` of annotation scalar n: exact when the source spells the value
 * verbatim, else the whole scalar. */
static struct kfp_span byte_span(struct kfp_ctx *ctx, const struct kfp_node *n, size_t off)
{
    struct kfp_span whole = kfp_node_subspan(&ctx->doc->src, n, n->u.str, n->len);
    if (whole.end - whole.start != n->len || off >= n->len)
        return n->span;
    return (struct kfp_span){whole.start + (uint32_t)off, whole.start + (uint32_t)off + 1};
}

/* Parses annotation n as a JSON object; reports and returns NULL when it is not one. The
 * caller owns the result (json_decref). */
static json_t *parse(struct kfp_ctx *ctx, const struct kfp_node *n, const char *key)
{
    json_error_t e;
    json_t *j = json_loadb(n->u.str, n->len, 0, &e);
    if (!j) {
        kfp_report(ctx, byte_span(ctx, n, e.position > 0 ? (size_t)e.position - 1 : 0),
                   "annotation %s is not valid JSON: %s (byte %d of the annotation)", key, e.text,
                   e.position);
        return NULL;
    }
    if (!json_is_object(j)) {
        kfp_report_at(ctx, n, "annotation %s must be a JSON object", key);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* KFP v1 sanitize_k8s_name(name, allow_capital_underscore): with it (KFP 1.x), characters other
 * than [-_0-9A-Za-z] become '-'; without it (the older compilers) the name is lower-cased first
 * and anything but [-0-9a-z] becomes '-' (so my_param is my-param). Then runs of '-' collapse to
 * one and leading and trailing '-' go. */
static void sanitize(const char *s, char *out, size_t cap, bool keep_case)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++) {
        char c = *s;
        if (!keep_case && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (keep_case && ((c >= 'A' && c <= 'Z') || c == '_'));
        if (!ok)
            c = '-';
        if (c == '-' && (o == 0 || out[o - 1] == '-'))
            continue;
        out[o++] = c;
    }
    while (o && out[o - 1] == '-')
        o--;
    out[o] = '\0';
}

static bool iso_duration(const char *s)
{
    if (*s != 'P' || !s[1])
        return false;
    bool time = false, digits = false, any = false;
    for (const char *p = s + 1; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digits = true;
        } else if (*p == '.' || *p == ',') {
            if (!digits)
                return false;
        } else if (*p == 'T') {
            if (time || digits)
                return false;
            time = true;
        } else if (strchr(time ? "HMS" : "YMWD", *p)) {
            if (!digits)
                return false;
            digits = false;
            any = true;
        } else {
            return false;
        }
    }
    return any && !digits;
}

static const struct kfp_node *annotation(const struct kfp_node *md, const char *group, const char *key)
{
    const struct kfp_node *m = kfp_deref(kfp_map_get(md, group, NULL));
    for (uint32_t i = 0; m && m->kind == KFP_NODE_MAP && i < m->len; i++) {
        const char *k = kfp_scalar(&m->u.pairs[i].key);
        if (k && !strcmp(k, key)) {
            const struct kfp_node *v = kfp_deref(&m->u.pairs[i].value);
            return v && v->kind == KFP_NODE_SCALAR ? v : NULL;
        }
    }
    return NULL;
}

static void check_pipeline_spec(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    const struct kfp_node *md = kfp_map_get(d->root, "metadata", NULL);
    const struct kfp_node *ps = annotation(md, "annotations", KFP_PREFIX "pipeline_spec");
    if (!ps)
        return;
    json_t *j = parse(ctx, ps, KFP_PREFIX "pipeline_spec");
    if (!j)
        return;
    json_t *inputs = json_object_get(j, "inputs");
    if (inputs && !json_is_array(inputs)) {
        kfp_report_at(ctx, ps, "pipeline_spec.inputs must be a list of {name, type, default}");
    } else if (inputs && d->kind == KFP_ARGO_WORKFLOW) {
        struct kfp_strmap spec_in;
        struct kfp_arena_mark am = kfp_arena_mark(ctx->scratch);
        if (kfp_strmap_init(ctx->scratch, &spec_in, json_array_size(inputs))) {
            ctx->oom = 1;
            json_decref(j);
            return;
        }
        size_t i;
        json_t *in;
        json_array_foreach(inputs, i, in) {
            const char *name = json_string_value(json_object_get(in, "name"));
            if (!name)
                continue;
            char s[256], lower[256]; /* the two spellings of KFP v1's compilers */
            sanitize(name, s, sizeof(s), true);
            sanitize(name, lower, sizeof(lower), false);
            char *k = kfp_arena_strdup(ctx->scratch, s), *kl = kfp_arena_strdup(ctx->scratch, lower);
            if (!k || !kl || kfp_strmap_put(ctx->scratch, &spec_in, k, k, NULL) ||
                kfp_strmap_put(ctx->scratch, &spec_in, kl, kl, NULL)) {
                ctx->oom = 1;
                break;
            }
            if (!kfp_strmap_get(&d->param_names, s) && !kfp_strmap_get(&d->param_names, lower)) {
                const char *at = strstr(ps->u.str, name);
                kfp_report(ctx, at ? kfp_node_subspan(&ctx->doc->src, ps, at, strlen(name)) : ps->span,
                           "pipeline_spec input '%s' is not a workflow parameter: spec.arguments."
                           "parameters has no '%s', so the KFP UI offers a parameter the run "
                           "ignores", name, s);
            }
        }
        const struct kfp_node *params = kfp_deref(d->params);
        for (uint32_t p = 0; params && p < params->len && !ctx->oom; p++) {
            const struct kfp_node *nn = kfp_map_get(&params->u.items[p], "name", NULL);
            const char *n = kfp_scalar(nn);
            if (n && !kfp_strmap_get(&spec_in, n))
                kfp_report_at(ctx, nn, "workflow parameter '%s' is not an input of the "
                                       "pipelines.kubeflow.org/pipeline_spec annotation: the KFP UI "
                                       "does not offer it", n);
        }
        kfp_arena_release(ctx->scratch, am);
    }
    json_decref(j);
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    const struct kfp_node *md = kfp_map_get(tp->node, "metadata", NULL);
    if (!md)
        return;
    const struct kfp_node *cs = annotation(md, "annotations", KFP_PREFIX "component_spec");
    if (cs) {
        json_t *j = parse(ctx, cs, KFP_PREFIX "component_spec");
        const char *img = j ? json_string_value(json_object_get(
                                  json_object_get(json_object_get(j, "implementation"), "container"), "image"))
                            : NULL;
        const struct kfp_container *c = tp->comp->executor ? tp->comp->executor->container : NULL;
        const char *timg = c ? kfp_scalar(c->image) : NULL;
        if (img && timg && strcmp(img, timg) != 0 && !strstr(img, "{{") && !strstr(timg, "{{")) {
            const char *at = strstr(cs->u.str, img);
            struct kfp_finding *f = kfp_report(
                ctx, at ? kfp_node_subspan(&ctx->doc->src, cs, at, strlen(img)) : cs->span,
                "component_spec of template '%s' names image '%s', but the template runs '%s': the "
                "KFP UI shows the wrong component", tp->name.name ? tp->name.name : "", img, timg);
            kfp_related(ctx, f, c->image, "the template's image");
        }
        json_decref(j);
    }
    static const char *const objs[] = {KFP_PREFIX "component_ref", KFP_PREFIX "arguments.parameters"};
    for (size_t i = 0; i < 2; i++) {
        const struct kfp_node *a = annotation(md, "annotations", objs[i]);
        if (a)
            json_decref(parse(ctx, a, objs[i]));
    }
    const struct kfp_node *st = annotation(md, "annotations", KFP_PREFIX "max_cache_staleness");
    if (st && !iso_duration(st->u.str))
        kfp_report_at(ctx, st, "max_cache_staleness '%s' is not an ISO-8601 duration (P30D, PT1H, "
                               "P0D): KFP ignores it", st->u.str);
    const struct kfp_node *ec = annotation(md, "labels", KFP_PREFIX "enable_caching");
    if (ec && strcmp(ec->u.str, "true") != 0 && strcmp(ec->u.str, "false") != 0)
        kfp_report_at(ctx, ec, "enable_caching label '%s' must be \"true\" or \"false\"", ec->u.str);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_pipeline_spec, check_template, NULL);
}

const struct kfp_rule kfp_rule_argo_kfp_annotation = {
    .id = "argo-kfp-annotation",
    .summary = "a KFP v1 annotation of a compiled Argo workflow is broken or disagrees",
    .severity = KFP_SEV_WARNING,
    .tags = "correctness,argo,kfp-v1",
    .doc = doc,
    .check = check,
};
