"""Pictures: checked once, downscaled once, placed with ``fit`` or ``fill``, captioned with real text.

Input: a ``Photo`` (a PNG or JPEG relative to the meeting folder, caption, alt text, ``fit``)
and the box it may use. Output: a ``Picture`` primitive (the file both renderers embed, where,
and how it is cropped) with its caption as a ``TextBlock`` under it.

A picture that is missing, not a regular file (a folder, a FIFO, a device), larger than
``MAX_BYTES`` or ``MAX_PIXELS``, unreadable, of another format, or outside the meeting folder
(symbolic links resolved) is an ``InputError`` naming the file and the box it was meant for; in
draft mode (``LayoutContext.draft``) it becomes a visible placeholder with the reason instead,
recorded in ``ctx.placeholders``.

Both outputs embed the same file, shown as a person expects: a picture with more pixels than its
placed size needs at ``DPI``, one whose EXIF orientation says it is turned (every portrait phone
photo), and a 16-bit greyscale PNG (which PDF readers and Pillow's own conversion show white)
are made once into the cache folder, turned upright and as 8-bit samples, under a name made of
the content hash, size and conversion, so a rebuild reuses it (a downscaled picture that would
take more bytes, as a flat drawing can once resampled, keeps the original). A copy is used only
when it is intact (``incremental.picture_copy``): a damaged one is made again. When the cache
folder cannot be written, the build gives another folder (``incremental.picture_folder``);
failing that, the original is embedded. Every picture is opened through the context, which
records it as read; what checking a version of a file found is kept by ``incremental``.
"""
from __future__ import annotations

import hashlib
import io
import stat
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..incremental import (keep_original, keep_picture_check, keep_picture_copy, original_kept, picture_cache_dir,
                           picture_check, picture_copy)
from ..errors import InputError, OverflowError_, Problem
from ..models import Photo, plain
from .context import LEADING, SMALL_SIZE, LayoutContext
from .primitives import Box, Item, Picture, Rect, grouped

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["DPI", "MAX_PIXELS", "MAX_BYTES", "CAPTION_SIZE", "PHOTO_ASPECT", "Source", "open_picture", "photo",
           "photo_grid", "grid_columns", "grid_height", "embedded"]

DPI = 200
"""Pixels per inch a placed picture keeps; more are scaled away."""
MAX_PIXELS = 100_000_000
"""Larger pictures are refused (a decompression bomb, or a scan that belongs in another format)."""
MAX_BYTES = 200 * 1024 * 1024
"""Larger picture files are refused before they are read."""
CAPTION_SIZE = SMALL_SIZE
GAP = 8.0
PHOTO_ASPECT = 1.5
"""Width/height the grid plans for when choosing rows and columns (pictures keep their own)."""
_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
_SLACK = 1.25  # downscale only when the picture has this many times the pixels it needs


@dataclass(frozen=True)
class Source:
    """A checked picture: resolved path, format (PNG or JPEG), size in pixels as shown (turned upright),
    SHA-256 of its bytes, its EXIF orientation (1: upright) and whether it has 16-bit grey samples."""

    path: Path
    format: str
    width: int
    height: int
    digest: str = ""
    orientation: int = 1
    deep: bool = False

    @property
    def as_is(self) -> bool:
        """Whether both outputs can embed the file itself at its full size."""
        return self.orientation == 1 and not self.deep


def _checked(resolved: Path) -> Source | None:
    """The check of this very version of the file made before (``incremental.picture_check``)."""
    found = picture_check(resolved)
    return Source(resolved, *found) if found is not None and len(found) == 6 else None


def _remember(source: Source) -> None:
    keep_picture_check(source.path, (source.format, source.width, source.height, source.digest,
                                     source.orientation, source.deep))


def open_picture(ctx: LayoutContext, relative: str, field: str) -> Source:
    """Check the picture at ``relative`` (inside the meeting folder), recorded as read (``ctx.reads``), or
    raise ``InputError``; a version of a file checked already for this material (a slide is laid out more
    than once while its text size is chosen) is not looked up again."""
    return ctx.reads.open(ctx.meeting_dir / relative, lambda: _open_picture(ctx, relative, field))


def _open_picture(ctx: LayoutContext, relative: str, field: str) -> Source:
    path = ctx.meeting_dir / relative

    def fail(message: str) -> InputError:
        return InputError([Problem(path, message, field=ctx.where(field))])

    root = ctx.meeting_dir.resolve()
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise fail("picture not found") from None
    if not resolved.is_relative_to(root):
        raise fail(f"picture is outside the meeting folder (it resolves to {resolved})")
    try:
        info = resolved.stat()
    except OSError as exc:
        raise fail(f"cannot read picture ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise fail("picture not found (not a file)")
    if info.st_size > MAX_BYTES:
        raise fail(f"picture file is {info.st_size / 1024 / 1024:.0f} MB; the limit is {MAX_BYTES // 1024 // 1024} "
                   "MB: scale it down or compress it first")
    known = _checked(resolved)
    if known is not None:
        return known
    from PIL import Image, UnidentifiedImageError  # here: a build whose pictures were all checked before
    # never imports Pillow
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(resolved) as image:
                if image.format not in _FORMATS:
                    raise fail(f"unsupported picture format {image.format}; use PNG or JPEG")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise fail(f"picture is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); "
                               f"the limit is {MAX_PIXELS // 1_000_000} megapixels: scale it down first")
                image.load()
                orientation = _orientation(image)
                if orientation in _TURNED:
                    width, height = height, width
                source = Source(resolved, image.format, width, height,
                                hashlib.sha256(resolved.read_bytes()).hexdigest(), orientation, image.mode in _DEEP)
                _remember(source)
                return source
        except Image.DecompressionBombError as exc:  # refused by Pillow before we could count
            raise fail(f"picture is too large ({exc}); the limit is {MAX_PIXELS // 1_000_000} megapixels: "
                       "scale it down first") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise fail(f"cannot read picture ({exc or type(exc).__name__})") from None


_TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height
_DEEP = ("I;16", "I;16B", "I;16L", "I;16N", "I")  # 16-bit (or 32-bit) greyscale, as Pillow opens it


def _orientation(image: PILImage.Image) -> int:
    """The picture's EXIF orientation (1 to 8; 1 when it has none or an odd one)."""
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block: show the picture as it is stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _file_for(ctx: LayoutContext, source: Source, full: Rect) -> Path:
    """The file to embed for ``source`` shown at ``full`` (its uncropped size): itself, or a copy in the
    cache folder downscaled to ``DPI``, turned upright and with 8-bit samples as needed."""
    need_w = max(1, round(full.w / 72 * DPI))
    need_h = max(1, round(full.h / 72 * DPI))
    smaller = not (source.width <= need_w * _SLACK and source.height <= need_h * _SLACK)
    if not smaller:
        if source.as_is:
            return source.path
        need_w, need_h = source.width, source.height
    folder = ctx.cache_dir or picture_cache_dir()
    made = ("" if source.orientation == 1 else f"-o{source.orientation}") + ("-8bit" if source.deep else "")
    target = folder / f"{source.digest[:32]}-{need_w}x{need_h}{made}{_FORMATS[source.format]}"
    if picture_copy(target):
        return target
    if smaller and source.as_is and original_kept(target):  # the name holds the original's digest and the size
        return source.path
    data = _converted(source, need_w, need_h)
    if smaller and source.as_is and len(data) >= source.path.stat().st_size:
        keep_original(target)
        return source.path  # a flat drawing can compress worse once resampled: keep the original
    # no folder to keep it in (the build gives one it can write): the original
    return target if keep_picture_copy(target, data) else source.path


def _converted(source: Source, width: int, height: int) -> bytes:
    """``source`` as shown (EXIF orientation applied, 8-bit samples) at ``width`` × ``height`` pixels, in its
    own format."""
    from PIL import Image, ImageOps

    with Image.open(source.path) as image:
        turned = source.orientation in _TURNED
        image.draft(image.mode, (height, width) if turned else (width, height))  # JPEG: decode smaller, faster
        icc = image.info.get("icc_profile")
        shown = ImageOps.exif_transpose(image) if source.orientation != 1 else image
        if shown.mode in _DEEP:  # Pillow's own conversion clips 16-bit samples (everything turns white)
            shown = shown.convert("I").point(lambda value: value * (1 / 257)).convert("L")
        resized = shown if shown.mode in ("RGB", "RGBA", "L", "LA", "CMYK") else shown.convert("RGBA")
        if resized.size != (width, height):
            resized = resized.resize((width, height), Image.Resampling.LANCZOS)
        if source.format == "JPEG" and resized.mode not in ("RGB", "L", "CMYK"):
            resized = resized.convert("RGB")
        options = {"quality": 88} if source.format == "JPEG" else {}
        data = io.BytesIO()
        resized.save(data, source.format, icc_profile=icc, **options)
    return data.getvalue()


def embedded(ctx: LayoutContext, items: Sequence[Item]) -> list[Item]:
    """``items`` with each picture's file the one to embed at its placed size (``_file_for``). A slide
    laid out several times to choose its text size (``ctx.place_files`` off) places its pictures at
    sizes never printed: only the layout kept gets downscaled files."""
    out: list[Item] = []
    for item in items:
        source = _checked(item.path) if isinstance(item, Picture) else None
        if isinstance(item, Picture) and source is not None and item.path == source.path:
            left, top, right, bottom = item.crop
            full = Rect(0, 0, item.rect.w / (1 - left - right), item.rect.h / (1 - top - bottom))
            item = replace(item, path=_file_for(ctx, source, full))
        out.append(item)
    return out


def _placeholder(ctx: LayoutContext, error: InputError, relative: str, box: Rect, name: str) -> list[Item]:
    """A red-framed box saying why the picture is missing (draft builds only)."""
    ctx.placeholders.extend(error.problems)
    reason = "; ".join(problem.message for problem in error.problems)
    items: list[Item] = [Box(box, fill="FDECEC", stroke="C00000", stroke_width=1.0, name=f"{name} placeholder")]
    with ctx.raising():  # the longest text that fits, or none: never an overflow of its own
        for text in (f"写真を表示できません\n{relative}\n{reason}", f"写真を表示できません\n{relative}", "写真なし"):
            try:
                items.append(ctx.set_text(text, box.inset(4), size=8, color="C00000", align="center",
                                          valign="middle", name=f"{name} placeholder", source=f"{name}.path"))
                break
            except OverflowError_:
                continue
    return items


def photo(ctx: LayoutContext, item: Photo, rect: Rect, name: str) -> list[Item]:
    """A picture in ``rect`` with its caption right under it.

    ``fit`` letterboxes the whole picture and centres picture and caption as a group; ``fill``
    covers the box above the caption, cropping the picture evenly where it sticks out.
    """
    paras = ctx.paras(item.caption) if item.caption else []
    cap_h = ctx.measure(paras, rect.w, CAPTION_SIZE) if paras else 0.0
    room = rect.h - cap_h - (2 if paras else 0)
    if room < 24:
        raise OverflowError_(material=ctx.material, page=ctx.page, box=name, source=f"{name}.path",
                             needed=24 + rect.h - room, available=rect.h)
    box = Rect(rect.x, rect.y, rect.w, room)
    try:
        source = ctx.open_picture(item.path, f"{name}.path")
    except InputError as error:
        if not ctx.draft:
            raise
        items = _placeholder(ctx, error, item.path, box, name)
        placed = box
    else:
        crop = (0.0, 0.0, 0.0, 0.0)
        if item.fit == "fill":
            placed = box
            scale = max(box.w / source.width, box.h / source.height)
            side_x = (1 - box.w / (source.width * scale)) / 2
            side_y = (1 - box.h / (source.height * scale)) / 2
            crop = (round(side_x, 6), round(side_y, 6), round(side_x, 6), round(side_y, 6))
        else:
            scale = min(box.w / source.width, room / source.height)
            w, h = source.width * scale, source.height * scale
            placed = Rect(box.x + (box.w - w) / 2, box.y + (room - h) / 2, w, h)
        full = Rect(0, 0, source.width * scale, source.height * scale)
        items = [Picture(path=_file_for(ctx, source, full) if ctx.place_files else source.path, rect=placed,
                         alt=item.alt or plain(item.caption or ""), name=name, crop=crop)]
    if paras:
        items.append(ctx.set_text(paras, Rect(rect.x, placed.bottom + 2, rect.w, cap_h), size=CAPTION_SIZE,
                                  align="center", name=f"{name} caption", source=f"{name}.caption", role="caption"))
    return grouped(items, name)


def grid_columns(count: int, rect: Rect, columns: int | None = None) -> int:
    """Columns of the grid that shows ``count`` pictures largest inside ``rect`` (``columns`` if given)."""

    def picture_area(cols: int) -> float:
        rows = -(-count // cols)
        cell_w = (rect.w - GAP * (cols - 1)) / cols
        cell_h = (rect.h - GAP * (rows - 1)) / rows - CAPTION_SIZE * LEADING * 2
        if cell_h <= 0:
            return 0.0
        width = min(cell_w, cell_h * PHOTO_ASPECT)
        return width * width / PHOTO_ASPECT

    return columns or max(range(1, count + 1), key=lambda c: (round(picture_area(c), 1), -c))


def grid_height(ctx: LayoutContext, photos: Sequence[Photo], rect: Rect, columns: int | None = None) -> float:
    """The height ``photo_grid`` fills with pictures and captions in ``rect``: each row as high as its
    tallest picture at the cells' width (a picture that cannot be read counts as ``PHOTO_ASPECT``)."""
    if not photos:
        return 0.0
    cols = grid_columns(len(photos), rect, columns)
    rows = -(-len(photos) // cols)
    cell_w = (rect.w - GAP * (cols - 1)) / cols
    cell_h = (rect.h - GAP * (rows - 1)) / rows
    total = GAP * (rows - 1)
    for r in range(rows):
        tallest = 0.0
        for item in photos[r * cols:(r + 1) * cols]:
            try:
                source = ctx.open_picture(item.path)
                aspect = source.width / source.height
            except InputError:
                aspect = PHOTO_ASPECT
            caption = ctx.measure(ctx.paras(item.caption), cell_w, CAPTION_SIZE) + 2 if item.caption else 0.0
            tallest = max(tallest, min(cell_w / aspect, cell_h - caption) + caption)
        total += tallest
    return total


def photo_grid(ctx: LayoutContext, photos: Sequence[Photo], rect: Rect, name: str,
               columns: int | None = None) -> list[Item]:
    """Pictures in the grid (columns × rows) that shows them largest inside ``rect``, a last row with
    fewer pictures centred."""
    if not photos:
        return []
    count = len(photos)
    cols = grid_columns(count, rect, columns)
    rows = -(-count // cols)
    cell_w = (rect.w - GAP * (cols - 1)) / cols
    cell_h = (rect.h - GAP * (rows - 1)) / rows
    items: list[Item] = []
    for index, item in enumerate(photos):
        r, c = divmod(index, cols)
        left = rect.x + (cols - min(cols, count - r * cols)) * (cell_w + GAP) / 2  # a short last row centred
        cell = Rect(left + c * (cell_w + GAP), rect.y + r * (cell_h + GAP), cell_w, cell_h)
        items.extend(photo(ctx, item, cell, f"{name} photo {index + 1}"))
    return items
