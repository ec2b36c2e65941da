/* dangling_io.c — dangling-io: a container component declares an output its container never
 * writes, or an input it never reads. */
#include "kfplint/argo.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "For every container component — a v1 `component.yaml` with `implementation.container`, and "
    "every component of a v2 IR file (pipeline, single component, PipelineJob) whose executor is "
    "a container — compares the declared inputs and outputs with the placeholders of the "
    "container's `command`, `args` and `env` values:\n"
    "- an **output** no placeholder names is never written: an **error** for a parameter, a "
    "**warning** for an artifact. Placeholders that write an output: v1 `{outputPath: x}`, "
    "`{outputUri: x}`, `{outputMetadata: x}` (also inside `concat` and `if`) and `fileOutputs`; "
    "v2 `{{$.outputs.parameters['x'].output_file}}` and `{{$.outputs.artifacts['x'].path}}` / "
    "`.uri` / `.metadata` (also inside the `Concat` / `IfPresent` forms the SDK writes when it "
    "converts a v1 component);\n"
    "- an **input** no placeholder names is never read: a **warning**. An optional input used "
    "only in `{if: {cond: {isPresent: x}}}` / `IfPresent` counts as read, and so does one named "
    "by a placeholder in the image or the resources (`image: \"{{$.inputs.parameters['img']}}\"`)."
    "\n\n"
    "Never reported:\n"
    "- a container that receives the whole executor input (`{{$}}`, `{{$.json_escape[N]}}`, v1 "
    "`{executorInput: …}`): Python function components read their inputs and write their "
    "outputs through it;\n"
    "- a container with a placeholder kfplint cannot read (a v1 key outside the spec, "
    "`{{$.inputs}}`, an unquoted name): no guess is made;\n"
    "- graph / DAG components (their outputs are DAG outputs: `unknown-output` checks them) and "
    "importer, resolver and custom-job executors;\n"
    "- KFP's own Kubernetes ops (images `argostub/createpvc`, `argostub/deletepvc`): the driver "
    "runs them itself and produces their outputs;\n"
    "- inputs named `pipelinechannel--*` / `pipelineparam--*`, which the SDK adds for conditions "
    "and platform settings, not for the program.\n\n"
    "**KFP v1's fixed output paths.** Under KFP v1 every output of a v1 component is also "
    "collected from `/tmp/outputs/<name>/data`, and some components (the AWS SageMaker ones) "
    "write there by convention, with no output placeholder at all; the KFP v2 SDK has no such "
    "paths, so these components fail there. A v1 component whose command passes inputs but not "
    "a single output is taken to follow this convention, and the finding follows the target SDK "
    "(`target: {kfp-sdk: …}` in `.kfplint.yaml`, else the file's own `sdkVersion`): none for "
    "`v1`, the usual error / warning for `v2`, a **warning** when the target is unknown. A "
    "component that passes no input either (such as the example below) is not following a "
    "convention: it is unwired.\n\n"
    "**Google Cloud `gcp_resources`.** The Google Cloud components write `gcp_resources` (the "
    "ids of the cloud jobs they start) through `{{$.outputs.parameters['gcp_resources']."
    "output_file}}` or the executor input like any other output parameter: KFP's launcher "
    "(`collectOutputParameters` in `backend/src/v2/component/launcher_v2.go`) reads every output "
    "parameter from its file unless the program wrote it to the executor output "
    "(`/tmp/kfp_outputs/output_metadata.json`, a fixed path), and fails the task when it finds "
    "neither. So "
    "a program that writes `gcp_resources` through that fixed path needs no placeholder, and "
    "kfplint cannot see it. Google's own prebuilt "
    "pipelines declare it on containers that mention neither it nor the executor input (the "
    "AutoML `feature-transform-engine`), which only works if the program writes the executor "
    "output at that fixed path itself: so an unwritten `gcp_resources` is a **warning**, not an "
    "error; every other output parameter is an error.\n\n"
    "**Argo Workflows** (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow; "
    "KFP v1 compiled pipelines included): a **warning** for a template input parameter that "
    "nothing in the template reads. Every key and string of the template counts — container, "
    "script `source`, resource `manifest`, http, data, suspend, metadata, `podSpecPatch`, "
    "outputs, metrics, `synchronization`, `memoize`, `retryStrategy`, the tasks' and steps' "
    "arguments, `when`, `withParam`, hooks — and so does every form of reading: "
    "`{{inputs.parameters.NAME}}`, `{{inputs.parameters}}` (all of them, as Hera's script runner "
    "passes them), and in expressions (`{{=…}}`, `valueFrom.expression`, hook `expression`) "
    "`inputs.parameters.NAME` and `inputs.parameters['NAME']`; an expression that indexes them "
    "with anything but a literal reads them all. An input artifact of a `dag` or `steps` "
    "template that no task or step is given (`{{inputs.artifacts.NAME}}`) is a warning too; a "
    "container or script template's artifacts are read by being placed at their `path`. Never "
    "reported: `plugin` templates (the plugin receives the whole template, inputs included), "
    "`suspend` templates (their inputs are the form the UI shows on resume), the parameter "
    "`ARGO_DYNAMIC_INPUTS` (Argo reads it to declare artifacts at run time) and "
    "templates that only name another (the deprecated template-level `template:` / "
    "`templateRef:`), which hand their inputs on. A WorkflowTemplate's templates are checked "
    "too: whoever calls one through `templateRef` passes a value the template drops. KFP v1's "
    "compiler passes every input it declares, so its output gets no finding.\n\n"
    "## Why is this bad?\n"
    "An output never written is found only after the pod has run: the KFP v2 launcher fails the "
    "task with `failed to read output parameter name=\"x\"` while collecting outputs, KFP v1 / "
    "Argo with a missing output file. An input never passed means the program never sees the "
    "value the pipeline author sets; on Argo, the argument a caller passes to a template goes "
    "nowhere (often a misspelt `{{inputs.parameters.…}}` that `argo-unknown-variable` or "
    "`unknown-input` reports on the other side).\n\n"
    "## Example\n"
    "```yaml\n"
    "name: preprocess\n"
    "inputs:\n"
    "  - {name: data_path, type: String}            # warning: never passed to the container\n"
    "outputs:\n"
    "  - {name: processed_data_path, type: String}  # error: never written\n"
    "implementation:\n"
    "  container:\n"
    "    image: my-docker-image\n"
    "    command:\n"
    "      - python\n"
    "      - preprocess.py\n"
    "      # fix: - --data-path\n"
    "      #      - {inputValue: data_path}\n"
    "      #      - --processed-data-path\n"
    "      #      - {outputPath: processed_data_path}\n"
    "```\n"
    "Argo (also what a hand-edited KFP v1 compiled workflow looks like):\n"
    "```yaml\n"
    "- name: fit\n"
    "  inputs:\n"
    "    parameters:\n"
    "    - name: lr\n"
    "    - name: batch-size        # warning: nothing reads {{inputs.parameters.batch-size}}\n"
    "  container:\n"
    "    image: registry.example.com/fit:1.4.0\n"
    "    args: [\"--lr={{inputs.parameters.lr}}\", \"--batch={{inputs.parameters.batch}}\"]\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: where the argument goes, and under which flag, is the program's business.\n";

enum { USED_IN = 1, USED_OUT = 2 };

/* Marks every name the container's placeholders mention, by direction. Returns the map in the
 * scratch arena, or NULL on allocation failure (ctx->oom is set). */
static struct kfp_strmap *used_names(struct kfp_ctx *ctx, const struct kfp_container *cont)
{
    struct kfp_strmap *m = kfp_arena_alloc(ctx->scratch, sizeof(*m));
    if (!m || kfp_strmap_init(ctx->scratch, m, cont->n_phs)) {
        ctx->oom = 1;
        return NULL;
    }
    /* the value is a tag (USED_IN | USED_OUT) kept in an array parallel to the insertion */
    unsigned char *tags = kfp_arena_calloc(ctx->scratch, cont->n_phs + 1, 1);
    if (!tags) {
        ctx->oom = 1;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < cont->n_phs; i++) {
        const struct kfp_placeholder *p = &cont->phs[i];
        unsigned char bit = p->kind == KFP_PH_OUT_PARAM || p->kind == KFP_PH_OUT_ARTIFACT ? USED_OUT
                                                                                          : USED_IN;
        void *existing = NULL;
        if (kfp_strmap_put(ctx->scratch, m, p->name, &tags[n], &existing)) {
            ctx->oom = 1;
            return NULL;
        }
        if (existing)
            *(unsigned char *)existing |= bit;
        else
            tags[n++] = bit;
    }
    return m;
}

static bool used(const struct kfp_strmap *m, const char *name, unsigned char bit)
{
    const unsigned char *t = kfp_strmap_get(m, name);
    return t && (*t & bit);
}

static bool is_channel(const char *name)
{
    return !strncmp(name, "pipelinechannel--", 17) || !strncmp(name, "pipelineparam--", 15);
}

/* KFP's own Kubernetes ops: the driver runs them, the image is a marker. */
static bool kfp_own_op(const struct kfp_container *c)
{
    const char *img = kfp_scalar(c->image);
    return img && (!strncmp(img, "argostub/createpvc", 18) || !strncmp(img, "argostub/deletepvc", 18));
}

/* The inputs a v2 placeholder names elsewhere in the container than in its command, args and
 * env (which the model reads): `image: "{{$.inputs.parameters['img']}}"`, resource limits set
 * from inputs. One walk of the rest of the container mapping, with a node budget. Returns a set
 * of names in the scratch arena, or NULL on allocation failure (ctx->oom is set). */
static struct kfp_strmap *inputs_elsewhere(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    struct kfp_strmap *set = kfp_arena_alloc(ctx->scratch, sizeof(*set));
    if (!set || kfp_strmap_init(ctx->scratch, set, 4)) {
        ctx->oom = 1;
        return NULL;
    }
    const struct kfp_node *cn = kfp_deref(c->node);
    if (!cn || cn->kind != KFP_NODE_MAP)
        return set;
    struct kfp_vec stack = {0};
    for (uint32_t i = 0; i < cn->len; i++) {
        const char *k = kfp_scalar(&cn->u.pairs[i].key);
        if (k && (!strcmp(k, "command") || !strcmp(k, "args") || !strcmp(k, "env")))
            continue;
        if (kfp_vec_push(ctx->scratch, &stack, (void *)&cn->u.pairs[i].value))
            goto nomem;
    }
    static const char *const forms[] = {"{{$.inputs.parameters[", "{{$.inputs.artifacts["};
    size_t budget = 100000;
    while (stack.len && budget--) {
        const struct kfp_node *n = kfp_deref(stack.items[--stack.len]);
        if (!n)
            continue;
        if (n->kind == KFP_NODE_SCALAR) {
            const char *s = n->u.str, *end = s + n->len;
            for (const char *p = s; (p = memmem(p, (size_t)(end - p), "{{$.inputs.", 11)); p += 11)
                for (size_t f = 0; f < 2; f++) {
                    size_t fl = strlen(forms[f]);
                    if ((size_t)(end - p) < fl + 2 || memcmp(p, forms[f], fl))
                        continue;
                    const char *name = p + fl + 1;
                    const char *close = memchr(name, p[fl], (size_t)(end - name));
                    if ((p[fl] != '\'' && p[fl] != '"') || !close)
                        continue;
                    char *nm = kfp_arena_strndup(ctx->scratch, name, (size_t)(close - name));
                    if (!nm || kfp_strmap_put(ctx->scratch, set, nm, (void *)n, NULL))
                        goto nomem;
                }
            continue;
        }
        uint32_t m = n->kind == KFP_NODE_MAP || n->kind == KFP_NODE_SEQ ? n->len : 0;
        for (uint32_t i = 0; i < m; i++)
            if (kfp_vec_push(ctx->scratch, &stack,
                             (void *)(n->kind == KFP_NODE_MAP ? &n->u.pairs[i].value : &n->u.items[i])))
                goto nomem;
    }
    return set;
nomem:
    ctx->oom = 1;
    return NULL;
}

/* Where the related location goes: the command, else the args, else the container. */
static const struct kfp_node *anchor(const struct kfp_container *c)
{
    if (c->command)
        return c->command;
    return c->args ? c->args : c->node;
}

static void check_component(struct kfp_ctx *ctx, const struct kfp_component *comp,
                            const struct kfp_container *cont, enum kfp_sdk target)
{
    if (cont->executor_input || cont->opaque_phs || kfp_own_op(cont))
        return;
    if (!comp->inputs.n && !comp->outputs.n)
        return;
    const struct kfp_strmap *names = used_names(ctx, cont);
    if (!names)
        return;
    bool any_in = false, any_out = false;
    for (size_t i = 0; i < cont->n_phs; i++) {
        bool out = cont->phs[i].kind == KFP_PH_OUT_PARAM || cont->phs[i].kind == KFP_PH_OUT_ARTIFACT;
        any_out |= out;
        any_in |= !out;
    }
    const char *where = cont->v1 ? "command or args" : "command, args or env";
    const char *cname = comp->key.name ? comp->key.name : "";
    /* KFP v1's /tmp/outputs/<name>/data convention: inputs wired, not a single output */
    bool convention = cont->v1 && !any_out && any_in;
    if (!(convention && target == KFP_SDK_V1)) {
        for (size_t i = 0; i < comp->outputs.n; i++) {
            const struct kfp_iodef *d = &comp->outputs.items[i];
            if (!d->name.name || used(names, d->name.name, USED_OUT))
                continue;
            const char *x = d->name.name;
            /* gcp_resources: Google's prebuilt components may leave it to the executor output */
            enum kfp_severity sev =
                d->artifact || !strcmp(x, "gcp_resources") ? KFP_SEV_WARNING : KFP_SEV_ERROR;
            struct kfp_finding *f;
            if (convention && target == KFP_SDK_UNKNOWN) {
                f = kfp_report_sev(
                    ctx, KFP_SEV_WARNING, d->name.node,
                    "output '%s' of component '%s' is never written through a placeholder: only "
                    "KFP v1 collects it from its fixed path /tmp/outputs/%s/data, the KFP v2 SDK "
                    "fails the step after it runs; pass {outputPath: %s} in args (or set "
                    "target: {kfp-sdk: v1} in .kfplint.yaml if this component runs on KFP v1 only)",
                    x, cname, x, x);
            } else if (!d->artifact && !strcmp(x, "gcp_resources")) {
                f = kfp_report_sev(
                    ctx, sev, d->name.node,
                    "output 'gcp_resources' of component '%s' is never written through a "
                    "placeholder: unless the program writes it to the executor output at the fixed "
                    "path /tmp/kfp_outputs/output_metadata.json, the KFP launcher fails the task "
                    "after the container exits; pass %s to the program",
                    cname, cont->v1 ? "{outputPath: gcp_resources}"
                                    : "{{$.outputs.parameters['gcp_resources'].output_file}}");
            } else if (cont->v1) {
                f = kfp_report_sev(
                    ctx, sev, d->name.node,
                    "output '%s' of component '%s' is never written: no {outputPath: %s} in the "
                    "container's %s, so %s; add {outputPath: %s} to args and write the %s there",
                    x, cname, x, where,
                    d->artifact ? "KFP finds no file to store as the artifact after the step runs"
                                : "KFP fails the step after it runs (the v2 launcher cannot read "
                                  "the output parameter, KFP v1 finds no output file)",
                    x, d->artifact ? "artifact" : "value");
            } else if (d->artifact) {
                f = kfp_report_sev(
                    ctx, sev, d->name.node,
                    "output artifact '%s' of component '%s' is never written: no "
                    "{{$.outputs.artifacts['%s'].path}} (or .uri) in the executor's %s, so the KFP "
                    "launcher finds nothing to upload after the container exits; pass that "
                    "placeholder to the program and write the artifact there",
                    x, cname, x, where);
            } else {
                f = kfp_report_sev(
                    ctx, sev, d->name.node,
                    "output parameter '%s' of component '%s' is never written: no "
                    "{{$.outputs.parameters['%s'].output_file}} in the executor's %s, so the KFP "
                    "launcher fails the task after the container exits (failed to read output "
                    "parameter name=\"%s\"); pass that placeholder to the program and write the "
                    "value to that file",
                    x, cname, x, where, x);
            }
            kfp_related(ctx, f, anchor(cont), "the %s of %s", cont->command ? "command" :
                        cont->args ? "args" : "container", cont->what ? cont->what : "the container");
        }
    }
    const struct kfp_strmap *elsewhere = NULL; /* built for the first input not passed */
    for (size_t i = 0; i < comp->inputs.n; i++) {
        const struct kfp_iodef *d = &comp->inputs.items[i];
        if (!d->name.name || is_channel(d->name.name) || used(names, d->name.name, USED_IN))
            continue;
        if (!elsewhere && !(elsewhere = inputs_elsewhere(ctx, cont)))
            return;
        if (kfp_strmap_get(elsewhere, d->name.name))
            continue;
        const char *x = d->name.name;
        struct kfp_finding *f;
        if (cont->v1)
            f = kfp_report_sev(ctx, KFP_SEV_WARNING, d->name.node,
                               "input '%s' of component '%s' is never passed to the container: "
                               "no {%s: %s} in its %s, so the program never sees the value; add "
                               "it to args (or remove the input)",
                               x, cname, d->artifact ? "inputPath" : "inputValue", x, where);
        else
            f = kfp_report_sev(ctx, KFP_SEV_WARNING, d->name.node,
                               "input '%s' of component '%s' is never passed to the container: "
                               "no {{$.inputs.%s['%s']%s}} in the executor's %s, so the program "
                               "never sees it; add that placeholder to args (or remove the input)",
                               x, cname, d->artifact ? "artifacts" : "parameters", x,
                               d->artifact ? ".path" : "", where);
        kfp_related(ctx, f, anchor(cont), "the %s of %s", cont->command ? "command" :
                    cont->args ? "args" : "container", cont->what ? cont->what : "the container");
    }
}

/* ------------------------------------------------------------------ Argo */

static bool argo_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

/* What one Argo template's strings read of its inputs: used[i] for its input definition i, or
 * everything of a kind (`all[k]`: `{{inputs.parameters}}`, an expression indexing with a
 * non-literal). */
struct argo_uses {
    const struct kfp_iodefs *inputs;
    unsigned char *used;
    bool all[2];
};

/* Marks input `name` (len bytes, kind k) as read when the template declares it. The lookup
 * copies the name to a stack buffer (the scratch arena for a longer one). KFP_ERR when out of
 * memory. */
static int argo_mark(struct kfp_ctx *ctx, struct argo_uses *u, const char *name, size_t len, int k)
{
    char buf[256];
    char *nm = buf;
    if (len >= sizeof(buf) && !(nm = kfp_arena_strndup(ctx->scratch, name, len)))
        return KFP_ERR;
    if (nm == buf) {
        memcpy(buf, name, len);
        buf[len] = 0;
    }
    const struct kfp_iodef *d = kfp_iodefs_find(u->inputs, nm, k);
    if (d)
        u->used[d - u->inputs->items] = 1;
    return KFP_OK;
}

/* Records the inputs a string reads: `inputs.parameters.NAME` (also `….NAME.path` etc.),
 * `inputs.parameters['NAME']` / `["NAME"]` (expressions), the same for artifacts; any other
 * use of `inputs.parameters` reads them all. A name spelt with '-' in an expression is also
 * taken up to its first '-' (`inputs.parameters.a-1` there is `a` minus 1). KFP_ERR when out
 * of memory. */
static int argo_scan(struct kfp_ctx *ctx, struct argo_uses *u, const char *s, size_t n)
{
    static const char *const roots[] = {"inputs.parameters", "inputs.artifacts"};
    const char *end = s + n;
    for (const char *p = s; (p = memmem(p, (size_t)(end - p), "inputs.", 7)); p += 7) {
        for (int k = 0; k < 2; k++) {
            size_t rl = strlen(roots[k]);
            if ((size_t)(end - p) < rl || memcmp(p, roots[k], rl))
                continue;
            const char *q = p + rl, *name = NULL, *ne = NULL;
            if (q < end && *q == '.') {
                name = ++q;
                for (ne = name; ne < end && argo_name_char(*ne); ne++)
                    ;
            } else if (q + 1 < end && *q == '[' && (q[1] == '\'' || q[1] == '"')) {
                name = q + 2;
                ne = memchr(name, q[1], (size_t)(end - name));
            }
            if (!name || !ne || ne == name) {
                u->all[k] = true;
                continue;
            }
            if (argo_mark(ctx, u, name, (size_t)(ne - name), k))
                return KFP_ERR;
            const char *dash = memchr(name, '-', (size_t)(ne - name));
            if (dash && dash != name && argo_mark(ctx, u, name, (size_t)(dash - name), k))
                return KFP_ERR;
        }
    }
    return KFP_OK;
}

static int argo_scan_scalar(struct kfp_ctx *ctx, const struct kfp_node *n, void *arg)
{
    return n->len > 7 ? argo_scan(ctx, arg, n->u.str, n->len) : KFP_OK;
}

/* Scans every key and scalar of template node t (aliases followed within a budget: when it
 * runs out everything counts as read, so nothing is reported). KFP_ERR when out of memory. */
static int argo_template_uses(struct kfp_ctx *ctx, const struct kfp_node *t, struct argo_uses *u)
{
    int st = kfp_each_scalar(ctx, t, 1000000, argo_scan_scalar, u);
    if (st == 1)
        u->all[0] = u->all[1] = true;
    return st == KFP_ERR ? KFP_ERR : KFP_OK;
}

/* Unread inputs of one Argo template: a parameter nothing in the template reads, and an
 * artifact of a dag/steps template that no task is given (a container/script template's
 * artifacts are read by being placed at their path). */
static void check_argo_template(struct kfp_ctx *ctx, const struct kfp_argo_template *tp)
{
    const struct kfp_component *c = tp->comp;
    if (!c || !c->inputs.n)
        return;
    /* a plugin receives the whole template, inputs included; a template that only names
     * another (the deprecated template-level `template:` / `templateRef:`) hands its inputs on */
    if (tp->type == KFP_ARGO_T_PLUGIN || kfp_map_get(tp->node, "templateRef", NULL) ||
        kfp_map_get(tp->node, "template", NULL))
        return;
    /* a suspend template's inputs are the form the UI shows when it is resumed (intermediate
     * parameters: enum, default, description) */
    if (tp->type == KFP_ARGO_T_SUSPEND)
        return;
    bool graph = tp->type == KFP_ARGO_T_DAG || tp->type == KFP_ARGO_T_STEPS;
    bool any = false;
    for (size_t i = 0; i < c->inputs.n && !any; i++)
        any = !c->inputs.items[i].artifact || graph;
    if (!any)
        return;
    struct argo_uses u;
    memset(&u, 0, sizeof(u));
    u.inputs = &c->inputs;
    u.used = kfp_arena_calloc(ctx->scratch, c->inputs.n, 1);
    if (!u.used || argo_template_uses(ctx, tp->node, &u)) {
        ctx->oom = 1;
        return;
    }
    const char *tn = tp->name.name ? tp->name.name : "";
    for (size_t i = 0; i < c->inputs.n; i++) {
        const struct kfp_iodef *d = &c->inputs.items[i];
        int k = d->artifact ? 1 : 0;
        if (!d->name.name || u.all[k] || u.used[i])
            continue;
        const struct kfp_iodef *first = kfp_iodefs_find(&c->inputs, d->name.name, k);
        if (first && u.used[first - c->inputs.items])
            continue; /* a second input of a used name: argo-duplicate-name's */
        if (!k && !strcmp(d->name.name, "ARGO_DYNAMIC_INPUTS"))
            continue; /* read by Argo itself: artifacts declared at run time */
        if (k && (!graph || kfp_map_get(d->node, "path", NULL) || kfp_map_get(d->node, "from", NULL)))
            continue;
        struct kfp_finding *f;
        if (!k)
            f = kfp_report_sev(ctx, KFP_SEV_WARNING, d->name.node,
                               "input parameter '%s' of template '%s' is never used: nothing in the "
                               "template reads {{inputs.parameters.%s}}, so the value callers pass "
                               "goes nowhere; use it (e.g. in args) or remove it",
                               d->name.name, tn, d->name.name);
        else
            f = kfp_report_sev(ctx, KFP_SEV_WARNING, d->name.node,
                               "input artifact '%s' of %s template '%s' is never used: no task or "
                               "step is given {{inputs.artifacts.%s}}, so the artifact callers pass "
                               "goes nowhere; pass it on (arguments.artifacts[].from) or remove it",
                               d->name.name, kfp_argo_ttype_name((enum kfp_argo_ttype)tp->type), tn,
                               d->name.name);
        if (tp->name.node)
            kfp_related(ctx, f, tp->name.node, "template '%s'", tn);
    }
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    if (!m)
        return;
    if (m->kind == KFP_DOC_ARGO) {
        /* an Argo template says where each output comes from (valueFrom.path, …):
         * argo-invalid-output checks that; here only inputs nothing reads */
        for (size_t i = 0; m->argo && i < m->argo->n_templates && !ctx->oom; i++)
            check_argo_template(ctx, m->argo->templates[i]);
        return;
    }
    enum kfp_sdk target = kfp_target_sdk(ctx);
    if (m->kind == KFP_DOC_COMPONENT_V1) {
        const struct kfp_component *c = m->root;
        if (c && c->executor && c->executor->container)
            check_component(ctx, c, c->executor->container, target);
        return;
    }
    for (size_t i = 0; i < m->n_components && !ctx->oom; i++) {
        const struct kfp_component *c = m->components[i];
        const struct kfp_executor *e = c->executor;
        if (!c->dag && e && e->kind == KFP_EXEC_CONTAINER && e->container)
            check_component(ctx, c, e->container, target);
    }
}

const struct kfp_rule kfp_rule_dangling_io = {
    .id = "dangling-io",
    .summary = "a container component declares an output it never writes or an input it never reads "
               "(Argo: a template input nothing reads)",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,components",
    .doc = doc,
    .check = check,
};
