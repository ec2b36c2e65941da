/* image_registry.c — image-registry: an image from a registry outside the configured list. */
#include "kfplint/config.h"
#include "kfplint/image.h"
#include "kfplint/rule.h"

#include <stdio.h>
#include <string.h>

static const char doc[] =
    "## What it does\n"
    "Reports an image whose registry (or repository prefix) is not in the list the config "
    "allows. It runs only when `.kfplint.yaml` gives the list:\n\n"
    "```yaml\n"
    "rules:\n"
    "  image-registry:\n"
    "    allowed: [gcr.io/ml-team, us-docker.pkg.dev/my-project, docker.io/library]\n"
    "```\n\n"
    "An entry matches the image's full name or any leading part of it at a `/` boundary. Images "
    "without a registry are Docker Hub images: `python:3.11` is `docker.io/library/python`.\n\n"
    "## Why is this bad?\n"
    "Teams pin where code may come from: a public image bypasses the scanning and mirroring of "
    "the approved registries, and may not be pullable from the cluster.\n\n"
    "## Example\n"
    "```yaml\n"
    "image: docker.io/someone/tool:1.0     # not in the allowed list\n"
    "```\n\n"
    "## Fix safety\n"
    "No fix.\n";

/* The image name with Docker Hub's implied parts: "python" → "docker.io/library/python". */
static void full_name(const char *s, size_t n, char *out, size_t cap)
{
    const char *slash = memchr(s, '/', n);
    bool has_domain = slash && (memchr(s, '.', (size_t)(slash - s)) || memchr(s, ':', (size_t)(slash - s)) ||
                                ((size_t)(slash - s) == 9 && !memcmp(s, "localhost", 9)));
    if (has_domain)
        snprintf(out, cap, "%.*s", (int)n, s);
    else if (slash)
        snprintf(out, cap, "docker.io/%.*s", (int)n, s);
    else
        snprintf(out, cap, "docker.io/library/%.*s", (int)n, s);
}

static bool allowed(const char *const *list, const char *name)
{
    for (size_t i = 0; list[i]; i++) {
        size_t l = strlen(list[i]);
        while (l && list[i][l - 1] == '/')
            l--;
        if (!strncmp(name, list[i], l) && (name[l] == '\0' || name[l] == '/'))
            return true;
    }
    return false;
}

static void check(struct kfp_ctx *ctx)
{
    const struct kfp_config *cfg = ctx->opts->config;
    if (!ctx->m || !cfg || !cfg->registries)
        return;
    for (size_t i = 0; i < ctx->m->n_containers; i++) {
        struct kfp_image im;
        const struct kfp_node *img = kfp_image_of(ctx, ctx->m->containers[i], &im);
        if (!img || !im.valid || im.placeholder)
            continue;
        char name[1024];
        full_name(img->u.str, im.name_len, name, sizeof(name));
        if (!allowed(cfg->registries, name))
            kfp_report_at(ctx, img,
                          "image '%s' (%s) is not from an allowed registry: use one of the "
                          "registries listed under image-registry.allowed in .kfplint.yaml",
                          img->u.str, name);
    }
}

const struct kfp_rule kfp_rule_image_registry = {
    .id = "image-registry",
    .summary = "an image from a registry the config does not allow",
    .severity = KFP_SEV_ERROR,
    .tags = "security,image",
    .doc = doc,
    .check = check,
};
