#!/usr/bin/env bash
# Runs every test: the suite under AddressSanitizer + UndefinedBehaviorSanitizer, a minute and a
# half of libFuzzer (the whole pipeline, then the fast YAML path against libyaml), then the
# ordinary build, including valgrind memcheck (its ctest summary is the
# last line). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKFPLINT_SANITIZE=ON -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-asan -j "$jobs"
LSAN_OPTIONS=exitcode=23 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

# short libFuzzer runs: load → model → rules → reporters → fix, and the loader alone (fuzz/README.md)
tests/run-fuzz.sh "${KFPLINT_FUZZ_SECONDS:-60}"

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
