#!/usr/bin/env python3
"""Benchmark `council preview` in a real browser (Debian's Chromium, driven by Playwright).

Two figures, on a copy of the example meeting:

- first page visible: from starting a `council preview` process until its first page is shown in the
  browser with the web fonts loaded (the browser is already running, as a user's is; a new process
  each run);
- save → updated page: with the preview open, one line of a content file is changed and saved; the
  time from just before the file is written until the browser has applied the update and painted the
  next frame (the page records ``Date.now()`` then; both clocks are this machine's wall clock), for a
  one-page material (資料4) and the largest (資料1, 17 pages).

Prints median, min and max of each and writes them as JSON (bench/results/preview.json). Not part of
the test suite; the targets (issue 16) are a median of at most 300 ms for a save and at most 1.5 s to
the first page.

Usage: .venv/bin/python bench/preview.py [--runs N] [--edits N]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "council-120"
sys.path.insert(0, str(ROOT / "tests"))
from browser import Preview, launch  # noqa: E402

# (material, file, a line as it is, the same line changed): one line of a content file, edited back and forth
EDITS = [
    ("資料4 (1 page)", "content/themes-r7.yaml", "      - heading: 検討テーマ1：DX・AIの導入と活用に向けた取組",
     "      - heading: 検討テーマ1：DX・AIの導入と活用に向けた取組（改）"),
    ("資料1 (17 pages)", "content/dx.yaml", None, None),
]
FIRST_PAGE = ("() => { const page = document.querySelector('.sheet-wrap .page'); if (!page) return false;"
              " const box = page.getBoundingClientRect(); return document.fonts.status === 'loaded' &&"
              " box.height > 0 && box.top < innerHeight; }")


def _dx_line(meeting: Path) -> tuple[str, str]:
    """A line of 資料1's content file with text of its own (the first `title:` of a slide)."""
    for line in (meeting / "content" / "dx.yaml").read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("title:") and line.count(":") == 1:
            return line, line + "（改）"
    raise SystemExit("no title line in content/dx.yaml")


def first_page(browser, meeting: Path, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        page = browser.new_page()
        started = time.perf_counter()
        with Preview(meeting) as preview:
            page.goto(preview.url)
            page.wait_for_function(FIRST_PAGE, polling="raf", timeout=30_000)
            times.append(time.perf_counter() - started)
        page.close()
    return times


def saves(browser, meeting: Path, edits: int) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[float]] = {}
    with Preview(meeting) as preview:
        page = browser.new_page()
        page.goto(preview.url)
        page.wait_for_function(FIRST_PAGE, timeout=30_000)
        page.wait_for_function("() => document.querySelector('.part') && !document.querySelector('p.pending')",
                               timeout=30_000)
        page.wait_for_timeout(500)  # the watch has begun
        for name, relative, before, after in EDITS:
            if before is None:
                before, after = _dx_line(meeting)
            path = meeting / relative
            original = path.read_text(encoding="utf-8")
            assert original.count(before) == 1, (relative, before)
            times = found.setdefault(name, [])
            for number in range(edits):
                text = original.replace(before, after) if number % 2 == 0 else original
                shown = page.evaluate("() => Number(document.documentElement.dataset.revision)")
                written = time.time()
                path.write_text(text, encoding="utf-8")
                page.wait_for_function(f"() => Number(document.documentElement.dataset.revision) > {shown}",
                                       timeout=10_000)
                updated = page.evaluate("() => window.councilUpdatedAt")
                want = (after if number % 2 == 0 else before).split(":", 1)[1].strip()
                assert page.evaluate("(t) => document.getElementById('parts').textContent.includes(t)", want) or \
                    page.evaluate("(t) => [...document.querySelectorAll('svg text')].some(e => "
                                  "e.textContent.includes(t.slice(0, 8)))", want), f"{want!r} not shown"
                times.append(updated / 1000 - written)
                page.wait_for_timeout(150)
            path.write_text(original, encoding="utf-8")
            page.wait_for_timeout(600)
    return found


def _row(name: str, values: list[float]) -> dict[str, float]:
    row = {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}
    print(f"{name:38} median {row['median'] * 1000:7.0f} ms   min {row['min'] * 1000:7.0f} ms   "
          f"max {row['max'] * 1000:7.0f} ms   ({len(values)} runs)")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="starts of council preview (default 5)")
    parser.add_argument("--edits", type=int, default=20, help="saves per material (default 20)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]
    print(f"load average before: {load_before:.2f} on {os.cpu_count()} cores (other work on the machine slows "
          "every figure)")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        meeting = Path(folder) / "council-120"
        shutil.copytree(EXAMPLE, meeting)
        browser = launch(playwright)
        results = {"first page visible": _row("first page visible (start → shown)", first_page(browser, meeting,
                                                                                             args.runs))}
        for name, values in saves(browser, meeting, args.edits).items():
            results[f"save → updated page, {name}"] = _row(f"save → updated page, {name}", values)
        browser.close()
    results["load average"] = {"before": load_before, "after": os.getloadavg()[0], "cores": os.cpu_count()}
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    out = ROOT / "bench" / "results" / "preview.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
