/* cli.h — the command line (kfp_cli_main) and input discovery (kfp_files_*). */
#ifndef KFPLINT_CLI_H
#define KFPLINT_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes, one enum for the whole program. */
enum kfp_exit {
    KFP_EXIT_OK = 0,       /* nothing at or above the --fail-on threshold */
    KFP_EXIT_FINDINGS = 1, /* findings at or above the threshold */
    KFP_EXIT_USAGE = 2,    /* usage error, unreadable path, no input matched, out of memory */
};

/* Runs kfplint with argv; returns the exit code. */
int kfp_cli_main(int argc, char **argv);

/* `kfplint graph` with argv from the word "graph" on (src/cli_graph.c); returns the exit code. */
int kfp_cli_graph(int argc, char **argv);

/* `kfplint lsp [--stdio]`: the language server on standard input and output (src/cli_graph.c,
 * serving through src/lsp.c); returns the exit code. */
int kfp_cli_lsp(int argc, char **argv);

/* One input to lint. */
struct kfp_input {
    char *path;        /* display path (kfp_malloc'd) */
    bool explicit_path; /* named on the command line (not found by walking a directory) */
    bool is_stdin;
};

/* Collected inputs (kfp_malloc'd array, owned; free with kfp_files_free). */
struct kfp_inputs {
    struct kfp_input *items;
    size_t n, cap;
    int errors; /* paths that could not be read or walked (already reported on stderr) */
};

/* Adds `path`: a file, a directory (walked for YAML and JSON names, sorted), or "-" (stdin,
 * shown as stdin_name). Problems are printed to stderr and counted in in->errors. Returns
 * KFP_OK, or KFP_ERR on allocation failure. */
int kfp_files_add(struct kfp_inputs *in, const char *path, const char *stdin_name);

/* Frees what kfp_files_add allocated. */
void kfp_files_free(struct kfp_inputs *in);

/* Reads at most max+1 bytes of a file (or stdin when path is NULL) into a kfp_malloc'd buffer.
 * Returns KFP_OK and sets *data and *len, or KFP_ERR with errno-style text in msg. */
int kfp_files_read(const char *path, size_t max, char **data, size_t *len, char *msg,
                   size_t msg_cap);

#endif
