/* schema.c — the KFP schema as one table (kfp_schema_*): see include/kfplint/schema.h.
 *
 * Each object type lists its fields with the kind of value each holds; a field whose value is
 * an object (or a map or list of objects) names the object type too. Sources: pipeline_spec.proto
 * and kubernetes_executor_config.proto (kubeflow/pipelines) for the v2 formats, Vertex AI's
 * PipelineJob for the job wrapper, the SDK's v1_structures.py for component.yaml.
 */
#include "kfplint/schema.h"
#include "kfplint/alloc.h"
#include "kfplint/rule.h"

#include <stdint.h>
#include <string.h>

typedef struct kfp_schema_field field;

/* One field: a string, number, boolean, enum, anything, any mapping, any list, a list of
 * strings; a field of kind k (K); an object, a map of objects, a list of objects of type t. */
#define S(n) {n, KFP_SCHEMA_V_STR, KFP_SCHEMA_NONE, 0}
#define N(n) {n, KFP_SCHEMA_V_NUM, KFP_SCHEMA_NONE, 0}
#define B(n) {n, KFP_SCHEMA_V_BOOL, KFP_SCHEMA_NONE, 0}
#define E(n) {n, KFP_SCHEMA_V_ENUM, KFP_SCHEMA_NONE, 0}
#define A(n) {n, KFP_SCHEMA_V_ANY, KFP_SCHEMA_NONE, 0}
#define M(n) {n, KFP_SCHEMA_V_MAPPING, KFP_SCHEMA_NONE, 0}
#define L(n) {n, KFP_SCHEMA_V_LIST, KFP_SCHEMA_NONE, 0}
#define SL(n) {n, KFP_SCHEMA_V_STRS, KFP_SCHEMA_NONE, 0}
#define K(n, k) {n, KFP_SCHEMA_V_##k, KFP_SCHEMA_NONE, 0}
#define O(n, t) {n, KFP_SCHEMA_V_OBJ, KFP_SCHEMA_##t, 0}
#define MO(n, t) {n, KFP_SCHEMA_V_MAPOF, KFP_SCHEMA_##t, 0}
#define LO(n, t) {n, KFP_SCHEMA_V_SEQOF, KFP_SCHEMA_##t, 0}
/* an object whose keys unknown-field does not check (KFP_SCHEMA_KEYS_UNCHECKED) */
#define OU(n, t) {n, KFP_SCHEMA_V_OBJ, KFP_SCHEMA_##t, KFP_SCHEMA_KEYS_UNCHECKED}
#define END {NULL, KFP_SCHEMA_V_ANY, KFP_SCHEMA_NONE, 0}

/* v2: pipeline_spec.proto */
static const field spec[] = {
    O("pipelineInfo", INFO), O("deploymentSpec", DEPLOY), S("sdkVersion"), S("schemaVersion"),
    MO("components", COMPONENT), O("root", COMPONENT), S("defaultPipelineRoot"), END};
static const field info[] = {S("name"), S("displayName"), S("description"), END};
static const field component[] = {
    O("inputDefinitions", CIN), O("outputDefinitions", COUT), O("dag", DAG),
    S("executorLabel"), L("singlePlatformSpecs"), L("taskConfigPassthroughs"), END};
static const field cin[] = {MO("artifacts", CIN_ART), MO("parameters", CIN_PARAM), END};
static const field cout[] = {MO("artifacts", COUT_ART), MO("parameters", COUT_PARAM), END};
static const field cin_param[] = {E("type"), E("parameterType"), A("defaultValue"),
                                  B("isOptional"), S("description"), L("literals"), END};
static const field cin_art[] = {O("artifactType", ART_TYPE), B("isArtifactList"),
                                B("isOptional"), S("description"), END};
static const field cout_param[] = {E("type"), E("parameterType"), S("description"), END};
static const field cout_art[] = {O("artifactType", ART_TYPE), M("properties"),
                                 M("customProperties"), M("metadata"), B("isArtifactList"),
                                 S("description"), END};
static const field art_type[] = {S("schemaTitle"), S("schemaUri"), S("instanceSchema"),
                                 S("schemaVersion"), END};
static const field dag[] = {MO("tasks", TASK), O("outputs", DAG_OUT), END};
static const field dag_out[] = {MO("artifacts", DAG_OUT_ART),
                                MO("parameters", DAG_OUT_PARAM), END};
static const field dag_out_param[] = {O("valueFromParameter", SELECTOR),
                                      O("valueFromOneof", SELECTORS), END};
static const field dag_out_art[] = {LO("artifactSelectors", SELECTOR), END};
static const field selector[] = {S("producerSubtask"), S("outputParameterKey"),
                                 S("outputArtifactKey"), END};
static const field selectors[] = {LO("parameterSelectors", SELECTOR),
                                  M("mappedParameters"), END};
static const field task[] = {
    O("taskInfo", TASK_INFO), O("inputs", TIN), SL("dependentTasks"),
    O("cachingOptions", CACHING), O("componentRef", COMP_REF), O("triggerPolicy", TRIGGER),
    O("artifactIterator", AITER), O("parameterIterator", PITER), O("retryPolicy", RETRY),
    O("iteratorPolicy", ITER_POLICY), END};
static const field task_info[] = {S("name"), END};
static const field caching[] = {B("enableCache"), S("cacheKey"), END};
static const field comp_ref[] = {S("name"), END};
static const field trigger[] = {S("condition"), E("strategy"), END};
static const field piter[] = {O("items", PITER_ITEMS), S("itemInput"), END};
static const field piter_items[] = {S("raw"), S("inputParameter"), END};
static const field aiter[] = {O("items", AITER_ITEMS), S("itemInput"), END};
static const field aiter_items[] = {S("inputArtifact"), END};
static const field iter_policy[] = {N("parallelismLimit"), END};
/* backoffDuration and backoffMaxDuration are google.protobuf.Duration: a string like "3s" */
static const field retry[] = {N("maxRetryCount"), S("backoffDuration"), N("backoffFactor"),
                              S("backoffMaxDuration"), END};
static const field tin[] = {MO("parameters", TIN_PARAM), MO("artifacts", TIN_ART), END};
static const field tin_param[] = {
    O("taskOutputParameter", TOUT_PARAM), O("runtimeValue", VALUE),
    S("componentInputParameter"), O("taskFinalStatus", FINAL_STATUS),
    S("parameterExpressionSelector"), END};
static const field tin_art[] = {O("taskOutputArtifact", TOUT_ART),
                                S("componentInputArtifact"), END};
static const field tout_param[] = {S("producerTask"), S("outputParameterKey"), END};
static const field tout_art[] = {S("producerTask"), S("outputArtifactKey"), END};
static const field final_status[] = {S("producerTask"), END};
/* constantValue is the legacy Value message {intValue, doubleValue, stringValue}; constant is a
 * google.protobuf.Value (anything) */
static const field value[] = {M("constantValue"), S("runtimeParameter"), A("constant"), END};
static const field deploy[] = {MO("executors", EXECUTOR), END};
static const field executor[] = {O("container", CONTAINER), O("importer", IMPORTER),
                                 O("resolver", RESOLVER), M("customJob"), END};
static const field container[] = {
    S("image"), SL("command"), SL("args"), O("lifecycle", LIFECYCLE),
    O("resources", RESOURCES), LO("env", ENV), M("config"), END};
static const field lifecycle[] = {O("preCacheCheck", EXEC), END};
static const field exec_[] = {SL("command"), SL("args"), END};
static const field resources[] = {
    N("cpuLimit"), N("memoryLimit"), N("cpuRequest"), N("memoryRequest"), S("resourceCpuLimit"),
    S("resourceMemoryLimit"), S("resourceCpuRequest"), S("resourceMemoryRequest"),
    O("accelerator", ACCEL), END};
static const field accel[] = {S("type"), N("count"), S("resourceType"), S("resourceCount"), END};
static const field env[] = {S("name"), S("value"), END};
static const field importer[] = {OU("artifactUri", VALUE), O("typeSchema", ART_TYPE),
                                 M("properties"), M("customProperties"), M("metadata"),
                                 B("reimport"), B("downloadToWorkspace"), END};
static const field resolver[] = {MO("outputArtifactQueries", QUERY), END};
static const field query[] = {S("filter"), N("limit"), END};
/* kubernetes_platform/proto/kubernetes_executor_config.proto */
static const field k8s[] = {
    L("secretAsVolume"), LO("secretAsEnv", KEY_TO_ENV), L("pvcMount"), M("nodeSelector"),
    M("podMetadata"), L("imagePullSecret"), S("imagePullPolicy"), L("configMapAsVolume"),
    LO("configMapAsEnv", KEY_TO_ENV), N("activeDeadlineSeconds"), L("fieldPathAsEnv"),
    L("tolerations"), L("genericEphemeralVolume"), L("nodeAffinity"), L("podAffinity"),
    M("enabledSharedMemory"), L("emptyDirMounts"), M("securityContext"),
    LO("initContainers", INIT), A("workspace"), END};
static const field key_to_env[] = {S("secretName"), M("secretNameParameter"),
                                   S("configMapName"), M("configMapNameParameter"),
                                   L("keyToEnv"), B("optional"), END};
static const field init[] = {S("name"), S("image"), SL("command"), SL("args"),
                             LO("env", ENV), L("volumeMounts"), S("restartPolicy"),
                             M("resources"), END};
/* PipelineJob: pipeline_spec.proto's, with the fields Vertex AI's PipelineJob adds. The fields
 * of kind ANY are those invalid-type does not check yet. pipelineSpec is a PipelineSpec. */
static const field job[] = {
    S("name"), S("displayName"), O("pipelineSpec", SPEC), M("labels"), O("runtimeConfig", RUNTIME),
    A("createTime"), A("startTime"), A("endTime"), A("updateTime"), A("state"), A("jobDetail"),
    A("error"), A("encryptionSpec"), A("serviceAccount"), A("network"), A("reservedIpRanges"),
    A("templateUri"), A("templateMetadata"), A("scheduleName"), A("preflightValidations"),
    A("satisfiesPzs"), A("satisfiesPzi"), A("originalPipelineJobId"),
    A("pipelineTaskRerunConfigs"), A("pscInterfaceConfig"), END};
static const field runtime[] = {M("parameters"), M("parameterValues"), S("gcsOutputDirectory"),
                                E("failurePolicy"), A("inputArtifacts"), A("defaultRuntime"), END};
/* the PlatformSpec document: platforms.kubernetes.deploymentSpec.executors.<label> */
static const field platform_doc[] = {O("platforms", PLATFORMS), END};
static const field platforms[] = {O("kubernetes", PLATFORM), END};
static const field platform[] = {O("deploymentSpec", PLATFORM_DEPLOY),
                                 M("pipelineConfig"), END};
static const field platform_deploy[] = {MO("executors", K8S), END};
/* v1 ComponentSpec (sdk/python/kfp/dsl/v1_structures.py) */
static const field v1[] = {S("name"), S("description"), M("metadata"),
                           LO("inputs", V1_IO), LO("outputs", V1_IO),
                           O("implementation", V1_IMPL), END};
/* type is a TypeSpecType: a name, or a mapping/list for a parameterised type */
static const field v1_io[] = {S("name"), A("type"), S("description"),
                              K("default", SCALAR), B("optional"),
                              M("annotations"), END};
static const field v1_impl[] = {O("container", V1_CONTAINER), O("graph", V1_GRAPH), END};
static const field v1_container[] = {S("image"), K("command", ARGS),
                                     K("args", ARGS), M("env"),
                                     M("fileOutputs"), END};
static const field v1_graph[] = {MO("tasks", V1_TASK),
                                 K("outputValues", GRAPH_ARGS), END};
static const field v1_task[] = {OU("componentRef", V1_REF),
                                K("arguments", GRAPH_ARGS), A("isEnabled"),
                                OU("executionOptions", V1_EXEC_OPTS), M("annotations"), END};
static const field v1_ref[] = {S("name"), S("digest"), S("tag"), S("url"), M("spec"),
                               S("text"), END};
static const field v1_exec_opts[] = {O("retryStrategy", V1_RETRY),
                                     O("cachingStrategy", V1_CACHING), END};
static const field v1_retry[] = {N("maxRetries"), END};
static const field v1_caching[] = {S("maxCacheStaleness"), END};
static const field v1_task_output[] = {S("taskId"), S("outputName"), A("type"), END};
static const field v1_graph_input[] = {S("inputName"), A("type"), END};
/* {if: {cond, then, else}}: cond is a placeholder or a boolean-like constant; then and else are
 * one argument or a list (IfPlaceholderStructure: Union[CommandlineArgumentType, List[…]]) */
static const field v1_if[] = {A("cond"), K("then", ARG_OR_ARGS),
                              K("else", ARG_OR_ARGS), END};

static const struct {
    const char *what;
    const field *fields;
} types[KFP_SCHEMA__COUNT] = {
    [KFP_SCHEMA_NONE] = {NULL, NULL},
    [KFP_SCHEMA_SPEC] = {"PipelineSpec", spec},
    [KFP_SCHEMA_INFO] = {"pipelineInfo", info},
    [KFP_SCHEMA_COMPONENT] = {"component", component},
    [KFP_SCHEMA_CIN] = {"inputDefinitions", cin},
    [KFP_SCHEMA_COUT] = {"outputDefinitions", cout},
    [KFP_SCHEMA_CIN_PARAM] = {"input parameter definition", cin_param},
    [KFP_SCHEMA_CIN_ART] = {"input artifact definition", cin_art},
    [KFP_SCHEMA_COUT_PARAM] = {"output parameter definition", cout_param},
    [KFP_SCHEMA_COUT_ART] = {"output artifact definition", cout_art},
    [KFP_SCHEMA_ART_TYPE] = {"artifactType", art_type},
    [KFP_SCHEMA_DAG] = {"dag", dag},
    [KFP_SCHEMA_DAG_OUT] = {"dag outputs", dag_out},
    [KFP_SCHEMA_DAG_OUT_PARAM] = {"dag output parameter", dag_out_param},
    [KFP_SCHEMA_DAG_OUT_ART] = {"dag output artifact", dag_out_art},
    [KFP_SCHEMA_SELECTOR] = {"output selector", selector},
    [KFP_SCHEMA_SELECTORS] = {"valueFromOneof", selectors},
    [KFP_SCHEMA_TASK] = {"task", task},
    [KFP_SCHEMA_TASK_INFO] = {"taskInfo", task_info},
    [KFP_SCHEMA_CACHING] = {"cachingOptions", caching},
    [KFP_SCHEMA_COMP_REF] = {"componentRef", comp_ref},
    [KFP_SCHEMA_TRIGGER] = {"triggerPolicy", trigger},
    [KFP_SCHEMA_PITER] = {"parameterIterator", piter},
    [KFP_SCHEMA_PITER_ITEMS] = {"parameterIterator.items", piter_items},
    [KFP_SCHEMA_AITER] = {"artifactIterator", aiter},
    [KFP_SCHEMA_AITER_ITEMS] = {"artifactIterator.items", aiter_items},
    [KFP_SCHEMA_ITER_POLICY] = {"iteratorPolicy", iter_policy},
    [KFP_SCHEMA_RETRY] = {"retryPolicy", retry},
    [KFP_SCHEMA_TIN] = {"task inputs", tin},
    [KFP_SCHEMA_TIN_PARAM] = {"task input parameter", tin_param},
    [KFP_SCHEMA_TIN_ART] = {"task input artifact", tin_art},
    [KFP_SCHEMA_TOUT_PARAM] = {"taskOutputParameter", tout_param},
    [KFP_SCHEMA_TOUT_ART] = {"taskOutputArtifact", tout_art},
    [KFP_SCHEMA_FINAL_STATUS] = {"taskFinalStatus", final_status},
    [KFP_SCHEMA_VALUE] = {"runtimeValue", value},
    [KFP_SCHEMA_DEPLOY] = {"deploymentSpec", deploy},
    [KFP_SCHEMA_EXECUTOR] = {"executor", executor},
    [KFP_SCHEMA_CONTAINER] = {"container", container},
    [KFP_SCHEMA_LIFECYCLE] = {"lifecycle", lifecycle},
    [KFP_SCHEMA_EXEC] = {"preCacheCheck", exec_},
    [KFP_SCHEMA_RESOURCES] = {"resources", resources},
    [KFP_SCHEMA_ACCEL] = {"accelerator", accel},
    [KFP_SCHEMA_ENV] = {"env entry", env},
    [KFP_SCHEMA_IMPORTER] = {"importer", importer},
    [KFP_SCHEMA_RESOLVER] = {"resolver", resolver},
    [KFP_SCHEMA_QUERY] = {"artifact query", query},
    [KFP_SCHEMA_K8S] = {"Kubernetes executor config", k8s},
    [KFP_SCHEMA_INIT] = {"init container", init},
    [KFP_SCHEMA_KEY_TO_ENV] = {"secretAsEnv/configMapAsEnv entry", key_to_env},
    [KFP_SCHEMA_JOB] = {"PipelineJob", job},
    [KFP_SCHEMA_RUNTIME] = {"runtimeConfig", runtime},
    [KFP_SCHEMA_PLATFORM_DOC] = {"PlatformSpec", platform_doc},
    [KFP_SCHEMA_PLATFORMS] = {"platforms", platforms},
    [KFP_SCHEMA_PLATFORM] = {"platforms.kubernetes", platform},
    [KFP_SCHEMA_PLATFORM_DEPLOY] = {"platform deploymentSpec", platform_deploy},
    [KFP_SCHEMA_V1] = {"v1 component", v1},
    [KFP_SCHEMA_V1_IO] = {"v1 input/output", v1_io},
    [KFP_SCHEMA_V1_IMPL] = {"implementation", v1_impl},
    [KFP_SCHEMA_V1_CONTAINER] = {"v1 container", v1_container},
    [KFP_SCHEMA_V1_GRAPH] = {"v1 graph", v1_graph},
    [KFP_SCHEMA_V1_TASK] = {"v1 graph task", v1_task},
    [KFP_SCHEMA_V1_IF] = {"if placeholder", v1_if},
    [KFP_SCHEMA_V1_REF] = {"componentRef", v1_ref},
    [KFP_SCHEMA_V1_EXEC_OPTS] = {"executionOptions", v1_exec_opts},
    [KFP_SCHEMA_V1_RETRY] = {"retryStrategy", v1_retry},
    [KFP_SCHEMA_V1_CACHING] = {"cachingStrategy", v1_caching},
    [KFP_SCHEMA_V1_TASK_OUTPUT] = {"taskOutput", v1_task_output},
    [KFP_SCHEMA_V1_GRAPH_INPUT] = {"graphInput", v1_graph_input},
};

const char *kfp_schema_type_name(enum kfp_schema_type t)
{
    return (unsigned)t < KFP_SCHEMA__COUNT ? types[t].what : NULL;
}

const struct kfp_schema_field *kfp_schema_fields(enum kfp_schema_type t)
{
    return (unsigned)t < KFP_SCHEMA__COUNT ? types[t].fields : NULL;
}

const struct kfp_schema_field *kfp_schema_field(enum kfp_schema_type t, const struct kfp_node *k)
{
    const field *f = kfp_schema_fields(t);
    if (!f)
        return NULL;
    while (f->name && !kfp_key_is(k, f->name))
        f++;
    return f->name ? f : NULL;
}

enum kfp_schema_shape kfp_schema_shape(const struct kfp_schema_field *f)
{
    switch (f->kind) {
    case KFP_SCHEMA_V_OBJ:
        return KFP_SCHEMA_OBJECT;
    case KFP_SCHEMA_V_MAPOF:
        return KFP_SCHEMA_MAP;
    case KFP_SCHEMA_V_SEQOF:
        return KFP_SCHEMA_LIST;
    default:
        return KFP_SCHEMA_SCALAR;
    }
}

/* snake_case spelling of a camelCase field name. */
static void snake(const char *camel, char *out, size_t cap)
{
    size_t o = 0;
    for (; *camel && o + 2 < cap; camel++) {
        if (*camel >= 'A' && *camel <= 'Z') {
            out[o++] = '_';
            out[o++] = (char)(*camel - 'A' + 'a');
        } else {
            out[o++] = *camel;
        }
    }
    out[o] = '\0';
}

const char *kfp_schema_suggest(enum kfp_schema_type t, const char *name, char *out, size_t cap)
{
    const field *f = kfp_schema_fields(t);
    if (!f || !name || !cap)
        return NULL;
    bool snake_key = strchr(name, '_') != NULL;
    char snakes[64][48];
    struct kfp_suggest s;
    kfp_suggest_init(&s, name);
    for (size_t i = 0; f->name && i < 64; f++, i++) {
        snake(f->name, snakes[i], sizeof(snakes[i]));
        kfp_suggest_add(&s, snake_key ? snakes[i] : f->name);
    }
    const char *hint = kfp_suggest_result(&s);
    if (!hint)
        return NULL;
    size_t len = strlen(hint);
    if (len >= cap)
        len = cap - 1;
    memcpy(out, hint, len);
    out[len] = '\0';
    return out;
}

/* ---------------------------------------------------------------- the walk */

struct kfp_schema_walk {
    struct kfp_ctx *ctx;           /* where running out of memory is recorded (ctx->oom) */
    struct kfp_schema_item *items; /* the work list (kfp_malloc'd) */
    size_t len, cap;
    uint64_t *seen; /* the aliased nodes visited, with kind and type: open addressing, 0 = empty */
    size_t n_seen, seen_cap;
};

void kfp_schema_push(struct kfp_schema_walk *w, const struct kfp_node *n, const char *name,
                     enum kfp_schema_kind kind, enum kfp_schema_type type)
{
    if (w->len == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct kfp_schema_item *grown = kfp_realloc(w->items, cap * sizeof(*grown));
        if (!grown) {
            w->ctx->oom = 1;
            return;
        }
        w->items = grown;
        w->cap = cap;
    }
    w->items[w->len++] = (struct kfp_schema_item){n, name, kind, type};
}

/* True when (what an alias shares with its anchor, kind, type) was visited before; otherwise
 * records it. On allocation failure sets ctx->oom and returns true (stop). */
static bool seen_before(struct kfp_schema_walk *w, const void *target,
                        enum kfp_schema_kind kind, enum kfp_schema_type type)
{
    /* type in bits 1-7, kind in bits 8-15, the address above them (user-space addresses take
     * at most 48 bits); bit 0 is set, so that 0 stays "empty" */
    _Static_assert(KFP_SCHEMA__COUNT <= 128 && KFP_SCHEMA_V_GRAPH_ARGS < 256,
                   "the seen-set key has 7 bits for the type and 8 for the kind");
    uint64_t key = (uint64_t)(uintptr_t)target << 16 | (uint64_t)kind << 8 | (uint64_t)type << 1 | 1;
    if (2 * (w->n_seen + 1) > w->seen_cap) {
        size_t cap = w->seen_cap ? w->seen_cap * 2 : 64;
        uint64_t *grown = kfp_malloc(cap * sizeof(*grown));
        if (!grown) {
            w->ctx->oom = 1;
            return true;
        }
        memset(grown, 0, cap * sizeof(*grown));
        for (size_t i = 0; i < w->seen_cap; i++) {
            if (!w->seen[i])
                continue;
            size_t j = (size_t)(w->seen[i] * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
            while (grown[j])
                j = (j + 1) & (cap - 1);
            grown[j] = w->seen[i];
        }
        kfp_free(w->seen);
        w->seen = grown;
        w->seen_cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (w->seen_cap - 1);
    while (w->seen[j]) {
        if (w->seen[j] == key)
            return true;
        j = (j + 1) & (w->seen_cap - 1);
    }
    w->seen[j] = key;
    w->n_seen++;
    return false;
}

void kfp_schema_walk(struct kfp_ctx *ctx, const struct kfp_node *root, const char *name,
                     enum kfp_schema_type type, kfp_schema_visit visit)
{
    struct kfp_schema_walk w = {ctx, NULL, 0, 0, NULL, 0, 0};
    kfp_schema_push(&w, root, name, KFP_SCHEMA_V_OBJ, type);
    while (w.len && !ctx->oom) {
        struct kfp_schema_item it = w.items[--w.len];
        const struct kfp_node *n = kfp_deref(it.node);
        /* Every alias has its own copy of the anchored node (src/load.c: it carries the alias's
         * span), so the copy's address is no key: what the copies share is (a collection's
         * children, a scalar's text). 5,000 executors aliasing one container of 1,000 args
         * cost 2.3 s and 730 MB when each copy was walked. */
        if (n && it.node->kind == KFP_NODE_ALIAS &&
            seen_before(&w, n->kind == KFP_NODE_MAP   ? (const void *)n->u.pairs
                            : n->kind == KFP_NODE_SEQ ? (const void *)n->u.items
                                                      : (const void *)n->u.str,
                        it.kind, it.type))
            continue;
        visit(ctx, &w, &it);
    }
    kfp_free(w.items);
    kfp_free(w.seen);
}
