/* rule.h — rules, findings and the engine that runs them (kfp_rule, kfp_engine_*, kfp_report*).
 *
 * A rule is one file under rules/ exporting one `const struct kfp_rule`; rules/rules.def lists
 * each once. A rule sees the model (and, for the syntax rules, the load result) and reports
 * findings through kfp_report(), which copies everything into the file's arena.
 */
#ifndef KFPLINT_RULE_H
#define KFPLINT_RULE_H

#include "kfplint/model.h"

#include <stdbool.h>

enum kfp_severity {
    KFP_SEV_OFF = 0, /* disabled */
    KFP_SEV_NOTE,
    KFP_SEV_WARNING,
    KFP_SEV_ERROR,
};

/* "error", "warning", "note", "off". */
const char *kfp_severity_name(enum kfp_severity s);
/* Parses a severity name; returns -1 when unknown. */
int kfp_severity_parse(const char *s);

struct kfp_related {
    struct kfp_span span;
    const char *msg;
};

/* One byte-range edit on the original text: replace [start, end) with text. */
struct kfp_edit {
    uint32_t start, end;
    const char *text; /* "" deletes */
};

struct kfp_fix {
    const char *title;   /* what it does, e.g. "replace 'trian' with 'train'" */
    int safe;            /* 1 safe, 0 unsafe */
    struct kfp_edit *edits;
    size_t n_edits;
};

struct kfp_rule;

struct kfp_finding {
    const struct kfp_rule *rule;
    enum kfp_severity severity;
    const char *msg;
    struct kfp_span span;
    struct kfp_related *related;
    size_t n_related;
    struct kfp_fix *fix; /* NULL when not fixable */
};

struct kfp_ctx;

struct kfp_rule {
    const char *id;           /* kebab-case, stable */
    const char *summary;      /* one line */
    enum kfp_severity severity; /* default severity */
    bool off_by_default;      /* runs only when selected or configured */
    const char *tags;         /* comma-separated, e.g. "correctness,graph" */
    const char *doc;          /* Markdown: What it does / Why is this bad? / Example / Fix safety */
    void (*check)(struct kfp_ctx *ctx);
    const void *data;         /* rule-specific data (custom rules: struct kfp_custom) */
};

/* What the engine hands a rule. */
struct kfp_ctx {
    struct kfp_arena *a;                /* the file's arena: findings, fixes, anything kept */
    struct kfp_arena *scratch;          /* the running rule's working memory: freed when its
                                         * check returns, so rules do not add up */
    const struct kfp_doc *doc;          /* always set (src valid even on load failure) */
    const struct kfp_model *m;          /* NULL when loading failed */
    enum kfp_load_status load_status;
    const struct kfp_error *load_err;
    bool explicit_path;                 /* the path was named on the command line */
    const struct kfp_rule *rule;        /* the rule running now */
    struct kfp_vec *findings;           /* of struct kfp_finding * */
    const struct kfp_lint_opts *opts;
    int oom;                            /* set when reporting ran out of memory */
    unsigned char *ignores_hit;         /* per config ignore entry: it dropped a finding here */
    size_t suggest_used;                /* "did you mean" work spent on this file so far */
    struct kfp_error *undecided;        /* where kfp_undecided() records (the result's) */
};

/* The running rule cannot decide about node n (a pattern hit a pcre2 limit): the file fails
 * closed. Records "path:line:col: rule 'id': message" (the first such case of the file) in
 * *ctx->undecided; the CLI prints it and exits 2. */
void kfp_undecided(struct kfp_ctx *ctx, const struct kfp_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a finding of the running rule at `span`. Returns the finding (owned by the arena) so a
 * rule can add related locations or a fix, or NULL on allocation failure (ctx->oom is set). */
struct kfp_finding *kfp_report(struct kfp_ctx *ctx, struct kfp_span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, at a node (NULL node: the start of the file). */
struct kfp_finding *kfp_report_at(struct kfp_ctx *ctx, const struct kfp_node *n, const char *fmt,
                                  ...) __attribute__((format(printf, 3, 4)));

/* Like kfp_report_at() but at most `sev` (for the milder cases of a rule, such as an
 * undeclared task argument under unknown-input): the configured severity still caps it. */
struct kfp_finding *kfp_report_sev(struct kfp_ctx *ctx, enum kfp_severity sev,
                                   const struct kfp_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* `text` written as a replacement for scalar n in n's quoting style (plain, 'single' or
 * "double"; plain text that would need quotes is double-quoted). Arena-owned; NULL on
 * allocation failure. */
char *kfp_quote_like(struct kfp_arena *a, const struct kfp_node *n, const char *text);

/* Adds a related location to f (no-op when f is NULL). */
void kfp_related(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *n,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Attaches a fix of n edits (copied into the arena, texts too) to f. */
void kfp_fix_edits(struct kfp_ctx *ctx, struct kfp_finding *f, int safe, const char *title,
                   const struct kfp_edit *edits, size_t n);

/* Attaches a one-edit fix replacing [start, end) with text. */
void kfp_fix_replace(struct kfp_ctx *ctx, struct kfp_finding *f, int safe, uint32_t start,
                     uint32_t end, const char *text, const char *title);

/* Span of a node, or an empty span at offset 0 for NULL. */
struct kfp_span kfp_node_span(const struct kfp_node *n);

/* "did you mean": the candidate closest to `name` by edit distance, when close enough and
 * unique; NULL otherwise. Feed candidates with kfp_suggest_add(). */
struct kfp_suggest {
    const char *name;
    const char *best;
    size_t best_dist;
    int ties;
    size_t *used;   /* the file's spent suggestion work (kfp_suggest_limit), or NULL: unbounded */
    bool exhausted; /* the budget ran out before every candidate was seen: no suggestion */
};
/* Work (edit-distance cells computed, one per candidate at least) that suggestions may spend on
 * one file: some tens of milliseconds.
 * Past it suggestions stop (the finding says no more than "unknown"), so 20,000 misspelled
 * names against 20,000 candidates cost a bounded time; within it results are exact. Which
 * findings get a suggestion depends only on the file: rules run in a fixed order. */
#define KFP_SUGGEST_BUDGET ((size_t)1 << 22)
void kfp_suggest_init(struct kfp_suggest *s, const char *name);
/* Charges s's work to the file's budget (ctx->suggest_used): use it whenever the candidates come
 * from the file (tasks, components, inputs), so their number is not bounded. */
void kfp_suggest_limit(struct kfp_suggest *s, struct kfp_ctx *ctx);
/* kfp_suggest_in() charged to the file's budget. */
const char *kfp_suggest_in_ctx(struct kfp_ctx *ctx, const char *name, const struct kfp_strmap *m);
void kfp_suggest_add(struct kfp_suggest *s, const char *candidate);
const char *kfp_suggest_result(const struct kfp_suggest *s);
/* Adds every key of a strmap. */
void kfp_suggest_map(struct kfp_suggest *s, const struct kfp_strmap *m);
/* Calls fn for every container of the model (executors', then init containers; none when
 * loading failed) until an allocation fails. Scratch memory fn takes is released after each
 * container. */
void kfp_each_container(struct kfp_ctx *ctx,
                        void (*fn)(struct kfp_ctx *ctx, const struct kfp_container *c));

struct kfp_argo_task;
/* Calls fn on every DAG task and step of every Argo template of ctx->m (nothing for other
 * documents), stopping when memory ran out. */
void kfp_argo_each_task(struct kfp_ctx *ctx,
                        void (*fn)(struct kfp_ctx *ctx, const struct kfp_argo_task *at));

struct kfp_argo_doc;
struct kfp_argo_template;
/* The shared walk of the argo-* rules: calls doc_fn on every Argo document of ctx->m, then
 * tmpl_fn on every template of every document, each in file order (either may be NULL; nothing
 * for other documents), passing arg through; stops when memory ran out. Allocates nothing;
 * scratch memory a callback takes is released when it returns, as in kfp_each_container. */
void kfp_argo_walk(struct kfp_ctx *ctx,
                   void (*doc_fn)(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg),
                   void (*tmpl_fn)(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg),
                   void *arg);

/* Calls fn on every key and scalar under root (aliases followed), with an explicit stack in
 * ctx->scratch, at most `budget` nodes. Returns KFP_OK, KFP_ERR when memory ran out or fn
 * returned KFP_ERR, or 1 when the budget ran out first (an alias fan-out: the caller decides
 * what that means). */
int kfp_each_scalar(struct kfp_ctx *ctx, const struct kfp_node *root, size_t budget,
                    int (*fn)(struct kfp_ctx *ctx, const struct kfp_node *scalar, void *arg), void *arg);

/* Adds the names in d of kind 0 (parameters), 1 (artifacts) or -1 (both). */
void kfp_suggest_iodefs(struct kfp_suggest *s, const struct kfp_iodefs *d, int kind);
/* The closest key of m to name (see kfp_suggest_result), or NULL. */
const char *kfp_suggest_in(const char *name, const struct kfp_strmap *m);

/* The KFP SDK a file targets: `target: {kfp-sdk: v1|v2}` of the config when set, otherwise what
 * the file says of itself (kfp_model_file_sdk), otherwise KFP_SDK_UNKNOWN. Rules whose verdict
 * depends on the SDK (KFP v1's fixed output paths, v1 placeholder types) ask this. */
enum kfp_sdk kfp_target_sdk(const struct kfp_ctx *ctx);

/* Attaches a fix that replaces scalar n by `name`, written in n's quoting style (none for a scalar
 * of block style: a piece of a string whose bytes could not be located, see src/model_argo.c). */
void kfp_fix_rename(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *n,
                    const char *name, int safe, const char *title);

/* ---------------------------------------------------------------- registry and engine */

extern const struct kfp_rule *const kfp_rules[];
extern const size_t kfp_n_rules;

/* The rule with this id, or NULL. */
const struct kfp_rule *kfp_rule_find(const char *id);
/* Index of a rule in kfp_rules. */
size_t kfp_rule_index(const struct kfp_rule *r);

struct kfp_config;

/* Options for linting one file, read-only while linting. */
struct kfp_lint_opts {
    const enum kfp_severity *severity; /* per built-in rule index (KFP_SEV_OFF = disabled) */
    size_t max_file_size;        /* bytes */
    const struct kfp_config *config; /* rule options, custom rules, ignores; NULL: defaults */
    bool inline_suppressions;    /* honour `# kfplint: disable=…` comments */
    bool require_reason;         /* a suppression needs `-- reason` to count */
    bool skip_unknown;           /* skip files that are not KFP documents even when named */
};

/* Everything kfplint knows about one file after linting it; owns its arena. */
struct kfp_result {
    struct kfp_arena arena;
    char *data;              /* file bytes (kfp_malloc'd), NULL for none */
    size_t len;
    const char *path;        /* display path (arena) */
    struct kfp_doc doc;
    struct kfp_model model;
    enum kfp_load_status load_status;
    struct kfp_error load_err;
    struct kfp_finding **findings; /* sorted by position, then rule id, then message */
    size_t n_findings;
    bool skipped;            /* not a KFP document, found while walking a directory */
    const char *skip_reason; /* why it was skipped ("binary file", "Argo Workflow (not
                              * supported)", …): arena or literal, NULL when not skipped */
    unsigned char *ignores_hit; /* per ignore entry of opts->config: it dropped a finding here
                                 * (arena; NULL when the config has none) */
    size_t opts_n_ignores;   /* its length */
    int io_error;            /* the file could not be read: io_msg says why */
    char io_msg[256];
    bool undecided;          /* a rule could not decide (kfp_undecided): undecided_err says where */
    struct kfp_error undecided_err;
};

/* Lints data[0..len) (ownership of `data`, allocated with kfp_malloc, passes to res, even on
 * failure). Returns KFP_OK, or KFP_ERR when memory ran out (res is still freeable). */
int kfp_lint_buffer(const struct kfp_lint_opts *opts, const char *path, char *data, size_t len,
                    bool explicit_path, struct kfp_result *res);

/* Keeps only what the reporters, the baseline and --fix read (the path, the line table, the
 * findings with their messages, related locations and fixes) in a new arena, and frees the tree
 * and the model: a run over a whole repository then holds one small result per file instead of
 * every file's tree. Returns KFP_OK, or KFP_ERR when memory ran out (res is then unchanged). */
int kfp_result_compact(struct kfp_result *res);

/* Frees everything res owns. */
void kfp_result_free(struct kfp_result *res);

/* Drops findings that the config ignores or an inline suppression covers, and reports unused
 * suppressions (src/suppress.c). Returns KFP_OK or KFP_ERR (out of memory). */
int kfp_suppress(struct kfp_ctx *ctx, struct kfp_vec *findings);

/* Sorts and de-duplicates a findings vector in place; returns the new length. */
size_t kfp_findings_sort(struct kfp_finding **f, size_t n);

#endif
