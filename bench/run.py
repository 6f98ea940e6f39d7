#!/usr/bin/env python3
"""Benchmark whole `council build` processes and print a table of wall time and peak memory.

Runs, interleaved and several times each: the example meeting (both formats,
PDF only, PPTX only); synthetic meetings of 60, 300 and 1,200 pages (cards,
tables, charts, pictures); a rebuild after changing one line of one material
(a full build, the change, then a new `council build` process timed); a build
when nothing changed; and, where LibreOffice is installed, LibreOffice
converting the example's PPTX files to PDF. Prints median, min and max wall
time and peak memory (the largest RSS of the process or its workers), the
ratios to LibreOffice, and writes everything as JSON (bench/results/latest.json).
Every full build writes to a new output folder, so every part is laid out and
rendered; the cache folder (font metrics and faces, checked and downscaled
pictures, validated content files and the slides built from them) is warm, as
on any machine after its first build, except in the "empty cache" cases.
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
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "council-120"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_meeting  # noqa: E402

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


def council(meeting: Path, out: Path, *extra: str, cache: Path | None = None) -> list[str]:
    """The `council build` command; with ``cache``, run with that (new, empty) cache folder."""
    command = [sys.executable, "-m", "council_materials", "build", str(meeting), "-o", str(out), *extra]
    return ["env", f"COUNCIL_MATERIALS_CACHE={cache}", *command] if cache else command


def rebuild(work: Path, run: int) -> list[str]:
    """Build a copy of the example, change one line of one material, and return the rebuild's command."""
    copy = work / f"rebuild-{run}"
    shutil.copytree(EXAMPLE, copy)
    subprocess.run(council(copy, work / f"r{run}"), check=True, capture_output=True)
    content = copy / "content" / "wa.yaml"
    content.write_text(content.read_text(encoding="utf-8").replace("開会宣言", "開会の宣言"), encoding="utf-8")
    return council(copy, work / f"r{run}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="60,300,1200")
    parser.add_argument("--skip-libreoffice", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="council-bench-"))
    os.environ["COUNCIL_MATERIALS_CACHE"] = str(work / "cache")  # the benchmark's own cache, warmed below
    try:
        # Each case is a function of the run number giving the command: every full build writes to a new
        # output folder, so every part is laid out and rendered; the cache folder is warm, as on any
        # machine after its first build (font metrics and faces, checked and downscaled pictures, the
        # validated content files and the slides built from them), except in the "empty cache" cases.
        cases: dict[str, Callable[[int], list[str]]] = {
            "example, both formats": lambda run: council(EXAMPLE, work / f"both-{run}"),
            "example, PDF only": lambda run: council(EXAMPLE, work / f"pdf-{run}", "--format", "pdf"),
            "example, PPTX only": lambda run: council(EXAMPLE, work / f"pptx-{run}", "--format", "pptx"),
            "example, empty cache": lambda run: council(EXAMPLE, work / f"cold-{run}", cache=work / f"cache-{run}"),
        }
        pages_list = [int(s) for s in args.sizes.split(",") if s]
        for pages in pages_list:
            meeting = write_meeting(work / f"synthetic-{pages}", pages)
            cases[f"synthetic {pages} pages, both"] = lambda run, m=meeting, p=pages: council(m, work / f"s{p}-{run}")
        if pages_list:
            biggest = max(pages_list)
            cases[f"synthetic {biggest} pages, empty cache"] = lambda run: council(
                work / f"synthetic-{biggest}", work / f"sc-{run}", cache=work / f"cache-big-{run}")
        cases["rebuild after one change"] = lambda run: rebuild(work, run)
        cases["build again, nothing changed"] = lambda run: council(EXAMPLE, work / "both-0")
        soffice = shutil.which("soffice")
        if soffice and not args.skip_libreoffice:
            subprocess.run(council(EXAMPLE, work / "lo-in", "--format", "pptx"), check=True, capture_output=True)
            decks = sorted(str(p) for p in (work / "lo-in").glob("*.pptx"))
            convert = [soffice, f"-env:UserInstallation=file://{work}/lo-profile", "--headless", "--convert-to",
                       "pdf", "--outdir", str(work / "lo-out"), *decks]
            subprocess.run(convert, check=True, capture_output=True)  # makes LibreOffice's profile
            cases["LibreOffice: example PPTX → PDF"] = lambda run: convert
        for meeting in [EXAMPLE] + [work / f"synthetic-{pages}" for pages in pages_list]:  # warm the cache
            subprocess.run(council(meeting, work / "warm"), check=True, capture_output=True)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for run in range(args.runs):  # interleaved, so drift of the machine affects every case alike
            for name, command in cases.items():
                wall, peak, _ = measure(command(run))
                results[name].append((wall, peak))
        table = {}
        print(f"{'case':<36} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MiB':>9}")
        for name, runs in results.items():
            times = [t for t, _ in runs]
            row = {"median": statistics.median(times), "min": min(times), "max": max(times),
                   "peak_mib": max(m for _, m in runs), "runs": len(runs)}
            table[name] = row
            print(f"{name:<36} {row['median']:9.2f} {row['min']:7.2f} {row['max']:7.2f} {row['peak_mib']:9.0f}")
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
