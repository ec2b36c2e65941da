/* image.h — container image references (kfp_image_parse): the distribution reference grammar
 * matched with pcre2 (compiled once per process, read-only afterwards). */
#ifndef KFPLINT_IMAGE_H
#define KFPLINT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

struct kfp_image {
    bool valid;        /* matches the reference grammar */
    bool placeholder;  /* contains a {{…}} placeholder: resolved at run time */
    size_t name_len;   /* bytes of the repository part (domain and path) */
    const char *tag;   /* points into the input, NULL when absent */
    size_t tag_len;
    bool has_digest;   /* @sha256:… */
};

/* Parses the image reference s[0..len). Never allocates on the caller's behalf; returns
 * false only when the pattern could not be compiled or matched (out of memory). */
bool kfp_image_parse(const char *s, size_t len, struct kfp_image *out);

struct kfp_container;
struct kfp_ctx;
struct kfp_finding;
struct kfp_node;

/* The container's image scalar parsed into *im: returns the image node, or NULL when the
 * container has no non-empty string image (or on allocation failure, which sets ctx->oom). */
const struct kfp_node *kfp_image_of(struct kfp_ctx *ctx, const struct kfp_container *c,
                                    struct kfp_image *im);

/* Attaches the configured pin for this image (config image pins: exact image → pinned
 * reference) to f as a safe fix, when there is one. */
void kfp_image_pin_fix(struct kfp_ctx *ctx, struct kfp_finding *f, const struct kfp_node *img);

#endif
