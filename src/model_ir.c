/* model_ir.c — the v2 IR builder (kfp_model_pipeline_spec): a PipelineSpec, the pipelineSpec of a
 * PipelineJob or a single-component IR, with the PlatformSpec's kubernetes config of each
 * executor (env names, init containers, *NameParameter sources). Components, executors and DAG
 * tasks are read in flat loops over their maps; names resolve through hash maps (src/model.c).
 */
#include "kfplint/model.h"
#include "kfplint/alloc.h"
#include "model_int.h"

#include <string.h>

static void artifact_type(struct kfp_iodef *def, const struct kfp_node *at)
{
    def->schema_node = at;
    const struct kfp_node *k = NULL;
    const struct kfp_node *title = kfp_map_get(at, "schemaTitle", &k);
    if (title) {
        def->schema_title = kfp_scalar(title);
        def->schema_node = title;
    }
    def->schema_version = kfp_scalar(kfp_map_get(at, "schemaVersion", NULL));
}

/* v2 inputDefinitions / outputDefinitions: {parameters: {...}, artifacts: {...}} */
static int v2_iodefs(struct builder *b, const struct kfp_node *defs, struct kfp_iodefs *d)
{
    const struct kfp_node *params = map_or_null(kfp_map_get(defs, "parameters", NULL));
    const struct kfp_node *arts = map_or_null(kfp_map_get(defs, "artifacts", NULL));
    TRY(kfp_model_iodefs_alloc(b, d, map_len(params) + map_len(arts)));
    for (uint32_t i = 0; params && i < params->len; i++) {
        struct kfp_iodef def;
        memset(&def, 0, sizeof(def));
        def.name = key_ref(&params->u.pairs[i]);
        def.node = kfp_deref(&params->u.pairs[i].value);
        const struct kfp_node *t = kfp_map_get(def.node, "parameterType", NULL);
        if (!t) {
            t = kfp_map_get(def.node, "type", NULL);
            def.legacy_type = t != NULL;
        }
        def.type_node = t;
        def.ptype = t ? kfp_ptype_parse(kfp_scalar(t)) : KFP_PT_UNSPECIFIED;
        def.optional = truthy(kfp_map_get(def.node, "isOptional", NULL));
        def.has_default = kfp_map_get(def.node, "defaultValue", NULL) != NULL;
        TRY(kfp_model_iodefs_add(b, d, &def));
    }
    for (uint32_t i = 0; arts && i < arts->len; i++) {
        struct kfp_iodef def;
        memset(&def, 0, sizeof(def));
        def.artifact = 1;
        def.name = key_ref(&arts->u.pairs[i]);
        def.node = kfp_deref(&arts->u.pairs[i].value);
        const struct kfp_node *at = kfp_map_get(def.node, "artifactType", NULL);
        if (at)
            artifact_type(&def, at);
        def.is_list = truthy(kfp_map_get(def.node, "isArtifactList", NULL));
        def.optional = truthy(kfp_map_get(def.node, "isOptional", NULL));
        TRY(kfp_model_iodefs_add(b, d, &def));
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ sources */

static void source_of_param(struct kfp_source_ref *s, const struct kfp_node *spec)
{
    const struct kfp_node *k, *v;
    memset(s, 0, sizeof(*s));
    if ((v = kfp_map_get(spec, "taskOutputParameter", &k))) {
        s->kind = KFP_SRC_TASK_OUTPUT;
        s->node = v;
        s->producer = ref_of(kfp_map_get(v, "producerTask", NULL));
        s->output = ref_of(kfp_map_get(v, "outputParameterKey", NULL));
    } else if ((v = kfp_map_get(spec, "taskOutputArtifact", &k))) {
        s->kind = KFP_SRC_TASK_OUTPUT;
        s->node = v;
        s->producer = ref_of(kfp_map_get(v, "producerTask", NULL));
        s->output = ref_of(kfp_map_get(v, "outputArtifactKey", NULL));
    } else if ((v = kfp_map_get(spec, "componentInputParameter", &k)) ||
               (v = kfp_map_get(spec, "componentInputArtifact", &k))) {
        s->kind = KFP_SRC_COMPONENT_INPUT;
        s->node = v;
        s->input = ref_of(v);
    } else if ((v = kfp_map_get(spec, "taskFinalStatus", &k))) {
        s->kind = KFP_SRC_FINAL_STATUS;
        s->node = v;
        s->producer = ref_of(kfp_map_get(v, "producerTask", NULL));
    } else if ((v = kfp_map_get(spec, "runtimeValue", &k))) {
        const struct kfp_node *c;
        s->node = v;
        if ((c = kfp_map_get(v, "constant", NULL))) {
            s->kind = KFP_SRC_CONSTANT;
            s->constant = c;
        } else if ((c = kfp_map_get(v, "constantValue", NULL))) {
            s->kind = KFP_SRC_CONSTANT;
            s->constant = c;
            s->legacy_constant = 1;
        } else if ((c = kfp_map_get(v, "runtimeParameter", NULL))) {
            s->kind = KFP_SRC_RUNTIME_PARAM;
            s->input = ref_of(c);
        }
    } else if ((v = kfp_map_get(spec, "constant", &k))) {
        /* pvcMount's deprecated inline `constant` */
        s->kind = KFP_SRC_CONSTANT;
        s->node = v;
        s->constant = v;
    }
}

static int task_inputs(struct builder *b, struct kfp_task *t, const struct kfp_node *inputs)
{
    const struct kfp_node *params = map_or_null(kfp_map_get(inputs, "parameters", NULL));
    const struct kfp_node *arts = map_or_null(kfp_map_get(inputs, "artifacts", NULL));
    size_t n = map_len(params) + map_len(arts);
    t->inputs = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*t->inputs));
    TRYP(t->inputs);
    for (int pass = 0; pass < 2; pass++) {
        const struct kfp_node *m = pass ? arts : params;
        for (uint32_t i = 0; m && i < m->len; i++) {
            struct kfp_task_input *in = &t->inputs[t->n_inputs++];
            in->name = key_ref(&m->u.pairs[i]);
            in->node = kfp_deref(&m->u.pairs[i].value);
            in->artifact = pass;
            source_of_param(&in->src, in->node);
            in->selector = kfp_map_get(in->node, "parameterExpressionSelector", NULL);
        }
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ DAGs */

static int dag_outputs(struct builder *b, struct kfp_dag *d, const struct kfp_node *outs)
{
    const struct kfp_node *params = map_or_null(kfp_map_get(outs, "parameters", NULL));
    const struct kfp_node *arts = map_or_null(kfp_map_get(outs, "artifacts", NULL));
    size_t n = map_len(params) + map_len(arts);
    d->outputs = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*d->outputs));
    TRYP(d->outputs);
    for (int pass = 0; pass < 2; pass++) {
        const struct kfp_node *m = pass ? arts : params;
        for (uint32_t i = 0; m && i < m->len; i++) {
            struct kfp_dag_output *o = &d->outputs[d->n_outputs++];
            o->name = key_ref(&m->u.pairs[i]);
            o->artifact = pass;
            const struct kfp_node *spec = kfp_deref(&m->u.pairs[i].value);
            const struct kfp_node *single = NULL, *list = NULL;
            if (pass == 0) {
                single = map_or_null(kfp_map_get(spec, "valueFromParameter", NULL));
                list = seq_or_null(kfp_map_get(kfp_map_get(spec, "valueFromOneof", NULL),
                                               "parameterSelectors", NULL));
            } else {
                list = seq_or_null(kfp_map_get(spec, "artifactSelectors", NULL));
            }
            size_t ns = (single ? 1 : 0) + (list ? list->len : 0);
            o->sels = kfp_arena_calloc(b->a, ns ? ns : 1, sizeof(*o->sels));
            TRYP(o->sels);
            for (size_t j = 0; j < ns; j++) {
                const struct kfp_node *sel = single && j == 0 ? single
                                                              : kfp_deref(&list->u.items[j - (single ? 1 : 0)]);
                struct kfp_source_ref *s = &o->sels[o->n_sels++];
                s->kind = KFP_SRC_TASK_OUTPUT;
                s->node = sel;
                s->producer = ref_of(kfp_map_get(sel, "producerSubtask", NULL));
                s->output = ref_of(kfp_map_get(sel, pass ? "outputArtifactKey" : "outputParameterKey",
                                               NULL));
            }
        }
    }
    return KFP_OK;
}

static int v2_dag(struct builder *b, struct kfp_component *c, const struct kfp_node *dagn)
{
    struct kfp_dag *d = kfp_model_new_dag(b, c, dagn);
    TRYP(d);
    for (size_t i = 0; i < d->n_tasks; i++) {
        struct kfp_task *t = &d->tasks[i];
        t->display = ref_of(kfp_map_get(kfp_map_get(t->node, "taskInfo", NULL), "name", NULL));
        t->component_ref = ref_of(kfp_map_get(kfp_map_get(t->node, "componentRef", NULL), "name", NULL));
        const struct kfp_node *deps = seq_or_null(kfp_map_get(t->node, "dependentTasks", NULL));
        if (deps) {
            t->deps = kfp_arena_calloc(b->a, deps->len ? deps->len : 1, sizeof(*t->deps));
            TRYP(t->deps);
            t->dep_tasks = kfp_arena_calloc(b->a, deps->len ? deps->len : 1, sizeof(*t->dep_tasks));
            TRYP(t->dep_tasks);
            for (uint32_t j = 0; j < deps->len; j++) {
                struct kfp_ref r = ref_of(&deps->u.items[j]);
                if (r.name)
                    t->deps[t->n_deps++] = r;
            }
        }
        TRY(task_inputs(b, t, kfp_map_get(t->node, "inputs", NULL)));
        const struct kfp_node *pi = kfp_map_get(t->node, "parameterIterator", NULL);
        const struct kfp_node *ai = kfp_map_get(t->node, "artifactIterator", NULL);
        if (pi) {
            t->iter_input = ref_of(kfp_map_get(kfp_map_get(pi, "items", NULL), "inputParameter", NULL));
            t->item_input = ref_of(kfp_map_get(pi, "itemInput", NULL));
        } else if (ai) {
            t->artifact_iterator = ai;
            t->iter_artifact = 1;
            t->iter_input = ref_of(kfp_map_get(kfp_map_get(ai, "items", NULL), "inputArtifact", NULL));
            t->item_input = ref_of(kfp_map_get(ai, "itemInput", NULL));
        }
    }
    TRY(kfp_model_dag_index(b, d));
    TRY(dag_outputs(b, d, kfp_map_get(dagn, "outputs", NULL)));
    return kfp_model_add_dag(b, d);
}

/* ------------------------------------------------------------------ containers */

/* Env names a platform config gives its executor: secretAsEnv/configMapAsEnv keyToEnv.envVar and
 * fieldPathAsEnv.name. */
static int platform_env(struct builder *b, struct kfp_container *c, const struct kfp_node *pc)
{
    static const char *const lists[] = {"secretAsEnv", "configMapAsEnv"};
    struct kfp_vec names = {0};
    for (size_t l = 0; l < 2; l++) {
        const struct kfp_node *seq = seq_or_null(kfp_map_get(pc, lists[l], NULL));
        for (uint32_t i = 0; seq && i < seq->len; i++) {
            const struct kfp_node *kte = seq_or_null(kfp_map_get(&seq->u.items[i], "keyToEnv", NULL));
            for (uint32_t j = 0; kte && j < kte->len; j++) {
                struct kfp_ref *r = kfp_arena_alloc(b->a, sizeof(*r));
                TRYP(r);
                *r = ref_of(kfp_map_get(&kte->u.items[j], "envVar", NULL));
                if (r->name)
                    TRY(kfp_vec_push(b->a, &names, r));
            }
        }
    }
    const struct kfp_node *fp = seq_or_null(kfp_map_get(pc, "fieldPathAsEnv", NULL));
    for (uint32_t i = 0; fp && i < fp->len; i++) {
        struct kfp_ref *r = kfp_arena_alloc(b->a, sizeof(*r));
        TRYP(r);
        *r = ref_of(kfp_map_get(&fp->u.items[i], "name", NULL));
        if (r->name)
            TRY(kfp_vec_push(b->a, &names, r));
    }
    c->extra_env = kfp_arena_alloc(b->a, (names.len ? names.len : 1) * sizeof(*c->extra_env));
    TRYP(c->extra_env);
    for (size_t i = 0; i < names.len; i++)
        c->extra_env[i] = *(struct kfp_ref *)names.items[i];
    c->n_extra_env = names.len;
    return KFP_OK;
}

static int executors(struct builder *b)
{
    struct kfp_model *m = b->m;
    const struct kfp_node *ex = map_or_null(
        kfp_map_get(kfp_map_get(m->spec, "deploymentSpec", NULL), "executors", NULL));
    const struct kfp_node *pex = map_or_null(
        kfp_map_get(kfp_map_get(m->platform, "deploymentSpec", NULL), "executors", NULL));
    size_t n = map_len(ex);
    m->executors = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*m->executors));
    TRYP(m->executors);
    TRY(kfp_strmap_init(b->a, &m->executors_by_label, n));
    for (uint32_t i = 0; i < n; i++) {
        struct kfp_executor *e = kfp_arena_calloc(b->a, 1, sizeof(*e));
        TRYP(e);
        e->label = key_ref(&ex->u.pairs[i]);
        e->node = map_or_null(&ex->u.pairs[i].value);
        const struct kfp_node *k = NULL, *v;
        if ((v = kfp_map_get(e->node, "container", &k))) {
            e->kind = KFP_EXEC_CONTAINER;
            const char *what = kfp_arena_printf(b->a, "executor '%s'", e->label.name ? e->label.name : "");
            TRYP(what);
            e->container = kfp_model_make_container(b, v, 0, what);
            TRYP(e->container);
        } else if ((v = kfp_map_get(e->node, "importer", &k))) {
            e->kind = KFP_EXEC_IMPORTER;
        } else if ((v = kfp_map_get(e->node, "resolver", &k))) {
            e->kind = KFP_EXEC_RESOLVER;
        } else if ((v = kfp_map_get(e->node, "customJob", &k))) {
            e->kind = KFP_EXEC_CUSTOM_JOB;
        } else {
            e->kind = KFP_EXEC_OTHER;
        }
        e->kind_key = k;
        if (e->label.name && pex)
            for (uint32_t j = 0; j < pex->len; j++)
                if (kfp_key_is(&pex->u.pairs[j].key, e->label.name) &&
                    !strcmp(kfp_scalar(&pex->u.pairs[j].key), e->label.name)) {
                    e->platform = map_or_null(&pex->u.pairs[j].value);
                    break;
                }
        if (e->platform && e->container)
            TRY(platform_env(b, e->container, e->platform));
        const struct kfp_node *inits = seq_or_null(kfp_map_get(e->platform, "initContainers", NULL));
        if (inits) {
            e->init = kfp_arena_calloc(b->a, inits->len ? inits->len : 1, sizeof(*e->init));
            TRYP(e->init);
            for (uint32_t j = 0; j < inits->len; j++) {
                const struct kfp_node *ic = map_or_null(&inits->u.items[j]);
                const char *nm = kfp_scalar(kfp_map_get(ic, "name", NULL));
                const char *what = kfp_arena_printf(b->a, "init container '%s' of executor '%s'",
                                                    nm ? nm : "", e->label.name ? e->label.name : "");
                TRYP(what);
                struct kfp_container *c = kfp_model_make_container(b, ic, 0, what);
                TRYP(c);
                e->init[e->n_init++] = *c;
            }
        }
        e->index = m->n_executors;
        m->executors[m->n_executors++] = e;
        if (e->label.name)
            TRY(kfp_strmap_put(b->a, &m->executors_by_label, e->label.name, e, NULL));
    }
    return KFP_OK;
}

/* Sources hidden in a platform config: every *NameParameter (and pvcMount's deprecated inline
 * forms) is an input of each task that runs the executor. */
static int platform_sources(struct builder *b, struct kfp_task *t, const struct kfp_node *pc)
{
    static const struct { const char *list, *field; } where[] = {
        {"secretAsEnv", "secretNameParameter"},   {"configMapAsEnv", "configMapNameParameter"},
        {"secretAsVolume", "secretNameParameter"}, {"configMapAsVolume", "configMapNameParameter"},
        {"pvcMount", "pvcNameParameter"},          {"imagePullSecret", "secretNameParameter"},
        {"pvcMount", NULL},
    };
    size_t n = 0;
    for (size_t w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
        const struct kfp_node *seq = seq_or_null(kfp_map_get(pc, where[w].list, NULL));
        n += seq ? seq->len : 0;
    }
    if (!n)
        return KFP_OK;
    t->platform_srcs = kfp_arena_calloc(b->a, n, sizeof(*t->platform_srcs));
    TRYP(t->platform_srcs);
    for (size_t w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
        const struct kfp_node *seq = seq_or_null(kfp_map_get(pc, where[w].list, NULL));
        for (uint32_t i = 0; seq && i < seq->len; i++) {
            const struct kfp_node *spec = where[w].field ? kfp_map_get(&seq->u.items[i], where[w].field, NULL)
                                                         : &seq->u.items[i];
            if (!spec)
                continue;
            struct kfp_source_ref s;
            source_of_param(&s, spec);
            if (s.kind != KFP_SRC_NONE && (where[w].field || s.kind == KFP_SRC_TASK_OUTPUT ||
                                           s.kind == KFP_SRC_COMPONENT_INPUT))
                t->platform_srcs[t->n_platform_srcs++] = s;
        }
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ components */

static int v2_component(struct builder *b, struct kfp_component *c, const struct kfp_node *n)
{
    c->node = n;
    TRY(v2_iodefs(b, kfp_map_get(n, "inputDefinitions", NULL), &c->inputs));
    TRY(v2_iodefs(b, kfp_map_get(n, "outputDefinitions", NULL), &c->outputs));
    c->executor_label = ref_of(kfp_map_get(n, "executorLabel", NULL));
    const struct kfp_node *dag = kfp_map_get(n, "dag", NULL);
    if (dag)
        TRY(v2_dag(b, c, dag));
    return KFP_OK;
}

int kfp_model_pipeline_spec(struct builder *b)
{
    struct kfp_model *m = b->m;
    const struct kfp_node *spec = m->spec;
    m->pipeline_info = kfp_map_get(spec, "pipelineInfo", &m->pipeline_info_key);
    m->pipeline_name = ref_of(kfp_map_get(m->pipeline_info, "name", NULL));
    m->schema_version = ref_of(kfp_map_get(spec, "schemaVersion", NULL));
    TRY(executors(b));

    const struct kfp_node *comps = map_or_null(kfp_map_get(spec, "components", NULL));
    size_t n = map_len(comps);
    m->components = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*m->components));
    TRYP(m->components);
    TRY(kfp_strmap_init(b->a, &m->components_by_name, n));
    const struct kfp_node *root = map_or_null(kfp_map_get(spec, "root", NULL));
    if (root) {
        m->root = kfp_arena_calloc(b->a, 1, sizeof(*m->root));
        TRYP(m->root);
        m->root->is_root = 1;
        m->root->index = SIZE_MAX;
        m->root->key.name = "root";
        TRY(v2_component(b, m->root, root));
    }
    for (uint32_t i = 0; i < n; i++) {
        struct kfp_component *c = kfp_arena_calloc(b->a, 1, sizeof(*c));
        TRYP(c);
        c->key = key_ref(&comps->u.pairs[i]);
        c->index = i;
        TRY(v2_component(b, c, map_or_null(&comps->u.pairs[i].value)));
        m->components[m->n_components++] = c;
        if (c->key.name)
            TRY(kfp_strmap_put(b->a, &m->components_by_name, c->key.name, c, NULL));
    }
    /* resolve executors and component references */
    struct kfp_component *all_root[1] = {m->root};
    for (int pass = 0; pass < 2; pass++) {
        struct kfp_component **list = pass ? m->components : all_root;
        size_t count = pass ? m->n_components : (m->root ? 1 : 0);
        for (size_t i = 0; i < count; i++) {
            struct kfp_component *c = list[i];
            if (c->executor_label.name) {
                c->executor = kfp_strmap_get(&m->executors_by_label, c->executor_label.name);
                if (c->executor && !c->executor->component)
                    c->executor->component = c;
            }
        }
    }
    for (size_t d = 0; d < m->n_dags; d++) {
        struct kfp_dag *dag = m->dags[d];
        for (size_t i = 0; i < dag->n_tasks; i++) {
            struct kfp_task *t = &dag->tasks[i];
            if (t->component_ref.name)
                t->component = kfp_strmap_get(&m->components_by_name, t->component_ref.name);
            if (t->component && t->component->executor && t->component->executor->platform)
                TRY(platform_sources(b, t, t->component->executor->platform));
        }
    }
    /* resolve every producer reference once: rules then follow pointers, not names */
    for (size_t d = 0; d < m->n_dags; d++) {
        struct kfp_dag *dag = m->dags[d];
        for (size_t i = 0; i < dag->n_tasks; i++)
            kfp_model_resolve_task(dag, &dag->tasks[i]);
        for (size_t o = 0; o < dag->n_outputs; o++)
            for (size_t k = 0; k < dag->outputs[o].n_sels; k++)
                kfp_model_resolve_source(dag, &dag->outputs[o].sels[k], dag->outputs[o].artifact);
    }
    /* root DAG first in m->dags */
    for (size_t d = 1; d < m->n_dags; d++)
        if (m->root && m->dags[d] == m->root->dag) {
            struct kfp_dag *tmp = m->dags[0];
            m->dags[0] = m->dags[d];
            m->dags[d] = tmp;
        }
    return KFP_OK;
}
