/* cli_graph.c — the subcommands: `kfplint graph FILE` (kfp_cli_graph) lints one file like the CLI
 * does (its nearest config, inline suppressions) and draws its DAGs with the findings
 * (src/draw.c); `kfplint lsp` (kfp_cli_lsp) serves the language server (src/lsp.c) on stdio. */
#include "kfplint/alloc.h"
#include "kfplint/cli.h"
#include "kfplint/config.h"
#include "kfplint/draw.h"
#include "kfplint/lsp.h"
#include "kfplint/report.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void graph_usage(FILE *out)
{
    fputs("Usage: kfplint graph [OPTIONS] FILE\n"
          "Draws the DAGs of a pipeline (any format kfplint reads) with its findings on the tasks\n"
          "and edges they concern: Graphviz DOT (render with `dot -Tsvg`) or Mermaid (GitHub renders\n"
          "it in Markdown and job summaries). FILE may be - for standard input.\n\n"
          "  -f, --format FORMAT      dot (default) or mermaid\n"
          "  -o, --output FILE        write the picture to FILE instead of standard output\n"
          "      --config FILE        use this config instead of the nearest .kfplint.yaml\n"
          "      --no-config          ignore .kfplint.yaml files: built-in defaults\n"
          "      --stdin-filename NAME  path to show (and to find the config from) for '-'\n"
          "  -h, --help               print this help and exit\n\n"
          "Exit status: 0 drawn (whatever the findings), 2 usage error, unreadable file, or a file\n"
          "with nothing to draw (not a KFP document, or one that does not parse).\n",
          out);
}

/* "kfplint: [path: ]message" on stderr, made safe (kfp_diag); returns exit 2. */
static int graph_fail(const char *path, const char *what)
{
    kfp_diag(stderr, "kfplint: %s%s%s", path ? path : "", path ? ": " : "", what);
    return KFP_EXIT_USAGE;
}

int kfp_cli_graph(int argc, char **argv)
{
    enum { OPT_CONFIG = 256, OPT_NO_CONFIG, OPT_STDIN_FILENAME };
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},   {"output", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, OPT_CONFIG}, {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"stdin-filename", required_argument, NULL, OPT_STDIN_FILENAME},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    enum kfp_draw_format fmt = KFP_DRAW_DOT;
    const char *output = NULL, *forced = NULL, *stdin_name = NULL;
    bool no_config = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "dot"))
                fmt = KFP_DRAW_DOT;
            else if (!strcmp(optarg, "mermaid"))
                fmt = KFP_DRAW_MERMAID;
            else
                return graph_fail(NULL, "--format takes dot or mermaid (see kfplint graph --help)");
            break;
        case 'o': output = optarg; break;
        case OPT_CONFIG: forced = optarg; break;
        case OPT_NO_CONFIG: no_config = true; break;
        case OPT_STDIN_FILENAME: stdin_name = optarg; break;
        case 'h': graph_usage(stdout); return KFP_EXIT_OK;
        case ':': return graph_fail(argv[optind - 1], "this option needs a value (see kfplint graph --help)");
        default: return graph_fail(argv[optind - 1], "unknown option (see kfplint graph --help)");
        }
    }
    if (forced && no_config)
        return graph_fail(NULL, "--config and --no-config exclude each other");
    if (argc - optind != 1)
        return graph_fail(NULL, "give exactly one FILE (kfplint graph [OPTIONS] FILE)");
    const char *arg = argv[optind];
    bool is_stdin = !strcmp(arg, "-");
    const char *path = is_stdin ? (stdin_name ? stdin_name : "<stdin>") : arg;

    struct kfp_error err;
    struct kfp_cli_rules cli;
    memset(&cli, 0, sizeof(cli));
    char *found = no_config || forced ? NULL : kfp_config_find(is_stdin ? (stdin_name ? stdin_name : "-") : arg);
    const char *want = no_config ? NULL : forced ? forced : found;
    struct kfp_config *cfg = want ? kfp_config_load(want, &cli, &err) : kfp_config_default(&cli);
    kfp_free(found);
    if (!cfg)
        return graph_fail(NULL, want ? err.msg : "out of memory");

    int rc = KFP_EXIT_USAGE;
    char *data;
    size_t len;
    char msg[256];
    size_t max = 256u << 20;
    struct kfp_result res;
    memset(&res, 0, sizeof(res));
    kfp_arena_init(&res.arena);
    if (kfp_files_read(is_stdin ? NULL : arg, max, &data, &len, msg, sizeof(msg))) {
        graph_fail(path, msg);
        goto done;
    }
    struct kfp_lint_opts opts = {cfg->severity, max, cfg, true, false, false};
    if (kfp_lint_buffer(&opts, path, data, len, true, &res)) {
        graph_fail(path, "out of memory");
        goto done;
    }
    if (res.load_status != KFP_LOAD_OK) {
        size_t line = 1, col = 1;
        if (res.load_err.has_span)
            kfp_source_pos(&res.doc.src, res.load_err.span.start, &line, &col);
        char where[sizeof(res.load_err.msg) + 64];
        snprintf(where, sizeof(where), "%zu:%zu: nothing to draw: %s", line, col, res.load_err.msg);
        graph_fail(path, where);
        goto done;
    }
    if (res.model.kind == KFP_DOC_UNKNOWN) {
        graph_fail(path, "nothing to draw: not a KFP pipeline or component");
        goto done;
    }
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        graph_fail(output, "cannot write this file");
        goto done;
    }
    bool ok = kfp_draw(out, &res, fmt, &err) == KFP_OK;
    if (out != stdout && fclose(out) != 0 && ok) {
        ok = false;
        snprintf(err.msg, sizeof(err.msg), "writing the picture failed");
    }
    if (!ok) {
        graph_fail(output ? output : NULL, err.msg);
        goto done;
    }
    rc = KFP_EXIT_OK;
done:
    kfp_result_free(&res);
    kfp_config_free(cfg);
    return rc;
}

int kfp_cli_lsp(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs("Usage: kfplint lsp [--stdio]\n"
                  "Runs the kfplint language server (LSP 3.17) on standard input and output: diagnostics\n"
                  "for open KFP and Argo documents (nearest .kfplint.yaml, inline suppressions), quick\n"
                  "fixes and fix-all from the fix engine, rule documentation on hover. See docs/editors.md.\n",
                  stdout);
            return KFP_EXIT_OK;
        }
        if (strcmp(argv[i], "--stdio") != 0) /* what generic editor clients pass */
            return graph_fail(argv[i], "unknown argument (usage: kfplint lsp [--stdio])");
    }
    signal(SIGPIPE, SIG_IGN); /* a client gone away is a failed write, not a killed server */
    return kfp_lsp_serve(stdin, stdout);
}
