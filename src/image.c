/* image.c — image reference parsing with pcre2 (kfp_image_parse).
 *
 * The pattern is compiled once (pthread_once) into an immutable code object shared by all
 * threads; each call uses its own match data.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "kfplint/image.h"
#include "kfplint/rule.h"

#include <pcre2.h>
#include <pthread.h>
#include <string.h>

/* github.com/distribution/reference grammar */
static const char pattern[] =
    "^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/)?"
    "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    "(?::([\\w][\\w.-]{0,127}))?"
    "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$";

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pcre2_code *code; /* written once under `once`, then only read */

static void compile(void)
{
    int errcode;
    PCRE2_SIZE erroff;
    code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &errcode, &erroff, NULL);
}

bool kfp_image_parse(const char *s, size_t len, struct kfp_image *out)
{
    memset(out, 0, sizeof(*out));
    if (memmem(s, len, "{{", 2)) {
        out->placeholder = true;
        out->valid = true;
        return true;
    }
    pthread_once(&once, compile);
    if (!code)
        return false;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (!md)
        return false;
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    if (rc > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        out->valid = true;
        out->name_len = len;
        if (rc > 1 && ov[2] != PCRE2_UNSET) {
            out->tag = s + ov[2];
            out->tag_len = ov[3] - ov[2];
            out->name_len = ov[2] - 1;
        }
        if (rc > 2 && ov[4] != PCRE2_UNSET) {
            out->has_digest = true;
            if (!out->tag)
                out->name_len = ov[4] - 1;
        }
    }
    pcre2_match_data_free(md);
    return rc > 0 || rc == PCRE2_ERROR_NOMATCH;
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
