/* config.h — `.kfplint.yaml` (kfp_config_*): per-rule severity and enablement, excluded paths,
 * per-path ignores, rule options, custom pcre2 rules; found by walking up from each file.
 *
 * A config that does not parse, has an unknown key or rule id, or a bad value is an error with
 * its own line and column — never a silent fallback to defaults.
 */
#ifndef KFPLINT_CONFIG_H
#define KFPLINT_CONFIG_H

#include "kfplint/rule.h"

#include <stdio.h>

/* Command-line choices applied on top of every config. */
struct kfp_cli_rules {
    bool any_select;
    bool selected[64]; /* per built-in rule index (--select) */
    bool ignored[64];  /* per built-in rule index (--ignore) */
};

struct kfp_name_value {
    const char *name, *value;
};

struct kfp_ignore {
    const char *glob;       /* path glob, relative to the config's directory */
    const char **rules;     /* rule ids (NULL-terminated); none: every rule */
    const char **tasks;     /* task keys whose findings are ignored; none: the whole file */
    size_t line, col;       /* where the entry is in the config file */
};

enum kfp_custom_field {
    /* ORDER custom_fields in src/config.c */
    KFP_CF_IMAGE, KFP_CF_ENV_NAME, KFP_CF_ENV_VALUE, KFP_CF_COMMAND, KFP_CF_ARGS, KFP_CF_TASK_NAME,
    KFP_CF_PIPELINE_NAME, KFP_CF_COMPONENT_NAME, KFP_CF__COUNT
};

/* A custom rule's matcher (kfp_rule.data of a custom rule). */
struct kfp_custom {
    enum kfp_custom_field field;
    void *code;            /* pcre2_code * */
    bool must_match;       /* report values that do NOT match (else: values that match) */
    const char *message;
    const char *pattern;   /* as written (for --print-config) */
};

struct kfp_config {
    struct kfp_arena arena;       /* owns everything below */
    const char *path;             /* the file, or NULL for built-in defaults */
    const char *dir;              /* its directory (globs are relative to it) */
    enum kfp_severity severity[64]; /* per built-in rule, after --select/--ignore */
    const char **exclude;         /* NULL-terminated globs */
    struct kfp_ignore *ignores;
    size_t n_ignores;
    const char **registries;      /* image-registry: allowed prefixes (NULL-terminated) */
    const char **provided_env;    /* env-unset: names the runtime provides */
    struct kfp_name_value *env_defaults; /* env-unset --fix: name → value */
    size_t n_env_defaults;
    struct kfp_name_value *image_pins;   /* image-unpinned/-digest --fix: image → pinned */
    size_t n_image_pins;
    struct kfp_rule *custom;      /* custom rules (their .data is a struct kfp_custom) */
    size_t n_custom;
    void **codes;                 /* compiled patterns to free */
    size_t n_codes;
    enum kfp_sdk target_sdk;      /* `target: {kfp-sdk: …}`; KFP_SDK_UNKNOWN: auto (per file) */
};

/* Built-in defaults with the command-line choices applied. Returns a new config owned by the
 * caller (free with kfp_config_free), or NULL on allocation failure. */
struct kfp_config *kfp_config_default(const struct kfp_cli_rules *cli);

/* Loads a config file. Returns a new config owned by the caller, or NULL with a message of the
 * form `path:line:col: config error: …` in err (allocates nothing then). */
struct kfp_config *kfp_config_load(const char *path, const struct kfp_cli_rules *cli,
                                   struct kfp_error *err);

/* kfp_config_load that checks the whole file: when there is more than one error and `all` is
 * not NULL, *all receives every error, one `path:line:col: config error: …` per line (allocated
 * with kfp_malloc, freed by the caller; NULL when out of memory: err still has the first). */
struct kfp_config *kfp_config_load_all(const char *path, const struct kfp_cli_rules *cli,
                                       struct kfp_error *err, char **all);

/* Frees a config and everything it owns; NULL is fine. */
void kfp_config_free(struct kfp_config *c);

/* The nearest `.kfplint.yaml` / `.kfplint.yml` above file `path` (its own directory first), or
 * NULL. Returns a malloc'd path owned by the caller. */
char *kfp_config_find(const char *path);

/* Whether `path` (as given on the command line or found by walking) matches an exclude glob. */
bool kfp_config_excluded(const struct kfp_config *c, const char *path);

/* Whether a finding of rule `id` in `path`, inside task `task` (NULL: none), is ignored. */
bool kfp_config_ignored(const struct kfp_config *c, const char *path, const char *id,
                        const char *task);

/* The 1-based index of the first ignore entry that drops that finding, or 0 for none (so a run
 * can tell which entries matched nothing). */
size_t kfp_config_ignore_match(const struct kfp_config *c, const char *path, const char *id,
                               const char *task);

/* Writes the effective config as YAML (for --print-config). */
void kfp_config_print(const struct kfp_config *c, FILE *out);

/* Runs a custom rule (the check of every custom kfp_rule). */
void kfp_custom_check(struct kfp_ctx *ctx);

#endif
