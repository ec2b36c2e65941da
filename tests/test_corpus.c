/* test_corpus.c — the real corpus (fixtures/corpus): no crash anywhere; no error finding on
 * the valid categories except the known real defects (each of which must be reported); every
 * file in invalid/ gets at least one finding with a position. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Known real defects: file name part → the rule that must report an error there. */
static const struct { const char *file, *rule; } defects[] = {
    {"v2-ir/sdk__python__kfp__v2__compiler_cli_tests__test_data__pipeline_with_params_containing_format.json", "unknown-output"},
    {"v2-ir/components__google-cloud__tests__aiplatform__testdata__automl_image_pipeline.json", "unknown-input"},
    {"v2-ir/components__google-cloud__tests__aiplatform__testdata__automl_text_pipeline.json", "invalid-value"},
    {"v2-ir/components__google-cloud__tests__aiplatform__testdata__batch_prediction_pipeline.json", "invalid-value"},
    {"components-v1/components__contrib__azure__azureml__aml-register-model__component.yaml", "image-missing"},
    {"components-v1/components__contrib__azure__azuredevops__queue-pipeline__component.yaml", "image-missing"},
    /* a template whose image is still the placeholder text 'docker image name' */
    {"components-v1/components__PyTorch__pytorch-kfp-components__templates__ax_train_component.yaml", "image-missing"},
    /* SDK output, but artifactIterator is not implemented by the open-source backend (dag.go) */
    {"v2-ir/sdk__python__test_data__pipelines__pipeline_with_parallelfor_list_artifacts.yaml", "unsupported-feature"},
    /* KFP v1 compiled Argo: `container:` left empty in leaf-1 and leaf-2 (template type unspecified) */
    {"v1-argo/frontend__mock-backend__data__v1__template__mock-recursive-template.yaml", "argo-invalid-template"},
    /* KFP v1 compiled Argo: no spec.entrypoint (argo lint: spec.entrypoint is required) */
    {"v1-argo/sdk__python__tests__compiler__testdata__tolerations.yaml", "argo-missing-field"},
};

static const char *expected_rule(const char *sub, const char *name)
{
    char rel[600];
    snprintf(rel, sizeof(rel), "%s/%s", sub, name);
    for (size_t i = 0; i < sizeof(defects) / sizeof(defects[0]); i++)
        if (!strcmp(rel, defects[i].file))
            return defects[i].rule;
    return NULL;
}

static bool corpus_present(void)
{
    struct stat st;
    return stat(CORPUS_DIR, &st) == 0 && S_ISDIR(st.st_mode);
}

static void lint_dir(const char *sub, bool valid, size_t *files, size_t *defects_found)
{
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/%s", CORPUS_DIR, sub);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct kfp_result res;
        assert_int_equal(tu_lint_file(&res, path, e->d_name, NULL), 0);
        (*files)++;
        const char *want = expected_rule(sub, e->d_name);
        bool found = false;
        for (size_t i = 0; i < res.n_findings; i++) {
            const struct kfp_finding *f = res.findings[i];
            size_t line, col;
            kfp_source_pos(&res.doc.src, f->span.start, &line, &col);
            assert_true(line >= 1 && col >= 1);
            if (f->severity != KFP_SEV_ERROR || !valid)
                continue;
            if (want && !strcmp(f->rule->id, want)) {
                found = true;
                continue;
            }
            fail_msg("%s:%zu:%zu: unexpected error: %s [%s]", path, line, col, f->msg, f->rule->id);
        }
        if (want) {
            if (!found)
                fail_msg("%s: the known defect was not reported by %s", path, want);
            (*defects_found)++;
        }
        if (!valid && !strcmp(sub, "invalid") && res.n_findings == 0)
            fail_msg("%s: an invalid file must get a finding", path);
        kfp_result_free(&res);
    }
    closedir(d);
}

static void test_corpus(void **state)
{
    (void)state;
    if (!corpus_present()) /* it travels with the project: a missing corpus is a broken checkout */
        fail_msg("no corpus at %s (fixtures/corpus/ is part of the repository)", CORPUS_DIR);
    size_t files = 0, found = 0;
    static const char *const valid[] = {"v2-ir", "pipelinejob", "components-v1", "components-v2",
                                        "v1-argo"};
    for (size_t i = 0; i < 5; i++)
        lint_dir(valid[i], true, &files, &found);
    lint_dir("invalid", false, &files, &found);
    assert_int_equal(found, sizeof(defects) / sizeof(defects[0]));
    assert_true(files > 400);
    print_message("corpus: %zu files linted\n", files);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_corpus)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
