#!/usr/bin/env bash
# The fast YAML path on PyYAML's output: every JSON file of the fixtures and the corpus, written
# back as YAML by PyYAML in several styles (tests/yaml_styles.py), must load to the same tree as
# with libyaml, and every block-style file must take the fast path.
# Usage: test_yaml_styles.sh TEST_LOAD_BINARY SOURCE_ROOT
set -euo pipefail
bin=$1 root=$2
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "SKIPPED LOUDLY: python3-yaml (PyYAML) is not installed"
  exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dirs=("$root/fixtures") # the real corpus is fixtures/corpus
python3 "$root/tests/yaml_styles.py" "$out" "${dirs[@]}"
KFPLINT_YAML_DIR=$out "$bin" test_fast_path_files
