/* test_fix.c — the fix engine's guarantees: a failure at any step of writing leaves the original
 * file intact and no temporary file behind; a file that does not parse is never fixed; the
 * mode of a fixed file is kept. */
#include "testutil.h"
#include "kfplint/alloc.h"
#include "kfplint/fix.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.' || strncmp(e->d_name, ".kfplint-fix-", 13) == 0;
    closedir(d);
    return n;
}

static void test_write_failures(void **state)
{
    (void)state;
    char dir[] = "/tmp/kfplint-fix-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    const char *orig = "pipelineInfo: {name: x}\n";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(orig, f);
    fclose(f);
    assert_int_equal(chmod(path, 0640), 0);
    for (int step = 1; step <= 5; step++) {
        kfp_fix_fail_step(step);
        struct kfp_error err;
        assert_int_equal(kfp_fix_write(path, "changed\n", 8, &err), KFP_ERR);
        assert_non_null(strstr(err.msg, "unchanged"));
        char *now = tu_read(path, NULL);
        assert_string_equal(now, orig);
        kfp_free(now);
        assert_int_equal(count_entries(dir), 1); /* no temporary file left behind */
    }
    kfp_fix_fail_step(0);
    struct kfp_error err;
    assert_int_equal(kfp_fix_write(path, "changed\n", 8, &err), KFP_OK);
    char *now = tu_read(path, NULL);
    assert_string_equal(now, "changed\n");
    kfp_free(now);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* mode kept */
    unlink(path);
    rmdir(dir);
}

static void test_unparsable_not_fixed(void **state)
{
    (void)state;
    const char *text = "pipelineInfo:\n  name: My_Name\n root: {}\n";
    struct kfp_fix_outcome o;
    kfp_fix_buffer(tu_opts("/nonexistent/x.yaml", NULL), "x.yaml", text, strlen(text), true, &o);
    assert_int_equal(o.status, KFP_FIX_NOT_PARSED);
    assert_null(o.out);
}

static void test_nothing_to_fix(void **state)
{
    (void)state;
    size_t len;
    char *text = tu_read(FIXTURES_DIR "/examples/ml_pipeline.yaml", &len);
    assert_non_null(text);
    struct kfp_fix_outcome o;
    kfp_fix_buffer(tu_opts("/nonexistent/x.yaml", NULL), "x.yaml", text, len, true, &o);
    assert_int_equal(o.status, KFP_FIX_NONE);
    kfp_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_failures),
        cmocka_unit_test(test_unparsable_not_fixed),
        cmocka_unit_test(test_nothing_to_fix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
