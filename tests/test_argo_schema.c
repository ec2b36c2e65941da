/* test_argo_schema.c — the generated Argo + Kubernetes schema table (src/argo_schema.c) is
 * consistent: every field of every object type is found by its own name through the type's
 * perfect hash and by no other type's hash when the name is absent there; names are sorted and
 * unique within a type; element and field types are in range; the roots are the four document
 * kinds; a few fields have the kinds Argo's and Kubernetes' Go types give them. */
#include "testutil.h"
#include "kfplint/argo.h"
#include "kfplint/argo_schema.h"

#include <stdio.h>
#include <string.h>

static const struct kfp_argo_stype *type_named(const char *name)
{
    for (uint16_t i = 0; i < kfp_argo_schema.n_types; i++)
        if (!strcmp(kfp_argo_schema_str(kfp_argo_schema.types[i].name), name))
            return &kfp_argo_schema.types[i];
    fail_msg("no type %s", name);
    return NULL;
}

static uint16_t index_of(const struct kfp_argo_stype *t)
{
    return (uint16_t)(t - kfp_argo_schema.types);
}

/* The kind of field `field` of type `type` (its value's type's kind), failing when absent. */
static enum kfp_argo_skind field_kind(const char *type, const char *field)
{
    const struct kfp_argo_sfield *f = kfp_argo_schema_field(index_of(type_named(type)), field);
    if (!f)
        fail_msg("%s has no field %s", type, field);
    return (enum kfp_argo_skind)kfp_argo_schema.types[f->type].kind;
}

static void test_consistent(void **state)
{
    (void)state;
    size_t objects = 0, fields = 0;
    for (uint16_t i = 0; i < kfp_argo_schema.n_types; i++) {
        const struct kfp_argo_stype *t = &kfp_argo_schema.types[i];
        assert_true(t->kind <= KFP_ARGO_S_MAP);
        if (t->kind == KFP_ARGO_S_LIST || t->kind == KFP_ARGO_S_MAP)
            assert_true(t->elem < kfp_argo_schema.n_types);
        if (t->kind != KFP_ARGO_S_OBJECT)
            continue;
        objects++;
        assert_true(*kfp_argo_schema_str(t->name));
        assert_true(*kfp_argo_schema_str(t->label));
        for (uint16_t j = 0; j < t->n_fields; j++) {
            const struct kfp_argo_sfield *f = &kfp_argo_schema.fields[t->first + j];
            const char *name = kfp_argo_schema_str(f->name);
            assert_true(f->type < kfp_argo_schema.n_types);
            if (j)
                assert_true(strcmp(kfp_argo_schema_str(kfp_argo_schema.fields[t->first + j - 1].name), name) < 0);
            assert_ptr_equal(kfp_argo_schema_field(i, name), f);
            assert_ptr_equal(kfp_argo_schema_field_nocase(i, name), f);
            fields++;
        }
        /* names the type lacks are not found, whatever slot they hash to */
        char probe[64];
        for (int k = 0; k < 64; k++) {
            snprintf(probe, sizeof(probe), "zz-not-a-field-%d", k);
            assert_null(kfp_argo_schema_field(i, probe));
        }
        assert_null(kfp_argo_schema_field(i, ""));
    }
    assert_true(objects > 150); /* 191 in the generated table */
    assert_true(fields > 900);
    assert_null(kfp_argo_schema_field(kfp_argo_schema.n_types, "name"));
    assert_null(kfp_argo_schema_field(0, "name")); /* type 0: anything */
}

static void test_known_fields(void **state)
{
    (void)state;
    static const char *const roots[] = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate",
                                        "CronWorkflow"};
    assert_int_equal(KFP_ARGO_WORKFLOW, 0);
    assert_int_equal(KFP_ARGO_CRON_WORKFLOW, 3);
    for (int i = 0; i < 4; i++)
        assert_string_equal(kfp_argo_schema_str(kfp_argo_schema.types[kfp_argo_schema.roots[i]].name), roots[i]);
    assert_int_equal(field_kind("VolumeMount", "mountPath"), KFP_ARGO_S_STRING);
    assert_int_equal(field_kind("WorkflowSpec", "parallelism"), KFP_ARGO_S_INT);
    assert_int_equal(field_kind("Template", "activeDeadlineSeconds"), KFP_ARGO_S_INT_OR_STRING);
    assert_int_equal(field_kind("ResourceRequirements", "limits"), KFP_ARGO_S_MAP);
    assert_int_equal(field_kind("Template", "steps"), KFP_ARGO_S_LIST);  /* of lists of steps */
    assert_int_equal(field_kind("DAGTask", "withItems"), KFP_ARGO_S_ANY);
    assert_int_equal(field_kind("Template", "plugin"), KFP_ARGO_S_ANY);
    assert_int_equal(field_kind("Parameter", "value"), KFP_ARGO_S_SCALAR);
    assert_int_equal(field_kind("Probe", "httpGet"), KFP_ARGO_S_OBJECT);
    assert_int_equal(field_kind("SecurityContext", "privileged"), KFP_ARGO_S_BOOL);
    assert_int_equal(field_kind("ArtifactPaths", "s3"), KFP_ARGO_S_OBJECT); /* inherited twice */
    assert_int_equal(field_kind("ScriptTemplate", "volumeMounts"), KFP_ARGO_S_LIST); /* from Container */
    assert_int_equal(field_kind("Workflow", "status"), KFP_ARGO_S_ANY); /* not checked */
    /* Argo 4.0 removals are known, flagged for argo-removed-field */
    const struct kfp_argo_sfield *f = kfp_argo_schema_field(index_of(type_named("CronWorkflowSpec")), "schedule");
    assert_non_null(f);
    assert_true(f->flags & KFP_ARGO_F_REMOVED);
    f = kfp_argo_schema_field(index_of(type_named("Template")), "priority");
    assert_non_null(f);
    assert_true(f->flags & KFP_ARGO_F_OLDER);
    /* case: exact lookups are case-sensitive, the fallback is not; steps match exactly */
    uint16_t vm = index_of(type_named("VolumeMount"));
    assert_null(kfp_argo_schema_field(vm, "mountpath"));
    assert_string_equal(kfp_argo_schema_str(kfp_argo_schema_field_nocase(vm, "MOUNTPATH")->name), "mountPath");
    assert_true(type_named("WorkflowStep")->exact_case);
    assert_false(type_named("DAGTask")->exact_case);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consistent),
        cmocka_unit_test(test_known_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
