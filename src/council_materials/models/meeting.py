"""The meeting folder's own models: meeting, theme, roster, agenda, material list.

Input: the mappings read from ``meeting.yaml`` and ``roster.yaml``.
Output: validated, immutable models that the assembly stage numbers.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from .base import StrictModel
from .text import Slug, Text

__all__ = [
    "RelPath", "Color", "system_font_folders", "FontFile", "FontSet", "Theme", "TEMPLATE_SUFFIXES", "Person", "Roster",
    "AgendaTopic", "Agenda", "MaterialEntry", "Meeting",
]


def _relative_inside(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    drive = len(value) > 1 and value[1] == ":"  # C:\… is absolute on Windows
    if path.is_absolute() or drive or ".." in path.parts or not value.strip():
        raise ValueError("must be a relative path inside the meeting folder (no '..', not absolute)")
    return str(path)


RelPath = Annotated[str, AfterValidator(_relative_inside)]
"""A path relative to the meeting folder that cannot leave it."""

def _color_from_yaml(value: object) -> object:
    # An unquoted all-digit colour (accent: 333333) reaches us as an int: read it back as hex digits.
    return f"{value:06d}" if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else value


Color = Annotated[str, BeforeValidator(_color_from_yaml),
                  Field(pattern=r"^[0-9A-Fa-f]{6}$", description="RGB hex, e.g. 1F4E79")]


FIRST_DATE = dt.date(1868, 10, 23)
"""The first day of 明治 (Gregorian calendar), the first era dates are printed in."""
TITLE_LENGTH = 200
"""The longest council name or material title: with 資料N or 第N回 it stays under the 255 characters a PPTX
file's title property holds."""


Title = Annotated[Text, Field(max_length=TITLE_LENGTH)]


def _printable_date(value: dt.date) -> dt.date:
    if value < FIRST_DATE:
        raise ValueError("dates are printed in the Japanese era style, from 明治 (1868-10-23) on; a meeting "
                         "cannot be dated earlier")
    return value


def system_font_folders() -> tuple[Path, ...]:
    """The folders where this machine keeps installed fonts: a theme may name a font file by an absolute
    path only inside one of them."""
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data / "fonts", home / ".fonts",
               Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    windows = os.environ.get("WINDIR")
    if windows:
        folders.append(Path(windows) / "Fonts")
    return tuple(folders)


def _font_path(value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    relative = not path.is_absolute() and not (len(value) > 1 and value[1] == ":")
    if relative and ".." not in path.parts and value.strip():
        return str(path)
    if relative or ".." in path.parts or not any(Path(value).is_relative_to(f) for f in system_font_folders()):
        raise ValueError("must be a path inside the meeting folder, or an absolute path to a font installed on "
                         f"this machine (in {', '.join(str(f) for f in system_font_folders()[:3])}, …)")
    return value


class FontFile(StrictModel):
    """A TrueType font file (.ttf, or .ttc with the face index)."""

    path: Annotated[str, AfterValidator(_font_path)] = Field(
        description="Path to a .ttf/.ttc file, relative to the meeting folder, or absolute inside this machine's "
                    "font folders (/usr/share/fonts, ~/.local/share/fonts, …)")
    index: int = Field(0, ge=0, strict=True, description="Face index inside a .ttc collection")


class FontSet(StrictModel):
    """Regular and bold faces of the one family used in both outputs."""

    regular: FontFile
    bold: FontFile


TEMPLATE_SUFFIXES = (".pptx", ".potx")
"""What a PowerPoint template file may be: a presentation or a template (no macros, no old binary formats)."""


def _template_path(value: str) -> str:
    path = _relative_inside(value)
    if not path.lower().endswith(TEMPLATE_SUFFIXES):
        raise ValueError("must be a PowerPoint presentation or template: a .pptx or .potx file inside the meeting "
                         "folder")
    return path


Fallback = Literal["font", "artwork"]


class Theme(StrictModel):
    """Page and typography settings of a meeting's materials."""

    page: Literal["a4-landscape", "16:9"] = Field(
        "a4-landscape", description="Page size of the numbered materials (with a template: the template's, "
                                    "unless written here, when the two must agree)")
    template: Annotated[str, AfterValidator(_template_path)] | None = Field(
        None, description="The secretariat's PowerPoint template (.pptx or .potx, inside the meeting folder): the "
                          "decks are built on its slide master and layouts, and both outputs take its colours, "
                          "font, artwork and the places of its title, body and footer")
    layouts: dict[Annotated[str, Field(min_length=1, max_length=100)],
                  Annotated[str, Field(min_length=1, max_length=255)]] = Field(
        default_factory=dict, description="With a template: the layout (by its name in the template) that slides "
                                          "of a kind use, e.g. {section: セクション見出し}; other kinds get the layout "
                                          "that fits (a section header for 'section', else title and content)")
    fallbacks: list[Fallback] = Field(
        default_factory=list, description="With a template, what may stand in instead of failing, each with a "
                                          "warning: 'font' (a template font without a file in theme.fonts: the "
                                          "theme's font is used in both outputs), 'artwork' (master artwork the "
                                          "PDF cannot draw: left out of both outputs)")
    fonts: FontSet | None = Field(
        None, description="Font files; default: the bundled BIZ UDPGothic")
    accent: Color = "1F4E79"
    accent_light: Color = "DEEAF6"
    text_color: Color = "1A1A1A"
    base_size: float = Field(12.0, ge=6, le=40, description="Body text size in points")
    min_size: float | None = Field(
        None, ge=4, le=40,
        description="If set, text that does not fit may shrink down to this size instead of failing")
    max_size: float | None = Field(
        None, ge=6, le=60,
        description="Body text of a slide with little text grows up to this size to use the page; "
                    "default: 1.5 × base_size (base_size keeps every slide at base_size)")

    @model_validator(mode="after")
    def _sizes_in_order(self) -> "Theme":
        if self.max_size is not None and self.max_size < self.base_size:
            raise ValueError(f"max_size ({self.max_size:g}) must not be below base_size ({self.base_size:g})")
        if self.template is None and (self.layouts or self.fallbacks):
            raise ValueError("'layouts' and 'fallbacks' apply to a template: give 'template' too")
        return self

    @property
    def largest(self) -> float:
        """The largest body text size a slide may grow to."""
        return self.max_size if self.max_size is not None else 1.75 * self.base_size


class Person(StrictModel):
    """One roster entry."""

    post: Text = Field(description="役職, e.g. 建設局長")
    concurrent: list[Text] = Field(default_factory=list, description="兼務 posts")
    name: Text
    specialty: Text = Field(description="e.g. 土木, 建築, 医師")


class Roster(StrictModel):
    """組織名簿: chair, vice-chairs, members and observers (printed with ※)."""

    title: Text = "東京都技術会議組織名簿"
    chair: Person
    vice_chairs: list[Person] = Field(default_factory=list)
    members: list[Person] = Field(default_factory=list)
    observers: list[Person] = Field(default_factory=list)
    observer_legend: Text = "※ : オブザーバー"


class AgendaTopic(StrictModel):
    """A numbered topic (議題) with its sub-points and the materials it refers to."""

    title: Text
    points: list[Text] = Field(default_factory=list)
    materials: list[Slug] = Field(default_factory=list, description="ids of materials this topic refers to")


class Agenda(StrictModel):
    """会議次第: 開会, numbered topics, その他, 閉会."""

    opening: Text = "開会"
    topics: list[AgendaTopic]
    other: Text | None = Field("その他", description="Last numbered topic; null to omit")
    other_materials: list[Slug] = Field(
        default_factory=list, description="ids of materials presented under the last topic (その他): a material "
        "no topic refers to is warned of")
    closing: Text = "閉会"


class MaterialEntry(StrictModel):
    """One material as the meeting lists it, in order."""

    id: Slug
    title: Title
    owner: Text | None = Field(None, description="The working group or bureau responsible")
    source: str | None = Field(
        None, description="Material type that builds it (a plugin's name, or 'slides'); "
        "null for a listed-only reference")
    content: RelPath | None = Field(None, description="Content file, relative to the meeting folder")

    @model_validator(mode="after")
    def _content_needs_source(self) -> "MaterialEntry":
        if self.content is not None and self.source is None:
            raise ValueError("'content' is given but no 'source' says which material type reads it")
        return self


def _padded_hour(value: object) -> object:
    # "9:00" is how people write nine o'clock; the ISO reader wants "09:00".
    if isinstance(value, str) and len(value) == 4 and value[0].isdigit() and value[1] == ":":
        return "0" + value
    return value


Time = Annotated[dt.time, BeforeValidator(_padded_hour)]
"""A time of day, ``16:00`` (``9:00`` is read as ``09:00``)."""


class Meeting(StrictModel):
    """meeting.yaml: the meeting, its theme, agenda and materials in order."""

    council: Title = Field(description="Council name, e.g. 東京都技術会議")
    number: int = Field(ge=1, le=99_999, strict=True, description="Meeting number: 120 prints as 第120回")
    date: Annotated[dt.date, AfterValidator(_printable_date)]
    start: Time
    end: Time
    venue: Text | None = None
    roster: RelPath = Field("roster.yaml", description="Roster file")
    theme: Theme = Field(default_factory=Theme)
    agenda: Agenda
    materials: list[MaterialEntry] = Field(description="資料1 … 資料N in this order")
    references: list[MaterialEntry] = Field(default_factory=list, description="参考")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.time, info: ValidationInfo) -> dt.time:
        start = info.data.get("start")  # absent when 'start' itself is wrong: that is reported on its own
        if start is not None and end <= start:
            raise ValueError(f"the meeting must end after it starts ({start:%H:%M})")
        return end

    @property
    def title(self) -> str:
        return f"第{self.number}回 {self.council}"
