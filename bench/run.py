#!/usr/bin/env python3
"""The kfplint benchmark (issue 9): builds kfplint and the parse-only reference, generates the
inputs, times whole processes (medians), measures peak memory, and prints every ratio against
its target. Usage: bench/run.py [--quick] (from the repository root; writes bench/out/)."""
import os
import shutil
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


def build():
    bd = os.path.join(OUT, "build")
    sh("cmake", "-S", ROOT, "-B", bd, "-DCMAKE_BUILD_TYPE=Release", "-DKFPLINT_TESTS=OFF", stdout=subprocess.DEVNULL)
    sh("cmake", "--build", bd, "-j", stdout=subprocess.DEVNULL)
    po = os.path.join(OUT, "parse_only")
    sh("cc", "-O2", "-o", po, os.path.join(ROOT, "bench", "parse_only.c"), "-lyaml", "-ljansson")
    return os.path.join(bd, "kfplint"), po


def run_once(cmd):
    """Wall time and peak RSS (KB) of one process (GNU time's %M when present)."""
    t0 = time.perf_counter()
    if shutil.which("/usr/bin/time"):
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        rss = int(p.stderr.strip().splitlines()[-1])
    else:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, rss = time.perf_counter() - t0, 0
    return wall, rss


def wall(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def interleaved(cmds, n):
    """Median wall time of n plain runs of each command, the commands taking turns (so that a
    slower spell of a shared machine hits them alike), and the peak RSS of one more run of the
    first."""
    times = [[] for _ in cmds]
    for _ in range(n):
        for i, cmd in enumerate(cmds):
            times[i].append(wall(cmd))
    return [statistics.median(t) for t in times], run_once(cmds[0])[1]


def paired_ratio(slow, fast, n, k=1):
    """Median over n rounds of (one run of `slow`) / (median of k runs of `fast` right after)."""
    ratios = []
    for _ in range(n):
        t = wall(slow)
        ratios.append(t / statistics.median(wall(fast) for _ in range(k)))
    return statistics.median(ratios)


def main():
    os.makedirs(OUT, exist_ok=True)
    kfplint, parse_only = build()
    sizes = [("typical", 8), ("1k", 1000), ("10k", 10000)] + ([] if QUICK else [("100k", 100000)])
    files = {}
    for label, n in sizes:
        for fmt in ("yaml", "json"):
            path = os.path.join(OUT, f"p{label}.{fmt}")
            if not os.path.exists(path):
                sh(sys.executable, os.path.join(ROOT, "bench", "gen.py"), str(n), fmt, path)
            files[(label, fmt)] = path
    reps = {"typical": 30, "1k": 15, "10k": 7, "100k": 3}
    rows, results = [], {}
    for (label, fmt), path in files.items():
        k = reps[label]
        size = os.path.getsize(path)
        lint = [kfplint, "-q", "-j", "1", "--no-config"] + BIG + [path]
        cmds = [lint, [parse_only, "--libyaml", path]]
        if fmt == "json":
            cmds.append([parse_only, "--jansson", path])
            if label == "10k":
                cmds.append([sys.executable, os.path.join(ROOT, "bench", "py_check.py"), path])
        times, lint_rss = interleaved(cmds, k)
        lint_t, yaml_t = times[0], times[1]
        jan_t = times[2] if fmt == "json" else None
        py_t = times[3] if len(times) > 3 else None
        ref_t = min(yaml_t, jan_t) if jan_t else yaml_t
        results[(label, fmt)] = (lint_t, ref_t, lint_rss, size, py_t)
        rows.append((label, fmt, size, lint_t, yaml_t, jan_t, ref_t, lint_t / ref_t, lint_rss * 1024 / size, py_t))
        print(f"measured {label} {fmt}", file=sys.stderr, flush=True)
    print(f"{'input':8} {'fmt':4} {'size':>10} {'kfplint':>9} {'libyaml':>9} {'jansson':>9} {'ratio':>6} {'mem/size':>8} {'python':>8}")
    for label, fmt, size, lt, yt, jt, rt, ratio, mem, pt in rows:
        print(f"{label:8} {fmt:4} {size:10d} {lt:9.3f} {yt:9.3f} {(jt or 0):9.3f} {ratio:6.2f} {mem:8.2f} {(pt or 0):8.3f}")
    print()
    print("targets:")
    for fmt in ("yaml", "json"):
        for label in ("10k", "100k"):
            if (label, fmt) in results:
                lt, rt, *_ = results[(label, fmt)]
                print(f"  lint/parse-only {label} {fmt}: {lt / rt:.2f} (target <= 1.30)")
        if ("100k", fmt) in results:
            lint = [kfplint, "-q", "-j", "1", "--no-config"] + BIG
            g = paired_ratio(lint + [files[("100k", fmt)]], lint + [files[("10k", fmt)]], 5, 3)
            print(f"  growth 100k/10k {fmt}: {g:.2f} (target <= 11; median of 5 rounds of one 100k run over "
                  f"the median of three 10k runs right after; the two medians above give "
                  f"{results[('100k', fmt)][0] / results[('10k', fmt)][0]:.2f})")
    lt, _, _, _, pt = results[("10k", "json")]
    print(f"  python/kfplint 10k json: {pt / lt:.2f} (target >= 2)")
    print(f"  typical ({os.path.getsize(files[('typical', 'yaml')])} B yaml): {results[('typical', 'yaml')][0] * 1000:.2f} ms (target <= 2 ms)")
    base_rss = run_once([kfplint, "-q", "--no-config", os.path.join(ROOT, "fixtures", "examples", "ml_pipeline.yaml")])[1]
    for fmt in ("yaml", "json"):
        worst = max((r[2] - base_rss) * 1024 / r[3] for (label, f), r in results.items() if f == fmt and r[3] > 1_000_000)
        print(f"  peak memory above the {base_rss} KB of a small run / file size, worst over {fmt} files > 1 MB: {worst:.2f} (target <= 4)")
    # -j: the corpus copied 20 times
    corpus = os.path.join(ROOT, "fixtures", "corpus")
    if os.path.isdir(corpus):
        tree = os.path.join(OUT, "corpus20")
        if not os.path.isdir(tree):
            for i in range(20):
                for sub in ("v2-ir", "pipelinejob", "components-v1", "components-v2"):
                    shutil.copytree(os.path.join(corpus, sub), os.path.join(tree, f"{i}", sub))
        speedup = paired_ratio([kfplint, "-q", "--no-config", "-j", "1", tree],
                               [kfplint, "-q", "--no-config", "-j", "2", tree], 7)
        o1 = subprocess.run([kfplint, "-q", "--no-config", "-j", "1", tree], capture_output=True).stdout
        o2 = subprocess.run([kfplint, "-q", "--no-config", "-j", "2", tree], capture_output=True).stdout
        print(f"  -j 2 speed-up on the corpus x20 ({len(o1.splitlines())} findings): {speedup:.2f} (target >= 1.7; median of 7 paired rounds); identical output: {o1 == o2}")
        (c1,), _ = interleaved([[kfplint, "-q", "--no-config", "-j", "1", os.path.join(corpus, "v2-ir"), os.path.join(corpus, "pipelinejob"),
                        os.path.join(corpus, "components-v1"), os.path.join(corpus, "components-v2")]], 7)
        print(f"  whole corpus, -j 1: {c1:.3f} s")


main()
