/* model_int.h — the model builders' internals shared by model.c (detection, dispatch and the
 * helpers every format uses), model_ir.c (v2 IR: PipelineSpec, PipelineJob, single-component IR,
 * platform spec) and model_v1.c (v1 ComponentSpec): the builder state, node helpers and the
 * functions one builder calls in another's file. Not a public header. */
#ifndef KFPLINT_MODEL_INT_H
#define KFPLINT_MODEL_INT_H

#include "kfplint/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

static inline struct kfp_ref ref_of(const struct kfp_node *n)
{
    struct kfp_ref r = {NULL, NULL};
    n = kfp_deref(n);
    if (n && n->kind == KFP_NODE_SCALAR) {
        r.name = n->u.str;
        r.node = n;
    }
    return r;
}

static inline struct kfp_ref key_ref(const struct kfp_pair *p)
{
    return ref_of(&p->key);
}

static inline const struct kfp_node *map_or_null(const struct kfp_node *n)
{
    n = kfp_deref(n);
    return n && n->kind == KFP_NODE_MAP ? n : NULL;
}

static inline const struct kfp_node *seq_or_null(const struct kfp_node *n)
{
    n = kfp_deref(n);
    return n && n->kind == KFP_NODE_SEQ ? n : NULL;
}

static inline size_t map_len(const struct kfp_node *n)
{
    n = map_or_null(n);
    return n ? n->len : 0;
}

static inline int truthy(const struct kfp_node *n)
{
    return kfp_scalar_type(n) == KFP_SCALAR_BOOL &&
           (strcasecmp(kfp_scalar(n), "true") == 0 || strcasecmp(kfp_scalar(n), "yes") == 0 ||
            strcasecmp(kfp_scalar(n), "on") == 0);
}

/* model.c: shared by the builders. Each returns KFP_OK, or KFP_ERR when the arena (or the
 * kfp_malloc'd placeholder scratch) runs out; kfp_model_make_container returns the arena-owned
 * container, or NULL when memory runs out. */
int kfp_model_iodefs_alloc(struct builder *b, struct kfp_iodefs *d, size_t n);
int kfp_model_iodefs_add(struct builder *b, struct kfp_iodefs *d, struct kfp_iodef *def);
int kfp_model_dag_index(struct builder *b, struct kfp_dag *d);
int kfp_model_add_dag(struct builder *b, struct kfp_dag *d);
/* A new DAG of component c read from mapping n (a v2 `dag` or a v1 `graph`): c->dag is set and
 * every entry of n's `tasks` is a task with its key and node (n_tasks of them), the rest for the
 * caller to fill. Allocated in b's arena; NULL when memory ran out. */
struct kfp_dag *kfp_model_new_dag(struct builder *b, struct kfp_component *c, const struct kfp_node *n);
int kfp_model_add_ph(struct builder *b, enum kfp_ph_kind kind, const char *name, size_t name_len,
                     struct kfp_span span, const char *v1_form);
int kfp_model_scan_v2_string(struct builder *b, const struct kfp_node *n);
struct kfp_container *kfp_model_make_container(struct builder *b, const struct kfp_node *cn, int v1,
                                               const char *what);
void kfp_model_resolve_source(const struct kfp_dag *dag, struct kfp_source_ref *s, int artifact);
void kfp_model_resolve_task(const struct kfp_dag *dag, struct kfp_task *t);

/* model_ir.c: the v2 IR pipeline of b->m->spec (executors, components, DAGs, platform config). */
int kfp_model_pipeline_spec(struct builder *b);

/* model_v1.c: the v1 ComponentSpec b->m->top; its env map and argument placeholders (for
 * kfp_model_make_container). */
int kfp_model_v1_component(struct builder *b);
int kfp_model_container_env_v1(struct builder *b, struct kfp_container *c, const struct kfp_node *env);
int kfp_model_scan_v1_args(struct builder *b, const struct kfp_node *root);

#endif
