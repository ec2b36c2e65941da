/* env_invalid.c — env-invalid: an env entry with an empty or invalid name, or a name given twice. */
#include "kfplint/edit.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an env entry of a container (executor, init container, v1 component) whose name is "
    "missing, empty or not a valid environment variable name (`[-._a-zA-Z][-._a-zA-Z0-9]*`, as "
    "Kubernetes requires), and a name set twice in the same container.\n\n"
    "## Why is this bad?\n"
    "Kubernetes rejects the pod for an invalid name (the KFP driver fails an init container with "
    "an empty env name); of two entries with one name only the last takes effect, silently.\n\n"
    "## Example\n"
    "```yaml\n"
    "env:\n"
    "- {name: LOG_LEVEL, value: info}\n"
    "- {name: LOG_LEVEL, value: debug}    # the first one is dead\n"
    "```\n\n"
    "## Fix safety\n"
    "Removing an exact duplicate (same name and value) is safe: the container's environment is "
    "the same. A repeated name with another value has no fix: which value is meant is unknown.\n";

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    struct kfp_strmap seen = {0}; /* scratch memory, released after each container */
    if (kfp_strmap_init(ctx->scratch, &seen, c->n_env)) {
        ctx->oom = 1;
        return;
    }
    for (size_t i = 0; i < c->n_env; i++) {
        const struct kfp_env *e = &c->env[i];
        if (!e->name.name) {
            kfp_report_at(ctx, e->node, "env entry %zu of %s has no name", i + 1, c->what);
            continue;
        }
        if (!kfp_env_name_valid(e->name.name, e->name.node->len)) {
            kfp_report_at(ctx, e->name.node,
                          "env name '%s' in %s is %s: use letters, digits, '_', '-' and '.', not "
                          "starting with a digit",
                          e->name.name, c->what, e->name.node->len ? "not valid" : "empty");
            continue;
        }
        void *prev = NULL;
        if (kfp_strmap_put(ctx->scratch, &seen, e->name.name, (void *)e, &prev)) {
            ctx->oom = 1;
            return;
        }
        if (prev) {
            const struct kfp_env *first = prev;
            struct kfp_finding *f = kfp_report_at(
                ctx, e->name.node, "env '%s' is set twice in %s: only the last value takes effect",
                e->name.name, c->what);
            kfp_related(ctx, f, first->name.node, "first set here");
            const char *v1 = kfp_scalar(first->value), *v2 = kfp_scalar(e->value);
            struct kfp_edit ed;
            if (!c->v1 && v1 && v2 && !strcmp(v1, v2) &&
                kfp_edit_remove_item(&ctx->doc->src, c->env_node, (uint32_t)e->index, &ed) == KFP_OK)
                kfp_fix_edits(ctx, f, 1, "remove the exact duplicate env entry", &ed, 1);
        }
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_env_invalid = {
    .id = "env-invalid",
    .summary = "an env entry with an invalid or repeated name",
    .severity = KFP_SEV_WARNING,
    .tags = "correctness,env",
    .doc = doc,
    .check = check,
};
