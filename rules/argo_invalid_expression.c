/* argo_invalid_expression.c — argo-invalid-expression: an Argo expression (`{{=…}}` and the
 * fields Argo evaluates with expr-lang) that expr cannot parse. */
#include "kfplint/argo.h"
#include "kfplint/expr.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Parses every expression of an Argo manifest the way expr-lang (the language of Argo's "
    "expressions, github.com/expr-lang/expr) does, and reports the first syntax error of each "
    "at the offending token:\n\n"
    "- `{{=…}}` tags in any string (the text up to the first `}}`, as Argo's template engine "
    "cuts it), an empty `{{=}}`, and a `{{=` with no `}}` outside a template (inside one, "
    "`argo-unknown-variable` reports it);\n"
    "- `retryStrategy.expression` (templates, `spec.retryStrategy`, "
    "`spec.templateDefaults`), `hooks.<name>.expression` (workflow, DAG task and step hooks), "
    "`outputs.parameters[].valueFrom.expression`, `spec.workflowMetadata.labelsFrom.<key>."
    "expression`, `http.successCondition`, `data.transformation[].expression`, a task's or step's "
    "`withExpression`, a CronWorkflow's "
    "`spec.stopStrategy.expression` and the `{{=…}}` of its `spec.when`.\n\n"
    "The grammar is expr's (v1.17): literals (`0x1F`, `1_000`, `1e3`, `'…'`, `\"…\"`, "
    "`` `…` ``), member access (`a.b`, `a['b']`, `a?.b`, `a[1:2]`), calls and predicates "
    "(`all(list, {# > 1})`, `map(list, .name)`), operators with expr's precedence (`or`/`||`, "
    "`and`/`&&`, comparisons, `in`, `not in`, `matches`, `contains`, `startsWith`, `endsWith`, "
    "`..`, `+ - * / % ** ^`, `??`, `!`/`not`), `?:`, `|` pipes, arrays, maps, `let x = …; …`, "
    "`if … {…} else {…}` and comments. A field whose text holds `{{` is substituted before it is "
    "evaluated, so it is not parsed. Whether the names an expression reads exist is "
    "`argo-unknown-variable`'s.\n\n"
    "A call of a function that neither expr-lang nor Argo has (`asInt`, `asFloat`, `jsonpath`, "
    "`toJson`; `sprig.*`) but that is one or two edits from one is a warning with the "
    "did-you-mean: `lenght(x)`.\n\n"
    "## Why is this bad?\n"
    "`argo lint` does not compile expressions (its template check skips `{{=…}}`: \"we do not "
    "validate expression templates\", util/template/validate.go). Argo evaluates them when the "
    "node runs: a tag "
    "that does not compile is left in the text unreplaced or fails the node (`failed to "
    "evaluate expression`), a retry or hook expression that does not compile fails the "
    "workflow at run time.\n\n"
    "## Example\n"
    "```yaml\n"
    "args: [\"{{=asInt(inputs.parameters.count) + }}\"]        # unexpected end of expression\n"
    "retryStrategy:\n"
    "  expression: \"lastRetry.status == 'Error' && \"           # the same\n"
    "outputs:\n"
    "  parameters:\n"
    "  - name: result\n"
    "    valueFrom:\n"
    "      expression: \"tasks.flip.outputs.result == 'heads ? 1 : 0\"   # unterminated string\n"
    "```\n"
    "KFP v1 compiled files use no expressions; a hand-edited one is checked like any Argo "
    "file.\n\n"
    "## Fix safety\n"
    "Replacing a misspelt function with the close one is unsafe: it is a guess. Syntax errors "
    "have no fix.\n";

/* The value of key `name` in mapping m, spelt exactly (Argo reads JSON names only). */
static const struct kfp_node *get(const struct kfp_node *m, const char *name)
{
    m = kfp_deref(m);
    if (!m || m->kind != KFP_NODE_MAP)
        return NULL;
    for (uint32_t i = 0; i < m->len; i++) {
        const char *k = kfp_scalar(&m->u.pairs[i].key);
        if (k && !strcmp(k, name))
            return kfp_deref(&m->u.pairs[i].value);
    }
    return NULL;
}

/* expr-lang's builtin functions (builtin/builtin.go) and the ones Argo adds to the environment
 * (util/expr/env: asInt, asFloat, jsonpath, toJson; sprig.* are members of `sprig`). */
static const char *const functions[] = {
    "all", "none", "any", "one", "filter", "map", "find", "findIndex", "findLast",
    "findLastIndex", "count", "sum", "groupBy", "sortBy", "reduce", "len", "type", "abs", "ceil",
    "floor", "round", "int", "float", "string", "trim", "trimPrefix", "trimSuffix", "upper",
    "lower", "split", "splitAfter", "replace", "repeat", "join", "indexOf", "lastIndexOf",
    "hasPrefix", "hasSuffix", "max", "min", "mean", "median", "toJSON", "fromJSON", "toBase64",
    "fromBase64", "now", "duration", "date", "timezone", "first", "last", "get", "take", "keys",
    "values", "toPairs", "fromPairs", "reverse", "uniq", "concat", "flatten", "sort", "bitand",
    "bitor", "bitxor", "bitnand", "bitshl", "bitshr", "bitushr", "bitnot",
    "asInt", "asFloat", "jsonpath", "toJson",
};

/* Names other languages use for one of them. */
static const struct { const char *name, *is; } aliases[] = {
    {"length", "len"}, {"lenght", "len"}, {"size", "len"},
    {"toUpper", "upper"}, {"toUpperCase", "upper"}, {"toLower", "lower"},
    {"toLowerCase", "lower"}, {"str", "string"}, {"toString", "string"}, {"parseInt", "int"},
    {"atoi", "int"}, {"parseFloat", "float"}, {"strip", "trim"}, {"startswith", "hasPrefix"},
    {"endswith", "hasSuffix"}, {"fromJson", "fromJSON"}, {"jsonPath", "jsonpath"},
};

#define MAX_CALLS 16

/* The functions an expression calls (kfp_expr_parse's call hook), checked once it parses. */
struct calls {
    uint32_t off[MAX_CALLS], len[MAX_CALLS];
    size_t n;
};

static void on_call(void *ud, uint32_t off, uint32_t len)
{
    struct calls *c = ud;
    if (c->n < MAX_CALLS) {
        c->off[c->n] = off;
        c->len[c->n++] = len;
    }
}

/* A called name that is no function of expr or Argo but one edit or two from one: a warning
 * with the did-you-mean (a name far from every one may be a newer builtin: not reported). */
static void check_calls(struct kfp_ctx *ctx, const struct kfp_node *n, size_t off, const struct calls *c,
                        struct kfp_value_cursor *cur)
{
    for (size_t i = 0; i < c->n && !ctx->oom; i++) {
        const char *name = n->u.str + off + c->off[i];
        size_t len = c->len[i];
        bool known = false;
        for (size_t k = 0; k < sizeof(functions) / sizeof(functions[0]) && !known; k++)
            known = strlen(functions[k]) == len && !memcmp(functions[k], name, len);
        if (known)
            continue;
        char *nm = kfp_arena_strndup(ctx->scratch, name, len);
        if (!nm) {
            ctx->oom = 1;
            return;
        }
        struct kfp_suggest sg;
        kfp_suggest_init(&sg, nm);
        for (size_t k = 0; k < sizeof(functions) / sizeof(functions[0]); k++)
            kfp_suggest_add(&sg, functions[k]);
        const char *hint = kfp_suggest_result(&sg);
        for (size_t k = 0; k < sizeof(aliases) / sizeof(aliases[0]) && !hint; k++)
            if (!strcmp(nm, aliases[k].name))
                hint = aliases[k].is;
        if (!hint)
            continue;
        struct kfp_span sp = kfp_node_value_span_from(&ctx->doc->src, n, off + c->off[i], len, cur);
        struct kfp_finding *f = kfp_report(ctx, sp, "unknown function '%s' in an expression: expr-lang "
                                           "and Argo have no such function: did you mean '%s'?", nm, hint);
        if (!f)
            continue;
        if (f->severity > KFP_SEV_WARNING)
            f->severity = KFP_SEV_WARNING; /* a custom environment could define it */
        if (sp.end - sp.start == len) {
            char title[200];
            snprintf(title, sizeof(title), "replace with '%s'", hint);
            kfp_fix_replace(ctx, f, 0, sp.start, sp.end, hint, title);
        }
    }
}

/* Parses the expression at value bytes [off, off + len) of scalar n; reports its first error
 * there (`what` names the place), or the unknown functions it calls. True when it parses. */
static bool check_text(struct kfp_ctx *ctx, const struct kfp_node *n, size_t off, size_t len,
                       const char *what, struct kfp_value_cursor *cur)
{
    struct kfp_expr_error e;
    struct calls c = {.n = 0};
    struct kfp_expr_hooks hooks = {.path = NULL, .call = on_call};
    if (kfp_expr_parse(n->u.str + off, len, &hooks, &c, &e) == KFP_OK) {
        check_calls(ctx, n, off, &c, cur);
        return true;
    }
    if (!what)
        return false;
    struct kfp_span sp = kfp_node_value_span_from(&ctx->doc->src, n, off + e.off, e.len, cur);
    kfp_report(ctx, sp, "invalid expression in %s: %s", what, e.msg);
    return false;
}

/* A field Argo evaluates as a whole expression. */
static void check_field(struct kfp_ctx *ctx, const struct kfp_node *n, const char *what)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_SCALAR || kfp_scalar_type(n) != KFP_SCALAR_STRING)
        return; /* absent, or of the wrong type (argo-invalid-value, invalid-type) */
    if (memmem(n->u.str, n->len, "{{", 2))
        return; /* substituted before it is evaluated: its text is not known here */
    (void)check_text(ctx, n, 0, n->len, what, NULL);
}

/* A `{{=…}}` tag whose text (after the `=`) is value bytes [off, off + len) of n; cur carries the
 * position mapping from one tag of a scalar to the next (NULL: from the scalar's start). */
static void check_tag(struct kfp_ctx *ctx, const struct kfp_node *n, size_t off, size_t len,
                      struct kfp_value_cursor *cur)
{
    if (check_text(ctx, n, off, len, NULL, cur))
        return;
    struct kfp_expr_error e;
    (void)kfp_expr_parse(n->u.str + off, len, NULL, NULL, &e);
    if (!strncmp(e.msg, "empty expression", 16)) {
        kfp_report(ctx, kfp_node_value_span_from(&ctx->doc->src, n, off >= 3 ? off - 3 : 0, 3, cur),
                   "empty expression '{{=}}': Argo cannot evaluate it; write an expression after "
                   "'=' or remove the tag");
        return;
    }
    struct kfp_span sp = kfp_node_value_span_from(&ctx->doc->src, n, off + e.off, e.len, cur);
    kfp_report(ctx, sp, "invalid expression in '{{=…}}': %s", e.msg);
}

/* Every `{{=…}}` of a string the model does not walk (a CronWorkflow's `when`). */
static void scan_tags(struct kfp_ctx *ctx, const struct kfp_node *n)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_SCALAR)
        return;
    const char *s = n->u.str, *end = s + n->len, *p = s;
    struct kfp_value_cursor cur = {0};
    while ((p = memmem(p, (size_t)(end - p), "{{", 2))) {
        const char *close = memmem(p + 2, (size_t)(end - p - 2), "}}", 2);
        if (p + 2 < end && p[2] == '=') {
            if (!close) {
                kfp_report(ctx, kfp_node_value_span_from(&ctx->doc->src, n, (size_t)(p - s), 3, &cur),
                           "'{{=' has no closing '}}': Argo leaves the text as it is");
                return;
            }
            check_tag(ctx, n, (size_t)(p + 3 - s), (size_t)(close - p - 3), &cur);
        }
        if (!close)
            return;
        p = close + 2;
    }
}

static void check_hooks(struct kfp_ctx *ctx, const struct kfp_node *hooks)
{
    hooks = kfp_deref(hooks);
    if (!hooks || hooks->kind != KFP_NODE_MAP)
        return;
    for (uint32_t i = 0; i < hooks->len; i++)
        check_field(ctx, get(&hooks->u.pairs[i].value, "expression"), "hooks.*.expression");
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp)
{
    check_field(ctx, get(get(tp->node, "retryStrategy"), "expression"), "retryStrategy.expression");
    const struct kfp_node *ps = get(get(tp->node, "outputs"), "parameters");
    for (uint32_t i = 0; ps && ps->kind == KFP_NODE_SEQ && i < ps->len; i++)
        check_field(ctx, get(get(&ps->u.items[i], "valueFrom"), "expression"),
                    "outputs.parameters[].valueFrom.expression");
    check_field(ctx, get(get(tp->node, "http"), "successCondition"), "http.successCondition");
    const struct kfp_node *tr = get(get(tp->node, "data"), "transformation");
    for (uint32_t i = 0; tr && tr->kind == KFP_NODE_SEQ && i < tr->len; i++)
        check_field(ctx, get(&tr->u.items[i], "expression"), "data.transformation[].expression");
    for (size_t i = 0; i < tp->n_tasks; i++) {
        check_hooks(ctx, tp->tasks[i].hooks);
        if (tp->tasks[i].task) /* the loop over an expression's list (Argo's e2e testdata) */
            check_field(ctx, get(tp->tasks[i].task->node, "withExpression"), "withExpression");
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d)
{
    const struct kfp_node *spec = d->spec;
    check_hooks(ctx, get(spec, "hooks"));
    check_field(ctx, get(get(spec, "retryStrategy"), "expression"), "spec.retryStrategy.expression");
    check_field(ctx, get(get(get(spec, "templateDefaults"), "retryStrategy"), "expression"),
                "spec.templateDefaults.retryStrategy.expression");
    const struct kfp_node *lf = get(get(spec, "workflowMetadata"), "labelsFrom");
    for (uint32_t i = 0; lf && lf->kind == KFP_NODE_MAP && i < lf->len; i++)
        check_field(ctx, get(&lf->u.pairs[i].value, "expression"),
                    "workflowMetadata.labelsFrom.*.expression");
    if (d->kind == KFP_ARGO_CRON_WORKFLOW) {
        check_field(ctx, get(get(d->outer_spec, "stopStrategy"), "expression"),
                    "spec.stopStrategy.expression");
        scan_tags(ctx, get(d->outer_spec, "when"));
    }
    for (size_t i = 0; i < d->n_templates; i++)
        check_template(ctx, d->templates[i]);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->argo)
        return;
    struct kfp_arena_mark mark = kfp_arena_mark(ctx->scratch);
    struct kfp_value_cursor cur = {0}; /* the tags of one scalar come one after the other */
    for (size_t i = 0; i < m->argo->n_vars && !ctx->oom; i++) {
        kfp_arena_release(ctx->scratch, mark); /* the names of one tag at a time */
        const struct kfp_argo_var *v = &m->argo->vars[i];
        if (v->text_off != 2 || !v->len || v->text[0] != '=')
            continue; /* `{{ =x}}` is a plain tag to Argo */
        const struct kfp_node *n = v->node;
        if (!n || v->text < n->u.str || v->text + v->len > n->u.str + n->len)
            continue;
        size_t off = (size_t)(v->text + 1 - n->u.str);
        if (v->unterminated) {
            if (!v->tmpl)
                kfp_report(ctx, kfp_node_value_span_from(&ctx->doc->src, n, off - 3, 3, &cur),
                           "'{{=' has no closing '}}': Argo leaves the text as it is");
            continue;
        }
        check_tag(ctx, n, off, v->len - 1, &cur);
    }
    for (size_t i = 0; i < m->argo->n_docs && !ctx->oom; i++)
        check_doc(ctx, &m->argo->docs[i]);
}

const struct kfp_rule kfp_rule_argo_invalid_expression = {
    .id = "argo-invalid-expression",
    .summary = "an Argo expression ({{=…}}, retryStrategy, hooks, valueFrom) does not parse",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
