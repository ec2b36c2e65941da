/* fuzz_lsp.c — libFuzzer target over the language server (kfp_lsp_serve): the input is either a
 * raw byte stream for the framing layer (first byte odd) or, after an initialize, a list of
 * message bodies separated by "\n\n" that are framed with their true Content-Length, so most
 * runs reach the JSON-RPC dispatch, the documents, linting, code actions and hover. Any crash,
 * hang, sanitizer report or leak is a bug.
 *
 * Build and run: see fuzz/README.md (tests/run-fuzz.sh runs it in CI). */
#include "kfplint/lsp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char init[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"capabilities\":"
                           "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}}}";

static void frame(FILE *f, const char *body, size_t n)
{
    fprintf(f, "Content-Length: %zu\r\n\r\n", n);
    fwrite(body, 1, n, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    char *stream = NULL;
    size_t len = 0;
    FILE *w = open_memstream(&stream, &len);
    if (!w)
        return 0;
    if (size && (data[0] & 1)) {
        fwrite(data + 1, 1, size - 1, w);
    } else {
        if (size < 2 || data[1] != '!') /* "!" as second byte: no initialize first */
            frame(w, init, sizeof(init) - 1);
        const char *p = (const char *)data + (size ? 1 : 0), *end = (const char *)data + size;
        while (p < end) {
            const char *sep = memmem(p, (size_t)(end - p), "\n\n", 2);
            const char *stop = sep ? sep : end;
            frame(w, p, (size_t)(stop - p));
            p = sep ? sep + 2 : end;
        }
    }
    if (fclose(w) != 0) {
        free(stream);
        return 0;
    }
    FILE *in = fmemopen(stream, len ? len : 1, "r");
    FILE *out = fopen("/dev/null", "w");
    if (in && out)
        kfp_lsp_serve(in, out);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    free(stream);
    return 0;
}
