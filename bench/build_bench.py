#!/usr/bin/env python3
"""Time whole `council build` processes of the example meeting and print the figures.

Runs the CLI as a separate process several times per format set, and reports
wall time (median, min, max) and peak resident memory (from the child's
rusage). Not part of the test suite's pass/fail.

Usage: bench/build_bench.py [--runs N]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "council-120"
CASES = {"both formats": [], "pdf only": ["--format", "pdf"], "pptx only": ["--format", "pptx"]}


def run_once(args: list[str], out: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "council_materials", "build", str(EXAMPLE), "-o", str(out), *args],
                   check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024  # MiB (ru_maxrss is KiB on Linux)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):  # interleave the cases so drift affects all alike
            for name, extra in CASES.items():
                results[name].append(run_once(extra, Path(tmp) / "out"))
    print(f"{'case':<14} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MiB':>9}")
    for name, runs in results.items():
        times = [t for t, _ in runs]
        print(f"{name:<14} {statistics.median(times):9.2f} {min(times):7.2f} {max(times):7.2f} "
              f"{max(m for _, m in runs):9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
