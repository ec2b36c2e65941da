/* baseline.c — baseline files: JSON `{"kfplint_baseline": 1, "findings": [{rule, path,
 * fingerprint}]}`, matched through a hash set (kfp_baseline_*). The fingerprint is the
 * location-independent one of kfp_fingerprints, so edits elsewhere in a file do not bring old
 * findings back. */
#include "kfplint/baseline.h"
#include "kfplint/alloc.h"
#include "kfplint/report.h"
#include "kfplint/strmap.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct kfp_baseline {
    struct kfp_arena arena;
    struct kfp_strmap keys; /* "rule\x1fpath\x1ffingerprint" */
};

static char *key_of(struct kfp_arena *a, const char *rule, const char *path, const char *fp)
{
    return kfp_arena_printf(a, "%s\x1f%s\x1f%s", rule, path, fp);
}

struct kfp_baseline *kfp_baseline_load(const char *path, struct kfp_error *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) {
        kfp_error_set(err, "%s:%d:%d: baseline error: %s", path, je.line, je.column, je.text);
        return NULL;
    }
    json_t *list = json_object_get(doc, "findings");
    if (json_integer_value(json_object_get(doc, "kfplint_baseline")) != 1 || !json_is_array(list)) {
        kfp_error_set(err, "%s: baseline error: not a kfplint baseline (write one with "
                           "--write-baseline)", path);
        json_decref(doc);
        return NULL;
    }
    struct kfp_baseline *b = kfp_malloc(sizeof(*b));
    if (!b) {
        json_decref(doc);
        kfp_error_set(err, "out of memory");
        return NULL;
    }
    kfp_arena_init(&b->arena);
    memset(&b->keys, 0, sizeof(b->keys));
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *rule = json_string_value(json_object_get(e, "rule"));
        const char *p = json_string_value(json_object_get(e, "path"));
        const char *fp = json_string_value(json_object_get(e, "fingerprint"));
        if (!rule || !p || !fp) {
            kfp_error_set(err, "%s: baseline error: entry %zu lacks rule, path or fingerprint", path, i + 1);
            goto fail;
        }
        char *k = key_of(&b->arena, rule, p, fp);
        if (!k || kfp_strmap_put(&b->arena, &b->keys, k, k, NULL)) {
            kfp_error_set(err, "out of memory");
            goto fail;
        }
    }
    json_decref(doc);
    return b;
fail:
    json_decref(doc);
    kfp_baseline_free(b);
    return NULL;
}

size_t kfp_baseline_filter(const struct kfp_baseline *b, struct kfp_result *const *results, size_t n)
{
    size_t removed = 0;
    for (size_t r = 0; r < n; r++) {
        struct kfp_result *res = results[r];
        if (!res->n_findings)
            continue;
        char (*fps)[24] = kfp_malloc(res->n_findings * sizeof(*fps));
        if (!fps)
            return (size_t)-1;
        kfp_fingerprints(res, fps);
        size_t out = 0;
        for (size_t i = 0; i < res->n_findings; i++) {
            char k[1200];
            snprintf(k, sizeof(k), "%s\x1f%s\x1f%s", res->findings[i]->rule->id, res->path, fps[i]);
            if (kfp_strmap_get(&b->keys, k))
                removed++;
            else
                res->findings[out++] = res->findings[i];
        }
        res->n_findings = out;
        kfp_free(fps);
    }
    return removed;
}

int kfp_baseline_write(const char *path, struct kfp_result *const *results, size_t n,
                       struct kfp_error *err)
{
    json_t *list = json_array();
    int rc = KFP_ERR;
    for (size_t r = 0; list && r < n; r++) {
        const struct kfp_result *res = results[r];
        if (!res->n_findings)
            continue;
        char (*fps)[24] = kfp_malloc(res->n_findings * sizeof(*fps));
        if (!fps)
            goto done;
        kfp_fingerprints(res, fps);
        for (size_t i = 0; i < res->n_findings; i++)
            json_array_append_new(list, json_pack("{s:s,s:o,s:s}", "rule", res->findings[i]->rule->id,
                                                  "path", kfp_json_str(res->path), "fingerprint", fps[i]));
        kfp_free(fps);
    }
    json_t *doc = json_pack("{s:i,s:o}", "kfplint_baseline", 1, "findings", list);
    list = NULL;
    if (doc && json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) == 0)
        rc = KFP_OK;
    json_decref(doc);
done:
    json_decref(list);
    if (rc != KFP_OK)
        kfp_error_set(err, "cannot write the baseline '%s'", path);
    return rc;
}

void kfp_baseline_free(struct kfp_baseline *b)
{
    if (!b)
        return;
    kfp_arena_free(&b->arena);
    kfp_free(b);
}
