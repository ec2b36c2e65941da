/* lsp.c — the language server (kfp_lsp_serve): framing, dispatch, documents, diagnostics, code
 * actions and hover. See include/kfplint/lsp.h for the contract.
 *
 * One thread, one message at a time. Each open document keeps its text, the result of its last
 * lint (tree, model and findings: code actions and hover read them) and the config that lint used.
 * Positions: findings are sorted by start, so one forward cursor converts their byte offsets to
 * LSP line/character in time linear in the text; other conversions walk from the line start.
 */
#include "kfplint/lsp.h"
#include "kfplint/alloc.h"
#include "kfplint/config.h"
#include "kfplint/fix.h"
#include "kfplint/report.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_HEADER_LINE 8192

enum rpc_error {
    ERR_PARSE = -32700,
    ERR_INVALID_REQUEST = -32600,
    ERR_METHOD_NOT_FOUND = -32601,
    ERR_INVALID_PARAMS = -32602,
    ERR_INTERNAL = -32603,
    ERR_NOT_INITIALIZED = -32002,
};

struct doc {
    char *uri;                 /* kfp_malloc'd */
    char *path;                /* local path (file: URIs), kfp_malloc'd, or NULL */
    char *text;                /* kfp_malloc'd, len bytes (+ NUL) */
    size_t len;
    json_int_t version;
    bool linted;               /* res holds the lint of text */
    bool was_kfp;              /* the last text that parsed was a KFP document */
    struct kfp_result res;
    struct kfp_config *cfg;    /* the config res was linted with (opts point into it) */
    struct kfp_lint_opts opts;
};

struct server {
    FILE *in, *out;
    bool initialized, shutdown, exiting, failed;
    bool utf8;                 /* negotiated positionEncoding: utf-8 (else utf-16) */
    unsigned long long max_message; /* KFP_LSP_MAX_MESSAGE, or KFPLINT_LSP_MAX_MESSAGE (tests) */
    struct doc **docs;
    size_t n_docs;
};

/* ------------------------------------------------------------------ framing */

/* Reads one header line into buf (without the line break). Returns its length, -1 at the end of
 * the stream, or -2 when it was longer than MAX_HEADER_LINE (read past). */
static long read_header_line(FILE *in, char *buf)
{
    long n = 0;
    bool overlong = false;
    for (;;) {
        int c = getc(in);
        if (c == EOF)
            return -1;
        if (c == '\n')
            break;
        if (n < MAX_HEADER_LINE)
            buf[n++] = (char)c;
        else
            overlong = true;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return overlong ? -2 : n;
}

enum frame { FRAME_OK, FRAME_EOF, FRAME_BAD_HEADER, FRAME_TOO_BIG, FRAME_NOMEM };

/* Reads one message: headers up to an empty line, then Content-Length bytes. On FRAME_OK *body
 * is a kfp_malloc'd, NUL-terminated copy owned by the caller. A bad header block is consumed
 * (the next message starts after its empty line); a too-big body is read past in chunks. */
static enum frame read_message(struct server *s, char **body, size_t *len, const char **why)
{
    char line[MAX_HEADER_LINE + 1];
    long long length = -1;
    bool bad = false;
    *why = NULL;
    for (;;) {
        long n = read_header_line(s->in, line);
        if (n == -1)
            return FRAME_EOF;
        if (n == 0) {
            if (length < 0 && !bad) {
                bad = true; /* an empty line where headers were expected */
                *why = "a message must start with a Content-Length header";
            }
            break;
        }
        if (n == -2) {
            bad = true;
            *why = "header line too long";
            continue;
        }
        char *colon = strchr(line, ':');
        if (!colon) {
            bad = true;
            *why = "header line without ':'";
            continue;
        }
        *colon = '\0';
        if (strcasecmp(line, "Content-Length") != 0)
            continue; /* Content-Type and others */
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        char *end;
        length = strtoll(v, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        if (v[0] < '0' || v[0] > '9' || *end || length < 0) {
            bad = true;
            *why = "Content-Length is not a number";
            length = -1;
        }
    }
    if (bad)
        return FRAME_BAD_HEADER;
    if ((unsigned long long)length > s->max_message) {
        char chunk[65536];
        for (long long left = length; left > 0;) {
            size_t want = left > (long long)sizeof(chunk) ? sizeof(chunk) : (size_t)left;
            size_t got = fread(chunk, 1, want, s->in);
            if (got == 0)
                return FRAME_EOF;
            left -= (long long)got;
        }
        return FRAME_TOO_BIG;
    }
    char *b = kfp_malloc((size_t)length + 1);
    if (!b)
        return FRAME_NOMEM;
    if (fread(b, 1, (size_t)length, s->in) != (size_t)length) {
        kfp_free(b);
        return FRAME_EOF;
    }
    b[length] = '\0';
    *body = b;
    *len = (size_t)length;
    return FRAME_OK;
}

/* Writes msg (and drops the reference). A failed write ends the server. */
static void send_json(struct server *s, json_t *msg)
{
    char *text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
    json_decref(msg);
    if (!text) {
        s->failed = true;
        return;
    }
    size_t n = strlen(text);
    if (fprintf(s->out, "Content-Length: %zu\r\n\r\n", n) < 0 || fwrite(text, 1, n, s->out) != n ||
        fflush(s->out) != 0)
        s->failed = true;
    free(text);
}

static void respond(struct server *s, json_t *id, json_t *result)
{
    send_json(s, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                           "result", result ? result : json_null()));
}

static void respond_error(struct server *s, json_t *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void respond_error(struct server *s, json_t *id, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    send_json(s, json_pack("{s:s, s:O, s:{s:i, s:o}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                           "error", "code", code, "message", kfp_json_str(msg)));
}

static void notify(struct server *s, const char *method, json_t *params)
{
    send_json(s, json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method, "params", params));
}

/* ------------------------------------------------------------------ positions */

/* Forward cursor over a text: the LSP position of byte offset `off`. */
struct cursor {
    const char *text;
    size_t len;
    bool utf8;
    bool valid;
    size_t off, line, ch;
};

/* Units of the character starting with byte b: UTF-8 counts bytes, UTF-16 counts code units. */
static size_t units(const struct cursor *c, unsigned char b)
{
    if (c->utf8)
        return 1;
    if ((b & 0xC0) == 0x80)
        return 0; /* continuation byte: counted with its lead */
    return b >= 0xF0 ? 2 : 1;
}

/* Start of the line holding `off`: the byte after the previous line break. */
static size_t line_start(const char *t, size_t off)
{
    while (off > 0 && t[off - 1] != '\n' && t[off - 1] != '\r')
        off--;
    return off;
}

/* Moves c to `off` (clamped to the text) and returns its position as an LSP Position. Walks
 * forward from the cursor when it can, else from the start of the line holding off (counting
 * lines from the start of the text only when the cursor is unusable). */
static json_t *cursor_pos(struct cursor *c, size_t off)
{
    if (off > c->len)
        off = c->len;
    if (!c->valid || off < c->off) {
        size_t ls = line_start(c->text, off), line = 0;
        size_t from = c->valid && c->off <= ls ? c->off : 0;
        if (c->valid && c->off <= ls)
            line = c->line;
        for (size_t i = from; i < ls; i++)
            if (c->text[i] == '\n' || (c->text[i] == '\r' && (i + 1 >= c->len || c->text[i + 1] != '\n')))
                line++;
        c->off = ls;
        c->line = line;
        c->ch = 0;
        c->valid = true;
    }
    for (size_t i = c->off; i < off; i++) {
        unsigned char b = (unsigned char)c->text[i];
        if (b == '\n' || (b == '\r' && (i + 1 >= c->len || c->text[i + 1] != '\n'))) {
            c->line++;
            c->ch = 0;
        } else if (b != '\r') {
            c->ch += units(c, b);
        }
    }
    c->off = off;
    return json_pack("{s:I, s:I}", "line", (json_int_t)c->line, "character", (json_int_t)c->ch);
}

/* A Range for [start, end): end walks on from start with a copy of the cursor. */
static json_t *range_of(struct cursor *c, uint32_t start, uint32_t end)
{
    json_t *a = cursor_pos(c, start);
    struct cursor e = *c;
    json_t *b = cursor_pos(&e, end < start ? start : end);
    return json_pack("{s:o, s:o}", "start", a, "end", b);
}

/* Byte offset of LSP position (line, character) in text; positions past a line's end or the
 * text's end are clamped to them (LSP 3.17). Returns false for a malformed Position. */
static bool offset_of(const char *t, size_t len, bool utf8, json_t *pos, size_t *out)
{
    json_t *jl = json_object_get(pos, "line"), *jc = json_object_get(pos, "character");
    if (!json_is_integer(jl) || !json_is_integer(jc) || json_integer_value(jl) < 0 ||
        json_integer_value(jc) < 0)
        return false;
    json_int_t line = json_integer_value(jl), ch = json_integer_value(jc);
    size_t i = 0;
    for (json_int_t l = 0; l < line && i < len; i++)
        if (t[i] == '\n' || (t[i] == '\r' && (i + 1 >= len || t[i + 1] != '\n')))
            l++;
    struct cursor c = {t, len, utf8, true, i, 0, 0};
    json_int_t u = 0;
    while (i < len && t[i] != '\n' && t[i] != '\r') {
        size_t w = 1;
        while (i + w < len && ((unsigned char)t[i + w] & 0xC0) == 0x80 && w < 4)
            w++; /* the whole character */
        json_int_t cu = utf8 ? (json_int_t)w : (json_int_t)units(&c, (unsigned char)t[i]);
        if (u + cu > ch)
            break;
        u += cu;
        i += w;
    }
    *out = i;
    return true;
}

/* ------------------------------------------------------------------ documents */

static struct doc *find_doc(struct server *s, const char *uri, size_t *index)
{
    for (size_t i = 0; i < s->n_docs; i++)
        if (!strcmp(s->docs[i]->uri, uri)) {
            if (index)
                *index = i;
            return s->docs[i];
        }
    return NULL;
}

static void doc_forget_lint(struct doc *d)
{
    if (d->linted)
        kfp_result_free(&d->res);
    d->linted = false;
    kfp_config_free(d->cfg);
    d->cfg = NULL;
}

static void doc_free(struct doc *d)
{
    if (!d)
        return;
    doc_forget_lint(d);
    kfp_free(d->uri);
    kfp_free(d->path);
    kfp_free(d->text);
    kfp_free(d);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The local path of a file: URI (percent-decoded; NULL for other schemes, a NUL byte or a remote
 * host). kfp_malloc'd; NULL also when memory ran out. */
static char *uri_to_path(const char *uri)
{
    if (strncasecmp(uri, "file://", 7) != 0)
        return NULL;
    const char *p = uri + 7;
    if (*p != '/') { /* file://host/path: only localhost is ours */
        if (strncasecmp(p, "localhost/", 10) != 0)
            return NULL;
        p += 9;
    }
    char *out = kfp_malloc(strlen(p) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int h, l;
        if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
            if (h == 0 && l == 0) {
                kfp_free(out);
                return NULL;
            }
            out[o++] = (char)(h * 16 + l);
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}

/* Whether text that does not parse looks like it is meant to be a KFP or Argo document (so its
 * syntax error is worth showing; a broken Helm template or other YAML is not ours). */
static bool looks_kfp(const char *t, size_t len)
{
    static const char *const marks[] = {"pipelineInfo", "pipeline_info", "deploymentSpec", "deployment_spec",
                                        "pipelineSpec", "implementation", "argoproj.io/", "executorLabel"};
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
        if (memmem(t, len, marks[i], strlen(marks[i])))
            return true;
    return false;
}

/* ------------------------------------------------------------------ diagnostics */

static int lsp_severity(enum kfp_severity s)
{
    return s == KFP_SEV_ERROR ? 1 : s == KFP_SEV_WARNING ? 2 : 3;
}

/* The Diagnostic of finding f (c walks the document forward). */
static json_t *diagnostic(struct server *s, const struct doc *d, struct cursor *c, const struct kfp_finding *f)
{
    json_t *diag = json_pack("{s:o, s:i, s:s, s:s, s:o}", "range", range_of(c, f->span.start, f->span.end),
                             "severity", lsp_severity(f->severity), "code", f->rule->id, "source", "kfplint",
                             "message", kfp_json_str(f->msg));
    if (!diag)
        return NULL;
    if (!strncmp(f->rule->id, "unused-", 7))
        json_object_set_new(diag, "tags", json_pack("[i]", 1)); /* DiagnosticTag.Unnecessary */
    if (f->n_related) {
        json_t *rel = json_array();
        struct cursor rc = {d->text, d->len, s->utf8, false, 0, 0, 0};
        for (size_t i = 0; rel && i < f->n_related; i++)
            json_array_append_new(rel, json_pack("{s:{s:s, s:o}, s:o}", "location", "uri", d->uri, "range",
                                                 range_of(&rc, f->related[i].span.start, f->related[i].span.end),
                                                 "message", kfp_json_str(f->related[i].msg)));
        json_object_set_new(diag, "relatedInformation", rel);
    }
    return diag;
}

static void publish(struct server *s, const struct doc *d, json_t *diags)
{
    json_t *p = json_pack("{s:s, s:o}", "uri", d->uri, "diagnostics", diags ? diags : json_array());
    if (p && d->version >= 0)
        json_object_set_new(p, "version", json_integer(d->version));
    notify(s, "textDocument/publishDiagnostics", p);
}

/* Lints d's text like the CLI lints a file, and publishes the diagnostics. */
static void lint_doc(struct server *s, struct doc *d)
{
    doc_forget_lint(d);
    struct kfp_cli_rules cli;
    memset(&cli, 0, sizeof(cli));
    struct kfp_error err;
    char *found = d->path ? kfp_config_find(d->path) : NULL;
    d->cfg = found ? kfp_config_load(found, &cli, &err) : kfp_config_default(&cli);
    kfp_free(found);
    if (!d->cfg) { /* fail closed: say so where the user looks, lint nothing */
        struct cursor c = {d->text, d->len, s->utf8, false, 0, 0, 0};
        publish(s, d, json_pack("[{s:o, s:i, s:s, s:s, s:o}]", "range", range_of(&c, 0, 0), "severity", 1,
                                "code", "config-error", "source", "kfplint",
                                "message", kfp_json_str(found ? err.msg : "out of memory")));
        return;
    }
    if (d->path && kfp_config_excluded(d->cfg, d->path)) {
        publish(s, d, NULL);
        return;
    }
    char *copy = kfp_malloc(d->len + 1);
    if (!copy) {
        s->failed = true;
        return;
    }
    memcpy(copy, d->text, d->len);
    copy[d->len] = '\0';
    d->opts = (struct kfp_lint_opts){d->cfg->severity, KFP_LSP_MAX_MESSAGE, d->cfg, true, false, false};
    /* not an explicit path: a document that is not KFP (or Argo) is skipped, as in a directory */
    if (kfp_lint_buffer(&d->opts, d->path ? d->path : d->uri, copy, d->len, false, &d->res)) {
        kfp_result_free(&d->res);
        s->failed = true;
        return;
    }
    d->linted = true;
    if (d->res.load_status == KFP_LOAD_OK)
        d->was_kfp = !d->res.skipped;
    bool ours = !d->res.skipped && (d->res.load_status != KFP_LOAD_SYNTAX || d->was_kfp || looks_kfp(d->text, d->len));
    json_t *diags = json_array();
    struct cursor c = {d->text, d->len, s->utf8, false, 0, 0, 0};
    for (size_t i = 0; ours && diags && i < d->res.n_findings; i++)
        json_array_append_new(diags, diagnostic(s, d, &c, d->res.findings[i]));
    publish(s, d, diags);
}

/* ------------------------------------------------------------------ requests */

static const char *str_member(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The document a request's params.textDocument.uri names, or NULL. */
static struct doc *param_doc(struct server *s, json_t *params)
{
    const char *uri = str_member(json_object_get(params, "textDocument"), "uri");
    return uri ? find_doc(s, uri, NULL) : NULL;
}

static void on_initialize(struct server *s, json_t *id, json_t *params)
{
    if (s->initialized) {
        respond_error(s, id, ERR_INVALID_REQUEST, "initialize was already received");
        return;
    }
    json_t *encs = json_object_get(json_object_get(json_object_get(params, "capabilities"), "general"),
                                   "positionEncodings");
    size_t i;
    json_t *e;
    json_array_foreach(encs, i, e)
        if (json_is_string(e) && !strcmp(json_string_value(e), "utf-8"))
            s->utf8 = true;
    s->initialized = true;
    respond(s, id, json_pack("{s:{s:s, s:{s:b, s:i, s:{s:b}}, s:{s:[s, s]}, s:b}, s:{s:s, s:s}}",
                             "capabilities", "positionEncoding", s->utf8 ? "utf-8" : "utf-16",
                             "textDocumentSync", "openClose", 1, "change", 1, "save", "includeText", 1,
                             "codeActionProvider", "codeActionKinds", "quickfix", "source.fixAll.kfplint",
                             "hoverProvider", 1,
                             "serverInfo", "name", "kfplint", "version", KFPLINT_VERSION));
}

/* Replaces or edits d's text per one TextDocumentContentChangeEvent. False when malformed. */
static bool apply_change(struct server *s, struct doc *d, json_t *ch)
{
    json_t *jt = json_object_get(ch, "text");
    if (!json_is_string(jt))
        return false;
    const char *t = json_string_value(jt);
    size_t tl = json_string_length(jt), a = 0, b = d->len;
    json_t *range = json_object_get(ch, "range");
    if (range && (!offset_of(d->text, d->len, s->utf8, json_object_get(range, "start"), &a) ||
                  !offset_of(d->text, d->len, s->utf8, json_object_get(range, "end"), &b) || b < a))
        return false;
    size_t n = d->len - (b - a) + tl;
    char *nt = kfp_malloc(n + 1);
    if (!nt) {
        s->failed = true;
        return false;
    }
    memcpy(nt, d->text, a);
    memcpy(nt + a, t, tl);
    memcpy(nt + a + tl, d->text + b, d->len - b);
    nt[n] = '\0';
    kfp_free(d->text);
    d->text = nt;
    d->len = n;
    return true;
}

static void on_did_open(struct server *s, json_t *params)
{
    json_t *td = json_object_get(params, "textDocument");
    const char *uri = str_member(td, "uri");
    json_t *jt = json_object_get(td, "text");
    if (!uri || !json_is_string(jt))
        return;
    size_t idx;
    struct doc *old = find_doc(s, uri, &idx);
    struct doc *d = kfp_malloc(sizeof(*d));
    char *text = kfp_malloc(json_string_length(jt) + 1);
    char *u = kfp_malloc(strlen(uri) + 1);
    struct doc **grown = old ? s->docs : kfp_realloc(s->docs, (s->n_docs + 1) * sizeof(*s->docs));
    if (!d || !text || !u || !grown) {
        kfp_free(d);
        kfp_free(text);
        kfp_free(u);
        if (grown)
            s->docs = grown;
        s->failed = true;
        return;
    }
    s->docs = grown;
    memset(d, 0, sizeof(*d));
    memcpy(text, json_string_value(jt), json_string_length(jt) + 1);
    strcpy(u, uri);
    d->uri = u;
    d->path = uri_to_path(uri);
    d->text = text;
    d->len = json_string_length(jt);
    json_t *v = json_object_get(td, "version");
    d->version = json_is_integer(v) ? json_integer_value(v) : -1;
    if (old) {
        doc_free(old);
        s->docs[idx] = d;
    } else {
        s->docs[s->n_docs++] = d;
    }
    lint_doc(s, d);
}

static void on_did_change(struct server *s, json_t *params)
{
    struct doc *d = param_doc(s, params);
    json_t *changes = json_object_get(params, "contentChanges");
    if (!d || !json_is_array(changes))
        return;
    size_t i;
    json_t *ch;
    json_array_foreach(changes, i, ch)
        if (!apply_change(s, d, ch))
            return; /* a malformed change: keep what we have until the next full text */
    json_t *v = json_object_get(json_object_get(params, "textDocument"), "version");
    if (json_is_integer(v))
        d->version = json_integer_value(v);
    lint_doc(s, d);
}

static void on_did_save(struct server *s, json_t *params)
{
    struct doc *d = param_doc(s, params);
    if (!d)
        return;
    json_t *jt = json_object_get(params, "text");
    if (json_is_string(jt)) {
        json_t *full = json_pack("{s:O}", "text", jt);
        apply_change(s, d, full);
        json_decref(full);
    }
    lint_doc(s, d); /* also picks up a config saved since */
}

static void on_did_close(struct server *s, json_t *params)
{
    size_t idx;
    const char *uri = str_member(json_object_get(params, "textDocument"), "uri");
    struct doc *d = uri ? find_doc(s, uri, &idx) : NULL;
    if (!d)
        return;
    d->version = -1;
    publish(s, d, NULL); /* clear its diagnostics */
    doc_free(d);
    s->docs[idx] = s->docs[--s->n_docs];
}

/* Whether kind `kind` is wanted by the request's context.only (absent: every kind). */
static bool kind_wanted(json_t *only, const char *kind)
{
    if (!json_is_array(only))
        return true;
    size_t i;
    json_t *k;
    json_array_foreach(only, i, k) {
        const char *w = json_string_value(k);
        size_t n = w ? strlen(w) : 0;
        if (w && !strncmp(kind, w, n) && (kind[n] == '\0' || kind[n] == '.'))
            return true;
    }
    return false;
}

/* A WorkspaceEdit of f's fix edits on d. */
static json_t *fix_edit(struct server *s, const struct doc *d, const struct kfp_fix *fx)
{
    json_t *edits = json_array();
    struct cursor c = {d->text, d->len, s->utf8, false, 0, 0, 0};
    for (size_t i = 0; edits && i < fx->n_edits; i++)
        json_array_append_new(edits, json_pack("{s:o, s:o}", "range", range_of(&c, fx->edits[i].start, fx->edits[i].end),
                                               "newText", kfp_json_str(fx->edits[i].text)));
    return json_pack("{s:{s:o}}", "changes", d->uri, edits);
}

static void on_code_action(struct server *s, json_t *id, json_t *params)
{
    struct doc *d = param_doc(s, params);
    json_t *range = json_object_get(params, "range");
    size_t a, b;
    if (!d || !offset_of(d->text, d->len, s->utf8, json_object_get(range, "start"), &a) ||
        !offset_of(d->text, d->len, s->utf8, json_object_get(range, "end"), &b)) {
        respond_error(s, id, ERR_INVALID_PARAMS, "codeAction needs an open textDocument and a range");
        return;
    }
    json_t *only = json_object_get(json_object_get(params, "context"), "only");
    json_t *actions = json_array();
    bool any_safe = false;
    for (size_t i = 0; d->linted && i < d->res.n_findings; i++) {
        const struct kfp_finding *f = d->res.findings[i];
        if (!f->fix)
            continue;
        any_safe |= f->fix->safe;
        if (f->span.start > b || f->span.end < a || !kind_wanted(only, "quickfix"))
            continue;
        struct cursor c = {d->text, d->len, s->utf8, false, 0, 0, 0};
        char title[600];
        snprintf(title, sizeof(title), "%s%s [%s]", f->fix->title, f->fix->safe ? "" : " (unsafe fix)", f->rule->id);
        json_array_append_new(actions, json_pack("{s:o, s:s, s:[o], s:b, s:o}", "title", kfp_json_str(title),
                                                 "kind", "quickfix", "diagnostics", diagnostic(s, d, &c, f),
                                                 "isPreferred", f->fix->safe, "edit", fix_edit(s, d, f->fix)));
    }
    if (any_safe && kind_wanted(only, "source.fixAll.kfplint")) {
        /* exactly what `kfplint --fix` writes: fixes to a fixpoint, accepted only if clean */
        struct kfp_fix_outcome fo;
        kfp_fix_buffer(&d->opts, d->path ? d->path : d->uri, d->text, d->len, false, &fo);
        if (fo.status == KFP_FIX_NOMEM)
            s->failed = true;
        if (fo.status == KFP_FIX_APPLIED) {
            struct cursor c = {d->text, d->len, s->utf8, false, 0, 0, 0};
            json_t *all = json_stringn(fo.out, fo.out_len);
            if (!all) { /* invalid UTF-8 in the document: leave it to the quick fixes */
                kfp_free(fo.out);
            } else {
                kfp_free(fo.out);
                json_array_append_new(actions, json_pack("{s:s, s:s, s:{s:{s:[{s:o, s:o}]}}}",
                                                         "title", "Fix all safe kfplint problems (kfplint --fix)",
                                                         "kind", "source.fixAll.kfplint", "edit", "changes", d->uri,
                                                         "range", range_of(&c, 0, (uint32_t)d->len), "newText", all));
            }
        }
    }
    respond(s, id, actions);
}

static void on_hover(struct server *s, json_t *id, json_t *params)
{
    struct doc *d = param_doc(s, params);
    size_t off;
    if (!d || !offset_of(d->text, d->len, s->utf8, json_object_get(params, "position"), &off)) {
        respond_error(s, id, ERR_INVALID_PARAMS, "hover needs an open textDocument and a position");
        return;
    }
    char *md = NULL;
    size_t md_len = 0, shown = 0;
    FILE *m = open_memstream(&md, &md_len);
    const struct kfp_finding *first = NULL;
    for (size_t i = 0; m && d->linted && i < d->res.n_findings && shown < 5; i++) {
        const struct kfp_finding *f = d->res.findings[i];
        if (f->span.start > off || (f->span.end <= off && !(f->span.start == f->span.end && off == f->span.start)))
            continue;
        if (!first)
            first = f;
        bool seen = false; /* one documentation per rule */
        for (size_t k = 0; k < i; k++)
            seen |= d->res.findings[k]->rule == f->rule && d->res.findings[k]->span.start <= off &&
                    d->res.findings[k]->span.end > off;
        fprintf(m, "%s**%s** `%s`: %s\n", shown ? "\n---\n\n" : "", kfp_severity_name(f->severity), f->rule->id, f->msg);
        if (!seen)
            fprintf(m, "\n%s\n", f->rule->doc ? f->rule->doc : f->rule->summary ? f->rule->summary : "");
        shown++;
    }
    if (m && fclose(m) != 0)
        s->failed = true;
    if (!first || !md) {
        free(md);
        respond(s, id, NULL);
        return;
    }
    struct cursor c = {d->text, d->len, s->utf8, false, 0, 0, 0};
    respond(s, id, json_pack("{s:{s:s, s:o}, s:o}", "contents", "kind", "markdown", "value", kfp_json_str(md),
                             "range", range_of(&c, first->span.start, first->span.end)));
    free(md);
}

/* ------------------------------------------------------------------ dispatch */

static void handle(struct server *s, json_t *msg)
{
    if (!json_is_object(msg)) {
        respond_error(s, NULL, ERR_INVALID_REQUEST, "a message must be a JSON object (batches are not used by LSP)");
        return;
    }
    json_t *id = json_object_get(msg, "id");
    json_t *jm = json_object_get(msg, "method");
    json_t *params = json_object_get(msg, "params");
    if (json_is_null(params))
        params = NULL;
    if (!jm) {
        if (!json_object_get(msg, "result") && !json_object_get(msg, "error"))
            respond_error(s, id, ERR_INVALID_REQUEST, "a message needs a method (or a result or an error)");
        return; /* a response: the server sends no requests, so there is nothing to match */
    }
    if (id && !json_is_integer(id) && !json_is_string(id)) {
        respond_error(s, NULL, ERR_INVALID_REQUEST, "id must be an integer or a string");
        return;
    }
    const char *method = json_string_value(jm);
    if (!method) {
        if (id)
            respond_error(s, id, ERR_INVALID_REQUEST, "method must be a string");
        return;
    }
    if (params && !json_is_object(params) && !json_is_array(params)) {
        if (id)
            respond_error(s, id, ERR_INVALID_REQUEST, "params must be an object or an array");
        return;
    }
    if (!strcmp(method, "exit")) {
        s->exiting = true;
        return;
    }
    if (!s->initialized && strcmp(method, "initialize") != 0) {
        if (id)
            respond_error(s, id, ERR_NOT_INITIALIZED, "the server is not initialized: send initialize first");
        return;
    }
    if (s->shutdown) {
        if (id)
            respond_error(s, id, ERR_INVALID_REQUEST, "the server is shutting down: only exit is accepted");
        return;
    }
    if (id) {
        if (!strcmp(method, "initialize"))
            on_initialize(s, id, params);
        else if (!strcmp(method, "shutdown")) {
            s->shutdown = true;
            respond(s, id, NULL);
        } else if (!strcmp(method, "textDocument/codeAction"))
            on_code_action(s, id, params);
        else if (!strcmp(method, "textDocument/hover"))
            on_hover(s, id, params);
        else
            respond_error(s, id, ERR_METHOD_NOT_FOUND, "method not supported by kfplint");
        return;
    }
    if (!strcmp(method, "textDocument/didOpen"))
        on_did_open(s, params);
    else if (!strcmp(method, "textDocument/didChange"))
        on_did_change(s, params);
    else if (!strcmp(method, "textDocument/didSave"))
        on_did_save(s, params);
    else if (!strcmp(method, "textDocument/didClose"))
        on_did_close(s, params);
    /* other notifications (initialized, $/cancelRequest, workspace/…) need nothing */
}

int kfp_lsp_serve(FILE *in, FILE *out)
{
    struct server s;
    memset(&s, 0, sizeof(s));
    s.in = in;
    s.out = out;
    s.max_message = KFP_LSP_MAX_MESSAGE;
    const char *lim = getenv("KFPLINT_LSP_MAX_MESSAGE"); /* lets the tests reach the limit cheaply */
    if (lim && *lim) {
        char *end;
        unsigned long long v = strtoull(lim, &end, 10);
        if (!*end && v > 0 && v < KFP_LSP_MAX_MESSAGE)
            s.max_message = v;
    }
    while (!s.exiting && !s.failed) {
        char *body = NULL;
        size_t len = 0;
        const char *why;
        enum frame fr = read_message(&s, &body, &len, &why);
        if (fr == FRAME_EOF)
            break;
        if (fr == FRAME_NOMEM) {
            s.failed = true;
            break;
        }
        if (fr == FRAME_BAD_HEADER) {
            respond_error(&s, NULL, ERR_PARSE, "bad message header: %s", why ? why : "malformed");
            continue;
        }
        if (fr == FRAME_TOO_BIG) {
            respond_error(&s, NULL, ERR_INVALID_REQUEST, "message larger than %llu bytes: ignored", s.max_message);
            continue;
        }
        json_error_t jerr;
        json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL, &jerr);
        kfp_free(body);
        if (!msg) {
            respond_error(&s, NULL, ERR_PARSE, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
            continue;
        }
        handle(&s, msg);
        json_decref(msg);
    }
    for (size_t i = 0; i < s.n_docs; i++)
        doc_free(s.docs[i]);
    kfp_free(s.docs);
    if (s.failed)
        return 2;
    return s.exiting && s.shutdown ? 0 : 1;
}
