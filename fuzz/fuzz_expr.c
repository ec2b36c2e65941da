/* fuzz_expr.c — libFuzzer target for the expr-lang syntax checker (src/expr.c) alone: any bytes
 * parse to a verdict without a crash, a read past the text or a stack overflow; an error lies
 * inside the text and has a message; every path segment and call the hooks report lies inside
 * the text. Seeds: fuzz/expr-seeds/, dictionary fuzz/expr.dict. */
#include "kfplint/expr.h"
#include "kfplint/common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t text_len;

static void on_path(void *ud, const struct kfp_expr_seg *segs, size_t n)
{
    (void)ud;
    if (n == 0 || n > KFP_EXPR_MAX_SEGS)
        abort();
    for (size_t i = 0; i < n; i++)
        if ((size_t)segs[i].off + segs[i].len > text_len)
            abort();
}

static void on_call(void *ud, uint32_t off, uint32_t len)
{
    (void)ud;
    if (len == 0 || (size_t)off + len > text_len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly `size` bytes: ASan catches a read past the end */
    char *s = malloc(size ? size : 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    text_len = size;
    struct kfp_expr_hooks h = {on_path, on_call};
    struct kfp_expr_error e;
    memset(&e, 0, sizeof(e));
    int rc = kfp_expr_parse(s, size, &h, NULL, &e);
    if (rc == KFP_ERR && ((size_t)e.off + e.len > size || !e.msg[0]))
        abort();
    if (rc != KFP_OK && rc != KFP_ERR)
        abort();
    free(s);
    return 0;
}
