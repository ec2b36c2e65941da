/* model_v1.c — the v1 ComponentSpec builder (kfp_model_v1_component): inputs/outputs as KFP v2
 * reads them, a container implementation (env map, v1 argument placeholders such as
 * {inputValue: x}, {concat: […]}, {if: …}, fileOutputs) or a graph implementation (tasks with
 * componentRef and arguments, outputValues). Argument trees are walked with an explicit stack.
 */
#include "kfplint/model.h"
#include "kfplint/alloc.h"
#include "model_int.h"

#include <string.h>
#include <strings.h>

/* v1 type name → parameter type, or KFP_PT_INVALID when KFP v2 reads it as an artifact. */
static enum kfp_ptype v1_param_type(const char *t)
{
    static const struct { const char *name; enum kfp_ptype pt; } map[] = {
        {"integer", KFP_PT_INT},     {"int", KFP_PT_INT},         {"double", KFP_PT_DOUBLE},
        {"float", KFP_PT_DOUBLE},    {"string", KFP_PT_STRING},   {"str", KFP_PT_STRING},
        {"text", KFP_PT_STRING},     {"bool", KFP_PT_BOOL},       {"boolean", KFP_PT_BOOL},
        {"dict", KFP_PT_STRUCT},     {"jsonobject", KFP_PT_STRUCT}, {"list", KFP_PT_LIST},
        {"jsonarray", KFP_PT_LIST},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(t, map[i].name) == 0)
            return map[i].pt;
    return KFP_PT_INVALID;
}

/* v1 artifact type name → v2 schema title (how KFP v2 reads v1 YAML). */
static const char *v1_schema_title(struct kfp_arena *a, const char *t)
{
    static const struct { const char *name, *title; } map[] = {
        {"artifact", "system.Artifact"}, {"dataset", "system.Dataset"}, {"model", "system.Model"},
        {"metrics", "system.Metrics"},   {"html", "system.HTML"},       {"markdown", "system.Markdown"},
        {"classificationmetrics", "system.ClassificationMetrics"},
        {"slicedclassificationmetrics", "system.SlicedClassificationMetrics"},
    };
    if (strncmp(t, "google.", 7) == 0)
        return t;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(t, map[i].name) == 0)
            return map[i].title;
    (void)a;
    return "system.Artifact";
}

/* v1 inputs/outputs: [{name, type, default, optional}] */
static int v1_iodefs(struct builder *b, const struct kfp_node *list, struct kfp_iodefs *d)
{
    list = seq_or_null(list);
    TRY(kfp_model_iodefs_alloc(b, d, list ? list->len : 0));
    for (uint32_t i = 0; list && i < list->len; i++) {
        struct kfp_iodef def;
        memset(&def, 0, sizeof(def));
        def.node = map_or_null(&list->u.items[i]);
        def.name = ref_of(kfp_map_get(def.node, "name", NULL));
        const struct kfp_node *t = kfp_map_get(def.node, "type", NULL);
        def.type_node = t;
        def.v1 = 1;
        def.has_default = kfp_map_get(def.node, "default", NULL) != NULL;
        def.optional = truthy(kfp_map_get(def.node, "optional", NULL));
        if (t && t->kind == KFP_NODE_SCALAR && t->len) {
            def.v1_type = t->u.str;
            enum kfp_ptype pt = v1_param_type(t->u.str);
            if (pt != KFP_PT_INVALID) {
                def.ptype = pt;
            } else {
                def.artifact = 1;
                def.schema_title = v1_schema_title(b->a, t->u.str);
                def.schema_version = "0.0.1";
            }
        } else if (t && t->kind == KFP_NODE_MAP && t->len) {
            def.v1_type = kfp_scalar(&t->u.pairs[0].key);
            def.artifact = 1;
            def.schema_title = "system.Artifact";
            def.schema_version = "0.0.1";
        } else {
            def.ptype = KFP_PT_UNSPECIFIED; /* untyped: KFP v1 passes anything */
        }
        /* untyped v1 definitions go in the parameter table; lookups of either kind find them */
        TRY(kfp_model_iodefs_add(b, d, &def));
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ containers */

static const struct { const char *key; enum kfp_ph_kind kind; } v1_forms[] = {
    {"inputValue", KFP_PH_IN_ANY},   {"inputPath", KFP_PH_IN_ANY},    {"inputUri", KFP_PH_IN_ANY},
    {"inputMetadata", KFP_PH_IN_ANY}, {"outputPath", KFP_PH_OUT_PARAM}, {"outputUri", KFP_PH_OUT_PARAM},
    {"outputMetadata", KFP_PH_OUT_PARAM}, {"isPresent", KFP_PH_IN_ANY},
};

/* Walks a v1 argument tree (strings, {inputValue: x}, {concat: [...]}, {if: {cond, then, else}})
 * with an explicit stack; a node budget keeps alias-heavy input linear. */
int kfp_model_scan_v1_args(struct builder *b, const struct kfp_node *root)
{
    struct kfp_vec stack = {0};
    size_t budget = 100000;
    TRY(kfp_vec_push(b->a, &stack, (void *)root));
    while (stack.len && budget--) {
        const struct kfp_node *n = kfp_deref(stack.items[--stack.len]);
        if (n && n->kind == KFP_NODE_SCALAR)
            TRY(kfp_model_scan_v2_string(b, n)); /* v2 placeholders written in v1 components (Google Cloud) */
        if (!n || n->kind == KFP_NODE_SCALAR)
            continue;
        if (n->kind == KFP_NODE_SEQ) {
            for (uint32_t i = n->len; i-- > 0;)
                TRY(kfp_vec_push(b->a, &stack, &n->u.items[i]));
            continue;
        }
        for (uint32_t i = 0; i < n->len; i++) {
            const struct kfp_node *k = kfp_deref(&n->u.pairs[i].key);
            const struct kfp_node *val = kfp_deref(&n->u.pairs[i].value);
            const char *ks = kfp_scalar(k);
            if (!ks)
                continue;
            int done = 0;
            for (size_t f = 0; f < sizeof(v1_forms) / sizeof(v1_forms[0]); f++)
                if (!strcmp(ks, v1_forms[f].key)) {
                    const char *name = kfp_scalar(val);
                    if (name && kfp_scalar_type(val) != KFP_SCALAR_NULL) /* {outputMetadata: null} */
                        TRY(kfp_model_add_ph(b, v1_forms[f].kind, name, strlen(name), val->span,
                                             v1_forms[f].key));
                    else if (!name)
                        b->ph_opaque = 1; /* {inputValue: [x]}: names nothing readable */
                    done = 1;
                    break;
                }
            if (done)
                continue;
            if (!strcmp(ks, "executorInput"))
                b->ph_executor_input = 1;
            else if (strcmp(ks, "concat") && strcmp(ks, "if") && strcmp(ks, "cond") &&
                     strcmp(ks, "then") && strcmp(ks, "else"))
                b->ph_opaque = 1; /* not a placeholder of the v1 spec */
            else if (val && val->kind != KFP_NODE_SCALAR)
                TRY(kfp_vec_push(b->a, &stack, (void *)val)); /* concat, if, cond, then, else */
        }
    }
    if (stack.len)
        b->ph_opaque = 1; /* the budget ran out: some placeholders were not read */
    return KFP_OK;
}

int kfp_model_container_env_v1(struct builder *b, struct kfp_container *c, const struct kfp_node *env)
{
    env = map_or_null(env);
    if (!env)
        return KFP_OK;
    c->env = kfp_arena_calloc(b->a, env->len ? env->len : 1, sizeof(*c->env));
    TRYP(c->env);
    for (uint32_t i = 0; i < env->len; i++) {
        struct kfp_env *e = &c->env[c->n_env++];
        e->node = kfp_deref(&env->u.pairs[i].key);
        e->name = key_ref(&env->u.pairs[i]);
        e->value = kfp_deref(&env->u.pairs[i].value);
        e->index = i;
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ components */

/* v1 graph: tasks {id: {componentRef, arguments {input: argument}}}, outputValues */
static void v1_argument(struct kfp_source_ref *s, const struct kfp_node *arg)
{
    const struct kfp_node *v;
    memset(s, 0, sizeof(*s));
    arg = kfp_deref(arg);
    if (!arg)
        return;
    if (arg->kind == KFP_NODE_SCALAR) {
        s->kind = KFP_SRC_CONSTANT;
        s->node = arg;
        s->constant = arg;
    } else if ((v = kfp_map_get(arg, "graphInput", NULL))) {
        s->kind = KFP_SRC_COMPONENT_INPUT;
        s->node = v;
        s->input = ref_of(kfp_map_get(v, "inputName", NULL));
    } else if ((v = kfp_map_get(arg, "taskOutput", NULL))) {
        s->kind = KFP_SRC_TASK_OUTPUT;
        s->node = v;
        s->producer = ref_of(kfp_map_get(v, "taskId", NULL));
        s->output = ref_of(kfp_map_get(v, "outputName", NULL));
    }
}

static int v1_graph(struct builder *b, struct kfp_component *c, const struct kfp_node *g)
{
    struct kfp_dag *d = kfp_model_new_dag(b, c, g);
    TRYP(d);
    for (size_t i = 0; i < d->n_tasks; i++) {
        struct kfp_task *t = &d->tasks[i];
        const struct kfp_node *args = map_or_null(kfp_map_get(t->node, "arguments", NULL));
        t->inputs = kfp_arena_calloc(b->a, args && args->len ? args->len : 1, sizeof(*t->inputs));
        TRYP(t->inputs);
        for (uint32_t j = 0; args && j < args->len; j++) {
            struct kfp_task_input *in = &t->inputs[t->n_inputs++];
            in->name = key_ref(&args->u.pairs[j]);
            in->node = kfp_deref(&args->u.pairs[j].value);
            v1_argument(&in->src, in->node);
        }
    }
    TRY(kfp_model_dag_index(b, d));
    for (size_t i = 0; i < d->n_tasks; i++)
        kfp_model_resolve_task(d, &d->tasks[i]);
    const struct kfp_node *ov = map_or_null(kfp_map_get(g, "outputValues", NULL));
    d->outputs = kfp_arena_calloc(b->a, ov && ov->len ? ov->len : 1, sizeof(*d->outputs));
    TRYP(d->outputs);
    for (uint32_t i = 0; ov && i < ov->len; i++) {
        struct kfp_dag_output *o = &d->outputs[d->n_outputs++];
        o->name = key_ref(&ov->u.pairs[i]);
        o->sels = kfp_arena_calloc(b->a, 1, sizeof(*o->sels));
        TRYP(o->sels);
        v1_argument(&o->sels[0], &ov->u.pairs[i].value);
        o->n_sels = o->sels[0].kind == KFP_SRC_TASK_OUTPUT;
    }
    return kfp_model_add_dag(b, d);
}

int kfp_model_v1_component(struct builder *b)
{
    struct kfp_model *m = b->m;
    struct kfp_component *c = kfp_arena_calloc(b->a, 1, sizeof(*c));
    TRYP(c);
    m->root = c;
    c->is_root = 1;
    c->index = SIZE_MAX;
    c->node = m->top;
    c->key = ref_of(kfp_map_get(m->top, "name", NULL));
    m->pipeline_name = c->key;
    TRY(v1_iodefs(b, kfp_map_get(m->top, "inputs", NULL), &c->inputs));
    TRY(v1_iodefs(b, kfp_map_get(m->top, "outputs", NULL), &c->outputs));
    const struct kfp_node *impl = kfp_map_get(m->top, "implementation", NULL);
    const struct kfp_node *cn = map_or_null(kfp_map_get(impl, "container", NULL));
    const struct kfp_node *g = map_or_null(kfp_map_get(impl, "graph", NULL));
    TRY(kfp_strmap_init(b->a, &m->executors_by_label, 1));
    TRY(kfp_strmap_init(b->a, &m->components_by_name, 1));
    if (cn) {
        struct kfp_executor *e = kfp_arena_calloc(b->a, 1, sizeof(*e));
        TRYP(e);
        e->kind = KFP_EXEC_CONTAINER;
        e->node = impl;
        e->component = c;
        const char *what = kfp_arena_printf(b->a, "the container of component '%s'",
                                            c->key.name ? c->key.name : "");
        TRYP(what);
        e->container = kfp_model_make_container(b, cn, 1, what);
        TRYP(e->container);
        c->executor = e;
        m->executors = kfp_arena_alloc(b->a, sizeof(*m->executors));
        TRYP(m->executors);
        m->executors[0] = e;
        m->n_executors = 1;
    } else if (g) {
        TRY(v1_graph(b, c, g));
    }
    return KFP_OK;
}
