/* fuzz_kfplint.c — libFuzzer target over the whole pipeline: load → model → every rule (those
 * off by default too) → every reporter and both pictures (kfplint graph) → --fix with unsafe fixes → --diff. Any crash, hang,
 * sanitizer report or leak is a bug; every crash found becomes a file in fixtures/fuzz/.
 * It is also a differential test of the loader: whenever the block-YAML fast path accepts an
 * input, libyaml must accept it too and build the very same tree.
 *
 * Build and run: see fuzz/README.md (tests/run-fuzz.sh runs it for a minute in CI). */
#include "kfplint/alloc.h"
#include "kfplint/draw.h"
#include "kfplint/fix.h"
#include "kfplint/report.h"
#include "../tests/tree_cmp.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    kfp_compare_parsers((const char *)data, size);
    enum kfp_severity sev[64];
    for (size_t i = 0; i < kfp_n_rules; i++)
        sev[i] = kfp_rules[i]->severity; /* everything on */
    struct kfp_lint_opts opts = {sev, 1u << 20, NULL, true, false, false};
    char *buf = kfp_malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    struct kfp_result res;
    if (kfp_lint_buffer(&opts, "fuzz.yaml", buf, size, true, &res) == KFP_OK) {
        struct kfp_result *list[1] = {&res};
        struct kfp_report_opts ro = {false, false, KFP_SEV_NOTE, NULL, 0};
        char *out = NULL;
        size_t out_len = 0;
        FILE *f = open_memstream(&out, &out_len);
        if (f) {
            kfp_report_text(f, list, 1, &ro);
            kfp_report_json(f, list, 1, &ro);
            kfp_report_sarif(f, list, 1, &ro);
            kfp_report_github(f, list, 1, &ro);
            if (res.load_status == KFP_LOAD_OK) { /* the picture of whatever model was built */
                kfp_draw(f, &res, KFP_DRAW_DOT, NULL);
                kfp_draw(f, &res, KFP_DRAW_MERMAID, NULL);
            }
            kfp_report_gitlab(f, list, 1, &ro);
            kfp_report_junit(f, list, 1, &ro);
            kfp_report_statistics(f, list, 1, &ro);
            fclose(f);
            free(out);
        }
        struct kfp_fix_outcome fo;
        kfp_fix_buffer(&opts, "fuzz.yaml", (const char *)data, size, true, &fo);
        if (fo.status == KFP_FIX_APPLIED) {
            char *d = NULL;
            size_t dl = 0;
            FILE *df = open_memstream(&d, &dl);
            if (df) {
                kfp_diff_unified(df, "fuzz.yaml", (const char *)data, size, fo.out, fo.out_len);
                fclose(df);
                free(d);
            }
        }
        kfp_free(fo.out);
    }
    kfp_result_free(&res);
    return 0;
}
