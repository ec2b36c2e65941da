/* structured_placeholder.c — structured-placeholder: IfPresent / Concat placeholders in a
 * container's command or args that KFP cannot resolve. */
#include "kfplint/rule.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char doc[] =
    "## What it does\n"
    "Checks the structured placeholders the KFP SDK writes into a v2 container's `command` and "
    "`args` as JSON text: `{\"IfPresent\": {\"InputName\": …, \"Then\": …, \"Else\": …}}` and "
    "`{\"Concat\": […]}`. The text must parse as JSON; `IfPresent` takes only `InputName` (a "
    "string), `Then` and `Else` (a string, a nested placeholder, or a list of those — not a "
    "number or a boolean); `Concat` takes a list. A name "
    "the component does not declare is reported by `unknown-input`.\n\n"
    "## Why is this bad?\n"
    "The KFP driver (`backend/src/v2/driver/util.go`, `resolveCondition`) fails the task "
    "(\"failed to parse IfPresent JSON\", \"non-string item in IfPresent Then/Else array\", "
    "\"unexpected type in IfPresent Then/Else\"). Worse, Go's JSON reader ignores unknown keys: "
    "a misspelt `InputNme` or `then` makes the clause silently take its other branch, so a flag "
    "is dropped from the command line without any error (kubeflow/pipelines#11009).\n\n"
    "## Example\n"
    "```yaml\n"
    "args:\n"
    "- '{\"IfPresent\": {\"InputName\": \"lr\", \"then\": [\"--lr\", \"{{$.inputs.parameters[''lr'']}}\"]}}'\n"
    "#                                    ^ 'Then': with 'then' the flag is never passed\n"
    "```\n\n"
    "## Fix safety\n"
    "A key that differs from `InputName`, `Then` or `Else` only in case is renamed: safe, "
    "it is what the SDK writes.\n";

static const char *const if_keys[] = {"InputName", "Then", "Else", NULL};

/* What is wrong with a Then/Else value, NULL when fine: a string, a nested placeholder object
 * (the SDK writes {"Concat": […]} there), or a list of those. */
static const char *branch_problem(const json_t *v)
{
    if (!v || json_is_string(v) || json_is_null(v) || json_is_object(v))
        return NULL; /* absent: an empty branch */
    if (!json_is_array(v))
        return "unexpected type in IfPresent Then/Else";
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
        if (!json_is_string(item) && !json_is_object(item))
            return "non-string item in IfPresent Then/Else array";
    return NULL;
}

static void report_key(struct kfp_ctx *ctx, const struct kfp_node *n, const char *key,
                       const char *where, const char *near)
{
    char quoted[300];
    snprintf(quoted, sizeof(quoted), "\"%s\"", key);
    struct kfp_span sp = kfp_node_subspan(&ctx->doc->src, n, strstr(n->u.str, quoted) ? strstr(n->u.str, quoted) : n->u.str,
                                          strstr(n->u.str, quoted) ? strlen(quoted) : n->len);
    struct kfp_finding *f;
    if (near) {
        f = kfp_report(ctx, sp, "unknown key '%s' in %s: did you mean '%s'? KFP ignores unknown "
                                "keys, so the clause silently behaves as if it were absent",
                       key, where, near);
    } else {
        f = kfp_report(ctx, sp, "unknown key '%s' in %s: KFP ignores it, so the clause does not do "
                                "what it says; %s", key, where,
                       strcmp(where, "IfPresent") ? "Concat takes only a list"
                                                   : "use InputName, Then and Else");
    }
    /* a case-only difference: rename the key when its text stands verbatim in the source */
    if (f && near && strcasecmp(key, near) == 0 && sp.end - sp.start == strlen(quoted)) {
        char *text = kfp_arena_printf(ctx->a, "\"%s\"", near);
        if (text)
            kfp_fix_replace(ctx, f, 1, sp.start, sp.end, text, "write the key as KFP spells it");
    }
}

static void check_if_present(struct kfp_ctx *ctx, const struct kfp_node *n, const json_t *body)
{
    if (!json_is_object(body)) {
        kfp_report_at(ctx, n, "IfPresent must hold an object {InputName, Then, Else}: the KFP "
                              "driver fails the task (\"failed to parse IfPresent JSON\")");
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        size_t k = 0;
        while (if_keys[k] && strcmp(key, if_keys[k]))
            k++;
        if (if_keys[k])
            continue;
        const char *near = NULL;
        for (size_t j = 0; if_keys[j] && !near; j++)
            if (!strcasecmp(key, if_keys[j]))
                near = if_keys[j];
        if (!near) {
            struct kfp_suggest s;
            kfp_suggest_init(&s, key);
            for (size_t j = 0; if_keys[j]; j++)
                kfp_suggest_add(&s, if_keys[j]);
            near = kfp_suggest_result(&s);
        }
        report_key(ctx, n, key, "IfPresent", near);
    }
    json_t *name = json_object_get(body, "InputName");
    if (!name || !json_is_string(name) || !*json_string_value(name))
        kfp_report_at(ctx, n, "IfPresent has no InputName: the clause can never see an input as "
                              "present, so only its Else branch is ever used");
    static const char *const branches[] = {"Then", "Else"};
    for (size_t b = 0; b < 2; b++) {
        const char *why = branch_problem(json_object_get(body, branches[b]));
        if (why)
            kfp_report_at(ctx, n, "IfPresent %s must be a string, a placeholder or a list of those: the KFP "
                                  "driver fails the task (\"%s\")", branches[b], why);
    }
}

static void check_arg(struct kfp_ctx *ctx, const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    if (!s)
        return;
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    bool is_if = !strncmp(p, "{\"IfPresent\":", 13);
    bool is_concat = !strncmp(p, "{\"Concat\":", 10);
    if (!is_if && !is_concat)
        return;
    json_error_t jerr;
    json_t *v = json_loadb(s, n->len, JSON_ALLOW_NUL, &jerr);
    if (!v) {
        kfp_report_at(ctx, n, "%s placeholder is not valid JSON (%s, at character %d): the KFP "
                              "driver fails the task (\"failed to parse %s JSON\")",
                      is_if ? "IfPresent" : "Concat", jerr.text, jerr.position,
                      is_if ? "IfPresent" : "Concat");
        return;
    }
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val) {
        if (!strcmp(key, is_if ? "IfPresent" : "Concat"))
            continue;
        report_key(ctx, n, key, is_if ? "an IfPresent placeholder" : "a Concat placeholder", NULL);
    }
    if (is_if)
        check_if_present(ctx, n, json_object_get(v, "IfPresent"));
    else if (!json_is_array(json_object_get(v, "Concat")))
        kfp_report_at(ctx, n, "Concat must hold a list of strings: KFP cannot build the argument");
    json_decref(v);
}

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    if (c->v1)
        return;
    const struct kfp_node *parts[2] = {kfp_deref(c->command), kfp_deref(c->args)};
    for (int p = 0; p < 2; p++)
        for (uint32_t i = 0; parts[p] && parts[p]->kind == KFP_NODE_SEQ && i < parts[p]->len; i++)
            check_arg(ctx, kfp_deref(&parts[p]->u.items[i]));
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_structured_placeholder = {
    .id = "structured-placeholder",
    .summary = "an IfPresent / Concat placeholder KFP cannot resolve",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,placeholders",
    .doc = doc,
    .check = check,
};
