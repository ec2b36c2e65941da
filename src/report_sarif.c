/* report_sarif.c — SARIF 2.1.0 for GitHub code scanning: every rule with its documentation,
 * results with relative URIs (uriBaseId %SRCROOT%), regions, related locations, fixes,
 * partialFingerprints (GitHub's line hash and kfplint's location-independent one), and read
 * errors and parse errors as toolExecutionNotifications. Keys sorted: deterministic output. */
#include "kfplint/report.h"
#include "kfplint/alloc.h"
#include "kfplint/path.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "dag-cycle" → "DagCycle" */
static json_t *pascal(const char *id)
{
    char buf[128];
    size_t o = 0;
    bool up = true;
    for (const char *p = id; *p && o + 1 < sizeof(buf); p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        buf[o++] = up ? (char)toupper((unsigned char)*p) : *p;
        up = false;
    }
    buf[o] = '\0';
    return json_string(buf);
}

/* First paragraph under "## What it does", flattened, at most 1000 bytes, ending with '.'. */
static json_t *what_it_does(const struct kfp_rule *r)
{
    const char *p = strstr(r->doc, "## What it does\n");
    p = p ? p + 16 : r->doc;
    const char *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n > 1000)
        n = 1000;
    char buf[1008];
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        buf[o++] = p[i] == '\n' ? ' ' : p[i];
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    if (o == 0 || buf[o - 1] != '.')
        buf[o++] = '.';
    buf[o] = '\0';
    return kfp_json_str(buf);
}

static const char *level(enum kfp_severity s)
{
    return s == KFP_SEV_ERROR ? "error" : s == KFP_SEV_WARNING ? "warning" : "note";
}

static json_t *rule_json(const struct kfp_rule *r)
{
    json_t *tags = json_array();
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", r->tags);
    for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(tags, json_string(t));
    bool security = strstr(r->tags, "security") != NULL;
    json_t *props = json_pack("{s:o,s:s,s:s}", "tags", tags, "precision",
                              strstr(r->tags, "syntax") || strstr(r->tags, "graph") ? "very-high" : "high",
                              "problem.severity",
                              r->severity == KFP_SEV_ERROR ? "error"
                              : r->severity == KFP_SEV_WARNING ? "warning" : "recommendation");
    if (props && security)
        json_object_set_new(props, "security-severity", json_string("7.5"));
    char *md = NULL;
    size_t len = strlen(r->doc) + strlen(r->id) + 256;
    md = kfp_malloc(len);
    if (md)
        snprintf(md, len, "%s\nFull documentation: `kfplint --explain %s` (%s).\n", r->doc, r->id,
                 KFPLINT_HOMEPAGE);
    json_t *j = json_pack("{s:s,s:o,s:{s:s},s:{s:o},s:{s:o,s:o},s:{s:s},s:o}", "id", r->id, "name",
                          pascal(r->id), "shortDescription", "text", r->summary, "fullDescription",
                          "text", what_it_does(r), "help", "text", kfp_json_str(md ? md : r->doc),
                          "markdown", kfp_json_str(md ? md : r->doc), "defaultConfiguration",
                          "level", level(r->severity), "properties", props);
    kfp_free(md);
    return j;
}

/* Percent-encodes s (RFC 3986 path characters kept; space, %, #, ?, controls and every byte of
 * non-ASCII or invalid UTF-8 encoded) into a new JSON string. A relative reference also encodes
 * ':': a first segment like `https:x.yaml` would otherwise read as a URI with a scheme
 * (RFC 3986 section 4.2). */
static json_t *encode(const char *prefix, const char *s)
{
    bool relative = !*prefix;
    size_t len = strlen(s), pl = strlen(prefix);
    char *buf = kfp_malloc(pl + len * 3 + 1);
    if (!buf)
        return NULL;
    memcpy(buf, prefix, pl);
    size_t o = pl;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80 && (isalnum(*p) || strchr(relative ? "-._~/!$&'()*+,;=@" : "-._~/!$&'()*+,;=:@", *p)))
            buf[o++] = (char)*p;
        else
            o += (size_t)sprintf(buf + o, "%%%02X", *p);
    }
    buf[o] = '\0';
    json_t *j = json_string(buf);
    kfp_free(buf);
    return j;
}

/* artifactLocation of a path: relative to the working directory with uriBaseId %SRCROOT% (what
 * GitHub wants), or an absolute file:// URI for a path outside it. */
static json_t *artifact_location(const char *path)
{
    char cwd[PATH_MAX], abs[2 * PATH_MAX];
    kfp_path_absolute(path, abs, sizeof(abs));
    if (getcwd(cwd, sizeof(cwd))) {
        size_t n = strlen(cwd);
        if (!strncmp(abs, cwd, n) && abs[n] == '/')
            return json_pack("{s:o,s:s}", "uri", encode("", abs + n + 1), "uriBaseId", "%SRCROOT%");
    }
    return json_pack("{s:o}", "uri", encode("file://", abs));
}

static json_t *region(const struct kfp_source *src, struct kfp_span span)
{
    struct kfp_region r;
    kfp_region_of(src, span, &r);
    return json_pack("{s:I,s:I,s:I,s:I}", "startLine", (json_int_t)r.start_line, "startColumn",
                     (json_int_t)r.start_col, "endLine", (json_int_t)r.end_line, "endColumn",
                     (json_int_t)r.end_col);
}

static json_t *phys(const char *path, json_t *reg)
{
    return json_pack("{s:o,s:o}", "artifactLocation", artifact_location(path), "region", reg);
}

/* SARIF messages are sentences: end them with a period. */
static json_t *sentence(const char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '.')
        return json_pack("{s:o}", "text", kfp_json_str(s));
    char *buf = kfp_malloc(n + 2);
    if (!buf)
        return NULL;
    memcpy(buf, s, n);
    buf[n] = '.';
    buf[n + 1] = '\0';
    json_t *j = json_pack("{s:o}", "text", kfp_json_str(buf));
    kfp_free(buf);
    return j;
}

/* Index of a rule in the run's rule list: built-ins first, then the custom rules. */
static size_t rule_index(const struct kfp_rule *r, const struct kfp_report_opts *o)
{
    size_t i = kfp_rule_index(r);
    for (size_t e = 0; i == SIZE_MAX && e < o->n_extra_rules; e++)
        if (o->extra_rules[e] == r)
            i = kfp_n_rules + e;
    return i;
}

static json_t *result_json(const struct kfp_result *res, const struct kfp_finding *f,
                           const char *fp, const char *line_hash, const struct kfp_report_opts *o)
{
    const struct kfp_source *src = &res->doc.src;
    json_t *related = json_array();
    for (size_t i = 0; related && i < f->n_related && i < 100; i++)
        json_array_append_new(related,
                              json_pack("{s:I,s:o,s:o}", "id", (json_int_t)i, "physicalLocation",
                                        phys(res->path, region(src, f->related[i].span)),
                                        "message", sentence(f->related[i].msg)));
    json_t *fps = json_pack("{s:s}", "kfplint/v1", fp);
    if (fps && line_hash[0])
        json_object_set_new(fps, "primaryLocationLineHash", json_string(line_hash));
    json_t *j = json_pack("{s:s,s:I,s:s,s:o,s:[{s:o}],s:o}", "ruleId", f->rule->id, "ruleIndex",
                          (json_int_t)rule_index(f->rule, o), "level", level(f->severity),
                          "message", sentence(f->msg), "locations", "physicalLocation",
                          phys(res->path, region(src, f->span)), "partialFingerprints",
                          fps);
    if (j && json_array_size(related))
        json_object_set_new(j, "relatedLocations", related);
    else
        json_decref(related);
    if (j && f->fix) {
        json_t *reps = json_array();
        for (size_t i = 0; reps && i < f->fix->n_edits; i++) {
            const struct kfp_edit *e = &f->fix->edits[i];
            struct kfp_region r;
            kfp_source_pos(src, e->start, &r.start_line, &r.start_col);
            kfp_source_pos(src, e->end, &r.end_line, &r.end_col);
            json_array_append_new(
                reps, json_pack("{s:{s:I,s:I,s:I,s:I},s:{s:o}}", "deletedRegion", "startLine",
                                (json_int_t)r.start_line, "startColumn", (json_int_t)r.start_col,
                                "endLine", (json_int_t)r.end_line, "endColumn",
                                (json_int_t)r.end_col, "insertedContent", "text",
                                kfp_json_str(e->text)));
        }
        json_object_set_new(
            j, "fixes",
            json_pack("[{s:o,s:[{s:o,s:o}]}]", "description", sentence(f->fix->title),
                      "artifactChanges", "artifactLocation", artifact_location(res->path),
                      "replacements", reps));
    }
    return j;
}

/* Results of one file. Returns KFP_OK or KFP_ERR (out of memory). */
static int file_results(json_t *results, json_t *notes, const struct kfp_result *res,
                        const struct kfp_report_opts *o)
{
    size_t n = res->n_findings;
    char (*fps)[24] = kfp_malloc((n ? n : 1) * sizeof(*fps));
    size_t *lines = kfp_malloc((n ? n : 1) * sizeof(*lines));
    char (*hashes)[32] = kfp_malloc((n ? n : 1) * sizeof(*hashes));
    int rc = KFP_ERR;
    if (!fps || !lines || !hashes)
        goto done;
    kfp_fingerprints(res, fps);
    for (size_t i = 0; i < n; i++) { /* findings are sorted by offset, so lines ascend */
        size_t col;
        kfp_source_pos(&res->doc.src, res->findings[i]->span.start, &lines[i], &col);
    }
    if (n && kfp_line_hashes(&res->doc.src, lines, n, hashes))
        goto done;
    for (size_t i = 0; i < n; i++) {
        const struct kfp_finding *f = res->findings[i];
        if (f->severity < o->min_severity)
            continue;
        json_t *j = result_json(res, f, fps[i], hashes[i], o);
        if (!j || json_array_append_new(results, j))
            goto done;
        if (!strcmp(f->rule->id, "parse-error"))
            json_array_append_new(
                notes, json_pack("{s:s,s:o,s:[{s:o}],s:{s:s}}", "level", "error", "message",
                                 sentence(f->msg), "locations", "physicalLocation",
                                 phys(res->path, region(&res->doc.src, f->span)),
                                 "descriptor", "id", "parse-error"));
    }
    rc = KFP_OK;
done:
    kfp_free(fps);
    kfp_free(lines);
    kfp_free(hashes);
    return rc;
}

int kfp_report_sarif(FILE *out, struct kfp_result *const *results, size_t n,
                     const struct kfp_report_opts *o)
{
    json_t *rules = json_array(), *res_arr = json_array(), *notes = json_array();
    int rc = KFP_ERR;
    bool ok = true;
    if (!rules || !res_arr || !notes)
        goto done;
    for (size_t i = 0; i < kfp_n_rules; i++)
        if (json_array_append_new(rules, rule_json(kfp_rules[i])))
            goto done;
    for (size_t i = 0; i < o->n_extra_rules; i++)
        if (json_array_append_new(rules, rule_json(o->extra_rules[i])))
            goto done;
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        if (res->io_error) {
            ok = false;
            char msg[600];
            snprintf(msg, sizeof(msg), "Cannot read '%s': %s", res->path, res->io_msg);
            json_array_append_new(notes, json_pack("{s:s,s:o,s:[{s:{s:o}}]}", "level", "error",
                                                   "message", sentence(msg), "locations",
                                                   "physicalLocation", "artifactLocation",
                                                   artifact_location(res->path)));
            continue;
        }
        if (res->undecided) { /* a rule could not decide: the file failed closed */
            ok = false;
            json_array_append_new(notes, json_pack("{s:s,s:o,s:[{s:{s:o}}]}", "level", "error",
                                                   "message", sentence(res->undecided_err.msg),
                                                   "locations", "physicalLocation",
                                                   "artifactLocation", artifact_location(res->path)));
        }
        if (res->skipped) {
            char msg[600];
            snprintf(msg, sizeof(msg), "Skipped '%s': %s", res->path,
                     res->skip_reason ? res->skip_reason : "not a KFP document");
            json_t *note = json_pack("{s:s,s:o,s:[{s:{s:o}}],s:{s:s}}", "level", "note", "message",
                                     sentence(msg), "locations", "physicalLocation",
                                     "artifactLocation", artifact_location(res->path),
                                     "descriptor", "id", "skipped-file");
            if (!note || json_array_append_new(notes, note))
                goto done;
            continue;
        }
        if (file_results(res_arr, notes, res, o))
            goto done;
    }
    char cwd[PATH_MAX];
    json_t *base = NULL;
    if (getcwd(cwd, sizeof(cwd))) {
        strncat(cwd, "/", sizeof(cwd) - strlen(cwd) - 1);
        base = json_pack("{s:{s:o}}", "%SRCROOT%", "uri", encode("file://", cwd));
    }
    json_t *run = json_pack(
        "{s:{s:{s:s,s:s,s:s,s:s,s:o}},s:o,s:s,s:[{s:b,s:o}]}", "tool", "driver", "name", "kfplint",
        "version", KFPLINT_VERSION, "semanticVersion", KFPLINT_VERSION, "informationUri",
        KFPLINT_HOMEPAGE, "rules", rules, "results", res_arr, "columnKind", "unicodeCodePoints",
        "invocations", "executionSuccessful", ok, "toolExecutionNotifications", notes);
    rules = res_arr = notes = NULL;
    if (!run) {
        json_decref(base);
        goto done;
    }
    if (base)
        json_object_set_new(run, "originalUriBaseIds", base);
    json_t *doc = json_pack("{s:s,s:s,s:[o]}", "$schema",
                            "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
                            "runs", run);
    if (!doc)
        goto done;
    /* ASCII only: no raw control character (C1 included) from a name or message reaches a terminal */
    rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) == 0 &&
                 fputc('\n', out) != EOF
             ? KFP_OK
             : KFP_ERR;
    json_decref(doc);
done:
    json_decref(rules);
    json_decref(res_arr);
    json_decref(notes);
    return rc == KFP_OK && !ferror(out) ? KFP_OK : KFP_ERR;
}
