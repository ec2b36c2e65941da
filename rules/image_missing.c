/* image_missing.c — image-missing: a container with no image or an invalid image reference. */
#include "kfplint/image.h"
#include "kfplint/rule.h"

#include <ctype.h>

static const char doc[] =
    "## What it does\n"
    "Reports a container (executor, init container, v1 component) with no `image`, an empty or "
    "blank one, or one that is not a valid image reference (`[registry[:port]/]path[:tag]"
    "[@digest]`, lower-case path). A placeholder image such as "
    "`{{$.inputs.parameters['img']}}` is resolved at run time and allowed. The message names "
    "the field to set: `container.image`, an Argo script template's `script.image`, or the "
    "`image` of an init container, sidecar or containerSet entry.\n\n"
    "## Why is this bad?\n"
    "The pod cannot start: Kubernetes reports \"invalid reference format\" or the run hangs in "
    "Pending pulling an image that does not exist (kubeflow/pipelines#12973).\n\n"
    "## Example\n"
    "```yaml\n"
    "container:\n"
    "  image: ''          # or: image: My_Image:v1\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix: the right image is the author's choice.\n";

static void check_container(struct kfp_ctx *ctx, const struct kfp_container *c)
{
    if (!c || !c->node)
        return;
    const struct kfp_node *img = kfp_deref(c->image);
    if (!img) {
        kfp_report_at(ctx, c->node, "%s has no image: set %s", c->what,
                      c->image_field ? c->image_field : "container.image");
        return;
    }
    const char *s = kfp_scalar(img);
    if (!s) {
        kfp_report_at(ctx, img, "the image of %s is not a string", c->what);
        return;
    }
    bool blank = true;
    for (const char *p = s; *p; p++)
        blank &= isspace((unsigned char)*p) != 0;
    if (blank || kfp_scalar_type(img) == KFP_SCALAR_NULL) {
        kfp_report_at(ctx, img, "the image of %s is empty: the pod cannot start", c->what);
        return;
    }
    struct kfp_image im;
    if (!kfp_image_parse(s, img->len, &im)) {
        ctx->oom = 1;
        return;
    }
    if (!im.valid)
        kfp_report_at(ctx, img,
                      "'%s' is not a valid image reference (expected [registry/]path[:tag][@digest] "
                      "with a lower-case path): the pod fails with \"invalid reference format\"",
                      s);
}

static void check(struct kfp_ctx *ctx)
{
    kfp_each_container(ctx, check_container);
}

const struct kfp_rule kfp_rule_image_missing = {
    .id = "image-missing",
    .summary = "a container has no image or an invalid image reference",
    .severity = KFP_SEV_ERROR,
    .tags = "correctness,image",
    .doc = doc,
    .check = check,
};
