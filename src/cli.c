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
#include "kfplint/report.h"

#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum opt_id {
    OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_QUIET = 'q', OPT_HELP = 'h', OPT_VERSION = 'V',
    OPT_JOBS = 'j',
    OPT_FAIL_ON = 256, OPT_SELECT, OPT_IGNORE, OPT_LIST_RULES, OPT_EXPLAIN, OPT_COLOR,
    OPT_STDIN_FILENAME, OPT_MAX_FILE_SIZE, OPT_CONFIG, OPT_NO_CONFIG, OPT_PRINT_CONFIG,
    OPT_NO_INLINE, OPT_REQUIRE_REASON, OPT_SKIP_UNKNOWN, OPT_BASELINE, OPT_WRITE_BASELINE,
    OPT_FIX, OPT_UNSAFE_FIXES, OPT_DIFF,
};

static const struct {
    struct option opt;
    const char *arg;
    const char *help;
} options[] = {
    {{"format", required_argument, NULL, OPT_FORMAT}, "FORMAT", "output format: text (default), json, sarif, github"},
    {{"output", required_argument, NULL, OPT_OUTPUT}, "FILE", "write the report to FILE instead of standard output"},
    {{"fail-on", required_argument, NULL, OPT_FAIL_ON}, "LEVEL", "exit 1 on findings at or above LEVEL: error (default), warning, note, never"},
    {{"fix", no_argument, NULL, OPT_FIX}, NULL, "apply safe fixes in place, then report what remains"},
    {{"unsafe-fixes", no_argument, NULL, OPT_UNSAFE_FIXES}, NULL, "with --fix or --diff, apply unsafe fixes too"},
    {{"diff", no_argument, NULL, OPT_DIFF}, NULL, "print a unified diff of what --fix would change; write nothing"},
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
    fputs("kfplint: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'kfplint --help' for more information.\n", stderr);
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
    struct kfp_config *c = kfp_config_load(want, &cs->cli, &err);
    void *grown = c ? kfp_realloc(cs->loaded, (cs->n + 1) * sizeof(*cs->loaded)) : NULL;
    char *copy = c ? kfp_malloc(strlen(want) + 1) : NULL;
    if (!c || !grown || !copy) {
        fprintf(stderr, "%s\n", c ? "kfplint: out of memory" : err.msg);
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

/* ------------------------------------------------------------------ main */

int kfp_cli_main(int argc, char **argv)
{
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
    bool fix = false, unsafe_fixes = false, diff = false;
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
            else
                return usage_error("unknown format '%s' (use text, json, sarif or github)", optarg);
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
        case OPT_CONFIG: cs.forced = optarg; break;
        case OPT_NO_CONFIG: cs.none = true; break;
        case OPT_PRINT_CONFIG: print_config = optarg; break;
        case OPT_NO_INLINE: inline_supp = false; break;
        case OPT_REQUIRE_REASON: require_reason = true; break;
        case OPT_SKIP_UNKNOWN: skip_unknown = true; break;
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

    int rc = KFP_EXIT_OK;
    bool failed = false;
    struct kfp_inputs in = {0};
    struct job *work = NULL;
    struct kfp_result **results = NULL;
    size_t n_results = 0;
    struct kfp_baseline *base = NULL;
    const struct kfp_rule **extra = NULL;
    size_t n_extra = 0;
    FILE *out = stdout;

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
            fprintf(stderr, "kfplint: %s\n", err.msg);
            rc = KFP_EXIT_USAGE;
            goto done;
        }
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
        work[i].excluded = !in.items[i].is_stdin && kfp_config_excluded(cfg, in.items[i].path);
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
    run_pool(work, in.n, jobs);
    for (size_t i = 0; i < in.n; i++) {
        if (work[i].excluded)
            continue;
        if (work[i].failed)
            failed = true;
        if (work[i].res.io_error) {
            fprintf(stderr, "kfplint: cannot read '%s': %s\n", work[i].res.path, work[i].res.io_msg);
            in.errors++;
        }
        if (work[i].res.undecided) { /* a rule could not decide: fail closed */
            fprintf(stderr, "kfplint: %s\n", work[i].res.undecided_err.msg);
            in.errors++;
        }
        results[n_results++] = &work[i].res;
    }
    if (failed)
        goto nomem;
    qsort(results, n_results, sizeof(*results), by_path);

    unsigned long failures = kfp_alloc_failures(); /* this thread's, from here to the report */
    size_t fixed = 0;
    bool any_diff = false, stdin_fixed = false;
    for (size_t i = 0; (fix || diff) && i < in.n; i++) {
        struct job *j = &work[i];
        if (j->excluded || j->res.io_error || j->res.skipped || j->res.undecided)
            continue;
        bool fixable = false;
        for (size_t f = 0; f < j->res.n_findings && !fixable; f++)
            fixable = j->res.findings[f]->fix && (j->res.findings[f]->fix->safe || unsafe_fixes);
        if (!fixable)
            continue;
        struct kfp_fix_outcome fo;
        kfp_fix_buffer(&j->opts, j->input->path, j->res.data, j->res.len, unsafe_fixes, &fo);
        if (fo.status == KFP_FIX_NOMEM)
            goto nomem;
        if (fo.status == KFP_FIX_REJECTED || fo.status == KFP_FIX_NO_CONVERGE) {
            fprintf(stderr, "kfplint: %s: fixes not applied: %s\n", j->input->path, fo.why);
            continue;
        }
        if (fo.status != KFP_FIX_APPLIED)
            continue;
        if (diff) {
            any_diff = true;
            if (kfp_diff_unified(stdout, j->input->path, j->res.data, j->res.len, fo.out, fo.out_len))
                failed = true;
            kfp_free(fo.out);
            continue;
        }
        if (j->input->is_stdin) {
            fwrite(fo.out, 1, fo.out_len, stdout); /* --fix on stdin: the fixed text to stdout */
            stdin_fixed = true;
        } else {
            struct kfp_error err;
            if (kfp_fix_write(j->input->path, fo.out, fo.out_len, &err)) {
                fprintf(stderr, "kfplint: %s\n", err.msg);
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
    if (failed)
        goto nomem;
    if (diff) {
        rc = any_diff ? KFP_EXIT_FINDINGS : KFP_EXIT_OK;
        if (in.errors)
            rc = KFP_EXIT_USAGE;
        goto done;
    }
    if (stdin_fixed && !output)
        out = stderr; /* stdout carries the fixed text */

    if (base && kfp_baseline_filter(base, results, n_results) == (size_t)-1)
        goto nomem;
    if (write_baseline) {
        struct kfp_error err;
        if (kfp_baseline_write(write_baseline, results, n_results, &err)) {
            fprintf(stderr, "kfplint: %s\n", err.msg);
            rc = KFP_EXIT_USAGE;
            goto done;
        }
    }
    if (fix && !quiet) /* on stderr: stdout may carry a machine format or the fixed text */
        fprintf(stderr, "kfplint: fixed %zu problem%s\n", fixed, fixed == 1 ? "" : "s");
    if (output && !(out = fopen(output, "w"))) {
        fprintf(stderr, "kfplint: cannot write '%s': ", output);
        perror(NULL);
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
        kfp_report_text, kfp_report_json, kfp_report_sarif, kfp_report_github};
    if (reporters[format](out, results, n_results, &ro) != KFP_OK || kfp_alloc_failures() != failures) {
        if (kfp_alloc_failures() != failures)
            goto nomem;
        fprintf(stderr, "kfplint: writing the report failed\n");
        rc = KFP_EXIT_USAGE;
        goto done;
    }
    for (size_t r = 0; r < n_results && rc == KFP_EXIT_OK; r++)
        for (size_t i = 0; i < results[r]->n_findings; i++)
            if ((int)results[r]->findings[i]->severity >= fail_on) {
                rc = KFP_EXIT_FINDINGS;
                break;
            }
    if (write_baseline)
        rc = KFP_EXIT_OK; /* recording a baseline accepts today's findings */
    if (in.errors)
        rc = KFP_EXIT_USAGE;
    goto done;

nomem:
    fprintf(stderr, "kfplint: out of memory\n");
    rc = KFP_EXIT_USAGE;
done:
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "kfplint: writing '%s' failed\n", output);
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
