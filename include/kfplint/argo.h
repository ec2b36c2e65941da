/* argo.h — what only Argo Workflows has, modelled once (kfp_argo_*): documents, templates, DAG
 * tasks and steps with their loops and conditions, and every `{{…}}` variable with its scope.
 *
 * src/model_argo.c builds it next to the shared model: templates become components, DAG tasks
 * and steps become tasks (with dependencies and sources), containers become containers, so the
 * generic rules run on Argo unchanged; the argo-* rules read this extension. Everything lives in
 * the file's arena and is read-only once built.
 */
#ifndef KFPLINT_ARGO_H
#define KFPLINT_ARGO_H

#include "kfplint/model.h"

enum kfp_argo_kind {
    KFP_ARGO_WORKFLOW,
    KFP_ARGO_WORKFLOW_TEMPLATE,
    KFP_ARGO_CLUSTER_WORKFLOW_TEMPLATE,
    KFP_ARGO_CRON_WORKFLOW,
};

/* The template types of validateTemplateType (workflow/validate/validate.go). */
enum kfp_argo_ttype {
    KFP_ARGO_T_NONE,
    KFP_ARGO_T_CONTAINER,
    KFP_ARGO_T_SCRIPT,
    KFP_ARGO_T_RESOURCE,
    KFP_ARGO_T_DAG,
    KFP_ARGO_T_STEPS,
    KFP_ARGO_T_SUSPEND,
    KFP_ARGO_T_CONTAINER_SET,
    KFP_ARGO_T_HTTP,
    KFP_ARGO_T_DATA,
    KFP_ARGO_T_PLUGIN,
};

/* The key spelling of a template type ("container", …). */
const char *kfp_argo_ttype_name(enum kfp_argo_ttype t);

struct kfp_argo_doc;
struct kfp_argo_task;

struct kfp_argo_template {
    struct kfp_ref name;
    const struct kfp_node *node;       /* the template mapping */
    struct kfp_component *comp;        /* the shared model's component */
    struct kfp_argo_doc *doc;
    uint8_t type;                      /* enum kfp_argo_ttype of the first type key */
    uint8_t n_types;                   /* type keys with a non-null value */
    const struct kfp_node *type_key;   /* the first type key (`container:` …), NULL if none */
    const struct kfp_node *extra_type_key; /* the second type key when n_types > 1 */
    const struct kfp_node *null_type_key;  /* a type key whose value is null (`container:`) */
    uint8_t retry;                     /* retryStrategy set: {{retries}}, {{lastRetry.*}} */
    struct kfp_argo_task *tasks;       /* DAG tasks or steps in file order */
    size_t n_tasks;
    size_t index;                      /* in kfp_argo.templates */
};

/* A DAG task or a step. */
struct kfp_argo_task {
    struct kfp_task *task;             /* the shared model's task (key = name) */
    struct kfp_argo_template *owner;   /* the dag / steps template */
    struct kfp_ref template_name;      /* `template:` */
    struct kfp_argo_template *target;  /* what template_name names in the same document */
    const struct kfp_node *template_ref; /* `templateRef:` mapping */
    const struct kfp_node *inline_tmpl;  /* `inline:` */
    const struct kfp_node *with_items, *with_items_key;
    const struct kfp_node *with_param, *with_param_key;
    const struct kfp_node *with_sequence, *with_sequence_key;
    const struct kfp_node *with_expression, *with_expression_key; /* a later Argo's loop */
    const struct kfp_node *when;
    const struct kfp_node *depends;
    const struct kfp_node *dependencies_key;
    const struct kfp_node *depends_key;
    const struct kfp_node *hooks;      /* hooks mapping */
    const struct kfp_node *on_exit;    /* onExit value */
    uint32_t group;                    /* steps: index of its parallel group; DAG: 0 */
    uint8_t is_step;
};

/* Whether the task or step loops (withItems, withParam, withSequence or withExpression), so
 * has {{item}}. */
static inline bool kfp_argo_task_loops(const struct kfp_argo_task *at)
{
    return at->with_items || at->with_param || at->with_sequence || at->with_expression;
}

/* One `{{…}}` tag in a string. */
struct kfp_argo_var {
    const char *text;                  /* the tag between the braces, trimmed (arena) */
    size_t len;
    uint32_t text_off;                 /* bytes from `{{` to the text */
    struct kfp_span span;              /* the whole `{{…}}` in the source (or its scalar) */
    uint8_t exact;                     /* span is exactly the tag's bytes */
    uint8_t unterminated;              /* `{{` with no `}}` after it */
    uint8_t sourced;                   /* became a source of the shared model (tasks.X/steps.X,
                                        * inputs.* of a task argument or a container): the
                                        * generic rules check it */
    const struct kfp_node *node;       /* the scalar holding it */
    struct kfp_argo_doc *doc;
    struct kfp_argo_template *tmpl;    /* enclosing template, NULL at workflow level */
    struct kfp_argo_task *task;        /* enclosing task or step, NULL outside one */
    uint8_t in_when;                   /* inside a `when` */
};

struct kfp_argo_doc {
    enum kfp_argo_kind kind;
    const struct kfp_node *root;       /* the document's mapping */
    const struct kfp_node *kind_node;  /* `kind:` value */
    const struct kfp_node *spec;       /* WorkflowSpec (CronWorkflow: spec.workflowSpec) */
    const struct kfp_node *spec_key;   /* its key */
    const struct kfp_node *outer_spec; /* CronWorkflow: spec; else == spec */
    struct kfp_ref name;               /* metadata.name or generateName */
    struct kfp_ref entrypoint;         /* spec.entrypoint */
    struct kfp_ref on_exit;            /* spec.onExit */
    const struct kfp_node *wf_template_ref; /* spec.workflowTemplateRef */
    const struct kfp_node *templates_node;
    struct kfp_argo_template **templates; /* this document's templates in order */
    size_t n_templates;
    struct kfp_strmap by_name;         /* template name → kfp_argo_template (the first) */
    const struct kfp_node *params;     /* spec.arguments.parameters sequence */
    struct kfp_strmap param_names;     /* workflow parameter name → its `name` node */
    size_t index;
};

struct kfp_argo {
    struct kfp_argo_doc *docs;
    size_t n_docs;
    struct kfp_argo_template **templates; /* every template of every document */
    size_t n_templates;
    struct kfp_argo_var *vars;         /* every tag, in document order */
    size_t n_vars;
};

/* Whether the document root n is an Argo manifest of one of the four kinds (apiVersion
 * argoproj.io/…); sets *kind when it is. */
bool kfp_argo_detect(const struct kfp_node *n, enum kfp_argo_kind *kind);

/* Whether s is an optionally signed decimal integer of at most 19 digits ("5", "-3"): IntOrString's
 * integer text (a longer one is past int64). */
bool kfp_argo_int_text(const char *s);

/* Builds m's Argo extension and its shared model from every Argo document of doc (m->doc set,
 * m->kind KFP_DOC_ARGO). Everything is allocated in arena `a`; returns KFP_OK or KFP_ERR when
 * memory ran out (m is then partly built and must not be used). */
int kfp_argo_build(struct kfp_arena *a, struct kfp_model *m);

#endif
