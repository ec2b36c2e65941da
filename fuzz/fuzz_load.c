/* fuzz_load.c — libFuzzer target for the loader alone: a differential test of the block-YAML
 * fast path and the JSON parser against libyaml (tests/tree_cmp.h). Whenever the fast path
 * accepts an input, libyaml must accept it and build the same tree — kinds, styles, values and
 * spans; whenever both accept JSON, the trees must be the same. Much faster per input than
 * fuzz_kfplint, so it explores the parsers deeper. */
#include "../tests/tree_cmp.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= (1u << 20))
        kfp_compare_parsers((const char *)data, size);
    return 0;
}
