/* image_digest.c — image-digest: an image pinned by tag but not by digest (off by default). */
#include "kfplint/image.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an image that has a tag but no `@sha256:` digest. Off by default: enable it with "
    "`--select image-digest` where a team requires digests.\n\n"
    "## Why is this bad?\n"
    "A tag can be pushed again; only a digest names exactly one image.\n\n"
    "## Example\n"
    "```yaml\n"
    "image: python:3.11      # python:3.11@sha256:…\n"
    "```\n\n"
    "## Fix safety\n"
    "Safe, when `.kfplint.yaml` pins the image (`rules: {image-digest: {pins: {IMAGE: PINNED}}}`): "
    "the image becomes the configured reference. Otherwise no fix: the digest must come from the registry.\n";

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    struct kfp_image im;
    const struct kfp_node *img = kfp_image_of(ctx, c, &im);
    if (!img)
        return;
    const char *s = img->u.str;
    struct kfp_finding *f = NULL;
    if (im.valid && !im.placeholder && im.tag && !im.has_digest &&
        !(im.tag_len == 6 && !memcmp(im.tag, "latest", 6)))
        f = kfp_report_at(ctx, img, "image '%s' is pinned by tag, not by digest: add @sha256:…", s);
    kfp_image_pin_fix(ctx, f, img);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_image_digest = {
    .id = "image-digest",
    .summary = "an image pinned by tag but not by digest",
    .severity = KFP_SEV_NOTE,
    .off_by_default = true,
    .tags = "reproducibility,image",
    .doc = doc,
    .check = check,
};
