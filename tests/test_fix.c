/* test_fix.c — the fix engine's guarantees: a failure at any step of writing leaves the original
 * file intact and no temporary file behind; a file that does not parse is never fixed; the
 * mode, owner and group of a fixed file are kept; a symbolic link is kept and its target written;
 * hard links, read-only files and files changed since they were read are not written. */
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
        n += e->d_name[0] != '.' || strncmp(e->d_name, ".kfplint-", 9) == 0;
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

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void assert_content(const char *path, const char *want)
{
    char *now = tu_read(path, NULL);
    assert_non_null(now);
    assert_string_equal(now, want);
    kfp_free(now);
}

/* A file saved by the user after kfplint read it is not overwritten by a fix of the old bytes,
 * whether the size changed or not. */
static void test_changed_since_read(void **state)
{
    (void)state;
    char dir[] = "/tmp/kfplint-fix-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    const char *read = "name: old\n", *saved = "name: new\n", *saved_longer = "name: newer\n";
    struct kfp_error err;
    put(path, saved); /* same size, other bytes */
    assert_int_equal(kfp_fix_write_checked(path, read, strlen(read), "fixed\n", 6, &err), KFP_ERR);
    assert_non_null(strstr(err.msg, "changed after it was read"));
    assert_content(path, saved);
    put(path, saved_longer);
    assert_int_equal(kfp_fix_write_checked(path, read, strlen(read), "fixed\n", 6, &err), KFP_ERR);
    assert_content(path, saved_longer);
    put(path, "name: o"); /* a prefix of what was read */
    assert_int_equal(kfp_fix_write_checked(path, read, strlen(read), "fixed\n", 6, &err), KFP_ERR);
    assert_int_equal(count_entries(dir), 1);
    put(path, read); /* unchanged: written */
    assert_int_equal(kfp_fix_write_checked(path, read, strlen(read), "fixed\n", 6, &err), KFP_OK);
    assert_content(path, "fixed\n");
    assert_int_equal(count_entries(dir), 1);
    unlink(path);
    rmdir(dir);
}

/* A symbolic link stays a link and the file it names is written; a hard link is not split
 * and a read-only file is not written. */
static void test_links_and_read_only(void **state)
{
    (void)state;
    char dir[] = "/tmp/kfplint-fix-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char target[256], lnk[256], hard[256];
    snprintf(target, sizeof(target), "%s/t.yaml", dir);
    snprintf(lnk, sizeof(lnk), "%s/l.yaml", dir);
    snprintf(hard, sizeof(hard), "%s/h.yaml", dir);
    put(target, "a: 1\n");
    assert_int_equal(symlink("t.yaml", lnk), 0);
    struct kfp_error err;
    assert_int_equal(kfp_fix_write_checked(lnk, "a: 1\n", 5, "a: 2\n", 5, &err), KFP_OK);
    struct stat st;
    assert_int_equal(lstat(lnk, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_content(target, "a: 2\n");
    assert_int_equal(count_entries(dir), 2);

    assert_int_equal(link(target, hard), 0);
    assert_int_equal(kfp_fix_write_checked(target, "a: 2\n", 5, "a: 3\n", 5, &err), KFP_ERR);
    assert_non_null(strstr(err.msg, "hard links"));
    assert_content(hard, "a: 2\n");
    assert_content(target, "a: 2\n");
    unlink(hard);

    assert_int_equal(chmod(target, 0444), 0);
    assert_int_equal(kfp_fix_write_checked(lnk, "a: 2\n", 5, "a: 3\n", 5, &err), KFP_ERR);
    assert_non_null(strstr(err.msg, "read-only"));
    assert_content(target, "a: 2\n");
    assert_int_equal(count_entries(dir), 2);
    unlink(lnk);
    unlink(target);
    rmdir(dir);
}

/* Run as root on another user's file, the fixed file keeps its owner and group; when they cannot
 * be kept, the file is not replaced. Needs root (chown); skipped otherwise. */
static void test_owner_kept(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        fprintf(stderr, "SKIPPED test_owner_kept: not root, cannot chown a file to another user\n");
        skip();
    }
    char dir[] = "/tmp/kfplint-fix-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/p.yaml", dir);
    put(path, "a: 1\n");
    assert_int_equal(chown(path, 4242, 4343), 0);
    assert_int_equal(chmod(path, 02664), 0);
    struct kfp_error err;
    kfp_fix_fail_step(6);
    assert_int_equal(kfp_fix_write_checked(path, "a: 1\n", 5, "a: 2\n", 5, &err), KFP_ERR);
    assert_non_null(strstr(err.msg, "owner"));
    assert_content(path, "a: 1\n");
    assert_int_equal(count_entries(dir), 1);
    kfp_fix_fail_step(0);
    assert_int_equal(kfp_fix_write_checked(path, "a: 1\n", 5, "a: 2\n", 5, &err), KFP_OK);
    assert_content(path, "a: 2\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_uid, 4242);
    assert_int_equal(st.st_gid, 4343);
    assert_int_equal(st.st_mode & 07777, 02664);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_failures),
        cmocka_unit_test(test_unparsable_not_fixed),
        cmocka_unit_test(test_nothing_to_fix),
        cmocka_unit_test(test_file_disappears),
        cmocka_unit_test(test_changed_since_read),
        cmocka_unit_test(test_links_and_read_only),
        cmocka_unit_test(test_owner_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
