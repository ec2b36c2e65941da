/* unknown_field.c — unknown-field: a key the KFP schema does not define where the schema is
 * closed.
 *
 * The schema is a table of object types; each lists its fields and what a field's value holds
 * (an object of another type, a map of such objects, or a list of them). The walk over the tree
 * is iterative and follows only the schema, so it is linear in the size of the checked part.
 */
#include "kfplint/alloc.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports a key that the Kubeflow Pipelines schema does not define, wherever the schema is "
    "closed: the PipelineSpec top level, `pipelineInfo`, components and their input/output "
    "definitions, DAGs, tasks and their inputs, executors and containers, PlatformSpec "
    "executors, v1 `component.yaml`, and a PipelineJob's wrapper and `runtimeConfig` (the "
    "fields of KFP's and Vertex AI's PipelineJob). camelCase and snake_case spellings are both "
    "known. "
    "A near miss gets a \"did you mean\".\n\n"
    "## Why is this bad?\n"
    "KFP's API server rejects unknown fields in the spec, and its backend silently drops them in "
    "executors and platform config, where a typo (`dependentTask`, `secretAsEnvs`) quietly "
    "changes what runs.\n\n"
    "## Example\n"
    "```yaml\n"
    "tasks:\n"
    "  train:\n"
    "    dependentTask: [preprocess]    # did you mean 'dependentTasks'?\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: a renamed key can change what runs.\n";

/* ORDER schema types: enum and the table below. */
enum st {
    S_OPEN, S_SPEC, S_INFO, S_COMPONENT, S_CIN, S_COUT, S_CIN_PARAM, S_CIN_ART, S_COUT_PARAM,
    S_COUT_ART, S_ART_TYPE, S_DAG, S_DAG_OUT, S_DAG_OUT_PARAM, S_DAG_OUT_ART, S_SELECTOR,
    S_SELECTORS, S_TASK, S_TASK_INFO, S_CACHING, S_COMP_REF, S_TRIGGER, S_PITER, S_PITER_ITEMS,
    S_AITER, S_AITER_ITEMS, S_ITER_POLICY, S_RETRY, S_TIN, S_TIN_PARAM, S_TIN_ART, S_TOUT_PARAM,
    S_TOUT_ART, S_FINAL_STATUS, S_VALUE, S_DEPLOY, S_EXECUTOR, S_CONTAINER, S_LIFECYCLE, S_EXEC,
    S_RESOURCES, S_ACCEL, S_ENV, S_IMPORTER, S_RESOLVER, S_QUERY, S_K8S, S_INIT, S_KEY_TO_ENV,
    S_V1, S_V1_IO, S_V1_IMPL, S_V1_CONTAINER, S_V1_GRAPH, S_V1_TASK,
    S_JOB, S_RUNTIME,
    S__COUNT
};

enum how { OBJ, MAP, SEQ, LEAF };

struct field {
    const char *name; /* lowerCamelCase (snake_case is derived) */
    enum st type;
    enum how how;
};

#define F(n) {n, S_OPEN, LEAF}
#define END {NULL, S_OPEN, LEAF}

static const struct field spec[] = {
    {"pipelineInfo", S_INFO, OBJ}, {"deploymentSpec", S_DEPLOY, OBJ}, F("sdkVersion"),
    F("schemaVersion"), {"components", S_COMPONENT, MAP}, {"root", S_COMPONENT, OBJ},
    F("defaultPipelineRoot"), END};
static const struct field info[] = {F("name"), F("displayName"), F("description"), END};
static const struct field component[] = {
    {"inputDefinitions", S_CIN, OBJ}, {"outputDefinitions", S_COUT, OBJ}, {"dag", S_DAG, OBJ},
    F("executorLabel"), F("singlePlatformSpecs"), F("taskConfigPassthroughs"), END};
static const struct field cin[] = {{"artifacts", S_CIN_ART, MAP}, {"parameters", S_CIN_PARAM, MAP}, END};
static const struct field cout[] = {{"artifacts", S_COUT_ART, MAP}, {"parameters", S_COUT_PARAM, MAP}, END};
static const struct field cin_param[] = {F("type"), F("parameterType"), F("defaultValue"),
                                         F("isOptional"), F("description"), F("literals"), END};
static const struct field cin_art[] = {{"artifactType", S_ART_TYPE, OBJ}, F("isArtifactList"),
                                       F("isOptional"), F("description"), END};
static const struct field cout_param[] = {F("type"), F("parameterType"), F("description"), END};
static const struct field cout_art[] = {{"artifactType", S_ART_TYPE, OBJ}, F("properties"),
                                        F("customProperties"), F("metadata"), F("isArtifactList"),
                                        F("description"), END};
static const struct field art_type[] = {F("schemaTitle"), F("schemaUri"), F("instanceSchema"),
                                        F("schemaVersion"), END};
static const struct field dag[] = {{"tasks", S_TASK, MAP}, {"outputs", S_DAG_OUT, OBJ}, END};
static const struct field dag_out[] = {{"artifacts", S_DAG_OUT_ART, MAP},
                                       {"parameters", S_DAG_OUT_PARAM, MAP}, END};
static const struct field dag_out_param[] = {{"valueFromParameter", S_SELECTOR, OBJ},
                                             {"valueFromOneof", S_SELECTORS, OBJ}, END};
static const struct field dag_out_art[] = {{"artifactSelectors", S_SELECTOR, SEQ}, END};
static const struct field selector[] = {F("producerSubtask"), F("outputParameterKey"),
                                        F("outputArtifactKey"), END};
static const struct field selectors[] = {{"parameterSelectors", S_SELECTOR, SEQ},
                                         F("mappedParameters"), END};
static const struct field task[] = {
    {"taskInfo", S_TASK_INFO, OBJ}, {"inputs", S_TIN, OBJ}, F("dependentTasks"),
    {"cachingOptions", S_CACHING, OBJ}, {"componentRef", S_COMP_REF, OBJ},
    {"triggerPolicy", S_TRIGGER, OBJ}, {"artifactIterator", S_AITER, OBJ},
    {"parameterIterator", S_PITER, OBJ}, {"retryPolicy", S_RETRY, OBJ},
    {"iteratorPolicy", S_ITER_POLICY, OBJ}, END};
static const struct field task_info[] = {F("name"), END};
static const struct field caching[] = {F("enableCache"), F("cacheKey"), END};
static const struct field comp_ref[] = {F("name"), END};
static const struct field trigger[] = {F("condition"), F("strategy"), END};
static const struct field piter[] = {{"items", S_PITER_ITEMS, OBJ}, F("itemInput"), END};
static const struct field piter_items[] = {F("raw"), F("inputParameter"), END};
static const struct field aiter[] = {{"items", S_AITER_ITEMS, OBJ}, F("itemInput"), END};
static const struct field aiter_items[] = {F("inputArtifact"), END};
static const struct field iter_policy[] = {F("parallelismLimit"), END};
static const struct field retry[] = {F("maxRetryCount"), F("backoffDuration"), F("backoffFactor"),
                                     F("backoffMaxDuration"), END};
static const struct field tin[] = {{"parameters", S_TIN_PARAM, MAP}, {"artifacts", S_TIN_ART, MAP}, END};
static const struct field tin_param[] = {
    {"taskOutputParameter", S_TOUT_PARAM, OBJ}, {"runtimeValue", S_VALUE, OBJ},
    F("componentInputParameter"), {"taskFinalStatus", S_FINAL_STATUS, OBJ},
    F("parameterExpressionSelector"), END};
static const struct field tin_art[] = {{"taskOutputArtifact", S_TOUT_ART, OBJ},
                                       F("componentInputArtifact"), END};
static const struct field tout_param[] = {F("producerTask"), F("outputParameterKey"), END};
static const struct field tout_art[] = {F("producerTask"), F("outputArtifactKey"), END};
static const struct field final_status[] = {F("producerTask"), END};
static const struct field value[] = {F("constantValue"), F("runtimeParameter"), F("constant"), END};
static const struct field deploy[] = {{"executors", S_EXECUTOR, MAP}, END};
static const struct field executor[] = {{"container", S_CONTAINER, OBJ}, {"importer", S_IMPORTER, OBJ},
                                        {"resolver", S_RESOLVER, OBJ}, F("customJob"), END};
static const struct field container[] = {
    F("image"), F("command"), F("args"), {"lifecycle", S_LIFECYCLE, OBJ},
    {"resources", S_RESOURCES, OBJ}, {"env", S_ENV, SEQ}, F("config"), END};
static const struct field lifecycle[] = {{"preCacheCheck", S_EXEC, OBJ}, END};
static const struct field exec_[] = {F("command"), F("args"), END};
static const struct field resources[] = {
    F("cpuLimit"), F("memoryLimit"), F("cpuRequest"), F("memoryRequest"), F("resourceCpuLimit"),
    F("resourceMemoryLimit"), F("resourceCpuRequest"), F("resourceMemoryRequest"),
    {"accelerator", S_ACCEL, OBJ}, END};
static const struct field accel[] = {F("type"), F("count"), F("resourceType"), F("resourceCount"), END};
static const struct field env[] = {F("name"), F("value"), END};
static const struct field importer[] = {F("artifactUri"), {"typeSchema", S_ART_TYPE, OBJ},
                                        F("properties"), F("customProperties"), F("metadata"),
                                        F("reimport"), F("downloadToWorkspace"), END};
static const struct field resolver[] = {{"outputArtifactQueries", S_QUERY, MAP}, END};
static const struct field query[] = {F("filter"), F("limit"), END};
static const struct field k8s[] = {
    F("secretAsVolume"), {"secretAsEnv", S_KEY_TO_ENV, SEQ}, F("pvcMount"), F("nodeSelector"),
    F("podMetadata"), F("imagePullSecret"), F("imagePullPolicy"),
    {"configMapAsVolume", S_OPEN, LEAF}, {"configMapAsEnv", S_KEY_TO_ENV, SEQ},
    F("activeDeadlineSeconds"), F("fieldPathAsEnv"), F("tolerations"), F("genericEphemeralVolume"),
    F("nodeAffinity"), F("podAffinity"), F("enabledSharedMemory"), F("emptyDirMounts"),
    F("securityContext"), {"initContainers", S_INIT, SEQ}, F("workspace"), END};
static const struct field key_to_env[] = {F("secretName"), F("secretNameParameter"),
                                          F("configMapName"), F("configMapNameParameter"),
                                          F("keyToEnv"), F("optional"), END};
static const struct field init[] = {F("name"), F("image"), F("command"), F("args"),
                                    {"env", S_ENV, SEQ}, F("volumeMounts"), F("restartPolicy"),
                                    F("resources"), END};
/* v1 ComponentSpec (sdk/python/kfp/dsl/v1_structures.py) */
static const struct field v1[] = {F("name"), F("description"), F("metadata"),
                                  {"inputs", S_V1_IO, SEQ}, {"outputs", S_V1_IO, SEQ},
                                  {"implementation", S_V1_IMPL, OBJ}, END};
static const struct field v1_io[] = {F("name"), F("type"), F("description"), F("default"),
                                     F("optional"), F("annotations"), END};
static const struct field v1_impl[] = {{"container", S_V1_CONTAINER, OBJ},
                                       {"graph", S_V1_GRAPH, OBJ}, END};
static const struct field v1_container[] = {F("image"), F("command"), F("args"), F("env"),
                                            F("fileOutputs"), END};
static const struct field v1_graph[] = {{"tasks", S_V1_TASK, MAP}, F("outputValues"), END};
static const struct field v1_task[] = {F("componentRef"), F("arguments"), F("isEnabled"),
                                       F("executionOptions"), F("annotations"), END};
/* PipelineJob (pipeline_spec.proto, with the fields Vertex AI's PipelineJob adds) */
static const struct field job[] = {
    F("name"), F("displayName"), {"pipelineSpec", S_SPEC, OBJ}, F("labels"),
    {"runtimeConfig", S_RUNTIME, OBJ}, F("createTime"), F("startTime"), F("endTime"),
    F("updateTime"), F("state"), F("jobDetail"), F("error"), F("encryptionSpec"),
    F("serviceAccount"), F("network"), F("reservedIpRanges"), F("templateUri"),
    F("templateMetadata"), F("scheduleName"), F("preflightValidations"), F("satisfiesPzs"),
    F("satisfiesPzi"), F("originalPipelineJobId"), F("pipelineTaskRerunConfigs"),
    F("pscInterfaceConfig"), END};
static const struct field runtime[] = {F("parameters"), F("parameterValues"),
                                       F("gcsOutputDirectory"), F("failurePolicy"),
                                       F("inputArtifacts"), F("defaultRuntime"), END};

static const struct {
    const char *what;
    const struct field *fields;
} types[S__COUNT] = {
    [S_OPEN] = {NULL, NULL},
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
    [S_V1] = {"v1 component", v1},
    [S_V1_IO] = {"v1 input/output", v1_io},
    [S_V1_IMPL] = {"implementation", v1_impl},
    [S_V1_CONTAINER] = {"v1 container", v1_container},
    [S_V1_GRAPH] = {"v1 graph", v1_graph},
    [S_V1_TASK] = {"v1 graph task", v1_task},
    [S_JOB] = {"PipelineJob", job},
    [S_RUNTIME] = {"runtimeConfig", runtime},
};

struct item {
    const struct kfp_node *node;
    enum st type;
};

/* snake_case spelling of a camelCase field name, for suggestions. */
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

static void unknown(struct kfp_ctx *ctx, const struct kfp_node *key, enum st type)
{
    const char *name = kfp_scalar(key);
    if (!name)
        return;
    bool snake_key = strchr(name, '_') != NULL;
    char snakes[64][48];
    struct kfp_suggest s;
    kfp_suggest_init(&s, name);
    size_t i = 0;
    for (const struct field *f = types[type].fields; f->name && i < 64; f++, i++) {
        snake(f->name, snakes[i], sizeof(snakes[i]));
        kfp_suggest_add(&s, snake_key ? snakes[i] : f->name);
    }
    const char *hint = kfp_suggest_result(&s);
    if (hint)
        kfp_report_at(ctx, key, "unknown field '%s' in %s: did you mean '%s'?", name,
                      types[type].what, hint);
    else
        kfp_report_at(ctx, key, "unknown field '%s' in %s: KFP does not define it (a typo is "
                                "rejected by the API server or silently dropped at run time)",
                      name, types[type].what);
}

struct stack {
    struct item *items;
    size_t len, cap;
};

static void push(struct kfp_ctx *ctx, struct stack *st, const struct kfp_node *n, enum st t)
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
    st->items[st->len].node = n;
    st->items[st->len].type = t;
    st->len++;
}

static void walk(struct kfp_ctx *ctx, const struct kfp_node *root, enum st type)
{
    struct stack stack = {NULL, 0, 0};
    push(ctx, &stack, root, type);
    while (stack.len && !ctx->oom) {
        struct item it = stack.items[--stack.len];
        const struct kfp_node *n = kfp_deref(it.node);
        if (!n || n->kind != KFP_NODE_MAP || it.type == S_OPEN)
            continue;
        for (uint32_t i = 0; i < n->len; i++) {
            const struct kfp_node *k = &n->u.pairs[i].key;
            const struct field *f = types[it.type].fields;
            while (f->name && !kfp_key_is(k, f->name))
                f++;
            if (!f->name) {
                unknown(ctx, kfp_deref(k), it.type);
                continue;
            }
            const struct kfp_node *v = kfp_deref(&n->u.pairs[i].value);
            if (!v || f->how == LEAF)
                continue;
            if (f->how == OBJ) {
                push(ctx, &stack, v, f->type);
            } else if (f->how == MAP && v->kind == KFP_NODE_MAP) {
                for (uint32_t j = 0; j < v->len; j++)
                    push(ctx, &stack, &v->u.pairs[j].value, f->type);
            } else if (f->how == SEQ && v->kind == KFP_NODE_SEQ) {
                for (uint32_t j = 0; j < v->len; j++)
                    push(ctx, &stack, &v->u.items[j], f->type);
            }
        }
    }
    kfp_free(stack.items);
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        walk(ctx, m->top, S_V1);
        return;
    }
    if (!m->spec)
        return;
    if (m->kind == KFP_DOC_PIPELINE_JOB)
        walk(ctx, m->top, S_JOB); /* the wrapper, runtimeConfig, then pipelineSpec */
    else
        walk(ctx, m->spec, S_SPEC);
    /* platform executors are checked where they configure an executor of this spec */
    const struct kfp_node *pex = kfp_map_get(kfp_map_get(m->platform, "deploymentSpec", NULL),
                                             "executors", NULL);
    for (uint32_t i = 0; pex && pex->kind == KFP_NODE_MAP && i < pex->len; i++)
        walk(ctx, &pex->u.pairs[i].value, S_K8S);
}

const struct kfp_rule kfp_rule_unknown_field = {
    .id = "unknown-field",
    .summary = "a key the KFP schema does not define",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,schema",
    .doc = doc,
    .check = check,
};
