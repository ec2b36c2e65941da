/* test_rules.c — golden fixtures per rule: fixtures/rules/<id>/bad-*.{yaml,json} must give
 * exactly the findings in bad-*.<ext>.expected; ok-* files must give no finding at all; every
 * registered rule must have documentation with the fixed headings and fixtures of its own. */
#include "testutil.h"
#include "kfplint/alloc.h"
#include "kfplint/fix.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static void test_rule_docs(void **state)
{
    (void)state;
    for (size_t i = 0; i < kfp_n_rules; i++) {
        const struct kfp_rule *r = kfp_rules[i];
        static const char *const headings[] = {"## What it does\n", "## Why is this bad?\n",
                                               "## Example\n", "## Fix safety\n"};
        for (size_t h = 0; h < 4; h++)
            if (!strstr(r->doc, headings[h]))
                fail_msg("rule %s: documentation lacks '%s'", r->id, headings[h]);
        assert_non_null(r->summary);
        assert_true(r->severity >= KFP_SEV_NOTE && r->severity <= KFP_SEV_ERROR);
        if (i > 0 && strcmp(kfp_rules[i - 1]->id, r->id) >= 0)
            fail_msg("rules.def is not sorted at %s", r->id);
    }
}

/* When bad-X.fixed.<ext> exists: --fix --unsafe-fixes must produce exactly it (so every byte
 * outside the edits is kept, CRLF included), and fixing it again must change nothing. */
static void check_fixed(const char *path, const char *rule)
{
    char fixed_path[1200];
    const char *dot = strrchr(path, '.');
    snprintf(fixed_path, sizeof(fixed_path), "%.*s.fixed%s", (int)(dot - path), path, dot);
    size_t want_len;
    char *want = tu_read(fixed_path, &want_len);
    if (!want)
        return;
    size_t len;
    char *data = tu_read(path, &len);
    assert_non_null(data);
    struct kfp_fix_outcome o;
    kfp_fix_buffer(tu_opts(path, rule), "x", data, len, true, &o);
    if (o.status != KFP_FIX_APPLIED)
        fail_msg("%s: fix status %d (%s), want applied", path, (int)o.status, o.why);
    if (o.out_len != want_len || memcmp(o.out, want, want_len))
        fail_msg("%s: the fixed text differs from %s", path, fixed_path);
    struct kfp_fix_outcome again;
    kfp_fix_buffer(tu_opts(path, rule), "x", o.out, o.out_len, true, &again);
    if (again.status != KFP_FIX_NONE)
        fail_msg("%s: a second --fix is not a no-op (status %d)", path, (int)again.status);
    kfp_free(again.out);
    kfp_free(o.out);
    kfp_free(data);
    kfp_free(want);
}

/* Everything a result's findings say (positions, messages, related locations, fixes), for
 * checking that kfp_result_compact keeps all of it. malloc'd. */
static char *describe(const struct kfp_result *res)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    fprintf(m, "%s %zu\n", res->path, res->doc.src.n_lines);
    for (size_t i = 0; i < res->n_findings; i++) {
        const struct kfp_finding *f = res->findings[i];
        size_t line, col;
        kfp_source_pos(&res->doc.src, f->span.end, &line, &col);
        fprintf(m, "%u-%u %zu:%zu %s %s\n", f->span.start, f->span.end, line, col, f->rule->id, f->msg);
        for (size_t r = 0; r < f->n_related; r++)
            fprintf(m, "  related %u-%u %s\n", f->related[r].span.start, f->related[r].span.end,
                    f->related[r].msg);
        for (size_t e = 0; f->fix && e < f->fix->n_edits; e++)
            fprintf(m, "  fix %d %s: %u-%u '%s'\n", f->fix->safe, f->fix->title,
                    f->fix->edits[e].start, f->fix->edits[e].end, f->fix->edits[e].text);
    }
    fclose(m);
    return buf;
}

static void test_golden(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < kfp_n_rules; i++) {
        const struct kfp_rule *r = kfp_rules[i];
        char dir[512];
        snprintf(dir, sizeof(dir), "%s/rules/%s", FIXTURES_DIR, r->id);
        struct dirent **ents;
        int n = scandir(dir, &ents, NULL, by_name);
        if (n < 0)
            fail_msg("rule %s has no fixtures directory %s", r->id, dir);
        int bad = 0, ok = 0;
        for (int e = 0; e < n; e++) {
            const char *name = ents[e]->d_name;
            bool is_input = (ends_with(name, ".yaml") || ends_with(name, ".json")) && !strstr(name, ".fixed.");
            char path[1024];
            snprintf(path, sizeof(path), "%s/%s", dir, name);
            if (is_input && !strncmp(name, "bad-", 4)) {
                bad++;
                struct kfp_result res;
                assert_int_equal(tu_lint_file(&res, path, name, r->id), 0);
                char *got = tu_render(&res);
                char exp_path[1100];
                snprintf(exp_path, sizeof(exp_path), "%s.expected", path);
                char *want = tu_read(exp_path, NULL);
                if (!want)
                    fail_msg("%s: missing %s", path, exp_path);
                if (strcmp(got, want) != 0)
                    fail_msg("%s:\n--- expected\n%s--- got\n%s", path, want, got);
                if (res.n_findings == 0)
                    fail_msg("%s: a bad fixture must produce a finding", path);
                check_fixed(path, r->id);
                char *before = describe(&res);
                assert_int_equal(kfp_result_compact(&res), 0); /* the tree goes, the findings stay */
                assert_null(res.doc.roots);
                char *after = describe(&res);
                assert_string_equal(before, after);
                free(before);
                free(after);
                free(got);
                free(want);
                kfp_result_free(&res);
                checked++;
            } else if (is_input && !strncmp(name, "ok-", 3)) {
                ok++;
                struct kfp_result res;
                assert_int_equal(tu_lint_file(&res, path, name, NULL), 0);
                char *got = tu_render(&res);
                if (res.n_findings)
                    fail_msg("%s: an ok fixture must stay clean, got:\n%s", path, got);
                free(got);
                kfp_result_free(&res);
                checked++;
            }
            free(ents[e]);
        }
        free(ents);
        if (!bad || !ok)
            fail_msg("rule %s needs bad-* and ok-* fixtures (%d bad, %d ok)", r->id, bad, ok);
    }
    assert_true(checked > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_docs),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
