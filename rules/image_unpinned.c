/* image_unpinned.c — image-unpinned: an image with tag `latest` or no tag and no digest. */
#include "kfplint/image.h"
#include "kfplint/rule.h"

#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an image with the tag `latest`, or with neither a tag nor a digest (which means "
    "`latest`). KFP's marker images `argostub/createpvc` and `argostub/deletepvc` are exempt.\n\n"
    "## Why is this bad?\n"
    "The run is not reproducible: the same pipeline silently runs different code when the tag "
    "moves, and cached results no longer match what the image does.\n\n"
    "## Example\n"
    "```yaml\n"
    "image: my-docker-image          # use my-docker-image:1.4.2 or a digest\n"
    "```\n\n"
    "## Fix safety\n"
    "Safe, when `.kfplint.yaml` pins the image (`rules: {image-unpinned: {pins: {IMAGE: PINNED}}}`): "
    "the image becomes the configured reference. Otherwise no fix: the version is the author's choice.\n";

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    struct kfp_image im;
    const struct kfp_node *img = kfp_image_of(ctx, c, &im);
    if (!img)
        return;
    const char *s = img->u.str;
    struct kfp_finding *f = NULL;
    if (!im.valid || im.placeholder || im.has_digest)
        return;
    if (!strncmp(s, "argostub/createpvc", 18) || !strncmp(s, "argostub/deletepvc", 18))
        return;
    if (!im.tag)
        f = kfp_report_at(ctx, img, "image '%s' has no tag or digest, so it means ':latest': pin a "
                                "version (%s:1.2.3) or a digest (@sha256:…)", s, s);
    else if (im.tag_len == 6 && !memcmp(im.tag, "latest", 6))
        f = kfp_report_at(ctx, img, "image '%s' uses the moving tag 'latest': pin a version or a "
                                "digest (@sha256:…)", s);
    kfp_image_pin_fix(ctx, f, img);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_image_unpinned = {
    .id = "image-unpinned",
    .summary = "an image with tag 'latest' or no tag and no digest",
    .severity = KFP_SEV_WARNING,
    .tags = "reproducibility,image",
    .doc = doc,
    .check = check,
};
