/* invalid_value.c — invalid-value: a constant or default that does not fit its declared type, an
 * unknown parameterType, a value outside `literals`, an artifact type outside system./google. */
#include "kfplint/rule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks values against declared parameter types: `runtimeValue.constant` (and legacy "
    "`constantValue`) of task inputs, `defaultValue` of component inputs, and a PipelineJob's "
    "`runtimeConfig` values against the pipeline's inputs. A value must fit the type "
    "(`NUMBER_INTEGER`: an integral number; `NUMBER_DOUBLE`: a number; `BOOLEAN`: true/false; "
    "`LIST`: a list; `STRUCT`: a mapping; `STRING` accepts any value in a spec, as the driver "
    "converts it, but must be a string in `runtimeConfig`, as the API server checks) "
    "and be one of the input's `literals` when it has them (`literals: []` restricts nothing, "
    "as in KFP's `validate_literal.go`). Also reports an unknown "
    "`parameterType` and an artifact `schemaTitle` outside the `system.` and `google.` "
    "namespaces. Values containing a `{{$…}}` placeholder are resolved at run time and skipped.\n\n"
    "## Why is this bad?\n"
    "The KFP driver fails the task: \"input parameter type mismatch: expect NUMBER_INTEGER, got "
    "string\"; the API server rejects run parameters that do not fit, and the SDK raises "
    "\"Unknown type\" for an unknown parameterType.\n\n"
    "## Example\n"
    "```yaml\n"
    "epochs:\n"
    "  runtimeValue:\n"
    "    constant: '5'      # NUMBER_INTEGER: write 5\n"
    "```\n\n"
    "## Fix safety\n"
    "A quoted constant that is a clean literal of the declared numeric or boolean type (`'5'` "
    "for NUMBER_INTEGER, `\"true\"` for BOOLEAN) is replaced by the typed value: safe, the "
    "value is the same.\n";

static bool has_placeholder(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    return s && strstr(s, "{{$") != NULL;
}

static const char *kind_of(const struct kfp_node *n)
{
    switch (kfp_scalar_type(n)) {
    case KFP_SCALAR_NULL: return "null";
    case KFP_SCALAR_BOOL: return "a boolean";
    case KFP_SCALAR_INT: return "an integer";
    case KFP_SCALAR_FLOAT: return "a number";
    case KFP_SCALAR_STRING: return "a string";
    default: return n->kind == KFP_NODE_SEQ ? "a list" : "a mapping";
    }
}

/* Whether value v fits parameter type t. The driver turns any value into text for a STRING
 * input; the API server's run-parameter check (strict) wants a string. */
static bool fits(enum kfp_ptype t, const struct kfp_node *v, bool strict)
{
    enum kfp_scalar_type st = kfp_scalar_type(v);
    double d;
    switch (t) {
    case KFP_PT_INT:
        return st == KFP_SCALAR_INT ||
               (st == KFP_SCALAR_FLOAT && kfp_scalar_number(v, &d) && isfinite(d) && d == floor(d));
    case KFP_PT_DOUBLE:
        return st == KFP_SCALAR_INT || st == KFP_SCALAR_FLOAT;
    case KFP_PT_BOOL:
        return st == KFP_SCALAR_BOOL;
    case KFP_PT_LIST:
        return v->kind == KFP_NODE_SEQ;
    case KFP_PT_STRUCT:
        return v->kind == KFP_NODE_MAP;
    case KFP_PT_FINAL_STATUS:
        return false;
    case KFP_PT_STRING:
        return !strict || st == KFP_SCALAR_STRING;
    default:
        return true; /* STRING takes anything; unspecified/unknown types are reported elsewhere */
    }
}

/* For a quoted string that is a clean literal of t, the literal to write instead. */
static const char *typed_literal(enum kfp_ptype t, const struct kfp_node *v)
{
    if (v->kind != KFP_NODE_SCALAR || v->style == KFP_STYLE_PLAIN || v->len == 0 || v->len > 40)
        return NULL;
    const char *s = v->u.str;
    if (t == KFP_PT_BOOL)
        return !strcmp(s, "true") ? "true" : !strcmp(s, "false") ? "false" : NULL;
    if (t != KFP_PT_INT && t != KFP_PT_DOUBLE)
        return NULL;
    char *end;
    const char *p = s[0] == '-' ? s + 1 : s;
    if (!(*p >= '0' && *p <= '9'))
        return NULL;
    if (t == KFP_PT_INT) {
        (void)strtoll(s, &end, 10);
        return *end == '\0' && !(p[0] == '0' && p[1]) ? s : NULL;
    }
    double d = strtod(s, &end);
    return *end == '\0' && isfinite(d) && strchr("0123456789.", s[v->len - 1]) ? s : NULL;
}

static void check_literals(struct kfp_ctx *ctx, const struct kfp_iodef *def,
                           const struct kfp_node *v, const char *what)
{
    const struct kfp_node *lits = kfp_deref(kfp_iodef_literals(def));
    /* an empty list restricts nothing (validate_literal.go checks only when there are literals) */
    if (!lits || lits->kind != KFP_NODE_SEQ || lits->len == 0 || v->kind != KFP_NODE_SCALAR)
        return;
    for (uint32_t i = 0; i < lits->len; i++) {
        const struct kfp_node *l = kfp_deref(&lits->u.items[i]);
        if (l && l->kind == KFP_NODE_SCALAR && l->len == v->len && !memcmp(l->u.str, v->u.str, v->len))
            return;
        double a, b;
        if (kfp_scalar_number(l, &a) && kfp_scalar_number(v, &b) && a == b)
            return;
    }
    kfp_report_at(ctx, v, "%s '%s' is not one of the literals allowed for input '%s'", what,
                  v->u.str, def->name.name);
}

/* Reports v (a constant, default or run parameter) when it does not fit def. */
static void check_value(struct kfp_ctx *ctx, const struct kfp_iodef *def, const struct kfp_node *v,
                        const char *what, bool strict)
{
    v = kfp_deref(v);
    if (!v || def->artifact || has_placeholder(v) || kfp_scalar_type(v) == KFP_SCALAR_NULL)
        return;
    if (!fits(def->ptype, v, strict)) {
        const char *lit = typed_literal(def->ptype, v);
        struct kfp_finding *f;
        if (def->ptype == KFP_PT_FINAL_STATUS)
            f = kfp_report_at(ctx, v, "%s for input '%s' cannot be a constant: a TASK_FINAL_STATUS "
                                      "input takes only taskFinalStatus", what, def->name.name);
        else if (lit)
            f = kfp_report_at(ctx, v, "%s for input '%s' is a string, but the input is %s: write %s "
                                      "without quotes", what, def->name.name,
                              kfp_ptype_name(def->ptype), lit);
        else
            f = kfp_report_at(ctx, v, "%s for input '%s' is %s, but the input is %s", what,
                              def->name.name, kind_of(v), kfp_ptype_name(def->ptype));
        if (lit)
            kfp_fix_replace(ctx, f, 1, v->span.start, v->span.end, lit, "write the typed value");
        return;
    }
    check_literals(ctx, def, v, what);
}

/* Legacy constantValue {intValue|doubleValue|stringValue}: the value must match its own key. */
static void check_legacy(struct kfp_ctx *ctx, const struct kfp_node *cv)
{
    const struct kfp_node *k = NULL, *v;
    if ((v = kfp_map_get(cv, "intValue", &k))) {
        const char *s = kfp_scalar(v);
        char *end = NULL;
        if (s && kfp_scalar_type(v) != KFP_SCALAR_INT)
            (void)strtoll(s, &end, 10);
        if (!s || (end && (*end || !*s)))
            kfp_report_at(ctx, v, "constantValue.intValue is %s, not an integer", kind_of(v));
    } else if ((v = kfp_map_get(cv, "doubleValue", &k))) {
        double d;
        if (!kfp_scalar_number(v, &d))
            kfp_report_at(ctx, v, "constantValue.doubleValue is %s, not a number", kind_of(v));
    }
}

static void check_defs(struct kfp_ctx *ctx, const struct kfp_component *c)
{
    for (int out = 0; out < 2; out++) {
        const struct kfp_iodefs *d = out ? &c->outputs : &c->inputs;
        for (size_t i = 0; i < d->n; i++) {
            const struct kfp_iodef *def = &d->items[i];
            if (!def->artifact && def->ptype == KFP_PT_INVALID) {
                kfp_report_at(ctx, def->type_node,
                              "unknown parameter type '%s' for '%s': use STRING, NUMBER_INTEGER, "
                              "NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT or TASK_FINAL_STATUS",
                              kfp_scalar(def->type_node) ? kfp_scalar(def->type_node) : "?",
                              def->name.name);
                continue;
            }
            if (def->artifact && def->schema_title && strncmp(def->schema_title, "system.", 7) &&
                strncmp(def->schema_title, "google.", 7))
                kfp_report_at(ctx, def->schema_node,
                              "artifact type '%s' of '%s' is outside the system. and google. "
                              "namespaces that KFP accepts", def->schema_title, def->name.name);
            if (!out && def->has_default)
                check_value(ctx, def, kfp_iodef_default(def), "defaultValue", false);
        }
    }
}

static void check_runtime_config(struct kfp_ctx *ctx, const struct kfp_model *m)
{
    const struct kfp_node *rp = m->runtime_params;
    if (!rp || !m->root)
        return;
    for (uint32_t i = 0; i < rp->len; i++) {
        const char *name = kfp_scalar(&rp->u.pairs[i].key);
        const struct kfp_iodef *def = kfp_iodefs_find(&m->root->inputs, name, 0);
        if (!def) {
            kfp_report_at(ctx, &rp->u.pairs[i].key,
                          "runtimeConfig sets '%s', which is not an input parameter of the "
                          "pipeline: the run is rejected", name ? name : "");
            continue;
        }
        if (m->runtime_legacy)
            check_legacy(ctx, &rp->u.pairs[i].value);
        else
            check_value(ctx, def, &rp->u.pairs[i].value, "runtimeConfig value", true);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m || !m->spec)
        return;
    if (m->root)
        check_defs(ctx, m->root);
    for (size_t i = 0; i < m->n_components; i++)
        check_defs(ctx, m->components[i]);
    char what[300];
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++) {
            const struct kfp_task *t = &m->dags[di]->tasks[ti];
            for (size_t i = 0; i < t->n_inputs; i++) {
                const struct kfp_task_input *in = &t->inputs[i];
                if (in->src.kind != KFP_SRC_CONSTANT)
                    continue;
                if (in->src.legacy_constant) {
                    check_legacy(ctx, in->src.constant);
                    continue;
                }
                const struct kfp_iodef *def = in->def && !in->def->artifact ? in->def : NULL;
                if (!def || in->selector)
                    continue;
                snprintf(what, sizeof(what), "the constant of task '%s'", t->key.name);
                check_value(ctx, def, in->src.constant, what, false);
            }
        }
    check_runtime_config(ctx, m);
}

const struct kfp_rule kfp_rule_invalid_value = {
    .id = "invalid-value",
    .summary = "a constant or default that does not fit its declared type",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,types",
    .doc = doc,
    .check = check,
};
