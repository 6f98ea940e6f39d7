#!/usr/bin/env python3
"""Benchmark whole `council build` processes and print a table of wall time and peak memory.

Runs, interleaved and several times each: the example meeting (both formats,
PDF only, PPTX only); synthetic meetings of 60, 300 and 1,200 pages (cards,
tables, charts, pictures); a rebuild after changing one line of one material
(with `council watch`'s incremental build, in one process: the first build, a
change, the rebuild timed); and, where LibreOffice is installed, LibreOffice
converting the example's PPTX files to PDF. Prints median, min and max wall
time and peak memory (the largest RSS of the process or its workers), the
ratios to LibreOffice, and writes everything as JSON (bench/results/latest.json).
Not part of the test suite.

Usage: .venv/bin/python bench/run.py [--runs N] [--sizes 60,300,1200] [--skip-libreoffice]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "council-120"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_meeting  # noqa: E402

REBUILD = """
import sys, time
from pathlib import Path
from council_materials.build import build
meeting, out = Path(sys.argv[1]), Path(sys.argv[2])
first = build(meeting, out)
content = meeting / "content" / "wa.yaml"
content.write_text(content.read_text(encoding="utf-8").replace("開会宣言", "開会の宣言"), encoding="utf-8")
start = time.perf_counter()
second = build(meeting, out, previous=first.state)
print(time.perf_counter() - start, len(second.rendered))
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB (the process or any of its workers), and stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024, text


def council(meeting: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "council_materials", "build", str(meeting), "-o", str(out), *extra]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="60,300,1200")
    parser.add_argument("--skip-libreoffice", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="council-bench-"))
    try:
        cases: dict[str, list[str] | str] = {
            "example, both formats": council(EXAMPLE, work / "o1"),
            "example, PDF only": council(EXAMPLE, work / "o2", "--format", "pdf"),
            "example, PPTX only": council(EXAMPLE, work / "o3", "--format", "pptx"),
        }
        for pages in [int(s) for s in args.sizes.split(",") if s]:
            meeting = write_meeting(work / f"synthetic-{pages}", pages)
            cases[f"synthetic {pages} pages, both"] = council(meeting, work / f"s{pages}")
        cases["rebuild after one change"] = "rebuild"
        soffice = shutil.which("soffice")
        if soffice and not args.skip_libreoffice:
            subprocess.run(council(EXAMPLE, work / "lo-in", "--format", "pptx"), check=True, capture_output=True)
            decks = sorted(str(p) for p in (work / "lo-in").glob("*.pptx"))
            cases["LibreOffice: example PPTX → PDF"] = [
                soffice, f"-env:UserInstallation=file://{work}/lo-profile", "--headless", "--convert-to", "pdf",
                "--outdir", str(work / "lo-out"), *decks]
            subprocess.run(cases["LibreOffice: example PPTX → PDF"], check=True, capture_output=True)  # profile
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for run in range(args.runs):  # interleaved, so drift of the machine affects every case alike
            for name, command in cases.items():
                if command == "rebuild":
                    copy = work / f"rebuild-{run}"
                    shutil.copytree(EXAMPLE, copy)
                    _, peak, text = measure([sys.executable, "-c", REBUILD, str(copy), str(work / f"r{run}")])
                    results[name].append((float(text.split()[0]), peak))
                else:
                    wall, peak, _ = measure(command)
                    results[name].append((wall, peak))
        table = {}
        print(f"{'case':<34} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MiB':>9}")
        for name, runs in results.items():
            times = [t for t, _ in runs]
            row = {"median": statistics.median(times), "min": min(times), "max": max(times),
                   "peak_mib": max(m for _, m in runs), "runs": len(runs)}
            table[name] = row
            print(f"{name:<34} {row['median']:9.2f} {row['min']:7.2f} {row['max']:7.2f} {row['peak_mib']:9.0f}")
        lo = table.get("LibreOffice: example PPTX → PDF")
        if lo:
            ratio = table["example, both formats"]["median"] / lo["median"]
            print(f"\ncouncil build (both formats) / LibreOffice converting the same PPTX: {ratio:.2f}")
            table["ratio_to_libreoffice"] = {"median": ratio}
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "latest.json").write_text(json.dumps(table, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {out / 'latest.json'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
