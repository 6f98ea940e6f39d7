"""Issue 12's catalogue, the inputs: every input a regular file inside the meeting folder, of bounded size, every
limit a located error, user values reported as the user's, ``validate`` and ``build`` saying the same, and
pictures shown as a person expects.

Every case runs ``council`` as a real process with a time bound (``safety.BOUND``), and checks the exit
status, the message, and every input and unrelated file by checksum.
"""
from __future__ import annotations

import io
import json
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from safety import PLAN, edit_plan, make_world, outputs, snapshot

PLAN_FILE = "content/plan.yaml"
BUILTIN = "council_materials.builtin"


def _both_refuse(world, *lines: str) -> None:  # type: ignore[no-untyped-def]
    """``validate`` and ``build`` both exit 1 printing every line, and change no file."""
    before = snapshot(world.root)
    for command in ("validate", "build"):
        run = world.council(command, world.meeting)
        assert run.code == 1, run.text
        for line in lines:
            assert line in run.err, f"{command}: {line!r} not in {run.err!r}"
        assert "Traceback" not in run.text and BUILTIN not in run.text and "internal error" not in run.text
        assert snapshot(world.root) == before


def _plan(world, text: str) -> Path:  # type: ignore[no-untyped-def]
    path = world.meeting / PLAN_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_a_content_file_linking_outside_the_folder_is_refused_unread(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    secret = world.elsewhere / "secret.yaml"
    secret.write_text("slides: [{kind: bullets, title: 秘密の一行目, items: [x]}]\n", encoding="utf-8")
    (world.meeting / PLAN_FILE).unlink()
    (world.meeting / PLAN_FILE).symlink_to(secret)
    _both_refuse(world, f"{world.meeting / PLAN_FILE}: is a link to {secret}, outside the meeting folder; only "
                        "files inside the meeting folder are read: copy the file into it")
    run = world.council("build", world.meeting)
    assert "秘密" not in run.text and not (world.meeting / "build").exists()


def test_meeting_yaml_linking_to_a_system_file_is_refused_unread(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    (world.meeting / "roster.yaml").unlink()
    (world.meeting / "roster.yaml").symlink_to("/etc/passwd")
    _both_refuse(world, f"{world.meeting / 'roster.yaml'}: is a link to /etc/passwd, outside the meeting folder")
    assert "root:" not in world.council("validate", world.meeting).text


@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/passwd"])
def test_a_font_path_outside_the_folder_is_refused_where_it_is_written(tmp_path: Path, path: str) -> None:
    from meetings import MEETING
    theme = f"theme:\n  fonts:\n    regular: {{path: {path}}}\n    bold: {{path: {path}}}\n"
    world = make_world(tmp_path, meeting=MEETING + theme)
    _both_refuse(world, f"{world.meeting / 'meeting.yaml'}:20:15: theme.fonts.regular.path: must be a path inside "
                        "the meeting folder, or an absolute path to a font installed on this machine")
    assert "root:" not in world.council("build", world.meeting).text


def test_a_font_linking_outside_the_folder_is_refused_unread(tmp_path: Path) -> None:
    from meetings import MEETING
    theme = "theme:\n  fonts:\n    regular: {path: fonts/a.ttf}\n    bold: {path: fonts/a.ttf}\n"
    world = make_world(tmp_path, meeting=MEETING + theme)
    (world.meeting / "fonts").mkdir()
    (world.meeting / "fonts" / "a.ttf").symlink_to("/etc/passwd")
    _both_refuse(world, f"{world.meeting / 'meeting.yaml'}: theme.fonts: fonts/a.ttf is a link to /etc/passwd, "
                        "outside the meeting folder; copy the font into the meeting folder")


def test_a_content_file_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    (world.meeting / PLAN_FILE).unlink()
    os.mkfifo(world.meeting / PLAN_FILE)
    _both_refuse(world, f"{world.meeting / PLAN_FILE}: is a pipe or device, not a file")


def test_a_content_file_linking_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    (world.meeting / PLAN_FILE).unlink()
    (world.meeting / PLAN_FILE).symlink_to("/dev/zero")
    _both_refuse(world, f"{world.meeting / PLAN_FILE}: is a link to /dev/zero, outside the meeting folder")


def test_a_picture_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    (world.meeting / "images" / "photo.png").unlink()
    os.mkfifo(world.meeting / "images" / "photo.png")
    _both_refuse(world, f"{world.meeting / PLAN_FILE}:8:10: slides[1].photos[0].path: images/photo.png: picture "
                        "not found (not a file)")


def test_a_huge_colspan_is_refused_at_once(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    table = "  - kind: table\n    title: 表\n    table:\n      rows:\n        - [a, b, c]\n" \
            "        - [{{text: x, colspan: {}}}, y, z]\n"
    plan = _plan(world, "slides:\n" + table.format(1_000_000) + table.format(1_000_000_000))
    _both_refuse(world, f"{plan}:7:22: slides[0].table.rows[1][0].colspan: expected at most 40, found 1000000",
                 f"{plan}:13:22: slides[1].table.rows[1][0].colspan: expected at most 40, found 1000000000")


def test_a_colspan_past_the_rows_columns_is_a_ragged_table_error(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    plan = _plan(world, "slides:\n  - kind: table\n    title: 表\n    table:\n      rows:\n        - [a, b, c]\n"
                        "        - [{text: x, colspan: 5}]\n")
    _both_refuse(world, f"{plan}:4:5: slides[0].table: row 2 covers 5 columns but row 1 covers 3: every row must "
                        "cover the same columns")


def test_a_5_mb_single_line_content_file_is_refused_at_once(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    plan = _plan(world, "slides: [{kind: bullets, title: t, items: [" + "あいうえお" * 350_000 + "]}]\n")
    assert plan.stat().st_size > 5_000_000
    _both_refuse(world, f"{plan}: file is larger than 1 MB; split it into several files")


def test_an_overlong_text_is_refused_where_it_is_written(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    plan = _plan(world, "slides: [{kind: bullets, title: t, items: [" + "あ" * 30_000 + "]}]\n")
    _both_refuse(world, f"{plan}:1:44: slides[0].items[0]: is 30,000 characters long; at most 20,000 are allowed "
                        "here")


def test_an_overlong_list_is_refused_where_it_is_written(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    plan = _plan(world, "slides: [{kind: bullets, title: t, items: [" + ", ".join(["a"] * 6_000) + "]}]\n")
    _both_refuse(world, f"{plan}:1:43: slides[0].items: this list has 6,000 entries; at most 5,000 are allowed")


def test_unprintable_chart_values_are_the_users_located_errors(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    charts = "".join(f"      - categories: [a, b]\n        series: [{{name: s, values: [{value}, 1]}}]\n"
                     for value in ("1.0e308", "5.0e-324", "-1.0e16"))
    plan = _plan(world, "slides:\n  - kind: chart\n    title: グラフ\n    charts:\n" + charts)
    _both_refuse(world, *(f"{plan}:{line}:37: slides[0].charts[{n}].series[0].values[0]: a chart value must be 0 or "
                          f"between 1e-06 and 1e+15 in size" for n, line in enumerate((6, 8, 10))))


def test_bullets_nested_300_deep_are_the_users_located_error(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    item: object = "x"
    for _ in range(300):
        item = {"text": "y", "children": [item]}
    plan = _plan(world, "slides:\n  - kind: bullets\n    title: t\n    items: " + json.dumps([item]) + "\n")
    _both_refuse(world, f"{plan}:4:", "mappings and lists nest more than 40 levels deep here; no slide needs that many")


def test_a_line_separator_in_a_title_is_found_by_validate_as_by_build(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    plan = _plan(world, PLAN.replace("title: 計画の概要", 'title: "計画\\u2028概要"'))
    _both_refuse(world, f"{plan}:3:5: slides[0].title: line separator U+2028 at position 3 is not allowed; start "
                        "a new line instead")


def test_a_space_the_font_lacks_is_found_by_validate_as_by_build(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    plan = _plan(world, PLAN.replace("title: 計画の概要", 'title: "計画\\u2003概要"'))
    _both_refuse(world, f"{plan}:3:5: slides[0].title: character '\\u2003' (U+2003) is not in the font BIZ "
                        "UDPGothic")


def test_a_material_title_over_255_characters_is_found_by_validate_as_by_build(tmp_path: Path) -> None:
    from meetings import MEETING
    world = make_world(tmp_path, meeting=MEETING.replace("title: 計画について", "title: " + "長" * 300))
    _both_refuse(world, f"{world.meeting / 'meeting.yaml'}:12:5: materials[0].title: is 300 characters long; at "
                        "most 200 are allowed here")


def test_a_date_before_meiji_is_refused_and_one_in_meiji_printed_as_such(tmp_path: Path) -> None:
    from meetings import MEETING
    world = make_world(tmp_path, meeting=MEETING.replace("date: 2025-02-20", "date: 1868-01-01"))
    _both_refuse(world, f"{world.meeting / 'meeting.yaml'}:3:1: date: dates are printed in the Japanese era style, "
                        "from 明治 (1868-10-23) on; a meeting cannot be dated earlier (found '1868-01-01')")
    (world.meeting / "meeting.yaml").write_text(MEETING.replace("date: 2025-02-20", "date: 1900-01-01").replace(
        "content: plan.yaml", "content: content/plan.yaml"), encoding="utf-8")
    run = world.council("build", world.meeting)
    assert run.code == 0, run.text
    from readback import pdf_chars, squash
    cover = "".join(c.text for line in pdf_chars(world.meeting / "build" / "00_会議次第.pdf")[:1] for c in line)
    assert "明治33年1月1日(月)" in squash(cover)


def test_a_meeting_number_of_true_is_refused(tmp_path: Path) -> None:
    from meetings import MEETING
    world = make_world(tmp_path, meeting=MEETING.replace("number: 5", "number: true"))
    _both_refuse(world, f"{world.meeting / 'meeting.yaml'}:2:1: number: expected a valid integer (a whole number), "
                        "found True")


def _big_picture(path: Path, mode: str = "RGB") -> None:
    """A picture with more pixels than its place needs, so that it is downscaled into the cache."""
    Image.new(mode, (3000, 2000), (30, 120, 200) if mode == "RGB" else 30000).save(path)


def _media(pptx: Path) -> list[Image.Image]:
    with zipfile.ZipFile(pptx) as deck:
        return [Image.open(io.BytesIO(deck.read(n))) for n in sorted(deck.namelist()) if n.startswith("ppt/media/")]


def _pdf_images(pdf: Path) -> list[Image.Image]:
    return [image.image for page in PdfReader(pdf).pages for image in page.images]


def test_a_damaged_cached_picture_is_made_again(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    world.env["COUNCIL_MATERIALS_CACHE"] = str(tmp_path / "cache")
    _big_picture(world.meeting / "images" / "photo.png")
    assert world.council("build", world.meeting, "-o", tmp_path / "first").code == 0
    cached = [p for p in (tmp_path / "cache" / "pictures").iterdir() if not p.name.startswith(".")]
    assert len(cached) == 1
    cached[0].write_bytes(cached[0].read_bytes()[:100])  # truncated, as by a full disk or a killed copy
    for command in ("validate", "build"):
        run = world.council(command, world.meeting, *(["-o", tmp_path / "second"] if command == "build" else []))
        assert run.code == 0, run.text
    first, second = (sorted((tmp_path / f).glob("01_*.pdf"))[0].read_bytes() for f in ("first", "second"))
    assert first == second


def test_an_unwritable_cache_folder_never_fails_a_build(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    _big_picture(world.meeting / "images" / "photo.png")
    assert world.council("build", world.meeting, "-o", tmp_path / "good").code == 0
    (tmp_path / "blocker").write_text("a file where the cache folder would go", encoding="utf-8")
    world.env["COUNCIL_MATERIALS_CACHE"] = str(tmp_path / "blocker" / "cache")
    before = snapshot(world.root, skip=(tmp_path / "out", tmp_path / "good"))
    for command in ("validate", "build"):
        run = world.council(command, world.meeting, *(["-o", tmp_path / "out"] if command == "build" else []))
        assert run.code == 0, run.text
    assert snapshot(world.root, skip=(tmp_path / "out", tmp_path / "good")) == before
    for name in outputs(tmp_path / "good"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "good" / name).read_bytes(), name
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == [".council-build.json"]


def test_a_picture_replaced_with_the_same_size_time_and_inode_is_read_again(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    photo = world.meeting / "images" / "photo.png"
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    data = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 40, 40)).save(data, "PNG")
    stat = photo.stat()
    assert len(data.getvalue()) <= stat.st_size
    with photo.open("r+b") as handle:  # in place: same inode; same size (bytes after IEND are not read)
        handle.write(data.getvalue().ljust(stat.st_size, b"\0"))
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp --preserve=timestamps leaves it
    assert (photo.stat().st_ino, photo.stat().st_size, photo.stat().st_mtime_ns) == \
        (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    run = world.council("build", world.meeting, "-o", out)
    assert run.code == 0, run.text
    assert _media(out / "01_資料1_計画について.pptx")[0].convert("RGB").getpixel((5, 5)) == (200, 40, 40)
    assert _pdf_images(out / "01_資料1_計画について.pdf")[0].convert("RGB").getpixel((5, 5)) == (200, 40, 40)


@pytest.mark.parametrize("big", [False, True], ids=["as is", "downscaled"])
def test_a_16_bit_greyscale_png_is_grey_in_both_outputs(tmp_path: Path, big: bool) -> None:
    world = make_world(tmp_path)
    photo = world.meeting / "images" / "photo.png"
    if big:
        _big_picture(photo, "I;16")
    else:
        Image.new("I;16", (60, 40), 30000).save(photo)
    run = world.council("build", world.meeting)
    assert run.code == 0, run.text
    out = world.meeting / "build"
    for image in _media(out / "01_資料1_計画について.pptx") + _pdf_images(out / "01_資料1_計画について.pdf"):
        assert image.mode == "L" and abs(image.getpixel((5, 5)) - 30000 / 257) <= 1


def _jpeg_turned(path: Path, width: int, height: int) -> None:
    """A JPEG stored landscape, left half red and right half blue, whose EXIF orientation 6 says: turn it a
    quarter clockwise to show it (as a phone held upright writes it)."""
    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, "JPEG", exif=exif, quality=95)


@pytest.mark.parametrize("size", [(80, 40), (3000, 1500)], ids=["as is", "downscaled"])
def test_a_phone_photo_with_exif_orientation_is_upright_in_both_outputs(tmp_path: Path, size: tuple[int, int]) \
        -> None:
    world = make_world(tmp_path)
    _jpeg_turned(world.meeting / "images" / "photo.jpg", *size)
    edit_plan(world, "images/photo.png", "images/photo.jpg")
    run = world.council("build", world.meeting)
    assert run.code == 0, run.text
    out = world.meeting / "build"
    shown = _media(out / "01_資料1_計画について.pptx") + _pdf_images(out / "01_資料1_計画について.pdf")
    assert len(shown) == 2
    for image in shown:
        width, height = image.size
        assert height > width  # portrait, as shown on the phone
        top, bottom = image.convert("RGB").getpixel((width // 2, 2)), image.convert("RGB").getpixel((width // 2, height - 3))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red on top, blue below


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_picture_named_without_an_extension_is_an_input_of_its_part(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    (world.meeting / "images" / "pic").write_bytes(_png(60, 40, (30, 120, 200)))
    edit_plan(world, "images/photo.png", "images/pic")
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    (world.meeting / "images" / "pic").write_bytes(_png(40, 60, (200, 40, 40)))
    assert world.council("build", world.meeting, "-o", out).code == 0
    assert _media(out / "01_資料1_計画について.pptx")[0].size == (40, 60)


@pytest.mark.parametrize("day, shown", [
    ("2019-05-01", "令和元年5月1日(水)"), ("2019-04-30", "平成31年4月30日(火)"), ("1989-01-08", "平成元年1月8日(日)"),
    ("1989-01-07", "昭和64年1月7日(土)"), ("1926-12-25", "昭和元年12月25日(土)"), ("1926-12-24", "大正15年12月24日(金)"),
    ("1912-07-30", "大正元年7月30日(火)"), ("1912-07-29", "明治45年7月29日(月)"), ("1868-10-23", "明治元年10月23日(金)"),
])
def test_every_era_starts_on_its_first_day(day: str, shown: str) -> None:
    import datetime as dt

    from council_materials.layout.cover import ERAS, era_date
    from council_materials.models.meeting import FIRST_DATE
    assert era_date(dt.date.fromisoformat(day)) == shown
    assert dt.date(*ERAS[-1][:3]) == FIRST_DATE  # what meeting.yaml refuses is what cannot be printed
