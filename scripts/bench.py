#!/usr/bin/env python3
"""Benchmark clean builds of the shared essay corpus.

Generates the corpus from ../shared/bench/gen_corpus.py (seed 42, 1,500 words, as everyone
uses) at each size, builds vellum in release mode, and times clean builds, each into a new
output directory. Prints the median wall time and the peak memory
(maximum resident set size) per size, the time of a second build with nothing changed, and
the floor (benches/floor.rs: pulldown-cmark and one write per essay, nothing else) timed the
same way, each floor run right after a vellum run. Clean builds start without remembered code
blocks (.vellum-cache/highlighted-code.bin); `warm code` is a build into a new folder with
them. The output folders are removed at the end.

    python3 scripts/bench.py                 # 1,000 and 10,000 essays, 5 runs each
    python3 scripts/bench.py --sizes 1000 10000 50000 --runs 7

Standard library only. Corpora are cached under --work (default /tmp/vellum-bench).
"""

import argparse
import json
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


def floor_binary() -> Path:
    """Builds benches/floor.rs (pulldown-cmark and one write per essay) and returns its path."""
    out = subprocess.run(["cargo", "bench", "--bench", "floor", "--no-run", "--message-format=json"],
                         cwd=REPO, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable") \
                and message["target"]["name"] == "floor":
            return Path(message["executable"])
    sys.exit("could not build benches/floor.rs")


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
    floor = floor_binary()
    print(f"{'essays':>8} {'clean median':>13} {'min':>8} {'max':>8} {'peak RSS':>9} "
          f"{'no-op rebuild':>14} {'warm code':>11} {'floor':>8} {'x floor':>8}")
    made = []
    for n in args.sizes:
        root = corpus(args.work, n)
        # Each clean build writes into a folder of its own, and nothing is removed until the
        # end: ext4 makes creating files slow for minutes after thousands were deleted (it
        # skips "recently deleted" inodes), which would measure the deletion, not the build.
        # vellum and the floor take turns, so that both meet the file system in the same state.
        times, peaks, floors = [], [], []
        for i in range(args.runs):
            out, floor_out = args.work / f"out-{n}-{i}", args.work / f"floor-{n}-{i}"
            for folder in (out, floor_out):
                shutil.rmtree(folder, ignore_errors=True)
                made.append(folder)
            # Clean: nothing remembered from earlier builds either.
            (root / ".vellum-cache" / "highlighted-code.bin").unlink(missing_ok=True)
            seconds, peak = run(binary, root, out)
            times.append(seconds)
            peaks.append(peak)
            start = time.perf_counter()
            subprocess.run([str(floor), str(root / "content"), str(floor_out)], check=True,
                           stdout=subprocess.DEVNULL)
            floors.append(time.perf_counter() - start)
        noop = statistics.median(
            run(binary, root, args.work / f"out-{n}-0")[0] for _ in range(args.runs))
        # A new output folder, with the code blocks highlighted by the last build remembered.
        warm = []
        for i in range(args.runs):
            out = args.work / f"warm-{n}-{i}"
            shutil.rmtree(out, ignore_errors=True)
            made.append(out)
            warm.append(run(binary, root, out)[0])
        median = statistics.median(times)
        floor_median = statistics.median(floors)
        print(f"{n:>8} {median:>12.3f}s {min(times):>7.3f}s {max(times):>7.3f}s "
              f"{max(peaks):>7.0f}MB {noop:>13.3f}s {statistics.median(warm):>10.3f}s "
              f"{floor_median:>7.3f}s {median / floor_median:>7.2f}x",
              flush=True)
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)

if __name__ == "__main__":
    main()
