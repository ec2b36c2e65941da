/* testutil.c — in-process linting and rendering for the tests. */
#include "testutil.h"
#include "kfplint/alloc.h"
#include "kfplint/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum kfp_severity sev_table[64];

static const struct kfp_lint_opts *opts_for(const char *only)
{
    for (size_t i = 0; i < kfp_n_rules; i++) {
        const struct kfp_rule *r = kfp_rules[i];
        if (!only)
            sev_table[i] = r->off_by_default ? KFP_SEV_OFF : r->severity;
        else {
            char buf[512];
            snprintf(buf, sizeof(buf), ",%s,", only);
            char id[80];
            snprintf(id, sizeof(id), ",%s,", r->id);
            sev_table[i] = strstr(buf, id) ? r->severity : KFP_SEV_OFF;
        }
    }
    static struct kfp_lint_opts o;
    o.severity = sev_table;
    o.max_file_size = 256u << 20;
    o.inline_suppressions = true;
    return &o;
}

void tu_lint_text(struct kfp_result *res, const char *name, const char *text, const char *only)
{
    size_t len = strlen(text);
    char *data = kfp_malloc(len + 1);
    assert_non_null(data);
    memcpy(data, text, len + 1);
    assert_int_equal(kfp_lint_buffer(opts_for(only), name, data, len, true, res), KFP_OK);
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = kfp_malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        kfp_free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return buf;
}

static struct kfp_config *configs[256];
static size_t n_configs;

static void free_configs(void)
{
    for (size_t i = 0; i < n_configs; i++)
        kfp_config_free(configs[i]);
    n_configs = 0;
}

static void keep_config(struct kfp_config *c)
{
    if (!c)
        return;
    if (n_configs == 0)
        atexit(free_configs);
    if (n_configs == sizeof(configs) / sizeof(configs[0]))
        free_configs(); /* results of long ago no longer need theirs */
    configs[n_configs++] = c;
}

const struct kfp_lint_opts *tu_opts(const char *path, const char *only)
{
    /* a .kfplint.yaml beside the file (fixture directories only) configures the run */
    char cfg_path[1100];
    snprintf(cfg_path, sizeof(cfg_path), "%s", path);
    char *slash = strrchr(cfg_path, '/');
    snprintf(slash ? slash + 1 : cfg_path, sizeof(cfg_path) - (size_t)(slash ? slash + 1 - cfg_path : 0),
             ".kfplint.yaml");
    static struct kfp_lint_opts o;
    o = *opts_for(only);
    FILE *f = fopen(cfg_path, "r");
    if (f) {
        fclose(f);
        struct kfp_error err;
        struct kfp_config *cfg = kfp_config_load(cfg_path, NULL, &err);
        if (!cfg)
            fail_msg("%s", err.msg);
        /* the config's severities for the chosen rules; for a run of every rule (ok fixtures)
         * all of them, so a config can turn on an off-by-default rule */
        for (size_t i = 0; i < kfp_n_rules; i++)
            if (o.severity[i] != KFP_SEV_OFF || !only)
                sev_table[i] = cfg->severity[i];
        o.config = cfg;
        keep_config(cfg); /* findings of custom rules point into it: freed at exit */
    }
    return &o;
}

int tu_lint_file(struct kfp_result *res, const char *path, const char *display, const char *only)
{
    size_t len;
    char *data = tu_read(path, &len);
    if (!data)
        return -1;
    assert_int_equal(kfp_lint_buffer(tu_opts(path, only), display, data, len, true, res), KFP_OK);
    return 0;
}

char *tu_render(const struct kfp_result *res)
{
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < res->n_findings; i++) {
        const struct kfp_finding *f = res->findings[i];
        size_t line, col;
        kfp_source_pos(&res->doc.src, f->span.start, &line, &col);
        char buf[2048];
        int w = snprintf(buf, sizeof(buf), "%s:%zu:%zu: %s: %s [%s]\n", res->path, line, col,
                         kfp_severity_name(f->severity), f->msg, f->rule->id);
        if (n + (size_t)w + 1 > cap) {
            cap = (n + (size_t)w + 1) * 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        memcpy(out + n, buf, (size_t)w + 1);
        n += (size_t)w;
    }
    return out;
}
