/* model_argo.c — Argo Workflows manifests → the shared model plus the Argo extension
 * (kfp_argo_detect, kfp_argo_build).
 *
 * Each Workflow / WorkflowTemplate / ClusterWorkflowTemplate / CronWorkflow document of a file is
 * read: templates become components (inputs/outputs → definitions), `dag` and `steps` templates
 * become DAGs whose tasks carry their dependencies (`dependencies`, names in `depends`) and
 * sources (`{{tasks.X.outputs.parameters.Y}}`, `{{steps.X…}}`, `{{inputs.parameters.p}}`, each
 * at the exact bytes of the name inside its string, through a small scalar node made for it),
 * and container / script / init / sidecar / containerSet containers become containers. Every
 * `{{…}}` tag is recorded once with its scope (document, template, task) for the argo-* rules.
 * Walks are iterative; names are found through hash maps; the work is linear in the tree.
 */
#include "kfplint/argo.h"
#include "model_int.h"

#include <string.h>


static const char *const ttype_keys[] = {
    /* ORDER enum kfp_argo_ttype */
    "", "container", "script", "resource", "dag", "steps", "suspend", "containerSet", "http",
    "data", "plugin",
};
#define N_TTYPES (sizeof(ttype_keys) / sizeof(ttype_keys[0]))

const char *kfp_argo_ttype_name(enum kfp_argo_ttype t)
{
    return (size_t)t < N_TTYPES ? ttype_keys[t] : "";
}

/* A growable array of structs in the arena (old storage abandoned on growth: linear total). */
struct grow {
    void *items;
    size_t n, cap, size;
};

/* Appends a zeroed slot and returns it (arena memory; the old storage is abandoned on growth).
 * NULL when the arena is out of memory: g is then unchanged. */
static void *grow_push(struct kfp_arena *a, struct grow *g)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        void *p = kfp_arena_alloc(a, cap * g->size);
        if (!p)
            return NULL;
        if (g->n)
            memcpy(p, g->items, g->n * g->size);
        g->items = p;
        g->cap = cap;
    }
    void *slot = (char *)g->items + g->n++ * g->size;
    memset(slot, 0, g->size);
    return slot;
}

struct abuilder {
    struct kfp_arena *a;
    struct kfp_model *m;
    struct kfp_argo *x;
    struct grow vars;       /* struct kfp_argo_var */
    struct grow containers; /* const struct kfp_container * */
    struct grow executors;  /* struct kfp_executor * */
    struct grow dags;       /* struct kfp_dag * */
    struct grow comps;      /* struct kfp_component * */
    struct grow templates;  /* struct kfp_argo_template * */
    /* per task while it is walked */
    struct grow extra;      /* struct kfp_source_ref: sources other than an argument's first */
    struct grow phs;        /* struct kfp_placeholder of the current leaf template */
    struct grow outs;       /* struct kfp_dag_output of the current dag/steps template */
};

/* Like ref_of, but a null scalar (`name: ~`) names nothing: Argo reads it as absent. */
static struct kfp_ref argo_ref(const struct kfp_node *n)
{
    struct kfp_ref r = {NULL, NULL};
    n = kfp_deref(n);
    if (n && n->kind == KFP_NODE_SCALAR && kfp_scalar_type(n) != KFP_SCALAR_NULL) {
        r.name = n->u.str;
        r.node = n;
    }
    return r;
}


/* The value of key `name` (exact spelling: Argo's JSON names, no snake_case). */
static inline const struct kfp_node *get(const struct kfp_node *m, const char *name,
                                         const struct kfp_node **key_out)
{
    m = map_or_null(m);
    size_t nl = strlen(name); /* a literal: folded by the compiler */
    for (uint32_t i = 0; m && i < m->len; i++) {
        const struct kfp_node *k = &m->u.pairs[i].key;
        if (k->kind == KFP_NODE_SCALAR && k->len == nl && !memcmp(k->u.str, name, nl)) {
            if (key_out)
                *key_out = &m->u.pairs[i].key;
            return kfp_deref(&m->u.pairs[i].value);
        }
    }
    return NULL;
}

static bool is_null(const struct kfp_node *n)
{
    return !n || kfp_scalar_type(n) == KFP_SCALAR_NULL;
}

bool kfp_argo_detect(const struct kfp_node *n, enum kfp_argo_kind *kind)
{
    static const char *const kinds[] = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate",
                                        "CronWorkflow"};
    const char *api = kfp_scalar(get(n, "apiVersion", NULL));
    const char *k = kfp_scalar(get(n, "kind", NULL));
    if (!api || !k || strncmp(api, "argoproj.io/", 12) != 0)
        return false;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (!strcmp(k, kinds[i])) {
            if (kind)
                *kind = (enum kfp_argo_kind)i;
            return true;
        }
    return false;
}

/* A scalar node (arena) standing for the bytes [s, s + len) of tag v's text: its span is their
 * exact place in the source when the source spells the tag verbatim; otherwise the tag's span,
 * and a style (block) that makes a fix rewrite nothing inside it. NULL when out of memory. */
static const struct kfp_node *piece(struct abuilder *b, const struct kfp_argo_var *v, const char *s,
                                    size_t len)
{
    struct kfp_node *p = kfp_arena_calloc(b->a, 1, sizeof(*p));
    if (!p)
        return NULL;
    char *str = kfp_arena_strndup(b->a, s, len);
    if (!str)
        return NULL;
    p->kind = KFP_NODE_SCALAR;
    p->style = KFP_STYLE_PLAIN;
    p->len = (unsigned)len;
    p->u.str = str;
    if (v->exact) {
        p->span.start = v->span.start + v->text_off + (uint32_t)(s - v->text);
        p->span.end = p->span.start + (uint32_t)len;
    } else {
        p->span = v->span;
        p->style = KFP_STYLE_BLOCK; /* not a place to rewrite */
    }
    return p;
}

/* ------------------------------------------------------------------ definitions */

static const char *const artifact_sources[] = {
    "from", "fromExpression", "raw", "s3", "gcs", "git", "http", "artifactory", "hdfs", "oss",
    "azure", "plugin",
};

/* Template inputs/outputs {parameters: [{name…}], artifacts: [{name…}]} → definitions (arena). A
 * parameter with value/default (inputs: or valueFrom) and an artifact with a source count as
 * having a default. KFP_ERR when the arena is out of memory. */
static int iodefs(struct abuilder *b, const struct kfp_node *io, struct kfp_iodefs *d, int inputs)
{
    const struct kfp_node *params = seq_or_null(get(io, "parameters", NULL));
    const struct kfp_node *arts = seq_or_null(get(io, "artifacts", NULL));
    size_t n = (params ? params->len : 0) + (arts ? arts->len : 0);
    d->items = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*d->items));
    TRYP(d->items);
    d->n = 0;
    d->index = NULL;
    if (n > KFP_IODEFS_INDEXED) {
        d->index = kfp_arena_alloc(b->a, sizeof(*d->index));
        TRYP(d->index);
        TRY(kfp_strmap_init(b->a, &d->index->params, n));
        TRY(kfp_strmap_init(b->a, &d->index->artifacts, n));
    }
    for (int pass = 0; pass < 2; pass++) {
        const struct kfp_node *list = pass ? arts : params;
        for (uint32_t i = 0; list && i < list->len; i++) {
            const struct kfp_node *e = map_or_null(&list->u.items[i]);
            struct kfp_iodef def;
            memset(&def, 0, sizeof(def));
            def.node = e;
            def.name = argo_ref(get(e, "name", NULL));
            def.artifact = (uint8_t)pass;
            if (!def.name.name)
                continue;
            if (pass == 0) {
                def.has_default = get(e, "value", NULL) || get(e, "default", NULL) ||
                                  (inputs && get(e, "valueFrom", NULL));
            } else {
                for (size_t k = 0; k < sizeof(artifact_sources) / sizeof(artifact_sources[0]); k++)
                    def.has_default |= get(e, artifact_sources[k], NULL) != NULL;
                const struct kfp_node *opt = get(e, "optional", NULL);
                def.optional = opt && kfp_scalar_type(opt) == KFP_SCALAR_BOOL &&
                               !strcmp(kfp_scalar(opt), "true");
            }
            def.name_hash = kfp_strmap_hash(def.name.name);
            d->items[d->n] = def;
            if (d->index)
                TRY(kfp_strmap_put(b->a, pass ? &d->index->artifacts : &d->index->params,
                                   def.name.name, &d->items[d->n], NULL));
            d->n++;
        }
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ containers */

/* A Kubernetes container (container, script, init, sidecar, containerSet member) → a model
 * container (arena), added to the model's list; a missing image falls back to templateDefaults'.
 * NULL when the arena is out of memory. */
static struct kfp_container *container(struct abuilder *b, const struct kfp_node *cn,
                                       const struct kfp_node *default_image, const char *what)
{
    struct kfp_container *c = kfp_arena_calloc(b->a, 1, sizeof(*c));
    if (!c)
        return NULL;
    c->node = cn;
    c->what = what;
    c->image = get(cn, "image", &c->image_key);
    if (!c->image && default_image)
        c->image = default_image;
    c->command = get(cn, "command", NULL);
    c->args = get(cn, "args", NULL);
    c->env_node = get(cn, "env", NULL);
    c->env_from = get(cn, "envFrom", NULL);
    const struct kfp_node *env = seq_or_null(c->env_node);
    if (env) {
        c->env = kfp_arena_calloc(b->a, env->len ? env->len : 1, sizeof(*c->env));
        if (!c->env)
            return NULL;
        for (uint32_t i = 0; i < env->len; i++) {
            struct kfp_env *e = &c->env[c->n_env++];
            e->node = kfp_deref(&env->u.items[i]);
            e->name = argo_ref(get(e->node, "name", NULL));
            e->value = get(e->node, "value", NULL);
            e->index = i;
        }
    }
    const struct kfp_container **slot = grow_push(b->a, &b->containers);
    if (!slot)
        return NULL;
    *slot = c;
    return c;
}

/* Containers of a list (initContainers, sidecars, containerSet.containers). */
static int container_list(struct abuilder *b, const struct kfp_node *list, const char *kind,
                          const char *tname, const struct kfp_node *default_image)
{
    list = seq_or_null(list);
    for (uint32_t i = 0; list && i < list->len; i++) {
        const struct kfp_node *cn = map_or_null(&list->u.items[i]);
        if (!cn)
            continue;
        const char *nm = kfp_scalar(get(cn, "name", NULL));
        const char *what = kfp_arena_printf(b->a, "%s '%s' of template '%s'", kind, nm ? nm : "",
                                            tname);
        TRYP(what);
        struct kfp_container *c = container(b, cn, default_image, what);
        TRYP(c);
        c->image_field = "its image";
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ variables */

struct scope {
    struct kfp_argo_doc *doc;
    struct kfp_argo_template *tmpl;
    struct kfp_argo_task *task;
    struct kfp_dag *dag;           /* the DAG the task belongs to, or the template's own DAG */
    int arg_input;                 /* index of the task input whose value is walked, or -1 */
    uint8_t in_when;
    uint8_t in_hooks;              /* the task's own hooks/onExit: they run after it */
    uint8_t leaf_container;        /* container/script template: inputs.* are placeholders */
};

/* Splits "a.b.c" at the first '.' from p: returns the segment length. */
static size_t seg(const char *p, const char *end)
{
    const char *d = memchr(p, '.', (size_t)(end - p));
    return d ? (size_t)(d - p) : (size_t)(end - p);
}

static bool starts(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* Adds a source for the task walked: the first source of the right kind (artifact 0/1) in an
 * argument's value is that input's source; every other goes to the task's extra sources. */
static int add_source(struct abuilder *b, struct scope *sc, const struct kfp_source_ref *s,
                      int artifact)
{
    struct kfp_task *t = sc->task->task;
    if (sc->arg_input >= 0 && t->inputs[sc->arg_input].src.kind == KFP_SRC_NONE &&
        t->inputs[sc->arg_input].artifact == artifact) {
        t->inputs[sc->arg_input].src = *s;
        return KFP_OK;
    }
    struct kfp_source_ref *e = grow_push(b->a, &b->extra);
    TRYP(e);
    *e = *s;
    return KFP_OK;
}

/* Turns a tag into a source of the shared model where it is one. */
static int classify(struct abuilder *b, struct scope *sc, struct kfp_argo_var *v)
{
    const char *p = v->text, *end = v->text + v->len;
    if (v->unterminated || (v->len && p[0] == '='))
        return KFP_OK;
    bool in_task = sc->task != NULL;
    const char *root = NULL;
    if (starts(p, end, "tasks.") && sc->tmpl && sc->tmpl->type == KFP_ARGO_T_DAG)
        root = "tasks.";
    else if (starts(p, end, "steps.") && sc->tmpl && sc->tmpl->type == KFP_ARGO_T_STEPS)
        root = "steps.";
    if (root && sc->dag) {
        const char *x = p + 6;
        size_t xl = seg(x, end);
        if (!xl || (xl == 4 && !memcmp(x, "name", 4) && x + xl == end))
            return KFP_OK; /* {{tasks.name}}: the running task's own name */
        const char *rest = x + xl;
        struct kfp_source_ref s;
        memset(&s, 0, sizeof(s));
        s.producer.node = piece(b, v, x, xl);
        TRYP(s.producer.node);
        s.producer.name = s.producer.node->u.str;
        s.node = s.producer.node;
        s.producer_task = kfp_strmap_get(&sc->dag->by_key, s.producer.name);
        if (in_task && sc->in_hooks && s.producer_task == sc->task->task) {
            /* A task's own hooks run after it and may read its outputs and status (Argo's
             * validate.go puts them in scope): not a dependency, argo-unknown-variable checks
             * the rest of the name. */
            v->sourced = 0;
            return KFP_OK;
        }
        int artifact = -1;
        if (starts(rest, end, ".outputs.parameters."))
            artifact = 0;
        else if (starts(rest, end, ".outputs.artifacts."))
            artifact = 1;
        const char *y = rest + (artifact == 0 ? 20 : 19);
        size_t yl = artifact >= 0 ? seg(y, end) : 0;
        bool primary = in_task && sc->arg_input >= 0 &&
                       sc->task->task->inputs[sc->arg_input].artifact == artifact &&
                       sc->task->task->inputs[sc->arg_input].src.kind == KFP_SRC_NONE;
        if (artifact >= 0 && yl && (artifact == 0 || primary || !in_task)) {
            s.kind = KFP_SRC_TASK_OUTPUT;
            s.output.node = piece(b, v, y, yl);
            TRYP(s.output.node);
            s.output.name = s.output.node->u.str;
            const struct kfp_task *pt = s.producer_task;
            if (pt && pt->component) {
                s.output_def = kfp_iodefs_find(&pt->component->outputs, s.output.name, artifact);
                if (!s.output_def)
                    s.output_def = kfp_iodefs_find(&pt->component->outputs, s.output.name, !artifact);
            }
            v->sourced = 1;
        } else {
            s.kind = KFP_SRC_FINAL_STATUS; /* the task only: the rest is argo-variable's */
            v->sourced = 2;
        }
        if (in_task)
            return add_source(b, sc, &s, s.kind == KFP_SRC_TASK_OUTPUT ? artifact : -1);
        if (s.kind != KFP_SRC_TASK_OUTPUT) {
            v->sourced = 0;
            return KFP_OK;
        }
        /* a dag/steps template's own outputs: {{tasks.X.outputs.parameters.Y}} */
        struct kfp_dag_output *o = grow_push(b->a, &b->outs);
        TRYP(o);
        o->name.name = sc->tmpl->name.name;
        o->name.node = v->node;
        o->artifact = artifact;
        o->sels = kfp_arena_alloc(b->a, sizeof(*o->sels));
        TRYP(o->sels);
        o->sels[0] = s;
        o->n_sels = 1;
        return KFP_OK;
    }
    int artifact = -1;
    if (starts(p, end, "inputs.parameters."))
        artifact = 0;
    else if (starts(p, end, "inputs.artifacts."))
        artifact = 1;
    if (artifact < 0 || !sc->tmpl)
        return KFP_OK;
    const char *y = p + (artifact ? 17 : 18);
    size_t yl = seg(y, end);
    if (!yl)
        return KFP_OK;
    if (in_task && (artifact == 0 || (sc->arg_input >= 0 && sc->task->task->inputs[sc->arg_input].artifact &&
                                      sc->task->task->inputs[sc->arg_input].src.kind == KFP_SRC_NONE))) {
        struct kfp_source_ref s;
        memset(&s, 0, sizeof(s));
        s.kind = KFP_SRC_COMPONENT_INPUT;
        s.input.node = piece(b, v, y, yl);
        TRYP(s.input.node);
        s.input.name = s.input.node->u.str;
        s.node = s.input.node;
        s.input_def = kfp_iodefs_find(&sc->tmpl->comp->inputs, s.input.name, artifact);
        if (!s.input_def)
            s.input_def = kfp_iodefs_find(&sc->tmpl->comp->inputs, s.input.name, !artifact);
        v->sourced = 1;
        return add_source(b, sc, &s, artifact);
    }
    if (!in_task && sc->leaf_container) {
        struct kfp_placeholder *ph = grow_push(b->a, &b->phs);
        TRYP(ph);
        ph->kind = artifact ? KFP_PH_IN_ARTIFACT : KFP_PH_IN_PARAM;
        const struct kfp_node *pn = piece(b, v, y, yl);
        TRYP(pn);
        ph->name = pn->u.str;
        ph->span = pn->span;
        v->sourced = 1;
    }
    return KFP_OK;
}

/* Records every `{{…}}` of scalar n as a tag (arena) and classifies it. KFP_ERR when out of
 * memory. */
static int scan_scalar(struct abuilder *b, struct scope *sc, const struct kfp_node *n)
{
    const char *s = n->u.str, *end = s + n->len;
    const char *p = memchr(s, '{', n->len);
    while (p && (p = memmem(p, (size_t)(end - p), "{{", 2))) {
        struct kfp_argo_var *v = grow_push(b->a, &b->vars);
        TRYP(v);
        v->node = n;
        v->doc = sc->doc;
        v->tmpl = sc->tmpl;
        v->task = sc->task;
        v->in_when = sc->in_when;
        const char *close = memmem(p + 2, (size_t)(end - p - 2), "}}", 2);
        const char *t = p + 2, *te = close ? close : end;
        if (!close)
            v->unterminated = 1;
        while (t < te && (*t == ' ' || *t == '\t'))
            t++;
        while (te > t && (te[-1] == ' ' || te[-1] == '\t'))
            te--;
        v->text = t;
        v->len = (size_t)(te - t);
        v->text_off = (uint32_t)(t - p);
        size_t full = close ? (size_t)(close + 2 - p) : (size_t)(end - p);
        v->span = kfp_node_subspan(&b->m->doc->src, n, p, full);
        v->exact = close && v->span.end - v->span.start == full;
        TRY(classify(b, sc, v));
        if (!close)
            break;
        p = close + 2;
    }
    return KFP_OK;
}

/* Scans every scalar under n (keys excluded) with an explicit stack (arena); keys of the top
 * mapping named in `skip` are left out (they are walked with their own scope). Aliases are not
 * followed: their anchor is walked where it stands. KFP_ERR when out of memory. */
static int walk(struct abuilder *b, struct scope *sc, const struct kfp_node *n,
                const char *const *skip)
{
    struct kfp_vec stack = {0};
    TRY(kfp_vec_push(b->a, &stack, (void *)n));
    bool top = true;
    while (stack.len) {
        const struct kfp_node *x = stack.items[--stack.len];
        if (!x || x->kind == KFP_NODE_ALIAS)
            continue;
        if (x->kind == KFP_NODE_SCALAR) {
            if (x->len >= 2 && memchr(x->u.str, '{', x->len))
                TRY(scan_scalar(b, sc, x));
            top = false;
            continue;
        }
        if (x->kind == KFP_NODE_SEQ) {
            for (uint32_t i = x->len; i-- > 0;)
                TRY(kfp_vec_push(b->a, &stack, &x->u.items[i]));
            top = false;
            continue;
        }
        for (uint32_t i = x->len; i-- > 0;) {
            if (top && skip) {
                const char *k = kfp_scalar(&x->u.pairs[i].key);
                bool skipped = false;
                for (const char *const *s = skip; k && *s; s++)
                    skipped |= !strcmp(k, *s);
                if (skipped)
                    continue;
            }
            TRY(kfp_vec_push(b->a, &stack, &x->u.pairs[i].value));
        }
        top = false;
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ tasks */

/* Names in a `depends` expression: `(a.Succeeded || b) && !c.Failed` → a, b, c. */
/* Pushes onto `out` a scalar node (arena) for every task name of `depends` dn, at its bytes.
 * KFP_ERR when the arena is out of memory. */
static int depends_names(struct abuilder *b, const struct kfp_node *dn, struct kfp_vec *out)
{
    const char *s = dn->u.str, *end = s + dn->len;
    for (const char *p = s; p < end;) {
        unsigned char ch = (unsigned char)*p;
        bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    ch == '-' || ch == '_';
        if (!word) {
            p++;
            continue;
        }
        const char *w = p;
        while (p < end && (((unsigned char)*p >= 'a' && (unsigned char)*p <= 'z') ||
                           ((unsigned char)*p >= 'A' && (unsigned char)*p <= 'Z') ||
                           ((unsigned char)*p >= '0' && (unsigned char)*p <= '9') || *p == '-' ||
                           *p == '_'))
            p++;
        if (w > s && w[-1] == '.')
            continue; /* the result after a name */
        struct kfp_node *pn = kfp_arena_calloc(b->a, 1, sizeof(*pn));
        TRYP(pn);
        char *str = kfp_arena_strndup(b->a, w, (size_t)(p - w));
        TRYP(str);
        pn->kind = KFP_NODE_SCALAR;
        pn->len = (unsigned)(p - w);
        pn->u.str = str;
        pn->span = kfp_node_subspan(&b->m->doc->src, dn, w, (size_t)(p - w));
        pn->style = pn->span.end - pn->span.start == (uint32_t)(p - w) ? KFP_STYLE_PLAIN : KFP_STYLE_BLOCK;
        TRY(kfp_vec_push(b->a, out, pn));
    }
    return KFP_OK;
}

/* Reads DAG task or step tn into the model task t and its Argo side at (arena): names, loop,
 * condition, dependencies, arguments. Sources are set later by walk_task. KFP_ERR when out of
 * memory. */
static int read_task(struct abuilder *b, struct kfp_argo_template *tp, struct kfp_argo_task *at,
                     struct kfp_task *t, const struct kfp_node *tn, uint32_t group, bool step)
{
    at->task = t;
    at->owner = tp;
    at->group = group;
    at->is_step = step;
    t->node = tn;
    t->key = argo_ref(get(tn, "name", NULL));
    t->display = t->key;
    at->template_name = argo_ref(get(tn, "template", NULL));
    t->component_ref = at->template_name;
    at->template_ref = get(tn, "templateRef", NULL);
    at->inline_tmpl = get(tn, "inline", NULL);
    at->with_items = get(tn, "withItems", &at->with_items_key);
    at->with_param = get(tn, "withParam", &at->with_param_key);
    at->with_sequence = get(tn, "withSequence", &at->with_sequence_key);
    at->with_expression = get(tn, "withExpression", &at->with_expression_key);
    at->when = get(tn, "when", NULL);
    at->hooks = get(tn, "hooks", NULL);
    at->on_exit = get(tn, "onExit", NULL);
    const struct kfp_node *deps = seq_or_null(get(tn, "dependencies", &at->dependencies_key));
    at->depends = get(tn, "depends", &at->depends_key);
    struct kfp_vec dn = {0};
    for (uint32_t j = 0; deps && j < deps->len; j++) {
        struct kfp_ref r = argo_ref(&deps->u.items[j]);
        if (r.name)
            TRY(kfp_vec_push(b->a, &dn, (void *)r.node));
    }
    if (at->depends && at->depends->kind == KFP_NODE_SCALAR)
        TRY(depends_names(b, at->depends, &dn));
    if (dn.len) {
        t->deps = kfp_arena_calloc(b->a, dn.len, sizeof(*t->deps));
        TRYP(t->deps);
        t->dep_tasks = kfp_arena_calloc(b->a, dn.len, sizeof(*t->dep_tasks));
        TRYP(t->dep_tasks);
        for (size_t j = 0; j < dn.len; j++)
            t->deps[t->n_deps++] = argo_ref(dn.items[j]);
    }
    const struct kfp_node *args = get(tn, "arguments", NULL);
    const struct kfp_node *params = seq_or_null(get(args, "parameters", NULL));
    const struct kfp_node *arts = seq_or_null(get(args, "artifacts", NULL));
    size_t n = (params ? params->len : 0) + (arts ? arts->len : 0);
    t->inputs = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*t->inputs));
    TRYP(t->inputs);
    for (int pass = 0; pass < 2; pass++) {
        const struct kfp_node *list = pass ? arts : params;
        for (uint32_t i = 0; list && i < list->len; i++) {
            struct kfp_task_input *in = &t->inputs[t->n_inputs++];
            in->node = map_or_null(&list->u.items[i]);
            in->name = argo_ref(get(in->node, "name", NULL));
            in->artifact = pass;
        }
    }
    return KFP_OK;
}

/* Walks a task's strings (its arguments' values with that input as the place for their first
 * source) and sets its sources. */
static int walk_task(struct abuilder *b, struct scope *sc, struct kfp_argo_task *at)
{
    static const char *const skip[] = {"arguments", "when", "hooks", "onExit", NULL};
    struct kfp_task *t = at->task;
    b->extra.n = 0;
    sc->task = at;
    sc->arg_input = -1;
    TRY(walk(b, sc, t->node, skip));
    sc->in_hooks = 1;
    if (at->hooks)
        TRY(walk(b, sc, at->hooks, NULL));
    if (at->on_exit)
        TRY(walk(b, sc, at->on_exit, NULL));
    sc->in_hooks = 0;
    if (at->when) {
        sc->in_when = 1;
        TRY(walk(b, sc, at->when, NULL));
        sc->in_when = 0;
    }
    for (size_t i = 0; i < t->n_inputs; i++) {
        const struct kfp_node *in = t->inputs[i].node;
        const struct kfp_node *val = get(in, t->inputs[i].artifact ? "from" : "value", NULL);
        static const char *const skip_val[] = {"value", "from", NULL};
        TRY(walk(b, sc, in, skip_val));
        sc->arg_input = (int)i;
        if (val)
            TRY(walk(b, sc, val, NULL));
        sc->arg_input = -1;
        if (t->inputs[i].src.kind == KFP_SRC_NONE && val && val->kind == KFP_NODE_SCALAR) {
            t->inputs[i].src.kind = KFP_SRC_CONSTANT;
            t->inputs[i].src.node = val;
            t->inputs[i].src.constant = val;
        }
    }
    if (b->extra.n) {
        t->platform_srcs = kfp_arena_alloc(b->a, b->extra.n * sizeof(*t->platform_srcs));
        TRYP(t->platform_srcs);
        memcpy(t->platform_srcs, b->extra.items, b->extra.n * sizeof(*t->platform_srcs));
        t->n_platform_srcs = b->extra.n;
    }
    sc->task = NULL;
    return KFP_OK;
}

/* ------------------------------------------------------------------ templates */

/* Template tn → a component, its executor and containers, and for dag/steps a DAG with its
 * tasks (all arena). KFP_ERR when out of memory. */
static int read_template(struct abuilder *b, struct kfp_argo_doc *d, const struct kfp_node *tn,
                         const struct kfp_node *defaults)
{
    struct kfp_argo_template *tp = kfp_arena_calloc(b->a, 1, sizeof(*tp));
    TRYP(tp);
    struct kfp_component *c = kfp_arena_calloc(b->a, 1, sizeof(*c));
    TRYP(c);
    tp->node = tn;
    tp->doc = d;
    tp->comp = c;
    tp->name = argo_ref(get(tn, "name", NULL));
    c->key = tp->name;
    c->node = tn;
    c->index = b->comps.n;
    tp->index = b->templates.n;
    for (uint32_t i = 0; tn && i < tn->len; i++) {
        const char *k = kfp_scalar(&tn->u.pairs[i].key);
        for (size_t t = 1; k && t < N_TTYPES; t++)
            if (!strcmp(k, ttype_keys[t])) {
                if (is_null(kfp_deref(&tn->u.pairs[i].value))) {
                    tp->null_type_key = &tn->u.pairs[i].key;
                } else if (tp->n_types++ == 0) {
                    tp->type = (uint8_t)t;
                    tp->type_key = &tn->u.pairs[i].key;
                } else if (!tp->extra_type_key) {
                    tp->extra_type_key = &tn->u.pairs[i].key;
                }
            }
    }
    tp->retry = get(tn, "retryStrategy", NULL) != NULL;
    TRY(iodefs(b, get(tn, "inputs", NULL), &c->inputs, 1));
    TRY(iodefs(b, get(tn, "outputs", NULL), &c->outputs, 0));
    const char *tname = tp->name.name ? tp->name.name : "";
    const struct kfp_node *dimage = NULL;
    if (tp->type == KFP_ARGO_T_CONTAINER || tp->type == KFP_ARGO_T_SCRIPT)
        dimage = get(get(defaults, ttype_keys[tp->type], NULL), "image", NULL);
    if (tp->type == KFP_ARGO_T_CONTAINER || tp->type == KFP_ARGO_T_SCRIPT) {
        const struct kfp_node *cn = map_or_null(get(tn, ttype_keys[tp->type], NULL));
        if (cn) {
            struct kfp_executor *e = kfp_arena_calloc(b->a, 1, sizeof(*e));
            TRYP(e);
            e->label = tp->name;
            e->node = tn;
            e->kind = KFP_EXEC_CONTAINER;
            e->kind_key = tp->type_key;
            e->component = c;
            const char *what = kfp_arena_printf(b->a, "the %s of template '%s'",
                                                ttype_keys[tp->type], tname);
            TRYP(what);
            e->container = container(b, cn, dimage, what);
            TRYP(e->container);
            e->container->image_field = tp->type == KFP_ARGO_T_SCRIPT ? "script.image" : "container.image";
            c->executor = e;
            c->executor_label = tp->name;
            e->index = b->executors.n;
            struct kfp_executor **slot = grow_push(b->a, &b->executors);
            TRYP(slot);
            *slot = e;
        }
    }
    TRY(container_list(b, get(tn, "initContainers", NULL), "init container", tname, NULL));
    TRY(container_list(b, get(tn, "sidecars", NULL), "sidecar", tname, NULL));
    if (tp->type == KFP_ARGO_T_CONTAINER_SET)
        TRY(container_list(b, get(get(tn, "containerSet", NULL), "containers", NULL),
                           "container", tname, NULL));
    /* DAG tasks or steps */
    const struct kfp_node *tasks = NULL;
    const struct kfp_node *groups = NULL;
    if (tp->type == KFP_ARGO_T_DAG)
        tasks = seq_or_null(get(get(tn, "dag", NULL), "tasks", NULL));
    else if (tp->type == KFP_ARGO_T_STEPS)
        groups = seq_or_null(get(tn, "steps", NULL));
    size_t n = tasks ? tasks->len : 0;
    for (uint32_t g = 0; groups && g < groups->len; g++) {
        const struct kfp_node *gl = seq_or_null(&groups->u.items[g]);
        n += gl ? gl->len : 0;
    }
    /* a DAG must have tasks (empty-dag says so); steps may be empty */
    if (tp->type == KFP_ARGO_T_DAG || (tp->type == KFP_ARGO_T_STEPS && n)) {
        struct kfp_dag *dag = kfp_arena_calloc(b->a, 1, sizeof(*dag));
        TRYP(dag);
        dag->node = get(tn, ttype_keys[tp->type], NULL);
        dag->tasks_node = tasks ? tasks : groups;
        dag->owner = c;
        c->dag = dag;
        dag->tasks = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*dag->tasks));
        TRYP(dag->tasks);
        tp->tasks = kfp_arena_calloc(b->a, n ? n : 1, sizeof(*tp->tasks));
        TRYP(tp->tasks);
        for (uint32_t i = 0; tasks && i < tasks->len; i++) {
            const struct kfp_node *t = map_or_null(&tasks->u.items[i]);
            if (t)
                TRY(read_task(b, tp, &tp->tasks[tp->n_tasks++], &dag->tasks[dag->n_tasks++], t, 0, false));
        }
        for (uint32_t g = 0; groups && g < groups->len; g++) {
            const struct kfp_node *gl = seq_or_null(&groups->u.items[g]);
            for (uint32_t i = 0; gl && i < gl->len; i++) {
                const struct kfp_node *t = map_or_null(&gl->u.items[i]);
                if (t)
                    TRY(read_task(b, tp, &tp->tasks[tp->n_tasks++], &dag->tasks[dag->n_tasks++], t, g, true));
            }
        }
        TRY(kfp_strmap_init(b->a, &dag->by_key, dag->n_tasks));
        for (size_t i = 0; i < dag->n_tasks; i++) {
            struct kfp_task *t = &dag->tasks[i];
            t->index = i;
            t->dag = dag;
            if (t->key.name)
                TRY(kfp_strmap_put(b->a, &dag->by_key, t->key.name, t, NULL));
        }
        struct kfp_dag **slot = grow_push(b->a, &b->dags);
        TRYP(slot);
        *slot = dag;
    }
    struct kfp_component **cs = grow_push(b->a, &b->comps);
    TRYP(cs);
    *cs = c;
    struct kfp_argo_template **ts = grow_push(b->a, &b->templates);
    TRYP(ts);
    *ts = tp;
    return KFP_OK;
}

/* Walks a template's strings once its document's templates are known (tasks resolve to them). */
static int walk_template(struct abuilder *b, struct kfp_argo_template *tp)
{
    struct scope sc;
    memset(&sc, 0, sizeof(sc));
    sc.doc = tp->doc;
    sc.tmpl = tp;
    sc.arg_input = -1;
    sc.dag = tp->comp->dag;
    sc.leaf_container = tp->comp->executor != NULL;
    b->phs.n = 0;
    b->outs.n = 0;
    if (tp->comp->dag) {
        /* resolve each task's template, then walk it */
        for (size_t i = 0; i < tp->n_tasks; i++) {
            struct kfp_argo_task *at = &tp->tasks[i];
            if (at->template_name.name && !at->template_ref)
                at->target = kfp_strmap_get(&tp->doc->by_name, at->template_name.name);
            at->task->component = at->target ? at->target->comp : NULL;
            for (size_t k = 0; k < at->task->n_deps; k++)
                at->task->dep_tasks[k] = kfp_strmap_get(&tp->comp->dag->by_key, at->task->deps[k].name);
            for (size_t k = 0; k < at->task->n_inputs; k++) {
                struct kfp_task_input *in = &at->task->inputs[k];
                if (at->task->component && in->name.name)
                    in->def = kfp_iodefs_find(&at->task->component->inputs, in->name.name, in->artifact);
            }
        }
        for (size_t i = 0; i < tp->n_tasks; i++)
            TRY(walk_task(b, &sc, &tp->tasks[i]));
        static const char *const skip_dag[] = {"dag", "steps", NULL};
        TRY(walk(b, &sc, tp->node, skip_dag));
        static const char *const skip_tasks[] = {"tasks", NULL};
        if (tp->type == KFP_ARGO_T_DAG)
            TRY(walk(b, &sc, tp->comp->dag->node, skip_tasks));
        struct kfp_dag *dag = tp->comp->dag;
        if (b->outs.n) {
            dag->outputs = kfp_arena_alloc(b->a, b->outs.n * sizeof(*dag->outputs));
            TRYP(dag->outputs);
            memcpy(dag->outputs, b->outs.items, b->outs.n * sizeof(*dag->outputs));
            dag->n_outputs = b->outs.n;
        }
    } else {
        TRY(walk(b, &sc, tp->node, NULL));
    }
    struct kfp_container *c = tp->comp->executor ? tp->comp->executor->container : NULL;
    if (c && b->phs.n) {
        c->phs = kfp_arena_alloc(b->a, b->phs.n * sizeof(*c->phs));
        TRYP(c->phs);
        memcpy(c->phs, b->phs.items, b->phs.n * sizeof(*c->phs));
        c->n_phs = b->phs.n;
    }
    return KFP_OK;
}

/* One Argo document: its spec, parameters, templates (indexed by name), then every string of it
 * walked for tags. KFP_ERR when out of memory. */
static int read_doc(struct abuilder *b, struct kfp_argo_doc *d, const struct kfp_node *root)
{
    d->root = root;
    d->kind_node = get(root, "kind", NULL);
    const struct kfp_node *md = get(root, "metadata", NULL);
    d->name = argo_ref(get(md, "name", NULL));
    if (!d->name.name)
        d->name = argo_ref(get(md, "generateName", NULL));
    d->outer_spec = map_or_null(get(root, "spec", &d->spec_key));
    d->spec = d->outer_spec;
    if (d->kind == KFP_ARGO_CRON_WORKFLOW)
        d->spec = map_or_null(get(d->outer_spec, "workflowSpec", &d->spec_key));
    d->entrypoint = argo_ref(get(d->spec, "entrypoint", NULL));
    d->on_exit = argo_ref(get(d->spec, "onExit", NULL));
    d->wf_template_ref = get(d->spec, "workflowTemplateRef", NULL);
    d->params = seq_or_null(get(get(d->spec, "arguments", NULL), "parameters", NULL));
    TRY(kfp_strmap_init(b->a, &d->param_names, d->params ? d->params->len : 0));
    for (uint32_t i = 0; d->params && i < d->params->len; i++) {
        struct kfp_ref r = argo_ref(get(&d->params->u.items[i], "name", NULL));
        if (r.name && !kfp_strmap_get(&d->param_names, r.name))
            TRY(kfp_strmap_put(b->a, &d->param_names, r.name, (void *)r.node, NULL));
    }
    const struct kfp_node *ts = seq_or_null(get(d->spec, "templates", NULL));
    d->templates_node = get(d->spec, "templates", NULL);
    const struct kfp_node *defaults = get(d->spec, "templateDefaults", NULL);
    size_t first = b->templates.n;
    for (uint32_t i = 0; ts && i < ts->len; i++) {
        const struct kfp_node *tn = map_or_null(&ts->u.items[i]);
        if (tn)
            TRY(read_template(b, d, tn, defaults));
    }
    d->n_templates = b->templates.n - first;
    d->templates = kfp_arena_alloc(b->a, (d->n_templates ? d->n_templates : 1) * sizeof(*d->templates));
    TRYP(d->templates);
    TRY(kfp_strmap_init(b->a, &d->by_name, d->n_templates));
    for (size_t i = 0; i < d->n_templates; i++) {
        struct kfp_argo_template *tp = ((struct kfp_argo_template **)b->templates.items)[first + i];
        d->templates[i] = tp;
        if (tp->name.name && !kfp_strmap_get(&d->by_name, tp->name.name))
            TRY(kfp_strmap_put(b->a, &d->by_name, tp->name.name, tp, NULL));
    }
    for (size_t i = 0; i < d->n_templates; i++)
        TRY(walk_template(b, d->templates[i]));
    /* workflow-level strings (arguments, volumes, hooks, podSpecPatch, …) */
    struct scope sc;
    memset(&sc, 0, sizeof(sc));
    sc.doc = d;
    sc.arg_input = -1;
    static const char *const skip[] = {"templates", NULL};
    if (d->spec)
        TRY(walk(b, &sc, d->spec, skip));
    return KFP_OK;
}

int kfp_argo_build(struct kfp_arena *a, struct kfp_model *m)
{
    struct abuilder b;
    memset(&b, 0, sizeof(b));
    b.a = a;
    b.m = m;
    b.vars.size = sizeof(struct kfp_argo_var);
    b.containers.size = sizeof(const struct kfp_container *);
    b.executors.size = sizeof(struct kfp_executor *);
    b.dags.size = sizeof(struct kfp_dag *);
    b.comps.size = sizeof(struct kfp_component *);
    b.templates.size = sizeof(struct kfp_argo_template *);
    b.extra.size = sizeof(struct kfp_source_ref);
    b.phs.size = sizeof(struct kfp_placeholder);
    b.outs.size = sizeof(struct kfp_dag_output);
    struct kfp_argo *x = kfp_arena_calloc(a, 1, sizeof(*x));
    TRYP(x);
    b.x = x;
    m->argo = x;
    const struct kfp_doc *doc = m->doc;
    size_t n = 0;
    for (size_t i = 0; i < doc->n_roots; i++)
        n += kfp_argo_detect(kfp_deref(doc->roots[i]), NULL);
    x->docs = kfp_arena_calloc(a, n ? n : 1, sizeof(*x->docs));
    TRYP(x->docs);
    for (size_t i = 0; i < doc->n_roots; i++) {
        const struct kfp_node *root = kfp_deref(doc->roots[i]);
        enum kfp_argo_kind kind;
        if (!kfp_argo_detect(root, &kind))
            continue;
        struct kfp_argo_doc *d = &x->docs[x->n_docs];
        d->kind = kind;
        d->index = x->n_docs++;
        TRY(read_doc(&b, d, root));
    }
    x->templates = b.templates.items;
    x->n_templates = b.templates.n;
    x->vars = b.vars.items;
    x->n_vars = b.vars.n;
    m->components = b.comps.items;
    m->n_components = b.comps.n;
    m->executors = b.executors.items;
    m->n_executors = b.executors.n;
    m->dags = b.dags.items;
    m->n_dags = b.dags.n;
    m->containers = b.containers.items;
    m->n_containers = b.containers.n;
    TRY(kfp_strmap_init(a, &m->executors_by_label, 1));
    TRY(kfp_strmap_init(a, &m->components_by_name, 1));
    if (x->n_docs)
        m->pipeline_name = x->docs[0].name;
    return KFP_OK;
}

bool kfp_argo_int_text(const char *s)
{
    if (!s || !*s)
        return false;
    const char *p = s + (*s == '-' || *s == '+');
    if (!*p)
        return false;
    /* more than 19 digits is past int64 (Go's strconv rejects it): stop there, so a long text
     * shared by many aliases does not cost its length at each use */
    for (int i = 0; *p; p++, i++)
        if (*p < '0' || *p > '9' || i == 19)
            return false;
    return true;
}
