/* env_unset.c — env-unset: a container refers to an environment variable nobody sets. */
#include "kfplint/config.h"
#include "kfplint/edit.h"
#include "kfplint/rule.h"

#include <ctype.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Finds Kubernetes `$(NAME)` references in a container's `command` and `args` (and in env "
    "values) where `NAME` is not defined for that container: not in `env`, not an `envVar` of the "
    "platform config's `secretAsEnv` / `configMapAsEnv`, not in `fieldPathAsEnv` (v1: not a key "
    "of the `env` map). `$$(NAME)` is an escape, not a reference. A container with `envFrom` (Argo "
    "and Kubernetes manifests) is skipped: its ConfigMap or Secret defines names kfplint cannot "
    "see; in Argo manifests `ARGO_*` names, which the controller adds to the pod, count as "
    "defined.\n\n"
    "Inside a shell script (`sh -c`, `bash -ec`, …) `$(cmd)` is usually command substitution, "
    "so there only ENV-style names (upper case, digits, underscores) count; a shell `$NAME` or "
    "`${NAME}` of that style that the container does not set and the script does not assign is "
    "a **warning** (names every shell or KFP provides, such as `HOME` or `KFP_POD_NAME`, are "
    "known, and so is a variable the script tests with `[ -n \"$NAME\" ]`; a variable the "
    "image itself sets cannot be seen, hence only a warning). Names your runtime sets can be "
    "listed in `.kfplint.yaml` under `rules: {env-unset: {provided: [NAME, …]}}`.\n\n"
    "A `$(NAME)` inside program text — a multi-line element, the source after `python -c`, or "
    "the element a shell script writes to a file (`printf '%s' \"$0\" > prog.py`) — is a "
    "**warning**: it is usually meant for another layer (Vertex AI expands `$(AIP_STORAGE_URI)` "
    "itself), and Kubernetes leaving it untouched is what the author wants. `$(NAME)` as a whole "
    "argument or inside a one-line argument stays an error.\n\n"
    "## Why is this bad?\n"
    "Kubernetes leaves an unresolved `$(NAME)` in place as literal text, so the program receives "
    "the string `$(NAME)` — or, in a shell script, runs a command called `NAME` — silently.\n\n"
    "## Example\n"
    "```yaml\n"
    "command: [sh, -c, 'gsutil cp out.csv $(RESULTS_BUCKET)']   # no env RESULTS_BUCKET\n"
    "```\n\n"
    "## Fix safety\n"
    "Safe when `.kfplint.yaml` gives the variable a value (`rules: {env-unset: {defaults: {NAME: "
    "value}}}`): an env entry is added to that container, in the style of its env list. Without a "
    "configured value there is no fix: the value is the author's.\n";

static const char *const well_known[] = {
    "HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "HOSTNAME", "SHELL", "TMPDIR", "TEMP",
    "TMP", "LANG", "LANGUAGE", "LC_ALL", "TERM", "IFS", "RANDOM", "SECONDS", "LINENO", "UID",
    "EUID", "PPID", "BASH_SOURCE", "BASH_VERSION", "OPTARG", "OPTIND", "PIPESTATUS", "FUNCNAME",
    "HOSTTYPE", "OSTYPE", "MACHTYPE", "PS1", "PS4", "SHLVL", "BASH", "REPLY",
    "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", NULL,
};

static bool is_well_known(const char *name, size_t n)
{
    if ((n > 4 && !strncmp(name, "KFP_", 4)) || (n > 11 && !strncmp(name, "KUBERNETES_", 11)))
        return true;
    for (size_t i = 0; well_known[i]; i++)
        if (strlen(well_known[i]) == n && !strncmp(well_known[i], name, n))
            return true;
    return false;
}

static bool env_style(const char *s, size_t n)
{
    if (n == 0 || !(isupper((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

struct scope {
    struct kfp_ctx *ctx;
    const struct kfp_container *c;
    struct kfp_strmap defined; /* env names of the container */
    struct kfp_strmap assigned; /* names the current shell script assigns */
    char buf[256];
};

static bool is_defined(struct scope *sc, const char *name, size_t n, bool in_script)
{
    if (n >= sizeof(sc->buf))
        return true; /* not a name anybody writes */
    if (sc->ctx->m->kind == KFP_DOC_ARGO && n > 5 && !memcmp(name, "ARGO_", 5))
        return true; /* the Argo controller adds ARGO_* variables to the pod (workflowpod.go) */
    memcpy(sc->buf, name, n);
    sc->buf[n] = '\0';
    return kfp_strmap_get(&sc->defined, sc->buf) ||
           (in_script && kfp_strmap_get(&sc->assigned, sc->buf));
}

static void add_name(struct scope *sc, struct kfp_strmap *m, const char *s, size_t n)
{
    char *name = kfp_arena_strndup(sc->ctx->scratch, s, n);
    if (!name || kfp_strmap_put(sc->ctx->scratch, m, name, name, NULL))
        sc->ctx->oom = 1;
}

/* Names a shell script assigns: `NAME=…` at a word start, `for NAME in`, `read … NAME`. */
static void collect_assigned(struct scope *sc, const char *s, size_t len)
{
    sc->assigned.len = 0;
    if (kfp_strmap_init(sc->ctx->scratch, &sc->assigned, 8)) {
        sc->ctx->oom = 1;
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (!(isalpha((unsigned char)s[i]) || s[i] == '_') || (i > 0 && (ident_char(s[i - 1]) || s[i - 1] == '$' || s[i - 1] == '{')))
            continue;
        size_t j = i;
        while (j < len && ident_char(s[j]))
            j++;
        size_t n = j - i;
        if (n == 1 && (s[i] == 'n' || s[i] == 'z') && i > 0 && s[i - 1] == '-') {
            /* `[ -n "$NAME" ]` / `-z`: the script handles the variable being unset */
            size_t k = j;
            while (k < len && (s[k] == ' ' || s[k] == '"'))
                k++;
            if (k < len && s[k] == '$') {
                k++;
                if (k < len && s[k] == '{')
                    k++;
                size_t w = k;
                while (k < len && ident_char(s[k]))
                    k++;
                if (k > w)
                    add_name(sc, &sc->assigned, s + w, k - w);
            }
        } else if (j < len && s[j] == '=' && (j + 1 >= len || s[j + 1] != '=')) {
            add_name(sc, &sc->assigned, s + i, n);
        } else if ((n == 3 && !strncmp(s + i, "for", 3)) || (n == 4 && !strncmp(s + i, "read", 4))) {
            bool is_read = n == 4;
            size_t k = j;
            while (k < len && s[k] != '\n' && s[k] != ';' && s[k] != '|' && s[k] != '&') {
                while (k < len && (s[k] == ' ' || s[k] == '\t'))
                    k++;
                size_t w = k;
                while (k < len && (ident_char(s[k]) || s[k] == '-'))
                    k++;
                if (k > w && s[w] != '-')
                    add_name(sc, &sc->assigned, s + w, k - w);
                if (!is_read || k == w)
                    break;
            }
        }
        i = j;
    }
}

/* The config's default for an unset name: an env entry added to the container, in the style of
 * its env list (or a new env list/map when it has none). */
static void default_fix(struct scope *sc, struct kfp_finding *f, const char *name, size_t name_len)
{
    const struct kfp_config *cfg = sc->ctx->opts->config;
    const char *value = NULL;
    for (size_t i = 0; f && cfg && i < cfg->n_env_defaults && !value; i++)
        if (strlen(cfg->env_defaults[i].name) == name_len && !strncmp(cfg->env_defaults[i].name, name, name_len))
            value = cfg->env_defaults[i].value;
    if (!value)
        return;
    struct kfp_arena *a = sc->ctx->a;
    const struct kfp_source *src = &sc->ctx->doc->src;
    const struct kfp_container *c = sc->c;
    bool json = sc->ctx->doc->format == KFP_FORMAT_JSON;
    char *key = kfp_arena_strndup(a, name, name_len);
    char *qv = kfp_edit_quote(a, value);
    const struct kfp_node *env = kfp_deref(c->env_node);
    struct kfp_edit e;
    int rc;
    if (!key || !qv)
        return;
    if (c->v1 && env && env->kind == KFP_NODE_MAP && env->len)
        rc = kfp_edit_append_pair(a, src, env, json, key, qv, &e);
    else if (c->v1)
        rc = kfp_edit_append_pair(a, src, c->node, json, "env", kfp_arena_printf(a, "{%s: %s}", key, qv), &e);
    else if (env && env->kind == KFP_NODE_SEQ && env->len)
        rc = kfp_edit_append_item(a, src, env, "name", key, "value", value, &e);
    else if (!env)
        rc = kfp_edit_append_pair(a, src, c->node, json, "env",
                                  json ? kfp_arena_printf(a, "[{\"name\": %s, \"value\": %s}]", kfp_edit_quote(a, key), qv)
                                       : kfp_arena_printf(a, "[{name: %s, value: %s}]", key, qv), &e);
    else
        return; /* an empty or odd env: leave it to the author */
    if (rc == KFP_OK && e.text)
        kfp_fix_edits(sc->ctx, f, 1, "add the configured default to the container's env", &e, 1);
}

/* warning: a shell `$NAME` (1) or a `$(NAME)` inside program text (2); 0 for an error. */
static void report_ref(struct scope *sc, const struct kfp_node *n, const char *ref, size_t ref_len,
                       const char *name, size_t name_len, int warning)
{
    struct kfp_span sp = kfp_node_subspan(&sc->ctx->doc->src, n, ref, ref_len);
    struct kfp_finding *f;
    if (warning == 2) {
        f = kfp_report_sev(sc->ctx, KFP_SEV_WARNING, n,
            "$(%.*s) in the program text of %s names an environment variable the container does "
            "not define: Kubernetes leaves it as the literal text '$(%.*s)', which is right only "
            "when the program or another layer (such as Vertex AI) expands it; otherwise add it "
            "to env",
            (int)name_len, name, sc->c->what, (int)name_len, name);
        if (f)
            f->span = sp;
    } else if (warning) {
        f = kfp_report(sc->ctx, sp,
            "shell variable '%.*s' in %s is not set by the container's env and not assigned in the "
            "script: add it to env (or the image must provide it)",
            (int)name_len, name, sc->c->what);
        if (f && f->severity > KFP_SEV_WARNING)
            f->severity = KFP_SEV_WARNING;
    } else {
        f = kfp_report(sc->ctx, sp,
                   "$(%.*s) in %s names an environment variable the container does not define: "
                   "Kubernetes passes it on as the literal text '$(%.*s)'; add it to env, or write "
                   "$$(%.*s) for a literal",
                   (int)name_len, name, sc->c->what, (int)name_len, name, (int)name_len, name);
    }
    default_fix(sc, f, name, name_len);
}

/* Scans one element. `program`: the element is the source of a program (after `python -c`, or
 * what a shell script writes to a file); a multi-line element is program text too. */
static void scan(struct scope *sc, const struct kfp_node *n, bool script, bool program)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_SCALAR)
        return;
    const char *s = n->u.str;
    size_t len = n->len;
    if (!program && memchr(s, '\n', len))
        program = true;
    if (script)
        collect_assigned(sc, s, len);
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '$')
            continue;
        if (s[i + 1] == '$') { /* escape */
            i++;
            continue;
        }
        if (s[i + 1] == '(') {
            const char *close = memchr(s + i + 2, ')', len - i - 2);
            if (!close)
                continue;
            const char *name = s + i + 2;
            size_t nl = (size_t)(close - name);
            bool candidate = script ? env_style(name, nl) : kfp_env_name_valid(name, nl);
            if (candidate && !is_defined(sc, name, nl, false))
                report_ref(sc, n, s + i, nl + 3, name, nl, program ? 2 : 0);
            continue;
        }
        if (!script)
            continue;
        const char *name;
        size_t nl, ref_len;
        if (s[i + 1] == '{') {
            name = s + i + 2;
            nl = 0;
            while (i + 2 + nl < len && ident_char(name[nl]))
                nl++;
            if (i + 2 + nl >= len || name[nl] != '}')
                continue; /* ${X:-default}, ${#X}, …: has a fallback or is not a plain read */
            ref_len = nl + 3;
        } else {
            name = s + i + 1;
            nl = 0;
            while (i + 1 + nl < len && ident_char(name[nl]))
                nl++;
            ref_len = nl + 1;
        }
        if (env_style(name, nl) && !is_well_known(name, nl) && !is_defined(sc, name, nl, true))
            report_ref(sc, n, s + i, ref_len, name, nl, 1);
    }
}

static bool is_shell(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    if (!s)
        return false;
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    static const char *const shells[] = {"sh", "bash", "zsh", "dash", "ash", "ksh", NULL};
    for (size_t i = 0; shells[i]; i++)
        if (!strcmp(base, shells[i]))
            return true;
    return false;
}

static bool is_python(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    if (!s)
        return false;
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    if (strncmp(base, "python", 6))
        return false;
    for (const char *p = base + 6; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.')
            return false;
    return true;
}

/* Whether a shell script writes its $0 to a file (`printf "%s" "$0" > "$p/prog.py"`): the
 * element after it is then program source. */
static bool writes_arg0(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    const char *d = s ? strstr(s, "$0") : NULL;
    if (!d)
        return false;
    const char *eol = strchr(d, '\n');
    const char *gt = strchr(d, '>');
    return gt && (!eol || gt < eol);
}

static bool c_flag(const struct kfp_node *n)
{
    const char *s = kfp_scalar(n);
    if (!s || s[0] != '-' || s[1] == '-' || !strchr(s, 'c'))
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!islower((unsigned char)*p))
            return false;
    return true;
}

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    if (c->env_from)
        return; /* Kubernetes `envFrom` (a ConfigMap or Secret) defines names kfplint cannot see */
    struct scope sc;
    memset(&sc, 0, sizeof(sc));
    sc.ctx = ctx;
    sc.c = c;
    struct kfp_arena *tmp = ctx->scratch; /* this container's names: released after it */
    if (kfp_strmap_init(tmp, &sc.defined, c->n_env + c->n_extra_env)) {
        ctx->oom = 1;
        return;
    }
    for (size_t i = 0; i < c->n_env; i++)
        if (c->env[i].name.name)
            kfp_strmap_put(tmp, &sc.defined, c->env[i].name.name, (void *)c->env[i].name.name, NULL);
    for (size_t i = 0; i < c->n_extra_env; i++)
        kfp_strmap_put(tmp, &sc.defined, c->extra_env[i].name, (void *)c->extra_env[i].name, NULL);
    const struct kfp_config *cfg = ctx->opts->config; /* names the runtime provides */
    for (size_t i = 0; cfg && cfg->provided_env && cfg->provided_env[i]; i++)
        kfp_strmap_put(tmp, &sc.defined, cfg->provided_env[i], (void *)cfg->provided_env[i], NULL);

    /* argv = command ++ args; the item after `<shell> -c` is a script, wherever it stands
     * (KFP components chain `sh -c 'pip install …' sh -ec 'program'`) */
    const struct kfp_node *parts[2] = {kfp_deref(c->command), kfp_deref(c->args)};
    /* state: 0 plain, 1 after a shell (its options follow), 2 after its -c flag, 3 after a
     * python interpreter, 4 after its -c flag, 5 after a script that writes its $0 to a file */
    int state = 0;
    for (int p = 0; p < 2; p++) {
        const struct kfp_node *seq = parts[p];
        for (uint32_t i = 0; seq && seq->kind == KFP_NODE_SEQ && i < seq->len; i++) {
            const struct kfp_node *item = kfp_deref(&seq->u.items[i]);
            const char *str = kfp_scalar(item);
            bool opt = str && str[0] == '-';
            bool script = state == 2 && !opt;
            bool program = (state == 4 && !opt) || state == 5;
            scan(&sc, item, script, program);
            if (is_shell(item))
                state = 1;
            else if (is_python(item))
                state = 3;
            else if ((state == 1 || state == 3) && c_flag(item))
                state = state == 1 ? 2 : 4;
            else if (script && writes_arg0(item))
                state = 5;
            else if (!((state == 1 || state == 3) && opt))
                state = 0;
        }
    }
    for (size_t i = 0; i < c->n_env; i++)
        scan(&sc, c->env[i].value, false, false);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_env_unset = {
    .id = "env-unset",
    .summary = "a container refers to an environment variable that nobody sets",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,env",
    .doc = doc,
    .check = check,
};
