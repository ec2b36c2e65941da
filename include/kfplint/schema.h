/* schema.h — the KFP schema as one table (kfp_schema_*): the object types of every format
 * kfplint reads, each type's fields, the object type a field's value holds, its container
 * shape and the kind of value it holds.
 *
 * unknown-field asks it "is this key known, and if not, which known key is it close to";
 * invalid-type asks it "what kind of value belongs here". Both walk the tree by it, so a field
 * added here is known to both. The table is constant data: no state, safe on any thread.
 */
#ifndef KFPLINT_SCHEMA_H
#define KFPLINT_SCHEMA_H

#include "kfplint/load.h"

#include <stdbool.h>
#include <stddef.h>

/* The object types. KFP_SCHEMA_NONE: not an object type (an open value, nothing to check). */
enum kfp_schema_type {
    KFP_SCHEMA_NONE,
    /* v2 IR: pipeline_spec.proto */
    KFP_SCHEMA_SPEC, KFP_SCHEMA_INFO, KFP_SCHEMA_COMPONENT, KFP_SCHEMA_CIN, KFP_SCHEMA_COUT,
    KFP_SCHEMA_CIN_PARAM, KFP_SCHEMA_CIN_ART, KFP_SCHEMA_COUT_PARAM, KFP_SCHEMA_COUT_ART,
    KFP_SCHEMA_ART_TYPE, KFP_SCHEMA_DAG, KFP_SCHEMA_DAG_OUT, KFP_SCHEMA_DAG_OUT_PARAM,
    KFP_SCHEMA_DAG_OUT_ART, KFP_SCHEMA_SELECTOR, KFP_SCHEMA_SELECTORS, KFP_SCHEMA_TASK,
    KFP_SCHEMA_TASK_INFO, KFP_SCHEMA_CACHING, KFP_SCHEMA_COMP_REF, KFP_SCHEMA_TRIGGER,
    KFP_SCHEMA_PITER, KFP_SCHEMA_PITER_ITEMS, KFP_SCHEMA_AITER, KFP_SCHEMA_AITER_ITEMS,
    KFP_SCHEMA_ITER_POLICY, KFP_SCHEMA_RETRY, KFP_SCHEMA_TIN, KFP_SCHEMA_TIN_PARAM,
    KFP_SCHEMA_TIN_ART, KFP_SCHEMA_TOUT_PARAM, KFP_SCHEMA_TOUT_ART, KFP_SCHEMA_FINAL_STATUS,
    KFP_SCHEMA_VALUE, KFP_SCHEMA_DEPLOY, KFP_SCHEMA_EXECUTOR, KFP_SCHEMA_CONTAINER,
    KFP_SCHEMA_LIFECYCLE, KFP_SCHEMA_EXEC, KFP_SCHEMA_RESOURCES, KFP_SCHEMA_ACCEL, KFP_SCHEMA_ENV,
    KFP_SCHEMA_IMPORTER, KFP_SCHEMA_RESOLVER, KFP_SCHEMA_QUERY,
    /* kubernetes_executor_config.proto, and the PlatformSpec document around it */
    KFP_SCHEMA_K8S, KFP_SCHEMA_INIT, KFP_SCHEMA_KEY_TO_ENV, KFP_SCHEMA_PLATFORM_DOC,
    KFP_SCHEMA_PLATFORMS, KFP_SCHEMA_PLATFORM, KFP_SCHEMA_PLATFORM_DEPLOY,
    /* PipelineJob (KFP's and Vertex AI's) */
    KFP_SCHEMA_JOB, KFP_SCHEMA_RUNTIME,
    /* v1 ComponentSpec (sdk/python/kfp/dsl/v1_structures.py) */
    KFP_SCHEMA_V1, KFP_SCHEMA_V1_IO, KFP_SCHEMA_V1_IMPL, KFP_SCHEMA_V1_CONTAINER,
    KFP_SCHEMA_V1_GRAPH, KFP_SCHEMA_V1_TASK, KFP_SCHEMA_V1_IF, KFP_SCHEMA_V1_REF,
    KFP_SCHEMA_V1_EXEC_OPTS, KFP_SCHEMA_V1_RETRY, KFP_SCHEMA_V1_CACHING, KFP_SCHEMA_V1_TASK_OUTPUT,
    KFP_SCHEMA_V1_GRAPH_INPUT,
    KFP_SCHEMA__COUNT
};

/* The kind of value a field holds, as KFP's decoders accept it (see rules/invalid_type.c). */
enum kfp_schema_kind {
    KFP_SCHEMA_V_ANY,     /* anything (google.protobuf.Value, or a type KFP leaves open) */
    KFP_SCHEMA_V_STR,     /* a string */
    KFP_SCHEMA_V_NUM,     /* a number (or a string: protobuf JSON reads "10") */
    KFP_SCHEMA_V_BOOL,    /* true or false */
    KFP_SCHEMA_V_ENUM,    /* an enum: its name or its number */
    KFP_SCHEMA_V_SCALAR,  /* a string, number or boolean (v1 defaults) */
    KFP_SCHEMA_V_MAPPING, /* any mapping (Struct, map<string, …> of scalars) */
    KFP_SCHEMA_V_LIST,    /* any list */
    KFP_SCHEMA_V_STRS,    /* a list of strings */
    KFP_SCHEMA_V_OBJ,     /* a mapping of the field's object type */
    KFP_SCHEMA_V_MAPOF,   /* a mapping whose values are mappings of the field's object type */
    KFP_SCHEMA_V_SEQOF,   /* a list of mappings of the field's object type */
    KFP_SCHEMA_V_ARGS,    /* v1 command/args: a list of strings and placeholders */
    KFP_SCHEMA_V_ARG,     /* v1: one string or placeholder */
    KFP_SCHEMA_V_ARG_OR_ARGS,  /* v1 then/else: one argument or a list of them */
    KFP_SCHEMA_V_GRAPH_ARGS,   /* v1 graph arguments/outputValues: names → constants,
                                * taskOutput, graphInput (keep last: see invalid_type.c) */
};

/* The container shape of a field's value: where a walk finds objects of the field's type. */
enum kfp_schema_shape {
    KFP_SCHEMA_SCALAR, /* no object of a schema type below it */
    KFP_SCHEMA_OBJECT, /* the value is one object */
    KFP_SCHEMA_MAP,    /* the value maps names to objects */
    KFP_SCHEMA_LIST,   /* the value is a list of objects */
};

/* Field flags. */
enum {
    /* unknown-field does not check the keys inside this value, although KFP rejects unknown
     * ones there too (a gap in its coverage that invalid-type does not have, kept so that its
     * findings stay as they were): importer.artifactUri is a ValueOrRuntimeParameter message;
     * v1 componentRef and executionOptions are ModelBase classes, whose from_dict passes every
     * key to __init__, so an unknown one raises a TypeError */
    KFP_SCHEMA_KEYS_UNCHECKED = 1u,
};

struct kfp_schema_field {
    const char *name;          /* lowerCamelCase (the snake_case spelling is matched too) */
    enum kfp_schema_kind kind;
    enum kfp_schema_type type; /* for KFP_SCHEMA_V_OBJ, _V_MAPOF, _V_SEQOF; else NONE */
    unsigned flags;            /* KFP_SCHEMA_KEYS_UNCHECKED */
};

/* What a type is called in messages ("task", "executor", …); NULL for KFP_SCHEMA_NONE. */
const char *kfp_schema_type_name(enum kfp_schema_type t);

/* The fields of type t, ended by one whose name is NULL; NULL for KFP_SCHEMA_NONE (open). */
const struct kfp_schema_field *kfp_schema_fields(enum kfp_schema_type t);

/* The field of type t that key node k names (camelCase or snake_case), or NULL when t does not
 * define it (or t is KFP_SCHEMA_NONE). */
const struct kfp_schema_field *kfp_schema_field(enum kfp_schema_type t, const struct kfp_node *k);

/* The container shape of f's value, from its kind. */
enum kfp_schema_shape kfp_schema_shape(const struct kfp_schema_field *f);

/* The field of type t that `name` (an unknown key) is most likely a typo of, written to
 * out[cap] in the spelling the key uses (snake_case when it has an underscore), or NULL when
 * none is close or two are equally close. Allocates nothing. */
const char *kfp_schema_suggest(enum kfp_schema_type t, const char *name, char *out, size_t cap);

/* ---------------------------------------------------------------- the walk by the schema */

/* A value the walk reached: `node` (as written: an alias is not followed yet) is the value of
 * field `name`, of kind `kind` (and of object type `type` for _V_OBJ, _V_MAPOF and _V_SEQOF). */
struct kfp_schema_item {
    const struct kfp_node *node;
    const char *name;
    enum kfp_schema_kind kind;
    enum kfp_schema_type type;
};

struct kfp_ctx;
struct kfp_schema_walk; /* the work list of one walk (src/schema.c) */

/* What the walk does with an item: checks it (reporting through ctx) and pushes what lies below
 * it (kfp_schema_push). */
typedef void (*kfp_schema_visit)(struct kfp_ctx *ctx, struct kfp_schema_walk *w,
                                 const struct kfp_schema_item *it);

/* The walk of unknown-field and invalid-type: visits root, an object of type `type` that is the
 * value of `name` (kind KFP_SCHEMA_V_OBJ), then every item visit pushes, the last pushed first
 * (iterative, so deep documents cost no stack), until the list is empty or ctx->oom is set. An
 * alias is visited once per kind and type: its target is the same each time, so aliases of
 * aliases (a "billion laughs") cost their size, not their expansion. Allocates the work list
 * and frees it before returning; when memory runs out it sets ctx->oom and stops. */
void kfp_schema_walk(struct kfp_ctx *ctx, const struct kfp_node *root, const char *name,
                     enum kfp_schema_type type, kfp_schema_visit visit);

/* Adds an item for w's walk to visit (allocates: on failure sets ctx->oom, and the walk stops). */
void kfp_schema_push(struct kfp_schema_walk *w, const struct kfp_node *n, const char *name,
                     enum kfp_schema_kind kind, enum kfp_schema_type type);

#endif
