/* baseline.c — baseline files: JSON `{"kfplint_baseline": 2, "findings": [{rule, path,
 * fingerprint}]}`, matched through a hash set (kfp_baseline_*). The fingerprint is the
 * location-independent one of kfp_fingerprints, so edits elsewhere in a file do not bring old
 * findings back.
 *
 * Version 2 writes each path relative to the baseline file's own directory (and hashes that
 * path into the fingerprint), so `pipelines/`, `./pipelines`, an absolute path or a run from a
 * subfolder all name the same entries. Version 1 baselines (paths as spelled on the command line
 * when they were written) still load and match as before, by that exact spelling; writing the
 * baseline again turns it into version 2. */
#include "kfplint/baseline.h"
#include "kfplint/alloc.h"
#include "kfplint/report.h"
#include "kfplint/strmap.h"

#include "kfplint/path.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kfp_baseline {
    struct kfp_arena arena;
    struct kfp_strmap keys; /* "rule\x1fpath\x1ffingerprint" */
    int version;            /* 1: paths as spelled; 2: relative to dir */
    char dir[2 * PATH_MAX]; /* absolute directory of the baseline file */
};

/* The absolute, normalised directory that holds file `path`, into dir (2 * PATH_MAX bytes). */
static void dir_of(const char *path, char *dir)
{
    kfp_path_absolute(path, dir, 2 * PATH_MAX);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0'; /* "/x" -> "/" */
    else if (slash)
        *slash = '\0';
}

/* `path` relative to absolute, normalised directory `dir`, with "../" where it lies outside,
 * into out (2 * PATH_MAX bytes): the same text for every spelling of the same file. */
static void relative_to(const char *dir, const char *path, char *out)
{
    char abs[2 * PATH_MAX];
    kfp_path_absolute(path, abs, sizeof(abs));
    /* longest common prefix that ends at a segment boundary of both */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        bool dir_end = dir[i] == '\0' || dir[i] == '/';
        bool abs_end = abs[i] == '\0' || abs[i] == '/';
        if (dir_end && abs_end)
            common = i;
        if (dir[i] != abs[i] || !dir[i])
            break;
    }
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = dir + common; *p; p++) /* one "../" per segment of dir left over */
        if (*p == '/' && p[1] && o + 4 < 2 * PATH_MAX) {
            memcpy(out + o, "../", 4);
            o += 3;
        }
    const char *rest = abs + common;
    while (*rest == '/')
        rest++;
    snprintf(out + o, 2 * PATH_MAX - o, "%s", rest);
}

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
    json_int_t version = json_integer_value(json_object_get(doc, "kfplint_baseline"));
    if ((version != 1 && version != 2) || !json_is_array(list)) {
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
    b->version = (int)version;
    dir_of(path, b->dir);
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
        char rel[2 * PATH_MAX];
        const char *p = res->path;
        if (b->version >= 2) {
            relative_to(b->dir, res->path, rel);
            p = rel;
        }
        kfp_fingerprints_for(res, p, fps);
        size_t out = 0;
        for (size_t i = 0; i < res->n_findings; i++) {
            char k[2 * PATH_MAX + 200];
            snprintf(k, sizeof(k), "%s\x1f%s\x1f%s", res->findings[i]->rule->id, p, fps[i]);
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

/* Entries sorted by path, rule, fingerprint: the file does not depend on how the paths were
 * spelled or in which order the results came. */
static int by_entry(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    static const char *const keys[] = {"path", "rule", "fingerprint"};
    for (int i = 0; i < 3; i++) {
        int c = strcmp(json_string_value(json_object_get(x, keys[i])),
                       json_string_value(json_object_get(y, keys[i])));
        if (c)
            return c;
    }
    return 0;
}

int kfp_baseline_write(const char *path, struct kfp_result *const *results, size_t n,
                       struct kfp_error *err)
{
    json_t *list = json_array();
    int rc = KFP_ERR;
    char dir[2 * PATH_MAX], rel[2 * PATH_MAX];
    dir_of(path, dir);
    for (size_t r = 0; list && r < n; r++) {
        const struct kfp_result *res = results[r];
        if (!res->n_findings)
            continue;
        char (*fps)[24] = kfp_malloc(res->n_findings * sizeof(*fps));
        if (!fps)
            goto done;
        relative_to(dir, res->path, rel);
        kfp_fingerprints_for(res, rel, fps);
        for (size_t i = 0; i < res->n_findings; i++)
            json_array_append_new(list, json_pack("{s:s,s:o,s:s}", "rule", res->findings[i]->rule->id,
                                                  "path", kfp_json_str(rel), "fingerprint", fps[i]));
        kfp_free(fps);
    }
    size_t n_entries = list ? json_array_size(list) : 0;
    json_t **entries = kfp_malloc((n_entries ? n_entries : 1) * sizeof(*entries));
    if (!entries)
        goto done;
    for (size_t i = 0; i < n_entries; i++) {
        entries[i] = json_array_get(list, i);
        if (!json_string_value(json_object_get(entries[i], "path")) ||
            !json_string_value(json_object_get(entries[i], "rule")) ||
            !json_string_value(json_object_get(entries[i], "fingerprint"))) {
            kfp_free(entries); /* an entry whose allocation failed */
            goto done;
        }
        json_incref(entries[i]);
    }
    qsort(entries, n_entries, sizeof(*entries), by_entry);
    json_array_clear(list);
    for (size_t i = 0; i < n_entries; i++)
        json_array_append_new(list, entries[i]);
    kfp_free(entries);
    if (json_array_size(list) != n_entries)
        goto done;
    json_t *doc = json_pack("{s:i,s:s,s:o}", "kfplint_baseline", 2, "paths",
                            "relative to the directory of this file", "findings", list);
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
