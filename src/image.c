/* image.c — image reference parsing (kfp_image_parse, kfp_image_of) on the built-in
 * KFP_RE_IMAGE pattern. */
#include "kfplint/image.h"
#include "kfplint/config.h"
#include "kfplint/regex.h"
#include "kfplint/rule.h"

#include <string.h>

bool kfp_image_parse(const char *s, size_t len, struct kfp_image *out)
{
    memset(out, 0, sizeof(*out));
    if (memmem(s, len, "{{", 2)) {
        out->placeholder = true;
        out->valid = true;
        return true;
    }
    long ov[6];
    int rc = kfp_re_match(KFP_RE_IMAGE, s, len, ov, 3);
    if (rc < 0)
        return false;
    if (rc > 0) {
        out->valid = true;
        out->name_len = len;
        if (ov[2] >= 0) {
            out->tag = s + ov[2];
            out->tag_len = (size_t)(ov[3] - ov[2]);
            out->name_len = (size_t)ov[2] - 1;
        }
        if (ov[4] >= 0) {
            out->has_digest = true;
            if (!out->tag)
                out->name_len = (size_t)ov[4] - 1;
        }
    }
    return true;
}

const struct kfp_node *kfp_image_of(struct kfp_ctx *ctx, const struct kfp_container *c,
                                    struct kfp_image *im)
{
    const struct kfp_node *img = c ? kfp_deref(c->image) : NULL;
    const char *s = kfp_scalar(img);
    if (!s || !*s)
        return NULL;
    if (!kfp_image_parse(s, img->len, im)) {
        ctx->oom = 1;
        return NULL;
    }
    return img;
}

void kfp_image_pin_fix(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *img)
{
    const struct kfp_config *cfg = ctx->opts->config;
    for (size_t i = 0; f && cfg && i < cfg->n_image_pins; i++)
        if (!strcmp(cfg->image_pins[i].name, img->u.str)) {
            kfp_fix_rename(ctx, f, img, cfg->image_pins[i].value, 1,
                           "use the pinned image from the config");
            return;
        }
}
