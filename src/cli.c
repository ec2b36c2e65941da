/* cli.c — the kfplint command line (kfp_cli_main): options, inputs, linting, reporting, exit code.
 *
 * One options table drives getopt_long and --help. Usage errors print one `kfplint: …` line and
 * a pointer to --help on stderr and exit 2; --help and --version go to stdout and exit 0.
 */
#include "kfplint/cli.h"
#include "kfplint/alloc.h"
#include "kfplint/report.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum opt_id {
    OPT_FORMAT = 'f', OPT_OUTPUT = 'o', OPT_QUIET = 'q', OPT_HELP = 'h', OPT_VERSION = 'V',
    OPT_FAIL_ON = 256, OPT_SELECT, OPT_IGNORE, OPT_LIST_RULES, OPT_EXPLAIN, OPT_COLOR,
    OPT_STDIN_FILENAME, OPT_MAX_FILE_SIZE,
};

static const struct {
    struct option opt;
    const char *arg;
    const char *help;
} options[] = {
    {{"format", required_argument, NULL, OPT_FORMAT}, "FORMAT", "output format: text (default), json, sarif, github"},
    {{"output", required_argument, NULL, OPT_OUTPUT}, "FILE", "write the report to FILE instead of standard output"},
    {{"fail-on", required_argument, NULL, OPT_FAIL_ON}, "LEVEL", "exit 1 on findings at or above LEVEL: error (default), warning, note, never"},
    {{"select", required_argument, NULL, OPT_SELECT}, "RULES", "run only these rules (comma-separated ids)"},
    {{"ignore", required_argument, NULL, OPT_IGNORE}, "RULES", "do not run these rules (comma-separated ids)"},
    {{"list-rules", no_argument, NULL, OPT_LIST_RULES}, NULL, "list every rule with its default severity and exit"},
    {{"explain", required_argument, NULL, OPT_EXPLAIN}, "RULE", "print the documentation of RULE and exit"},
    {{"color", required_argument, NULL, OPT_COLOR}, "WHEN", "colour: auto (default; off when NO_COLOR is set), always, never"},
    {{"stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME}, "NAME", "path to show for input read from '-'"},
    {{"max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE}, "BYTES", "skip (and report) files larger than this (default 268435456)"},
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
        fprintf(out, "  %-30s %s\n", left, options[i].help);
    }
    fputs("\nExit status: 0 no findings at or above the --fail-on level, 1 findings,\n"
          "2 usage error, unreadable path or no input files.\n"
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

/* Applies a comma-separated rule list: select (on=1) or ignore (on=0). Returns KFP_OK or
 * KFP_ERR after printing the usage error. */
static int rule_list(const char *list, enum kfp_severity *sev, bool *selected, int on)
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
        if (on)
            selected[i] = true;
        else
            sev[i] = KFP_SEV_OFF;
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

int kfp_cli_main(int argc, char **argv)
{
    struct option longopts[N_OPTIONS + 1];
    for (size_t i = 0; i < N_OPTIONS; i++)
        longopts[i] = options[i].opt;
    memset(&longopts[N_OPTIONS], 0, sizeof(longopts[0]));

    enum kfp_severity sev[64];
    bool selected[64] = {false};
    bool any_select = false;
    for (size_t i = 0; i < kfp_n_rules; i++)
        sev[i] = kfp_rules[i]->off_by_default ? KFP_SEV_OFF : kfp_rules[i]->severity;
    const char *output = NULL, *stdin_name = NULL, *color = "auto";
    int fail_on = KFP_SEV_ERROR;
    bool quiet = false;
    enum kfp_format_kind format = KFP_OUT_TEXT;
    size_t max_size = 256u << 20;

    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "f:o:qhV", longopts, NULL)) != -1) {
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
            if (rule_list(optarg, sev, selected, 1))
                return KFP_EXIT_USAGE;
            any_select = true;
            break;
        case OPT_IGNORE:
            if (rule_list(optarg, sev, selected, 0))
                return KFP_EXIT_USAGE;
            break;
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
    if (optind >= argc)
        return usage_error("%s", "no PATH given (kfplint [OPTIONS] PATH...)");
    if (any_select) {
        for (size_t i = 0; i < kfp_n_rules; i++) {
            if (!selected[i])
                sev[i] = KFP_SEV_OFF;
            else if (sev[i] == KFP_SEV_OFF && kfp_rules[i]->off_by_default)
                sev[i] = kfp_rules[i]->severity;
        }
    }

    int rc = KFP_EXIT_OK;
    struct kfp_inputs in = {0};
    struct kfp_result **results = NULL;
    size_t n_results = 0;
    FILE *out = stdout;
    for (int i = optind; i < argc; i++)
        if (kfp_files_add(&in, argv[i], stdin_name))
            goto nomem;
    if (in.n == 0) {
        rc = KFP_EXIT_USAGE;
        goto done;
    }
    if (output && !(out = fopen(output, "w"))) {
        fprintf(stderr, "kfplint: cannot write '%s': ", output);
        perror(NULL);
        out = stdout;
        rc = KFP_EXIT_USAGE;
        goto done;
    }

    struct kfp_lint_opts opts = {sev, max_size};
    results = kfp_malloc(in.n * sizeof(*results));
    if (!results)
        goto nomem;
    for (size_t i = 0; i < in.n; i++) {
        struct kfp_result *res = kfp_malloc(sizeof(*res));
        if (!res)
            goto nomem;
        results[n_results++] = res;
        char *data;
        size_t len;
        char msg[256];
        if (kfp_files_read(in.items[i].is_stdin ? NULL : in.items[i].path, max_size, &data, &len,
                           msg, sizeof(msg))) {
            memset(res, 0, sizeof(*res));
            kfp_arena_init(&res->arena);
            res->path = in.items[i].path;
            res->io_error = 1;
            snprintf(res->io_msg, sizeof(res->io_msg), "%s", msg);
            fprintf(stderr, "kfplint: cannot read '%s': %s\n", in.items[i].path, msg);
            in.errors++;
            continue;
        }
        if (kfp_lint_buffer(&opts, in.items[i].path, data, len, in.items[i].explicit_path, res))
            goto nomem;
    }
    qsort(results, n_results, sizeof(*results), by_path);

    bool use_color = !strcmp(color, "always") ||
                     (!strcmp(color, "auto") && !getenv("NO_COLOR") && isatty(fileno(out)));
    struct kfp_report_opts ro = {use_color, quiet, KFP_SEV_NOTE};
    static int (*const reporters[])(FILE *, struct kfp_result *const *, size_t,
                                    const struct kfp_report_opts *) = {
        /* ORDER kfp_format_kind */
        kfp_report_text, kfp_report_json, kfp_report_sarif, kfp_report_github};
    if (reporters[format](out, results, n_results, &ro) != KFP_OK) {
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
    for (size_t i = 0; i < n_results; i++) {
        kfp_result_free(results[i]);
        kfp_free(results[i]);
    }
    kfp_free(results);
    kfp_files_free(&in);
    return rc;
}
