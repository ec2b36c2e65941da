#!/usr/bin/env python3
"""Writes every JSON file of the fixtures and the corpus back out as YAML with PyYAML — the
emitter KFP's compiler uses — in several styles, for the fast-YAML-path test
(tests/test_yaml_styles.sh). Block styles (long lines wrapped at 40-80 columns, 2 and 4-space
indents, Unicode, several documents) are named *.block.yaml; forced quoting and block-scalar
styles, which PyYAML writes with tags and complex keys, *.styled.yaml.
Usage: yaml_styles.py OUTDIR SOURCE_DIR..."""
import glob
import json
import os
import sys

import yaml

STYLES = {
    "block": [
        dict(default_flow_style=False, sort_keys=True, width=80),
        dict(default_flow_style=False, sort_keys=False, width=40, allow_unicode=True),
        dict(default_flow_style=False, indent=4, width=60),
    ],
    "styled": [
        dict(default_flow_style=False, default_style='"', width=70),
        dict(default_flow_style=False, default_style="'", width=70),
        dict(default_flow_style=False, default_style="|", width=70),
        dict(default_flow_style=False, default_style=">", width=50),
    ],
}


def main():
    out, sources = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    n = 0
    for src in sources:
        for path in sorted(glob.glob(os.path.join(src, "**", "*.json"), recursive=True)):
            try:
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
            except (ValueError, UnicodeDecodeError):
                continue  # the invalid and hostile fixtures
            base = f"{n:04d}-" + os.path.basename(path)[:-5]
            n += 1
            for kind, variants in STYLES.items():
                for i, kw in enumerate(variants):
                    with open(os.path.join(out, f"{base}.{i}.{kind}.yaml"), "w", encoding="utf-8") as f:
                        yaml.safe_dump(doc, f, **kw)
            with open(os.path.join(out, f"{base}.docs.block.yaml"), "w", encoding="utf-8") as f:
                yaml.safe_dump_all([doc, {"platforms": {"kubernetes": {}}}], f, default_flow_style=False,
                                   explicit_start=True, width=80)
    print(f"{n} JSON files written in {len(STYLES['block']) + len(STYLES['styled']) + 1} styles")


main()
