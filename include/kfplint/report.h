/* report.h — reporters (kfp_report_*) and what they share: positions of findings, stable
 * fingerprints, relative URIs and safe text. Every reporter writes results[0..n) in path order
 * (the CLI sorts them) and returns KFP_OK, or KFP_ERR when writing failed. */
#ifndef KFPLINT_REPORT_H
#define KFPLINT_REPORT_H

#include "kfplint/rule.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>

enum kfp_format_kind { KFP_OUT_TEXT, KFP_OUT_JSON, KFP_OUT_SARIF, KFP_OUT_GITHUB, KFP_OUT_GITLAB,
                       KFP_OUT_JUNIT };

struct kfp_report_opts {
    bool color;      /* ANSI colour (text) */
    bool quiet;      /* findings only, no summary (text) */
    enum kfp_severity min_severity; /* findings below this are not written */
    const struct kfp_rule *const *extra_rules; /* custom rules of the configs in use (SARIF) */
    size_t n_extra_rules;
};

/* 1-based positions of a span: start, and end as the column after the last character (SARIF's
 * convention); byte offsets too. */
struct kfp_region {
    size_t start_line, start_col, end_line, end_col;
    uint32_t start_byte, end_byte;
};
void kfp_region_of(const struct kfp_source *src, struct kfp_span span, struct kfp_region *r);

/* A location-independent fingerprint per finding of res ("<16 hex>:<n>"): rule id, path,
 * message (line numbers taken out) and the text of the span, plus an occurrence count for
 * identical ones. Stays the same when unrelated lines are added or removed. Fills out[i] for
 * each finding; out must have res->n_findings entries. */
void kfp_fingerprints(const struct kfp_result *res, char (*out)[24]);
/* kfp_fingerprints with `path` hashed instead of res->path (the baseline hashes a path relative
 * to its own directory, so any spelling of the input path gives the same fingerprint). */
void kfp_fingerprints_for(const struct kfp_result *res, const char *path, char (*out)[24]);

/* GitHub code scanning's primaryLocationLineHash for 1-based `line` of src (the algorithm of
 * github/codeql-action's fingerprints.ts, so upload-sarif agrees with it). Fills hashes[i] for
 * each lines[i]; lines must be sorted ascending. Returns KFP_OK or KFP_ERR (out of memory). */
int kfp_line_hashes(const struct kfp_source *src, const size_t *lines, size_t n, char (*hashes)[32]);

/* A JSON string from possibly invalid UTF-8 (invalid bytes become U+FFFD). New reference, or
 * NULL on allocation failure. */
json_t *kfp_json_str(const char *s);

int kfp_report_text(FILE *out, struct kfp_result *const *results, size_t n,
                    const struct kfp_report_opts *o);
int kfp_report_json(FILE *out, struct kfp_result *const *results, size_t n,
                    const struct kfp_report_opts *o);
int kfp_report_sarif(FILE *out, struct kfp_result *const *results, size_t n,
                     const struct kfp_report_opts *o);
/* GitLab Code Quality JSON (report_gitlab.c) and JUnit XML (report_junit.c). */
int kfp_report_gitlab(FILE *out, struct kfp_result *const *results, size_t n,
                      const struct kfp_report_opts *o);
int kfp_report_junit(FILE *out, struct kfp_result *const *results, size_t n,
                     const struct kfp_report_opts *o);
/* --statistics: findings counted per rule, most frequent first, with how many --fix and
 * --fix --unsafe-fixes would fix (to size a rollout). */
int kfp_report_statistics(FILE *out, struct kfp_result *const *results, size_t n,
                          const struct kfp_report_opts *o);
int kfp_report_github(FILE *out, struct kfp_result *const *results, size_t n,
                      const struct kfp_report_opts *o);

/* Number of results that were skipped (not KFP documents, or excluded by a config). */
size_t kfp_count_skipped(struct kfp_result *const *results, size_t n);

/* The skipped files of results[0..n) summed up by reason, most frequent first:
 * "3 files skipped: binary file (2); Argo Workflow (not supported) (1)". Allocates *text with
 * kfp_malloc (the caller frees it); *text is NULL when nothing was skipped. Returns KFP_OK, or
 * KFP_ERR when memory ran out (*text is then NULL). */
int kfp_skip_summary(struct kfp_result *const *results, size_t n, char **text);

/* Copies s to out with control characters, escape sequences and invalid UTF-8 neutralised as
 * `\xNN`, so hostile input cannot drive the terminal. */
void kfp_write_safe(FILE *out, const char *s, size_t len);

/* Length (1..4) of the character at p[0..n) when it may go out raw: printable ASCII, tab, or
 * valid UTF-8 that is not a C1 control; 0 when it must be escaped. What kfp_write_safe and the
 * GitHub reporter's escaping decide by. */
size_t kfp_safe_char_len(const unsigned char *p, size_t n);

/* A diagnostic line: the formatted message (callers start it with "kfplint: "), then "\n". The whole message goes through
 * kfp_write_safe, so a file name or config value in it cannot move the cursor, colour the
 * terminal or start a new line (a CI log would read `\n::error ::…` as a workflow command).
 * Every stderr message goes through here. Allocates only for messages over 1 KiB (freed before
 * it returns; without memory the message is cut). */
__attribute__((format(printf, 2, 3))) void kfp_diag(FILE *out, const char *fmt, ...);

/* Whether a line starting with s would read as a GitHub workflow command (`::`, after blanks, as
 * the runner trims them). A relative path that does is written as `./path` at the start of a
 * line (kfp_diag and the text reporter do so). */
bool kfp_starts_command(const char *s);
__attribute__((format(printf, 2, 0))) void kfp_vdiag(FILE *out, const char *fmt, va_list ap);

#endif
