/* cli.c — the kfplint command line (kfp_cli_main): options, configs, inputs, parallel linting,
 * baseline, reporting, exit code.
 *
 * One options table drives getopt_long and --help (and docs/kfplint.1 is checked against it).
 * Usage errors print one `kfplint: …` line and a pointer to --help on stderr and exit 2; --help
 * and --version go to stdout and exit 0. Configs are resolved for every input before linting
 * starts, so the worker threads share only read-only state.
 */
#include "kfplint/cli.h"
#include "kfplint/alloc.h"
#include "kfplint/baseline.h"
#include "kfplint/config.h"
#include "kfplint/fix.h"
#include "kfplint/path.h"
#include "kfplint/report.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum opt_id {
    OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_QUIET = 'q', OPT_HELP = 'h', OPT_VERSION = 'V',
    OPT_JOBS = 'j',
    OPT_FAIL_ON = 256, OPT_SELECT, OPT_IGNORE, OPT_LIST_RULES, OPT_EXPLAIN, OPT_COLOR,
    OPT_STDIN_FILENAME, OPT_MAX_FILE_SIZE, OPT_CONFIG, OPT_NO_CONFIG, OPT_PRINT_CONFIG,
    OPT_NO_INLINE, OPT_REQUIRE_REASON, OPT_SKIP_UNKNOWN, OPT_BASELINE, OPT_WRITE_BASELINE,
    OPT_FIX, OPT_UNSAFE_FIXES, OPT_DIFF, OPT_STATISTICS,
    OPT_FORCE_EXCLUDE,
};

static const struct {
    struct option opt;
    const char *arg;
    const char *help;
} options[] = {
    {{"format", required_argument, NULL, OPT_FORMAT}, "FORMAT", "output format: text (default), json, sarif, github, gitlab, junit"},
    {{"output", required_argument, NULL, OPT_OUTPUT}, "FILE", "write the report to FILE instead of standard output"},
    {{"fail-on", required_argument, NULL, OPT_FAIL_ON}, "LEVEL", "exit 1 on findings at or above LEVEL: error (default), warning, note, never"},
    {{"fix", no_argument, NULL, OPT_FIX}, NULL, "apply safe fixes in place, then report what remains"},
    {{"unsafe-fixes", no_argument, NULL, OPT_UNSAFE_FIXES}, NULL, "with --fix or --diff, apply unsafe fixes too"},
    {{"diff", no_argument, NULL, OPT_DIFF}, NULL, "print a unified diff of what --fix would change; write nothing"},
    {{"statistics", no_argument, NULL, OPT_STATISTICS}, NULL, "print a count of findings per rule, with fixable counts, instead of the findings"},
    {{"select", required_argument, NULL, OPT_SELECT}, "RULES", "run only these rules (comma-separated ids)"},
    {{"ignore", required_argument, NULL, OPT_IGNORE}, "RULES", "do not run these rules (comma-separated ids)"},
    {{"config", required_argument, NULL, OPT_CONFIG}, "FILE", "use this config instead of the nearest .kfplint.yaml"},
    {{"no-config", no_argument, NULL, OPT_NO_CONFIG}, NULL, "ignore .kfplint.yaml files: built-in defaults"},
    {{"print-config", required_argument, NULL, OPT_PRINT_CONFIG}, "PATH", "print the effective config for PATH and exit"},
    {{"no-inline-suppressions", no_argument, NULL, OPT_NO_INLINE}, NULL, "ignore '# kfplint: disable=' comments (strict CI)"},
    {{"require-suppression-reason", no_argument, NULL, OPT_REQUIRE_REASON}, NULL, "count only suppressions with '-- reason'"},
    {{"baseline", required_argument, NULL, OPT_BASELINE}, "FILE", "report only findings that FILE does not record"},
    {{"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE}, "FILE", "record today's findings in FILE"},
    {{"skip-unknown", no_argument, NULL, OPT_SKIP_UNKNOWN}, NULL, "skip files that are not KFP documents even when named (for hooks)"},
    {{"force-exclude", no_argument, NULL, OPT_FORCE_EXCLUDE}, NULL, "apply the config's exclude to files named on the command line too (for hooks)"},
    {{"jobs", required_argument, NULL, OPT_JOBS}, "N", "lint N files in parallel (default: number of CPUs)"},
    {{"list-rules", no_argument, NULL, OPT_LIST_RULES}, NULL, "list every rule with its default severity and exit"},
    {{"explain", required_argument, NULL, OPT_EXPLAIN}, "RULE", "print the documentation of RULE and exit"},
    {{"color", required_argument, NULL, OPT_COLOR}, "WHEN", "colour: auto (default; off when NO_COLOR is set), always, never"},
    {{"stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME}, "NAME", "path to show for input read from '-'"},
    {{"max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE}, "BYTES", "report, without parsing, files larger than this (default 268435456)"},
    {{"quiet", no_argument, NULL, OPT_QUIET}, NULL, "print findings only: no source excerpt, no summary"},
    {{"version", no_argument, NULL, OPT_VERSION}, NULL, "print the version and exit"},
    {{"help", no_argument, NULL, OPT_HELP}, NULL, "print this help and exit"},
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *out)
{
    fputs("Usage: kfplint [OPTIONS] PATH...\n"
          "       kfplint graph [--format dot|mermaid] FILE   (kfplint graph --help)\n"
          "       kfplint lsp                                 (language server on stdio)\n"
          "Static checks for Kubeflow Pipelines specs: compiled pipelines (v2 IR YAML/JSON,\n"
          "PipelineJob JSON) and components (v1 component.yaml, single-component IR).\n"
          "PATH is a file, a directory (searched for *.yaml, *.yml, *.json) or - for stdin.\n\n"
          "Options:\n",
          out);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char left[64];
        int c = options[i].opt.val;
        if (c < 256)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", c, options[i].opt.name,
                     options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", options[i].opt.name,
                     options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-34s %s\n", left, options[i].help);
    }
    fputs("\nExit status: 0 no findings at or above the --fail-on level, 1 findings,\n"
          "2 usage error, config error, unreadable path or no input files.\n"
          "Configuration: the nearest .kfplint.yaml above each file (see kfplint(1)).\n"
          "Rules: kfplint --list-rules; documentation: kfplint --explain RULE.\n",
          out);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    char line[1024];
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    kfp_diag(stderr, "kfplint: %s", line); /* option values are untrusted text too */
    fputs("Try 'kfplint --help' for more information.\n", stderr);
    return KFP_EXIT_USAGE;
}

/* Applies a comma-separated rule list to cli (select or ignore). Returns KFP_OK or KFP_ERR after
 * printing the usage error. */
static int rule_list(const char *list, struct kfp_cli_rules *cli, bool select)
{
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s", list);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        const struct kfp_rule *r = kfp_rule_find(tok);
        if (!r) {
            usage_error("unknown rule '%s' (see kfplint --list-rules)", tok);
            return KFP_ERR;
        }
        size_t i = kfp_rule_index(r);
        if (select) {
            cli->selected[i] = true;
            cli->any_select = true;
        } else {
            cli->ignored[i] = true;
        }
    }
    return KFP_OK;
}

static void list_rules(void)
{
    for (size_t i = 0; i < kfp_n_rules; i++)
        printf("%-20s %-8s %s%s\n", kfp_rules[i]->id, kfp_severity_name(kfp_rules[i]->severity),
               kfp_rules[i]->summary, kfp_rules[i]->off_by_default ? " (off by default)" : "");
}

static int by_path(const void *a, const void *b)
{
    const struct kfp_result *x = *(struct kfp_result *const *)a;
    const struct kfp_result *y = *(struct kfp_result *const *)b;
    return strcmp(x->path, y->path);
}

/* ------------------------------------------------------------------ configs */

/* Loaded configs, by file path; one default for files without a config. */
struct configs {
    struct kfp_cli_rules cli;
    const char *forced;    /* --config */
    bool none;             /* --no-config */
    struct kfp_config *dflt;
    struct { char *path; struct kfp_config *c; } *loaded;
    size_t n;
};

/* The config for input `path`; NULL with *failed set after printing a config error. */
static const struct kfp_config *config_for(struct configs *cs, const char *path, bool *failed)
{
    char *found = NULL;
    if (!cs->none)
        found = cs->forced ? NULL : kfp_config_find(path);
    const char *want = cs->none ? NULL : cs->forced ? cs->forced : found;
    if (!want) {
        if (!cs->dflt && !(cs->dflt = kfp_config_default(&cs->cli)))
            *failed = true;
        return cs->dflt;
    }
    for (size_t i = 0; i < cs->n; i++)
        if (!strcmp(cs->loaded[i].path, want)) {
            kfp_free(found);
            return cs->loaded[i].c;
        }
    struct kfp_error err;
    char *all = NULL; /* every error of the file, when there are several */
    struct kfp_config *c = kfp_config_load_all(want, &cs->cli, &err, &all);
    void *grown = c ? kfp_realloc(cs->loaded, (cs->n + 1) * sizeof(*cs->loaded)) : NULL;
    char *copy = c ? kfp_malloc(strlen(want) + 1) : NULL;
    if (!c || !grown || !copy) {
        if (c || !all) {
            kfp_diag(stderr, "%s", c ? "kfplint: out of memory" : err.msg);
        } else { /* every error of the file, a line each, each made safe */
            for (char *line = all, *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
                nl = strchr(line, '\n');
                if (nl)
                    *nl = '\0';
                if (*line)
                    kfp_diag(stderr, "%s", line);
            }
        }
        kfp_free(all);
        kfp_config_free(c);
        kfp_free(copy);
        if (grown)
            cs->loaded = grown;
        kfp_free(found);
        *failed = true;
        return NULL;
    }
    cs->loaded = grown;
    strcpy(copy, want);
    cs->loaded[cs->n].path = copy;
    cs->loaded[cs->n].c = c;
    cs->n++;
    kfp_free(found);
    return c;
}

static void configs_free(struct configs *cs)
{
    kfp_config_free(cs->dflt);
    for (size_t i = 0; i < cs->n; i++) {
        kfp_free(cs->loaded[i].path);
        kfp_config_free(cs->loaded[i].c);
    }
    kfp_free(cs->loaded);
}

/* ------------------------------------------------------------------ unused ignore entries */

struct job;
static void unused_ignores(const struct configs *cs, const struct job *jobs, size_t n);

/* ------------------------------------------------------------------ parallel linting */

struct job;
static void lint_read(struct job *j);

struct job {
    const struct kfp_input *input;
    struct kfp_lint_opts opts;
    struct kfp_result res;
    bool excluded;
    int failed; /* out of memory */
};

struct pool {
    struct job *jobs;
    size_t n;
    atomic_size_t next;
};

static void lint_one(struct job *j)
{
    unsigned long failures = kfp_alloc_failures();
    lint_read(j);
    if (kfp_alloc_failures() != failures)
        j->failed = 1; /* an allocation failed somewhere inside, even if it was absorbed */
}

static void lint_read(struct job *j)
{
    char *data;
    size_t len;
    char msg[256];
    if (kfp_files_read(j->input->is_stdin ? NULL : j->input->path, j->opts.max_file_size, &data,
                       &len, msg, sizeof(msg))) {
        memset(&j->res, 0, sizeof(j->res));
        kfp_arena_init(&j->res.arena);
        j->res.path = j->input->path;
        j->res.io_error = 1;
        snprintf(j->res.io_msg, sizeof(j->res.io_msg), "%s", msg);
        return;
    }
    if (kfp_lint_buffer(&j->opts, j->input->path, data, len, j->input->explicit_path, &j->res) ||
        kfp_result_compact(&j->res))
        j->failed = 1;
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            break;
        if (!p->jobs[i].excluded)
            lint_one(&p->jobs[i]);
    }
    return NULL;
}

/* Lints every job with `threads` workers (the calling thread is one of them). */
static void run_pool(struct job *jobs, size_t n, long threads)
{
    struct pool p = {jobs, n, 0};
    if (threads > (long)n)
        threads = (long)n;
    if (threads > 64)
        threads = 64;
    pthread_t tids[64];
    long started = 0;
    for (long t = 1; t < threads; t++)
        if (pthread_create(&tids[started], NULL, worker, &p) == 0)
            started++;
    worker(&p);
    for (long t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
}

/* ------------------------------------------------------------------ output */

/* Whether `path` is the file `o` (same device and inode). */
static bool same_file(const char *path, const struct stat *o)
{
    struct stat st;
    return path && stat(path, &st) == 0 && st.st_dev == o->st_dev && st.st_ino == o->st_ino;
}

/* Whether -o names a file this run reads or writes: an input (any spelling, through symbolic
 * links, or found in a directory input), a config in use, the baseline or the baseline written.
 * The report would replace it. Prints why. */
static bool output_is_input(const char *output, const struct kfp_inputs *in, const struct configs *cs,
                            const char *baseline, const char *write_baseline)
{
    struct stat o;
    if (stat(output, &o) != 0 || !S_ISREG(o.st_mode))
        return false; /* a new file, a device or a pipe cannot be an input file */
    const char *hit = NULL;
    for (size_t i = 0; i < in->n && !hit; i++)
        if (!in->items[i].is_stdin && same_file(in->items[i].path, &o))
            hit = in->items[i].path;
    for (size_t i = 0; i < cs->n && !hit; i++)
        if (same_file(cs->loaded[i].path, &o))
            hit = cs->loaded[i].path;
    if (!hit && same_file(baseline, &o))
        hit = baseline;
    if (!hit && same_file(write_baseline, &o))
        hit = write_baseline;
    if (hit)
        kfp_diag(stderr, "kfplint: the output file '%s' is the input '%s': the report would "
                 "overwrite it; write the report elsewhere", output, hit);
    return hit != NULL;
}

/* Opens -o. A regular file (or a new one) is replaced atomically through `a`: the complete report
 * or nothing (kfp_atomic_commit / kfp_atomic_abort end it); a device or a FIFO (/dev/stdout, a
 * named pipe) is written directly (*out is then a fopen'd stream, a->fd stays -1). Returns KFP_OK
 * with *out set, or KFP_ERR after printing why (nothing created). */
static int open_output(const char *path, struct kfp_atomic *a, FILE **out)
{
    struct stat st;
    struct kfp_error err;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        if (!(*out = fopen(path, "w"))) {
            kfp_diag(stderr, "kfplint: cannot write '%s': %s", path, strerror(errno));
            return KFP_ERR;
        }
        return KFP_OK;
    }
    if (kfp_atomic_begin(a, path, &err)) {
        kfp_diag(stderr, "kfplint: %s", err.msg);
        return KFP_ERR;
    }
    if (!(*out = kfp_atomic_stream(a))) {
        kfp_diag(stderr, "kfplint: cannot write '%s': %s", path, strerror(errno));
        kfp_atomic_abort(a);
        return KFP_ERR;
    }
    return KFP_OK;
}

/* Warns (stderr) about each `ignore:` entry of the configs in use that dropped no finding in
 * this run, like an unused inline suppression: it is stale (the file moved, the defect was
 * fixed) or mistyped. Entries whose rules are all off in this run are not judged. */
static void unused_ignores(const struct configs *cs, const struct job *jobs, size_t n)
{
    for (size_t k = 0; k < cs->n; k++) {
        const struct kfp_config *c = cs->loaded[k].c;
        for (size_t i = 0; i < c->n_ignores; i++) {
            const struct kfp_ignore *ig = &c->ignores[i];
            bool on = !ig->rules;
            for (size_t r = 0; ig->rules && ig->rules[r]; r++) {
                const struct kfp_rule *rule = kfp_rule_find(ig->rules[r]);
                on |= rule && c->severity[kfp_rule_index(rule)] != KFP_SEV_OFF;
            }
            if (!on || !ig->glob || !c->dir)
                continue;
            bool hit = false;
            size_t covered = 0;
            for (size_t j = 0; j < n && !hit; j++) {
                const struct job *jb = &jobs[j];
                if (jb->excluded || jb->opts.config != c || jb->res.skipped || jb->res.io_error)
                    continue;
                hit = jb->res.ignores_hit && i < jb->res.opts_n_ignores && jb->res.ignores_hit[i];
                char buf[2 * PATH_MAX];
                const char *rel = kfp_path_below(c->dir, jb->input->path, buf);
                covered += rel && kfp_path_glob(ig->glob, rel);
            }
            if (hit)
                continue;
            char matched[64];
            snprintf(matched, sizeof(matched), "%zu linted file%s match%s its path", covered,
                     covered == 1 ? "" : "s", covered == 1 ? "es" : "");
            kfp_diag(stderr, "kfplint: %s:%zu:%zu: warning: ignore entry for '%s' dropped no finding "
                     "in this run (%s): remove it, or correct its path or rules", c->path, ig->line,
                     ig->col, ig->glob, covered ? matched : "no linted file matches its path");
        }
    }
}

/* ------------------------------------------------------------------ main */

/* Says on stderr that writing to `path` (standard output when NULL) failed. */
static void write_error(const char *path, int err)
{
    kfp_diag(stderr, "kfplint: writing the output to %s%s%s failed: %s", path ? "'" : "",
             path ? path : "standard output", path ? "'" : "", err ? strerror(err) : "write error");
}

int kfp_cli_main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "graph")) /* a file named graph: ./graph */
        return kfp_cli_graph(argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "lsp")) /* a file named lsp: ./lsp */
        return kfp_cli_lsp(argc - 1, argv + 1);
    struct option longopts[N_OPTIONS + 1];
    for (size_t i = 0; i < N_OPTIONS; i++)
        longopts[i] = options[i].opt;
    memset(&longopts[N_OPTIONS], 0, sizeof(longopts[0]));

    struct configs cs;
    memset(&cs, 0, sizeof(cs));
    const char *output = NULL, *stdin_name = NULL, *color = "auto", *print_config = NULL;
    const char *baseline = NULL, *write_baseline = NULL;
    int fail_on = KFP_SEV_ERROR;
    bool quiet = false, inline_supp = true, require_reason = false, skip_unknown = false;
    bool fix = false, unsafe_fixes = false, diff = false, force_exclude = false, statistics = false;
    enum kfp_format_kind format = KFP_OUT_TEXT;
    size_t max_size = 256u << 20;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:o:qhVj:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if (!strcmp(optarg, "text"))
                format = KFP_OUT_TEXT;
            else if (!strcmp(optarg, "json"))
                format = KFP_OUT_JSON;
            else if (!strcmp(optarg, "sarif"))
                format = KFP_OUT_SARIF;
            else if (!strcmp(optarg, "github"))
                format = KFP_OUT_GITHUB;
            else if (!strcmp(optarg, "gitlab"))
                format = KFP_OUT_GITLAB;
            else if (!strcmp(optarg, "junit"))
                format = KFP_OUT_JUNIT;
            else
                return usage_error("unknown format '%s' (use text, json, sarif, github, gitlab or "
                                   "junit)", optarg);
            break;
        case OPT_OUTPUT: output = optarg; break;
        case OPT_QUIET: quiet = true; break;
        case OPT_HELP: usage(stdout); return KFP_EXIT_OK;
        case OPT_VERSION: printf("kfplint %s\n", KFPLINT_VERSION); return KFP_EXIT_OK;
        case OPT_FAIL_ON:
            if (!strcmp(optarg, "never"))
                fail_on = KFP_SEV_ERROR + 1;
            else if ((fail_on = kfp_severity_parse(optarg)) <= 0)
                return usage_error("--fail-on takes error, warning, note or never, not '%s'", optarg);
            break;
        case OPT_SELECT:
        case OPT_IGNORE:
            if (rule_list(optarg, &cs.cli, c == OPT_SELECT))
                return KFP_EXIT_USAGE;
            break;
        case OPT_FIX: fix = true; break;
        case OPT_UNSAFE_FIXES: unsafe_fixes = true; break;
        case OPT_DIFF: diff = true; break;
        case OPT_STATISTICS: statistics = true; break;
        case OPT_CONFIG: cs.forced = optarg; break;
        case OPT_NO_CONFIG: cs.none = true; break;
        case OPT_PRINT_CONFIG: print_config = optarg; break;
        case OPT_NO_INLINE: inline_supp = false; break;
        case OPT_REQUIRE_REASON: require_reason = true; break;
        case OPT_SKIP_UNKNOWN: skip_unknown = true; break;
        case OPT_FORCE_EXCLUDE: force_exclude = true; break;
        case OPT_BASELINE: baseline = optarg; break;
        case OPT_WRITE_BASELINE: write_baseline = optarg; break;
        case OPT_JOBS: {
            char *end;
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 64)
                return usage_error("--jobs takes a number from 1 to 64, not '%s'", optarg);
            break;
        }
        case OPT_LIST_RULES: list_rules(); return KFP_EXIT_OK;
        case OPT_EXPLAIN: {
            const struct kfp_rule *r = kfp_rule_find(optarg);
            if (!r)
                return usage_error("unknown rule '%s' (see kfplint --list-rules)", optarg);
            printf("# %s\n\n%s.\n\nDefault severity: %s%s. Tags: %s.\n\n%s", r->id, r->summary,
                   kfp_severity_name(r->severity), r->off_by_default ? " (off by default)" : "",
                   r->tags, r->doc);
            return KFP_EXIT_OK;
        }
        case OPT_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return usage_error("--color takes auto, always or never, not '%s'", optarg);
            color = optarg;
            break;
        case OPT_STDIN_FILENAME: stdin_name = optarg; break;
        case OPT_MAX_FILE_SIZE: {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || !*optarg || v == 0 || v > 0xFFFFFFF0ull)
                return usage_error("--max-file-size takes a number of bytes, not '%s'", optarg);
            max_size = (size_t)v;
            break;
        }
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (cs.forced && cs.none)
        return usage_error("%s", "--config and --no-config exclude each other");
    if (fix && diff)
        return usage_error("%s", "--fix and --diff exclude each other (--diff shows what --fix writes)");
    if (unsafe_fixes && !fix && !diff)
        return usage_error("%s", "--unsafe-fixes goes with --fix or --diff");
    if (statistics && (diff || format != KFP_OUT_TEXT))
        return usage_error("%s", "--statistics prints a text table: not with --diff or --format");

    int rc = KFP_EXIT_OK;
    bool failed = false;
    struct kfp_inputs in = {0};
    struct job *work = NULL;
    struct kfp_result **results = NULL;
    size_t n_results = 0;
    struct kfp_baseline *base = NULL;
    const struct kfp_rule **extra = NULL;
    size_t n_extra = 0, n_excluded = 0;
    bool report_failed = false; /* a failed write of the report, already said on stderr */
    FILE *out = stdout;
    struct kfp_atomic report_file; /* -o on a regular file */
    report_file.fd = -1;

    if (print_config) {
        const struct kfp_config *cfg = config_for(&cs, print_config, &failed);
        if (cfg)
            kfp_config_print(cfg, stdout);
        rc = failed ? KFP_EXIT_USAGE : KFP_EXIT_OK;
        goto done;
    }
    if (optind >= argc)
        return usage_error("%s", "no PATH given (kfplint [OPTIONS] PATH...)");
    if (baseline) {
        struct kfp_error err;
        if (!(base = kfp_baseline_load(baseline, &err))) {
            kfp_diag(stderr, "kfplint: %s", err.msg);
            rc = KFP_EXIT_USAGE;
            goto done;
        }
    }
    for (int i = optind, dashes = 0; i < argc; i++)
        if (!strcmp(argv[i], "-") && ++dashes > 1) { /* a second '-' would read an empty stdin */
            rc = usage_error("%s", "'-' (standard input) given more than once");
            goto done;
        }
    for (int i = optind; i < argc; i++)
        if (kfp_files_add(&in, argv[i], stdin_name))
            goto nomem;
    if (in.n == 0) {
        rc = KFP_EXIT_USAGE;
        goto done;
    }

    /* resolve every input's config first: the workers then share only read-only state */
    work = kfp_malloc(in.n * sizeof(*work));
    if (!work)
        goto nomem;
    memset(work, 0, in.n * sizeof(*work));
    results = kfp_malloc(in.n * sizeof(*results));
    if (!results)
        goto nomem;
    for (size_t i = 0; i < in.n; i++) {
        const struct kfp_config *cfg = config_for(&cs, in.items[i].path, &failed);
        if (failed) {
            rc = KFP_EXIT_USAGE;
            goto done;
        }
        work[i].input = &in.items[i];
        work[i].opts = (struct kfp_lint_opts){cfg->severity, max_size, cfg, inline_supp,
                                              require_reason, skip_unknown};
        /* as ruff: a file named on the command line is linted even when `exclude` matches it,
         * unless --force-exclude (hooks pass every changed file by name) */
        work[i].excluded = !in.items[i].is_stdin &&
                           (force_exclude || !in.items[i].explicit_path) &&
                           kfp_config_excluded(cfg, in.items[i].path);
        n_excluded += work[i].excluded;
        for (size_t k = 0; k < cfg->n_custom; k++) { /* custom rules of every config in use */
            bool seen = false;
            for (size_t e = 0; e < n_extra; e++)
                seen |= extra[e] == &cfg->custom[k];
            if (seen)
                continue;
            const struct kfp_rule **grown = kfp_realloc(extra, (n_extra + 1) * sizeof(*extra));
            if (!grown)
                goto nomem;
            extra = grown;
            extra[n_extra++] = &cfg->custom[k];
        }
    }
    if (output && output_is_input(output, &in, &cs, baseline, write_baseline)) {
        rc = KFP_EXIT_USAGE;
        goto done;
    }
    run_pool(work, in.n, jobs);
    size_t n_checked = 0;
    for (size_t i = 0; i < in.n; i++) {
        if (work[i].excluded) { /* reported as skipped, with the reason */
            kfp_arena_init(&work[i].res.arena);
            work[i].res.path = work[i].input->path;
            work[i].res.skipped = true;
            work[i].res.skip_reason = "excluded by config";
            results[n_results++] = &work[i].res;
            continue;
        }
        if (work[i].failed)
            failed = true;
        if (work[i].res.io_error) {
            kfp_diag(stderr, "kfplint: cannot read '%s': %s", work[i].res.path, work[i].res.io_msg);
            in.errors++;
        }
        n_checked += !work[i].res.skipped && !work[i].res.io_error;
        if (work[i].res.undecided) { /* a rule could not decide: fail closed */
            kfp_diag(stderr, "kfplint: %s", work[i].res.undecided_err.msg);
            in.errors++;
        }
        results[n_results++] = &work[i].res;
    }
    if (failed)
        goto nomem;
    if (!quiet)
        unused_ignores(&cs, work, in.n);
    qsort(results, n_results, sizeof(*results), by_path);
    /* nothing linted at all is a misconfigured run (wrong folder, every file excluded), not a
     * clean one: say so, and exit 2 unless skipping was asked for (--skip-unknown, hooks) */
    bool none_checked = n_checked == 0 && !skip_unknown && !in.errors &&
                        !(force_exclude && n_excluded && n_excluded == in.n);
    if (n_checked == 0 && force_exclude && n_excluded && n_excluded == in.n && !quiet)
        kfp_diag(stderr, "kfplint: warning: every file is excluded by the config's exclude patterns "
                         "(--force-exclude): nothing was linted");
    if (none_checked) {
        char *why = NULL;
        if (kfp_skip_summary(results, n_results, &why))
            goto nomem;
        kfp_diag(stderr, "kfplint: error: no KFP file was checked (%s); pass --skip-unknown to "
                         "accept a run that checks nothing", why ? why : "no input");
        kfp_free(why);
    }

    unsigned long failures = kfp_alloc_failures(); /* this thread's, from here to the report */
    size_t fixed = 0, hidden = 0; /* hidden: unsafe fixes left out without --unsafe-fixes */
    bool any_diff = false, stdin_fix = false;
    struct job *stdin_job = NULL; /* with --fix: its document goes to stdout whatever happens */
    for (size_t i = 0; fix && i < in.n; i++)
        if (work[i].input->is_stdin && !work[i].res.io_error)
            stdin_job = &work[i];
    for (size_t i = 0; (fix || diff) && i < in.n; i++) {
        struct job *j = &work[i];
        if (j->excluded || j->res.io_error || j->res.skipped || j->res.undecided)
            continue;
        bool fixable = false;
        for (size_t f = 0; f < j->res.n_findings; f++) {
            const struct kfp_fix *x = j->res.findings[f]->fix;
            fixable |= x && (x->safe || unsafe_fixes);
            hidden += x && !x->safe && !unsafe_fixes;
        }
        if (!fixable)
            continue;
        struct kfp_fix_outcome fo;
        kfp_fix_buffer(&j->opts, j->input->path, j->res.data, j->res.len, unsafe_fixes, &fo);
        if (fo.status == KFP_FIX_NOMEM)
            goto nomem;
        if (fo.status == KFP_FIX_REJECTED || fo.status == KFP_FIX_NO_CONVERGE) {
            kfp_diag(stderr, "kfplint: %s: fixes not applied: %s", j->input->path, fo.why);
            continue;
        }
        if (fo.status != KFP_FIX_APPLIED)
            continue;
        if (diff) {
            any_diff = true;
            if (kfp_diff_unified(stdout, j->input->path, j->res.data, j->res.len, fo.out, fo.out_len) &&
                !ferror(stdout))
                failed = true; /* a write error is reported below, with the others on stdout */
            kfp_free(fo.out);
            continue;
        }
        if (j->input->is_stdin) {
            if (j == stdin_job) { /* --fix on stdin: the fixed text to stdout */
                fwrite(fo.out, 1, fo.out_len, stdout);
                stdin_job = NULL;
            }
        } else {
            struct kfp_error err;
            /* written only if the file still holds the bytes the fix was computed from */
            if (kfp_fix_write_checked(j->input->path, j->res.data, j->res.len, fo.out, fo.out_len, &err)) {
                kfp_diag(stderr, "kfplint: %s", err.msg);
                in.errors++;
                kfp_free(fo.out);
                continue;
            }
        }
        fixed += fo.applied;
        /* report what remains: lint the fixed text (it takes over fo.out) */
        kfp_result_free(&j->res);
        if (kfp_lint_buffer(&j->opts, j->input->path, fo.out, fo.out_len, j->input->explicit_path, &j->res))
            goto nomem;
    }
    if (stdin_job) /* nothing fixed (nothing fixable, not parsed, rejected): the text unchanged */
        fwrite(stdin_job->res.data, 1, stdin_job->res.len, stdout);
    if (fix) {
        for (size_t i = 0; i < in.n; i++)
            stdin_fix |= work[i].input->is_stdin;
        if (stdin_fix && fflush(stdout) != 0) {
            kfp_diag(stderr, "kfplint: writing the document to standard output failed");
            rc = KFP_EXIT_USAGE;
            goto done;
        }
    }
    if (failed)
        goto nomem;
    if (diff && !any_diff && !quiet && hidden) /* an empty diff says why */
        kfp_diag(stderr, "kfplint: no safe fixes to show; %zu unsafe fix%s hidden (use --diff "
                         "--unsafe-fixes)", hidden, hidden == 1 ? "" : "es");
    else if (diff && !any_diff && !quiet)
        kfp_diag(stderr, "kfplint: nothing to fix");
    if (diff) {
        rc = any_diff ? KFP_EXIT_FINDINGS : KFP_EXIT_OK;
        if (in.errors || none_checked)
            rc = KFP_EXIT_USAGE;
        goto done;
    }
    if (stdin_fix && !output)
        out = stderr; /* stdout carries the document, and only the document */

    if (base && kfp_baseline_filter(base, results, n_results) == (size_t)-1)
        goto nomem;
    if (write_baseline) {
        struct kfp_error err;
        if (kfp_baseline_write(write_baseline, results, n_results, &err)) {
            kfp_diag(stderr, "kfplint: %s", err.msg);
            rc = KFP_EXIT_USAGE;
            goto done;
        }
    }
    if (fix && !quiet) /* on stderr: stdout may carry a machine format or the fixed text */
        kfp_diag(stderr, "kfplint: fixed %zu problem%s%s", fixed, fixed == 1 ? "" : "s",
                 hidden ? " (unsafe fixes hidden: use --fix --unsafe-fixes)" : "");
    if (output && open_output(output, &report_file, &out)) {
        out = stdout;
        rc = KFP_EXIT_USAGE;
        goto done;
    }
    bool use_color = !strcmp(color, "always") ||
                     (!strcmp(color, "auto") && !getenv("NO_COLOR") && isatty(fileno(out)));
    struct kfp_report_opts ro = {use_color, quiet, KFP_SEV_NOTE, extra, n_extra};
    static int (*const reporters[])(FILE *, struct kfp_result *const *, size_t,
                                    const struct kfp_report_opts *) = {
        /* ORDER kfp_format_kind */
        kfp_report_text, kfp_report_json, kfp_report_sarif, kfp_report_github, kfp_report_gitlab,
        kfp_report_junit};
    errno = 0;
    int wrc = (statistics ? kfp_report_statistics : reporters[format])(out, results, n_results, &ro);
    if (kfp_alloc_failures() != failures)
        goto nomem;
    /* the report must reach its destination: a CI gate reading an empty or cut report would
     * pass, so a failed write (disk full, closed pipe, /dev/full) is exit 2 */
    if (wrc != KFP_OK || fflush(out) != 0 || ferror(out)) {
        write_error(output, errno);
        report_failed = true;
        rc = KFP_EXIT_USAGE;
        goto done;
    }
    if (report_file.fd >= 0) { /* -o: the complete report replaces the file, or nothing does */
        struct kfp_error err;
        out = stdout;
        if (kfp_atomic_commit(&report_file, NULL, 0, &err)) {
            kfp_diag(stderr, "kfplint: %s", err.msg);
            rc = KFP_EXIT_USAGE;
            goto done;
        }
    }
    for (size_t r = 0; r < n_results && rc == KFP_EXIT_OK; r++)
        for (size_t i = 0; i < results[r]->n_findings; i++)
            if ((int)results[r]->findings[i]->severity >= fail_on) {
                rc = KFP_EXIT_FINDINGS;
                break;
            }
    if (write_baseline)
        rc = KFP_EXIT_OK; /* recording a baseline accepts today's findings */
    if (in.errors || none_checked)
        rc = KFP_EXIT_USAGE;
    goto done;

nomem:
    kfp_diag(stderr, "kfplint: out of memory");
    rc = KFP_EXIT_USAGE;
done:
    if (report_file.fd >= 0) { /* a failed run leaves the old report (or none), never half of one */
        kfp_atomic_abort(&report_file);
        out = stdout;
    }
    if (out != stdout && out != stderr && fclose(out) != 0 && !report_failed) {
        write_error(output, errno);
        rc = KFP_EXIT_USAGE;
    }
    /* stdout carries the report, a diff or the fixed text: a lost write is never a pass */
    if (!report_failed && (fflush(stdout) != 0 || ferror(stdout))) {
        write_error(NULL, errno);
        rc = KFP_EXIT_USAGE;
    }
    for (size_t i = 0; work && i < in.n; i++)
        if (work[i].input)
            kfp_result_free(&work[i].res);
    kfp_free(work);
    kfp_free(results);
    kfp_free(extra);
    kfp_baseline_free(base);
    kfp_files_free(&in);
    configs_free(&cs);
    return rc;
}
