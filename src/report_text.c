/* report_text.c — the text reporter: gcc-style lines, source excerpt with caret, summary. */
#include "kfplint/report.h"
#include "kfplint/alloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[32m"
#define C_DIM "\033[2m"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t w = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (w == 0 || w > n || (w == 2 && c < 0xC2))
        return 0;
    for (size_t i = 1; i < w; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return w;
}

size_t kfp_safe_char_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return p[0] == '\t' || (p[0] >= 0x20 && p[0] < 0x7F);
    size_t w = utf8_len(p, n);
    /* C1 controls (U+0080..U+009F) are escapes too */
    if (w == 2 && p[0] == 0xC2 && p[1] < 0xA0)
        w = 0;
    return w;
}

void kfp_write_safe(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t run = i; /* printable ASCII and tabs go out in one write */
        while (run < len && (p[run] == '\t' || (p[run] >= 0x20 && p[run] < 0x7F)))
            run++;
        if (run > i) {
            fwrite(p + i, 1, run - i, out);
            i = run;
            continue;
        }
        unsigned char c = p[i];
        size_t w = kfp_safe_char_len(p + i, len - i);
        if (w) {
            fwrite(p + i, 1, w, out);
            i += w;
        } else {
            fprintf(out, "\\x%02X", c);
            i++;
        }
    }
}

bool kfp_starts_command(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s[0] == ':' && s[1] == ':';
}

void kfp_vdiag(FILE *out, const char *fmt, va_list ap)
{
    char small[1024], *buf = small;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= (int)sizeof(small) && (buf = kfp_malloc((size_t)n + 1)) != NULL)
        vsnprintf(buf, (size_t)n + 1, fmt, again);
    else
        buf = small; /* out of memory: the message is cut, never unescaped */
    va_end(again);
    size_t len = n < 0 ? 0 : strlen(buf);
    if (kfp_starts_command(buf)) /* a line that starts with a path: never `::cmd` */
        fputs("./", out);
    kfp_write_safe(out, buf, len);
    fputc('\n', out);
    if (buf != small)
        kfp_free(buf);
}

void kfp_diag(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kfp_vdiag(out, fmt, ap);
    va_end(ap);
}

static const char *sev_color(enum kfp_severity s)
{
    return s == KFP_SEV_ERROR ? C_RED : s == KFP_SEV_WARNING ? C_YELLOW : C_CYAN;
}

/* Writes the source line of `span` and a caret line under it. */
static void excerpt(FILE *out, const struct kfp_source *src, struct kfp_span span, size_t line,
                    bool color)
{
    uint32_t ls, le;
    if (span.start > src->len || !kfp_source_line_at(src, span.start, 400, &ls, &le))
        return; /* minified or huge lines: the position says enough */
    if (ls == 0 && le >= 3 && !memcmp(src->data, "\xEF\xBB\xBF", 3))
        ls = 3; /* the byte-order mark is not shown, and takes no column */
    char num[32];
    int w = snprintf(num, sizeof(num), "%zu", line);
    fprintf(out, "%*s |\n%s | ", w, "", num);
    kfp_write_safe(out, src->data + ls, le - ls);
    fprintf(out, "\n%*s | ", w, "");
    uint32_t end = span.end > le ? le : span.end;
    if (color)
        fputs(C_GREEN, out);
    for (uint32_t i = ls; i < span.start && i < le; i++) {
        unsigned char c = (unsigned char)src->data[i];
        if ((c & 0xC0) == 0x80)
            continue;
        fputc(c == '\t' ? '\t' : ' ', out);
    }
    fputc('^', out);
    bool first = true;
    for (uint32_t i = span.start; i < end; i++) {
        if (((unsigned char)src->data[i] & 0xC0) == 0x80)
            continue;
        if (!first)
            fputc('~', out);
        first = false;
    }
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
}

int kfp_report_text(FILE *out, struct kfp_result *const *results, size_t n,
                    const struct kfp_report_opts *o)
{
    size_t counts[4] = {0};
    size_t files_with = 0, files_checked = 0, safe = 0, unsafe = 0;
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        if (res->skipped || res->io_error)
            continue;
        files_checked++;
        bool any = false;
        for (size_t i = 0; i < res->n_findings; i++) {
            const struct kfp_finding *f = res->findings[i];
            if (f->severity < o->min_severity)
                continue;
            any = true;
            counts[f->severity]++;
            size_t line, col;
            kfp_source_pos(&res->doc.src, f->span.start, &line, &col);
            if (o->color)
                fputs(C_BOLD, out);
            if (kfp_starts_command(res->path)) /* the same file, not a workflow command */
                fputs("./", out);
            kfp_write_safe(out, res->path, strlen(res->path));
            fprintf(out, ":%zu:%zu:", line, col);
            if (o->color)
                fprintf(out, C_RESET " %s%s:" C_RESET " ", sev_color(f->severity),
                        kfp_severity_name(f->severity));
            else
                fprintf(out, " %s: ", kfp_severity_name(f->severity));
            kfp_write_safe(out, f->msg, strlen(f->msg));
            fprintf(out, o->color ? " " C_DIM "[%s]" C_RESET : " [%s]", f->rule->id);
            /* ruff's mark: --fix applies this one (unsafe fixes need --unsafe-fixes) */
            fputs(f->fix && f->fix->safe ? " [*]\n" : "\n", out);
            safe += f->fix && f->fix->safe;
            unsafe += f->fix && !f->fix->safe;
            if (!o->quiet)
                excerpt(out, &res->doc.src, f->span, line, o->color);
        }
        files_with += any;
    }
    if (!o->quiet) {
        size_t total = counts[1] + counts[2] + counts[3];
        if (total == 0 && files_checked == 0) {
            fputs("no KFP file checked\n", out);
        } else if (total == 0) {
            fprintf(out, "no problems found in %zu file%s\n", files_checked,
                    files_checked == 1 ? "" : "s");
        } else {
            const char *sep = "";
            static const char *const names[4][2] = {
                {"", ""}, {"note", "notes"}, {"warning", "warnings"}, {"error", "errors"}};
            for (int s = 3; s >= 1; s--) {
                if (!counts[s])
                    continue;
                fprintf(out, "%s%zu %s", sep, counts[s], names[s][counts[s] != 1]);
                sep = ", ";
            }
            fprintf(out, " in %zu file%s (%zu checked)\n", files_with, files_with == 1 ? "" : "s",
                    files_checked);
        }
        if (safe)
            fprintf(out, "[*] %zu fix%s available with --fix", safe, safe == 1 ? "" : "es");
        else if (unsafe)
            fputs("no safe fixes", out);
        if (unsafe)
            fprintf(out, "%s%zu hidden (use --fix --unsafe-fixes)", safe ? ", " : "; ", unsafe);
        if (safe || unsafe)
            fputc('\n', out);
        char *skipped = NULL; /* out of memory: the CLI notices the failed allocation */
        if (kfp_skip_summary(results, n, &skipped) == KFP_OK && skipped) {
            kfp_write_safe(out, skipped, strlen(skipped));
            fputc('\n', out);
        }
        kfp_free(skipped);
    }
    return ferror(out) ? KFP_ERR : KFP_OK;
}

/* One row of --statistics. */
struct stat_row {
    const struct kfp_rule *rule;
    size_t count, safe, unsafe;
    enum kfp_severity severity; /* the highest of its findings (configs may change it) */
};

static int by_count(const void *a, const void *b)
{
    const struct stat_row *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

int kfp_report_statistics(FILE *out, struct kfp_result *const *results, size_t n,
                          const struct kfp_report_opts *o)
{
    /* rows by rule: the built-in rules by index, custom rules after them */
    size_t cap = kfp_n_rules + o->n_extra_rules + 1;
    struct stat_row *rows = kfp_malloc(cap * sizeof(*rows));
    if (!rows)
        return KFP_ERR;
    memset(rows, 0, cap * sizeof(*rows));
    size_t total = 0, safe = 0, unsafe = 0;
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        for (size_t i = 0; !res->skipped && !res->io_error && i < res->n_findings; i++) {
            const struct kfp_finding *f = res->findings[i];
            if (f->severity < o->min_severity)
                continue;
            size_t k = kfp_rule_index(f->rule);
            for (size_t e = 0; k == SIZE_MAX && e < o->n_extra_rules; e++)
                if (o->extra_rules[e] == f->rule)
                    k = kfp_n_rules + e;
            if (k == SIZE_MAX)
                k = cap - 1; /* cannot happen: every rule is built in or in extra_rules */
            rows[k].rule = f->rule;
            if (f->severity > rows[k].severity)
                rows[k].severity = f->severity;
            rows[k].count++;
            rows[k].safe += f->fix && f->fix->safe;
            rows[k].unsafe += f->fix && !f->fix->safe;
            total++;
            safe += f->fix && f->fix->safe;
            unsafe += f->fix && !f->fix->safe;
        }
    }
    size_t m = 0;
    for (size_t k = 0; k < cap; k++)
        if (rows[k].count)
            rows[m++] = rows[k];
    qsort(rows, m, sizeof(*rows), by_count);
    if (m)
        fprintf(out, "%7s %7s %7s  %-22s %-8s %s\n", "count", "fixable", "unsafe", "rule",
                "severity", "summary");
    for (size_t k = 0; k < m; k++) {
        fprintf(out, "%7zu %7zu %7zu  %-22s %-8s ", rows[k].count, rows[k].safe, rows[k].unsafe,
                rows[k].rule->id, kfp_severity_name(rows[k].severity));
        kfp_write_safe(out, rows[k].rule->summary, strlen(rows[k].rule->summary));
        fputc('\n', out);
    }
    fprintf(out, "%zu finding%s, %zu fixable with --fix, %zu more with --fix --unsafe-fixes\n",
            total, total == 1 ? "" : "s", safe, unsafe);
    kfp_free(rows);
    return ferror(out) ? KFP_ERR : KFP_OK;
}
