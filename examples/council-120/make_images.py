#!/usr/bin/env python3
"""Make a captioned placeholder picture for every photo the example's content files name.

The seed's photos are not available, so each picture slot of the example
meeting shows an honest placeholder: a framed grey card with a picture icon,
the words 「写真（イメージ）」 and the slot's caption, drawn with the bundled
font. Input: ``content/*.yaml``. Output: the PNG files they reference, under
this folder. Existing files are left alone unless ``--force`` is given.
Deterministic: the same captions give byte-identical files.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Iterator

import yaml
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = Path(__import__("council_materials").__file__).parent / "fonts" / "BIZUDPGothic-Regular.ttf"
SIZE = (480, 320)


def photos(value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        path = value.get("path")
        if isinstance(path, str) and path.lower().endswith((".png", ".jpg", ".jpeg")):
            yield path, str(value.get("caption") or value.get("alt") or "")
        for child in value.values():
            yield from photos(child)
    elif isinstance(value, list):
        for child in value:
            yield from photos(child)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for char in text.replace("\n", ""):
        if draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def placeholder(caption: str, out: Path) -> None:
    image = Image.new("RGB", SIZE, (236, 240, 244))
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    draw.rectangle((6, 6, w - 7, h - 7), outline=(150, 160, 172), width=3)
    # A simple picture icon: frame, sun, two hills.
    cx, cy = w // 2, 110
    draw.rectangle((cx - 60, cy - 45, cx + 60, cy + 45), outline=(120, 132, 146), width=4)
    draw.ellipse((cx + 18, cy - 33, cx + 40, cy - 11), fill=(244, 177, 60))
    draw.polygon([(cx - 56, cy + 41), (cx - 18, cy - 5), (cx + 10, cy + 25), (cx + 24, cy + 10),
                  (cx + 56, cy + 41)], fill=(110, 150, 110))
    label = ImageFont.truetype(str(FONT), 26)
    text = "写真（イメージ）"
    draw.text(((w - draw.textlength(text, font=label)) / 2, 178), text, font=label, fill=(70, 80, 92))
    small = ImageFont.truetype(str(FONT), 20)
    for i, line in enumerate(_wrap(draw, caption.strip("[]【】"), small, w - 48)[:3]):
        draw.text(((w - draw.textlength(line, font=small)) / 2, 222 + i * 28), line, font=small, fill=(70, 80, 92))
    out.parent.mkdir(parents=True, exist_ok=True)
    image.convert("P", palette=Image.ADAPTIVE, colors=32).save(out, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="redraw pictures that already exist")
    args = parser.parse_args()
    made = 0
    for content in sorted((HERE / "content").glob("*.yaml")):
        for path, caption in photos(yaml.safe_load(content.read_text(encoding="utf-8"))):
            out = HERE / path
            if out.exists() and not args.force:
                continue
            placeholder(caption, out)
            made += 1
    print(f"made {made} placeholder pictures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
