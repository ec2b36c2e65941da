/* platform_config.c — platform-config: Kubernetes platform config (PlatformSpec executors, the
 * workspace, PVC tasks) that the KFP driver or Kubernetes rejects when the task starts. */
#include "kfplint/rule.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char doc[] =
    "## What it does\n"
    "Checks the Kubernetes config of each executor in the PlatformSpec "
    "(`platforms.kubernetes.deploymentSpec.executors`) the way the KFP driver applies it "
    "(`backend/src/v2/driver/k8s.go`, `extendPodSpecPatch`), plus the workspace and the "
    "`kfp-kubernetes` PVC tasks:\n"
    "- `imagePullPolicy` must be `Always`, `Never` or `IfNotPresent`;\n"
    "- `secretAsVolume`, `configMapAsVolume`, `imagePullSecret`, and `secretAsEnv` / "
    "`configMapAsEnv` with `keyToEnv` entries, need a name (`secretName` / `configMapName`) or "
    "a name parameter; every `keyToEnv` entry needs its key and its `envVar`;\n"
    "- `pvcMount` needs a `mountPath` and a PVC name (`pvcNameParameter` or a deprecated "
    "`constant` / `taskOutputParameter` / `componentInputParameter`);\n"
    "- quantities Kubernetes must parse: `emptyDirMounts[].sizeLimit`, "
    "`genericEphemeralVolume[].size` (required: the driver calls `MustParse`), "
    "`enabledSharedMemory.size`, init container `resources`, the workspace `size` (not "
    "negative either; a missing one is a **warning**: older backends require it, newer ones "
    "use the server's default — `GetWorkspacePVC` in `backend/src/v2/compiler/argocompiler/`);\n"
    "- `securityContext.runAsUser: 0` together with `runAsNonRoot: true`;\n"
    "- init containers: a name (unique, not the reserved `kfp-launcher`), an image, "
    "`restartPolicy` only `Always`, volume mounts with a volume name and an absolute path "
    "(empty env names are reported by `env-invalid`);\n"
    "- with a workspace (`pipelineConfig.workspace`), no volume may be mounted at a path "
    "starting with `/kfp-workspace` or be named `kfp-workspace` (\"user volume mount at … "
    "conflicts with workspace mount\", `backend/src/v2/driver/driver.go`);\n"
    "- the workspace PVC patch (`pipelineConfig.workspace.kubernetes.pvcSpecPatch`) may set only "
    "`accessModes` and `storageClassName` (\"unknown fields in PVC spec patch\");\n"
    "- a `CreatePVC` task (image `argostub/createpvc`) needs `access_modes` and `size`, and at "
    "most one of `pvc_name` / `pvc_name_suffix`; a `DeletePVC` task needs `pvc_name`.\n\n"
    "## Why is this bad?\n"
    "The run starts, then the task fails in its driver (\"missing either SecretName or "
    "SecretNameParameter …\", \"failed to mount volume, missing mountpath or pvc name\", "
    "\"unsupported value: … ImagePullPolicy should be one of …\") or Kubernetes rejects the pod "
    "(an unparsable quantity, a relative mount path, a root user under runAsNonRoot) — after "
    "every task before it has run.\n\n"
    "## Example\n"
    "```yaml\n"
    "exec-train:\n"
    "  imagePullPolicy: always          # Always, Never or IfNotPresent\n"
    "  secretAsEnv:\n"
    "  - keyToEnv: [{secretKey: token, envVar: TOKEN}]   # no secretName / secretNameParameter\n"
    "```\n\n"
    "## Fix safety\n"
    "An `imagePullPolicy` that differs from a valid value only in case (`always`) is rewritten "
    "to it: safe. Nothing else has a fix: the missing names and sizes are the author's.\n";

/* A scalar field of mapping m, NULL when absent or not a scalar. */
static const char *str_of(const struct kfp_node *m, const char *name, const struct kfp_node **node)
{
    const struct kfp_node *v = kfp_deref(kfp_map_get(m, name, NULL));
    if (node)
        *node = v;
    return v && v->kind == KFP_NODE_SCALAR && kfp_scalar_type(v) != KFP_SCALAR_NULL ? v->u.str : NULL;
}

static bool nonempty(const char *s)
{
    return s && *s;
}

/* Whether s is a Kubernetes resource quantity (k8s.io/apimachinery resource.ParseQuantity):
 * [+-] number (digits, '.', at least one digit) then a suffix: a binary SI (Ki … Ei), a
 * decimal SI (n u m "" k M G T P E) or an exponent e/E with a signed integer. *negative is set
 * for a number below zero. */
static bool quantity_valid(const char *s, bool *negative)
{
    *negative = false;
    if (!s || !*s)
        return false;
    const char *p = s;
    if (*p == '+' || *p == '-') {
        *negative = *p == '-';
        p++;
    }
    size_t digits = 0;
    bool nonzero = false;
    while (isdigit((unsigned char)*p)) {
        nonzero |= *p != '0';
        p++, digits++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            nonzero |= *p != '0';
            p++, digits++;
        }
    }
    if (!digits)
        return false;
    *negative = *negative && nonzero;
    static const char *const suffixes[] = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E",
                                           "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", NULL};
    for (size_t i = 0; suffixes[i]; i++)
        if (!strcmp(p, suffixes[i]))
            return true;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
        return *p == '\0';
    }
    return false;
}

/* Reports a quantity at v that Kubernetes cannot parse; `required`: absent or empty is wrong too. */
static void check_quantity(struct kfp_ctx *ctx, const struct kfp_node *at, const struct kfp_node *v,
                           const char *what, bool required, bool no_negative)
{
    const char *s = kfp_scalar(v);
    if (!v || (s && !*s)) {
        if (required)
            kfp_report_at(ctx, v ? v : at, "%s is missing: the KFP driver cannot create the volume "
                                           "(Kubernetes quantity such as 10Gi required)", what);
        return;
    }
    if (!s || strstr(s, "{{"))
        return;
    bool neg;
    if (!quantity_valid(s, &neg))
        kfp_report_at(ctx, v, "%s '%s' is not a Kubernetes quantity (quantities must match the "
                              "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'): "
                              "write it like 512Mi, 10Gi or 500m", what, s);
    else if (neg && no_negative)
        kfp_report_at(ctx, v, "%s '%s' is negative: the KFP backend rejects it", what, s);
}

/* One secretAsVolume / configMapAsEnv / … entry: it needs a name or a name parameter. */
static void check_named(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *list_key,
                        const struct kfp_node *item, const char *list, const char *name_field,
                        const char *param_field, const char *kfp_msg)
{
    const struct kfp_node *nn = NULL;
    if (nonempty(str_of(item, name_field, &nn)) || kfp_map_get(item, param_field, NULL))
        return;
    kfp_report_at(ctx, item->kind == KFP_NODE_MAP && item->len ? &item->u.pairs[0].key : list_key,
                  "%s entry of executor '%s' has neither %s nor %s: the KFP driver fails the task "
                  "(\"%s\")", list, exec, name_field, param_field, kfp_msg);
}

static void check_key_to_env(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *item,
                             const char *list, const char *key_field)
{
    const struct kfp_node *kte = kfp_deref(kfp_map_get(item, "keyToEnv", NULL));
    for (uint32_t i = 0; kte && kte->kind == KFP_NODE_SEQ && i < kte->len; i++) {
        const struct kfp_node *e = kfp_deref(&kte->u.items[i]);
        if (!e || e->kind != KFP_NODE_MAP)
            continue;
        if (!nonempty(str_of(e, key_field, NULL)))
            kfp_report_at(ctx, e, "keyToEnv entry of %s (executor '%s') has no %s: Kubernetes "
                                  "rejects the pod (an env var needs the key it reads)",
                          list, exec, key_field);
        if (!nonempty(str_of(e, "envVar", NULL)))
            kfp_report_at(ctx, e, "keyToEnv entry of %s (executor '%s') has no envVar: Kubernetes "
                                  "rejects the pod (an env var needs a name)", list, exec);
    }
}

static bool has_keys(const struct kfp_node *item)
{
    const struct kfp_node *kte = kfp_deref(kfp_map_get(item, "keyToEnv", NULL));
    return kte && kte->kind == KFP_NODE_SEQ && kte->len;
}

static void check_pull_policy(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc)
{
    const struct kfp_node *v = NULL;
    const char *s = str_of(pc, "imagePullPolicy", &v);
    if (!s || !*s)
        return;
    static const char *const ok[] = {"Always", "Never", "IfNotPresent"};
    const char *near = NULL;
    for (size_t i = 0; i < 3; i++) {
        if (!strcmp(s, ok[i]))
            return;
        if (!strcasecmp(s, ok[i]))
            near = ok[i];
    }
    struct kfp_finding *f = kfp_report_at(
        ctx, v, "imagePullPolicy '%s' of executor '%s' is not one of Always, Never or "
                "IfNotPresent: the KFP driver fails the task (\"unsupported value: %s. "
                "ImagePullPolicy should be one of 'Always', 'Never' or 'IfNotPresent'\")%s%s%s",
        s, exec, s, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    if (near)
        kfp_fix_rename(ctx, f, v, near, 1, "write the imagePullPolicy in its exact case");
}

static void check_pvc_mounts(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc)
{
    const struct kfp_node *key = NULL;
    const struct kfp_node *seq = kfp_deref(kfp_map_get(pc, "pvcMount", &key));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        const struct kfp_node *m = kfp_deref(&seq->u.items[i]);
        if (!m || m->kind != KFP_NODE_MAP)
            continue;
        const struct kfp_node *at = m->len ? &m->u.pairs[0].key : key;
        if (!nonempty(str_of(m, "mountPath", NULL)))
            kfp_report_at(ctx, at, "pvcMount of executor '%s' has no mountPath: the KFP driver "
                                   "fails the task (\"failed to mount volume, missing mountpath "
                                   "or pvc name\")", exec);
        const struct kfp_node *cn = NULL;
        const char *constant = str_of(m, "constant", &cn);
        const struct kfp_node *param = kfp_deref(kfp_map_get(m, "pvcNameParameter", NULL));
        const char *pconst = kfp_scalar(kfp_deref(kfp_map_get(kfp_map_get(param, "runtimeValue", NULL),
                                                               "constant", NULL)));
        if (!param && !nonempty(constant) && !kfp_map_get(m, "taskOutputParameter", NULL) &&
            !nonempty(str_of(m, "componentInputParameter", NULL)))
            kfp_report_at(ctx, at, "pvcMount of executor '%s' names no PVC: the KFP driver fails "
                                   "the task (\"volume mount: volume name not provided\"); set "
                                   "pvcNameParameter", exec);
        else if (param && pconst && !*pconst)
            kfp_report_at(ctx, param, "pvcMount of executor '%s' has an empty PVC name: the KFP "
                                      "driver fails the task (\"failed to mount volume, missing "
                                      "mountpath or pvc name\")", exec);
    }
}

static void check_volumes(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc)
{
    char what[300];
    const struct kfp_node *seq = kfp_deref(kfp_map_get(pc, "emptyDirMounts", NULL));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        snprintf(what, sizeof(what), "emptyDirMounts sizeLimit of executor '%s'", exec);
        check_quantity(ctx, &seq->u.items[i], kfp_deref(kfp_map_get(&seq->u.items[i], "sizeLimit", NULL)),
                       what, false, false);
    }
    const struct kfp_node *key = NULL;
    seq = kfp_deref(kfp_map_get(pc, "genericEphemeralVolume", &key));
    for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
        const struct kfp_node *m = kfp_deref(&seq->u.items[i]);
        if (!m || m->kind != KFP_NODE_MAP)
            continue;
        snprintf(what, sizeof(what), "genericEphemeralVolume size of executor '%s'", exec);
        check_quantity(ctx, m->len ? &m->u.pairs[0].key : key, kfp_deref(kfp_map_get(m, "size", NULL)),
                       what, true, false);
    }
    const struct kfp_node *shm = kfp_deref(kfp_map_get(pc, "enabledSharedMemory", NULL));
    snprintf(what, sizeof(what), "enabledSharedMemory size of executor '%s'", exec);
    check_quantity(ctx, shm, kfp_deref(kfp_map_get(shm, "size", NULL)), what, false, false);
}

static void check_security(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc)
{
    const struct kfp_node *sc = kfp_deref(kfp_map_get(pc, "securityContext", NULL));
    const struct kfp_node *user = kfp_deref(kfp_map_get(sc, "runAsUser", NULL));
    const struct kfp_node *nonroot = kfp_deref(kfp_map_get(sc, "runAsNonRoot", NULL));
    double uid;
    if (user && nonroot && kfp_scalar_number(user, &uid) && uid == 0 &&
        kfp_scalar_type(nonroot) == KFP_SCALAR_BOOL && !strcmp(nonroot->u.str, "true"))
        kfp_report_at(ctx, user, "securityContext of executor '%s' sets runAsUser: 0 with "
                                 "runAsNonRoot: true: Kubernetes refuses to start the container "
                                 "(\"container's runAsUser breaks non-root policy\"); use a "
                                 "non-zero UID or drop runAsNonRoot", exec);
}

static void check_init(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc)
{
    const struct kfp_node *seq = kfp_deref(kfp_map_get(pc, "initContainers", NULL));
    if (!seq || seq->kind != KFP_NODE_SEQ)
        return;
    char what[300];
    for (uint32_t i = 0; i < seq->len; i++) {
        const struct kfp_node *ic = kfp_deref(&seq->u.items[i]);
        if (!ic || ic->kind != KFP_NODE_MAP)
            continue;
        const struct kfp_node *nn = NULL;
        const char *name = str_of(ic, "name", &nn);
        const struct kfp_node *at = ic->len ? &ic->u.pairs[0].key : ic;
        if (!nonempty(name)) {
            kfp_report_at(ctx, nn ? nn : at, "init container %u of executor '%s' has no name: "
                                             "Kubernetes rejects the pod; name it", i + 1, exec);
        } else if (!strcmp(name, "kfp-launcher") || !strcmp(name, "main")) {
            kfp_report_at(ctx, nn, "init container '%s' of executor '%s' takes a name KFP "
                                   "reserves for its own containers: Kubernetes rejects the pod "
                                   "(names must be unique); rename it", name, exec);
        } else {
            /* a repeated name: the earlier entries are few (init containers are a handful) */
            for (uint32_t j = 0; j < i; j++) {
                const char *other = str_of(kfp_deref(&seq->u.items[j]), "name", NULL);
                if (other && !strcmp(other, name)) {
                    kfp_report_at(ctx, nn, "init container name '%s' is used twice in executor "
                                           "'%s': Kubernetes rejects the pod (names must be "
                                           "unique)", name, exec);
                    break;
                }
            }
        }
        if (!nonempty(str_of(ic, "image", NULL)) && !kfp_map_get(ic, "image", NULL))
            kfp_report_at(ctx, at, "init container '%s' of executor '%s' has no image: the KFP "
                                   "driver fails the task", name ? name : "", exec);
        const struct kfp_node *rp = NULL;
        const char *policy = str_of(ic, "restartPolicy", &rp);
        if (policy && *policy && strcmp(policy, "Always")) {
            struct kfp_finding *f = kfp_report_at(
                ctx, rp, "restartPolicy '%s' of init container '%s' (executor '%s'): the only "
                         "value an init container takes is 'Always' (a sidecar); Kubernetes "
                         "rejects the pod", policy, name ? name : "", exec);
            if (!strcasecmp(policy, "Always"))
                kfp_fix_rename(ctx, f, rp, "Always", 1, "write 'Always' in its exact case");
        }
        const struct kfp_node *vms = kfp_deref(kfp_map_get(ic, "volumeMounts", NULL));
        for (uint32_t j = 0; vms && vms->kind == KFP_NODE_SEQ && j < vms->len; j++) {
            const struct kfp_node *vm = kfp_deref(&vms->u.items[j]);
            if (!vm || vm->kind != KFP_NODE_MAP)
                continue;
            if (!nonempty(str_of(vm, "volumeName", NULL)))
                kfp_report_at(ctx, vm, "volume mount of init container '%s' (executor '%s') has "
                                       "no volumeName: Kubernetes rejects the pod",
                              name ? name : "", exec);
            const struct kfp_node *mp = NULL;
            const char *path = str_of(vm, "mountPath", &mp);
            if (!nonempty(path))
                kfp_report_at(ctx, mp ? mp : vm, "volume mount of init container '%s' (executor "
                                                 "'%s') has no mountPath: Kubernetes rejects the "
                                                 "pod", name ? name : "", exec);
            else if (path[0] != '/')
                kfp_report_at(ctx, mp, "mountPath '%s' of init container '%s' (executor '%s') is "
                                       "relative: Kubernetes requires an absolute path; write "
                                       "'/%s'", path, name ? name : "", exec, path);
        }
        const struct kfp_node *res = kfp_deref(kfp_map_get(ic, "resources", NULL));
        static const char *const kinds[] = {"requests", "limits"};
        for (size_t k = 0; k < 2; k++) {
            const struct kfp_node *rl = kfp_deref(kfp_map_get(res, kinds[k], NULL));
            for (uint32_t j = 0; rl && rl->kind == KFP_NODE_MAP && j < rl->len; j++) {
                snprintf(what, sizeof(what), "resources.%s.%s of init container '%s' (executor '%s')",
                         kinds[k], kfp_scalar(&rl->u.pairs[j].key) ? kfp_scalar(&rl->u.pairs[j].key) : "",
                         name ? name : "", exec);
                check_quantity(ctx, &rl->u.pairs[j].key, kfp_deref(&rl->u.pairs[j].value), what,
                               false, false);
            }
        }
    }
}

/* With a workspace, the driver mounts volume "kfp-workspace" at /kfp-workspace and rejects user
 * mounts whose path starts with that path or whose volume has that name (driver.go,
 * validateVolumeMounts: a plain prefix test, as here). */
static void check_workspace_mounts(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc)
{
    static const char *const lists[] = {"pvcMount", "secretAsVolume", "configMapAsVolume",
                                        "emptyDirMounts", "genericEphemeralVolume", NULL};
    for (size_t l = 0; lists[l]; l++) {
        const struct kfp_node *seq = kfp_deref(kfp_map_get(pc, lists[l], NULL));
        for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
            const struct kfp_node *m = kfp_deref(&seq->u.items[i]);
            const struct kfp_node *pn = NULL, *vn = NULL;
            const char *path = str_of(m, "mountPath", &pn);
            const char *vol = str_of(m, "volumeName", &vn);
            if (path && !strncmp(path, "/kfp-workspace", 14))
                kfp_report_at(ctx, pn, "%s mount of executor '%s' at '%s' collides with the "
                                       "pipeline workspace: the KFP driver fails the task (\"user "
                                       "volume mount at %s conflicts with workspace mount at "
                                       "/kfp-workspace\"); mount it elsewhere",
                              lists[l], exec, path, path);
            else if (vol && !strcmp(vol, "kfp-workspace"))
                kfp_report_at(ctx, vn, "%s volume of executor '%s' is named 'kfp-workspace', the "
                                       "name of the pipeline workspace: the KFP driver fails the "
                                       "task (\"user volume mount name kfp-workspace conflicts "
                                       "with workspace volume name kfp-workspace\"); rename it",
                              lists[l], exec);
        }
    }
}

static void check_executor(struct kfp_ctx *ctx, const char *exec, const struct kfp_node *pc,
                           bool workspace)
{
    static const struct {
        const char *list, *name, *param, *msg;
        bool needs_keys;
    } named[] = {
        {"secretAsVolume", "secretName", "secretNameParameter",
         "missing either SecretName or SecretNameParameter for secret volume in executor config", false},
        {"secretAsEnv", "secretName", "secretNameParameter",
         "missing either SecretName or SecretNameParameter for secret environment variable in "
         "executor config", true},
        {"configMapAsVolume", "configMapName", "configMapNameParameter",
         "missing either ConfigMapName or ConfigNameParameter for config volume in executor config", false},
        {"configMapAsEnv", "configMapName", "configMapNameParameter",
         "missing either ConfigMapName or ConfigNameParameter for configmap environment variable "
         "in executor config", true},
        {"imagePullSecret", "secretName", "secretNameParameter",
         "missing either SecretName or SecretNameParameter for image pull secret in executor config", false},
    };
    for (size_t n = 0; n < sizeof(named) / sizeof(named[0]); n++) {
        const struct kfp_node *key = NULL;
        const struct kfp_node *seq = kfp_deref(kfp_map_get(pc, named[n].list, &key));
        for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
            const struct kfp_node *item = kfp_deref(&seq->u.items[i]);
            if (!item || item->kind != KFP_NODE_MAP)
                continue;
            /* the driver looks at the name only for each keyToEnv entry */
            if (!named[n].needs_keys || has_keys(item))
                check_named(ctx, exec, key, item, named[n].list, named[n].name, named[n].param,
                            named[n].msg);
            if (named[n].needs_keys)
                check_key_to_env(ctx, exec, item, named[n].list,
                                 n == 1 ? "secretKey" : "configMapKey");
        }
    }
    check_pull_policy(ctx, exec, pc);
    check_pvc_mounts(ctx, exec, pc);
    check_volumes(ctx, exec, pc);
    check_security(ctx, exec, pc);
    check_init(ctx, exec, pc);
    if (workspace)
        check_workspace_mounts(ctx, exec, pc);
}

static void check_workspace(struct kfp_ctx *ctx, const struct kfp_node *platform)
{
    const struct kfp_node *ws_key = NULL;
    const struct kfp_node *ws = kfp_deref(kfp_map_get(kfp_map_get(platform, "pipelineConfig", NULL),
                                                      "workspace", &ws_key));
    if (!ws || ws->kind != KFP_NODE_MAP)
        return;
    const struct kfp_node *size = kfp_deref(kfp_map_get(ws, "size", NULL));
    if (size && kfp_scalar(size) && *kfp_scalar(size))
        check_quantity(ctx, size, size, "workspace size", false, true);
    else
        kfp_report_sev(ctx, KFP_SEV_WARNING, size ? size : ws_key,
                       "the workspace has no size: the KFP SDK requires one (\"Workspace "
                       "size is required and cannot be empty\"), older backends fail the run "
                       "without it and newer ones use the server's default; set size, e.g. "
                       "10Gi");
    const struct kfp_node *patch = kfp_deref(kfp_map_get(kfp_map_get(ws, "kubernetes", NULL),
                                                         "pvcSpecPatch", NULL));
    for (uint32_t i = 0; patch && patch->kind == KFP_NODE_MAP && i < patch->len; i++) {
        const struct kfp_node *k = &patch->u.pairs[i].key;
        const char *name = kfp_scalar(k);
        if (name && (!strcmp(name, "accessModes") || !strcmp(name, "storageClassName")))
            continue;
        kfp_report_at(ctx, k, "workspace pvcSpecPatch sets '%s': the KFP backend accepts only "
                              "accessModes and storageClassName there and fails the run "
                              "(\"unknown fields in PVC spec patch\")", name ? name : "");
    }
}

/* The constant a task passes for input `name`, or its component's default; *given tells whether
 * a value is passed at all (a non-constant counts as given). An input the component declares
 * required counts as given too: missing-input reports it when it is not passed. */
static const struct kfp_node *pvc_arg(const struct kfp_task *t, const char *name, bool *given)
{
    *given = false;
    const struct kfp_iodef *req = t->component ? kfp_iodefs_find(&t->component->inputs, name, 0) : NULL;
    if (req && !req->optional && !req->has_default)
        *given = true;
    for (size_t i = 0; i < t->n_inputs; i++)
        if (t->inputs[i].name.name && !strcmp(t->inputs[i].name.name, name)) {
            *given = true;
            return t->inputs[i].src.kind == KFP_SRC_CONSTANT ? kfp_deref(t->inputs[i].src.constant) : NULL;
        }
    const struct kfp_iodef *d = t->component ? kfp_iodefs_find(&t->component->inputs, name, 0) : NULL;
    if (d && d->has_default) {
        *given = true;
        return kfp_deref(kfp_iodef_default(d));
    }
    return NULL;
}

static void check_pvc_task(struct kfp_ctx *ctx, const struct kfp_task *t)
{
    const struct kfp_executor *e = t->component ? t->component->executor : NULL;
    const char *image = e && e->container ? kfp_scalar(kfp_deref(e->container->image)) : NULL;
    if (!image)
        return;
    bool given;
    const struct kfp_node *at = t->key.node;
    if (!strcmp(image, "argostub/createpvc")) {
        pvc_arg(t, "access_modes", &given);
        if (!given)
            kfp_report_at(ctx, at, "CreatePVC task '%s' passes no access_modes: the KFP driver "
                                   "fails (\"failed to create pvc: parameter access_modes not "
                                   "provided\")", t->key.name);
        const struct kfp_node *size = pvc_arg(t, "size", &given);
        if (!given) {
            kfp_report_at(ctx, at, "CreatePVC task '%s' passes no size: the KFP driver fails "
                                   "(\"failed to create pvc: parameter volumeSize not provided\")",
                          t->key.name);
        } else if (size && kfp_scalar(size)) {
            char what[300];
            snprintf(what, sizeof(what), "CreatePVC size of task '%s'", t->key.name);
            check_quantity(ctx, size, size, what, true, true);
        }
        const struct kfp_node *name = pvc_arg(t, "pvc_name", &given);
        const struct kfp_node *suffix = pvc_arg(t, "pvc_name_suffix", &given);
        if (nonempty(kfp_scalar(name)) && nonempty(kfp_scalar(suffix)))
            kfp_report_at(ctx, suffix, "CreatePVC task '%s' sets both pvc_name and "
                                       "pvc_name_suffix: the KFP driver fails (\"at most one of "
                                       "pvc_name and pvc_name_suffix can be non-empty\")",
                          t->key.name);
    } else if (!strcmp(image, "argostub/deletepvc")) {
        pvc_arg(t, "pvc_name", &given);
        if (!given)
            kfp_report_at(ctx, at, "DeletePVC task '%s' passes no pvc_name: the KFP driver fails "
                                   "(\"failed to delete pvc: required parameter pvc_name not "
                                   "provided\")", t->key.name);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->platform) {
        bool workspace = kfp_map_get(kfp_map_get(m->platform, "pipelineConfig", NULL), "workspace", NULL);
        const struct kfp_node *pex = kfp_deref(kfp_map_get(kfp_map_get(m->platform, "deploymentSpec", NULL),
                                                           "executors", NULL));
        for (uint32_t i = 0; pex && pex->kind == KFP_NODE_MAP && i < pex->len; i++) {
            const struct kfp_node *pc = kfp_deref(&pex->u.pairs[i].value);
            const char *label = kfp_scalar(&pex->u.pairs[i].key);
            if (pc && pc->kind == KFP_NODE_MAP)
                check_executor(ctx, label ? label : "", pc, workspace);
        }
        check_workspace(ctx, m->platform);
    }
    for (size_t di = 0; di < m->n_dags; di++)
        for (size_t ti = 0; ti < m->dags[di]->n_tasks; ti++)
            check_pvc_task(ctx, &m->dags[di]->tasks[ti]);
}

const struct kfp_rule kfp_rule_platform_config = {
    .id = "platform-config",
    .summary = "Kubernetes platform config the KFP driver or Kubernetes rejects",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,platform",
    .doc = doc,
    .check = check,
};
