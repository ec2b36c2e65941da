/* model.c — node tree → normalised pipeline model: kfp_model_build (detection and dispatch to
 * the builder of each format) and what the builders share (parameter types, input/output
 * definitions, DAG indexes, containers and their placeholders, source resolution).
 *
 * Detection is by content: a `pipelineSpec` key makes a PipelineJob, `pipelineInfo`/`root`/
 * `deploymentSpec`/`components` a PipelineSpec, `implementation` a v1 ComponentSpec, `platforms`
 * alone a PlatformSpec. The builders: src/model_ir.c (v2 IR), src/model_v1.c (v1 ComponentSpec),
 * src/model_argo.c (Argo). Building is flat loops over the components and executors maps, never
 * recursion over user data; every name table is a hash map.
 */
#include "kfplint/model.h"
#include "kfplint/alloc.h"
#include "kfplint/argo.h"
#include "model_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

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

int kfp_model_iodefs_alloc(struct builder *b, struct kfp_iodefs *d, size_t n)
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

int kfp_model_iodefs_add(struct builder *b, struct kfp_iodefs *d, struct kfp_iodef *def)
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

/* ------------------------------------------------------------------ DAGs */

int kfp_model_dag_index(struct builder *b, struct kfp_dag *d)
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

struct kfp_dag *kfp_model_new_dag(struct builder *b, struct kfp_component *c, const struct kfp_node *n)
{
    struct kfp_dag *d = kfp_arena_calloc(b->a, 1, sizeof(*d));
    const struct kfp_node *tasks = map_or_null(kfp_map_get(n, "tasks", NULL));
    if (!d || !(d->tasks = kfp_arena_calloc(b->a, tasks && tasks->len ? tasks->len : 1, sizeof(*d->tasks))))
        return NULL;
    d->node = n;
    d->owner = c;
    d->tasks_node = tasks;
    c->dag = d;
    for (uint32_t i = 0; tasks && i < tasks->len; i++) {
        struct kfp_task *t = &d->tasks[d->n_tasks++];
        t->key = key_ref(&tasks->u.pairs[i]);
        t->node = map_or_null(&tasks->u.pairs[i].value);
    }
    return d;
}

int kfp_model_add_dag(struct builder *b, struct kfp_dag *d)
{
    struct kfp_vec v = {(void **)b->m->dags, b->m->n_dags, b->cap_dags};
    TRY(kfp_vec_push(b->a, &v, d));
    b->m->dags = (struct kfp_dag **)v.items;
    b->m->n_dags = v.len;
    b->cap_dags = v.cap;
    return KFP_OK;
}

/* ------------------------------------------------------------------ containers */

int kfp_model_add_ph(struct builder *b, enum kfp_ph_kind kind, const char *name, size_t name_len,
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
int kfp_model_scan_v2_string(struct builder *b, const struct kfp_node *n)
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
            TRY(kfp_model_add_ph(b, forms[f].kind, name, (size_t)(close - name),
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
        TRY(kfp_model_add_ph(b, KFP_PH_IN_ANY, name, (size_t)(close - name),
                             kfp_node_subspan(&b->m->doc->src, n, name, (size_t)(close - name)), NULL));
        p = close;
    }
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

static int scan_strings(struct builder *b, const struct kfp_node *seq)
{
    seq = seq_or_null(seq);
    for (uint32_t i = 0; seq && i < seq->len; i++) {
        const struct kfp_node *s = kfp_deref(&seq->u.items[i]);
        if (s && s->kind == KFP_NODE_SCALAR)
            TRY(kfp_model_scan_v2_string(b, s));
    }
    return KFP_OK;
}

struct kfp_container *kfp_model_make_container(struct builder *b, const struct kfp_node *cn, int v1,
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
        if (kfp_model_container_env_v1(b, c, c->env_node) || kfp_model_scan_v1_args(b, c->command) ||
            kfp_model_scan_v1_args(b, c->args))
            return NULL;
        for (size_t i = 0; i < c->n_env; i++) /* a string or a v1 placeholder */
            if (kfp_model_scan_v1_args(b, c->env[i].value))
                return NULL;
        const struct kfp_node *fo = map_or_null(kfp_map_get(cn, "fileOutputs", NULL));
        for (uint32_t i = 0; fo && i < fo->len; i++) {
            struct kfp_ref r = key_ref(&fo->u.pairs[i]);
            if (r.name && kfp_model_add_ph(b, KFP_PH_OUT_PARAM, r.name, strlen(r.name), r.node->span,
                                           "fileOutputs"))
                return NULL;
        }
    } else {
        if (container_env_v2(b, c, c->env_node) || scan_strings(b, c->command) ||
            scan_strings(b, c->args))
            return NULL;
        for (size_t i = 0; i < c->n_env; i++) {
            const struct kfp_node *val = kfp_deref(c->env[i].value);
            if (val && val->kind == KFP_NODE_SCALAR && kfp_model_scan_v2_string(b, val))
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

/* ------------------------------------------------------------------ resolution */

/* The definition named `name` of the expected kind, else of the other kind. */
static const struct kfp_iodef *find_def(const struct kfp_iodefs *d, const char *name, int artifact)
{
    const struct kfp_iodef *def = kfp_iodefs_find(d, name, artifact);
    return def ? def : kfp_iodefs_find(d, name, !artifact);
}

/* Sets producer_task and output_def (or input_def) of a source from the names it holds. A
 * definition of the expected kind is preferred; one of the other kind is still recorded
 * (type-mismatch and unknown-output report it). */
void kfp_model_resolve_source(const struct kfp_dag *dag, struct kfp_source_ref *s, int artifact)
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
void kfp_model_resolve_task(const struct kfp_dag *dag, struct kfp_task *t)
{
    for (size_t k = 0; k < t->n_inputs; k++) {
        struct kfp_task_input *in = &t->inputs[k];
        if (t->component && in->name.name)
            in->def = kfp_iodefs_find(&t->component->inputs, in->name.name, -1);
        kfp_model_resolve_source(dag, &in->src, in->artifact);
    }
    for (size_t k = 0; k < t->n_platform_srcs; k++)
        kfp_model_resolve_source(dag, &t->platform_srcs[k], 0);
    for (size_t k = 0; k < t->n_deps; k++)
        t->dep_tasks[k] = kfp_strmap_get(&dag->by_key, t->deps[k].name);
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
        if (kfp_model_v1_component(b) || collect_containers(b))
            goto nomem;
        return KFP_OK;
    } else if (m->platform_doc == top) {
        m->kind = KFP_DOC_PLATFORM_ONLY;
        return KFP_OK;
    } else {
        return KFP_OK;
    }
    if (kfp_model_pipeline_spec(b) || collect_containers(b))
        goto nomem;
    if (m->kind == KFP_DOC_PIPELINE && m->root && m->root->dag && m->root->dag->n_tasks == 1 &&
        m->n_components == 1 && m->n_executors == 1)
        m->kind = KFP_DOC_COMPONENT_IR;
    return KFP_OK;
nomem:
    return kfp_error_set(err, "out of memory");
}
