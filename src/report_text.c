/* report_text.c — the text reporter: gcc-style lines, source excerpt with caret, summary. */
#include "kfplint/report.h"

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
        size_t w = c >= 0x80 ? utf8_len(p + i, len - i) : 0;
        /* C1 controls (U+0080..U+009F) are escapes too */
        if (w == 2 && c == 0xC2 && p[i + 1] < 0xA0)
            w = 0;
        if (w) {
            fwrite(p + i, 1, w, out);
            i += w;
        } else {
            fprintf(out, "\\x%02X", c);
            i++;
        }
    }
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
    size_t files_with = 0, files_checked = 0;
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
            kfp_write_safe(out, res->path, strlen(res->path));
            fprintf(out, ":%zu:%zu:", line, col);
            if (o->color)
                fprintf(out, C_RESET " %s%s:" C_RESET " ", sev_color(f->severity),
                        kfp_severity_name(f->severity));
            else
                fprintf(out, " %s: ", kfp_severity_name(f->severity));
            kfp_write_safe(out, f->msg, strlen(f->msg));
            fprintf(out, o->color ? " " C_DIM "[%s]" C_RESET "\n" : " [%s]\n", f->rule->id);
            if (!o->quiet)
                excerpt(out, &res->doc.src, f->span, line, o->color);
        }
        files_with += any;
    }
    if (!o->quiet) {
        size_t total = counts[1] + counts[2] + counts[3];
        if (total == 0) {
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
    }
    return ferror(out) ? KFP_ERR : KFP_OK;
}
