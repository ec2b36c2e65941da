/* engine.c — the rule registry, finding construction and the per-file lint driver
 * (kfp_lint_buffer, kfp_report*, kfp_suggest_*).
 *
 * One call lints one file with its own arena and touches no shared mutable state, so files can
 * be linted on several threads at once.
 */
#include "kfplint/rule.h"
#include "kfplint/argo.h"
#include "kfplint/alloc.h"
#include "kfplint/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KFP_RULE(name) extern const struct kfp_rule kfp_rule_##name;
#include "../rules/rules.def"
#undef KFP_RULE

const struct kfp_rule *const kfp_rules[] = {
#define KFP_RULE(name) &kfp_rule_##name,
#include "../rules/rules.def"
#undef KFP_RULE
};
const size_t kfp_n_rules = sizeof(kfp_rules) / sizeof(kfp_rules[0]);

const struct kfp_rule *kfp_rule_find(const char *id)
{
    for (size_t i = 0; i < kfp_n_rules; i++)
        if (strcmp(kfp_rules[i]->id, id) == 0)
            return kfp_rules[i];
    return NULL;
}

size_t kfp_rule_index(const struct kfp_rule *r)
{
    for (size_t i = 0; i < kfp_n_rules; i++)
        if (kfp_rules[i] == r)
            return i;
    return SIZE_MAX;
}

static const char *const sev_names[] = {"off", "note", "warning", "error"}; /* ORDER kfp_severity */

const char *kfp_severity_name(enum kfp_severity s)
{
    return (size_t)s < 4 ? sev_names[s] : "error";
}

int kfp_severity_parse(const char *s)
{
    if (strcmp(s, "warn") == 0) /* what ruff, eslint and hadolint users write */
        return KFP_SEV_WARNING;
    for (int i = 0; i < 4; i++)
        if (strcmp(s, sev_names[i]) == 0)
            return i;
    return -1;
}

struct kfp_span kfp_node_span(const struct kfp_node *n)
{
    struct kfp_span s = {0, 0};
    return n ? n->span : s;
}

__attribute__((format(printf, 3, 0))) static struct kfp_finding *
vreport(struct kfp_ctx *ctx, struct kfp_span span, const char *fmt,
                                   va_list ap)
{
    struct kfp_finding *f = kfp_arena_calloc(ctx->a, 1, sizeof(*f));
    char buf[1024];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    if (f)
        f->msg = kfp_arena_strdup(ctx->a, buf);
    if (!f || !f->msg || kfp_vec_push(ctx->a, ctx->findings, f)) {
        ctx->oom = 1;
        return NULL;
    }
    f->rule = ctx->rule;
    size_t idx = kfp_rule_index(ctx->rule);
    f->severity = idx < kfp_n_rules ? ctx->opts->severity[idx] : ctx->rule->severity;
    f->span = span;
    return f;
}

struct kfp_finding *kfp_report(struct kfp_ctx *ctx, struct kfp_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct kfp_finding *f = vreport(ctx, span, fmt, ap);
    va_end(ap);
    return f;
}

struct kfp_finding *kfp_report_at(struct kfp_ctx *ctx, const struct kfp_node *n, const char *fmt,
                                  ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct kfp_finding *f = vreport(ctx, kfp_node_span(n), fmt, ap);
    va_end(ap);
    return f;
}

struct kfp_finding *kfp_report_sev(struct kfp_ctx *ctx, enum kfp_severity sev,
                                   const struct kfp_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct kfp_finding *f = vreport(ctx, kfp_node_span(n), fmt, ap);
    va_end(ap);
    if (f && f->severity > sev)
        f->severity = sev;
    return f;
}

void kfp_undecided(struct kfp_ctx *ctx, const struct kfp_node *n, const char *fmt, ...)
{
    if (!ctx->undecided || ctx->undecided->has_span)
        return; /* the first case is enough: the file already fails */
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    size_t line, col;
    struct kfp_span sp = kfp_node_span(n);
    kfp_source_pos(&ctx->doc->src, sp.start, &line, &col);
    kfp_error_set_at(ctx->undecided, sp, "%s:%zu:%zu: rule '%s': %s", ctx->doc->src.path, line, col,
                     ctx->rule->id, buf);
}

/* Whether text can be written as a plain YAML scalar that YAML still reads as this string. */
static bool plain_safe(const char *text)
{
    if (!*text || strchr("-?:,[]{}#&*!|>'\"%@`~ ", text[0]))
        return false;
    for (const char *p = text; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-_./:@+", *p)))
            return false;
        if (*p == ':' && (p[1] == '\0' || p[1] == ' '))
            return false;
    }
    /* a plain scalar that YAML would read as a number, boolean or null */
    struct kfp_node probe;
    memset(&probe, 0, sizeof(probe));
    probe.kind = KFP_NODE_SCALAR;
    probe.u.str = text;
    probe.len = (uint32_t)strlen(text);
    return kfp_scalar_type(&probe) == KFP_SCALAR_STRING;
}

char *kfp_quote_like(struct kfp_arena *a, const struct kfp_node *n, const char *text)
{
    bool plain_ok = plain_safe(text);
    if (n->style == KFP_STYLE_SINGLE && !strchr(text, '\''))
        return kfp_arena_printf(a, "'%s'", text);
    if (n->style == KFP_STYLE_PLAIN && plain_ok)
        return kfp_arena_strdup(a, text);
    /* double-quoted: valid in YAML and JSON alike */
    size_t len = strlen(text);
    char *out = kfp_arena_alloc(a, len * 6 + 3);
    if (!out)
        return NULL;
    char *o = out;
    *o++ = '"';
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c < 0x20) {
            o += sprintf(o, "\\u%04x", c);
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

void kfp_related(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *n,
                 const char *fmt, ...)
{
    if (!f || !n)
        return;
    /* the list's capacity is the smallest power of two (>= 4) holding n_related: it doubles
     * when full, so adding n locations copies O(n) entries in all, not O(n^2) */
    size_t have = f->n_related;
    bool full = have == 0 || (have >= 4 && (have & (have - 1)) == 0);
    struct kfp_related *r =
        full ? kfp_arena_alloc(ctx->a, (have ? 2 * have : 4) * sizeof(*r)) : f->related;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    const char *msg = kfp_arena_strdup(ctx->a, buf);
    if (!r || !msg) {
        ctx->oom = 1;
        return;
    }
    if (full && have)
        memcpy(r, f->related, have * sizeof(*r));
    r[f->n_related].span = n->span;
    r[f->n_related].msg = msg;
    f->related = r;
    f->n_related++;
}

void kfp_fix_edits(struct kfp_ctx *ctx, struct kfp_finding *f, int safe, const char *title,
                   const struct kfp_edit *edits, size_t n)
{
    if (!f || !n)
        return;
    struct kfp_fix *fix = kfp_arena_calloc(ctx->a, 1, sizeof(*fix));
    struct kfp_edit *e = kfp_arena_alloc(ctx->a, n * sizeof(*e));
    const char *ti = kfp_arena_strdup(ctx->a, title);
    if (!fix || !e || !ti) {
        ctx->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        e[i] = edits[i];
        e[i].text = kfp_arena_strdup(ctx->a, edits[i].text ? edits[i].text : "");
        if (!e[i].text) {
            ctx->oom = 1;
            return;
        }
    }
    fix->title = ti;
    fix->safe = safe;
    fix->edits = e;
    fix->n_edits = n;
    f->fix = fix;
}

void kfp_fix_replace(struct kfp_ctx *ctx, struct kfp_finding *f, int safe, uint32_t start,
                     uint32_t end, const char *text, const char *title)
{
    struct kfp_edit e = {start, end, text};
    kfp_fix_edits(ctx, f, safe, title, &e, 1);
}

/* ---------------------------------------------------------------- did you mean */

/* Optimal string alignment distance, stopping early above `limit`; adds the number of cells it
 * computed (at least 1) to *work. */
static size_t edit_distance(const char *a, const char *b, size_t limit, size_t *work)
{
    size_t la = strlen(a), lb = strlen(b);
    *work += 1;
    if (la > 256 || lb > 256)
        return SIZE_MAX;
    if ((la > lb ? la - lb : lb - la) > limit)
        return SIZE_MAX;
    size_t rows[3][257];
    size_t *pp = rows[0], *p = rows[1], *c = rows[2];
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        *work += lb;
        c[0] = i;
        size_t rowmin = c[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > limit)
            return SIZE_MAX;
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

void kfp_suggest_init(struct kfp_suggest *s, const char *name)
{
    s->name = name;
    s->best = NULL;
    s->best_dist = SIZE_MAX;
    s->ties = 0;
    s->used = NULL;
    s->exhausted = false;
}

void kfp_suggest_limit(struct kfp_suggest *s, struct kfp_ctx *ctx)
{
    s->used = &ctx->suggest_used;
}

void kfp_suggest_add(struct kfp_suggest *s, const char *cand)
{
    if (!s->name || !cand || s->exhausted)
        return;
    if (s->used && *s->used >= KFP_SUGGEST_BUDGET) {
        /* the budget is spent: this candidate is not looked at, so no suggestion at all (one
         * from the candidates seen so far could be wrong) */
        s->exhausted = true;
        return;
    }
    size_t len = strlen(s->name), work = 0;
    if (strcmp(s->name, cand) == 0)
        return;
    size_t limit = len < 4 ? 1 : len < 9 ? 2 : 3;
    size_t d = edit_distance(s->name, cand, limit, &work);
    if (s->used) /* one call computes at most 257 x 256 cells: the budget overshoots by no more */
        *s->used += work;
    /* a plain prefix/suffix difference such as a missing "s" or a "_1" counts as close too */
    if (d > limit) {
        size_t lc = strlen(cand);
        size_t shorter = lc < len ? lc : len, diff = lc < len ? len - lc : lc - len;
        if (shorter >= 4 && diff <= 4 && strncmp(s->name, cand, shorter) == 0)
            d = limit + 1;
        else
            return;
    }
    if (d < s->best_dist) {
        s->best = cand;
        s->best_dist = d;
        s->ties = 0;
    } else if (d == s->best_dist && strcmp(cand, s->best) != 0) {
        s->ties++;
    }
}

const char *kfp_suggest_result(const struct kfp_suggest *s)
{
    return s->ties || s->exhausted ? NULL : s->best;
}

void kfp_suggest_map(struct kfp_suggest *s, const struct kfp_strmap *m)
{
    for (size_t i = 0; i < m->cap && !s->exhausted; i++)
        if (m->slots[i].key)
            kfp_suggest_add(s, m->slots[i].key);
}

void kfp_suggest_iodefs(struct kfp_suggest *s, const struct kfp_iodefs *d, int kind)
{
    for (size_t i = 0; i < d->n && !s->exhausted; i++)
        if (kind < 0 || d->items[i].artifact == kind)
            kfp_suggest_add(s, d->items[i].name.name);
}

const char *kfp_suggest_in(const char *name, const struct kfp_strmap *m)
{
    struct kfp_suggest s;
    kfp_suggest_init(&s, name);
    kfp_suggest_map(&s, m);
    return kfp_suggest_result(&s);
}

const char *kfp_suggest_in_ctx(struct kfp_ctx *ctx, const char *name, const struct kfp_strmap *m)
{
    struct kfp_suggest s;
    kfp_suggest_init(&s, name);
    kfp_suggest_limit(&s, ctx);
    kfp_suggest_map(&s, m);
    return kfp_suggest_result(&s);
}

void kfp_fix_rename(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *n,
                    const char *name, int safe, const char *title)
{
    if (!f || !n)
        return;
    if (n->kind == KFP_NODE_SCALAR && n->style == KFP_STYLE_BLOCK)
        return; /* a piece of a string whose bytes could not be located (model_argo.c): no edit */
    char *text = kfp_quote_like(ctx->a, n, name);
    if (!text) {
        ctx->oom = 1;
        return;
    }
    kfp_fix_replace(ctx, f, safe, n->span.start, n->span.end, text, title);
}

/* ---------------------------------------------------------------- sorting */

static int cmp_findings(const void *pa, const void *pb)
{
    const struct kfp_finding *a = *(const struct kfp_finding *const *)pa;
    const struct kfp_finding *b = *(const struct kfp_finding *const *)pb;
    if (a->span.start != b->span.start)
        return a->span.start < b->span.start ? -1 : 1;
    int c = strcmp(a->rule->id, b->rule->id);
    if (c)
        return c;
    c = strcmp(a->msg, b->msg);
    if (c)
        return c;
    if (a->span.end != b->span.end)
        return a->span.end < b->span.end ? -1 : 1;
    return 0;
}

size_t kfp_findings_sort(struct kfp_finding **f, size_t n)
{
    if (n < 2)
        return n;
    qsort(f, n, sizeof(*f), cmp_findings);
    size_t out = 1;
    for (size_t i = 1; i < n; i++)
        if (cmp_findings(&f[i], &f[out - 1]) != 0)
            f[out++] = f[i];
    return out;
}

void kfp_each_container(struct kfp_ctx *ctx,
                        void (*fn)(struct kfp_ctx *ctx, const struct kfp_container *c))
{
    struct kfp_arena_mark mark = kfp_arena_mark(ctx->scratch);
    for (size_t i = 0; ctx->m && i < ctx->m->n_containers && !ctx->oom; i++) {
        fn(ctx, ctx->m->containers[i]);
        kfp_arena_release(ctx->scratch, mark);
    }
}

void kfp_argo_each_task(struct kfp_ctx *ctx,
                        void (*fn)(struct kfp_ctx *ctx, const struct kfp_argo_task *at))
{
    const struct kfp_argo *argo = ctx->m ? ctx->m->argo : NULL;
    for (size_t i = 0; argo && i < argo->n_templates && !ctx->oom; i++)
        for (size_t j = 0; j < argo->templates[i]->n_tasks && !ctx->oom; j++)
            fn(ctx, &argo->templates[i]->tasks[j]);
}

void kfp_argo_walk(struct kfp_ctx *ctx,
                   void (*doc_fn)(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg),
                   void (*tmpl_fn)(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg),
                   void *arg)
{
    const struct kfp_argo *argo = ctx->m ? ctx->m->argo : NULL;
    struct kfp_arena_mark mark = kfp_arena_mark(ctx->scratch);
    for (size_t i = 0; doc_fn && argo && i < argo->n_docs && !ctx->oom; i++) {
        doc_fn(ctx, &argo->docs[i], arg);
        kfp_arena_release(ctx->scratch, mark);
    }
    for (size_t i = 0; tmpl_fn && argo && i < argo->n_templates && !ctx->oom; i++) {
        tmpl_fn(ctx, argo->templates[i], arg);
        kfp_arena_release(ctx->scratch, mark);
    }
}

int kfp_each_scalar(struct kfp_ctx *ctx, const struct kfp_node *root, size_t budget,
                    int (*fn)(struct kfp_ctx *ctx, const struct kfp_node *scalar, void *arg), void *arg)
{
    struct kfp_vec stack = {0};
    if (kfp_vec_push(ctx->scratch, &stack, (void *)root))
        return KFP_ERR;
    while (stack.len) {
        if (!budget--)
            return 1;
        const struct kfp_node *n = kfp_deref(stack.items[--stack.len]);
        if (!n)
            continue;
        if (n->kind == KFP_NODE_SCALAR) {
            if (fn(ctx, n, arg))
                return KFP_ERR;
        } else if (n->kind == KFP_NODE_SEQ) {
            for (uint32_t i = 0; i < n->len; i++)
                if (kfp_vec_push(ctx->scratch, &stack, (void *)&n->u.items[i]))
                    return KFP_ERR;
        } else if (n->kind == KFP_NODE_MAP) {
            for (uint32_t i = 0; i < n->len; i++)
                if (kfp_vec_push(ctx->scratch, &stack, (void *)&n->u.pairs[i].key) ||
                    kfp_vec_push(ctx->scratch, &stack, (void *)&n->u.pairs[i].value))
                    return KFP_ERR;
        }
    }
    return KFP_OK;
}

/* ---------------------------------------------------------------- driver */

/* Runs ctx->rule, then frees its working memory (an allocation failure there fails the file). */
static void run_rule(struct kfp_ctx *ctx)
{
    ctx->rule->check(ctx);
    if (ctx->scratch->failed)
        ctx->oom = 1;
    kfp_arena_free(ctx->scratch);
}

/* Why a file that is not a KFP document is skipped, in words that group well in a summary
 * ("binary file", "Argo Workflow (not supported)", "not a KFP document: Kubernetes Deployment").
 * The text is in res's arena, or a literal; a failed allocation falls back to a literal. */
static const char *skip_reason(struct kfp_result *res)
{
    if (res->load_status == KFP_LOAD_EMPTY)
        return "empty file";
    if (res->load_status == KFP_LOAD_BINARY)
        return "binary file";
    if (res->load_status != KFP_LOAD_OK || !res->doc.n_roots)
        return "not a KFP document";
    const char *base = strrchr(res->path, '/');
    if (!strcmp(base ? base + 1 : res->path, ".kfplint.yaml"))
        return "kfplint config";
    const struct kfp_node *top = kfp_deref(res->doc.roots[0]);
    if (!top || top->kind == KFP_NODE_SEQ)
        return "not a KFP document: the top level is a list";
    if (top->kind != KFP_NODE_MAP)
        return "not a KFP document: the top level is a scalar";
    const char *api = kfp_scalar(kfp_map_get(top, "apiVersion", NULL));
    const char *kind = kfp_scalar(kfp_map_get(top, "kind", NULL));
    if (!api || !kind || !*kind)
        return "not a KFP document: no pipelineInfo/root, pipelineSpec or implementation";
    char buf[160];
    const char *slash = strchr(api, '/');
    size_t group = slash ? (size_t)(slash - api) : 0;
    if (!strncmp(api, "argoproj.io/", 12))
        snprintf(buf, sizeof(buf), "Argo %.100s (not supported)", kind);
    else if (!memchr(api, '.', group) ||
             (group >= 7 && !memcmp(api + group - 7, ".k8s.io", 7)))
        snprintf(buf, sizeof(buf), "not a KFP document: Kubernetes %.100s", kind);
    else
        snprintf(buf, sizeof(buf), "not a KFP document: %.60s (%.60s)", kind, api);
    const char *copy = kfp_arena_strdup(&res->arena, buf);
    return copy ? copy : "not a KFP document";
}

/* Runs every enabled rule, built-in then custom, over ctx->m. */
static void run_rules(struct kfp_ctx *ctx)
{
    const struct kfp_lint_opts *opts = ctx->opts;
    for (size_t i = 0; i < kfp_n_rules && !ctx->oom; i++) {
        if (opts->severity[i] == KFP_SEV_OFF)
            continue;
        ctx->rule = kfp_rules[i];
        run_rule(ctx);
    }
    for (size_t i = 0; opts->config && i < opts->config->n_custom && !ctx->oom; i++) {
        ctx->rule = &opts->config->custom[i];
        if (ctx->rule->severity != KFP_SEV_OFF)
            run_rule(ctx);
    }
}

int kfp_lint_buffer(const struct kfp_lint_opts *opts, const char *path, char *data, size_t len,
                    bool explicit_path, struct kfp_result *res)
{
    memset(res, 0, sizeof(*res));
    kfp_arena_init(&res->arena);
    res->data = data;
    res->len = len;
    res->path = kfp_arena_strdup(&res->arena, path);
    if (!res->path)
        return KFP_ERR;
    if (len > opts->max_file_size) {
        memset(&res->doc, 0, sizeof(res->doc));
        if (kfp_source_init(&res->arena, &res->doc.src, res->path, data, 0))
            return KFP_ERR;
        res->load_status = KFP_LOAD_TOO_BIG;
        kfp_error_set_at(&res->load_err, (struct kfp_span){0, 0},
                         "file is larger than the --max-file-size limit of %zu bytes: not linted",
                         opts->max_file_size);
    } else {
        res->load_status = kfp_load(&res->arena, res->path, data ? data : "", data ? len : 0,
                                    &res->doc, &res->load_err);
    }
    if (res->load_status == KFP_LOAD_NOMEM)
        return KFP_ERR;
    if (res->load_status == KFP_LOAD_OK &&
        kfp_model_build(&res->arena, &res->doc, &res->model, &res->load_err))
        return KFP_ERR;
    bool loaded = res->load_status == KFP_LOAD_OK;
    if ((!explicit_path || opts->skip_unknown) && (!loaded || res->model.kind == KFP_DOC_UNKNOWN) &&
        res->load_status != KFP_LOAD_SYNTAX && res->load_status != KFP_LOAD_TOO_BIG) {
        res->skipped = true; /* not a KFP document: directories are walked for KFP files only */
        res->skip_reason = skip_reason(res);
        return KFP_OK;
    }
    struct kfp_vec findings = {0};
    struct kfp_arena scratch;
    kfp_arena_init(&scratch);
    struct kfp_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.a = &res->arena;
    ctx.scratch = &scratch;
    ctx.doc = &res->doc;
    ctx.m = loaded ? &res->model : NULL;
    ctx.load_status = res->load_status;
    ctx.load_err = &res->load_err;
    ctx.explicit_path = explicit_path;
    ctx.findings = &findings;
    ctx.opts = opts;
    ctx.undecided = &res->undecided_err;
    if (opts->config && opts->config->n_ignores) {
        res->ignores_hit = kfp_arena_calloc(&res->arena, opts->config->n_ignores, 1);
        res->opts_n_ignores = opts->config->n_ignores;
        ctx.ignores_hit = res->ignores_hit; /* a failed allocation fails the file below */
    }
    run_rules(&ctx);
    /* every further pipeline of a multi-document file is linted too (what the file-level
     * rules find again is the same finding, which the sort below drops) */
    for (const struct kfp_model *more = loaded ? res->model.next : NULL; more && !ctx.oom; more = more->next) {
        ctx.m = more;
        run_rules(&ctx);
    }
    ctx.m = loaded ? &res->model : NULL;
    /* an allocation that failed anywhere (even where a caller did not check) fails the file */
    if (ctx.oom || kfp_suppress(&ctx, &findings) || res->arena.failed)
        return KFP_ERR;
    res->findings = (struct kfp_finding **)findings.items;
    res->n_findings = kfp_findings_sort(res->findings, findings.len);
    res->undecided = res->undecided_err.has_span != 0;
    return KFP_OK;
}

/* A copy of finding f in arena a (its strings, related locations and fix too); NULL on failure. */
static struct kfp_finding *copy_finding(struct kfp_arena *a, const struct kfp_finding *f)
{
    struct kfp_finding *c = kfp_arena_alloc(a, sizeof(*c));
    if (!c)
        return NULL;
    *c = *f;
    c->msg = kfp_arena_strdup(a, f->msg);
    if (f->n_related) {
        c->related = kfp_arena_alloc(a, f->n_related * sizeof(*c->related));
        for (size_t i = 0; c->related && i < f->n_related; i++) {
            c->related[i].span = f->related[i].span;
            c->related[i].msg = kfp_arena_strdup(a, f->related[i].msg);
        }
    }
    if (f->fix) {
        struct kfp_fix *x = kfp_arena_alloc(a, sizeof(*x));
        if (x) {
            *x = *f->fix;
            x->title = kfp_arena_strdup(a, f->fix->title);
            x->edits = kfp_arena_alloc(a, (f->fix->n_edits ? f->fix->n_edits : 1) * sizeof(*x->edits));
            for (size_t i = 0; x->edits && i < f->fix->n_edits; i++) {
                x->edits[i] = f->fix->edits[i];
                x->edits[i].text = kfp_arena_strdup(a, f->fix->edits[i].text);
            }
        }
        c->fix = x;
    }
    return c; /* a failed allocation above is caught by the caller through a->failed */
}

int kfp_result_compact(struct kfp_result *res)
{
    struct kfp_arena k;
    kfp_arena_init(&k);
    struct kfp_source *src = &res->doc.src;
    size_t n_cp = src->checkpoints ? (src->n_lines - 1) / KFP_LINE_STRIDE + 1 : 0;
    const char *path = kfp_arena_strdup(&k, res->path);
    const char *reason = res->skip_reason ? kfp_arena_strdup(&k, res->skip_reason) : NULL;
    size_t n_ig = res->ignores_hit ? res->opts_n_ignores : 0;
    unsigned char *hit = n_ig ? kfp_arena_alloc(&k, n_ig) : NULL;
    if (hit)
        memcpy(hit, res->ignores_hit, n_ig);
    uint32_t *cp = n_cp ? kfp_arena_alloc(&k, n_cp * sizeof(*cp)) : NULL;
    if (cp)
        memcpy(cp, src->checkpoints, n_cp * sizeof(*cp));
    struct kfp_pos_block *blocks = src->n_blocks ? kfp_arena_alloc(&k, src->n_blocks * sizeof(*blocks)) : NULL;
    if (blocks)
        memcpy(blocks, src->blocks, src->n_blocks * sizeof(*blocks));
    struct kfp_finding **fs = kfp_arena_alloc(&k, (res->n_findings ? res->n_findings : 1) * sizeof(*fs));
    for (size_t i = 0; fs && i < res->n_findings; i++)
        fs[i] = copy_finding(&k, res->findings[i]);
    if (k.failed) {
        kfp_arena_free(&k);
        return KFP_ERR;
    }
    kfp_arena_free(&res->arena);
    res->arena = k;
    res->path = src->path = path;
    res->skip_reason = reason;
    res->ignores_hit = hit;
    src->checkpoints = cp;
    src->blocks = blocks;
    res->findings = fs;
    res->doc.roots = NULL;
    res->doc.n_roots = 0;
    res->doc.dups = NULL;
    res->doc.n_dups = 0;
    res->doc.in_scalars = NULL;
    res->doc.n_in_scalars = 0;
    memset(&res->model, 0, sizeof(res->model));
    return KFP_OK;
}

void kfp_result_free(struct kfp_result *res)
{
    kfp_arena_free(&res->arena);
    kfp_free(res->data);
    res->data = NULL;
    res->findings = NULL;
    res->n_findings = 0;
}
