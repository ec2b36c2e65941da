/* argo_invalid_value.c — argo-invalid-value: an Argo field whose value argo rejects (enums,
 * durations, counts, cron schedules, name lengths, parameter enums). */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Checks the values `argo lint` and the controller check: `retryStrategy.retryPolicy` "
    "(Always, OnError, OnFailure, OnTransientError); `podGC.strategy`; `podGC.labelSelector` is "
    "a valid label selector (`podGC.labelSelector invalid`: matchLabels keys are "
    "[prefix/]names and values label values, matchExpressions operators are In, NotIn, Exists "
    "or DoesNotExist, In/NotIn with values, Exists/DoesNotExist without; texts holding a "
    "`{{…}}` are left alone); `resource.action` (get, "
    "create, apply, delete, replace, patch); `timeout` is a duration (`30s`, `5m`), not a bare "
    "number; `activeDeadlineSeconds` is a positive integer or a `{{…}}`; `imagePullPolicy` "
    "(Always, IfNotPresent, Never); a CronWorkflow's `schedules` are 5-field cron expressions "
    "or `@hourly`-style descriptors, `concurrencyPolicy` is Allow, Forbid or Replace, "
    "`startingDeadlineSeconds` is not negative, `timezone` is an IANA zone name (`invalid "
    "timezone`: `UTC`, `Local` or '/'-separated parts of letters, digits, `_`, `+`, `-`, `.`; "
    "where the machine has the tz database at /usr/share/zoneinfo the zone must also exist "
    "there — that fixed path, not $TZDIR, so a machine without it checks only the form and "
    "the result never depends on the environment); `metadata.name` is at most 63 characters (52 "
    "for a CronWorkflow); a workflow parameter's `enum` is not empty and holds its `value`, and "
    "the `valueFrom` of a workflow parameter and of every DAG task's and step's argument "
    "parameter has `configMapKeyRef` or `supplied` (or `event`), and no `path`, `jsonPath`, "
    "`parameter` or `expression`, which are for outputs (`validateArgumentsValues`); a pod "
    "template running with `automountServiceAccountToken: false` (its own, else the workflow's) "
    "has an `executor.serviceAccountName` (its own, else `spec.executor`'s). Prometheus "
    "metrics (`metrics.prometheus` of the workflow and of each template): `realtime` only on a "
    "gauge (a counter or histogram has no such field) and not with a `resourcesDuration.*` "
    "value (`'resourcesDuration.*' metrics cannot be used in real-time`; a **warning** when the "
    "value holds neither `{{duration}}` nor `{{workflow.duration}}`, the only real-time "
    "variables); a gauge's "
    "`operation` is Set, Add or Sub; a value with no `{{…}}` and every histogram bucket is a "
    "number; a **warning** for a metric with more than one of gauge, histogram and counter "
    "(argo emits the first and ignores the rest).\n\n"

    "## Why is this bad?\n"
    "`argo lint` rejects each (`… is not a valid RetryPolicy`, `podGC.strategy unknown strategy "
    "'…'`, `resource.action must be one of: …`, `… has invalid duration format in timeout`, "
    "`cron schedule … is malformed`, `'…' is not a valid concurrencyPolicy`, `workflow name … "
    "must not be more than 63 characters long`, `… value should be present in … enum list`), "
    "or Kubernetes refuses the pod.\n\n"
    "## Example\n"
    "```yaml\n"
    "retryStrategy: {limit: 3, retryPolicy: OnFailed}   # OnFailure\n"
    "timeout: 300                                       # 300s\n"
    "```\n\n"
    "## Fix safety\n"
    "Replacing a misspelt enum value with the one close valid value is unsafe: it is a guess. "
    "A bare-number `timeout` gets a safe fix to seconds (`300` → `300s`), which is what was "
    "meant.\n";

static bool has_var(const char *s)
{
    return s && strstr(s, "{{") != NULL;
}

static void one_of(struct kfp_ctx *ctx, const struct kfp_node *v, const char *field,
                   const char *const *allowed, size_t n, const char *argo_msg)
{
    const char *s = kfp_scalar(v);
    if (!v || !s || has_var(s))
        return;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, allowed[i]))
            return;
    struct kfp_suggest sg;
    kfp_suggest_init(&sg, s);
    char list[300] = "";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        kfp_suggest_add(&sg, allowed[i]);
        if (!*allowed[i])
            continue; /* the empty default is not worth listing */
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", o ? ", " : "", allowed[i]);
        if (o >= sizeof(list))
            break;
    }
    const char *hint = kfp_suggest_result(&sg);
    struct kfp_finding *f = kfp_report_at(ctx, v, "%s '%s' is not valid: use one of %s (argo: %s)%s%s%s",
                                          field, s, list, argo_msg, hint ? "; did you mean '" : "",
                                          hint ? hint : "", hint ? "'?" : "");
    if (hint)
        kfp_fix_rename(ctx, f, v, hint, 0, "replace with the closest valid value");
}

static void check_container(struct kfp_ctx *ctx, const struct kfp_node *c)
{
    static const char *const pulls[] = {"Always", "IfNotPresent", "Never"};
    one_of(ctx, kfp_map_get(c, "imagePullPolicy", NULL), "imagePullPolicy", pulls, 3,
           "Kubernetes rejects the pod");
}

static void check_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp)
{
    const struct kfp_node *n = tp->node;
    const char *tname = tp->name.name ? tp->name.name : "";
    static const char *const policies[] = {"Always", "OnError", "OnFailure", "OnTransientError"};
    one_of(ctx, kfp_map_get(kfp_map_get(n, "retryStrategy", NULL), "retryPolicy", NULL),
           "retryStrategy.retryPolicy", policies, 4, "not a valid RetryPolicy");
    static const char *const actions[] = {"get", "create", "apply", "delete", "replace", "patch"};
    if (tp->type == KFP_ARGO_T_RESOURCE)
        one_of(ctx, kfp_map_get(kfp_map_get(n, "resource", NULL), "action", NULL), "resource.action",
               actions, 6, "resource.action must be one of: get, create, apply, delete, replace, patch");
    const struct kfp_node *to = kfp_map_get(n, "timeout", NULL);
    const char *ts = kfp_scalar(to);
    if (to && kfp_argo_int_text(ts)) {
        struct kfp_finding *f = kfp_report_at(ctx, to, "timeout '%s' of template '%s' has no unit: "
                                                       "argo rejects it (invalid duration format); "
                                                       "write '%ss'", ts, tname, ts);
        if (ctx->doc->format == KFP_FORMAT_JSON) {
            char *text = kfp_arena_printf(ctx->a, "\"%ss\"", ts);
            if (text)
                kfp_fix_replace(ctx, f, 1, to->span.start, to->span.end, text, "add the unit: seconds");
        } else {
            char *text = kfp_arena_printf(ctx->a, "%ss", ts);
            if (text)
                kfp_fix_rename(ctx, f, to, text, 1, "add the unit: seconds");
        }
    }
    const struct kfp_node *ad = kfp_map_get(n, "activeDeadlineSeconds", NULL);
    const char *as = kfp_scalar(ad);
    /* the value is quoted cut to 64 bytes: one long value may stand behind many aliases */
    if (ad && as && !has_var(as) && (!kfp_argo_int_text(as) || as[0] == '-' || !strcmp(as, "0")))
        kfp_report_at(ctx, ad, "activeDeadlineSeconds of template '%s' must be a positive integer "
                               "or a {{…}} variable, not '%.64s'", tname, as);
    check_container(ctx, kfp_map_get(n, "container", NULL));
    check_container(ctx, kfp_map_get(n, "script", NULL));
    static const char *const lists[] = {"initContainers", "sidecars"};
    for (size_t l = 0; l < 2; l++) {
        const struct kfp_node *s = kfp_deref(kfp_map_get(n, lists[l], NULL));
        for (uint32_t i = 0; s && s->kind == KFP_NODE_SEQ && i < s->len; i++)
            check_container(ctx, &s->u.items[i]);
    }
    const struct kfp_node *cs = kfp_deref(kfp_map_get(kfp_map_get(n, "containerSet", NULL), "containers", NULL));
    for (uint32_t i = 0; cs && cs->kind == KFP_NODE_SEQ && i < cs->len; i++)
        check_container(ctx, &cs->u.items[i]);
}

/* A YAML boolean false, as Kubernetes' YAML 1.1 reader takes it (false, no, off in any of
 * their three cases). */
static bool yaml_false(const char *s)
{
    static const char *const f[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
    for (size_t i = 0; s && i < sizeof(f) / sizeof(f[0]); i++)
        if (!strcmp(s, f[i]))
            return true;
    return false;
}

static bool nonempty(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    return s && *s;
}

/* automountServiceAccountToken: false (the template's, else the workflow's) leaves the pod
 * without the token the executor needs, so argo wants an executor service account (the
 * template's executor.serviceAccountName, else spec.executor's): validateLeaf. Pod templates
 * only. */
static void check_automount(struct kfp_ctx *ctx, const struct kfp_argo_template *tp)
{
    int t = tp->type;
    if (t != KFP_ARGO_T_CONTAINER && t != KFP_ARGO_T_SCRIPT && t != KFP_ARGO_T_RESOURCE &&
        t != KFP_ARGO_T_CONTAINER_SET && t != KFP_ARGO_T_DATA)
        return;
    const struct kfp_node *spec = tp->doc->spec;
    const struct kfp_node *tv = kfp_map_get(tp->node, "automountServiceAccountToken", NULL);
    const struct kfp_node *v = tv ? tv : kfp_map_get(spec, "automountServiceAccountToken", NULL);
    if (!v || !yaml_false(kfp_scalar(v)) ||
        nonempty(kfp_map_get(kfp_map_get(tp->node, "executor", NULL), "serviceAccountName", NULL)) ||
        nonempty(kfp_map_get(kfp_map_get(spec, "executor", NULL), "serviceAccountName", NULL)))
        return;
    const char *tname = tp->name.name ? tp->name.name : "";
    if (tv)
        kfp_report_at(ctx, tv, "template '%s' sets automountServiceAccountToken: false but has no "
                               "executor.serviceAccountName: argo rejects it (executor.serviceAccountName "
                               "must not be empty if automountServiceAccountToken is false); set "
                               "executor.serviceAccountName on the template or spec.executor", tname);
    else
        kfp_report_at(ctx, tp->name.node ? tp->name.node : tp->node,
                      "template '%s' runs with spec.automountServiceAccountToken: false but no "
                      "executor.serviceAccountName: argo rejects it (executor.serviceAccountName must "
                      "not be empty if automountServiceAccountToken is false); set "
                      "spec.executor.serviceAccountName or the template's", tname);
}

/* robfig/cron ParseStandard: 5 fields, or a descriptor; an optional TZ=/CRON_TZ= prefix. */
static bool cron_ok(const char *s)
{
    if (!strncmp(s, "TZ=", 3) || !strncmp(s, "CRON_TZ=", 8)) {
        s = strchr(s, ' ');
        if (!s)
            return false;
        while (*s == ' ')
            s++;
    }
    if (s[0] == '@') {
        static const char *const d[] = {"@yearly", "@annually", "@monthly", "@weekly",
                                        "@daily", "@midnight", "@hourly"};
        for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
            if (!strcmp(s, d[i]))
                return true;
        return !strncmp(s, "@every ", 7) && s[7];
    }
    int fields = 0;
    bool in = false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t') {
            in = false;
            continue;
        }
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '*' || c == ',' || c == '-' || c == '/' || c == '?'))
            return false;
        if (!in)
            fields++;
        in = true;
    }
    return fields == 5;
}

/* The IANA zone name form: '/'-separated components of letters, digits, '_', '+', '-' and '.',
 * none empty and none "." or ".." (Go's time.LoadLocation refuses ".." and a leading '/' as an
 * invalid location name, and finds no zone file for anything else outside this form). */
static bool tz_form_ok(const char *s)
{
    size_t comp = 0;
    for (const char *p = s;; p++) {
        if (*p == '/' || !*p) {
            if (comp == 0 || (comp == 1 && p[-1] == '.') || (comp == 2 && p[-1] == '.' && p[-2] == '.'))
                return false;
            if (!*p)
                return true;
            comp = 0;
            continue;
        }
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '+' || c == '-' || c == '.'))
            return false;
        if (++comp > 255)
            return false;
    }
}

/* Whether the machine's tz database (/usr/share/zoneinfo, the fixed path, not $TZDIR, so the
 * answer does not depend on the environment) is present; when it is, *exists says whether name
 * is a zone in it (a TZif file, not tzdata.zi, zone.tab or a directory). name has tz_form_ok's
 * form, so it cannot leave the directory. */
static bool tz_lookup(const char *name, bool *exists)
{
    FILE *probe = fopen("/usr/share/zoneinfo/UTC", "rb");
    if (!probe)
        return false;
    fclose(probe);
    char path[300];
    int n = snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    *exists = false;
    if (n < 0 || (size_t)n >= sizeof(path))
        return true;
    FILE *f = fopen(path, "rb");
    if (!f)
        return true;
    char magic[4];
    *exists = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "TZif", 4);
    fclose(f);
    return true;
}

/* validateCronWorkflow: time.LoadLocation(spec.timezone) must succeed. */
static void check_timezone(struct kfp_ctx *ctx, const struct kfp_node *tz)
{
    const char *s = kfp_scalar(tz);
    if (!s || !*s || !strcmp(s, "UTC") || !strcmp(s, "Local"))
        return;
    if (!tz_form_ok(s)) {
        kfp_report_at(ctx, tz, "timezone '%s' is not an IANA time zone name: argo rejects it (invalid "
                               "timezone); write a name such as America/New_York or Etc/UTC", s);
        return;
    }
    bool exists = true;
    if (tz_lookup(s, &exists) && !exists)
        kfp_report_at(ctx, tz, "timezone '%s' is not in the IANA time zone database: argo rejects it "
                               "(invalid timezone: unknown time zone); names are case-sensitive, "
                               "such as America/New_York or Etc/UTC", s);
}

/* Kubernetes IsValidLabelValue: at most 63 characters, empty or alphanumerics at both ends with
 * '-', '_' and '.' between. */
static bool label_value_ok(const char *s, size_t n)
{
    if (n == 0)
        return true;
    if (n > 63)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && ((i == 0 || i == n - 1) || !(c == '-' || c == '_' || c == '.')))
            return false;
    }
    return true;
}

/* Kubernetes IsQualifiedName: [prefix/]name, the name a non-empty label value, the prefix a
 * lower-case DNS-1123 subdomain of at most 253 characters. */
static bool label_key_ok(const char *s)
{
    const char *slash = strchr(s, '/');
    const char *name = slash ? slash + 1 : s;
    if (!*name || !label_value_ok(name, strlen(name)) || strchr(name, '/'))
        return false;
    if (!slash)
        return true;
    size_t pn = (size_t)(slash - s);
    if (pn == 0 || pn > 253)
        return false;
    for (size_t i = 0; i < pn; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && ((i == 0 || i == pn - 1) || !(c == '-' || c == '.')))
            return false;
        if (c == '.' && (s[i + 1] == '.' || s[i + 1] == '-' || s[i - 1] == '-'))
            return false;
    }
    return true;
}

/* validateWorkflow: metav1.LabelSelectorAsSelector(podGC.labelSelector) must succeed (keys are
 * qualified names, values label values, operators In, NotIn, Exists or DoesNotExist, In/NotIn
 * with values and Exists/DoesNotExist without). Texts holding a {{…}} are left alone. */
static void check_label_selector(struct kfp_ctx *ctx, const struct kfp_node *sel)
{
    sel = kfp_deref(sel);
    if (!sel || sel->kind != KFP_NODE_MAP)
        return;
    const char *why = "podGC.labelSelector invalid";
    const struct kfp_node *ml = kfp_deref(kfp_map_get(sel, "matchLabels", NULL));
    for (uint32_t i = 0; ml && ml->kind == KFP_NODE_MAP && i < ml->len; i++) {
        const struct kfp_node *k = &ml->u.pairs[i].key, *v = kfp_deref(&ml->u.pairs[i].value);
        const char *ks = kfp_scalar(k), *vs = kfp_scalar(v);
        if (ks && !has_var(ks) && !label_key_ok(ks))
            kfp_report_at(ctx, k, "label key '%s' of podGC.labelSelector.matchLabels is not a valid "
                                  "label name: argo rejects it (%s); use [prefix/]name of letters, "
                                  "digits, '-', '_', '.', at most 63", ks, why);
        if (vs && !has_var(vs) && !label_value_ok(vs, v->len))
            kfp_report_at(ctx, v, "label value '%s' of podGC.labelSelector.matchLabels is not valid: "
                                  "argo rejects it (%s); use at most 63 letters, digits, '-', '_', "
                                  "'.', starting and ending with a letter or digit", vs, why);
    }
    const struct kfp_node *me = kfp_deref(kfp_map_get(sel, "matchExpressions", NULL));
    for (uint32_t i = 0; me && me->kind == KFP_NODE_SEQ && i < me->len; i++) {
        const struct kfp_node *e = &me->u.items[i];
        const struct kfp_node *op = kfp_map_get(e, "operator", NULL);
        const char *ops = kfp_scalar(op);
        static const char *const ops_ok[] = {"In", "NotIn", "Exists", "DoesNotExist"};
        int which = -1;
        for (int o = 0; ops && o < 4; o++)
            if (!strcmp(ops, ops_ok[o]))
                which = o;
        if (ops && which < 0) {
            one_of(ctx, op, "podGC.labelSelector operator", ops_ok, 4, "not a valid label selector operator");
            continue;
        }
        const struct kfp_node *k = kfp_map_get(e, "key", NULL);
        const char *ks = kfp_scalar(k);
        if (ks && !has_var(ks) && !label_key_ok(ks))
            kfp_report_at(ctx, k, "label key '%s' of podGC.labelSelector.matchExpressions is not a "
                                  "valid label name: argo rejects it (%s); use [prefix/]name of "
                                  "letters, digits, '-', '_', '.', at most 63", ks, why);
        const struct kfp_node *vk = NULL;
        const struct kfp_node *vals = kfp_deref(kfp_map_get(e, "values", &vk));
        uint32_t nv = vals && vals->kind == KFP_NODE_SEQ ? vals->len : 0;
        if (which >= 0 && which < 2 && nv == 0)
            kfp_report_at(ctx, vk ? vk : op, "operator %s of podGC.labelSelector needs values: argo "
                                             "rejects it (%s: for 'in', 'notin' operators, values set "
                                             "can't be empty)", ops, why);
        else if (which >= 2 && nv > 0)
            kfp_report_at(ctx, vk, "operator %s of podGC.labelSelector takes no values: argo rejects it "
                                   "(%s: values set must be empty for exists and does not exist)",
                          ops, why);
        for (uint32_t j = 0; j < nv; j++) {
            const struct kfp_node *v = kfp_deref(&vals->u.items[j]);
            const char *vs = kfp_scalar(v);
            if (vs && !has_var(vs) && !label_value_ok(vs, v->len))
                kfp_report_at(ctx, v, "label value '%s' of podGC.labelSelector.matchExpressions is not "
                                      "valid: argo rejects it (%s); use at most 63 letters, digits, "
                                      "'-', '_', '.', starting and ending with a letter or digit", vs, why);
        }
    }
}

/* validateArgumentsValues: an argument parameter's (workflow, DAG task or step) valueFrom needs
 * configMapKeyRef, supplied or event, and must not use path, jsonPath, parameter or expression
 * (those are for outputs). */
static void arg_value_from(struct kfp_ctx *ctx, const struct kfp_node *p, const char *what)
{
    const struct kfp_node *vk = NULL;
    const struct kfp_node *vf = kfp_deref(kfp_map_get(p, "valueFrom", &vk));
    if (!vf || vf->kind != KFP_NODE_MAP)
        return;
    static const char *const bad[] = {"path", "jsonPath", "parameter", "expression"};
    bool reported = false;
    for (uint32_t k = 0; k < vf->len; k++) {
        const char *key = kfp_scalar(&vf->u.pairs[k].key);
        for (size_t b = 0; key && b < sizeof(bad) / sizeof(bad[0]); b++)
            if (!strcmp(key, bad[b])) {
                reported = true;
                kfp_report_at(ctx, &vf->u.pairs[k].key,
                              "valueFrom.%s cannot feed %s: argo allows only default, "
                              "configMapKeyRef and supplied there (valueFrom.%s is for outputs)%s",
                              key, what, key,
                              b >= 2 ? "; pass the value itself: value: \"{{…}}\"" : "");
            }
    }
    if (!reported && !kfp_map_get(vf, "configMapKeyRef", NULL) && !kfp_map_get(vf, "supplied", NULL) &&
        !kfp_map_get(vf, "event", NULL))
        kfp_report_at(ctx, vk, "the valueFrom of %s has no configMapKeyRef or supplied: argo rejects "
                               "it (valueFrom only allows: default, configMapKeyRef and supplied)",
                      what);
}

/* A float literal strconv.ParseFloat takes (decimal or exponent form, optional sign). */
static bool float_text(const char *s)
{
    if (!s || !*s || *s == ' ' || *s == '\t' || *s == '\n')
        return false;
    char *end = NULL;
    (void)strtod(s, &end);
    return end && end != s && !*end;
}

/* The values of owner's Prometheus metrics (ValidateMetricValues and the controller's
 * UpsertCustomMetric): one type only (GetMetricType takes gauge, then histogram, then counter),
 * `realtime` only on a gauge and not with resourcesDuration.*, gauge `operation` Set/Add/Sub, a
 * literal value and every bucket a number. */
static void check_metric_values(struct kfp_ctx *ctx, const struct kfp_node *owner, const char *where)
{
    static const char *const types[] = {"gauge", "histogram", "counter"};
    const struct kfp_node *seq = kfp_deref(kfp_map_get(kfp_map_get(owner, "metrics", NULL), "prometheus", NULL));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        const struct kfp_node *mt = &seq->u.items[i];
        const char *name = kfp_scalar(kfp_map_get(mt, "name", NULL));
        name = name ? name : "";
        const char *first = NULL;
        for (size_t t = 0; t < 3; t++) {
            const struct kfp_node *tk = NULL;
            const struct kfp_node *tv = kfp_deref(kfp_map_get(mt, types[t], &tk));
            if (!tk || !tv || (tv->kind == KFP_NODE_SCALAR && kfp_scalar_type(tv) == KFP_SCALAR_NULL))
                continue;
            if (first)
                kfp_report_sev(ctx, KFP_SEV_WARNING, tk,
                               "metric '%s' of %s has both %s and %s: argo emits only the %s and "
                               "silently ignores this %s; keep one type per metric (a second "
                               "metric can have another name)",
                               name, where, first, types[t], first, types[t]);
            else
                first = types[t];
            const struct kfp_node *rk = NULL;
            const struct kfp_node *rt = kfp_map_get(tv, "realtime", &rk);
            const struct kfp_node *vn = kfp_map_get(tv, "value", NULL);
            const char *val = kfp_scalar(vn);
            if (rk && t != 0)
                kfp_report_at(ctx, rk, "realtime is only for gauges: argo rejects it on a %s (unknown "
                                       "field \"realtime\"); remove it or make metric '%s' a gauge",
                              types[t], name);
            if (t == 0 && rt && kfp_scalar_type(rt) == KFP_SCALAR_BOOL && !strcmp(kfp_scalar(rt), "true") &&
                val && strstr(val, "resourcesDuration."))
                kfp_report_at(ctx, vn, "realtime gauge '%s' of %s reads resourcesDuration: argo rejects "
                                       "it ('resourcesDuration.*' metrics cannot be used in real-time), "
                                       "the value is only known when the step ends; set realtime: "
                                       "false or use {{duration}}",
                              name, where);
            /* variables.md, real-time metrics: only {{duration}} (template) and
             * {{workflow.duration}} (workflow) are emitted while the step runs */
            if (t == 0 && rt && kfp_scalar_type(rt) == KFP_SCALAR_BOOL && !strcmp(kfp_scalar(rt), "true") &&
                val && *val && !strstr(val, "duration") && !strstr(val, "resourcesDuration."))
                kfp_report_sev(ctx, KFP_SEV_WARNING, vn,
                               "realtime gauge '%s' of %s has no real-time variable in its value: "
                               "argo emits only {{duration}} (template) and {{workflow.duration}} "
                               "(workflow) in real time; use one of them or set realtime: false",
                               name, where);
            if (t == 0) {
                const struct kfp_node *op = kfp_map_get(tv, "operation", NULL);
                const char *o = kfp_scalar(op);
                if (o && *o && !has_var(o) && strcmp(o, "Set") && strcmp(o, "Add") && strcmp(o, "Sub"))
                    kfp_report_at(ctx, op, "gauge operation '%s' of metric '%s' is not one of Set, Add, "
                                           "Sub: argo applies Set instead; write one of those",
                                  o, name);
            }
            if (val && *val && !has_var(val) && vn->kind == KFP_NODE_SCALAR && !float_text(val))
                kfp_report_at(ctx, vn, "the %s value '%s' of metric '%s' is not a number: argo fails to "
                                       "emit it (strconv.ParseFloat: invalid syntax); give a number "
                                       "or a {{…}} that yields one",
                              types[t], val, name);
            if (t == 1) {
                const struct kfp_node *b = kfp_deref(kfp_map_get(tv, "buckets", NULL));
                for (uint32_t j = 0; b && b->kind == KFP_NODE_SEQ && j < b->len; j++) {
                    const struct kfp_node *e = kfp_deref(&b->u.items[j]);
                    const char *bs = kfp_scalar(e);
                    if (e && (!bs || !float_text(bs)))
                        kfp_report_at(ctx, e, "bucket %u of histogram '%s' is not a number: the "
                                              "Workflow CRD requires numbers (buckets: type number) "
                                              "and argo reads anything else as 0; write e.g. 0.5",
                                      j, name);
                }
            }
        }
    }
}

static void check_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    (void)arg;
    check_metric_values(ctx, d->spec, "the workflow");
    const struct kfp_node *md = kfp_map_get(d->root, "metadata", NULL);
    const struct kfp_node *nm = kfp_map_get(md, "name", NULL);
    size_t max = d->kind == KFP_ARGO_CRON_WORKFLOW ? 52 : 63;
    if (kfp_scalar(nm) && !has_var(kfp_scalar(nm)) && nm->len > max)
        kfp_report_at(ctx, nm, "%s name '%s' is %u characters long: argo allows at most %zu",
                      kfp_scalar(d->kind_node), kfp_scalar(nm), (unsigned)nm->len, max);
    static const char *const gc[] = {"", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion",
                                     "OnWorkflowSuccess"};
    one_of(ctx, kfp_map_get(kfp_map_get(d->spec, "podGC", NULL), "strategy", NULL), "podGC.strategy",
           gc, 5, "unknown strategy");
    check_label_selector(ctx, kfp_map_get(kfp_map_get(d->spec, "podGC", NULL), "labelSelector", NULL));
    const struct kfp_node *ad = kfp_map_get(d->spec, "activeDeadlineSeconds", NULL);
    const char *as = kfp_scalar(ad);
    /* a value that is not an integer at all is invalid-type's (src/argo_walk.c) */
    if (ad && as && kfp_argo_int_text(as) && as[0] == '-')
        kfp_report_at(ctx, ad, "spec.activeDeadlineSeconds must not be negative, not '%.64s'", as);
    const struct kfp_node *params = kfp_deref(d->params);
    for (uint32_t i = 0; params && i < params->len; i++) {
        const struct kfp_node *p = &params->u.items[i];
        arg_value_from(ctx, p, "a workflow parameter");
        const struct kfp_node *ek = NULL;
        const struct kfp_node *en = kfp_deref(kfp_map_get(p, "enum", &ek));
        if (!ek)
            continue;
        const char *pn = kfp_scalar(kfp_map_get(p, "name", NULL));
        if (!en || en->kind != KFP_NODE_SEQ || en->len == 0) {
            kfp_report_at(ctx, ek, "the enum of workflow parameter '%s' is empty: argo rejects it "
                                   "(enum should contain at least one value)", pn ? pn : "");
            continue;
        }
        const struct kfp_node *v = kfp_map_get(p, "value", NULL);
        const char *vs = kfp_scalar(v);
        if (!vs || has_var(vs))
            continue;
        bool found = false;
        for (uint32_t j = 0; j < en->len && !found; j++) {
            const char *e = kfp_scalar(&en->u.items[j]);
            found = e && !strcmp(e, vs);
        }
        if (!found)
            kfp_report_at(ctx, v, "value '%s' of workflow parameter '%s' is not in its enum: argo "
                                  "rejects it (value should be present in the enum list)",
                          vs, pn ? pn : "");
    }
    if (d->kind != KFP_ARGO_CRON_WORKFLOW)
        return;
    const struct kfp_node *sp = d->outer_spec;
    check_timezone(ctx, kfp_map_get(sp, "timezone", NULL));
    static const char *const cp[] = {"Allow", "Forbid", "Replace"};
    one_of(ctx, kfp_map_get(sp, "concurrencyPolicy", NULL), "concurrencyPolicy", cp, 3,
           "not a valid concurrencyPolicy");
    const struct kfp_node *sd = kfp_map_get(sp, "startingDeadlineSeconds", NULL);
    const char *sds = kfp_scalar(sd);
    if (sd && sds && kfp_argo_int_text(sds) && sds[0] == '-')
        kfp_report_at(ctx, sd, "startingDeadlineSeconds must be a non-negative integer, not '%s'", sds);
    const struct kfp_node *sch = kfp_deref(kfp_map_get(sp, "schedules", NULL));
    for (uint32_t i = 0; sch && sch->kind == KFP_NODE_SEQ && i < sch->len; i++) {
        const char *s = kfp_scalar(&sch->u.items[i]);
        if (s && !has_var(s) && !cron_ok(s))
            kfp_report_at(ctx, &sch->u.items[i], "cron schedule '%s' is malformed: argo expects 5 "
                                                 "fields (minute hour day-of-month month "
                                                 "day-of-week) or a descriptor such as @hourly",
                          s);
    }
}

/* The argument parameters of every DAG task and step. */
static void check_task_args(struct kfp_ctx *ctx, const struct kfp_argo_template *tp)
{
    char what[300];
    for (size_t j = 0; j < tp->n_tasks; j++) {
        const struct kfp_task *t = tp->tasks[j].task;
        for (size_t i = 0; i < t->n_inputs; i++) {
            if (t->inputs[i].artifact || !t->inputs[i].node)
                continue;
            snprintf(what, sizeof(what), "argument '%s' of %s '%s'",
                     t->inputs[i].name.name ? t->inputs[i].name.name : "",
                     tp->tasks[j].is_step ? "step" : "task", t->key.name ? t->key.name : "");
            arg_value_from(ctx, t->inputs[i].node, what);
        }
    }
}

static void check_template_tasks(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    (void)arg;
    check_template(ctx, tp);
    check_automount(ctx, tp);
    check_task_args(ctx, tp);
    if (kfp_map_get(tp->node, "metrics", NULL)) {
        char where[300];
        snprintf(where, sizeof(where), "template '%s'", tp->name.name ? tp->name.name : "");
        check_metric_values(ctx, tp->node, where);
    }
}

static void check(struct kfp_ctx *ctx)
{
    kfp_argo_walk(ctx, check_doc, check_template_tasks, NULL);
}

const struct kfp_rule kfp_rule_argo_invalid_value = {
    .id = "argo-invalid-value",
    .summary = "an Argo field whose value argo rejects",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,argo",
    .doc = doc,
    .check = check,
};
