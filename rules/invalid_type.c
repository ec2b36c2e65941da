/* invalid_type.c — invalid-type: a known field whose value is not the kind of value (mapping,
 * list, string, number, boolean) KFP's schema requires.
 *
 * The schema is a table of object types; each lists its fields (the same ones unknown-field
 * knows) and the kind of value each holds. The walk is iterative and follows only the schema,
 * so it is linear in the size of the checked part; a value of the wrong kind is reported once
 * and not descended into. Keys the schema does not know are unknown-field's business.
 *
 * What counts as accepted follows the decoders KFP uses: protobuf JSON (Go protojson in the
 * backend, Python json_format in the SDK) for the v2 formats, and the SDK's v1 structures for
 * component.yaml:
 *   - null for a field means "not set": accepted everywhere (not inside a list);
 *   - a number field also accepts a string (protobuf JSON reads "10" as 10);
 *   - an enum field accepts its name (a string) or its number;
 *   - a string field does not accept a number or a boolean, a boolean field does not accept a
 *     string ("Expected true or false without quotes"), and a repeated field takes no null item.
 */
#include "kfplint/alloc.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a known field whose value is not the kind the Kubeflow Pipelines schema requires: "
    "a list where a mapping belongs (`root: [...]`), a number where a list of strings belongs "
    "(`args: 5`), a number where a name belongs (`name: 5`), a string where `true`/`false` "
    "belongs, and, in v1 `component.yaml`, placeholders of the wrong shape (`{inputValue: [1]}`, "
    "`{concat: 5}`). Every format kfplint reads is covered: v2 IR PipelineSpec, PipelineJob, the "
    "Kubernetes platform spec, single-component IR and v1 ComponentSpec. What KFP accepts is not "
    "reported: `null` for a field (it means \"not set\"), a string for a number field, an enum's "
    "name or number.\n\n"
    "## Why is this bad?\n"
    "KFP's protobuf decoder rejects the file when it is submitted, or, where the value sits in "
    "a free-form part (the platform spec), the run fails when the driver decodes it. Other "
    "checks cannot look inside a value of the wrong shape, so without this rule the file would "
    "look clean.\n\n"
    "## Example\n"
    "```yaml\n"
    "deploymentSpec:\n"
    "  executors:\n"
    "    exec-train:\n"
    "      container:\n"
    "        image: python:3.11\n"
    "        args: 5          # 'args' must be a list of strings, got a number\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: only the author knows what the value should be.\n";

/* ORDER schema types: enum and the table below. */
enum st {
    S_NONE, S_SPEC, S_INFO, S_COMPONENT, S_CIN, S_COUT, S_CIN_PARAM, S_CIN_ART, S_COUT_PARAM,
    S_COUT_ART, S_ART_TYPE, S_DAG, S_DAG_OUT, S_DAG_OUT_PARAM, S_DAG_OUT_ART, S_SELECTOR,
    S_SELECTORS, S_TASK, S_TASK_INFO, S_CACHING, S_COMP_REF, S_TRIGGER, S_PITER, S_PITER_ITEMS,
    S_AITER, S_AITER_ITEMS, S_ITER_POLICY, S_RETRY, S_TIN, S_TIN_PARAM, S_TIN_ART, S_TOUT_PARAM,
    S_TOUT_ART, S_FINAL_STATUS, S_VALUE, S_DEPLOY, S_EXECUTOR, S_CONTAINER, S_LIFECYCLE, S_EXEC,
    S_RESOURCES, S_ACCEL, S_ENV, S_IMPORTER, S_RESOLVER, S_QUERY, S_K8S, S_INIT, S_KEY_TO_ENV,
    S_JOB, S_RUNTIME, S_PLATFORM_DOC, S_PLATFORMS, S_PLATFORM, S_PLATFORM_DEPLOY, S_V1, S_V1_IO,
    S_V1_IMPL, S_V1_CONTAINER, S_V1_GRAPH, S_V1_TASK, S_V1_IF, S_V1_REF, S_V1_EXEC_OPTS,
    S_V1_RETRY, S_V1_CACHING, S_V1_TASK_OUTPUT, S_V1_GRAPH_INPUT,
    S__COUNT
};

/* What a field holds. */
enum vk {
    V_ANY,     /* anything (google.protobuf.Value, or a type KFP leaves open) */
    V_STR,     /* a string */
    V_NUM,     /* a number (or a string: protobuf JSON reads "10") */
    V_BOOL,    /* true or false */
    V_ENUM,    /* an enum: its name or its number */
    V_SCALAR,  /* a string, number or boolean (v1 defaults) */
    V_MAPPING, /* any mapping (Struct, map<string, …> of scalars) */
    V_LIST,    /* any list */
    V_STRS,    /* a list of strings */
    V_OBJ,     /* a mapping of type `type` */
    V_MAPOF,   /* a mapping whose values are mappings of type `type` */
    V_SEQOF,   /* a list of mappings of type `type` */
    V_ARGS,    /* v1 command/args: a list of strings and placeholders */
    V_ARG,     /* v1: one string or placeholder */
    V_ARG_OR_ARGS, /* v1 then/else: one argument or a list of them */
    V_GRAPH_ARGS,  /* v1 graph arguments/outputValues: names → constants, taskOutput, graphInput */
};

struct field {
    const char *name; /* lowerCamelCase (snake_case is matched too) */
    enum vk kind;
    enum st type; /* for V_OBJ, V_MAPOF, V_SEQOF */
};

#define S(n) {n, V_STR, S_NONE}
#define N(n) {n, V_NUM, S_NONE}
#define B(n) {n, V_BOOL, S_NONE}
#define E(n) {n, V_ENUM, S_NONE}
#define A(n) {n, V_ANY, S_NONE}
#define M(n) {n, V_MAPPING, S_NONE}
#define L(n) {n, V_LIST, S_NONE}
#define SL(n) {n, V_STRS, S_NONE}
#define O(n, t) {n, V_OBJ, t}
#define MO(n, t) {n, V_MAPOF, t}
#define LO(n, t) {n, V_SEQOF, t}
#define END {NULL, V_ANY, S_NONE}

/* v2: pipeline_spec.proto */
static const struct field spec[] = {
    O("pipelineInfo", S_INFO), O("deploymentSpec", S_DEPLOY), S("sdkVersion"), S("schemaVersion"),
    MO("components", S_COMPONENT), O("root", S_COMPONENT), S("defaultPipelineRoot"), END};
static const struct field info[] = {S("name"), S("displayName"), S("description"), END};
static const struct field component[] = {
    O("inputDefinitions", S_CIN), O("outputDefinitions", S_COUT), O("dag", S_DAG),
    S("executorLabel"), L("singlePlatformSpecs"), L("taskConfigPassthroughs"), END};
static const struct field cin[] = {MO("artifacts", S_CIN_ART), MO("parameters", S_CIN_PARAM), END};
static const struct field cout[] = {MO("artifacts", S_COUT_ART), MO("parameters", S_COUT_PARAM), END};
static const struct field cin_param[] = {E("type"), E("parameterType"), A("defaultValue"),
                                         B("isOptional"), S("description"), L("literals"), END};
static const struct field cin_art[] = {O("artifactType", S_ART_TYPE), B("isArtifactList"),
                                       B("isOptional"), S("description"), END};
static const struct field cout_param[] = {E("type"), E("parameterType"), S("description"), END};
static const struct field cout_art[] = {O("artifactType", S_ART_TYPE), M("properties"),
                                        M("customProperties"), M("metadata"), B("isArtifactList"),
                                        S("description"), END};
static const struct field art_type[] = {S("schemaTitle"), S("schemaUri"), S("instanceSchema"),
                                        S("schemaVersion"), END};
static const struct field dag[] = {MO("tasks", S_TASK), O("outputs", S_DAG_OUT), END};
static const struct field dag_out[] = {MO("artifacts", S_DAG_OUT_ART),
                                       MO("parameters", S_DAG_OUT_PARAM), END};
static const struct field dag_out_param[] = {O("valueFromParameter", S_SELECTOR),
                                             O("valueFromOneof", S_SELECTORS), END};
static const struct field dag_out_art[] = {LO("artifactSelectors", S_SELECTOR), END};
static const struct field selector[] = {S("producerSubtask"), S("outputParameterKey"),
                                        S("outputArtifactKey"), END};
static const struct field selectors[] = {LO("parameterSelectors", S_SELECTOR),
                                         M("mappedParameters"), END};
static const struct field task[] = {
    O("taskInfo", S_TASK_INFO), O("inputs", S_TIN), SL("dependentTasks"),
    O("cachingOptions", S_CACHING), O("componentRef", S_COMP_REF), O("triggerPolicy", S_TRIGGER),
    O("artifactIterator", S_AITER), O("parameterIterator", S_PITER), O("retryPolicy", S_RETRY),
    O("iteratorPolicy", S_ITER_POLICY), END};
static const struct field task_info[] = {S("name"), END};
static const struct field caching[] = {B("enableCache"), S("cacheKey"), END};
static const struct field comp_ref[] = {S("name"), END};
static const struct field trigger[] = {S("condition"), E("strategy"), END};
static const struct field piter[] = {O("items", S_PITER_ITEMS), S("itemInput"), END};
static const struct field piter_items[] = {S("raw"), S("inputParameter"), END};
static const struct field aiter[] = {O("items", S_AITER_ITEMS), S("itemInput"), END};
static const struct field aiter_items[] = {S("inputArtifact"), END};
static const struct field iter_policy[] = {N("parallelismLimit"), END};
/* backoffDuration and backoffMaxDuration are google.protobuf.Duration: a string like "3s" */
static const struct field retry[] = {N("maxRetryCount"), S("backoffDuration"), N("backoffFactor"),
                                     S("backoffMaxDuration"), END};
static const struct field tin[] = {MO("parameters", S_TIN_PARAM), MO("artifacts", S_TIN_ART), END};
static const struct field tin_param[] = {
    O("taskOutputParameter", S_TOUT_PARAM), O("runtimeValue", S_VALUE),
    S("componentInputParameter"), O("taskFinalStatus", S_FINAL_STATUS),
    S("parameterExpressionSelector"), END};
static const struct field tin_art[] = {O("taskOutputArtifact", S_TOUT_ART),
                                       S("componentInputArtifact"), END};
static const struct field tout_param[] = {S("producerTask"), S("outputParameterKey"), END};
static const struct field tout_art[] = {S("producerTask"), S("outputArtifactKey"), END};
static const struct field final_status[] = {S("producerTask"), END};
/* constantValue is the legacy Value message {intValue, doubleValue, stringValue}; constant is a
 * google.protobuf.Value (anything) */
static const struct field value[] = {M("constantValue"), S("runtimeParameter"), A("constant"), END};
static const struct field deploy[] = {MO("executors", S_EXECUTOR), END};
static const struct field executor[] = {O("container", S_CONTAINER), O("importer", S_IMPORTER),
                                        O("resolver", S_RESOLVER), M("customJob"), END};
static const struct field container[] = {
    S("image"), SL("command"), SL("args"), O("lifecycle", S_LIFECYCLE),
    O("resources", S_RESOURCES), LO("env", S_ENV), M("config"), END};
static const struct field lifecycle[] = {O("preCacheCheck", S_EXEC), END};
static const struct field exec_[] = {SL("command"), SL("args"), END};
static const struct field resources[] = {
    N("cpuLimit"), N("memoryLimit"), N("cpuRequest"), N("memoryRequest"), S("resourceCpuLimit"),
    S("resourceMemoryLimit"), S("resourceCpuRequest"), S("resourceMemoryRequest"),
    O("accelerator", S_ACCEL), END};
static const struct field accel[] = {S("type"), N("count"), S("resourceType"), S("resourceCount"), END};
static const struct field env[] = {S("name"), S("value"), END};
static const struct field importer[] = {O("artifactUri", S_VALUE), O("typeSchema", S_ART_TYPE),
                                        M("properties"), M("customProperties"), M("metadata"),
                                        B("reimport"), B("downloadToWorkspace"), END};
static const struct field resolver[] = {MO("outputArtifactQueries", S_QUERY), END};
static const struct field query[] = {S("filter"), N("limit"), END};
/* kubernetes_platform/proto/kubernetes_executor_config.proto */
static const struct field k8s[] = {
    L("secretAsVolume"), LO("secretAsEnv", S_KEY_TO_ENV), L("pvcMount"), M("nodeSelector"),
    M("podMetadata"), L("imagePullSecret"), S("imagePullPolicy"), L("configMapAsVolume"),
    LO("configMapAsEnv", S_KEY_TO_ENV), N("activeDeadlineSeconds"), L("fieldPathAsEnv"),
    L("tolerations"), L("genericEphemeralVolume"), L("nodeAffinity"), L("podAffinity"),
    M("enabledSharedMemory"), L("emptyDirMounts"), M("securityContext"),
    LO("initContainers", S_INIT), A("workspace"), END};
static const struct field key_to_env[] = {S("secretName"), M("secretNameParameter"),
                                          S("configMapName"), M("configMapNameParameter"),
                                          L("keyToEnv"), B("optional"), END};
static const struct field init[] = {S("name"), S("image"), SL("command"), SL("args"),
                                    LO("env", S_ENV), L("volumeMounts"), S("restartPolicy"),
                                    M("resources"), END};
/* PipelineJob (what kfp.v2.compiler writes): pipelineSpec is walked as a PipelineSpec */
static const struct field job[] = {S("displayName"), S("name"), M("labels"),
                                   O("runtimeConfig", S_RUNTIME), END};
static const struct field runtime[] = {M("parameters"), M("parameterValues"),
                                       S("gcsOutputDirectory"), E("failurePolicy"), END};
/* the PlatformSpec document: platforms.kubernetes.deploymentSpec.executors.<label> */
static const struct field platform_doc[] = {O("platforms", S_PLATFORMS), END};
static const struct field platforms[] = {O("kubernetes", S_PLATFORM), END};
static const struct field platform[] = {O("deploymentSpec", S_PLATFORM_DEPLOY),
                                        M("pipelineConfig"), END};
static const struct field platform_deploy[] = {MO("executors", S_K8S), END};
/* v1 ComponentSpec (sdk/python/kfp/dsl/v1_structures.py) */
static const struct field v1[] = {S("name"), S("description"), M("metadata"),
                                  LO("inputs", S_V1_IO), LO("outputs", S_V1_IO),
                                  O("implementation", S_V1_IMPL), END};
/* type is a TypeSpecType: a name, or a mapping/list for a parameterised type */
static const struct field v1_io[] = {S("name"), A("type"), S("description"),
                                     {"default", V_SCALAR, S_NONE}, B("optional"),
                                     M("annotations"), END};
static const struct field v1_impl[] = {O("container", S_V1_CONTAINER), O("graph", S_V1_GRAPH), END};
static const struct field v1_container[] = {S("image"), {"command", V_ARGS, S_NONE},
                                            {"args", V_ARGS, S_NONE}, M("env"),
                                            M("fileOutputs"), END};
static const struct field v1_graph[] = {MO("tasks", S_V1_TASK),
                                        {"outputValues", V_GRAPH_ARGS, S_NONE}, END};
static const struct field v1_task[] = {O("componentRef", S_V1_REF),
                                       {"arguments", V_GRAPH_ARGS, S_NONE}, A("isEnabled"),
                                       O("executionOptions", S_V1_EXEC_OPTS), M("annotations"), END};
static const struct field v1_ref[] = {S("name"), S("digest"), S("tag"), S("url"), M("spec"),
                                      S("text"), END};
static const struct field v1_exec_opts[] = {O("retryStrategy", S_V1_RETRY),
                                            O("cachingStrategy", S_V1_CACHING), END};
static const struct field v1_retry[] = {N("maxRetries"), END};
static const struct field v1_caching[] = {S("maxCacheStaleness"), END};
static const struct field v1_task_output[] = {S("taskId"), S("outputName"), A("type"), END};
static const struct field v1_graph_input[] = {S("inputName"), A("type"), END};
/* {if: {cond, then, else}}: cond is a placeholder or a boolean-like constant; then and else are
 * one argument or a list (IfPlaceholderStructure: Union[CommandlineArgumentType, List[…]]) */
static const struct field v1_if[] = {A("cond"), {"then", V_ARG_OR_ARGS, S_NONE},
                                     {"else", V_ARG_OR_ARGS, S_NONE}, END};

static const struct {
    const char *what;
    const struct field *fields;
} types[S__COUNT] = {
    [S_NONE] = {NULL, NULL},
    [S_SPEC] = {"PipelineSpec", spec},
    [S_INFO] = {"pipelineInfo", info},
    [S_COMPONENT] = {"component", component},
    [S_CIN] = {"inputDefinitions", cin},
    [S_COUT] = {"outputDefinitions", cout},
    [S_CIN_PARAM] = {"input parameter definition", cin_param},
    [S_CIN_ART] = {"input artifact definition", cin_art},
    [S_COUT_PARAM] = {"output parameter definition", cout_param},
    [S_COUT_ART] = {"output artifact definition", cout_art},
    [S_ART_TYPE] = {"artifactType", art_type},
    [S_DAG] = {"dag", dag},
    [S_DAG_OUT] = {"dag outputs", dag_out},
    [S_DAG_OUT_PARAM] = {"dag output parameter", dag_out_param},
    [S_DAG_OUT_ART] = {"dag output artifact", dag_out_art},
    [S_SELECTOR] = {"output selector", selector},
    [S_SELECTORS] = {"valueFromOneof", selectors},
    [S_TASK] = {"task", task},
    [S_TASK_INFO] = {"taskInfo", task_info},
    [S_CACHING] = {"cachingOptions", caching},
    [S_COMP_REF] = {"componentRef", comp_ref},
    [S_TRIGGER] = {"triggerPolicy", trigger},
    [S_PITER] = {"parameterIterator", piter},
    [S_PITER_ITEMS] = {"parameterIterator.items", piter_items},
    [S_AITER] = {"artifactIterator", aiter},
    [S_AITER_ITEMS] = {"artifactIterator.items", aiter_items},
    [S_ITER_POLICY] = {"iteratorPolicy", iter_policy},
    [S_RETRY] = {"retryPolicy", retry},
    [S_TIN] = {"task inputs", tin},
    [S_TIN_PARAM] = {"task input parameter", tin_param},
    [S_TIN_ART] = {"task input artifact", tin_art},
    [S_TOUT_PARAM] = {"taskOutputParameter", tout_param},
    [S_TOUT_ART] = {"taskOutputArtifact", tout_art},
    [S_FINAL_STATUS] = {"taskFinalStatus", final_status},
    [S_VALUE] = {"runtimeValue", value},
    [S_DEPLOY] = {"deploymentSpec", deploy},
    [S_EXECUTOR] = {"executor", executor},
    [S_CONTAINER] = {"container", container},
    [S_LIFECYCLE] = {"lifecycle", lifecycle},
    [S_EXEC] = {"preCacheCheck", exec_},
    [S_RESOURCES] = {"resources", resources},
    [S_ACCEL] = {"accelerator", accel},
    [S_ENV] = {"env entry", env},
    [S_IMPORTER] = {"importer", importer},
    [S_RESOLVER] = {"resolver", resolver},
    [S_QUERY] = {"artifact query", query},
    [S_K8S] = {"Kubernetes executor config", k8s},
    [S_INIT] = {"init container", init},
    [S_KEY_TO_ENV] = {"secretAsEnv/configMapAsEnv entry", key_to_env},
    [S_JOB] = {"PipelineJob", job},
    [S_RUNTIME] = {"runtimeConfig", runtime},
    [S_PLATFORM_DOC] = {"PlatformSpec", platform_doc},
    [S_PLATFORMS] = {"platforms", platforms},
    [S_PLATFORM] = {"platforms.kubernetes", platform},
    [S_PLATFORM_DEPLOY] = {"platform deploymentSpec", platform_deploy},
    [S_V1] = {"v1 component", v1},
    [S_V1_IO] = {"v1 input/output", v1_io},
    [S_V1_IMPL] = {"implementation", v1_impl},
    [S_V1_CONTAINER] = {"v1 container", v1_container},
    [S_V1_GRAPH] = {"v1 graph", v1_graph},
    [S_V1_TASK] = {"v1 graph task", v1_task},
    [S_V1_IF] = {"if placeholder", v1_if},
    [S_V1_REF] = {"componentRef", v1_ref},
    [S_V1_EXEC_OPTS] = {"executionOptions", v1_exec_opts},
    [S_V1_RETRY] = {"retryStrategy", v1_retry},
    [S_V1_CACHING] = {"cachingStrategy", v1_caching},
    [S_V1_TASK_OUTPUT] = {"taskOutput", v1_task_output},
    [S_V1_GRAPH_INPUT] = {"graphInput", v1_graph_input},
};

/* v1 placeholders that name an input or output: {inputValue: NAME} and the like. The others:
 * {concat: [ARG…]}, {if: {cond, then, else}}, and {executorInput: null}, {outputMetadata: null},
 * which take no name. */
static const char *const v1_name_placeholders[] = {
    "inputValue", "inputPath", "outputPath", "inputUri", "outputUri", "isPresent",
    "inputMetadata", NULL};

/* A pending check: node `n` is the value of `name` and must be of kind `kind` (type `type`). */
struct item {
    const struct kfp_node *n;
    const char *name;
    enum vk kind;
    enum st type;
};

/* The work list, and the aliased nodes already checked: an alias is checked once per kind, so
 * aliases of aliases (a "billion laughs" of placeholders) cost their size, not their expansion;
 * the findings are the same, since they sit at the anchored nodes. */
struct stack {
    struct item *items;
    size_t len, cap;
    uint64_t *seen; /* open addressing; 0 = empty */
    size_t n_seen, seen_cap;
};

/* True when (alias target, kind, type) was checked before; otherwise records it. On allocation
 * failure sets ctx->oom and returns true (stop). */
static bool seen_before(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *target,
                        enum vk kind, enum st type)
{
    uint64_t key = ((uint64_t)(uintptr_t)target << 12 | (uint64_t)kind << 6 | (uint64_t)type) | 1;
    if (2 * (st->n_seen + 1) > st->seen_cap) {
        size_t cap = st->seen_cap ? st->seen_cap * 2 : 64;
        uint64_t *grown = kfp_malloc(cap * sizeof(*grown));
        if (!grown) {
            ctx->oom = 1;
            return true;
        }
        memset(grown, 0, cap * sizeof(*grown));
        for (size_t i = 0; i < st->seen_cap; i++) {
            if (!st->seen[i])
                continue;
            size_t j = (size_t)(st->seen[i] * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
            while (grown[j])
                j = (j + 1) & (cap - 1);
            grown[j] = st->seen[i];
        }
        kfp_free(st->seen);
        st->seen = grown;
        st->seen_cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (st->seen_cap - 1);
    while (st->seen[j]) {
        if (st->seen[j] == key)
            return true;
        j = (j + 1) & (st->seen_cap - 1);
    }
    st->seen[j] = key;
    st->n_seen++;
    return false;
}

static void push(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *n,
                 const char *name, enum vk kind, enum st type)
{
    if (st->len == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        struct item *grown = kfp_realloc(st->items, cap * sizeof(*grown));
        if (!grown) {
            ctx->oom = 1;
            return;
        }
        st->items = grown;
        st->cap = cap;
    }
    st->items[st->len++] = (struct item){n, name, kind, type};
}

static bool is_string(const struct kfp_node *n)
{
    return kfp_scalar_type(n) == KFP_SCALAR_STRING;
}

/* " (quote it)" when a plain number or boolean stands where a string belongs. */
static const char *quote_hint(const struct kfp_node *n)
{
    enum kfp_scalar_type t = kfp_scalar_type(n);
    return t == KFP_SCALAR_INT || t == KFP_SCALAR_FLOAT || t == KFP_SCALAR_BOOL
               ? " (quote it to make it a string)"
               : "";
}

static void bad(struct kfp_ctx *ctx, const struct kfp_node *n, const char *name, const char *want)
{
    kfp_report_at(ctx, n, "'%s' must be %s, got %s%s", name, want, kfp_node_kind_name(n),
                  !strcmp(want, "a string") ? quote_hint(n) : "");
}

/* A v1 argument: a string, or a placeholder mapping with one known key whose value has the
 * right shape. Unknown placeholder keys are left alone (KFP may add placeholders). */
static void v1_arg(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *n, const char *name)
{
    if (is_string(n))
        return;
    if (n->kind != KFP_NODE_MAP) {
        kfp_report_at(ctx, n, "'%s' items must be strings or placeholders such as {inputValue: "
                              "NAME}, got %s%s", name, kfp_node_kind_name(n), quote_hint(n));
        return;
    }
    for (uint32_t i = 0; i < n->len; i++) {
        const struct kfp_node *k = &n->u.pairs[i].key, *v = kfp_deref(&n->u.pairs[i].value);
        const char *key = kfp_scalar(kfp_deref(k));
        if (!key || !v)
            continue;
        bool named = false;
        for (size_t p = 0; v1_name_placeholders[p] && !named; p++)
            named = !strcmp(key, v1_name_placeholders[p]);
        if (named && !is_string(v))
            kfp_report_at(ctx, v, "placeholder '%s' takes an input or output name (a string), "
                                  "got %s%s", key, kfp_node_kind_name(v), quote_hint(v));
        else if (!strcmp(key, "concat"))
            push(ctx, st, &n->u.pairs[i].value, "concat", V_ARGS, S_NONE);
        else if (!strcmp(key, "if"))
            push(ctx, st, &n->u.pairs[i].value, "if", V_OBJ, S_V1_IF);
    }
}

/* Checks item `it` and pushes what lies below it. */
static void check_item(struct kfp_ctx *ctx, struct stack *st, const struct item *it)
{
    const struct kfp_node *n = kfp_deref(it->n);
    if (!n)
        return;
    if (it->n->kind == KFP_NODE_ALIAS && seen_before(ctx, st, n, it->kind, it->type))
        return;
    enum kfp_scalar_type t = kfp_scalar_type(n);
    if (t == KFP_SCALAR_NULL && it->kind != V_ARG)
        return; /* null: the field is not set */
    switch (it->kind) {
    case V_ANY:
        return;
    case V_STR:
        if (t != KFP_SCALAR_STRING)
            bad(ctx, n, it->name, "a string");
        return;
    case V_NUM:
        if (t != KFP_SCALAR_INT && t != KFP_SCALAR_FLOAT && t != KFP_SCALAR_STRING)
            bad(ctx, n, it->name, "a number");
        return;
    case V_BOOL:
        if (t != KFP_SCALAR_BOOL)
            bad(ctx, n, it->name, "true or false");
        return;
    case V_ENUM:
        if (t != KFP_SCALAR_STRING && t != KFP_SCALAR_INT)
            bad(ctx, n, it->name, "an enum name (a string)");
        return;
    case V_SCALAR:
        if (n->kind != KFP_NODE_SCALAR)
            bad(ctx, n, it->name, "a string, number or boolean");
        return;
    case V_MAPPING:
        if (n->kind != KFP_NODE_MAP)
            bad(ctx, n, it->name, "a mapping");
        return;
    case V_LIST:
        if (n->kind != KFP_NODE_SEQ)
            bad(ctx, n, it->name, "a list");
        return;
    case V_STRS:
        if (n->kind != KFP_NODE_SEQ) {
            bad(ctx, n, it->name, "a list of strings");
            return;
        }
        for (uint32_t i = 0; i < n->len; i++) {
            const struct kfp_node *e = kfp_deref(&n->u.items[i]);
            if (e && !is_string(e))
                kfp_report_at(ctx, e, "'%s' must be a list of strings, got %s in it%s", it->name,
                              kfp_node_kind_name(e), quote_hint(e));
        }
        return;
    case V_ARGS:
        if (n->kind != KFP_NODE_SEQ) {
            bad(ctx, n, it->name, "a list of strings and placeholders");
            return;
        }
        for (uint32_t i = n->len; i-- > 0;)
            push(ctx, st, &n->u.items[i], it->name, V_ARG, S_NONE);
        return;
    case V_ARG:
        v1_arg(ctx, st, n, it->name);
        return;
    case V_GRAPH_ARGS:
        /* ArgumentType: a constant, {taskOutput: {taskId, outputName}} or
         * {graphInput: {inputName}} */
        if (n->kind != KFP_NODE_MAP) {
            bad(ctx, n, it->name, "a mapping of names to arguments");
            return;
        }
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
            const struct kfp_node *arg;
            if (!v || v->kind != KFP_NODE_MAP) {
                if (v && v->kind == KFP_NODE_SEQ)
                    kfp_report_at(ctx, v, "a v1 argument must be a constant, {taskOutput: …} or "
                                          "{graphInput: …}, got a list");
                continue;
            }
            if ((arg = kfp_map_get(v, "taskOutput", NULL)))
                push(ctx, st, arg, "taskOutput", V_OBJ, S_V1_TASK_OUTPUT);
            if ((arg = kfp_map_get(v, "graphInput", NULL)))
                push(ctx, st, arg, "graphInput", V_OBJ, S_V1_GRAPH_INPUT);
        }
        return;
    case V_ARG_OR_ARGS:
        if (n->kind == KFP_NODE_SEQ)
            for (uint32_t i = n->len; i-- > 0;)
                push(ctx, st, &n->u.items[i], it->name, V_ARG, S_NONE);
        else
            v1_arg(ctx, st, n, it->name);
        return;
    case V_OBJ:
    case V_MAPOF:
        if (n->kind != KFP_NODE_MAP) {
            bad(ctx, n, it->name, it->kind == V_OBJ ? "a mapping" : "a mapping of names to definitions");
            return;
        }
        break;
    case V_SEQOF:
        if (n->kind != KFP_NODE_SEQ) {
            bad(ctx, n, it->name, "a list of mappings");
            return;
        }
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *e = kfp_deref(&n->u.items[i]);
            if (e && e->kind != KFP_NODE_MAP)
                kfp_report_at(ctx, e, "'%s' must be a list of mappings, got %s in it", it->name,
                              kfp_node_kind_name(e));
            else
                push(ctx, st, &n->u.items[i], it->name, V_OBJ, it->type);
        }
        return;
    }
    if (it->kind == V_MAPOF) {
        for (uint32_t i = n->len; i-- > 0;) {
            const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
            const char *key = kfp_scalar(kfp_deref(&n->u.pairs[i].key));
            if (v && v->kind != KFP_NODE_MAP && kfp_scalar_type(v) != KFP_SCALAR_NULL)
                kfp_report_at(ctx, v, "'%s' in '%s' must be a mapping (%s), got %s",
                              key ? key : "?", it->name, types[it->type].what,
                              kfp_node_kind_name(v));
            else
                push(ctx, st, &n->u.pairs[i].value, it->name, V_OBJ, it->type);
        }
        return;
    }
    /* V_OBJ: every known field, in source order (pushed in reverse) */
    for (uint32_t i = n->len; i-- > 0;) {
        const struct kfp_node *k = &n->u.pairs[i].key;
        const struct field *f = types[it->type].fields;
        while (f->name && !kfp_key_is(k, f->name))
            f++;
        if (f->name)
            push(ctx, st, &n->u.pairs[i].value, f->name, f->kind, f->type);
    }
}

static void walk(struct kfp_ctx *ctx, const struct kfp_node *root, const char *name, enum st type)
{
    struct stack st = {NULL, 0, 0, NULL, 0, 0};
    push(ctx, &st, root, name, V_OBJ, type);
    while (st.len && !ctx->oom) {
        struct item it = st.items[--st.len];
        check_item(ctx, &st, &it);
    }
    kfp_free(st.items);
    kfp_free(st.seen);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        walk(ctx, m->top, "component", S_V1);
        return;
    }
    if (m->kind == KFP_DOC_PIPELINE_JOB && m->top && m->top != m->spec)
        walk(ctx, m->top, "PipelineJob", S_JOB);
    if (m->spec)
        walk(ctx, m->spec, "PipelineSpec", S_SPEC);
    if (m->platform_doc)
        walk(ctx, m->platform_doc, "PlatformSpec", S_PLATFORM_DOC);
}

const struct kfp_rule kfp_rule_invalid_type = {
    .id = "invalid-type",
    .summary = "a field's value is not the kind the KFP schema requires",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,schema",
    .doc = doc,
    .check = check,
};
