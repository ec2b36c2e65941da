/* target.c — which KFP SDK a file targets (kfp_sdk_name, kfp_model_file_sdk, kfp_target_sdk):
 * the config's `target: {kfp-sdk: …}` when set, else what the file says of itself. */
#include "kfplint/config.h"
#include "kfplint/rule.h"

#include <string.h>

const char *kfp_sdk_name(enum kfp_sdk s)
{
    switch (s) {
    case KFP_SDK_V1: return "v1";
    case KFP_SDK_V2: return "v2";
    default: return "unknown";
    }
}

/* "kfp-1.8.9" / "1.8.9" → v1, "kfp-2.0.0-beta.16" → v2; anything else: unknown. */
static enum kfp_sdk parse_version(const char *v)
{
    if (!v)
        return KFP_SDK_UNKNOWN;
    if (!strncmp(v, "kfp-", 4))
        v += 4;
    if (v[0] == '1' && v[1] == '.')
        return KFP_SDK_V1;
    if (v[0] == '2' && v[1] == '.')
        return KFP_SDK_V2;
    return KFP_SDK_UNKNOWN;
}

enum kfp_sdk kfp_model_file_sdk(const struct kfp_model *m)
{
    if (!m)
        return KFP_SDK_UNKNOWN;
    if (m->spec) {
        enum kfp_sdk s = parse_version(kfp_scalar(kfp_map_get(m->spec, "sdkVersion", NULL)));
        if (s != KFP_SDK_UNKNOWN)
            return s;
    }
    const struct kfp_node *ann =
        kfp_map_get(kfp_map_get(m->top, "metadata", NULL), "annotations", NULL);
    if (!ann)
        return KFP_SDK_UNKNOWN;
    enum kfp_sdk s =
        parse_version(kfp_scalar(kfp_map_get(ann, "pipelines.kubeflow.org/kfp_sdk_version", NULL)));
    if (s != KFP_SDK_UNKNOWN)
        return s;
    const char *v2 = kfp_scalar(kfp_map_get(ann, "pipelines.kubeflow.org/component_v2", NULL));
    if (v2 && (!strcmp(v2, "true") || !strcmp(v2, "True")))
        return KFP_SDK_V2;
    return KFP_SDK_UNKNOWN;
}

enum kfp_sdk kfp_target_sdk(const struct kfp_ctx *ctx)
{
    const struct kfp_config *c = ctx->opts ? ctx->opts->config : NULL;
    if (c && c->target_sdk != KFP_SDK_UNKNOWN)
        return c->target_sdk;
    return kfp_model_file_sdk(ctx->m);
}
