/* report_gitlab.c — GitLab Code Quality (`artifacts: reports: codequality:`): a JSON array of
 * issues with description, check_name, fingerprint, severity and location (path relative to
 * the working directory, which is the repository root in a GitLab job; lines.begin and
 * positions.begin/end). See https://docs.gitlab.com/ci/testing/code_quality/ ("Code Quality
 * report format"). The format has no place for skipped files or read errors: those go to
 * stderr and the exit code as usual. */
#include "kfplint/report.h"
#include "kfplint/alloc.h"
#include "kfplint/path.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

/* GitLab's scale is info, minor, major, critical, blocker. */
static const char *const gitlab_severity[] = {"info", "info", "minor", "major"}; /* ORDER kfp_severity */

static json_t *issue(const struct kfp_result *res, const struct kfp_finding *f, const char *path,
                     const char *fingerprint)
{
    struct kfp_region g;
    kfp_region_of(&res->doc.src, f->span, &g);
    return json_pack("{s:o,s:s,s:s,s:s,s:{s:o,s:{s:I,s:I},s:{s:{s:I,s:I},s:{s:I,s:I}}}}",
                     "description", kfp_json_str(f->msg), "check_name", f->rule->id,
                     "fingerprint", fingerprint, "severity", gitlab_severity[f->severity & 3],
                     "location", "path", kfp_json_str(path), "lines", "begin",
                     (json_int_t)g.start_line, "end", (json_int_t)g.end_line, "positions", "begin",
                     "line", (json_int_t)g.start_line, "column", (json_int_t)g.start_col, "end",
                     "line", (json_int_t)g.end_line, "column", (json_int_t)g.end_col);
}

int kfp_report_gitlab(FILE *out, struct kfp_result *const *results, size_t n,
                      const struct kfp_report_opts *o)
{
    json_t *issues = json_array();
    int rc = KFP_ERR;
    char cwd[PATH_MAX];
    bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
    if (!issues)
        return KFP_ERR;
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        if (res->skipped || res->io_error || !res->n_findings)
            continue;
        /* the repository-relative path GitLab links to: below the working directory, without
         * "./"; other paths stay as given */
        char buf[2 * PATH_MAX];
        const char *rel = have_cwd ? kfp_path_below(cwd, res->path, buf) : NULL;
        const char *path = rel ? rel : res->path;
        char (*fps)[24] = kfp_malloc(res->n_findings * sizeof(*fps));
        if (!fps)
            goto done;
        kfp_fingerprints(res, fps);
        for (size_t i = 0; i < res->n_findings; i++) {
            const struct kfp_finding *f = res->findings[i];
            if (f->severity < o->min_severity)
                continue;
            json_t *j = issue(res, f, path, fps[i]);
            if (!j || json_array_append_new(issues, j)) {
                kfp_free(fps);
                goto done;
            }
        }
        kfp_free(fps);
    }
    rc = json_dumpf(issues, out, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 && fputc('\n', out) != EOF
             ? KFP_OK
             : KFP_ERR;
done:
    json_decref(issues);
    return rc == KFP_OK && !ferror(out) ? KFP_OK : KFP_ERR;
}
