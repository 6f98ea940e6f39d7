"""Write a synthetic meeting of realistic, dense Japanese content for the benchmark.

Input: a folder and a page count. Output: a meeting folder (meeting.yaml,
roster.yaml, one content file per material of about 30 pages, pictures)
whose materials cycle through cards with photos, tables, charts, panels and
bullets, so that every renderer path is exercised at scale.
"""
from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw

PAGES_PER_MATERIAL = 30
SENTENCE = ("インフラ整備におけるDX・AIの活用と働き方改革により、生産性・安全性・品質の向上と"
            "技術継承を図り、強靱で持続可能な都市を実現する")


def _pictures(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(6):
        image = Image.new("RGB", (1600, 1200), (40 * number % 255, 120, 200 - 20 * number))
        draw = ImageDraw.Draw(image)
        for step in range(0, 1600, 80):
            draw.line((step, 0, 1600 - step, 1200), fill=(255, 255, 255), width=6)
        name = f"photo{number}.jpg"
        image.save(folder / name, quality=85)
        names.append(f"images/{name}")
    return names


def _slide(n: int, pictures: list[str]) -> dict:
    text = f"{SENTENCE}（{n}）"
    kind = n % 5
    if kind == 0:
        return {"kind": "cards", "title": f"取組事例 {n}", "columns": 2, "cards": [
            {"heading": f"取組 {n}-{c}", "tag": "施工Phase", "fields": [
                {"label": "①目的：", "text": text},
                {"label": "②イメージ：", "photos": [{"path": pictures[(n + c) % len(pictures)], "caption": "現場の様子"}]},
                {"label": "③効果：", "text": text[:40]}]} for c in range(2)]}
    if kind == 1:
        rows = [["局", "現場・施設", "受入人数", "開催日"]]
        rows += [[f"第{r}局", f"{SENTENCE[:18]}{r}", f"{10 + r}名", f"{r % 12 + 1}月{r % 28 + 1}日"] for r in range(12)]
        return {"kind": "table", "title": f"現場見学会 {n}", "items": [text], "table": {"rows": rows, "striped": True}}
    if kind == 2:
        return {"kind": "chart", "title": f"アンケート結果 {n}", "charts": [
            {"type": "stacked_100", "title": "やりがい", "categories": ["土木", "建築", "機械", "電気"],
             "series": [{"name": "感じる", "values": [60, 55, 48, 52]}, {"name": "どちらとも", "values": [30, 35, 40, 33]},
                        {"name": "感じない", "values": [10, 10, 12, 15]}], "unit": "%"},
            {"type": "bar", "title": "回答数", "categories": ["R4", "R5", "R6"],
             "series": [{"name": "回答数", "values": [1200 + n, 1400, 1635]}], "unit": "名"}]}
    if kind == 3:
        return {"kind": "panels", "title": f"国際交流 {n}", "columns": 2, "panels": [
            {"heading": "概要", "items": [text, text[:30]]},
            {"heading": "実施内容", "items": [text], "photos": [{"path": pictures[n % len(pictures)], "caption": "意見交換"}]}],
            "footer_panel": {"heading": "次年度に向けて", "text": text}}
    return {"kind": "bullets", "title": f"現状の課題 {n}", "items": [
        {"text": text, "children": [text[:30], text[10:50]]} for _ in range(5)]}


def write_meeting(folder: Path, pages: int) -> Path:
    """A meeting of ``pages`` material pages (plus the cover sheet) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pictures = _pictures(folder / "images")
    materials = []
    (folder / "content").mkdir(exist_ok=True)
    for number, start in enumerate(range(0, pages, PAGES_PER_MATERIAL), 1):
        count = min(PAGES_PER_MATERIAL, pages - start)
        slides = [_slide(start + i, pictures) for i in range(count)]
        (folder / "content" / f"m{number}.yaml").write_text(json.dumps({"slides": slides}, ensure_ascii=False),
                                                             encoding="utf-8")
        materials.append({"id": f"m{number}", "title": f"資料 {number}（合成）", "source": "slides",
                          "content": f"content/m{number}.yaml"})
    meeting = {"council": "ベンチマーク会議", "number": 1, "date": "2025-02-20", "start": "16:00", "end": "17:00",
               "agenda": {"topics": [{"title": "議題", "materials": [m["id"] for m in materials[:3]]}]},
               "materials": materials}
    (folder / "meeting.yaml").write_text(json.dumps(meeting, ensure_ascii=False), encoding="utf-8")
    (folder / "roster.yaml").write_text(json.dumps(
        {"chair": {"post": "座長", "name": "山田 太郎", "specialty": "土木"}}, ensure_ascii=False), encoding="utf-8")
    return folder
