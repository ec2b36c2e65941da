/* config.c — `.kfplint.yaml`: loading with positions, discovery, exclusion and ignores, custom
 * rules (kfp_config_*, kfp_custom_check).
 *
 * The file is read with kfplint's own loader, so every error has the line and column of the
 * offending key or value. Everything a config holds lives in its arena.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "kfplint/config.h"
#include "kfplint/alloc.h"
#include "kfplint/cli.h"
#include "kfplint/path.h"
#include "kfplint/report.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const custom_fields[KFP_CF__COUNT] = {
    /* ORDER kfp_custom_field */
    "image", "env-name", "env-value", "command", "args", "task-name", "pipeline-name",
    "component-name",
};

static void apply_cli(struct kfp_config *c, const struct kfp_cli_rules *cli)
{
    for (size_t i = 0; i < kfp_n_rules && cli; i++) {
        if (cli->ignored[i])
            c->severity[i] = KFP_SEV_OFF;
        else if (cli->any_select && !cli->selected[i])
            c->severity[i] = KFP_SEV_OFF;
        else if (cli->any_select && c->severity[i] == KFP_SEV_OFF)
            c->severity[i] = kfp_rules[i]->severity; /* selecting turns an off rule on */
    }
}

static struct kfp_config *new_config(void)
{
    struct kfp_config *c = kfp_malloc(sizeof(*c));
    if (!c)
        return NULL;
    memset(c, 0, sizeof(*c));
    kfp_arena_init(&c->arena);
    for (size_t i = 0; i < kfp_n_rules; i++)
        c->severity[i] = kfp_rules[i]->off_by_default ? KFP_SEV_OFF : kfp_rules[i]->severity;
    return c;
}

struct kfp_config *kfp_config_default(const struct kfp_cli_rules *cli)
{
    struct kfp_config *c = new_config();
    if (c)
        apply_cli(c, cli);
    return c;
}

void kfp_config_free(struct kfp_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_codes; i++)
        pcre2_code_free(c->codes[i]);
    kfp_free(c->codes);
    kfp_arena_free(&c->arena);
    kfp_free(c);
}

/* ------------------------------------------------------------------ parsing */

struct parser {
    struct kfp_config *c;
    const struct kfp_doc *doc;
    struct kfp_error *err;
    bool failed;      /* the entry being parsed has an error (later ones are its consequences) */
    size_t n_errors;  /* errors in the whole file: every entry is checked, every error reported */
    char *all;        /* every error, one per line (kfp_malloc'd; NULL when not asked for) */
    size_t all_len;
    bool want_all;
};

__attribute__((format(printf, 3, 4))) static int fail(struct parser *p, const struct kfp_node *n,
                                                      const char *fmt, ...)
{
    if (p->failed)
        return KFP_ERR;
    p->failed = true;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t line = 1, col = 1;
    if (n)
        kfp_source_pos(&p->doc->src, n->span.start, &line, &col);
    if (p->n_errors++ == 0) /* the first sets err (and its span) */
        kfp_error_set_at(p->err, kfp_node_span(n), "%s:%zu:%zu: config error: %s", p->c->path,
                         line, col, msg);
    if (p->want_all) { /* every one goes into the list (out of memory: the first still stands) */
        char one[PATH_MAX + 512];
        int w = snprintf(one, sizeof(one), "%s%s:%zu:%zu: config error: %s", p->all_len ? "\n" : "",
                         p->c->path, line, col, msg);
        size_t add = w < 0 ? 0 : (size_t)w < sizeof(one) ? (size_t)w : sizeof(one) - 1;
        char *grown = kfp_realloc(p->all, p->all_len + add + 1);
        if (grown) {
            memcpy(grown + p->all_len, one, add);
            p->all_len += add;
            grown[p->all_len] = '\0';
            p->all = grown;
        }
    }
    return KFP_ERR;
}

/* A string value (a quoted number or word where YAML would read another type) → arena copy.
 * Anything else, numbers, booleans and null included, is an error: a config value of the wrong
 * type is never read as something else. */
static const char *str(struct parser *p, const struct kfp_node *n, const char *what)
{
    n = kfp_deref(n);
    const char *s = kfp_scalar(n);
    enum kfp_scalar_type t = kfp_scalar_type(n);
    if (!s || t != KFP_SCALAR_STRING) {
        fail(p, n, "%s must be a string, got %s%s", what, kfp_node_kind_name(n),
             t == KFP_SCALAR_INT || t == KFP_SCALAR_FLOAT || t == KFP_SCALAR_BOOL
                 ? " (quote it to make it a string)"
                 : "");
        return NULL;
    }
    return kfp_arena_strdup(&p->c->arena, s);
}

/* A list of strings → NULL-terminated array in the arena. One string is not a list: `exclude:
 * "**"` is an error, not a one-pattern list, so no value is read as another type. */
static const char **str_list(struct parser *p, const struct kfp_node *n, const char *what)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_SEQ) {
        if (kfp_scalar_type(n) == KFP_SCALAR_STRING)
            fail(p, n, "%s must be a list of strings, got a string (write ['%s'])", what,
                 kfp_scalar(n));
        else
            fail(p, n, "%s must be a list of strings, got %s", what, kfp_node_kind_name(n));
        return NULL;
    }
    const char **out = kfp_arena_calloc(&p->c->arena, n->len + 1, sizeof(*out));
    for (uint32_t i = 0; out && i < n->len && !p->failed; i++)
        out[i] = str(p, &n->u.items[i], what);
    return p->failed ? NULL : out;
}

/* {name: value} map → array. */
static struct kfp_name_value *pairs(struct parser *p, const struct kfp_node *n, const char *what,
                                    size_t *count)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_MAP) {
        fail(p, n, "%s must be a mapping of names to values", what);
        return NULL;
    }
    struct kfp_name_value *out = kfp_arena_calloc(&p->c->arena, n->len + 1, sizeof(*out));
    for (uint32_t i = 0; out && i < n->len && !p->failed; i++) {
        out[i].name = str(p, &n->u.pairs[i].key, what);
        out[i].value = str(p, &n->u.pairs[i].value, what);
    }
    *count = n->len;
    return p->failed ? NULL : out;
}

static void unknown_key(struct parser *p, const struct kfp_node *k, const char *where,
                        const char *const *known)
{
    if (!kfp_scalar(kfp_deref(k))) {
        fail(p, k, "keys in %s must be strings, got %s", where, kfp_node_kind_name(k));
        return;
    }
    struct kfp_suggest s;
    kfp_suggest_init(&s, kfp_scalar(k));
    for (size_t i = 0; known[i]; i++)
        kfp_suggest_add(&s, known[i]);
    const char *hint = kfp_suggest_result(&s);
    if (hint)
        fail(p, k, "unknown key '%s' in %s: did you mean '%s'?", kfp_scalar(k), where, hint);
    else
        fail(p, k, "unknown key '%s' in %s", kfp_scalar(k), where);
}

static const struct kfp_rule *rule_or_fail(struct parser *p, const struct kfp_node *k)
{
    const char *id = kfp_scalar(kfp_deref(k));
    const struct kfp_rule *r = id ? kfp_rule_find(id) : NULL;
    if (!id) {
        fail(p, k, "rule ids must be strings, got %s", kfp_node_kind_name(k));
        return NULL;
    }
    if (!r) {
        struct kfp_suggest s;
        kfp_suggest_init(&s, id);
        for (size_t i = 0; i < kfp_n_rules; i++)
            kfp_suggest_add(&s, kfp_rules[i]->id);
        const char *hint = kfp_suggest_result(&s);
        fail(p, k, "unknown rule '%s'%s%s%s", id ? id : "", hint ? ": did you mean '" : "",
             hint ? hint : "", hint ? "'?" : "");
    }
    return r;
}

static int severity_of(struct parser *p, const struct kfp_node *n, enum kfp_severity *out)
{
    const char *s = kfp_scalar(n);
    int v = s ? kfp_severity_parse(s) : -1;
    if (v < 0 && s && kfp_scalar_type(n) == KFP_SCALAR_BOOL)
        v = -2; /* `off` reads as a YAML boolean: accept it as a severity word */
    if (v == -2 && (!strcmp(s, "off") || !strcmp(s, "false")))
        v = KFP_SEV_OFF;
    if (v < 0 && !s)
        return fail(p, n, "severity must be error, warning, note or off, got %s",
                    kfp_node_kind_name(n));
    if (v < 0)
        return fail(p, n, "severity must be error, warning (or warn), note or off, not '%s'", s ? s : "?");
    *out = (enum kfp_severity)v;
    return KFP_OK;
}

/* rules: {id: off|error|warning|note | {enabled, severity, <options>}} */
static int parse_rule(struct parser *p, const struct kfp_node *k, const struct kfp_node *v)
{
    const struct kfp_rule *r = rule_or_fail(p, k);
    if (!r)
        return KFP_ERR;
    size_t idx = kfp_rule_index(r);
    v = kfp_deref(v);
    if (v && v->kind == KFP_NODE_SCALAR)
        return severity_of(p, v, &p->c->severity[idx]);
    if (!v || v->kind != KFP_NODE_MAP)
        return fail(p, v ? v : k, "rule '%s' takes a severity or a mapping", r->id);
    enum kfp_severity sev = p->c->severity[idx] == KFP_SEV_OFF ? r->severity : p->c->severity[idx];
    int enabled = -1;
    for (uint32_t i = 0; i < v->len && !p->failed; i++) {
        const struct kfp_node *ok = &v->u.pairs[i].key, *ov = kfp_deref(&v->u.pairs[i].value);
        const char *name = kfp_scalar(ok);
        if (!name)
            return fail(p, ok, "keys must be strings");
        if (!strcmp(name, "severity")) {
            severity_of(p, ov, &sev);
        } else if (!strcmp(name, "enabled")) {
            if (kfp_scalar_type(ov) != KFP_SCALAR_BOOL)
                return fail(p, ov, "enabled must be true or false");
            enabled = !strcmp(kfp_scalar(ov), "true") || !strcmp(kfp_scalar(ov), "yes") ||
                      !strcmp(kfp_scalar(ov), "on") || !strcmp(kfp_scalar(ov), "True");
        } else if (!strcmp(r->id, "image-registry") && !strcmp(name, "allowed")) {
            p->c->registries = str_list(p, ov, "image-registry.allowed");
        } else if (!strcmp(r->id, "env-unset") && !strcmp(name, "provided")) {
            p->c->provided_env = str_list(p, ov, "env-unset.provided");
        } else if (!strcmp(r->id, "env-unset") && !strcmp(name, "defaults")) {
            p->c->env_defaults = pairs(p, ov, "env-unset.defaults", &p->c->n_env_defaults);
        } else if ((!strcmp(r->id, "image-unpinned") || !strcmp(r->id, "image-digest")) &&
                   !strcmp(name, "pins")) {
            p->c->image_pins = pairs(p, ov, "pins", &p->c->n_image_pins);
        } else {
            static const char *const base[] = {"severity", "enabled", "allowed", "provided",
                                               "defaults", "pins", NULL};
            char where[96];
            snprintf(where, sizeof(where), "rule '%s'", r->id);
            unknown_key(p, ok, where, base);
        }
    }
    if (p->failed)
        return KFP_ERR;
    p->c->severity[idx] = enabled == 0 ? KFP_SEV_OFF : sev;
    return KFP_OK;
}

/* ignore: [{path: GLOB, rules: [ids], tasks: [keys]}] */
static int parse_ignores(struct parser *p, const struct kfp_node *v)
{
    v = kfp_deref(v);
    if (!v || v->kind != KFP_NODE_SEQ)
        return fail(p, v, "ignore must be a list of {path, rules, tasks}");
    p->c->ignores = kfp_arena_calloc(&p->c->arena, v->len + 1, sizeof(*p->c->ignores));
    if (!p->c->ignores)
        return fail(p, v, "out of memory");
    for (uint32_t i = 0; i < v->len; i++) {
        p->failed = false; /* each entry's errors are reported */
        const struct kfp_node *e = kfp_deref(&v->u.items[i]);
        struct kfp_ignore *ig = &p->c->ignores[p->c->n_ignores++];
        if (e)
            kfp_source_pos(&p->doc->src, e->span.start, &ig->line, &ig->col);
        if (!e || e->kind != KFP_NODE_MAP) {
            fail(p, e, "an ignore entry must be a mapping {path, rules, tasks}");
            continue;
        }
        for (uint32_t j = 0; j < e->len && !p->failed; j++) {
            const struct kfp_node *k = &e->u.pairs[j].key, *val = &e->u.pairs[j].value;
            const char *name = kfp_scalar(k);
            if (name && !strcmp(name, "path")) {
                ig->glob = str(p, val, "ignore.path");
            } else if (name && !strcmp(name, "rules")) {
                ig->rules = str_list(p, val, "ignore.rules");
                const struct kfp_node *list = kfp_deref(val);
                for (size_t r = 0; ig->rules && ig->rules[r] && !p->failed; r++)
                    if (!kfp_rule_find(ig->rules[r]))
                        fail(p, list && list->kind == KFP_NODE_SEQ ? &list->u.items[r] : val,
                             "unknown rule '%s' in ignore.rules", ig->rules[r]);
            } else if (name && !strcmp(name, "tasks")) {
                ig->tasks = str_list(p, val, "ignore.tasks");
            } else {
                static const char *const known[] = {"path", "rules", "tasks", NULL};
                unknown_key(p, k, "an ignore entry", known);
            }
        }
        if (!p->failed && !ig->glob)
            fail(p, e, "an ignore entry needs a path");
    }
    return p->failed ? KFP_ERR : KFP_OK;
}

/* target: {kfp-sdk: v1 | v2 | auto} */
static int parse_target(struct parser *p, const struct kfp_node *v)
{
    v = kfp_deref(v);
    if (!v || v->kind != KFP_NODE_MAP)
        return fail(p, v, "target must be a mapping such as {kfp-sdk: v2}");
    for (uint32_t i = 0; i < v->len && !p->failed; i++) {
        const struct kfp_node *k = &v->u.pairs[i].key, *val = kfp_deref(&v->u.pairs[i].value);
        const char *name = kfp_scalar(k);
        if (name && !strcmp(name, "kfp-sdk")) {
            const char *s = kfp_scalar(val);
            if (s && kfp_scalar_type(val) == KFP_SCALAR_STRING && !strcmp(s, "v1"))
                p->c->target_sdk = KFP_SDK_V1;
            else if (s && kfp_scalar_type(val) == KFP_SCALAR_STRING && !strcmp(s, "v2"))
                p->c->target_sdk = KFP_SDK_V2;
            else if (s && kfp_scalar_type(val) == KFP_SCALAR_STRING && !strcmp(s, "auto"))
                p->c->target_sdk = KFP_SDK_UNKNOWN;
            else
                fail(p, val ? val : k, "target.kfp-sdk must be v1, v2 or auto, not '%s'",
                     s ? s : "?");
        } else {
            static const char *const known[] = {"kfp-sdk", NULL};
            unknown_key(p, k, "target", known);
        }
    }
    return p->failed ? KFP_ERR : KFP_OK;
}

static int keep_code(struct kfp_config *c, pcre2_code *code)
{
    void **n = kfp_realloc(c->codes, (c->n_codes + 1) * sizeof(*n));
    if (!n)
        return KFP_ERR;
    c->codes = n;
    c->codes[c->n_codes++] = code;
    return KFP_OK;
}

/* One custom rule, entry e of custom-rules: on success it is appended to p->c->custom. Returns
 * KFP_OK, or KFP_ERR after reporting the entry's error through fail(). */
static int parse_one_custom(struct parser *p, const struct kfp_node *e)
{
    if (!e || e->kind != KFP_NODE_MAP)
        return fail(p, e, "a custom rule must be a mapping");
    struct kfp_rule *r = &p->c->custom[p->c->n_custom];
    struct kfp_custom *cu = kfp_arena_calloc(&p->c->arena, 1, sizeof(*cu));
    if (!cu)
        return fail(p, e, "out of memory");
    r->severity = KFP_SEV_WARNING;
    r->tags = "custom";
    r->check = kfp_custom_check;
    r->data = cu;
    cu->field = KFP_CF__COUNT;
    const struct kfp_node *pattern = NULL, *idn = NULL;
    for (uint32_t j = 0; j < e->len && !p->failed; j++) {
        const struct kfp_node *k = &e->u.pairs[j].key, *val = kfp_deref(&e->u.pairs[j].value);
        const char *name = kfp_scalar(k);
        if (name && !strcmp(name, "id")) {
            idn = val;
            r->id = str(p, val, "id");
        } else if (name && !strcmp(name, "severity")) {
            severity_of(p, val, &r->severity);
        } else if (name && !strcmp(name, "message")) {
            cu->message = str(p, val, "message");
        } else if (name && !strcmp(name, "field")) {
            const char *f = kfp_scalar(val);
            for (int c = 0; f && c < KFP_CF__COUNT; c++)
                if (!strcmp(f, custom_fields[c]))
                    cu->field = (enum kfp_custom_field)c;
            if (cu->field == KFP_CF__COUNT)
                fail(p, val, "field must be one of image, env-name, env-value, command, args, "
                             "task-name, pipeline-name, component-name");
        } else if (name && !strcmp(name, "pattern")) {
            pattern = val;
        } else if (name && !strcmp(name, "mode")) {
            const char *m = kfp_scalar(val);
            if (m && !strcmp(m, "must-match"))
                cu->must_match = true;
            else if (!m || strcmp(m, "must-not-match"))
                fail(p, val, "mode must be must-match or must-not-match");
        } else {
            static const char *const known[] = {"id", "severity", "message", "field",
                                                "pattern", "mode", NULL};
            unknown_key(p, k, "a custom rule", known);
        }
    }
    if (p->failed)
        return KFP_ERR;
    if (!r->id || !cu->message || !pattern || cu->field == KFP_CF__COUNT)
        return fail(p, e, "a custom rule needs id, message, field and pattern");
    if (kfp_rule_find(r->id))
        return fail(p, idn, "custom rule id '%s' is a built-in rule's id", r->id);
    for (size_t c = 0; c < p->c->n_custom; c++)
        if (!strcmp(p->c->custom[c].id, r->id))
            return fail(p, idn, "custom rule id '%s' is given twice", r->id);
    const char *pat = kfp_scalar(pattern);
    if (!pat || kfp_scalar_type(pattern) != KFP_SCALAR_STRING)
        return fail(p, pattern, "pattern must be a string, got %s", kfp_node_kind_name(pattern));
    cu->pattern = kfp_arena_strdup(&p->c->arena, pat); /* for --print-config */
    int code_err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code_err, &off, NULL);
    if (!code) {
        PCRE2_UCHAR buf[200];
        pcre2_get_error_message(code_err, buf, sizeof(buf));
        /* point into the pattern when it is written verbatim */
        struct kfp_node at = *pattern;
        struct kfp_span sp = kfp_node_subspan(&p->doc->src, pattern, pat, strlen(pat));
        if (sp.end - sp.start == strlen(pat))
            at.span.start = sp.start + (uint32_t)off;
        return fail(p, &at, "invalid pattern: %s (at offset %zu)", (const char *)buf, (size_t)off);
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* optional: the interpreter otherwise */
    if (keep_code(p->c, code)) {
        pcre2_code_free(code);
        return fail(p, e, "out of memory");
    }
    cu->code = code;
    char *summary = kfp_arena_printf(&p->c->arena, "custom rule on %s: %s",
                                     custom_fields[cu->field], cu->message);
    char *doc = kfp_arena_printf(
        &p->c->arena,
        "## What it does\nA custom rule from %s: values of `%s` %s `%s`.\n\n"
        "## Why is this bad?\n%s\n\n## Example\nSee the config file.\n\n## Fix safety\nNo fix.\n",
        p->c->path, custom_fields[cu->field], cu->must_match ? "must match" : "must not match",
        pat, cu->message);
    r->summary = summary;
    r->doc = doc;
    p->c->n_custom++;
    return KFP_OK;
}

/* custom-rules: [{id, severity, message, field, pattern, mode: must-match|must-not-match}]; every
 * entry is checked and each one's error reported. */
static int parse_custom(struct parser *p, const struct kfp_node *v)
{
    v = kfp_deref(v);
    if (!v || v->kind != KFP_NODE_SEQ)
        return fail(p, v, "custom-rules must be a list");
    p->c->custom = kfp_arena_calloc(&p->c->arena, v->len + 1, sizeof(*p->c->custom));
    if (!p->c->custom)
        return fail(p, v, "out of memory");
    int rc = KFP_OK;
    for (uint32_t i = 0; i < v->len; i++) {
        p->failed = false; /* each entry's error is reported */
        if (parse_one_custom(p, kfp_deref(&v->u.items[i])))
            rc = KFP_ERR;
    }
    p->failed = rc != KFP_OK;
    return rc;
}

struct kfp_config *kfp_config_load(const char *path, const struct kfp_cli_rules *cli,
                                   struct kfp_error *err)
{
    return kfp_config_load_all(path, cli, err, NULL);
}

struct kfp_config *kfp_config_load_all(const char *path, const struct kfp_cli_rules *cli,
                                       struct kfp_error *err, char **all)
{
    if (all)
        *all = NULL;
    struct kfp_config *c = new_config();
    if (!c) {
        kfp_error_set(err, "%s: out of memory", path);
        return NULL;
    }
    char *data = NULL;
    size_t len = 0;
    char msg[256];
    struct kfp_doc doc;
    memset(&doc, 0, sizeof(doc));
    struct parser p = {c, &doc, err, false, 0, NULL, 0, all != NULL};
    c->path = kfp_arena_strdup(&c->arena, path);
    char dir[2 * PATH_MAX];
    kfp_path_absolute(path, dir, sizeof(dir));
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    c->dir = kfp_arena_strdup(&c->arena, dir);
    if (!c->path || !c->dir)
        goto fail_nomem;
    if (kfp_files_read(path, 1u << 20, &data, &len, msg, sizeof(msg))) {
        kfp_error_set(err, "%s: cannot read the config: %s", path, msg);
        goto fail;
    }
    enum kfp_load_status st = kfp_load(&c->arena, c->path, data, len, &doc, err);
    if (st == KFP_LOAD_EMPTY) {
        kfp_free(data);
        apply_cli(c, cli);
        return c; /* an empty config means the defaults */
    }
    if (st != KFP_LOAD_OK) {
        size_t line = 1, col = 1;
        if (err && err->has_span)
            kfp_source_pos(&doc.src, err->span.start, &line, &col);
        char m[sizeof(err->msg)];
        snprintf(m, sizeof(m), "%s", st == KFP_LOAD_NOMEM ? "out of memory" : err ? err->msg : "");
        kfp_error_set(err, "%s:%zu:%zu: config error: %s", path, line, col, m);
        goto fail;
    }
    const struct kfp_node *top = kfp_deref(doc.roots[0]);
    if (!top || top->kind != KFP_NODE_MAP) {
        fail(&p, top, "the config must be a mapping (rules, exclude, ignore, custom-rules)");
        goto fail;
    }
    for (size_t i = 0; i < doc.n_dups; i++) {
        p.failed = false;
        fail(&p, doc.dups[i].second, "key '%s' is given twice", doc.dups[i].second->u.str);
    }
    for (uint32_t i = 0; i < top->len; i++) {
        p.failed = false; /* each top-level key's errors are reported */
        const struct kfp_node *k = &top->u.pairs[i].key, *v = kfp_deref(&top->u.pairs[i].value);
        const char *name = kfp_scalar(k);
        if (name && !strcmp(name, "rules")) {
            if (!v || v->kind != KFP_NODE_MAP) {
                fail(&p, v ? v : k, "rules must be a mapping of rule ids");
                break;
            }
            for (uint32_t j = 0; j < v->len; j++) {
                p.failed = false; /* each rule's errors are reported */
                parse_rule(&p, &v->u.pairs[j].key, &v->u.pairs[j].value);
            }
        } else if (name && !strcmp(name, "exclude")) {
            c->exclude = str_list(&p, v, "exclude");
        } else if (name && !strcmp(name, "ignore")) {
            parse_ignores(&p, v);
        } else if (name && !strcmp(name, "custom-rules")) {
            parse_custom(&p, v);
        } else if (name && !strcmp(name, "target")) {
            parse_target(&p, v);
        } else {
            static const char *const known[] = {"rules", "exclude", "ignore", "custom-rules",
                                                "target", NULL};
            unknown_key(&p, k, "the config", known);
        }
    }
    if (p.n_errors)
        goto fail;
    if (c->arena.failed)
        goto fail_nomem;
    kfp_free(data);
    apply_cli(c, cli);
    return c;
fail_nomem:
    kfp_error_set(err, "%s: out of memory", path);
fail:
    kfp_free(data);
    kfp_config_free(c);
    if (all && p.n_errors > 1)
        *all = p.all; /* more than err says */
    else
        kfp_free(p.all);
    return NULL;
}

/* ------------------------------------------------------------------ discovery and matching */

char *kfp_config_find(const char *path)
{
    char dir[2 * PATH_MAX];
    kfp_path_absolute(path, dir, sizeof(dir));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
    }
    for (;;) {
        static const char *const names[] = {".kfplint.yaml", ".kfplint.yml"};
        for (size_t i = 0; i < 2; i++) {
            char cand[2 * PATH_MAX + 32];
            snprintf(cand, sizeof(cand), "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", names[i]);
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
                char *out = kfp_malloc(strlen(cand) + 1);
                if (out)
                    strcpy(out, cand);
                return out;
            }
        }
        if (!strcmp(dir, "/"))
            return NULL;
        char *slash = strrchr(dir, '/');
        *(slash == dir ? slash + 1 : slash) = '\0';
    }
}

bool kfp_config_excluded(const struct kfp_config *c, const char *path)
{
    if (!c->exclude || !c->dir)
        return false;
    char buf[2 * PATH_MAX];
    const char *rel = kfp_path_below(c->dir, path, buf);
    if (!rel)
        return false;
    for (size_t i = 0; c->exclude[i]; i++)
        if (kfp_path_glob(c->exclude[i], rel))
            return true;
    return false;
}

bool kfp_config_ignored(const struct kfp_config *c, const char *path, const char *id,
                        const char *task)
{
    return kfp_config_ignore_match(c, path, id, task) != 0;
}

size_t kfp_config_ignore_match(const struct kfp_config *c, const char *path, const char *id,
                               const char *task)
{
    if (!c->n_ignores || !c->dir)
        return 0;
    char buf[2 * PATH_MAX];
    const char *rel = kfp_path_below(c->dir, path, buf);
    if (!rel)
        return 0;
    for (size_t i = 0; i < c->n_ignores; i++) {
        const struct kfp_ignore *ig = &c->ignores[i];
        if (!ig->glob || !kfp_path_glob(ig->glob, rel))
            continue;
        bool rule_ok = !ig->rules;
        for (size_t r = 0; ig->rules && ig->rules[r]; r++)
            rule_ok |= !strcmp(ig->rules[r], id);
        bool task_ok = !ig->tasks;
        for (size_t t = 0; ig->tasks && ig->tasks[t] && task; t++)
            task_ok |= !strcmp(ig->tasks[t], task);
        if (rule_ok && task_ok)
            return i + 1;
    }
    return 0;
}

/* s as a YAML double-quoted scalar, so any value prints back: control characters, C1 controls
 * and bytes of invalid UTF-8 escaped (\xNN), never written raw to a terminal. */
static void print_str(FILE *out, const char *s)
{
    fputc('"', out);
    size_t n = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s, *end = p + n; p < end;) {
        size_t w = kfp_safe_char_len(p, (size_t)(end - p));
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (w == 0 || *p == '\t')
            fprintf(out, "\\x%02X", *p);
        else
            fwrite(p, 1, w, out);
        p += w ? w : 1;
    }
    fputc('"', out);
}

/* `[a, b]` flow list of quoted strings. */
static void print_list(FILE *out, const char **list)
{
    fputc('[', out);
    for (size_t i = 0; list && list[i]; i++) {
        if (i)
            fputs(", ", out);
        print_str(out, list[i]);
    }
    fputc(']', out);
}

static void print_pairs(FILE *out, const struct kfp_name_value *nv, size_t n)
{
    fputc('{', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        print_str(out, nv[i].name);
        fputs(": ", out);
        print_str(out, nv[i].value);
    }
    fputc('}', out);
}

void kfp_config_print(const struct kfp_config *c, FILE *out)
{
    /* valid config: `kfplint --print-config . > .kfplint.yaml` gives the same behaviour */
    fputs("# effective kfplint configuration (a valid .kfplint.yaml)\n# from: ", out);
    const char *from = c->path ? c->path : "built-in defaults (no .kfplint.yaml found)";
    kfp_write_safe(out, from, strlen(from)); /* a comment: a line break in the path is escaped */
    fputs("\nrules:\n", out);
    for (size_t i = 0; i < kfp_n_rules; i++) {
        const char *id = kfp_rules[i]->id;
        const char *sev = kfp_severity_name(c->severity[i]);
        bool registry = !strcmp(id, "image-registry") && c->registries;
        bool env = !strcmp(id, "env-unset") && (c->provided_env || c->n_env_defaults);
        bool pins = !strcmp(id, "image-unpinned") && c->n_image_pins; /* image-digest shares them */
        if (!registry && !env && !pins) {
            fprintf(out, "  %s: %s\n", id, sev);
            continue;
        }
        fprintf(out, "  %s:\n    severity: %s\n", id, sev);
        if (registry) {
            fputs("    allowed: ", out);
            print_list(out, c->registries);
            fputc('\n', out);
        }
        if (env && c->provided_env) {
            fputs("    provided: ", out);
            print_list(out, c->provided_env);
            fputc('\n', out);
        }
        if (env && c->n_env_defaults) {
            fputs("    defaults: ", out);
            print_pairs(out, c->env_defaults, c->n_env_defaults);
            fputc('\n', out);
        }
        if (pins) {
            fputs("    pins: ", out);
            print_pairs(out, c->image_pins, c->n_image_pins);
            fputc('\n', out);
        }
    }
    if (c->exclude) {
        fputs("exclude: ", out);
        print_list(out, c->exclude);
        fputc('\n', out);
    }
    if (c->n_ignores)
        fprintf(out, "ignore:\n");
    for (size_t i = 0; i < c->n_ignores; i++) {
        fputs("  - path: ", out);
        print_str(out, c->ignores[i].glob ? c->ignores[i].glob : "");
        fputc('\n', out);
        if (c->ignores[i].rules) {
            fputs("    rules: ", out);
            print_list(out, c->ignores[i].rules);
            fputc('\n', out);
        }
        if (c->ignores[i].tasks) {
            fputs("    tasks: ", out);
            print_list(out, c->ignores[i].tasks);
            fputc('\n', out);
        }
    }
    if (c->n_custom)
        fprintf(out, "custom-rules:\n");
    for (size_t i = 0; i < c->n_custom; i++) {
        const struct kfp_custom *cu = c->custom[i].data;
        fputs("  - id: ", out);
        print_str(out, c->custom[i].id);
        fprintf(out, "\n    severity: %s\n    field: %s\n    mode: %s\n    message: ",
                kfp_severity_name(c->custom[i].severity), custom_fields[cu->field],
                cu->must_match ? "must-match" : "must-not-match");
        print_str(out, cu->message);
        fputs("\n    pattern: ", out);
        print_str(out, cu->pattern ? cu->pattern : "");
        fputc('\n', out);
    }
    fprintf(out, "target:\n  kfp-sdk: %s\n",
            c->target_sdk == KFP_SDK_UNKNOWN ? "auto  # per file: its sdkVersion, else unknown"
                                             : kfp_sdk_name(c->target_sdk));
}

/* ------------------------------------------------------------------ custom rules */

/* Limits on one match of a custom pattern: a backtracking pattern (`(a+)+b`) on a long value
 * stops at them instead of running for minutes. Real patterns on real values stay far below. */
#define CUSTOM_MATCH_LIMIT 1000000u  /* backtracking steps (pcre2_set_match_limit) */
#define CUSTOM_DEPTH_LIMIT 10000u    /* nested backtracking points (interpreter) */
#define CUSTOM_HEAP_LIMIT 65536u     /* KiB of backtracking memory (interpreter) */
#define CUSTOM_JIT_STACK (1u << 20)  /* bytes of JIT stack */

struct matcher {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js; /* NULL when JIT is unavailable: the 32 KiB default stack then */
    bool stop;           /* a match could not be decided: the file already fails */
};

static void match_node(struct kfp_ctx *ctx, const struct kfp_custom *cu, const struct kfp_node *n,
                       struct matcher *mt)
{
    n = kfp_deref(n);
    if (!n || n->kind != KFP_NODE_SCALAR || mt->stop)
        return;
    int rc = pcre2_match(cu->code, (PCRE2_SPTR)n->u.str, n->len, 0, 0, mt->md, mt->mc);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        /* fail closed: "no match" here would pass the very value a must-not-match rule exists
         * to catch */
        PCRE2_UCHAR why[160];
        if (pcre2_get_error_message(rc, why, sizeof(why)) < 0)
            snprintf((char *)why, sizeof(why), "pcre2 error %d", rc);
        if (rc == PCRE2_ERROR_NOMEMORY)
            ctx->oom = 1;
        else
            kfp_undecided(ctx, n, "the pattern cannot be matched against this value (%s): the "
                                  "value was not checked; simplify the pattern (nested quantifiers "
                                  "such as (a+)+ backtrack without end)", (const char *)why);
        mt->stop = true;
        return;
    }
    bool matched = rc > 0;
    if (matched != cu->must_match)
        kfp_report_at(ctx, n, "%s ('%s')", cu->message, n->u.str);
}

static void match_seq(struct kfp_ctx *ctx, const struct kfp_custom *cu, const struct kfp_node *n,
                      struct matcher *mt)
{
    n = kfp_deref(n);
    for (uint32_t i = 0; n && n->kind == KFP_NODE_SEQ && i < n->len && !mt->stop; i++)
        match_node(ctx, cu, &n->u.items[i], mt);
}

void kfp_custom_check(struct kfp_ctx *ctx)
{
    const struct kfp_model *m = ctx->m;
    const struct kfp_custom *cu = ctx->rule->data;
    if (!m || !cu)
        return;
    struct matcher mt = {pcre2_match_data_create_from_pattern(cu->code, NULL),
                         pcre2_match_context_create(NULL), NULL, false};
    if (!mt.md || !mt.mc) {
        pcre2_match_data_free(mt.md);
        pcre2_match_context_free(mt.mc);
        ctx->oom = 1;
        return;
    }
    pcre2_set_match_limit(mt.mc, CUSTOM_MATCH_LIMIT);
    pcre2_set_depth_limit(mt.mc, CUSTOM_DEPTH_LIMIT);
    pcre2_set_heap_limit(mt.mc, CUSTOM_HEAP_LIMIT);
    size_t jit_size = 0;
    if (pcre2_pattern_info(cu->code, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size) {
        mt.js = pcre2_jit_stack_create(32 * 1024, CUSTOM_JIT_STACK, NULL);
        if (mt.js) /* without it the default stack: a deep match then fails closed */
            pcre2_jit_stack_assign(mt.mc, NULL, mt.js);
    }
    pcre2_match_data *md = mt.md;
    switch (cu->field) {
    case KFP_CF_PIPELINE_NAME:
        match_node(ctx, cu, m->pipeline_name.node, &mt);
        break;
    case KFP_CF_COMPONENT_NAME:
        for (size_t i = 0; i < m->n_components; i++)
            match_node(ctx, cu, m->components[i]->key.node, &mt);
        if (m->kind == KFP_DOC_COMPONENT_V1 && m->root)
            match_node(ctx, cu, m->root->key.node, &mt);
        break;
    case KFP_CF_TASK_NAME:
        for (size_t d = 0; d < m->n_dags; d++)
            for (size_t t = 0; t < m->dags[d]->n_tasks; t++)
                match_node(ctx, cu, m->dags[d]->tasks[t].key.node, &mt);
        break;
    default:
        for (size_t i = 0; i < m->n_containers; i++) {
            const struct kfp_container *c = m->containers[i];
            if (cu->field == KFP_CF_IMAGE)
                match_node(ctx, cu, c->image, &mt);
            else if (cu->field == KFP_CF_COMMAND)
                match_seq(ctx, cu, c->command, &mt);
            else if (cu->field == KFP_CF_ARGS)
                match_seq(ctx, cu, c->args, &mt);
            else
                for (size_t e = 0; e < c->n_env; e++)
                    match_node(ctx, cu,
                               cu->field == KFP_CF_ENV_NAME ? c->env[e].name.node : c->env[e].value, &mt);
        }
    }
    pcre2_match_data_free(md);
    pcre2_match_context_free(mt.mc);
    pcre2_jit_stack_free(mt.js);
}
