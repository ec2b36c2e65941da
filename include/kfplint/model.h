/* model.h — the normalised, format-independent pipeline model (kfp_model_*).
 *
 * Every KFP format (v2 IR PipelineSpec in YAML/JSON, camelCase or snake_case, PipelineJob JSON,
 * single-component IR, v1 ComponentSpec with container or graph) becomes the same structures, so
 * rules are written once. Every element keeps the node it came from, for positions. Names are
 * looked up through hash maps; building the model is linear in the size of the tree.
 * Everything is allocated from the file's arena and is read-only once built.
 */
#ifndef KFPLINT_MODEL_H
#define KFPLINT_MODEL_H

#include "kfplint/load.h"
#include "kfplint/strmap.h"

enum kfp_doc_kind {
    KFP_DOC_UNKNOWN,
    KFP_DOC_PIPELINE,      /* v2 IR PipelineSpec (optionally with a PlatformSpec document) */
    KFP_DOC_PIPELINE_JOB,  /* {pipelineSpec, runtimeConfig} */
    KFP_DOC_COMPONENT_IR,  /* single-component IR: a PipelineSpec whose root runs one executor */
    KFP_DOC_COMPONENT_V1,  /* v1 ComponentSpec component.yaml */
    KFP_DOC_PLATFORM_ONLY, /* a PlatformSpec document alone */
    KFP_DOC_ARGO,          /* Argo Workflow / (Cluster)WorkflowTemplate / CronWorkflow: m->argo */
};

/* A name as written in the file: the string and the scalar node that holds it. */
struct kfp_ref {
    const char *name;             /* NULL when absent */
    const struct kfp_node *node;  /* the scalar (or NULL) */
};

enum kfp_ptype {
    KFP_PT_UNSPECIFIED, /* no type given */
    KFP_PT_DOUBLE,
    KFP_PT_INT,
    KFP_PT_STRING,
    KFP_PT_BOOL,
    KFP_PT_LIST,
    KFP_PT_STRUCT,
    KFP_PT_FINAL_STATUS,
    KFP_PT_TASK_CONFIG,
    KFP_PT_INVALID, /* a type name KFP does not know */
};

/* The IR spelling of a parameter type ("NUMBER_INTEGER", …). */
const char *kfp_ptype_name(enum kfp_ptype t);

/* One input or output definition of a component. */
struct kfp_iodef {
    struct kfp_ref name;          /* the key (v2) or `name:` value (v1) */
    const struct kfp_node *node;  /* the definition mapping */
    const struct kfp_node *type_node; /* parameterType / type / v1 type */
    const char *schema_title;     /* artifacts: schemaTitle ("system.Model"), NULL if unknown */
    const char *schema_version;   /* artifacts: schemaVersion */
    const struct kfp_node *schema_node; /* artifactType / schemaTitle node */
    const char *v1_type;          /* v1 type name as written, NULL if untyped */
    uint32_t name_hash;           /* kfp_strmap_hash(name.name) */
    uint8_t ptype;                /* enum kfp_ptype (parameters) */
    uint8_t artifact;             /* artifact (1) or parameter (0) */
    uint8_t legacy_type;          /* v2 IR written with deprecated `type: INT|DOUBLE|STRING` */
    uint8_t is_list;              /* isArtifactList */
    uint8_t optional;             /* isOptional (v2) / optional (v1) */
    uint8_t has_default;          /* defaultValue (v2) / default (v1): kfp_iodef_default() */
    uint8_t v1;                   /* from a v1 component */
};

/* The default value of a definition (defaultValue / v1 default), NULL when it has none. */
const struct kfp_node *kfp_iodef_default(const struct kfp_iodef *d);

/* The allowed values (v2 `literals`), NULL when not restricted. */
const struct kfp_node *kfp_iodef_literals(const struct kfp_iodef *d);

/* A component's inputs or outputs. Most have a handful, found by scanning items and comparing
 * hashes; the maps are built only for more than KFP_IODEFS_INDEXED definitions. */
#define KFP_IODEFS_INDEXED 16
struct kfp_iodefs_index {
    struct kfp_strmap params;    /* name → iodef (parameters) */
    struct kfp_strmap artifacts; /* name → iodef (artifacts) */
};
struct kfp_iodefs {
    struct kfp_iodef *items;
    size_t n;
    struct kfp_iodefs_index *index; /* NULL for KFP_IODEFS_INDEXED definitions or fewer */
};

/* Finds a definition by name: kind 0 parameters, 1 artifacts, -1 either (a parameter first).
 * With several of the same name and kind, the first. */
const struct kfp_iodef *kfp_iodefs_find(const struct kfp_iodefs *d, const char *name, int kind);

enum kfp_src {
    KFP_SRC_NONE,            /* no recognised source */
    KFP_SRC_TASK_OUTPUT,     /* taskOutputParameter / taskOutputArtifact / v1 taskOutput */
    KFP_SRC_COMPONENT_INPUT, /* componentInputParameter / componentInputArtifact / graphInput */
    KFP_SRC_CONSTANT,        /* runtimeValue.constant / constantValue / v1 constant */
    KFP_SRC_FINAL_STATUS,    /* taskFinalStatus */
    KFP_SRC_RUNTIME_PARAM,   /* runtimeValue.runtimeParameter (old IR) */
};

/* Where one value comes from: used by task inputs, platform name parameters and DAG outputs.
 * Fields that do not apply to `kind` are zero; output* and input* share storage (read each only
 * for its kind: a task output, or a component input / runtime parameter). */
struct kfp_source_ref {
    uint8_t kind;                 /* enum kfp_src */
    uint8_t legacy_constant;      /* constantValue {intValue|doubleValue|stringValue} */
    const struct kfp_node *node;  /* the source mapping (taskOutputParameter: {...}) or value; for a
                                   * task output, the mapping that should hold `output` */
    const struct kfp_node *constant; /* the constant value */
    struct kfp_ref producer;      /* producerTask / producerSubtask / taskId */
    /* resolved once by the model (NULL when the name does not resolve): */
    const struct kfp_task *producer_task;  /* the sibling task `producer` names */
    union {
        struct { /* KFP_SRC_TASK_OUTPUT */
            struct kfp_ref output;              /* outputParameterKey / outputArtifactKey / outputName */
            const struct kfp_iodef *output_def; /* its component's output `output` names (any kind) */
        };
        struct { /* KFP_SRC_COMPONENT_INPUT, KFP_SRC_RUNTIME_PARAM */
            struct kfp_ref input;               /* componentInput* / graphInput.inputName */
            const struct kfp_iodef *input_def;  /* the enclosing component's input `input` names
                                                 * (the expected kind first, then any) */
        };
    };
};

struct kfp_task;
struct kfp_iodef;

struct kfp_task_input {
    struct kfp_ref name;     /* the input key */
    const struct kfp_node *node;
    int artifact;
    struct kfp_source_ref src;
    const struct kfp_node *selector; /* parameterExpressionSelector */
    const struct kfp_iodef *def;     /* the task's component's input of this name (a parameter
                                      * first); NULL when undeclared or the component unknown */
};

struct kfp_component;
struct kfp_dag;

struct kfp_task {
    struct kfp_ref key;              /* task key in dag.tasks (the task id) */
    const struct kfp_node *node;     /* the task mapping */
    struct kfp_ref display;          /* taskInfo.name */
    struct kfp_ref component_ref;    /* componentRef.name */
    struct kfp_component *component; /* resolved componentRef, NULL if unknown or external */
    struct kfp_ref *deps;            /* dependentTasks */
    const struct kfp_task **dep_tasks; /* the sibling each names (NULL: none), parallel to deps */
    size_t n_deps;
    struct kfp_task_input *inputs;
    size_t n_inputs;
    struct kfp_source_ref *platform_srcs; /* platform *NameParameter sources of the executor */
    size_t n_platform_srcs;
    struct kfp_ref iter_input;       /* parameterIterator.items.inputParameter / artifactIterator.items.inputArtifact */
    int iter_artifact;               /* iter_input is an artifact */
    struct kfp_ref item_input;       /* itemInput */
    const struct kfp_node *artifact_iterator; /* artifactIterator mapping */
    size_t index;                    /* position in its DAG */
    struct kfp_dag *dag;             /* the DAG holding it */
};

struct kfp_dag_output {
    struct kfp_ref name;
    int artifact;
    struct kfp_source_ref *sels; /* producerSubtask + key, one or more (OneOf / artifactSelectors) */
    size_t n_sels;
};

struct kfp_dag {
    const struct kfp_node *node;     /* the dag mapping */
    const struct kfp_node *tasks_node;
    struct kfp_component *owner;
    struct kfp_task *tasks;          /* in file order */
    size_t n_tasks;
    struct kfp_strmap by_key;        /* task key → task */
    struct kfp_dag_output *outputs;
    size_t n_outputs;
};

enum kfp_ph_kind { KFP_PH_IN_PARAM, KFP_PH_IN_ARTIFACT, KFP_PH_OUT_PARAM, KFP_PH_OUT_ARTIFACT,
                   KFP_PH_IN_ANY /* v1 name with unknown kind, e.g. isPresent */ };

/* A reference to an input or output inside a container's command/args/env. */
struct kfp_placeholder {
    enum kfp_ph_kind kind;
    const char *name;
    struct kfp_span span;        /* exact span of the reference, or of its scalar */
    const char *v1_form;         /* v1: "inputValue", "inputPath", …; NULL for v2 */
};

/* Whether s[0..n) is a valid Kubernetes env var name: [-._a-zA-Z][-._a-zA-Z0-9]*. */
bool kfp_env_name_valid(const char *s, size_t n);

struct kfp_env {
    struct kfp_ref name;          /* env name (v1: the map key) */
    const struct kfp_node *value; /* value node or NULL */
    const struct kfp_node *node;  /* the entry (v2 mapping) or the key (v1) */
    size_t index;                 /* position in its list */
};

struct kfp_container {
    const struct kfp_node *node;      /* the container mapping */
    const struct kfp_node *image;     /* image value, NULL when absent */
    const struct kfp_node *image_key; /* `image` key, NULL when absent */
    const struct kfp_node *command;   /* sequence or NULL */
    const struct kfp_node *args;      /* sequence or NULL */
    const struct kfp_node *env_node;  /* the env list (v2) or map (v1) */
    struct kfp_env *env;
    size_t n_env;
    struct kfp_ref *extra_env;        /* names set by platform config (secretAsEnv, …) */
    size_t n_extra_env;
    struct kfp_placeholder *phs;
    size_t n_phs;
    const char *what;                 /* "executor 'exec-x'", "init container 'y' of …" */
    int v1;
    uint8_t executor_input;           /* gets the whole executor input: `{{$}}`,
                                       * `{{$.json_escape[N]}}`, v1 `{executorInput: …}` */
    uint8_t opaque_phs;               /* has a placeholder the model cannot read (v1 key outside the
                                       * spec, `{{$.inputs}}`, an unquoted name…): phs may miss some */
    const struct kfp_node *env_from;  /* Argo/k8s `envFrom` (defines names not known here) */
    const char *image_field;          /* where its image is set ("script.image", "image"), for
                                       * messages; NULL: "container.image" */
};

enum kfp_exec_kind { KFP_EXEC_CONTAINER, KFP_EXEC_IMPORTER, KFP_EXEC_RESOLVER, KFP_EXEC_CUSTOM_JOB,
                     KFP_EXEC_OTHER };

struct kfp_executor {
    struct kfp_ref label;
    const struct kfp_node *node;
    enum kfp_exec_kind kind;
    const struct kfp_node *kind_key;    /* the `container:` / `resolver:` … key */
    struct kfp_container *container;    /* KFP_EXEC_CONTAINER */
    const struct kfp_node *platform;    /* KubernetesExecutorConfig for this label */
    struct kfp_container *init;         /* platform initContainers */
    size_t n_init;
    struct kfp_component *component;    /* first component using it, for placeholders */
    size_t index;                       /* position in the model's executors */
};

struct kfp_component {
    struct kfp_ref key;              /* key in components ("comp-x"), "root", or v1 name */
    const struct kfp_node *node;
    struct kfp_iodefs inputs;
    struct kfp_iodefs outputs;
    struct kfp_dag *dag;             /* NULL for executor components */
    struct kfp_ref executor_label;
    struct kfp_executor *executor;   /* resolved executorLabel */
    int is_root;
    size_t index;                    /* position in components (root: SIZE_MAX) */
};

struct kfp_argo;

struct kfp_model {
    enum kfp_doc_kind kind;
    const struct kfp_doc *doc;
    const struct kfp_node *top;        /* the first document's root mapping */
    const struct kfp_node *spec;       /* the PipelineSpec mapping */
    const struct kfp_node *platform;   /* platforms.kubernetes mapping, if any */
    const struct kfp_node *platform_doc; /* the PlatformSpec document root */
    const struct kfp_node *pipeline_info; /* pipelineInfo mapping */
    const struct kfp_node *pipeline_info_key;
    struct kfp_ref pipeline_name;      /* pipelineInfo.name */
    struct kfp_ref schema_version;     /* schemaVersion */
    struct kfp_component **components; /* `components` in file order (root excluded) */
    size_t n_components;
    struct kfp_strmap components_by_name;
    struct kfp_component *root;        /* root (v2) or the v1 component */
    struct kfp_executor **executors;   /* deploymentSpec.executors in order */
    size_t n_executors;
    struct kfp_strmap executors_by_label;
    const struct kfp_container **containers; /* every container: executors', then init ones */
    size_t n_containers;
    struct kfp_dag **dags;             /* every DAG, root first */
    size_t n_dags;
    const struct kfp_node *runtime_params; /* PipelineJob runtimeConfig parameterValues/parameters */
    int runtime_legacy;                    /* runtimeConfig.parameters {x: {stringValue…}} */
    size_t top_index;                  /* the document `top` is, in the file (0 but for YAML
                                        * with a PlatformSpec first or several pipelines) */
    struct kfp_model *next;            /* the next pipeline-spec document of a multi-document
                                        * file (its own model, doc starting there), or NULL */
    const struct kfp_argo *argo;           /* KFP_DOC_ARGO: what only Argo has (argo.h) */
};

/* Builds the model of doc. Returns KFP_OK (kind may be KFP_DOC_UNKNOWN) or KFP_ERR on allocation
 * failure. Everything lives in arena `a`. */
int kfp_model_build(struct kfp_arena *a, const struct kfp_doc *doc, struct kfp_model *m,
                    struct kfp_error *err);

/* Human name of a doc kind ("v2 IR pipeline", …). */
const char *kfp_doc_kind_name(enum kfp_doc_kind k);

/* A KFP SDK generation (the `target` setting, what a file was compiled for). */
enum kfp_sdk { KFP_SDK_UNKNOWN, KFP_SDK_V1, KFP_SDK_V2 };

/* "v1", "v2" or "unknown". */
const char *kfp_sdk_name(enum kfp_sdk s);

/* What the file says of its SDK: a v2 IR `sdkVersion` ("kfp-1.8.9" → v1, "kfp-2.7.0" → v2), or in
 * `metadata.annotations` KFP's `pipelines.kubeflow.org/kfp_sdk_version` (Argo workflows) or
 * `pipelines.kubeflow.org/component_v2: "true"` (a v1 component written for KFP v2);
 * KFP_SDK_UNKNOWN when it says nothing. Looks up a few keys: no walk. */
enum kfp_sdk kfp_model_file_sdk(const struct kfp_model *m);

/* Parses an IR parameter type name (also legacy INT/DOUBLE/STRING). */
enum kfp_ptype kfp_ptype_parse(const char *s);

#endif
