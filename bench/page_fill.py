#!/usr/bin/env python3
"""Print, per page of a meeting's build, how the page uses its room.

For every page of the cover sheet and of each numbered material: the share of the body's
height (between the title rule and the footer) holding text, pictures, charts or tables, the
body text size the layout chose, the smallest text size on the page, and every paragraph
whose last line has only one or two characters. Then a summary per meeting: pages, pages
under 30 %, the median share, the smallest text size, the number of short last lines.

The meeting is laid out in this process (``layout_bundle``), nothing is rendered or written:
a few seconds per meeting. The figures come from ``council_materials.layout.page_fill``, the
same the layout tests check both example meetings against. Not part of the test suite.

Usage: .venv/bin/python bench/page_fill.py [MEETING_DIR ...] [--json FILE] [--quiet]
(default: every meeting under examples/)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def meeting_fills(meeting_dir: Path) -> list[tuple[str, int, object]]:
    """(document label, page number, PageFill) of every page of the meeting's build."""
    from council_materials.inputs import resolve_fonts
    from council_materials.layout.document import layout_bundle
    from council_materials.layout.page_fill import page_fill
    from council_materials.pipeline import load_bundle
    from council_materials.plugins import get_plugin_manager

    bundle, registry = load_bundle(meeting_dir, get_plugin_manager())
    laid = layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, meeting_dir),
                         meeting_dir=meeting_dir.resolve())
    rows = [("会議次第", page.number, page_fill(page)) for page in laid.cover.pages]
    for material, document in laid.materials:
        rows += [(material.label, page.number, page_fill(page)) for page in document.pages]
    return rows


def main() -> int:
    from council_materials.layout.page_fill import fill_summary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("meetings", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    parser.add_argument("--quiet", action="store_true", help="only the summary of each meeting")
    args = parser.parse_args()
    meetings = args.meetings or sorted(p.parent for p in (ROOT / "examples").glob("*/meeting.yaml"))
    report = {}
    for meeting in meetings:
        rows = meeting_fills(meeting)
        if not args.quiet:
            print(f"== {meeting}")
            print(f"{'material':<8} {'page':>4} {'used':>5} {'body':>5} {'min':>5}  title / short last lines")
        for label, number, fill in rows:
            if args.quiet:
                continue
            body = f"{fill.body_size:g}" if fill.body_size else "-"
            small = f"{fill.smallest:g}" if fill.smallest else "-"
            flag = " <30%" if fill.used < 0.3 else ""
            print(f"{label:<8} {number:>4} {fill.used:>5.0%} {body:>5} {small:>5}  {fill.title[:40]}{flag}")
            for box, line in fill.short:
                print(f"{'':<33}short last line in {box!r}: {line!r}")
        summary = fill_summary([fill for _, _, fill in rows])
        print(f"{meeting.name}: {summary['pages']} pages, {summary['under']} under 30 %, median "
              f"{summary['median']:.0%}, smallest text {summary['smallest']} pt, {summary['short']} short last lines")
        report[str(meeting)] = {"summary": summary, "pages": [
            {"material": label, "page": number, "used": round(fill.used, 4), "body_size": fill.body_size,
             "smallest": fill.smallest, "short": [list(s) for s in fill.short], "title": fill.title}
            for label, number, fill in rows]}
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
