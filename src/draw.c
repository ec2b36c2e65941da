/* draw.c — the picture of a pipeline (kfp_draw): DAGs as Graphviz DOT or Mermaid, with findings.
 *
 * Three steps, each linear:
 *  1. places: every task, every dependency reference and task input of a task, every component
 *     and executor becomes a place with the span of its source;
 *  2. findings → places: places sorted by start (outer before inner) and the findings, already
 *     sorted by position, are swept together with a stack of open places, so each finding lands
 *     on the innermost place holding it;
 *  3. drawing: the root DAG's tasks, then each sub-DAG as a cluster inside the task that runs it
 *     (first use only: a component run by several tasks is drawn once), then the edges.
 * All memory is scratch, freed on return.
 */
#include "kfplint/draw.h"
#include "kfplint/argo.h"
#include "kfplint/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum place_kind { P_COMP, P_EXEC, P_TASK, P_DEP, P_INPUT }; /* outer kinds first on ties */

struct place {
    struct kfp_span span;
    uint8_t kind;
    bool shown;          /* its findings were drawn somewhere */
    uint32_t idx;        /* P_DEP / P_INPUT: index in the task's deps / inputs */
    uint32_t task;       /* P_TASK / P_DEP / P_INPUT: the task's place */
    const void *p;       /* the task, component or executor */
    int32_t head;        /* first finding here (index into res->findings), -1 when none */
};

struct dag_slot {
    const struct kfp_dag *dag;
    uint32_t index;      /* in m->dags */
};

struct draw {
    FILE *out;
    enum kfp_draw_format fmt;
    const struct kfp_result *res;
    const struct kfp_model *m;
    struct kfp_arena *a;
    struct place *pl;
    size_t n_pl;
    int32_t *next;            /* per finding: the next finding of its place, -1 at the end */
    int32_t file_head;        /* findings outside every place */
    struct dag_slot *dags;    /* sorted by pointer */
    uint32_t *dag_first;      /* per DAG index: where its tasks start in task_pl */
    uint32_t *task_pl;        /* per task (DAG by DAG, in order): its place */
    uint32_t *comp_place;     /* per component index: its place */
    uint32_t *exec_place;     /* per executor index: its place */
    uint32_t root_place;      /* the root component's place, UINT32_MAX when none */
    bool *expanded;           /* per DAG index: drawn already */
    uint32_t *header;         /* per DAG index: the place of the task whose cluster holds it */
    bool *own_header;         /* per DAG index: its cluster is headed by a node of its own (u<i>) */
    uint32_t *stamp;          /* per place: 1 + the consumer whose data edge came from it */
    size_t n_links;           /* Mermaid: edges so far (linkStyle counts them) */
    int indent;
};

#define NONE UINT32_MAX

/* ------------------------------------------------------------------ text */

/* Writes s as the inside of a quoted label: DOT (`\"`, `\\`, `\n`) or Mermaid (entity codes,
 * `<br/>`). Control characters and invalid UTF-8 become the visible text \xNN; '\n' in s is a
 * line break. */
static void put_label(struct draw *d, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t w = c < 0x20 ? 0 : kfp_safe_char_len(p + i, n - i); /* tabs too: not in a label */
        if (c == '\n') {
            fputs(d->fmt == KFP_DRAW_DOT ? "\\n" : "<br/>", d->out);
        } else if (w == 0) {
            fprintf(d->out, d->fmt == KFP_DRAW_DOT ? "\\\\x%02X" : "\\x%02X", c);
            w = 1;
        } else if (d->fmt == KFP_DRAW_DOT && (c == '"' || c == '\\')) {
            fputc('\\', d->out);
            fputc(c, d->out);
        } else if (d->fmt == KFP_DRAW_MERMAID && strchr("\"#<>&`|", c)) {
            fprintf(d->out, "#%d;", c); /* Mermaid entity code: no character can end the label */
        } else {
            fwrite(p + i, 1, w, d->out);
        }
        i += w ? w : 1;
    }
}

/* printf into the scratch arena; "" when memory ran out (the caller's final check of the arena's
 * failed flag turns that into an error), so a label is never NULL. */
static const char *say(struct draw *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *say(struct draw *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n < 0 ? NULL : kfp_arena_alloc_bytes(d->a, (size_t)n + 1);
    if (!s)
        return "";
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Untrusted text s made fit for a label: control characters and invalid UTF-8 as the visible
 * text \xNN (so the only line breaks in a label are the ones the picture puts there), cut after
 * about max bytes on a character boundary with "…". Arena copy; "" when memory ran out. */
static const char *clip(struct draw *d, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    char *out = kfp_arena_alloc_bytes(d->a, (n < max ? n : max) * 4 + 8);
    if (!out)
        return "";
    for (size_t i = 0; i < n && o < max;) {
        size_t w = p[i] < 0x20 ? 0 : kfp_safe_char_len(p + i, n - i);
        if (w == 0) {
            o += (size_t)sprintf(out + o, "\\x%02X", p[i]);
            i++;
        } else {
            memcpy(out + o, p + i, w);
            o += w;
            i += w;
        }
        if (i < n && o >= max) {
            memcpy(out + o, "…", strlen("…"));
            o += strlen("…");
        }
    }
    out[o] = '\0';
    return out;
}

static const char *sev_word(enum kfp_severity s)
{
    return s == KFP_SEV_ERROR ? "error" : s == KFP_SEV_WARNING ? "warning" : "note";
}

/* Stroke and fill per severity (GitHub's palette). */
static const char *stroke(enum kfp_severity s)
{
    return s == KFP_SEV_ERROR ? "#cf222e" : s == KFP_SEV_WARNING ? "#bf8700" : "#0969da";
}
static const char *fill(enum kfp_severity s)
{
    return s == KFP_SEV_ERROR ? "#ffebe9" : s == KFP_SEV_WARNING ? "#fff8c5" : "#ddf4ff";
}

/* ------------------------------------------------------------------ marks */

/* What the findings on one node or edge add to it: the worst severity, a line naming the rules,
 * and one tooltip line per finding (both bounded). */
struct marks {
    enum kfp_severity worst; /* KFP_SEV_OFF: no finding */
    size_t n;
    char rules[256];
    char tip[2048];
    size_t n_rules_shown;
};

#define MARK_SCAN 16 /* findings looked at per node for the rule names and the tooltip */

static void marks_add(struct draw *d, struct marks *mk, int32_t head)
{
    for (int32_t i = head; i >= 0; i = d->next[i]) {
        const struct kfp_finding *f = d->res->findings[i];
        if (f->severity > mk->worst)
            mk->worst = f->severity;
        if (mk->n++ >= MARK_SCAN)
            continue;
        if (!strstr(mk->rules, f->rule->id) && mk->n_rules_shown < 6) {
            size_t used = strlen(mk->rules);
            snprintf(mk->rules + used, sizeof(mk->rules) - used, "%s%s", used ? ", " : "", f->rule->id);
            mk->n_rules_shown++;
        }
        size_t line, col, used = strlen(mk->tip);
        kfp_source_pos(&d->res->doc.src, f->span.start, &line, &col);
        snprintf(mk->tip + used, sizeof(mk->tip) - used, "%s%zu:%zu %s: %s [%s]", used ? "\n" : "",
                 line, col, sev_word(f->severity), clip(d, f->msg, 120), f->rule->id);
    }
}

/* Marks of place p (NONE: nothing), flagging it shown. */
static void marks_place(struct draw *d, struct marks *mk, uint32_t p)
{
    if (p == NONE)
        return;
    d->pl[p].shown = true;
    marks_add(d, mk, d->pl[p].head);
}

/* The label line that names the findings ("✗ unknown-task, dag-cycle (3 findings)"), or NULL. */
static const char *marks_line(struct draw *d, const struct marks *mk)
{
    if (!mk->worst)
        return NULL;
    const char *sym = mk->worst == KFP_SEV_ERROR ? "✗" : mk->worst == KFP_SEV_WARNING ? "⚠" : "ℹ";
    return mk->n > 1 ? say(d, "%s %s (%zu findings)", sym, mk->rules, mk->n) : say(d, "%s %s", sym, mk->rules);
}

/* ------------------------------------------------------------------ output primitives */

static void ind(struct draw *d)
{
    fprintf(d->out, "%*s", 2 * d->indent, "");
}

enum shape { S_TASK, S_DAG, S_EXIT, S_GHOST, S_FILE };

/* One node: id, label, marks. */
static void node(struct draw *d, const char *id, const char *label, enum shape sh,
                 const struct marks *mk)
{
    const char *ml = mk ? marks_line(d, mk) : NULL;
    const char *full = ml ? say(d, "%s\n%s", label, ml) : label;
    ind(d);
    if (d->fmt == KFP_DRAW_DOT) {
        static const char *const shapes[] = {"box", "folder", "octagon", "box", "note"};
        fprintf(d->out, "%s [shape=%s, label=\"", id, shapes[sh]);
        put_label(d, full);
        fputc('"', d->out);
        if (sh == S_GHOST)
            fputs(", style=\"rounded,dashed\", color=\"#cf222e\", fontcolor=\"#cf222e\"", d->out);
        if (mk && mk->worst) {
            fprintf(d->out, ", color=\"%s\", fillcolor=\"%s\", penwidth=2, tooltip=\"", stroke(mk->worst),
                    fill(mk->worst));
            put_label(d, mk->tip);
            fputc('"', d->out);
        }
        fputs("];\n", d->out);
        return;
    }
    static const char *const open[] = {"[\"", "[[\"", "{{\"", "[\"", "[\""};
    static const char *const close[] = {"\"]", "\"]]", "\"}}", "\"]", "\"]"};
    fprintf(d->out, "%s%s", id, open[sh]);
    put_label(d, full);
    fputs(close[sh], d->out);
    if (sh == S_GHOST)
        fputs(":::ghost", d->out);
    else if (mk && mk->worst)
        fprintf(d->out, ":::%s", sev_word(mk->worst));
    fputc('\n', d->out);
}

/* One edge from node id a to node id b, with an optional label and marks. */
static void edge(struct draw *d, const char *a, const char *b, const char *label,
                 const struct marks *mk)
{
    const char *ml = mk ? marks_line(d, mk) : NULL;
    const char *full = label && ml ? say(d, "%s\n%s", label, ml) : label ? label : ml;
    ind(d);
    if (d->fmt == KFP_DRAW_DOT) {
        fprintf(d->out, "%s -> %s", a, b);
        bool attrs = full || (mk && mk->worst);
        if (attrs)
            fputs(" [", d->out);
        if (full) {
            fputs("label=\"", d->out);
            put_label(d, full);
            fputc('"', d->out);
        }
        if (mk && mk->worst) {
            fprintf(d->out, "%scolor=\"%s\", fontcolor=\"%s\", penwidth=2, tooltip=\"", full ? ", " : "",
                    stroke(mk->worst), stroke(mk->worst));
            put_label(d, mk->tip);
            fputc('"', d->out);
        }
        fputs(attrs ? "];\n" : ";\n", d->out);
        return;
    }
    fprintf(d->out, "%s -->", a);
    if (full) {
        fputs("|\"", d->out);
        put_label(d, full);
        fputs("\"|", d->out);
    }
    fprintf(d->out, " %s\n", b);
    if (mk && mk->worst) {
        ind(d);
        fprintf(d->out, "linkStyle %zu stroke:%s,stroke-width:2px,color:%s\n", d->n_links, stroke(mk->worst),
                stroke(mk->worst));
    }
    d->n_links++;
}

static void cluster_open(struct draw *d, uint32_t dag_index, const char *label)
{
    ind(d);
    if (d->fmt == KFP_DRAW_DOT) {
        fprintf(d->out, "subgraph cluster_%u {\n", dag_index);
        d->indent++;
        ind(d);
        fputs("label=\"", d->out);
        put_label(d, label);
        fputs("\"; style=\"rounded,dashed\"; color=\"#8c959f\"; fontcolor=\"#57606a\";\n", d->out);
    } else {
        fprintf(d->out, "subgraph c%u[\"", dag_index);
        put_label(d, label);
        fputs("\"]\n", d->out);
        d->indent++;
    }
}

static void cluster_close(struct draw *d)
{
    d->indent--;
    ind(d);
    fputs(d->fmt == KFP_DRAW_DOT ? "}\n" : "end\n", d->out);
}

/* ------------------------------------------------------------------ places */

static int by_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct dag_slot *)a)->dag;
    uintptr_t y = (uintptr_t)((const struct dag_slot *)b)->dag;
    return x < y ? -1 : x > y;
}

/* Index of dag in m->dags, NONE when it is not there. */
static uint32_t dag_index(const struct draw *d, const struct kfp_dag *dag)
{
    struct dag_slot key = {dag, 0};
    const struct dag_slot *s = bsearch(&key, d->dags, d->m->n_dags, sizeof(*d->dags), by_ptr);
    return s ? s->index : NONE;
}

/* Place of task t, NONE when its DAG is not in the model. */
static uint32_t task_place(const struct draw *d, const struct kfp_task *t)
{
    uint32_t di = t ? dag_index(d, t->dag) : NONE;
    return di == NONE ? NONE : d->task_pl[d->dag_first[di] + t->index];
}

/* Outer places first: by start, then the longer, then the outer kind. */
static int place_cmp(const void *a, const void *b)
{
    const struct place *x = *(const struct place *const *)a, *y = *(const struct place *const *)b;
    if (x->span.start != y->span.start)
        return x->span.start < y->span.start ? -1 : 1;
    if (x->span.end != y->span.end)
        return x->span.end > y->span.end ? -1 : 1;
    return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static void add_place(struct draw *d, enum place_kind k, const struct kfp_node *n, const void *p,
                      uint32_t idx, uint32_t task)
{
    struct place *pl = &d->pl[d->n_pl++];
    memset(pl, 0, sizeof(*pl));
    pl->span = kfp_node_span(n);
    pl->kind = (uint8_t)k;
    pl->p = p;
    pl->idx = idx;
    pl->task = task;
    pl->head = -1;
}

/* Builds the places and the lookup tables. Returns KFP_OK or KFP_ERR (out of memory). */
static int build_places(struct draw *d)
{
    const struct kfp_model *m = d->m;
    size_t n = m->n_components + m->n_executors + 1, n_tasks = 0;
    for (size_t i = 0; i < m->n_dags; i++) {
        n_tasks += m->dags[i]->n_tasks;
        for (size_t t = 0; t < m->dags[i]->n_tasks; t++)
            n += 1 + m->dags[i]->tasks[t].n_deps + m->dags[i]->tasks[t].n_inputs;
    }
    d->pl = kfp_arena_alloc(d->a, n * sizeof(*d->pl));
    d->dags = kfp_arena_alloc(d->a, (m->n_dags + 1) * sizeof(*d->dags));
    d->dag_first = kfp_arena_alloc(d->a, (m->n_dags + 1) * sizeof(*d->dag_first));
    d->task_pl = kfp_arena_alloc(d->a, (n_tasks + 1) * sizeof(*d->task_pl));
    d->comp_place = kfp_arena_alloc(d->a, (m->n_components + 1) * sizeof(*d->comp_place));
    d->exec_place = kfp_arena_alloc(d->a, (m->n_executors + 1) * sizeof(*d->exec_place));
    d->expanded = kfp_arena_calloc(d->a, m->n_dags + 1, sizeof(*d->expanded));
    d->header = kfp_arena_alloc(d->a, (m->n_dags + 1) * sizeof(*d->header));
    d->own_header = kfp_arena_calloc(d->a, m->n_dags + 1, sizeof(*d->own_header));
    d->stamp = kfp_arena_calloc(d->a, n, sizeof(*d->stamp));
    if (d->a->failed)
        return KFP_ERR;
    d->root_place = NONE;
    if (m->root) {
        d->root_place = (uint32_t)d->n_pl;
        add_place(d, P_COMP, m->root->node, m->root, 0, NONE);
    }
    for (size_t i = 0; i < m->n_components; i++) {
        d->comp_place[i] = (uint32_t)d->n_pl;
        add_place(d, P_COMP, m->components[i]->node, m->components[i], 0, NONE);
    }
    for (size_t i = 0; i < m->n_executors; i++) {
        d->exec_place[i] = (uint32_t)d->n_pl;
        add_place(d, P_EXEC, m->executors[i]->node, m->executors[i], 0, NONE);
    }
    size_t k = 0;
    for (size_t i = 0; i < m->n_dags; i++) {
        const struct kfp_dag *dag = m->dags[i];
        d->header[i] = NONE;
        d->dags[i] = (struct dag_slot){dag, (uint32_t)i};
        d->dag_first[i] = (uint32_t)k;
        for (size_t t = 0; t < dag->n_tasks; t++) {
            const struct kfp_task *task = &dag->tasks[t];
            uint32_t tp = (uint32_t)d->n_pl;
            d->task_pl[k++] = tp;
            add_place(d, P_TASK, task->node, task, 0, tp);
            for (size_t j = 0; j < task->n_deps; j++)
                add_place(d, P_DEP, task->deps[j].node, task, (uint32_t)j, tp);
            for (size_t j = 0; j < task->n_inputs; j++)
                add_place(d, P_INPUT, task->inputs[j].node, task, (uint32_t)j, tp);
        }
    }
    qsort(d->dags, m->n_dags, sizeof(*d->dags), by_ptr);
    return KFP_OK;
}

/* Whether input `in` is a data edge: a task output of a sibling (found or not). */
static bool data_input(const struct kfp_task_input *in)
{
    return in->src.kind == KFP_SRC_TASK_OUTPUT && in->src.producer.name;
}

/* Lands every finding on the innermost place holding its start (the sweep of the file comment).
 * Returns KFP_OK or KFP_ERR (out of memory). */
static int land_findings(struct draw *d)
{
    size_t nf = d->res->n_findings;
    const struct place **order = kfp_arena_alloc(d->a, (d->n_pl + 1) * sizeof(*order));
    uint32_t *stack = kfp_arena_alloc(d->a, (d->n_pl + 1) * sizeof(*stack));
    uint32_t *target = kfp_arena_alloc(d->a, (nf + 1) * sizeof(*target));
    d->next = kfp_arena_alloc(d->a, (nf + 1) * sizeof(*d->next));
    if (d->a->failed)
        return KFP_ERR;
    for (size_t i = 0; i < d->n_pl; i++)
        order[i] = &d->pl[i];
    qsort(order, d->n_pl, sizeof(*order), place_cmp);
    size_t sp = 0, o = 0;
    for (size_t i = 0; i < nf; i++) {
        uint32_t pos = d->res->findings[i]->span.start;
        for (; o < d->n_pl && order[o]->span.start <= pos; o++)
            stack[sp++] = (uint32_t)(order[o] - d->pl);
        while (sp) {
            const struct place *top = &d->pl[stack[sp - 1]];
            if (pos < top->span.end || (top->span.start == top->span.end && pos == top->span.start))
                break;
            sp--;
        }
        uint32_t t = sp ? stack[sp - 1] : NONE;
        if (t != NONE && d->pl[t].kind == P_INPUT) {
            const struct kfp_task *task = d->pl[t].p;
            if (!data_input(&task->inputs[d->pl[t].idx]))
                t = d->pl[t].task; /* not an edge: the finding is the task's */
        }
        target[i] = t;
    }
    d->file_head = -1;
    for (size_t i = nf; i-- > 0;) { /* prepend backwards: each list in position order */
        int32_t *head = target[i] == NONE ? &d->file_head : &d->pl[target[i]].head;
        d->next[i] = *head;
        *head = (int32_t)i;
    }
    return KFP_OK;
}

/* ------------------------------------------------------------------ drawing */

static const char *task_name(const struct kfp_task *t)
{
    return t->key.name ? t->key.name : "(unnamed task)";
}

/* Extra label lines of a task: what it runs, its condition, its loop, its exit role. */
static const char *task_label(struct draw *d, const struct kfp_task *t, bool *exit_task)
{
    const char *comp = t->component_ref.name ? t->component_ref.name : "(no component)";
    const char *label = say(d, "%s\n%s", clip(d, task_name(t), 60), clip(d, comp, 60));
    const struct kfp_node *tp = kfp_map_get(t->node, "triggerPolicy", NULL);
    const char *cond = kfp_scalar(kfp_map_get(tp, "condition", NULL));
    const char *strategy = kfp_scalar(kfp_map_get(tp, "strategy", NULL));
    *exit_task = strategy && !strcmp(strategy, "ALL_UPSTREAM_TASKS_COMPLETED");
    if (cond && *cond)
        label = say(d, "%s\nif %s", label, clip(d, cond, 60));
    if (t->iter_input.name)
        label = say(d, "%s\nfor each item of %s", label, clip(d, t->iter_input.name, 40));
    else if (kfp_map_get(t->node, "parameterIterator", NULL))
        label = say(d, "%s\nfor each item", label);
    if (*exit_task)
        label = say(d, "%s\nruns at exit", label);
    return label;
}

/* The marks of task t: its own findings, its component's and its executor's. */
static void task_marks(struct draw *d, const struct kfp_task *t, struct marks *mk)
{
    memset(mk, 0, sizeof(*mk));
    marks_place(d, mk, task_place(d, t));
    const struct kfp_component *c = t->component;
    if (c && !c->is_root && c->index < d->m->n_components)
        marks_place(d, mk, d->comp_place[c->index]);
    if (c && c->executor && c->executor->index < d->m->n_executors)
        marks_place(d, mk, d->exec_place[c->executor->index]);
}

static const char *pid(struct draw *d, char kind, uint32_t p)
{
    return say(d, "%c%u", kind, p);
}

/* Ghost nodes for the references of t that name no task, drawn beside t. */
static void ghosts(struct draw *d, const struct kfp_task *t, uint32_t tp)
{
    for (size_t j = 0; j < t->n_deps; j++)
        if (!t->dep_tasks[j] && t->deps[j].name)
            node(d, pid(d, 'g', tp + 1 + (uint32_t)j),
                 say(d, "%s\n(no such task)", clip(d, t->deps[j].name, 60)), S_GHOST, NULL);
    for (size_t j = 0; j < t->n_inputs; j++) {
        const struct kfp_task_input *in = &t->inputs[j];
        if (data_input(in) && !in->src.producer_task)
            node(d, pid(d, 'g', tp + 1 + (uint32_t)(t->n_deps + j)),
                 say(d, "%s\n(no such task)", clip(d, in->src.producer.name, 60)), S_GHOST,
                 NULL);
    }
}

struct frame {
    uint32_t dag;  /* DAG index */
    size_t next;   /* next task to draw */
};

/* Draws the tasks of DAG `root` and, inside the tasks that run one, their sub-DAGs (each DAG
 * once). Iterative: nesting depth is bounded by the number of DAGs, not by the C stack. */
static int draw_nodes(struct draw *d, uint32_t root, struct frame *stack)
{
    size_t sp = 0;
    d->expanded[root] = true;
    stack[sp++] = (struct frame){root, 0};
    while (sp) {
        struct frame *f = &stack[sp - 1];
        const struct kfp_dag *dag = d->m->dags[f->dag];
        if (f->next >= dag->n_tasks) {
            if (--sp > 0)
                cluster_close(d);
            continue;
        }
        const struct kfp_task *t = &dag->tasks[f->next++];
        uint32_t tp = task_place(d, t);
        bool exit_task;
        const char *label = task_label(d, t, &exit_task);
        struct marks mk;
        task_marks(d, t, &mk);
        const struct kfp_dag *sub = t->component ? t->component->dag : NULL;
        uint32_t si = sub ? dag_index(d, sub) : NONE;
        if (si != NONE && !d->expanded[si]) {
            d->expanded[si] = true;
            d->header[si] = tp;
            cluster_open(d, si, clip(d, t->component_ref.name ? t->component_ref.name : "", 60));
            node(d, pid(d, 'n', tp), label, exit_task ? S_EXIT : S_DAG, &mk);
            ghosts(d, t, tp);
            stack[sp++] = (struct frame){si, 0};
        } else {
            if (si != NONE) /* drawn where its first task runs it */
                label = say(d, "%s\n(sub-DAG drawn once, above)", label);
            node(d, pid(d, 'n', tp), label, exit_task ? S_EXIT : si != NONE ? S_DAG : S_TASK, &mk);
            ghosts(d, t, tp);
        }
        if (d->a->failed)
            return KFP_ERR;
    }
    return KFP_OK;
}

/* The edges into the tasks of every drawn DAG: data edges (labelled), then dependencies that no
 * data edge already shows, then the references that name no task. */
static void draw_edges(struct draw *d)
{
    for (size_t di = 0; di < d->m->n_dags; di++) {
        const struct kfp_dag *dag = d->m->dags[di];
        if (!d->expanded[di])
            continue;
        for (size_t ti = 0; ti < dag->n_tasks; ti++) {
            const struct kfp_task *t = &dag->tasks[ti];
            uint32_t tp = task_place(d, t);
            const char *to = pid(d, 'n', tp);
            if (d->fmt == KFP_DRAW_DOT && (d->header[di] != NONE || d->own_header[di])) {
                ind(d); /* layout only: a sub-DAG's tasks below the task (or name) heading it */
                fprintf(d->out, "%s -> %s [style=invis];\n",
                        d->own_header[di] ? pid(d, 'u', (uint32_t)di) : pid(d, 'n', d->header[di]), to);
            }
            for (size_t j = 0; j < t->n_inputs; j++) {
                const struct kfp_task_input *in = &t->inputs[j];
                if (!data_input(in))
                    continue;
                uint32_t ip = tp + 1 + (uint32_t)(t->n_deps + j);
                struct marks mk = {0};
                marks_place(d, &mk, ip);
                uint32_t pp = in->src.producer_task ? task_place(d, in->src.producer_task) : NONE;
                const char *label = say(d, "%s → %s",
                                                     clip(d, in->src.output.name ? in->src.output.name : "?", 40),
                                                     clip(d, in->name.name ? in->name.name : "?", 40));
                if (pp != NONE)
                    d->stamp[pp] = tp + 1;
                edge(d, pp != NONE ? pid(d, 'n', pp) : pid(d, 'g', ip), to, label, &mk);
            }
            for (size_t j = 0; j < t->n_deps; j++) {
                uint32_t dp = tp + 1 + (uint32_t)j;
                struct marks mk = {0};
                marks_place(d, &mk, dp);
                uint32_t pp = t->dep_tasks[j] ? task_place(d, t->dep_tasks[j]) : NONE;
                if (pp != NONE && d->stamp[pp] == tp + 1 && !mk.worst)
                    continue; /* a data edge already joins them */
                if (pp == NONE && !t->deps[j].name)
                    continue;
                edge(d, pp != NONE ? pid(d, 'n', pp) : pid(d, 'g', dp), to, NULL, &mk);
            }
        }
    }
}

/* Findings no node or edge showed: outside every task, or on components and executors that no
 * drawn task runs. One node lists them. */
static void draw_rest(struct draw *d, const char *what)
{
    struct marks mk = {0};
    marks_add(d, &mk, d->file_head);
    for (size_t i = 0; i < d->n_pl; i++)
        if (!d->pl[i].shown && (d->pl[i].kind == P_COMP || d->pl[i].kind == P_EXEC))
            marks_place(d, &mk, (uint32_t)i);
    if (!mk.worst && what == NULL)
        return;
    const char *label = what ? what : say(d, "%zu finding%s outside the tasks", mk.n,
                                                        mk.n == 1 ? "" : "s");
    if (mk.worst && what == NULL) /* list them: this node is where they are read */
        label = say(d, "%s\n%s", label, mk.tip);
    node(d, "outside", label, S_FILE, mk.worst ? &mk : NULL);
}

/* "2 errors, 1 warning" over the whole file. */
static const char *summary(struct draw *d)
{
    size_t c[4] = {0};
    for (size_t i = 0; i < d->res->n_findings; i++)
        c[d->res->findings[i]->severity]++;
    if (!d->res->n_findings)
        return "no findings";
    return say(d, "%zu error%s, %zu warning%s, %zu note%s", c[KFP_SEV_ERROR],
                            c[KFP_SEV_ERROR] == 1 ? "" : "s", c[KFP_SEV_WARNING],
                            c[KFP_SEV_WARNING] == 1 ? "" : "s", c[KFP_SEV_NOTE], c[KFP_SEV_NOTE] == 1 ? "" : "s");
}

static void header(struct draw *d, const char *title)
{
    if (d->fmt == KFP_DRAW_DOT) {
        fputs("digraph kfp {\n  graph [rankdir=TB, compound=true, newrank=true, labelloc=t, labeljust=l, "
              "fontname=\"Helvetica,Arial,sans-serif\", fontsize=14, label=\"", d->out);
        put_label(d, title);
        fputs("\"];\n  node [style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#57606a\", "
              "fontname=\"Helvetica,Arial,sans-serif\", fontsize=11];\n  edge [color=\"#57606a\", "
              "fontname=\"Helvetica,Arial,sans-serif\", fontsize=9];\n", d->out);
        return;
    }
    fputs("---\ntitle: \"", d->out);
    for (const unsigned char *p = (const unsigned char *)title; *p; p++) { /* YAML double-quoted */
        if (*p == '"' || *p == '\\')
            fprintf(d->out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(d->out, "\\x%02X", *p);
        else
            fputc(*p, d->out);
    }
    fputs("\"\n---\nflowchart TD\n", d->out);
    for (int s = KFP_SEV_NOTE; s <= KFP_SEV_ERROR; s++)
        fprintf(d->out, "  classDef %s fill:%s,stroke:%s,stroke-width:2px\n", sev_word((enum kfp_severity)s),
                fill((enum kfp_severity)s), stroke((enum kfp_severity)s));
    fputs("  classDef ghost fill:#ffffff,stroke:#cf222e,stroke-dasharray:5 3,color:#cf222e\n", d->out);
}

/* "entrypoint" or "onExit" when component c is what an Argo document runs first or at its exit,
 * else NULL. Linear in the documents. */
static const char *argo_role(const struct kfp_model *m, const struct kfp_component *c)
{
    if (m->kind != KFP_DOC_ARGO || !m->argo || !c || !c->key.name)
        return NULL;
    for (size_t i = 0; i < m->argo->n_docs; i++) {
        const struct kfp_argo_doc *doc = &m->argo->docs[i];
        if (doc->entrypoint.name && !strcmp(doc->entrypoint.name, c->key.name))
            return "entrypoint";
        if (doc->on_exit.name && !strcmp(doc->on_exit.name, c->key.name))
            return "onExit";
    }
    return NULL;
}

int kfp_draw(FILE *out, const struct kfp_result *res, enum kfp_draw_format fmt, struct kfp_error *err)
{
    struct kfp_arena a;
    kfp_arena_init(&a);
    struct draw d;
    memset(&d, 0, sizeof(d));
    d.out = out;
    d.fmt = fmt;
    d.res = res;
    d.m = &res->model;
    d.a = &a;
    d.indent = 1;
    struct frame *stack = NULL;
    if (build_places(&d) || land_findings(&d) ||
        !(stack = kfp_arena_alloc(&a, (d.m->n_dags + 1) * sizeof(*stack))))
        goto nomem;
    const char *name = d.m->pipeline_name.name ? d.m->pipeline_name.name
                       : d.m->root && d.m->root->key.name ? d.m->root->key.name : NULL;
    const char *title = say(&d, "%s%s%s — %s", name ? clip(&d, name, 80) : "",
                                         name ? " · " : "", clip(&d, res->path, 120), summary(&d));
    header(&d, title);
    bool any = false;
    if (d.m->root && d.m->root->dag) {
        uint32_t ri = dag_index(&d, d.m->root->dag);
        if (ri != NONE && draw_nodes(&d, ri, stack))
            goto nomem;
        any = true;
    }
    /* the other DAGs, each at most once: an Argo document's entrypoint and onExit first, then
     * DAGs no task runs (unused components), then what is left (components that run each other
     * in a loop) */
    bool *run = kfp_arena_calloc(&a, d.m->n_components + 1, sizeof(*run));
    if (!run)
        goto nomem;
    for (size_t i = 0; i < d.m->n_dags; i++)
        for (size_t t = 0; t < d.m->dags[i]->n_tasks; t++) {
            const struct kfp_component *c = d.m->dags[i]->tasks[t].component;
            if (c && !c->is_root && c->index < d.m->n_components)
                run[c->index] = true;
        }
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < d.m->n_dags; i++) {
            uint32_t di = dag_index(&d, d.m->dags[i]);
            const struct kfp_component *owner = d.m->dags[i]->owner;
            const char *role = pass == 0 ? argo_role(d.m, owner) : NULL;
            bool unrun = !owner || owner->is_root || owner->index >= d.m->n_components || !run[owner->index];
            if (d.expanded[di] || (pass == 0 && !role) || (pass == 1 && !unrun))
                continue;
            const char *oname = clip(&d, owner && owner->key.name ? owner->key.name : "DAG", 60);
            cluster_open(&d, di, say(&d, "%s · %s", oname, role ? role : pass == 1 ? "run by no task"
                                                                  : "not reached from an entrypoint"));
            struct marks mk = {0};
            if (owner && !owner->is_root && owner->index < d.m->n_components)
                marks_place(&d, &mk, d.comp_place[owner->index]);
            node(&d, pid(&d, 'u', di), oname, S_DAG, &mk);
            d.own_header[di] = true;
            if (draw_nodes(&d, di, stack))
                goto nomem;
            cluster_close(&d);
            any = true;
        }
    if (!any) { /* a component without a DAG: itself, with everything found in the file */
        const char *what = d.m->root && d.m->root->key.name ? d.m->root->key.name : "component";
        const struct kfp_executor *x = d.m->root ? d.m->root->executor : NULL;
        const char *image = x && x->container ? kfp_scalar(x->container->image) : NULL;
        draw_rest(&d, image ? say(&d, "%s\n%s", clip(&d, what, 60), clip(&d, image, 60)) : what);
    } else {
        draw_edges(&d);
        draw_rest(&d, NULL);
    }
    if (a.failed)
        goto nomem;
    if (fmt == KFP_DRAW_DOT)
        fputs("}\n", out);
    kfp_arena_free(&a);
    if (fflush(out) != 0 || ferror(out))
        return kfp_error_set(err, "writing the picture failed");
    return KFP_OK;
nomem:
    kfp_arena_free(&a);
    return kfp_error_set(err, "out of memory");
}
