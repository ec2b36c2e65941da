/* test_model.c — the model: formats detected by content, names resolved, sources and
 * placeholders found, the same model from YAML and JSON. */
#include "testutil.h"
#include "kfplint/argo.h"
#include "kfplint/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_examples_same_model(void **state)
{
    (void)state;
    const char *files[] = {FIXTURES_DIR "/examples/ml_pipeline.yaml", FIXTURES_DIR "/examples/ml_pipeline.json"};
    const enum kfp_doc_kind kinds[] = {KFP_DOC_PIPELINE, KFP_DOC_PIPELINE_JOB};
    for (int i = 0; i < 2; i++) {
        struct kfp_result r;
        assert_int_equal(tu_lint_file(&r, files[i], "x", NULL), 0);
        const struct kfp_model *m = &r.model;
        assert_int_equal(m->kind, kinds[i]);
        assert_int_equal(m->n_components, 3);
        assert_int_equal(m->n_executors, 3);
        assert_string_equal(m->pipeline_name.name, "ml-pipeline");
        assert_non_null(m->root->dag);
        const struct kfp_task *ev = kfp_strmap_get(&m->root->dag->by_key, "evaluate");
        assert_non_null(ev);
        assert_int_equal(ev->n_deps, 2);
        assert_ptr_equal(ev->component, kfp_strmap_get(&m->components_by_name, "comp-evaluate"));
        assert_int_equal(ev->n_inputs, 2);
        assert_int_equal(ev->inputs[0].src.kind, KFP_SRC_TASK_OUTPUT);
        assert_string_equal(ev->inputs[0].src.producer.name, "train");
        const struct kfp_executor *ex = kfp_strmap_get(&m->executors_by_label, "exec-train");
        assert_non_null(ex->container);
        assert_int_equal(ex->container->n_phs, 3);
        assert_int_equal(ex->container->phs[1].kind, KFP_PH_IN_PARAM);
        assert_string_equal(ex->container->phs[1].name, "epochs");
        assert_int_equal(ex->container->n_env, 1);
        assert_int_equal(r.n_findings, 0);
        kfp_result_free(&r);
    }
}

static void test_v1_component(void **state)
{
    (void)state;
    struct kfp_result r;
    assert_int_equal(tu_lint_file(&r, FIXTURES_DIR "/examples/preprocess_component.yaml", "x", NULL), 0);
    assert_int_equal(r.model.kind, KFP_DOC_COMPONENT_V1);
    const struct kfp_component *c = r.model.root;
    assert_int_equal(c->inputs.n, 2);
    assert_int_equal(c->inputs.items[1].ptype, KFP_PT_DOUBLE);
    assert_int_equal(c->outputs.items[0].artifact, 1);
    assert_string_equal(c->outputs.items[0].schema_title, "system.Dataset");
    assert_int_equal(c->executor->container->n_phs, 3);
    assert_string_equal(c->executor->container->phs[0].v1_form, "inputValue");
    assert_int_equal(c->executor->container->n_env, 1);
    kfp_result_free(&r);
}

static void test_placeholder_span(void **state)
{
    (void)state;
    struct kfp_result r;
    tu_lint_text(&r, "p.json",
                 "{\"pipelineInfo\": {\"name\": \"p\"}, \"deploymentSpec\": {\"executors\": {\"e\": "
                 "{\"container\": {\"image\": \"i:1\", \"args\": [\"--x={{$.inputs.parameters['x']}}\"]}}}}}",
                 "");
    const struct kfp_executor *e = r.model.executors[0];
    assert_int_equal(e->container->n_phs, 1);
    const char *at = r.data + e->container->phs[0].span.start;
    assert_int_equal(strncmp(at, "{{$.inputs.parameters['x']}}", 28), 0);
    kfp_result_free(&r);
}

static void test_unknown_kind(void **state)
{
    (void)state;
    struct kfp_result r;
    tu_lint_text(&r, "x.yaml", "apiVersion: v1\nkind: Pod\n", NULL);
    assert_int_equal(r.model.kind, KFP_DOC_UNKNOWN);
    assert_int_equal(r.n_findings, 1);
    assert_string_equal(r.findings[0]->rule->id, "unknown-document");
    kfp_result_free(&r);
}

/* The container's executor_input / opaque_phs flags, for each way of writing a placeholder. */
static void test_container_flags(void **state)
{
    (void)state;
    static const struct { const char *args; int exec_input, opaque; size_t n_phs; } cases[] = {
        {"[\"--executor_input\", \"{{$}}\"]", 1, 0, 0},
        {"[\"--executor_input={{$.json_escape[1]}}\"]", 1, 0, 0},
        {"[\"--x={{$.inputs.parameters['x']}}\", \"{{$.pipeline_job_uuid}}\"]", 0, 0, 1},
        {"[\"{{$.inputs}}\"]", 0, 1, 0},
        {"[\"{{$.outputs.parameters[x].output_file}}\", \"{{$.inputs.parameters['y']}}\"]", 0, 1, 1},
        {"[\"{{$.inputs.parameters['y']}}\", \"{{$.outputs.parameters[x]}}\"]", 0, 1, 1},
        {"[\"{{$x}}\"]", 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "{\"pipelineInfo\": {\"name\": \"p\"}, \"deploymentSpec\": {\"executors\": "
                 "{\"e\": {\"container\": {\"image\": \"i:1\", \"args\": %s}}}}}",
                 cases[i].args);
        struct kfp_result r;
        tu_lint_text(&r, "p.json", text, "");
        const struct kfp_container *c = r.model.executors[0]->container;
        if (c->executor_input != cases[i].exec_input || c->opaque_phs != cases[i].opaque ||
            c->n_phs != cases[i].n_phs)
            fail_msg("%s: executor_input %d opaque %d n_phs %zu", cases[i].args, c->executor_input,
                     c->opaque_phs, c->n_phs);
        kfp_result_free(&r);
    }
    static const struct { const char *text; int exec_input, opaque; } v1[] = {
        {"name: c\nimplementation:\n  container:\n    image: i:1\n    args: [{executorInput: null}]\n", 1, 0},
        {"name: c\nimplementation:\n  container:\n    image: i:1\n    args: [{inputValu: x}]\n", 0, 1},
        {"name: c\nimplementation:\n  container:\n    image: i:1\n    args: [{inputValue: [x]}]\n", 0, 1},
        {"name: c\nimplementation:\n  container:\n    image: i:1\n    args: [\"--x={{$.inputs}}\"]\n", 0, 1},
        {"name: c\nimplementation:\n  container:\n    image: i:1\n    args:\n    - if: {cond: {isPresent: x}, then: [{concat: [a, {inputValue: x}]}]}\n", 0, 0},
    };
    for (size_t i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
        struct kfp_result r;
        tu_lint_text(&r, "c.yaml", v1[i].text, "");
        const struct kfp_container *c = r.model.root->executor->container;
        if (c->executor_input != v1[i].exec_input || c->opaque_phs != v1[i].opaque)
            fail_msg("%s: executor_input %d opaque %d", v1[i].text, c->executor_input, c->opaque_phs);
        kfp_result_free(&r);
    }
}

/* What a file says of its SDK. */
static void test_file_sdk(void **state)
{
    (void)state;
    static const struct { const char *name, *text; enum kfp_sdk want; } cases[] = {
        {"a.json", "{\"pipelineInfo\": {\"name\": \"p\"}, \"sdkVersion\": \"kfp-1.8.9\"}", KFP_SDK_V1},
        {"b.json", "{\"pipelineInfo\": {\"name\": \"p\"}, \"sdkVersion\": \"kfp-2.0.0-beta.16\"}", KFP_SDK_V2},
        {"c.json", "{\"pipelineInfo\": {\"name\": \"p\"}, \"sdkVersion\": \"kfp-10.1\"}", KFP_SDK_UNKNOWN},
        {"d.json", "{\"pipelineSpec\": {\"pipelineInfo\": {\"name\": \"p\"}, \"sdkVersion\": \"kfp-1.6.5\"}}", KFP_SDK_V1},
        {"e.yaml", "name: c\nimplementation: {container: {image: 'i:1'}}\n", KFP_SDK_UNKNOWN},
        {"f.yaml", "name: c\nmetadata: {annotations: {pipelines.kubeflow.org/component_v2: 'true'}}\n"
                   "implementation: {container: {image: 'i:1'}}\n", KFP_SDK_V2},
        {"g.yaml", "name: c\nmetadata: {annotations: {pipelines.kubeflow.org/kfp_sdk_version: 1.8.22}}\n"
                   "implementation: {container: {image: 'i:1'}}\n", KFP_SDK_V1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kfp_result r;
        tu_lint_text(&r, cases[i].name, cases[i].text, "");
        if (kfp_model_file_sdk(&r.model) != cases[i].want)
            fail_msg("%s: sdk %s, want %s", cases[i].name, kfp_sdk_name(kfp_model_file_sdk(&r.model)),
                     kfp_sdk_name(cases[i].want));
        kfp_result_free(&r);
    }
    assert_int_equal(kfp_model_file_sdk(NULL), KFP_SDK_UNKNOWN);
}

/* A cycle through 10,000 tasks is one finding with a bounded list of related locations, found
 * without recursion or quadratic work. */
static void test_big_cycle(void **state)
{
    (void)state;
    size_t n = 10000;
    size_t cap = n * 160 + 256;
    char *t = malloc(cap);
    assert_non_null(t);
    size_t o = (size_t)snprintf(t, cap, "pipelineInfo: {name: big}\nschemaVersion: 2.1.0\n"
                                        "components: {comp-a: {dag: {tasks: {x: {componentRef: {name: comp-a}}}}}}\n"
                                        "root:\n  dag:\n    tasks:\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(t + o, cap - o,
                              "      t%zu: {taskInfo: {name: t%zu}, componentRef: {name: comp-a}, dependentTasks: [t%zu]}\n",
                              i, i, (i + 1) % n);
    struct kfp_result r;
    tu_lint_text(&r, "big.yaml", t, "dag-cycle");
    free(t);
    /* one cycle among the root tasks, one for the self-recursive component */
    assert_int_equal(r.n_findings, 2);
    assert_non_null(strstr(r.findings[1]->msg, "t0 -> t1 -> t2"));
    assert_non_null(strstr(r.findings[1]->msg, "(9988 more) -> t0"));
    /* the related locations are bounded: the 12 edges named, then one with the count left */
    assert_int_equal(r.findings[1]->n_related, 13);
    assert_non_null(strstr(r.findings[1]->related[12].msg, "'t12' depends on 't13' here (9987 more edges follow)"));
    kfp_result_free(&r);
}

/* Every pipeline document of a file gets a model, chained in file order; each finds the
 * PlatformSpec, which may come first. */
static void test_multi_document(void **state)
{
    (void)state;
    struct kfp_result r;
    tu_lint_text(&r, "m.yaml",
                 "platforms: {kubernetes: {deploymentSpec: {executors: {exec-a: {imagePullPolicy: Always}}}}}\n"
                 "---\n"
                 "pipelineInfo: {name: one}\nschemaVersion: 2.1.0\n"
                 "components: {comp-a: {executorLabel: exec-a}}\n"
                 "deploymentSpec: {executors: {exec-a: {container: {image: 'a:1'}}}}\n"
                 "root: {dag: {tasks: {a: {componentRef: {name: comp-a}}}}}\n"
                 "---\n"
                 "pipelineInfo: {name: two}\nschemaVersion: 2.1.0\n"
                 "components: {comp-b: {executorLabel: exec-b}}\n"
                 "deploymentSpec: {executors: {exec-b: {container: {image: 'b:1'}}}}\n"
                 "root: {dag: {tasks: {b: {componentRef: {name: comp-missing}}}}}\n",
                 NULL);
    const struct kfp_model *m = &r.model;
    assert_int_equal(m->kind, KFP_DOC_COMPONENT_IR);
    assert_int_equal(m->top_index, 1);
    assert_string_equal(m->pipeline_name.name, "one");
    assert_non_null(m->platform);
    assert_non_null(m->executors[0]->platform);
    const struct kfp_model *two = m->next;
    assert_non_null(two);
    assert_int_equal(two->top_index, 2);
    assert_string_equal(two->pipeline_name.name, "two");
    assert_null(two->next);
    /* the second pipeline is linted: its unknown component is found, and the file is reported
     * once as holding two pipeline specs */
    size_t unknown = 0, multi = 0;
    for (size_t i = 0; i < r.n_findings; i++) {
        unknown += !strcmp(r.findings[i]->rule->id, "unknown-component");
        multi += !strcmp(r.findings[i]->rule->id, "multi-document");
    }
    assert_int_equal(unknown, 1);
    assert_int_equal(multi, 1);
    kfp_result_free(&r);
}

/* Argo: the same model from YAML and JSON, names and sources at their exact bytes. */
static void test_argo_model(void **state)
{
    (void)state;
    const char *files[] = {FIXTURES_DIR "/rules/argo-unknown-variable/ok-argo-workflow.yaml",
                           FIXTURES_DIR "/rules/argo-unknown-variable/ok-argo-workflow.json"};
    for (int i = 0; i < 2; i++) {
        struct kfp_result r;
        assert_int_equal(tu_lint_file(&r, files[i], "x", NULL), 0);
        const struct kfp_model *m = &r.model;
        assert_int_equal(m->kind, KFP_DOC_ARGO);
        assert_non_null(m->argo);
        assert_int_equal(m->argo->n_docs, 1);
        assert_int_equal(m->argo->docs[0].kind, KFP_ARGO_WORKFLOW);
        assert_string_equal(m->argo->docs[0].entrypoint.name, "main");
        assert_int_equal(m->n_components, 6); /* steps-demo hands its artifact to show-listing */
        assert_int_equal(m->n_dags, 2); /* main's DAG and steps-demo's steps */
        const struct kfp_dag *dag = m->components[0]->dag;
        assert_non_null(dag);
        assert_int_equal(dag->n_tasks, 5);
        const struct kfp_task *st = kfp_strmap_get(&dag->by_key, "stepper");
        assert_non_null(st);
        assert_int_equal(st->n_deps, 1); /* depends: counted */
        assert_ptr_equal(st->dep_tasks[0], kfp_strmap_get(&dag->by_key, "counted"));
        assert_int_equal(st->n_inputs, 2);
        const struct kfp_source_ref *s = &st->inputs[0].src;
        assert_int_equal(s->kind, KFP_SRC_TASK_OUTPUT);
        assert_ptr_equal(s->producer_task, kfp_strmap_get(&dag->by_key, "generate"));
        assert_int_equal(strncmp(r.data + s->producer.node->span.start, "generate.outputs.parameters.first", 33), 0);
        assert_int_equal(strncmp(r.data + s->output.node->span.start, "first}}", 7), 0);
        assert_non_null(s->output_def);
        assert_int_equal(st->inputs[1].artifact, 1);
        assert_int_equal(st->inputs[1].src.kind, KFP_SRC_TASK_OUTPUT);
        /* the echo template's container: env, envFrom and its placeholder */
        const struct kfp_component *echo = m->components[2];
        assert_string_equal(echo->key.name, "echo");
        assert_non_null(echo->executor);
        const struct kfp_container *c = echo->executor->container;
        assert_non_null(c->env_from);
        assert_int_equal(c->n_env, 1);
        assert_int_equal(c->n_phs, 1);
        assert_int_equal(strncmp(r.data + c->phs[0].span.start, "text}}", 6), 0);
        assert_int_equal(r.n_findings, 0);
        kfp_result_free(&r);
    }
    /* several manifests in one file: the ConfigMap is not a document kfplint reads */
    struct kfp_result r;
    assert_int_equal(tu_lint_file(&r, FIXTURES_DIR "/rules/argo-unknown-variable/ok-argo-templates.yaml", "x", NULL), 0);
    assert_int_equal(r.model.kind, KFP_DOC_ARGO);
    assert_int_equal(r.model.argo->n_docs, 2);
    assert_int_equal(r.model.argo->docs[0].kind, KFP_ARGO_WORKFLOW_TEMPLATE);
    assert_int_equal(r.model.argo->docs[1].kind, KFP_ARGO_CRON_WORKFLOW);
    assert_int_equal(r.n_findings, 0);
    kfp_result_free(&r);
}

/* kfp_argo_walk: every document, then every template, in file order; arg passed through;
 * scratch memory released after each callback; nothing for other models or once memory ran out. */
struct walk_log {
    char seen[64];
    size_t n;
    const struct kfp_argo_doc *last_doc;
    size_t next_template;
};

static void walk_doc(struct kfp_ctx *ctx, const struct kfp_argo_doc *d, void *arg)
{
    struct walk_log *log = arg;
    assert_non_null(kfp_arena_alloc(ctx->scratch, 4096));
    assert_ptr_equal(d, &ctx->m->argo->docs[d->index]);
    assert_int_equal(log->next_template, 0); /* no template before the last document */
    log->last_doc = d;
    log->seen[log->n++] = 'd';
}

static void walk_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp, void *arg)
{
    struct walk_log *log = arg;
    assert_non_null(kfp_arena_alloc(ctx->scratch, 4096));
    assert_ptr_equal(tp, ctx->m->argo->templates[log->next_template]);
    assert_int_equal(tp->index, log->next_template);
    log->next_template++;
    log->seen[log->n++] = 't';
    if (log->n == 3)
        ctx->oom = 1; /* the walk stops here */
}

static void test_argo_walk(void **state)
{
    (void)state;
    struct kfp_result r;
    tu_lint_text(&r, "w.yaml",
                 "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: a}\n"
                 "spec:\n  templates:\n  - {name: x, container: {image: 'i:1'}}\n"
                 "  - {name: y, container: {image: 'i:1'}}\n"
                 "---\napiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: b}\n"
                 "spec:\n  templates:\n  - {name: z, container: {image: 'i:1'}}\n",
                 "");
    assert_int_equal(r.model.argo->n_docs, 2);
    assert_int_equal(r.model.argo->n_templates, 3);
    assert_ptr_equal(r.model.argo->templates[2]->doc, &r.model.argo->docs[1]);
    struct kfp_arena scratch;
    kfp_arena_init(&scratch);
    struct kfp_ctx ctx = {.a = &r.arena, .scratch = &scratch, .m = &r.model};
    struct walk_log log = {0};
    kfp_argo_walk(&ctx, walk_doc, NULL, &log);
    assert_int_equal(log.n, 2);
    assert_ptr_equal(log.last_doc, &r.model.argo->docs[1]);
    assert_null(scratch.head); /* each callback's memory is released */
    memset(&log, 0, sizeof(log));
    kfp_argo_walk(&ctx, walk_doc, walk_template, &log);
    assert_string_equal(log.seen, "ddt"); /* stopped when memory ran out */
    assert_null(scratch.head);
    memset(&log, 0, sizeof(log));
    ctx.oom = 0;
    kfp_argo_walk(&ctx, NULL, walk_template, &log);
    assert_string_equal(log.seen, "ttt");
    ctx.oom = 0;
    kfp_result_free(&r);
    /* nothing for a KFP pipeline, nor without a model */
    assert_int_equal(tu_lint_file(&r, FIXTURES_DIR "/examples/ml_pipeline.yaml", "x", NULL), 0);
    ctx.m = &r.model;
    memset(&log, 0, sizeof(log));
    kfp_argo_walk(&ctx, walk_doc, walk_template, &log);
    ctx.m = NULL;
    kfp_argo_walk(&ctx, walk_doc, walk_template, &log);
    assert_int_equal(log.n, 0);
    kfp_result_free(&r);
    kfp_arena_free(&scratch);
}

/* kfp_schema_walk: the last pushed item first, an alias visited once per kind and type, and the
 * walk stops once ctx->oom is set. */
struct schema_log {
    struct kfp_ctx ctx; /* first: the visit gets the log back from its ctx */
    size_t visits, aliases, stop_after;
    const char *second;
};

static void schema_visit(struct kfp_ctx *ctx, struct kfp_schema_walk *w, const struct kfp_schema_item *it)
{
    struct schema_log *log = (struct schema_log *)ctx;
    if (++log->visits == 2)
        log->second = it->name;
    log->aliases += it->node->kind == KFP_NODE_ALIAS;
    const struct kfp_node *n = kfp_deref(it->node);
    for (uint32_t i = 0; n && n->kind == KFP_NODE_MAP && i < n->len; i++) {
        const struct kfp_schema_field *f = kfp_schema_field(it->type, &n->u.pairs[i].key);
        if (it->kind == KFP_SCHEMA_V_MAPOF)
            kfp_schema_push(w, &n->u.pairs[i].value, it->name, KFP_SCHEMA_V_OBJ, it->type);
        else if (it->kind == KFP_SCHEMA_V_OBJ && f)
            kfp_schema_push(w, &n->u.pairs[i].value, f->name, f->kind, f->type);
    }
    if (log->visits == log->stop_after)
        ctx->oom = 1;
}

static void test_schema_walk(void **state)
{
    (void)state;
    struct kfp_result r;
    tu_lint_text(&r, "p.yaml",
                 "pipelineInfo: {name: p}\n"
                 "components:\n"
                 "  a: {executorLabel: e, inputDefinitions: &i {parameters: {x: {parameterType: STRING}}}}\n"
                 "  b: &c {executorLabel: e, inputDefinitions: *i}\n  c: *c\n  d: *c\n"
                 "deploymentSpec: {executors: {e: {container: {image: 'i:1'}}}}\n",
                 "");
    assert_non_null(r.model.spec);
    struct schema_log log = {.stop_after = 100};
    kfp_schema_walk(&log.ctx, r.model.spec, "PipelineSpec", KFP_SCHEMA_SPEC, schema_visit);
    /* the spec; pipelineInfo, name; components; a, b with their executorLabel and
     * inputDefinitions, parameters, x, parameterType (6 each); c, the first alias of b, with
     * its executorLabel, but not again the alias *i inside it (2), and not d: it shares b's
     * entries with c (each alias has its own copy of b, the entries are one); deploymentSpec,
     * executors, e, container, image */
    assert_int_equal(log.visits, 23);
    assert_int_equal(log.aliases, 2); /* *i once, c */
    assert_string_equal(log.second, "deploymentSpec");
    assert_int_equal(log.ctx.oom, 0);
    log = (struct schema_log){.stop_after = 3};
    kfp_schema_walk(&log.ctx, r.model.spec, "PipelineSpec", KFP_SCHEMA_SPEC, schema_visit);
    assert_int_equal(log.visits, 3);
    kfp_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_same_model), cmocka_unit_test(test_v1_component),
        cmocka_unit_test(test_placeholder_span), cmocka_unit_test(test_unknown_kind),
        cmocka_unit_test(test_big_cycle), cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_container_flags), cmocka_unit_test(test_file_sdk),
        cmocka_unit_test(test_argo_model),
        cmocka_unit_test(test_argo_walk),
        cmocka_unit_test(test_schema_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
