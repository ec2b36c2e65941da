#!/usr/bin/env python3
"""The Argo benchmark (issue 16): a synthetic KFP-v1-style Argo Workflow of 10,000 and 100,000
DAG tasks (bench/gen.py --argo), linted against libyaml's parse alone (bench/parse_only.c), as
interleaved medians of whole processes. Usage: bench/argo.py [--quick] (from the repository
root; writes bench/out/)."""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
QUICK = "--quick" in sys.argv
BIG = ["--max-file-size", "4000000000"]


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def wall(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t0


def main():
    os.makedirs(OUT, exist_ok=True)
    bd = os.path.join(OUT, "build")
    sh("cmake", "-S", ROOT, "-B", bd, "-DCMAKE_BUILD_TYPE=Release", "-DKFPLINT_TESTS=OFF", stdout=subprocess.DEVNULL)
    sh("cmake", "--build", bd, "-j", stdout=subprocess.DEVNULL)
    po = os.path.join(OUT, "parse_only")
    sh("cc", "-O2", "-o", po, os.path.join(ROOT, "bench", "parse_only.c"), "-lyaml", "-ljansson")
    kfplint = os.path.join(bd, "kfplint")
    sizes = [("10k", 10000)] + ([] if QUICK else [("100k", 100000)])
    res = {}
    for label, n in sizes:
        path = os.path.join(OUT, f"argo{label}.yaml")
        if not os.path.exists(path):
            sh(sys.executable, os.path.join(ROOT, "bench", "gen.py"), "--argo", str(n), "yaml", path)
        out = subprocess.run([kfplint, "-q", "-j", "1", "--no-config"] + BIG + [path], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{path}: kfplint found problems in the valid synthetic workflow:\n{out.stdout[:2000]}")
        lint, ref = [], []
        for _ in range(7 if label == "10k" else 3):
            lint.append(wall([kfplint, "-q", "-j", "1", "--no-config"] + BIG + [path]))
            ref.append(wall([po, "--libyaml", path]))
        res[label] = (statistics.median(lint), statistics.median(ref))
        print(f"argo {label}: {os.path.getsize(path)} B, kfplint {res[label][0]:.3f} s, libyaml {res[label][1]:.3f} s, "
              f"ratio {res[label][0] / res[label][1]:.2f} (target <= 1.30)")
    if "100k" in res:
        print(f"argo growth 100k/10k: {res['100k'][0] / res['10k'][0]:.2f} (target <= 11, linear)")


main()
