#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs fuzz_kfplint (the whole
# pipeline) for SECONDS (default 60), then fuzz_load (the fast YAML path and the JSON parser against libyaml) for
# half as long, seeded from fixtures/ and fixtures/corpus/, then fuzz_kfplint for half as long
# on inputs up to 1 MiB seeded with generated large pipelines (tests/gen_scale.py, bench/gen.py),
# then fuzz_lsp (the language server, seeded from fuzz/lsp-seeds/) for a quarter as long, then
# fuzz_expr (the expr-lang parser, seeded from fuzz/expr-seeds/) for a sixth as long. Prints
# the number of executions;
# exits non-zero if a fuzzer found a crash, a leak, a difference or a timeout.
# Usage: tests/run-fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
if ! command -v clang >/dev/null 2>&1; then echo "SKIPPED LOUDLY: clang is not installed"; exit 0; fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DKFPLINT_FUZZ=ON -DKFPLINT_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target fuzz_kfplint fuzz_load fuzz_lsp fuzz_expr -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
seeds=$(mktemp -d); trap 'rm -rf "$seeds"' EXIT
find fixtures -type f \( -name '*.yaml' -o -name '*.json' \) -size -64k -exec cp {} "$seeds/" \; 2>/dev/null || true
i=0
if [ -d fixtures/corpus ]; then
  find fixtures/corpus -type f -size -64k | while read -r f; do i=$((i+1)); cp "$f" "$seeds/c$i-$(basename "$f")"; done
fi
mkdir -p build-fuzz/artifacts

# large seeds (issue #14): generated pipelines of 100 KB to 1 MB that reach the scale paths (long
# cycles, component chains, thousands of misspelled names on one JSON line, big valid pipelines)
large=$(mktemp -d); trap 'rm -rf "$seeds" "$large"' EXIT
for k in task-cycle-yaml:4000 task-cycle-json:4000 comp-chain:3000 comp-cycle:3000 misspelled-json:300 custom-command:2000; do
  python3 tests/gen_scale.py "${k%:*}" "${k#*:}" "$large/${k%:*}-${k#*:}"
done
python3 bench/gen.py 300 yaml "$large/bench-300.yaml" 2>/dev/null || true
python3 bench/gen.py 300 json "$large/bench-300.json" 2>/dev/null || true

# run TARGET SECONDS DICT [MAX_LEN SEEDS NAME]: one fuzzer with its own corpus directory
run() {
  local target=$1 t=$2 dict=$3 max_len=${4:-65536} seed_dir=${5:-$seeds} name=${6:-$1}
  local corpus=build-fuzz/corpus-$name log=build-fuzz/$name.log rc execs
  mkdir -p "$corpus"
  set +e
  ./build-fuzz/"$target" -max_total_time="$t" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -dict="$dict" -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 \
    "$corpus" "$seed_dir" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz: $name: ${execs:-0} executions in ${t}s, exit $rc; corpus $(ls "$corpus" | wc -l) inputs"
  if [ $rc -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|==[0-9]+==|differ' "$log" | head -20
    ls build-fuzz/artifacts
    exit 1
  fi
}
run fuzz_kfplint "$secs" fuzz/kfp.dict
run fuzz_load $(( (secs + 1) / 2 )) fuzz/yaml.dict
# the whole pipeline on inputs up to 1 MiB (fuzz_kfplint's limit): blow-ups show as a timeout
# (10 s per input) or an RSS over 2 GB
run fuzz_kfplint $(( (secs + 1) / 2 )) fuzz/kfp.dict 1048576 "$large" fuzz_kfplint-large
run fuzz_lsp $(( (secs + 3) / 4 )) fuzz/kfp.dict 65536 fuzz/lsp-seeds # the language server (kfplint lsp)
run fuzz_expr $(( (secs + 5) / 6 )) fuzz/expr.dict 4096 fuzz/expr-seeds # the expr-lang parser alone
