/* report_json.c — the JSON reporter: one document with the tool, every finding (positions,
 * byte offsets, related locations, fix edits, fingerprint), read errors and a summary. Its
 * shape is docs/output.schema.json; keys are sorted so output is stable. */
#include "kfplint/report.h"
#include "kfplint/alloc.h"

#include <string.h>

static json_t *pos(size_t line, size_t col, uint32_t off)
{
    return json_pack("{s:I,s:I,s:I}", "line", (json_int_t)line, "column", (json_int_t)col,
                     "offset", (json_int_t)off);
}

/* {"start": …, "end": …} of a span. */
static json_t *range(const struct kfp_source *src, struct kfp_span span)
{
    struct kfp_region r;
    kfp_region_of(src, span, &r);
    /* exact end for JSON consumers (an empty span stays empty) */
    size_t el, ec;
    kfp_source_pos(src, span.end >= span.start ? span.end : span.start, &el, &ec);
    return json_pack("{s:o,s:o}", "start", pos(r.start_line, r.start_col, span.start), "end",
                     pos(el, ec, span.end >= span.start ? span.end : span.start));
}

static json_t *finding_json(const struct kfp_result *res, const struct kfp_finding *f,
                            const char *fingerprint)
{
    const struct kfp_source *src = &res->doc.src;
    json_t *j = range(src, f->span);
    json_t *related = json_array();
    json_t *fix = json_null();
    if (!j || !related)
        goto fail;
    for (size_t i = 0; i < f->n_related; i++) {
        json_t *r = range(src, f->related[i].span);
        if (!r || json_object_set_new(r, "message", kfp_json_str(f->related[i].msg))) {
            json_decref(r);
            goto fail;
        }
        if (json_array_append_new(related, r))
            goto fail;
    }
    if (f->fix) {
        json_t *edits = json_array();
        for (size_t i = 0; edits && i < f->fix->n_edits; i++) {
            const struct kfp_edit *e = &f->fix->edits[i];
            json_t *r = range(src, (struct kfp_span){e->start, e->end});
            bool ok = r && json_object_set_new(r, "content", kfp_json_str(e->text)) == 0;
            if (!ok)
                json_decref(r);
            if (!ok || json_array_append_new(edits, r)) {
                json_decref(edits);
                edits = NULL;
            }
        }
        /* "o" hands edits over to the new object, also when packing fails */
        fix = edits ? json_pack("{s:o,s:s,s:o}", "title", kfp_json_str(f->fix->title), "applicability",
                                f->fix->safe ? "safe" : "unsafe", "edits", edits)
                    : NULL;
        if (!fix)
            goto fail;
    }
    if (json_object_set_new(j, "rule", json_string(f->rule->id)) ||
        json_object_set_new(j, "severity", json_string(kfp_severity_name(f->severity))) ||
        json_object_set_new(j, "message", kfp_json_str(f->msg)) ||
        json_object_set_new(j, "path", kfp_json_str(res->path)) ||
        json_object_set_new(j, "fingerprint", json_string(fingerprint)))
        goto fail;
    json_object_set_new(j, "related", related);
    related = NULL;
    json_object_set_new(j, "fix", fix);
    fix = NULL;
    if (json_object_size(j) != 9)
        goto fail;
    return j;
fail:
    json_decref(j);
    json_decref(related);
    json_decref(fix);
    return NULL;
}

int kfp_report_json(FILE *out, struct kfp_result *const *results, size_t n,
                    const struct kfp_report_opts *o)
{
    json_t *findings = json_array(), *errors = json_array(), *skipped = json_array();
    size_t counts[4] = {0}, checked = 0, with = 0;
    int rc = KFP_ERR;
    if (!findings || !errors || !skipped)
        goto done;
    for (size_t r = 0; r < n; r++) {
        const struct kfp_result *res = results[r];
        if (res->io_error) {
            json_array_append_new(errors, json_pack("{s:o,s:o}", "path", kfp_json_str(res->path),
                                                    "message", kfp_json_str(res->io_msg)));
            continue;
        }
        if (res->undecided) /* a rule could not decide: the file failed closed */
            json_array_append_new(errors, json_pack("{s:o,s:o}", "path", kfp_json_str(res->path),
                                                    "message", kfp_json_str(res->undecided_err.msg)));
        if (res->skipped) {
            json_t *sk = json_pack("{s:o,s:o}", "path", kfp_json_str(res->path), "reason",
                                   kfp_json_str(res->skip_reason ? res->skip_reason
                                                                 : "not a KFP document"));
            if (!sk || json_array_append_new(skipped, sk))
                goto done;
            continue;
        }
        checked++;
        char (*fps)[24] = kfp_malloc((res->n_findings ? res->n_findings : 1) * sizeof(*fps));
        if (!fps)
            goto done;
        kfp_fingerprints(res, fps);
        bool any = false;
        for (size_t i = 0; i < res->n_findings; i++) {
            const struct kfp_finding *f = res->findings[i];
            if (f->severity < o->min_severity)
                continue;
            json_t *j = finding_json(res, f, fps[i]);
            if (!j || json_array_append_new(findings, j)) {
                kfp_free(fps);
                goto done;
            }
            counts[f->severity]++;
            any = true;
        }
        kfp_free(fps);
        with += any;
    }
    json_t *doc = json_pack(
        "{s:{s:s,s:s},s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I}}", "tool", "name", "kfplint",
        "version", KFPLINT_VERSION, "findings", findings, "errors", errors, "skipped", skipped,
        "summary", "files_checked", (json_int_t)checked, "files_with_findings", (json_int_t)with,
        "files_skipped", (json_int_t)json_array_size(skipped), "errors",
        (json_int_t)counts[KFP_SEV_ERROR], "warnings", (json_int_t)counts[KFP_SEV_WARNING],
        "notes", (json_int_t)counts[KFP_SEV_NOTE]);
    findings = errors = skipped = NULL; /* owned by doc now ("o") */
    if (!doc)
        goto done;
    /* ASCII only: no raw control character (C1 included) from a name or message reaches a terminal */
    rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) == 0 &&
                 fputc('\n', out) != EOF
             ? KFP_OK
             : KFP_ERR;
    json_decref(doc);
done:
    json_decref(findings);
    json_decref(errors);
    json_decref(skipped);
    return rc == KFP_OK && !ferror(out) ? KFP_OK : KFP_ERR;
}
