#!/usr/bin/env python3
"""Benchmark clean builds of the shared essay corpus.

Generates the corpus from ../shared/bench/gen_corpus.py (seed 42, 1,500 words, as everyone
uses) at each size, builds vellum in release mode, and times clean builds: the output
directory is removed before every run. Prints the median wall time and the peak memory
(maximum resident set size) per size, plus the time of a second build with nothing changed.

    python3 scripts/bench.py                 # 1,000 and 10,000 essays, 5 runs each
    python3 scripts/bench.py --sizes 1000 10000 50000 --runs 7

Standard library only. Corpora are cached under --work (default /tmp/vellum-bench).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def corpus(work: Path, n: int) -> Path:
    """A site root holding content/ with n essays (generated once, then reused)."""
    root = work / f"site-{n}"
    content = root / "content"
    if not (content.is_dir() and sum(1 for _ in content.iterdir()) >= n):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        subprocess.run(
            [sys.executable, str(GEN), "--n", str(n), "--seed", "42", "--words", "1500",
             "--format", "toml", "--out", str(content)],
            check=True, stdout=subprocess.DEVNULL)
        (root / "vellum.toml").write_text(
            'title = "Bench"\nbase_url = "https://bench.example/"\n')
    return root


def run(binary: Path, root: Path, out: Path):
    """One build; returns (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(binary), "--root", str(root), "build", "--output", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"build failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/vellum-bench"))
    args = parser.parse_args()
    if not GEN.exists():
        sys.exit(f"corpus generator not found at {GEN}")

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = REPO / "target" / "release" / "vellum"
    print(f"{'essays':>8} {'clean median':>13} {'min':>8} {'max':>8} {'peak RSS':>9} {'no-op rebuild':>14}")
    for n in args.sizes:
        root = corpus(args.work, n)
        out = args.work / f"out-{n}"
        times, peaks = [], []
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            seconds, peak = run(binary, root, out)
            times.append(seconds)
            peaks.append(peak)
        noop = statistics.median(run(binary, root, out)[0] for _ in range(args.runs))
        print(f"{n:>8} {statistics.median(times):>12.3f}s {min(times):>7.3f}s {max(times):>7.3f}s "
              f"{max(peaks):>7.0f}MB {noop:>13.3f}s")


if __name__ == "__main__":
    main()
