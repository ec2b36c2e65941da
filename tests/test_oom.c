/* test_oom.c — every allocation failure is handled: a representative CLI run (lint, all four
 * reporters, --diff, config) is repeated with the Nth allocation failing, for every N until the
 * run no longer reaches an allocation that fails, each in a child process. Each run must end
 * cleanly: exit 2 with "out of memory", or the normal result; never a crash. Under ASan/LSan
 * (tests/run-all.sh) each child also checks for leaks at exit. jansson allocates through kfp_malloc too; libyaml and pcre2
 * use their own malloc and report failures as errors kfplint handles. */
#include "testutil.h"
#include "kfplint/alloc.h"
#include "kfplint/cli.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **argv, int argc)
{
    /* keep the reports out of the test log */
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    int rc = kfp_cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    close(null);
    return rc;
}

/* Runs the CLI in a child process with allocation n failing (0: none). The child's exit status
 * is the CLI's, so a crash or (under LeakSanitizer, which checks at exit) a leak shows up as a
 * status the parent does not accept. */
static int run_child(char **argv, int argc, unsigned long n)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        kfp_alloc_fail_after(n);
        int rc = run(argv, argc);
        kfp_alloc_fail_after(0);
        exit(rc);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

static void sweep(const char *what, char **argv, int argc, int want_rc)
{
    int expected = run_child(argv, argc, 0);
    assert_int_equal(expected, want_rc);
    unsigned long n;
    int clean = 0;
    for (n = 1; n < 200000; n++) {
        int rc = run_child(argv, argc, n);
        if (rc == expected) {
            /* the run got past its last allocation: a few more N to be sure, then stop */
            if (++clean == 5)
                break;
            continue;
        }
        clean = 0;
        if (rc != KFP_EXIT_USAGE)
            fail_msg("%s: allocation %lu failing gave exit %d, want 2 or %d (a crash is 128+signal, "
                     "a leak LeakSanitizer's exit code)", what, n, rc, expected);
    }
    print_message("%s: %lu allocation failures survived\n", what, n);
}

static void test_oom_lint_and_report(void **state)
{
    (void)state;
    static const char *const formats[] = {"text", "json", "sarif", "github"};
    for (size_t f = 0; f < 4; f++) {
        char *argv[] = {"kfplint", "-j", "1", "--no-config", "--format", (char *)formats[f],
                        FIXTURES_DIR "/examples", FIXTURES_DIR "/rules/dag-cycle/bad-two-tasks.json",
                        FIXTURES_DIR "/rules/unused-suppression/bad-stale.yaml", NULL};
        sweep(formats[f], argv, 9, 1);
    }
}

static void test_oom_fix_diff_and_config(void **state)
{
    (void)state;
    char *argv[] = {"kfplint", "-j", "1", "--diff", "--unsafe-fixes",
                    FIXTURES_DIR "/rules/env-unset/bad-default-new-env.yaml",
                    FIXTURES_DIR "/rules/unused-component/bad-leftover.json", NULL};
    sweep("diff+config", argv, 7, 1);
    char *argv2[] = {"kfplint", "-j", "1", "--config", FIXTURES_DIR "/rules/image-registry/.kfplint.yaml",
                     FIXTURES_DIR "/rules/image-registry/bad-outside.yaml", NULL};
    sweep("config", argv2, 6, 1);
}

/* Argo manifests: the Argo model builder and the argo-* rules (JSON annotations through
 * jansson too). */
static void test_oom_argo(void **state)
{
    (void)state;
    char *argv[] = {"kfplint", "-j", "1", "--no-config",
                    FIXTURES_DIR "/rules/argo-unknown-variable/bad-argo-scopes.yaml",
                    FIXTURES_DIR "/rules/argo-kfp-annotation/bad-argo-kfp-v1.json", NULL};
    sweep("argo", argv, 6, 1);
}

int main(void)
{
    json_set_alloc_funcs(kfp_malloc, kfp_free);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_lint_and_report),
        cmocka_unit_test(test_oom_fix_diff_and_config),
        cmocka_unit_test(test_oom_argo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
