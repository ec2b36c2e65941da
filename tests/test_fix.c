/* test_fix.c — the fix engine's guarantees: a failure at any step of writing leaves the original
 * file intact and no temporary file behind; a file that does not parse is never fixed; the
 * mode of a fixed file is kept. */
#include "testutil.h"
#include "kfplint/alloc.h"
#include "kfplint/cli.h"
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

/* A file that disappears between the directory walk and reading it: an error for that file,
 * the others read as usual. */
static void test_file_disappears(void **state)
{
    (void)state;
    char dir[] = "/tmp/kfplint-gone-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[256], b[256];
    snprintf(a, sizeof(a), "%s/a.yaml", dir);
    snprintf(b, sizeof(b), "%s/b.yaml", dir);
    FILE *f = fopen(a, "w");
    fputs("x: 1\n", f);
    fclose(f);
    f = fopen(b, "w");
    fputs("y: 2\n", f);
    fclose(f);
    struct kfp_inputs in = {0};
    assert_int_equal(kfp_files_add(&in, dir, NULL), KFP_OK);
    assert_int_equal(in.n, 2);
    unlink(a);
    char *data, msg[256];
    size_t len;
    assert_int_equal(kfp_files_read(in.items[0].path, 1000, &data, &len, msg, sizeof(msg)), KFP_ERR);
    assert_non_null(strstr(msg, "No such file"));
    assert_int_equal(kfp_files_read(in.items[1].path, 1000, &data, &len, msg, sizeof(msg)), KFP_OK);
    assert_int_equal(len, 5);
    kfp_free(data);
    kfp_files_free(&in);
    unlink(b);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_failures),
        cmocka_unit_test(test_unparsable_not_fixed),
        cmocka_unit_test(test_nothing_to_fix),
        cmocka_unit_test(test_file_disappears),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
