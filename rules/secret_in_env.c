/* secret_in_env.c — secret-in-env: an env value that looks like a credential. */
#include "kfplint/regex.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an env entry whose value looks like a credential written into the spec: a name "
    "such as `*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*` with a literal value (not a "
    "placeholder, a `$(VAR)` reference, a path, a number or a boolean), or any value in a "
    "well-known key format (cloud access keys, private key headers, GitHub/Slack/Google/Stripe "
    "tokens).\n\n"
    "## Why is this bad?\n"
    "A compiled pipeline is uploaded, stored and shown to everyone who can see the pipeline; "
    "the credential is leaked to all of them and to version control. Mount it from a Kubernetes "
    "Secret with `secretAsEnv` (`kfp.kubernetes.use_secret_as_env`) instead.\n\n"
    "## Example\n"
    "```yaml\n"
    "env:\n"
    "- {name: DB_PASSWORD, value: hunter2}\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: the secret has to be created in the cluster first.\n";

static bool ends_with(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* Names that describe where a secret is, not the secret itself. */
static bool names_a_reference(const char *s, size_t n)
{
    static const char *const sufs[] = {"_NAME", "_PATH", "_FILE", "_DIR", "_URI", "_URL",
                                       "_ID",   "_ENDPOINT", "_REF", "_KEY_NAME", "_MOUNT", NULL};
    for (size_t i = 0; sufs[i]; i++)
        if (ends_with(s, n, sufs[i]))
            return true;
    return false;
}

/* A value that could be a secret: not empty, not a path, placeholder or reference, and not a
 * number or boolean word (env values are strings, so `"512"` is checked by content). */
static bool literal_value(const struct kfp_node *v)
{
    const char *s = v->u.str;
    if (v->len == 0 || s[0] == '/' || strstr(s, "{{") || strstr(s, "$(") || strstr(s, "${"))
        return false;
    size_t digits = strspn(s, "0123456789.-+");
    if (digits == v->len)
        return false;
    static const char *const words[] = {"true", "false", "True", "False", "TRUE", "FALSE",
                                        "yes", "no", "on", "off", NULL};
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(s, words[i]))
            return false;
    return true;
}

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    /* how to read a Secret instead: KFP's platform config, or Kubernetes' own in Argo */
    const char *use = ctx->m->kind == KFP_DOC_ARGO ? "valueFrom.secretKeyRef" : "secretAsEnv";
    for (size_t i = 0; i < c->n_env; i++) {
        const struct kfp_env *e = &c->env[i];
        const struct kfp_node *v = kfp_deref(e->value);
        if (!e->name.name || !v || v->kind != KFP_NODE_SCALAR)
            continue;
        int known = kfp_re_match(KFP_RE_SECRET_VALUE, v->u.str, v->len, NULL, 0);
        int named = kfp_re_match(KFP_RE_SECRET_NAME, e->name.name, e->name.node->len, NULL, 0);
        if (known < 0 || named < 0) {
            ctx->oom = 1;
            return;
        }
        if (known > 0)
            kfp_report_at(ctx, v,
                          "the value of env '%s' in %s looks like a credential (a known key "
                          "format): keep it in a Kubernetes Secret and use %s",
                          e->name.name, c->what, use);
        else if (named > 0 && !names_a_reference(e->name.name, e->name.node->len) && literal_value(v))
            kfp_report_at(ctx, v,
                          "env '%s' in %s holds a literal credential that everyone who can read "
                          "the pipeline can see: keep it in a Kubernetes Secret and use %s",
                          e->name.name, c->what, use);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_secret_in_env = {
    .id = "secret-in-env",
    .summary = "an env value that looks like a credential",
    .severity = KFP_SEV_WARNING,
    .tags = "security,env",
    .doc = doc,
    .check = check,
};
