/* report_junit.c — JUnit XML, which most CI systems show natively (GitLab `reports: junit:`,
 * Jenkins, Azure Pipelines, CircleCI, Buildkite): one <testsuite> per input file; each finding
 * is a <testcase> with a <failure>, a clean file one passing <testcase>, a skipped file one
 * <testcase> with <skipped message="reason">, an unreadable file one with <error>. Text from
 * the input is escaped and made valid UTF-8 and valid XML 1.0 characters. */
#include "kfplint/report.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (1..4) that is an XML 1.0 character, or 0. */
static size_t xml_char(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
    size_t w = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    unsigned cp = w == 2 ? (c & 0x1F) : w == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < w; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0; /* also stops at the terminating NUL */
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (!w || cp < min[w] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF)
        return 0;
    return w;
}

/* s escaped for XML text or a double-quoted attribute. */
static void xml(FILE *out, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t w = xml_char(p);
        if (!w) {
            if (*p < 0x20)
                fprintf(out, "\\x%02x", *p); /* a control character XML cannot hold */
            else
                fputs("\xEF\xBF\xBD", out); /* invalid UTF-8: U+FFFD */
            p++;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs(attr ? "&quot;" : "\"", out); break;
        case '\t': fputs(attr ? "&#9;" : "\t", out); break;
        case '\n': fputs(attr ? "&#10;" : "\n", out); break;
        case '\r': fputs("&#13;", out); break;
        default: fwrite(p, 1, w, out);
        }
        p += w;
    }
}

int kfp_report_junit(FILE *out, struct kfp_result *const *results, size_t n,
                     const struct kfp_report_opts *o)
{
    size_t tests = 0, failures = 0, errors = 0;
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        size_t k = 0;
        for (size_t i = 0; !res->skipped && !res->io_error && i < res->n_findings; i++)
            k += res->findings[i]->severity >= o->min_severity;
        tests += k ? k : 1;
        failures += k;
        errors += res->io_error != 0;
    }
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<testsuites name=\"kfplint\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            tests, failures, errors);
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        size_t k = 0;
        for (size_t i = 0; !res->skipped && !res->io_error && i < res->n_findings; i++)
            k += res->findings[i]->severity >= o->min_severity;
        fputs("  <testsuite name=\"", out);
        xml(out, res->path, true);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" skipped=\"%d\">\n",
                k ? k : 1, k, res->io_error != 0, res->skipped && !res->io_error);
        if (!k) {
            fputs("    <testcase classname=\"kfplint\" name=\"", out);
            xml(out, res->path, true);
            fputs("\" file=\"", out);
            xml(out, res->path, true);
            if (res->io_error) {
                fputs("\">\n      <error type=\"io-error\" message=\"cannot read the file: ", out);
                xml(out, res->io_msg, true);
                fputs("\"/>\n    </testcase>\n", out);
            } else if (res->skipped) {
                fputs("\">\n      <skipped message=\"", out);
                xml(out, res->skip_reason ? res->skip_reason : "not a KFP document", true);
                fputs("\"/>\n    </testcase>\n", out);
            } else {
                fputs("\"/>\n", out);
            }
        }
        for (size_t i = 0; k && i < res->n_findings; i++) {
            const struct kfp_finding *f = res->findings[i];
            if (f->severity < o->min_severity)
                continue;
            size_t line, col;
            kfp_source_pos(&res->doc.src, f->span.start, &line, &col);
            fprintf(out, "    <testcase classname=\"kfplint.%s\" name=\"", f->rule->id);
            xml(out, res->path, true);
            fprintf(out, ":%zu:%zu [%s]\" file=\"", line, col, f->rule->id);
            xml(out, res->path, true);
            fprintf(out, "\" line=\"%zu\">\n      <failure type=\"%s\" message=\"", line,
                    kfp_severity_name(f->severity));
            xml(out, f->msg, true);
            fputs("\">", out);
            xml(out, res->path, false);
            fprintf(out, ":%zu:%zu: %s: ", line, col, kfp_severity_name(f->severity));
            xml(out, f->msg, false);
            fprintf(out, " [%s]</failure>\n    </testcase>\n", f->rule->id);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    return ferror(out) ? KFP_ERR : KFP_OK;
}
