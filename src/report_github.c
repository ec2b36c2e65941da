/* report_github.c — GitHub Actions workflow commands (`::error file=…,line=…::message`),
 * escaped as GitHub's toolkit does, so no file name or message can start another command. */
#include "kfplint/report.h"
#include "kfplint/alloc.h"

#include <string.h>

/* Message data: %, CR and LF are escaped. Properties also escape ':' and ','. Other control
 * characters, C1 controls and bytes of invalid UTF-8 become %XX too (GitHub leaves those
 * literal), so no raw control byte reaches the log. */
static void esc(FILE *out, const char *s, bool property)
{
    size_t len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        switch (c) {
        case '%': fputs("%25", out); i++; continue;
        case '\r': fputs("%0D", out); i++; continue;
        case '\n': fputs("%0A", out); i++; continue;
        case ':': property ? fputs("%3A", out) : fputc(':', out); i++; continue;
        case ',': property ? fputs("%2C", out) : fputc(',', out); i++; continue;
        default: break;
        }
        size_t w = c == '\t' ? 0 : kfp_safe_char_len(p + i, len - i);
        if (w) {
            fwrite(p + i, 1, w, out);
            i += w;
        } else {
            fprintf(out, "%%%02X", c); /* never raw in a log line */
            i++;
        }
    }
}

int kfp_report_github(FILE *out, struct kfp_result *const *results, size_t n,
                      const struct kfp_report_opts *o)
{
    static const char *const cmd[] = {"notice", "notice", "warning", "error"}; /* ORDER kfp_severity */
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        if (res->io_error) {
            fputs("::error file=", out);
            esc(out, res->path, true);
            fputs(",title=kfplint::cannot read the file: ", out);
            esc(out, res->io_msg, false);
            fputc('\n', out);
            continue;
        }
        if (res->undecided) { /* a rule could not decide: the file failed closed */
            fputs("::error file=", out);
            esc(out, res->path, true);
            fputs(",title=kfplint::", out);
            esc(out, res->undecided_err.msg, false);
            fputc('\n', out);
        }
        for (size_t i = 0; !res->skipped && i < res->n_findings; i++) {
            const struct kfp_finding *f = res->findings[i];
            if (f->severity < o->min_severity)
                continue;
            struct kfp_region g;
            kfp_region_of(&res->doc.src, f->span, &g);
            fprintf(out, "::%s file=", cmd[f->severity]);
            esc(out, res->path, true);
            fprintf(out, ",line=%zu,col=%zu,endLine=%zu,endColumn=%zu,title=", g.start_line,
                    g.start_col, g.end_line, g.end_col);
            char title[96];
            snprintf(title, sizeof(title), "kfplint %s", f->rule->id);
            esc(out, title, true);
            fputs("::", out);
            esc(out, f->msg, false);
            fprintf(out, " [%s]\n", f->rule->id);
        }
    }
    char *skipped = NULL; /* out of memory: the CLI notices the failed allocation */
    if (kfp_skip_summary(results, n, &skipped) == KFP_OK && skipped) {
        fputs("::notice title=kfplint::", out); /* one line, not an annotation per file */
        esc(out, skipped, false);
        fputc('\n', out);
    }
    kfp_free(skipped);
    return ferror(out) ? KFP_ERR : KFP_OK;
}
