#!/usr/bin/env python3
"""Draw the pictures of the 121st meeting: simple illustrative scenes, not placeholders.

The 121st meeting is the repository's second, ordinary example. Its pictures
differ from the 120th's grey placeholders on purpose, so that layout is not
tuned to one kind of picture: landscape and portrait scenes of several aspect
ratios, JPEG and PNG, diagrams with text in the bundled font, and PNGs with a
transparent background. Input: nothing but this script and the bundled font.
Output: the files of ``PICTURES`` under ``images/`` of this folder (every one
is redrawn). Deterministic: Pillow draws only fixed shapes, so the same
Pillow version gives byte-identical files.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = Path(__import__("council_materials").__file__).parent / "fonts"

Colour = tuple[int, int, int]
SKY: Colour = (198, 222, 240)
NAVY: Colour = (31, 78, 121)
GREY: Colour = (96, 104, 112)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "BIZUDPGothic-Bold.ttf" if bold else "BIZUDPGothic-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def gradient(size: tuple[int, int], top: Colour, bottom: Colour) -> Image.Image:
    """A vertical two-colour gradient, the background of the outdoor scenes."""
    w, h = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / max(h - 1, 1)
        draw.line([(0, y), (w, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return image


def centred(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str,
            face: ImageFont.FreeTypeFont, fill: Colour | tuple[int, int, int, int]) -> None:
    x0, y0, x1, y1 = box
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    draw.text(((x0 + x1 - (right - left)) / 2 - left, (y0 + y1 - (bottom - top)) / 2 - top), text,
              font=face, fill=fill)


def person(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, fill: Colour) -> None:
    """A seated or standing figure as head and shoulders, centred on x, head top at y."""
    r = round(14 * scale)
    draw.ellipse((x - r, y, x + r, y + 2 * r), fill=fill)
    draw.rounded_rectangle((x - round(26 * scale), y + 2 * r + 4, x + round(26 * scale), y + round(90 * scale)),
                           radius=round(16 * scale), fill=fill)


def screen(size: tuple[int, int], background: Colour, bar: int, title: str, at: tuple[int, int],
           title_size: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A screen mock-up: a background and a navy title bar ``bar`` high with ``title`` at ``at``."""
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], bar), fill=NAVY)
    draw.text(at, title, font=font(title_size, bold=True), fill=(255, 255, 255))
    return image, draw


# -- the pictures ----------------------------------------------------------------------------

def drone_bridge() -> Image.Image:
    """A truss bridge over a river at dusk, a drone inspecting its girder (16:9)."""
    w, h = 768, 432
    image = gradient((w, h), (250, 214, 165), (150, 190, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, w, h), fill=(84, 128, 160))
    for y in range(312, h, 18):
        draw.line([(40 + y % 50, y), (220 + y % 70, y)], fill=(120, 160, 190), width=2)
        draw.line([(420 - y % 60, y), (640 - y % 40, y)], fill=(120, 160, 190), width=2)
    dark = (44, 52, 64)
    draw.rectangle((0, 250, w, 266), fill=dark)                      # deck
    for x in (150, 384, 618):                                        # piers
        draw.rectangle((x - 12, 266, x + 12, 330), fill=dark)
    for x0 in range(30, w - 30, 48):                                 # truss
        draw.line([(x0, 250), (x0 + 24, 200)], fill=dark, width=4)
        draw.line([(x0 + 24, 200), (x0 + 48, 250)], fill=dark, width=4)
    draw.line([(30, 200), (w - 30, 200)], fill=dark, width=6)
    # the drone: body, arms, rotors
    cx, cy = 500, 140
    draw.rectangle((cx - 18, cy - 8, cx + 18, cy + 8), fill=(240, 240, 240), outline=dark, width=2)
    for dx in (-42, 42):
        draw.line([(cx, cy), (cx + dx, cy - 10)], fill=dark, width=3)
        draw.ellipse((cx + dx - 20, cy - 16, cx + dx + 20, cy - 6), outline=dark, width=2)
    draw.ellipse((cx - 6, cy + 8, cx + 6, cy + 18), fill=dark)      # camera
    draw.polygon([(cx, cy + 16), (cx - 70, 198), (cx + 70, 198)], fill=(255, 250, 200))
    return image


def ai_search_screen() -> Image.Image:
    """A chat-style search screen over the design standards (8:5)."""
    w, h = 640, 400
    image, draw = screen((w, h), (245, 247, 250), 44, "基準類検索（試行版）", (18, 10), 20)
    draw.rectangle((0, 44, 150, h), fill=(225, 232, 240))
    for i, label in enumerate(["設計基準", "通知・事務連絡", "積算基準", "過去の質疑"]):
        draw.text((16, 66 + i * 36), label, font=font(15), fill=GREY)
    draw.rounded_rectangle((300, 64, 620, 112), radius=12, fill=(214, 230, 246))
    draw.text((316, 78), "擁壁の設計水平震度は？", font=font(17), fill=(30, 30, 30))
    draw.rounded_rectangle((170, 128, 560, 264), radius=12, fill=(255, 255, 255), outline=(200, 206, 214))
    for i, width in enumerate([340, 300, 350, 220]):
        draw.rectangle((190, 144 + i * 24, 190 + width, 156 + i * 24), fill=(200, 208, 218))
    draw.text((190, 240), "出典：設計基準 第3章", font=font(13), fill=NAVY)
    draw.rounded_rectangle((170, 340, 620, 380), radius=10, fill=(255, 255, 255), outline=(170, 180, 190))
    draw.text((186, 350), "質問を入力してください", font=font(15), fill=(160, 166, 172))
    return image


def sushitech_booth() -> Image.Image:
    """An exhibition booth with panels, a screen and visitors (4:3)."""
    w, h = 640, 480
    image = Image.new("RGB", (w, h), (232, 228, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 360, w, h), fill=(176, 168, 160))             # floor
    draw.rectangle((70, 60, 570, 360), fill=(255, 255, 255), outline=(180, 180, 180), width=3)
    draw.rectangle((70, 60, 570, 110), fill=NAVY)
    centred(draw, (70, 60, 570, 110), "TOKYO INFRASTRUCTURE", font(26, bold=True), (255, 255, 255))
    draw.rectangle((230, 140, 410, 250), fill=(40, 44, 52))          # screen
    draw.polygon([(250, 230), (300, 170), (340, 210), (370, 180), (395, 230)], fill=(90, 160, 210))
    for x, colour in ((110, (230, 150, 60)), (450, (110, 170, 120))):
        draw.rectangle((x, 140, x + 80, 300), fill=colour)
        for i in range(4):
            draw.rectangle((x + 10, 156 + i * 34, x + 70, 168 + i * 34), fill=(255, 255, 255))
    draw.rectangle((240, 300, 400, 360), fill=(210, 200, 190))       # counter
    for x, colour in ((160, (70, 80, 100)), (500, (120, 90, 80)), (560, (60, 100, 90))):
        person(draw, x, 300, 1.3, colour)
    return image


def partner_cities_map() -> Image.Image:
    """A map-like grid with land masses and the partner cities as dots (1:1)."""
    w, h = 560, 560
    image = Image.new("RGB", (w, h), (212, 232, 246))
    draw = ImageDraw.Draw(image)
    for x in range(0, w, 40):
        draw.line([(x, 0), (x, h)], fill=(190, 214, 232), width=1)
    for y in range(0, h, 40):
        draw.line([(0, y), (w, y)], fill=(190, 214, 232), width=1)
    land = (200, 214, 180)
    draw.polygon([(40, 120), (180, 80), (250, 140), (230, 260), (150, 300), (60, 240)], fill=land)
    draw.polygon([(300, 60), (470, 90), (520, 200), (430, 250), (330, 180)], fill=land)
    draw.polygon([(320, 320), (420, 300), (480, 400), (400, 500), (330, 440)], fill=land)
    draw.polygon([(80, 360), (200, 340), (230, 450), (120, 500)], fill=land)
    tokyo = (470, 170)
    cities = [(140, 170), (390, 130), (380, 390), (160, 420), (200, 230)]
    for x, y in cities:
        draw.line([tokyo, (x, y)], fill=(230, 120, 60), width=3)
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=(230, 120, 60), outline=(255, 255, 255), width=2)
    draw.ellipse((tokyo[0] - 13, tokyo[1] - 13, tokyo[0] + 13, tokyo[1] + 13), fill=(200, 40, 40),
                 outline=(255, 255, 255), width=3)
    draw.text((tokyo[0] + 16, tokyo[1] - 40), "東京", font=font(22, bold=True), fill=(120, 20, 20))
    return image


def online_exchange() -> Image.Image:
    """A video call: a grid of participants' tiles on a screen (16:9)."""
    w, h = 640, 360
    image = Image.new("RGB", (w, h), (36, 40, 48))
    draw = ImageDraw.Draw(image)
    tiles = [(20, 20, 310, 170), (330, 20, 620, 170), (20, 190, 310, 340), (330, 190, 620, 340)]
    walls = [(210, 220, 230), (230, 220, 200), (215, 230, 215), (225, 215, 230)]
    people = [(70, 80, 100), (110, 80, 70), (60, 90, 80), (90, 70, 100)]
    for (x0, y0, x1, y1), wall, body in zip(tiles, walls, people):
        draw.rectangle((x0, y0, x1, y1), fill=wall)
        person(draw, (x0 + x1) // 2, y0 + 30, 1.3, body)
        draw.rectangle((x0 + 8, y1 - 26, x0 + 80, y1 - 8), fill=(0, 0, 0))
    return image


def recruit_pamphlet() -> Image.Image:
    """The cover of a recruitment pamphlet: skyline, headline (portrait, A-series ratio)."""
    w, h = 420, 594
    image = gradient((w, h), (60, 120, 180), (170, 210, 235))
    draw = ImageDraw.Draw(image)
    heights = [180, 260, 220, 320, 240, 200, 280, 170]
    x = 0
    for i, height in enumerate(heights):
        width = 52 + (i % 3) * 6
        draw.rectangle((x, h - height, x + width, h), fill=(40 + i * 6, 70 + i * 4, 110))
        for wy in range(h - height + 14, h - 10, 22):
            for wx in range(x + 8, x + width - 8, 14):
                draw.rectangle((wx, wy, wx + 6, wy + 10), fill=(250, 230, 160))
        x += width + 2
    draw.rectangle((0, 40, w, 170), fill=(255, 255, 255))
    centred(draw, (0, 50, w, 110), "都庁で技術を。", font(40, bold=True), NAVY)
    centred(draw, (0, 112, w, 160), "東京都 技術職員採用案内 2026", font(20), GREY)
    return image


def site_visit() -> Image.Image:
    """A construction site with a tower crane and visitors in helmets (3:2)."""
    w, h = 660, 440
    image = gradient((w, h), (170, 205, 235), (230, 240, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, w, h), fill=(170, 150, 120))
    crane = (230, 170, 40)
    draw.rectangle((420, 60, 436, 330), fill=crane)
    for y in range(70, 330, 20):
        draw.line([(420, y), (436, y + 20)], fill=(180, 130, 20), width=2)
    draw.rectangle((250, 60, 620, 74), fill=crane)
    draw.line([(560, 74), (560, 180)], fill=GREY, width=2)
    draw.rectangle((545, 180, 575, 196), fill=GREY)
    draw.rectangle((80, 180, 330, 330), fill=(160, 164, 170))        # building frame
    for y in range(190, 330, 36):
        draw.line([(80, y), (330, y)], fill=(120, 124, 130), width=4)
    for x in range(80, 331, 50):
        draw.line([(x, 180), (x, 330)], fill=(120, 124, 130), width=4)
    for i, x in enumerate(range(120, 640, 90)):
        person(draw, x, 330, 1.0, (60, 70, 90) if i % 2 else (80, 90, 70))
        draw.pieslice((x - 16, 326, x + 16, 350), 180, 360, fill=(250, 250, 250))   # helmet
    return image


def workshop() -> Image.Image:
    """A workshop: a whiteboard with a bar diagram, participants at a table (3:2)."""
    w, h = 600, 400
    image = Image.new("RGB", (w, h), (238, 234, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 40, 480, 230), fill=(255, 255, 255), outline=(150, 150, 150), width=4)
    for i, (height, colour) in enumerate(zip((60, 110, 90, 150), ((90, 150, 200), (90, 150, 200),
                                                                    (230, 140, 70), (230, 140, 70)))):
        draw.rectangle((170 + i * 70, 210 - height, 210 + i * 70, 210), fill=colour)
    draw.line([(150, 210), (460, 210)], fill=GREY, width=3)
    draw.rectangle((60, 300, 540, 330), fill=(150, 110, 80))         # table
    for i, x in enumerate(range(100, 520, 85)):
        person(draw, x, 230, 0.9, ((70, 80, 100), (120, 80, 90), (70, 100, 90))[i % 3])
    draw.rectangle((60, 300, 540, 330), fill=(150, 110, 80))
    return image


def career_chart(detail: bool) -> Image.Image:
    """A career model: posts over the years as coloured blocks on a time axis (diagram)."""
    w, h = (720, 400) if detail else (640, 300)
    image = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    stages = [("事業所", (120, 170, 220)), ("本庁", (90, 140, 200)), ("他局", (230, 160, 80)),
              ("事業所", (120, 170, 220)), ("本庁", (90, 140, 200))]
    left, right, top = 40, w - 30, 60
    step = (right - left) / len(stages)
    draw.text((left, 16), "土木職 異動モデル（案）", font=font(20, bold=True), fill=NAVY)
    for i, (label, colour) in enumerate(stages):
        x0 = round(left + i * step)
        draw.rectangle((x0 + 3, top, round(x0 + step) - 3, top + 60), fill=colour)
        centred(draw, (x0, top, round(x0 + step), top + 60), label, font(17, bold=True), (255, 255, 255))
    axis = top + 90
    draw.line([(left, axis), (right, axis)], fill=GREY, width=3)
    draw.polygon([(right, axis - 7), (right + 12, axis), (right, axis + 7)], fill=GREY)
    for i, year in enumerate(["採用", "5年", "10年", "15年", "20年"]):
        x = round(left + i * step)
        draw.line([(x, axis - 6), (x, axis + 6)], fill=GREY, width=2)
        draw.text((x + 4, axis + 10), year, font=font(14), fill=GREY)
    if detail:
        rows = ["研修：技術基礎 → 現場研修 → 主任研修 → 管理職研修",
                "資格：技術士補 → 技術士（建設部門）",
                "経験：工事監督、設計、計画、他局での事業調整"]
        for i, row in enumerate(rows):
            draw.rounded_rectangle((left, axis + 50 + i * 50, right, axis + 88 + i * 50), radius=8,
                                   fill=(238, 243, 248))
            draw.text((left + 14, axis + 58 + i * 50), row, font=font(16), fill=(40, 40, 40))
    return image


def speaker() -> Image.Image:
    """A speaker's portrait as a silhouette on a transparent background (portrait PNG, RGBA)."""
    w, h = 300, 360
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 280, 280), fill=(222, 234, 246, 255))
    draw.ellipse((105, 60, 195, 160), fill=(90, 100, 120, 255))
    draw.pieslice((40, 170, 260, 400), 180, 360, fill=(90, 100, 120, 255))
    draw.rectangle((40, 285, 260, 360), fill=(90, 100, 120, 255))
    return image


def previous_event() -> Image.Image:
    """A hall with a speaker at a lectern and an audience seen from behind (16:10)."""
    w, h = 640, 400
    image = Image.new("RGB", (w, h), (226, 222, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 30, 490, 200), fill=(250, 250, 250), outline=(160, 160, 160), width=3)
    centred(draw, (150, 30, 490, 120), "WA × 技術会議", font(34, bold=True), NAVY)
    centred(draw, (150, 110, 490, 170), "キャリアを語ろう", font(22), GREY)
    draw.rectangle((520, 160, 570, 250), fill=(120, 90, 60))         # lectern
    person(draw, 545, 110, 0.9, (80, 70, 90))
    draw.rectangle((520, 160, 570, 250), fill=(120, 90, 60))
    for row, y in enumerate((250, 300, 350)):
        for i, x in enumerate(range(40 + row * 20, 620, 70)):
            person(draw, x, y, 0.8, ((70, 80, 100), (110, 80, 90), (70, 100, 90))[(i + row) % 3])
    return image


def structure() -> Image.Image:
    """The council and its working groups as a diagram on a transparent background (PNG, RGBA)."""
    w, h = 820, 420
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    white = (255, 255, 255, 255)
    draw.rounded_rectangle((260, 20, 560, 90), radius=12, fill=NAVY + (255,))
    centred(draw, (260, 20, 560, 90), "東京都技術会議", font(28, bold=True), white)
    draw.line([(410, 90), (410, 150)], fill=GREY + (255,), width=4)
    draw.line([(110, 150), (710, 150)], fill=GREY + (255,), width=4)
    groups = [("生産性向上・", "働き方改革部会"), ("国際発信力", "強化部会"), ("技術力維持", "向上部会"), ("WA", "")]
    for i, (first, second) in enumerate(groups):
        x = 110 + i * 200
        draw.line([(x, 150), (x, 200)], fill=GREY + (255,), width=4)
        draw.rounded_rectangle((x - 90, 200, x + 90, 300), radius=10, fill=(222, 234, 246, 255),
                               outline=NAVY + (255,), width=3)
        centred(draw, (x - 90, 210, x + 90, 250 if second else 290), first, font(20, bold=True), NAVY)
        if second:
            centred(draw, (x - 90, 250, x + 90, 290), second, font(20, bold=True), NAVY)
    draw.rounded_rectangle((20, 340, 800, 400), radius=10, fill=(255, 242, 204, 255))
    centred(draw, (20, 340, 800, 400), "事務局：都市整備局", font(20), GREY)
    return image


def portal_screen() -> Image.Image:
    """The council's intranet portal: header, menu, news list and cards (16:9)."""
    w, h = 800, 450
    image, draw = screen((w, h), (248, 249, 251), 56, "東京都技術会議 ポータル", (20, 14), 24)
    for i, label in enumerate(["お知らせ", "部会", "事例集", "研修", "問合せ"]):
        draw.text((24 + i * 110, 72), label, font=font(17), fill=NAVY)
    draw.line([(0, 104), (w, 104)], fill=(200, 206, 214), width=2)
    colours = [(120, 170, 220), (230, 160, 80), (110, 170, 120)]
    for i, (title, colour) in enumerate(zip(["DX・AI事例", "海外都市との交流", "現場見学会"], colours)):
        x = 24 + i * 256
        draw.rectangle((x, 124, x + 236, 260), fill=colour)
        draw.rectangle((x, 260, x + 236, 306), fill=(255, 255, 255), outline=(210, 214, 220))
        draw.text((x + 12, 272), title, font=font(17, bold=True), fill=(40, 40, 40))
    for i in range(3):
        y = 330 + i * 36
        draw.text((24, y), f"7月{10 + i * 5}日", font=font(15), fill=GREY)
        draw.rectangle((120, y + 4, 120 + 420 - i * 60, y + 16), fill=(214, 220, 228))
    return image


PICTURES: dict[str, Callable[[], Image.Image]] = {
    "dx/drone-bridge.jpg": drone_bridge,
    "dx/ai-search-screen.png": ai_search_screen,
    "international/sushitech-booth.jpg": sushitech_booth,
    "international/partner-cities-map.png": partner_cities_map,
    "international/online-exchange.png": online_exchange,
    "talent/recruit-pamphlet.jpg": recruit_pamphlet,
    "talent/site-visit.jpg": site_visit,
    "talent/workshop.jpg": workshop,
    "talent/career-civil-summary.png": lambda: career_chart(detail=False),
    "talent/career-civil-detail.png": lambda: career_chart(detail=True),
    "wa/speaker.png": speaker,
    "wa/previous-event.jpg": previous_event,
    "secretariat/structure.png": structure,
    "secretariat/portal-screen.png": portal_screen,
}
"""Every picture the content files name, by its path under ``images/``, and what draws it."""


def save(image: Image.Image, out: Path) -> None:
    """JPEG for scenes with gradients; PNG (palette, or RGBA where transparent) for flat drawings."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".jpg":
        image.convert("RGB").save(out, quality=82, optimize=True)
    elif image.mode == "RGBA":
        image.save(out, optimize=True)
    else:
        image.convert("P", palette=Image.ADAPTIVE, colors=64).save(out, optimize=True)


def main() -> int:
    for name, draw in PICTURES.items():
        save(draw(), HERE / "images" / name)
    print(f"drew {len(PICTURES)} pictures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
