/* model.c — node tree → normalised pipeline model (kfp_model_build and helpers).
 *
 * Detection is by content: a `pipelineSpec` key makes a PipelineJob, `pipelineInfo`/`root`/
 * `deploymentSpec`/`components` a PipelineSpec, `implementation` a v1 ComponentSpec, `platforms`
 * alone a PlatformSpec. Building is flat loops over the components and executors maps, never
 * recursion over user data; every name table is a hash map.
 */
#include "kfplint/model.h"
#include "kfplint/alloc.h"
#include "kfplint/argo.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if ((x) != KFP_OK)                                                                         \
            return KFP_ERR;                                                                        \
    } while (0)
#define TRYP(p)                                                                                    \
    do {                                                                                           \
        if (!(p))                                                                                  \
            return KFP_ERR;                                                                        \
    } while (0)

struct builder {
    struct kfp_arena *a;
    struct kfp_model *m;
    struct kfp_placeholder *phs; /* the current container's placeholders (kfp_malloc'd scratch) */
    size_t n_phs, cap_phs;
    /* further pipelines of a multi-document file reuse the file's PlatformSpec (found once) */
    bool platform_known;
    const struct kfp_node *platform, *platform_doc;
    uint8_t ph_executor_input;   /* the current container: kfp_container.executor_input */
    uint8_t ph_opaque;           /* the current container: kfp_container.opaque_phs */
    size_t cap_dags; /* capacity of m->dags: it grows geometrically (add_dag) */
};

static struct kfp_ref ref_of(const struct kfp_node *n)
{
    struct kfp_ref r = {NULL, NULL};
    n = kfp_deref(n);
    if (n && n->kind == KFP_NODE_SCALAR) {
        r.name = n->u.str;
        r.node = n;
    }
    return r;
}

static struct kfp_ref key_ref(const struct kfp_pair *p)
{
    return ref_of(&p->key);
}

static const struct kfp_node *map_or_null(const struct kfp_node *n)
{
    n = kfp_deref(n);
    return n && n->kind == KFP_NODE_MAP ? n : NULL;
}

static const struct kfp_node *seq_or_null(const struct kfp_node *n)
{
    n = kfp_deref(n);
    return n && n->kind == KFP_NODE_SEQ ? n : NULL;
}

static size_t map_len(const struct kfp_node *n)
{
    n = map_or_null(n);
    return n ? n->len : 0;
}

static int truthy(const struct kfp_node *n)
{
    return kfp_scalar_type(n) == KFP_SCALAR_BOOL &&
           (strcasecmp(kfp_scalar(n), "true") == 0 || strcasecmp(kfp_scalar(n), "yes") == 0 ||
            strcasecmp(kfp_scalar(n), "on") == 0);
}

/* ------------------------------------------------------------------ types */

static const char *const ptype_names[] = {
    /* ORDER enum kfp_ptype */
    "PARAMETER_TYPE_ENUM_UNSPECIFIED", "NUMBER_DOUBLE", "NUMBER_INTEGER", "STRING", "BOOLEAN",
    "LIST", "STRUCT", "TASK_FINAL_STATUS", "TASK_CONFIG", "INVALID",
};

const char *kfp_ptype_name(enum kfp_ptype t)
{
    return (size_t)t < sizeof(ptype_names) / sizeof(ptype_names[0]) ? ptype_names[t] : "INVALID";
}

enum kfp_ptype kfp_ptype_parse(const char *s)
{
    if (!s)
        return KFP_PT_UNSPECIFIED;
    for (size_t i = 0; i < KFP_PT_INVALID; i++)
        if (strcmp(s, ptype_names[i]) == 0)
            return (enum kfp_ptype)i;
    if (!strcmp(s, "INT"))
        return KFP_PT_INT;
    if (!strcmp(s, "DOUBLE"))
        return KFP_PT_DOUBLE;
    if (!strcmp(s, "PRIMITIVE_TYPE_UNSPECIFIED"))
        return KFP_PT_UNSPECIFIED;
    return KFP_PT_INVALID;
}

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

const struct kfp_iodef *kfp_iodefs_find(const struct kfp_iodefs *d, const char *name, int kind)
{
    if (!name)
        return NULL;
    if (d->index) {
        const struct kfp_iodef *r = NULL;
        if (kind != 1)
            r = kfp_strmap_get(&d->index->params, name);
        if (!r && kind != 0)
            r = kfp_strmap_get(&d->index->artifacts, name);
        return r;
    }
    uint32_t h = kfp_strmap_hash(name);
    for (int k = kind == 1 ? 1 : 0; k <= (kind == 0 ? 0 : 1); k++)
        for (size_t i = 0; i < d->n; i++) {
            const struct kfp_iodef *x = &d->items[i];
            if (x->name_hash == h && x->artifact == k && strcmp(x->name.name, name) == 0)
                return x;
        }
    return NULL;
}

const struct kfp_node *kfp_iodef_default(const struct kfp_iodef *d)
{
    return d->has_default ? kfp_map_get(d->node, d->v1 ? "default" : "defaultValue", NULL) : NULL;
}

const struct kfp_node *kfp_iodef_literals(const struct kfp_iodef *d)
{
    return d->v1 ? NULL : kfp_map_get(d->node, "literals", NULL);
}

static int iodefs_alloc(struct builder *b, struct kfp_iodefs *d, size_t n)
{
    d->items = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*d->items));
    TRYP(d->items);
    d->n = 0;
    d->index = NULL;
    if (n <= KFP_IODEFS_INDEXED)
        return KFP_OK;
    d->index = kfp_arena_alloc(b->a, sizeof(*d->index));
    TRYP(d->index);
    TRY(kfp_strmap_init(b->a, &d->index->params, n));
    TRY(kfp_strmap_init(b->a, &d->index->artifacts, n));
    return KFP_OK;
}

static int iodefs_add(struct builder *b, struct kfp_iodefs *d, struct kfp_iodef *def)
{
    if (!def->name.name)
        return KFP_OK;
    def->name_hash = kfp_strmap_hash(def->name.name);
    d->items[d->n] = *def;
    struct kfp_iodef *stored = &d->items[d->n++];
    if (!d->index)
        return KFP_OK;
    return kfp_strmap_put(b->a, def->artifact ? &d->index->artifacts : &d->index->params,
                          def->name.name, stored, NULL);
}

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
    TRY(iodefs_alloc(b, d, map_len(params) + map_len(arts)));
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
        TRY(iodefs_add(b, d, &def));
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
        TRY(iodefs_add(b, d, &def));
    }
    return KFP_OK;
}

/* v1 inputs/outputs: [{name, type, default, optional}] */
static int v1_iodefs(struct builder *b, const struct kfp_node *list, struct kfp_iodefs *d)
{
    list = seq_or_null(list);
    TRY(iodefs_alloc(b, d, list ? list->len : 0));
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
        TRY(iodefs_add(b, d, &def));
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

static int dag_index(struct builder *b, struct kfp_dag *d)
{
    TRY(kfp_strmap_init(b->a, &d->by_key, d->n_tasks));
    for (size_t i = 0; i < d->n_tasks; i++) {
        struct kfp_task *t = &d->tasks[i];
        t->index = i;
        t->dag = d;
        if (t->key.name)
            TRY(kfp_strmap_put(b->a, &d->by_key, t->key.name, t, NULL));
    }
    return KFP_OK;
}

static int add_dag(struct builder *b, struct kfp_dag *d)
{
    struct kfp_vec v = {(void **)b->m->dags, b->m->n_dags, b->cap_dags};
    TRY(kfp_vec_push(b->a, &v, d));
    b->m->dags = (struct kfp_dag **)v.items;
    b->m->n_dags = v.len;
    b->cap_dags = v.cap;
    return KFP_OK;
}

static int v2_dag(struct builder *b, struct kfp_component *c, const struct kfp_node *dagn)
{
    struct kfp_dag *d = kfp_arena_calloc(b->a, 1, sizeof(*d));
    TRYP(d);
    d->node = dagn;
    d->owner = c;
    c->dag = d;
    const struct kfp_node *tasks = map_or_null(kfp_map_get(dagn, "tasks", NULL));
    d->tasks_node = tasks;
    d->tasks = kfp_arena_calloc(b->a, tasks && tasks->len ? tasks->len : 1, sizeof(*d->tasks));
    TRYP(d->tasks);
    for (uint32_t i = 0; tasks && i < tasks->len; i++) {
        struct kfp_task *t = &d->tasks[d->n_tasks++];
        t->key = key_ref(&tasks->u.pairs[i]);
        t->node = map_or_null(&tasks->u.pairs[i].value);
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
    TRY(dag_index(b, d));
    TRY(dag_outputs(b, d, kfp_map_get(dagn, "outputs", NULL)));
    return add_dag(b, d);
}

/* ------------------------------------------------------------------ containers */

static int add_ph(struct builder *b, enum kfp_ph_kind kind, const char *name, size_t name_len,
                  struct kfp_span span, const char *v1_form)
{
    if (b->n_phs == b->cap_phs) {
        size_t cap = b->cap_phs ? b->cap_phs * 2 : 16;
        struct kfp_placeholder *np = kfp_realloc(b->phs, cap * sizeof(*np));
        TRYP(np);
        b->phs = np;
        b->cap_phs = cap;
    }
    struct kfp_placeholder *p = &b->phs[b->n_phs];
    p->kind = kind;
    p->name = kfp_arena_strndup(b->a, name, name_len);
    TRYP(p->name);
    p->span = span;
    p->v1_form = v1_form;
    b->n_phs++;
    return KFP_OK;
}

/* Finds the v2 placeholders `{{$.inputs.parameters['x']…}}` and `"InputName": "x"` in a string. */
static int scan_v2_string(struct builder *b, const struct kfp_node *n)
{
    static const struct { const char *prefix; enum kfp_ph_kind kind; } forms[] = {
        {"{{$.inputs.parameters[", KFP_PH_IN_PARAM},
        {"{{$.inputs.artifacts[", KFP_PH_IN_ARTIFACT},
        {"{{$.outputs.parameters[", KFP_PH_OUT_PARAM},
        {"{{$.outputs.artifacts[", KFP_PH_OUT_ARTIFACT},
    };
    const char *s = n->u.str;
    const char *end = s + n->len;
    const char *p = memchr(s, '{', n->len);
    if (!p)
        return KFP_OK; /* no placeholder of either form below (most strings): skip memmem */
    for (const char *q = p; (q = memmem(q, (size_t)(end - q), "{{$", 3)); q += 3) {
        size_t left = (size_t)(end - q);
        if ((left >= 5 && !memcmp(q, "{{$}}", 5)) ||
            (left >= 16 && !memcmp(q, "{{$.json_escape[", 16)))
            b->ph_executor_input = 1; /* the whole executor input, maybe JSON-escaped */
        else if (left < 4 || q[3] != '.')
            b->ph_opaque = 1;
        else if ((left >= 11 && !memcmp(q, "{{$.inputs", 10) && q[10] != '.') ||
                 (left >= 12 && !memcmp(q, "{{$.outputs", 11) && q[11] != '.'))
            b->ph_opaque = 1; /* {{$.inputs}}, {{$.outputs['x']}}: not a form the model reads */
    }
    while ((p = memmem(p, (size_t)(end - p), "{{$.", 4))) {
        const char *start = p;
        uint8_t opaque = b->ph_opaque; /* restored once a form's name is read */
        p += 4;
        for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            size_t pl = strlen(forms[f].prefix);
            if ((size_t)(end - start) < pl || memcmp(start, forms[f].prefix, pl) != 0)
                continue;
            b->ph_opaque = 1; /* a form the model reads, until its name is read */
            if ((size_t)(end - start) < pl + 3)
                break;
            const char *q = start + pl;
            char quote = *q;
            if (quote != '\'' && quote != '"')
                break;
            const char *name = q + 1;
            const char *close = memchr(name, quote, (size_t)(end - name));
            if (!close || close + 1 >= end || close[1] != ']')
                break;
            b->ph_opaque = opaque;
            const char *tail = close + 2;
            const char *stop = memmem(tail, (size_t)(end - tail), "}}", 2);
            size_t full = stop ? (size_t)(stop + 2 - start) : (size_t)(close + 2 - start);
            TRY(add_ph(b, forms[f].kind, name, (size_t)(close - name),
                       kfp_node_subspan(&b->m->doc->src, n, start, full), NULL));
            p = close + 2;
            break;
        }
    }
    /* structured IfPresent placeholder: {"IfPresent": {"InputName": "x", …}} */
    p = s;
    while ((p = memmem(p, (size_t)(end - p), "\"InputName\"", 11))) {
        const char *q = p + 11;
        while (q < end && (*q == ' ' || *q == ':'))
            q++;
        p += 11;
        if (q >= end || *q != '"')
            continue;
        const char *name = q + 1;
        const char *close = memchr(name, '"', (size_t)(end - name));
        if (!close)
            break;
        TRY(add_ph(b, KFP_PH_IN_ANY, name, (size_t)(close - name),
                   kfp_node_subspan(&b->m->doc->src, n, name, (size_t)(close - name)), NULL));
        p = close;
    }
    return KFP_OK;
}

static const struct { const char *key; enum kfp_ph_kind kind; } v1_forms[] = {
    {"inputValue", KFP_PH_IN_ANY},   {"inputPath", KFP_PH_IN_ANY},    {"inputUri", KFP_PH_IN_ANY},
    {"inputMetadata", KFP_PH_IN_ANY}, {"outputPath", KFP_PH_OUT_PARAM}, {"outputUri", KFP_PH_OUT_PARAM},
    {"outputMetadata", KFP_PH_OUT_PARAM}, {"isPresent", KFP_PH_IN_ANY},
};

/* Walks a v1 argument tree (strings, {inputValue: x}, {concat: [...]}, {if: {cond, then, else}})
 * with an explicit stack; a node budget keeps alias-heavy input linear. */
static int scan_v1_args(struct builder *b, const struct kfp_node *root)
{
    struct kfp_vec stack = {0};
    size_t budget = 100000;
    TRY(kfp_vec_push(b->a, &stack, (void *)root));
    while (stack.len && budget--) {
        const struct kfp_node *n = kfp_deref(stack.items[--stack.len]);
        if (n && n->kind == KFP_NODE_SCALAR)
            TRY(scan_v2_string(b, n)); /* v2 placeholders written in v1 components (Google Cloud) */
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
                        TRY(add_ph(b, v1_forms[f].kind, name, strlen(name), val->span,
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

static int container_env_v2(struct builder *b, struct kfp_container *c, const struct kfp_node *env)
{
    env = seq_or_null(env);
    if (!env)
        return KFP_OK;
    c->env = kfp_arena_calloc(b->a, env->len ? env->len : 1, sizeof(*c->env));
    TRYP(c->env);
    for (uint32_t i = 0; i < env->len; i++) {
        struct kfp_env *e = &c->env[c->n_env++];
        e->node = kfp_deref(&env->u.items[i]);
        e->name = ref_of(kfp_map_get(e->node, "name", NULL));
        e->value = kfp_map_get(e->node, "value", NULL);
        e->index = i;
    }
    return KFP_OK;
}

static int container_env_v1(struct builder *b, struct kfp_container *c, const struct kfp_node *env)
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

static int scan_strings(struct builder *b, const struct kfp_node *seq)
{
    seq = seq_or_null(seq);
    for (uint32_t i = 0; seq && i < seq->len; i++) {
        const struct kfp_node *s = kfp_deref(&seq->u.items[i]);
        if (s && s->kind == KFP_NODE_SCALAR)
            TRY(scan_v2_string(b, s));
    }
    return KFP_OK;
}

static struct kfp_container *make_container(struct builder *b, const struct kfp_node *cn, int v1,
                                            const char *what)
{
    struct kfp_container *c = kfp_arena_calloc(b->a, 1, sizeof(*c));
    if (!c)
        return NULL;
    c->node = cn;
    c->v1 = v1;
    c->what = what;
    c->image = kfp_map_get(cn, "image", &c->image_key);
    c->command = kfp_map_get(cn, "command", NULL);
    c->args = kfp_map_get(cn, "args", NULL);
    c->env_node = kfp_map_get(cn, "env", NULL);
    b->n_phs = 0;
    b->ph_executor_input = b->ph_opaque = 0;
    if (v1) {
        if (container_env_v1(b, c, c->env_node) || scan_v1_args(b, c->command) ||
            scan_v1_args(b, c->args))
            return NULL;
        for (size_t i = 0; i < c->n_env; i++) /* a string or a v1 placeholder */
            if (scan_v1_args(b, c->env[i].value))
                return NULL;
        const struct kfp_node *fo = map_or_null(kfp_map_get(cn, "fileOutputs", NULL));
        for (uint32_t i = 0; fo && i < fo->len; i++) {
            struct kfp_ref r = key_ref(&fo->u.pairs[i]);
            if (r.name && add_ph(b, KFP_PH_OUT_PARAM, r.name, strlen(r.name), r.node->span,
                                 "fileOutputs"))
                return NULL;
        }
    } else {
        if (container_env_v2(b, c, c->env_node) || scan_strings(b, c->command) ||
            scan_strings(b, c->args))
            return NULL;
        for (size_t i = 0; i < c->n_env; i++) {
            const struct kfp_node *val = kfp_deref(c->env[i].value);
            if (val && val->kind == KFP_NODE_SCALAR && scan_v2_string(b, val))
                return NULL;
        }
    }
    c->phs = kfp_arena_alloc(b->a, (b->n_phs ? b->n_phs : 1) * sizeof(*c->phs));
    if (!c->phs)
        return NULL;
    if (b->n_phs)
        memcpy(c->phs, b->phs, b->n_phs * sizeof(*c->phs));
    c->n_phs = b->n_phs;
    c->executor_input = b->ph_executor_input;
    c->opaque_phs = b->ph_opaque;
    return c;
}

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
            e->container = make_container(b, v, 0, what);
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
                struct kfp_container *c = make_container(b, ic, 0, what);
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

/* The definition named `name` of the expected kind, else of the other kind. */
static const struct kfp_iodef *find_def(const struct kfp_iodefs *d, const char *name, int artifact)
{
    const struct kfp_iodef *def = kfp_iodefs_find(d, name, artifact);
    return def ? def : kfp_iodefs_find(d, name, !artifact);
}

/* Sets producer_task and output_def (or input_def) of a source from the names it holds. A
 * definition of the expected kind is preferred; one of the other kind is still recorded
 * (type-mismatch and unknown-output report it). */
static void resolve_source(const struct kfp_dag *dag, struct kfp_source_ref *s, int artifact)
{
    if (s->kind == KFP_SRC_COMPONENT_INPUT && s->input.name && dag->owner)
        s->input_def = find_def(&dag->owner->inputs, s->input.name, artifact);
    if ((s->kind != KFP_SRC_TASK_OUTPUT && s->kind != KFP_SRC_FINAL_STATUS) || !s->producer.name)
        return;
    s->producer_task = kfp_strmap_get(&dag->by_key, s->producer.name);
    if (s->kind == KFP_SRC_TASK_OUTPUT && s->producer_task && s->producer_task->component && s->output.name) {
        s->output_def = find_def(&s->producer_task->component->outputs, s->output.name, artifact);
    }
}

/* Resolves a task's names once: its inputs' definitions and sources, dependentTasks. */
static void resolve_task(const struct kfp_dag *dag, struct kfp_task *t)
{
    for (size_t k = 0; k < t->n_inputs; k++) {
        struct kfp_task_input *in = &t->inputs[k];
        if (t->component && in->name.name)
            in->def = kfp_iodefs_find(&t->component->inputs, in->name.name, -1);
        resolve_source(dag, &in->src, in->artifact);
    }
    for (size_t k = 0; k < t->n_platform_srcs; k++)
        resolve_source(dag, &t->platform_srcs[k], 0);
    for (size_t k = 0; k < t->n_deps; k++)
        t->dep_tasks[k] = kfp_strmap_get(&dag->by_key, t->deps[k].name);
}

static int pipeline_spec(struct builder *b)
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
            resolve_task(dag, &dag->tasks[i]);
        for (size_t o = 0; o < dag->n_outputs; o++)
            for (size_t k = 0; k < dag->outputs[o].n_sels; k++)
                resolve_source(dag, &dag->outputs[o].sels[k], dag->outputs[o].artifact);
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
    struct kfp_dag *d = kfp_arena_calloc(b->a, 1, sizeof(*d));
    TRYP(d);
    d->node = g;
    d->owner = c;
    c->dag = d;
    const struct kfp_node *tasks = map_or_null(kfp_map_get(g, "tasks", NULL));
    d->tasks_node = tasks;
    d->tasks = kfp_arena_calloc(b->a, tasks && tasks->len ? tasks->len : 1, sizeof(*d->tasks));
    TRYP(d->tasks);
    for (uint32_t i = 0; tasks && i < tasks->len; i++) {
        struct kfp_task *t = &d->tasks[d->n_tasks++];
        t->key = key_ref(&tasks->u.pairs[i]);
        t->node = map_or_null(&tasks->u.pairs[i].value);
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
    TRY(dag_index(b, d));
    for (size_t i = 0; i < d->n_tasks; i++)
        resolve_task(d, &d->tasks[i]);
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
    return add_dag(b, d);
}

static int v1_component(struct builder *b)
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
        e->container = make_container(b, cn, 1, what);
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

/* ------------------------------------------------------------------ detection */

bool kfp_env_name_valid(const char *s, size_t n)
{
    if (n == 0 || isdigit((unsigned char)s[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_'))
            return false;
    return true;
}

const char *kfp_doc_kind_name(enum kfp_doc_kind k)
{
    switch (k) {
    case KFP_DOC_PIPELINE: return "v2 IR pipeline";
    case KFP_DOC_PIPELINE_JOB: return "PipelineJob";
    case KFP_DOC_COMPONENT_IR: return "v2 IR component";
    case KFP_DOC_COMPONENT_V1: return "v1 component";
    case KFP_DOC_PLATFORM_ONLY: return "platform spec";
    case KFP_DOC_ARGO: return "Argo workflow";
    default: return "unknown document";
    }
}

static int is_pipeline_spec(const struct kfp_node *n)
{
    return kfp_map_get(n, "pipelineInfo", NULL) || kfp_map_get(n, "root", NULL) ||
           kfp_map_get(n, "deploymentSpec", NULL) ||
           (kfp_map_get(n, "components", NULL) && kfp_map_get(n, "schemaVersion", NULL));
}

/* Collects every container (executor containers, then platform init containers) into one flat
 * list, so the container rules need no walk of their own. */
static int collect_containers(struct builder *b)
{
    struct kfp_model *m = b->m;
    size_t n = 0;
    for (size_t i = 0; i < m->n_executors; i++)
        n += (m->executors[i]->container ? 1 : 0) + m->executors[i]->n_init;
    m->containers = kfp_arena_alloc(b->a, (n ? n : 1) * sizeof(*m->containers));
    TRYP(m->containers);
    for (size_t i = 0; i < m->n_executors; i++) {
        const struct kfp_executor *e = m->executors[i];
        if (e->container)
            m->containers[m->n_containers++] = e->container;
        for (size_t j = 0; j < e->n_init; j++)
            m->containers[m->n_containers++] = &e->init[j];
    }
    return KFP_OK;
}

static int build(struct builder *b, const struct kfp_doc *doc, struct kfp_error *err);

static bool is_platform_doc(const struct kfp_node *n)
{
    return kfp_map_get(n, "platforms", NULL) != NULL;
}

/* The model of the first pipeline document, then (multi-document YAML) one more model for each
 * further pipeline-spec document, chained through m->next: each sees the documents from its own
 * on, so every pipeline of the file is linted, and all use the file's first PlatformSpec
 * (the API server takes one). Built in a loop, not recursively: linear in the documents. */
int kfp_model_build(struct kfp_arena *a, const struct kfp_doc *doc, struct kfp_model *m,
                    struct kfp_error *err)
{
    struct builder b = {.a = a, .m = m};
    int rc = build(&b, doc, err);
    struct kfp_model *last = m;
    b.platform_known = true; /* linear: the platform search is not repeated per document */
    b.platform = m->platform;
    b.platform_doc = m->platform_doc;
    for (size_t i = m->top_index + 1; rc == KFP_OK && m->spec && i < doc->n_roots; i++) {
        if (is_platform_doc(doc->roots[i]) || !is_pipeline_spec(doc->roots[i]))
            continue;
        struct kfp_doc *sub = kfp_arena_alloc(a, sizeof(*sub));
        struct kfp_model *next = kfp_arena_alloc(a, sizeof(*next));
        if (!sub || !next) {
            rc = kfp_error_set(err, "out of memory");
            break;
        }
        *sub = *doc;
        sub->roots = doc->roots + i;
        sub->n_roots = doc->n_roots - i;
        b.m = next;
        b.cap_dags = 0; /* the capacity is the model's: next->dags starts empty */
        rc = build(&b, sub, err);
        next->top_index = i; /* in the whole file */
        last->next = next;
        last = next;
    }
    kfp_free(b.phs);
    return rc;
}

static int build(struct builder *b, const struct kfp_doc *doc, struct kfp_error *err)
{
    struct kfp_model *m = b->m;
    memset(m, 0, sizeof(*m));
    m->doc = doc;
    m->kind = KFP_DOC_UNKNOWN;
    if (doc->n_roots == 0)
        return KFP_OK;
    for (size_t i = 0; i < doc->n_roots; i++) /* Argo manifests: src/model_argo.c */
        if (kfp_argo_detect(kfp_deref(doc->roots[i]), NULL)) {
            m->kind = KFP_DOC_ARGO;
            m->top = map_or_null(doc->roots[i]);
            m->top_index = i;
            return kfp_argo_build(b->a, m) ? kfp_error_set(err, "out of memory") : KFP_OK;
        }
    /* the pipeline is the first mapping document that is not a PlatformSpec (KFP takes them in
     * any order and skips empty documents); a file of platform specs alone keeps its first */
    size_t ti = doc->n_roots, first_map = doc->n_roots;
    for (size_t i = 0; i < doc->n_roots && ti == doc->n_roots; i++) {
        if (!map_or_null(doc->roots[i]))
            continue;
        if (first_map == doc->n_roots)
            first_map = i;
        if (!is_platform_doc(doc->roots[i]))
            ti = i;
    }
    if (ti == doc->n_roots)
        ti = first_map < doc->n_roots ? first_map : 0;
    m->top_index = ti;
    const struct kfp_node *top = map_or_null(doc->roots[ti]);
    m->top = top;
    if (!top)
        return KFP_OK;
    for (size_t i = 0; i < doc->n_roots && !b->platform_known; i++) {
        const struct kfp_node *p = kfp_map_get(kfp_map_get(doc->roots[i], "platforms", NULL),
                                               "kubernetes", NULL);
        if (p) {
            m->platform = map_or_null(p);
            m->platform_doc = kfp_deref(doc->roots[i]);
            break;
        }
    }
    if (b->platform_known) {
        m->platform = b->platform;
        m->platform_doc = b->platform_doc;
    }
    const struct kfp_node *v;
    if ((v = map_or_null(kfp_map_get(top, "pipelineSpec", NULL)))) {
        m->kind = KFP_DOC_PIPELINE_JOB;
        m->spec = v;
        const struct kfp_node *rc = kfp_map_get(top, "runtimeConfig", NULL);
        m->runtime_params = map_or_null(kfp_map_get(rc, "parameterValues", NULL));
        if (!m->runtime_params) {
            m->runtime_params = map_or_null(kfp_map_get(rc, "parameters", NULL));
            m->runtime_legacy = m->runtime_params != NULL;
        }
    } else if (is_pipeline_spec(top)) {
        m->kind = KFP_DOC_PIPELINE;
        m->spec = top;
    } else if (kfp_map_get(top, "implementation", NULL)) {
        m->kind = KFP_DOC_COMPONENT_V1;
        if (v1_component(b) || collect_containers(b))
            goto nomem;
        return KFP_OK;
    } else if (m->platform_doc == top) {
        m->kind = KFP_DOC_PLATFORM_ONLY;
        return KFP_OK;
    } else {
        return KFP_OK;
    }
    if (pipeline_spec(b) || collect_containers(b))
        goto nomem;
    if (m->kind == KFP_DOC_PIPELINE && m->root && m->root->dag && m->root->dag->n_tasks == 1 &&
        m->n_components == 1 && m->n_executors == 1)
        m->kind = KFP_DOC_COMPONENT_IR;
    return KFP_OK;
nomem:
    return kfp_error_set(err, "out of memory");
}
