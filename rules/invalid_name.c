/* invalid_name.c — invalid-name: pipelineInfo.name missing, empty or not a valid KFP name. */
#include "kfplint/rule.h"

#include <ctype.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks `pipelineInfo.name` of a pipeline: it must be present, non-empty and match "
    "`^[a-z0-9][a-z0-9-]{0,127}$`.\n\n"
    "## Why is this bad?\n"
    "The KFP API server rejects a pipeline without a name, and the name becomes the MLMD "
    "context and Kubernetes object name, which allow only lower-case letters, digits and `-`.\n\n"
    "## Example\n"
    "```yaml\n"
    "pipelineInfo:\n"
    "  name: My_Pipeline     # use my-pipeline\n"
    "```\n\n"
    "## Fix safety\n"
    "Unsafe: the nearest valid name (lower case, other characters as `-`) changes the identity "
    "runs are grouped under.\n";

static bool valid_name(const char *s, size_t n)
{
    if (n == 0 || n > 128)
        return false;
    if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

/* The KFP API server also stores pipelines under `namespace/<ns>/pipeline/<name>` (its own
 * template test data is named so); both parts must be valid names. */
static bool namespaced(const char *s)
{
    if (strncmp(s, "namespace/", 10) != 0)
        return false;
    const char *ns = s + 10;
    const char *p = strstr(ns, "/pipeline/");
    if (!p)
        return false;
    const char *name = p + 10;
    return valid_name(ns, (size_t)(p - ns)) && valid_name(name, strlen(name));
}

/* The nearest valid name: lower case, every other run of characters as one '-', trimmed. */
static char *nearest(struct kfp_arena *a, const char *s, size_t n)
{
    char *out = kfp_arena_alloc(a, n + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n && o < 128; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) && c < 0x80)
            out[o++] = (char)tolower(c);
        else if (o > 0 && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o > 0 && out[o - 1] == '-')
        o--;
    out[o] = '\0';
    return o ? out : NULL;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || (m->kind != KFP_DOC_PIPELINE && m->kind != KFP_DOC_PIPELINE_JOB &&
               m->kind != KFP_DOC_COMPONENT_IR))
        return;
    if (!m->pipeline_info) {
        kfp_report_at(ctx, m->spec, "pipelineInfo is missing: the KFP API server requires "
                                     "pipelineInfo.name; add `pipelineInfo: {name: my-pipeline}`");
        return;
    }
    const struct kfp_node *name = m->pipeline_name.node;
    if (!name) {
        const struct kfp_node *k = NULL;
        const struct kfp_node *v = kfp_map_get(m->pipeline_info, "name", &k);
        kfp_report_at(ctx, k ? (v ? v : k) : m->pipeline_info_key,
                      "pipelineInfo.name is %s: the KFP API server rejects a pipeline without a name",
                      k ? "empty" : "missing");
        return;
    }
    if (kfp_scalar_type(name) == KFP_SCALAR_NULL || name->len == 0) {
        kfp_report_at(ctx, name, "pipelineInfo.name is empty: the KFP API server rejects a "
                                 "pipeline without a name");
        return;
    }
    if (valid_name(name->u.str, name->len) || namespaced(name->u.str))
        return;
    char *fixed = nearest(ctx->a, name->u.str, name->len);
    struct kfp_finding *f;
    if (fixed) {
        f = kfp_report_at(ctx, name,
                          "pipeline name '%s' is not valid: use lower-case letters, digits and '-', "
                          "starting with a letter or digit, at most 128 characters (did you mean '%s'?)",
                          name->u.str, fixed);
        kfp_fix_rename(ctx, f, name, fixed, 0, "rename the pipeline to the nearest valid name");
    } else {
        kfp_report_at(ctx, name,
                      "pipeline name '%s' is not valid: use lower-case letters, digits and '-', "
                      "starting with a letter or digit, at most 128 characters",
                      name->u.str);
    }
}

const struct kfp_rule kfp_rule_invalid_name = {
    .id = "invalid-name",
    .summary = "pipelineInfo.name is missing, empty or not a valid KFP name",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness",
    .doc = doc,
    .check = check,
};
