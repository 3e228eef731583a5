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
    python3 scripts/bench.py --binary before=/tmp/vellum-old --binary after=target/release/vellum

With --binary (repeatable), the given programs are measured instead of this repository's
release build, taking turns run by run, one row each: a before/after comparison in one run.
`one edit` is a build into an existing output after one essay's text changed (the essay is put
back afterwards).

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


def edit_rebuild(binary: Path, root: Path, out: Path) -> float:
    """A build after one essay's body changed, into an output that holds the site."""
    essay = sorted((root / "content").glob("*.md"))[len(os.listdir(root / "content")) // 2]
    text = essay.read_text()
    try:
        essay.write_text(text + "\nOne more paragraph, written for the benchmark.\n")
        return run(binary, root, out)[0]
    finally:
        essay.write_text(text)
        run(binary, root, out)


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
    parser.add_argument("--config", action="append", default=[], metavar="NAME=TOML",
                        help="lines added to the vellum.toml of NAME's copy of the site, e.g. "
                             "after='related = true' (a setting the other program lacks)")
    parser.add_argument("--binary", action="append", metavar="NAME=PATH",
                        help="measure this program (repeatable) instead of the release build")
    args = parser.parse_args()
    if not GEN.exists():
        sys.exit(f"corpus generator not found at {GEN}")

    if args.binary:
        binaries = [(name, Path(path).resolve()) for name, _, path in
                    (b.partition("=") for b in args.binary)]
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binaries = [("vellum", REPO / "target" / "release" / "vellum")]
    floor = floor_binary()
    print(f"{'':>8} {'essays':>8} {'clean median':>13} {'min':>8} {'max':>8} {'peak RSS':>9} "
          f"{'no-op rebuild':>14} {'one edit':>9} {'warm code':>11} {'floor':>8} {'x floor':>8}")
    made = []
    for n in args.sizes:
        # One copy of the site per program, so that each keeps its own .vellum-cache.
        roots = {}
        for name, _ in binaries:
            roots[name] = corpus(args.work, n)
            if len(binaries) > 1:
                roots[name] = args.work / f"site-{n}-{name}"
                shutil.rmtree(roots[name], ignore_errors=True)
                shutil.copytree(corpus(args.work, n), roots[name])
                made.append(roots[name])
                for extra in args.config:
                    who, _, lines = extra.partition("=")
                    if who == name:
                        toml = roots[name] / "vellum.toml"
                        toml.write_text(toml.read_text() + lines.replace("\\n", "\n") + "\n")
        root = roots[binaries[0][0]]
        # Each clean build writes into a folder of its own, and nothing is removed until the
        # end: ext4 makes creating files slow for minutes after thousands were deleted (it
        # skips "recently deleted" inodes), which would measure the deletion, not the build.
        # vellum and the floor take turns, so that both meet the file system in the same state.
        times = {name: [] for name, _ in binaries}
        peaks = {name: [] for name, _ in binaries}
        floors = []
        for i in range(args.runs):
            for name, binary in binaries:
                out = args.work / f"out-{name}-{n}-{i}"
                shutil.rmtree(out, ignore_errors=True)
                made.append(out)
                # Clean: nothing remembered from earlier builds either.
                (roots[name] / ".vellum-cache" / "highlighted-code.bin").unlink(missing_ok=True)
                seconds, peak = run(binary, roots[name], out)
                times[name].append(seconds)
                peaks[name].append(peak)
            floor_out = args.work / f"floor-{n}-{i}"
            shutil.rmtree(floor_out, ignore_errors=True)
            made.append(floor_out)
            start = time.perf_counter()
            subprocess.run([str(floor), str(root / "content"), str(floor_out)], check=True,
                           stdout=subprocess.DEVNULL)
            floors.append(time.perf_counter() - start)
        noop = {name: [] for name, _ in binaries}
        edit = {name: [] for name, _ in binaries}
        warm = {name: [] for name, _ in binaries}
        for i in range(args.runs):
            for name, binary in binaries:
                noop[name].append(run(binary, roots[name], args.work / f"out-{name}-{n}-0")[0])
                edit[name].append(
                    edit_rebuild(binary, roots[name], args.work / f"out-{name}-{n}-1"))
                # A new output folder, with the code blocks highlighted by the last build
                # remembered.
                out = args.work / f"warm-{name}-{n}-{i}"
                shutil.rmtree(out, ignore_errors=True)
                made.append(out)
                warm[name].append(run(binary, roots[name], out)[0])
        floor_median = statistics.median(floors)
        for name, _ in binaries:
            median = statistics.median(times[name])
            print(f"{name:>8} {n:>8} {median:>12.3f}s {min(times[name]):>7.3f}s "
                  f"{max(times[name]):>7.3f}s {max(peaks[name]):>7.0f}MB "
                  f"{statistics.median(noop[name]):>13.3f}s "
                  f"{statistics.median(edit[name]):>8.3f}s "
                  f"{statistics.median(warm[name]):>10.3f}s "
                  f"{floor_median:>7.3f}s {median / floor_median:>7.2f}x",
                  flush=True)
    for folder in made:
        shutil.rmtree(folder, ignore_errors=True)

if __name__ == "__main__":
    main()
