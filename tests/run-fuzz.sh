#!/usr/bin/env bash
# Builds the libFuzzer target with clang (ASan + UBSan) and runs it for SECONDS (default 60),
# seeded from fixtures/ and ../shared/corpus/. Prints the number of executions; exits non-zero
# if the fuzzer found a crash, a leak or a timeout. Usage: tests/run-fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
if ! command -v clang >/dev/null 2>&1; then echo "SKIPPED LOUDLY: clang is not installed"; exit 0; fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DKFPLINT_FUZZ=ON -DKFPLINT_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target fuzz_kfplint -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
corpus=build-fuzz/corpus
mkdir -p "$corpus"
seeds=$(mktemp -d); trap 'rm -rf "$seeds"' EXIT
find fixtures -type f \( -name '*.yaml' -o -name '*.json' \) -size -64k -exec cp {} "$seeds/" \; 2>/dev/null || true
i=0
if [ -d ../shared/corpus ]; then
  find ../shared/corpus -type f -size -64k | while read -r f; do i=$((i+1)); cp "$f" "$seeds/c$i-$(basename "$f")"; done
fi
mkdir -p build-fuzz/artifacts
log=build-fuzz/fuzz.log
set +e
./build-fuzz/fuzz_kfplint -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -dict=fuzz/kfp.dict -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 \
  "$corpus" "$seeds" > "$log" 2>&1
rc=$?
set -e
execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
echo "fuzz: ${execs:-0} executions in ${secs}s, exit $rc; corpus $(ls "$corpus" | wc -l) inputs"
if [ $rc -ne 0 ]; then
  grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20
  ls build-fuzz/artifacts
  exit 1
fi
