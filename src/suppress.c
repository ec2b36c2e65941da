/* suppress.c — after the rules: config ignores (path, rule, task) and inline suppressions in
 * YAML comments (`# kfplint: disable=RULE[,RULE] -- reason`, `# kfplint: disable-file=RULE`),
 * with unused and reason-less suppressions reported as unused-suppression (kfp_suppress).
 *
 * Comments are found in the raw text (libyaml drops them): a `#` at the start of a line or after
 * white space, outside quotes on its line and outside the multi-line quoted and block scalars the
 * loader recorded (a description, a component's embedded Python). Linear in the file plus
 * findings (findings find their directives through an index: sorted by line, and a map for
 * file-wide ones).
 */
#include "kfplint/config.h"
#include "kfplint/rule.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

extern const struct kfp_rule kfp_rule_unused_suppression;

#define MAX_RULES_PER_DIRECTIVE 16

struct directive {
    size_t line;            /* 1-based line of the comment */
    size_t target;          /* line it applies to (0: the whole file) */
    struct kfp_span span;   /* the comment */
    size_t n_ids;
    char ids[MAX_RULES_PER_DIRECTIVE][64];
    bool used[MAX_RULES_PER_DIRECTIVE];
    bool has_reason;
};

/* Is the '#' at data[i] a comment start? Quotes are counted from `from` (the line's start, or
 * where a multi-line scalar that ends on the line closes). */
static bool comment_at(const char *d, uint32_t line_start, uint32_t from, uint32_t i)
{
    if (i > line_start && d[i - 1] != ' ' && d[i - 1] != '\t')
        return false;
    int dq = 0, sq = 0;
    for (uint32_t k = from; k < i; k++) {
        if (d[k] == '"' && (k == from || d[k - 1] != '\\') && !sq)
            dq ^= 1;
        else if (d[k] == '\'' && !dq)
            sq ^= 1;
    }
    return !dq && !sq;
}

/* Parses `kfplint: disable[-file]=a,b -- reason` at p (after the '#'); false if not ours. */
static bool parse_directive(const char *p, const char *end, struct directive *d)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if ((size_t)(end - p) < 8 || strncmp(p, "kfplint:", 8))
        return false;
    p += 8;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    bool file = false;
    if ((size_t)(end - p) >= 13 && !strncmp(p, "disable-file=", 13)) {
        file = true;
        p += 13;
    } else if ((size_t)(end - p) >= 8 && !strncmp(p, "disable=", 8)) {
        p += 8;
    } else {
        return false;
    }
    d->n_ids = 0;
    while (p < end && *p != ' ' && *p != '\t' && d->n_ids < MAX_RULES_PER_DIRECTIVE) {
        const char *s = p;
        while (p < end && *p != ',' && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - s);
        if (n && n < sizeof(d->ids[0])) {
            memcpy(d->ids[d->n_ids], s, n);
            d->ids[d->n_ids][n] = '\0';
            d->used[d->n_ids] = false;
            d->n_ids++;
        }
        if (p < end && *p == ',')
            p++;
    }
    const char *dash = NULL;
    for (const char *q = p; q + 1 < end; q++)
        if (q[0] == '-' && q[1] == '-') {
            dash = q + 2;
            break;
        }
    d->has_reason = false;
    for (const char *q = dash; q && q < end; q++)
        if (!isspace((unsigned char)*q))
            d->has_reason = true;
    d->target = file ? 0 : d->target;
    return true;
}

/* Where the text of a multi-line quoted or block scalar holding offset `off` ends
 * (doc->in_scalars, sorted and disjoint: there a `#` is content, never a comment), or `off` when
 * no such scalar holds it. A binary search. */
static uint32_t scalar_end(const struct kfp_doc *doc, uint32_t off)
{
    size_t lo = 0, hi = doc->n_in_scalars;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->in_scalars[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && off < doc->in_scalars[lo - 1].end ? doc->in_scalars[lo - 1].end : off;
}

/* Collects the directives of a YAML file into a vector (arena). */
static int collect(struct kfp_ctx *ctx, struct kfp_vec *out)
{
    const struct kfp_source *src = &ctx->doc->src;
    const char *d = src->data;
    uint32_t ls = 0, le, next;
    for (size_t li = 0; li < src->n_lines; li++, ls = next) {
        next = kfp_source_next_line(src, ls, &le);
        if (ls == 0 && le >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3))
            ls = 3; /* a byte-order mark is not text */
        uint32_t from = scalar_end(ctx->doc, ls); /* the line's text in a scalar is skipped */
        if (from >= le)
            continue;
        const char *hit = memchr(d + from, '#', le - from);
        while (hit) {
            uint32_t i = (uint32_t)(hit - d);
            if (comment_at(d, ls, from, i)) {
                struct directive tmp;
                bool standalone = true;
                for (uint32_t k = ls; k < i; k++)
                    standalone &= d[k] == ' ' || d[k] == '\t';
                tmp.target = standalone ? li + 2 : li + 1;
                if (parse_directive(hit + 1, d + le, &tmp)) {
                    struct directive *dir = kfp_arena_alloc(ctx->a, sizeof(*dir));
                    if (!dir || kfp_vec_push(ctx->a, out, dir))
                        return KFP_ERR;
                    *dir = tmp;
                    dir->line = li + 1;
                    dir->span.start = i;
                    dir->span.end = le;
                }
                break; /* the rest of the line is the comment */
            }
            hit = memchr(hit + 1, '#', (size_t)(d + le - hit - 1));
        }
    }
    return KFP_OK;
}

struct task_span {
    struct kfp_span span;
    const char *key;
};

static int by_start(const void *a, const void *b)
{
    const struct task_span *x = a, *y = b;
    return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

/* The task whose definition contains offset `off` (tasks never nest in the text). */
static const char *task_at(const struct task_span *t, size_t n, uint32_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t[mid].span.start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && off < t[lo - 1].span.end ? t[lo - 1].key : NULL;
}

static struct task_span *task_spans(struct kfp_ctx *ctx, size_t *n)
{
    const struct kfp_model *m = ctx->m;
    size_t count = 0;
    for (size_t d = 0; m && d < m->n_dags; d++)
        count += m->dags[d]->n_tasks;
    struct task_span *t = kfp_arena_alloc(ctx->a, (count ? count : 1) * sizeof(*t));
    if (!t)
        return NULL;
    *n = 0;
    for (size_t d = 0; m && d < m->n_dags; d++)
        for (size_t i = 0; i < m->dags[d]->n_tasks; i++) {
            const struct kfp_task *task = &m->dags[d]->tasks[i];
            if (!task->key.node || !task->node)
                continue;
            t[*n].span.start = task->key.node->span.start;
            t[*n].span.end = task->node->span.end;
            t[*n].key = task->key.name;
            (*n)++;
        }
    qsort(t, *n, sizeof(*t), by_start);
    return t;
}

/* Whether some '#' is followed, after blanks, by "kfplint:" (what parse_directive needs): one
 * memchr pass, far cheaper than memmem over the whole file, before the line walk of collect(). */
static bool may_have_directive(const char *d, size_t n)
{
    const char *end = d + n;
    for (const char *p = memchr(d, '#', n); p; p = memchr(p, '#', (size_t)(end - p))) {
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if ((size_t)(end - p) >= 8 && !memcmp(p, "kfplint:", 8))
            return true;
    }
    return false;
}

/* The directives indexed for matching findings in linear time: line directives sorted by
 * (target line, file order), and for each rule id the first file-wide directive naming it. */
struct line_dir {
    size_t target; /* the line it applies to */
    size_t d;      /* index in dirs: file order */
};

struct dir_hit {
    size_t d, k; /* dirs.items[d]->ids[k] */
};

struct dir_index {
    struct line_dir *by_line; /* sorted by (target, d) */
    size_t n_line;
    struct kfp_strmap file_wide; /* rule id -> struct dir_hit * */
};

static int by_target(const void *pa, const void *pb)
{
    const struct line_dir *a = pa, *b = pb;
    if (a->target != b->target)
        return a->target < b->target ? -1 : 1;
    return a->d < b->d ? -1 : a->d > b->d;
}

/* Builds ix over dirs (in the file's arena); directives without a required reason are left out
 * (they suppress nothing). KFP_OK or KFP_ERR on allocation failure. */
static int index_dirs(struct kfp_ctx *ctx, const struct kfp_vec *dirs, struct dir_index *ix)
{
    ix->n_line = 0;
    ix->by_line = kfp_arena_alloc(ctx->a, (dirs->len ? dirs->len : 1) * sizeof(*ix->by_line));
    if (!ix->by_line || kfp_strmap_init(ctx->a, &ix->file_wide, dirs->len))
        return KFP_ERR;
    for (size_t d = 0; d < dirs->len; d++) {
        struct directive *dir = dirs->items[d];
        if (ctx->opts->require_reason && !dir->has_reason)
            continue;
        if (dir->target) {
            ix->by_line[ix->n_line++] = (struct line_dir){dir->target, d};
            continue;
        }
        for (size_t k = 0; k < dir->n_ids; k++) {
            if (kfp_strmap_get(&ix->file_wide, dir->ids[k]))
                continue; /* an earlier directive names it */
            struct dir_hit *h = kfp_arena_alloc(ctx->a, sizeof(*h));
            if (!h || kfp_strmap_put(ctx->a, &ix->file_wide, dir->ids[k], h, NULL))
                return KFP_ERR;
            *h = (struct dir_hit){d, k};
        }
    }
    qsort(ix->by_line, ix->n_line, sizeof(*ix->by_line), by_target);
    return KFP_OK;
}

/* The first directive in file order that suppresses `rule` on `line` (one naming it on that line,
 * or in the whole file): sets *hit and returns true. Costs a binary search plus the directives
 * aimed at that line. */
static bool find_dir(const struct kfp_vec *dirs, const struct dir_index *ix, size_t line,
                     const char *rule, struct dir_hit *hit)
{
    bool found = false;
    size_t lo = 0, hi = ix->n_line;
    while (lo < hi) { /* the first line directive aimed at `line` or later */
        size_t mid = lo + (hi - lo) / 2;
        if (ix->by_line[mid].target < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < ix->n_line && ix->by_line[i].target == line && !found; i++) {
        const struct directive *dir = dirs->items[ix->by_line[i].d];
        for (size_t k = 0; k < dir->n_ids && !found; k++)
            if (!strcmp(dir->ids[k], rule)) {
                *hit = (struct dir_hit){ix->by_line[i].d, k};
                found = true;
            }
    }
    const struct dir_hit *fw = kfp_strmap_get(&ix->file_wide, rule);
    if (fw && (!found || fw->d < hit->d)) {
        *hit = *fw;
        found = true;
    }
    return found;
}

int kfp_suppress(struct kfp_ctx *ctx, struct kfp_vec *findings)
{
    const struct kfp_config *cfg = ctx->opts->config;
    bool yaml = ctx->doc->format == KFP_FORMAT_YAML && ctx->load_status == KFP_LOAD_OK;
    struct kfp_vec dirs = {0};
    if (yaml && ctx->opts->inline_suppressions &&
        may_have_directive(ctx->doc->src.data, ctx->doc->src.len) && collect(ctx, &dirs))
        return KFP_ERR;
    struct task_span *tasks = NULL;
    size_t n_tasks = 0;
    bool task_ignores = false;
    for (size_t i = 0; cfg && i < cfg->n_ignores; i++)
        task_ignores |= cfg->ignores[i].tasks != NULL;
    if (task_ignores && !(tasks = task_spans(ctx, &n_tasks)))
        return KFP_ERR;
    struct dir_index ix;
    if (dirs.len && index_dirs(ctx, &dirs, &ix))
        return KFP_ERR;

    size_t out = 0;
    for (size_t i = 0; i < findings->len; i++) {
        struct kfp_finding *f = findings->items[i];
        const char *task = tasks ? task_at(tasks, n_tasks, f->span.start) : NULL;
        size_t ig = cfg ? kfp_config_ignore_match(cfg, ctx->doc->src.path, f->rule->id, task) : 0;
        if (ig) {
            if (ctx->ignores_hit)
                ctx->ignores_hit[ig - 1] = 1;
            continue;
        }
        size_t line = 0, col;
        if (dirs.len)
            kfp_source_pos(&ctx->doc->src, f->span.start, &line, &col);
        struct dir_hit hit;
        bool suppressed = dirs.len && find_dir(&dirs, &ix, line, f->rule->id, &hit);
        if (suppressed)
            ((struct directive *)dirs.items[hit.d])->used[hit.k] = true;
        if (!suppressed)
            findings->items[out++] = f;
    }
    findings->len = out;

    /* report what suppressed nothing */
    size_t idx = kfp_rule_index(&kfp_rule_unused_suppression);
    if (!dirs.len || ctx->opts->severity[idx] == KFP_SEV_OFF)
        return KFP_OK;
    const struct kfp_rule *saved = ctx->rule;
    ctx->rule = &kfp_rule_unused_suppression;
    for (size_t d = 0; d < dirs.len; d++) {
        struct directive *dir = dirs.items[d];
        for (size_t k = 0; k < dir->n_ids; k++) {
            if (dir->used[k])
                continue;
            bool known = kfp_rule_find(dir->ids[k]) != NULL;
            for (size_t c = 0; !known && cfg && c < cfg->n_custom; c++)
                known = !strcmp(cfg->custom[c].id, dir->ids[k]);
            if (!known)
                kfp_report(ctx, dir->span, "suppression names unknown rule '%s'", dir->ids[k]);
            else if (ctx->opts->require_reason && !dir->has_reason)
                kfp_report(ctx, dir->span,
                           "suppression of '%s' gives no reason ('-- reason'), which "
                           "--require-suppression-reason needs: it suppresses nothing",
                           dir->ids[k]);
            else
                kfp_report(ctx, dir->span, "suppression of '%s' suppresses nothing %s: remove it",
                           dir->ids[k], dir->target ? "on its line" : "in this file");
        }
    }
    ctx->rule = saved;
    return ctx->oom ? KFP_ERR : KFP_OK;
}
