"""Start the next meeting from the last one: ``council new-meeting``.

Input: the previous meeting folder, a new folder (absent or empty, outside the
previous one), the new meeting's number, date and times, which materials to
clear, and the ``Registry``. Output: the new folder, holding

- every input of the previous meeting copied as it was (``meeting.yaml``, the
  roster, content files, pictures, fonts, templates…), and nothing else: no
  outputs (``build``, ``build-*`` and any folder holding a build's files), no
  hidden files or editors' leftovers, no links (a link is reported, not
  followed, so nothing outside the previous folder is read);
- ``meeting.yaml`` with ``number``, ``date``, ``start`` and ``end`` rewritten
  in place (its comments and layout kept);
- for each cleared material, a fresh content file: the smallest content its
  material type accepts, with placeholders 「（記入してください）」 where text
  is required;
- the JSON Schemas in ``schemas/`` beside ``meeting.yaml``, and every
  ``# yaml-language-server: $schema=`` line pointing there by a relative
  path, so editors complete and check the files wherever the folder lives.

``new_meeting`` returns what it did, for the CLI to print; the CLI then runs
``council validate`` on the new folder.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import CouncilError, InputError, Problem
from .loading import load_model, load_yaml
from .models import Meeting
from .plugins import Registry
from .schemas import write_schemas

__all__ = ["NewMeeting", "new_meeting", "skeleton", "PLACEHOLDER"]

PLACEHOLDER = "（記入してください）"
"""The text a cleared material's required fields start with."""

SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S*\s*$")
_SKIPPED_NAMES = re.compile(r"^(\..*|.*~|#.*#|.*\.sw[a-p]|__pycache__|build|build-.*|schemas)$")
"""What is never copied: hidden files, editors' leftovers, outputs and the old schemas."""


@dataclass
class NewMeeting:
    """What ``new_meeting`` did: the folder, the files copied, the cleared contents, what it left out."""

    folder: Path
    copied: list[Path] = field(default_factory=list)
    cleared: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    meeting: Meeting | None = None


def _fail(path: Path, message: str) -> CouncilError:
    return InputError([Problem(path, message)])


def _inputs(previous: Path, skipped: list[str]) -> list[Path]:
    """The previous meeting's input files (relative paths), outputs and leftovers left out."""
    found: list[Path] = []

    def visit(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            relative = entry.relative_to(previous)
            if _SKIPPED_NAMES.match(entry.name):
                continue
            if entry.is_symlink():
                skipped.append(f"{relative.as_posix()}: a link, not copied (copy the file itself if it is needed)")
            elif entry.is_dir():
                visit(entry)
            elif entry.is_file():
                found.append(relative)
            else:
                skipped.append(f"{relative.as_posix()}: not a regular file, not copied")
    visit(previous)
    return found


def _set_top_level(text: str, values: dict[str, str], index: Any) -> str:
    """``text`` (meeting.yaml) with the top-level keys in ``values`` set, each on its own line, comments
    kept; a key that is missing is added at the end."""
    lines = text.splitlines(keepends=True)
    for key, value in values.items():
        mark = index.marks.get((key,))
        if mark is None or mark[1] != 1:
            lines.append(f"{key}: {value}\n")
            continue
        line = lines[mark[0] - 1]
        comment = re.search(r"\s+#.*$", line.rstrip("\n"))
        lines[mark[0] - 1] = f"{key}: {value}" + (comment.group(0) if comment else "") + "\n"
    return "".join(lines)


def _with_schema_line(text: str, schema: str) -> str:
    """``text`` whose first line is the yaml-language-server line for ``schema`` (a relative path)."""
    line = f"# yaml-language-server: $schema={schema}\n"
    rest = text.splitlines(keepends=True)
    if rest and SCHEMA_LINE.match(rest[0].rstrip("\n")):
        rest = rest[1:]
    return line + "".join(rest)


def skeleton(model: type[BaseModel]) -> dict[str, Any]:
    """The smallest content ``model`` accepts: every required field, with 「（記入してください）」 for text,
    one entry for a list that needs one, the first choice of a fixed set."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        minimum = next((getattr(m, "min_length", None) for m in info.metadata if hasattr(m, "min_length")), None)
        out[name] = _placeholder(info.annotation, minimum or 0)
    return out


def _placeholder(annotation: Any, min_length: int = 0) -> Any:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _placeholder(args[0], min_length)
    if origin is typing.Literal:
        return args[0]
    if origin in (list, tuple):
        return [_placeholder(args[0]) for _ in range(min_length)]
    if origin is not None and args:  # a union: its first member that is not None
        return _placeholder(next(a for a in args if a is not type(None)))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return skeleton(annotation)
    if annotation is int:
        return 1
    if annotation is float:
        return 0.0
    if annotation is bool:
        return False
    return PLACEHOLDER


def _cleared_content(registry: Registry, source: str, title: str, label: str) -> str:
    """A fresh content file for material type ``source``: the smallest content its model accepts."""
    material_type = registry.material_types[source]
    model = registry.content_model(material_type)
    if material_type.lists_slides:
        data: dict[str, Any] = {"slides": [{"kind": "bullets", "title": title, "items": [PLACEHOLDER]}]}
    else:
        data = skeleton(model)
    try:
        model.model_validate(data)
    except ValidationError:
        pass  # council validate says what is still missing, at its line
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"# {label} {title}: cleared by council new-meeting; write this meeting's content here.\n" + body


def new_meeting(previous: Path, folder: Path, registry: Registry, *, number: int | None = None,
                date: dt.date, start: dt.time | None = None, end: dt.time | None = None,
                clear: frozenset[str] | set[str] = frozenset(), clear_all: bool = False) -> NewMeeting:
    """Create ``folder`` as the next meeting after ``previous`` (see the module docstring)."""
    previous = previous.resolve()
    if not (previous / "meeting.yaml").is_file():
        raise _fail(previous, "no meeting.yaml here: give the folder of the last meeting")
    target = folder.resolve()
    if target == previous or target.is_relative_to(previous) or previous.is_relative_to(target):
        raise _fail(folder, f"the new meeting's folder must lie outside the last meeting's ({previous})")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise _fail(folder, "already exists and is not an empty folder; name a new folder")
    old = load_model(Meeting, previous / "meeting.yaml", inside=previous)
    unknown = sorted(set(clear) - {entry.id for entry in old.materials + old.references})
    if unknown:
        raise _fail(previous / "meeting.yaml", f"--clear {', '.join(unknown)}: no material has that id; ids are: "
                                               f"{', '.join(e.id for e in old.materials + old.references)}")
    result = NewMeeting(folder)
    files = _inputs(previous, result.skipped)
    target.mkdir(parents=True, exist_ok=True)
    for relative in files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(previous / relative, target / relative)
        result.copied.append(target / relative)
    text = (target / "meeting.yaml").read_text(encoding="utf-8")
    _, index = load_yaml(target / "meeting.yaml", inside=target)
    values = {"number": str(number if number is not None else old.number + 1), "date": date.isoformat()}
    values.update({key: f'"{when:%H:%M}"' for key, when in (("start", start), ("end", end)) if when is not None})
    (target / "meeting.yaml").write_text(_set_top_level(text, values, index), encoding="utf-8")
    write_schemas(registry, target / "schemas")
    schema_of = {target / "meeting.yaml": "meeting", target / old.roster: "roster"}
    for position, entry in enumerate(old.materials + old.references, 1):
        if entry.content is None or entry.source not in registry.material_types:
            continue
        path = target / entry.content
        schema_of[path] = entry.source
        label = f"資料{position}" if position <= len(old.materials) else "参考"
        if (clear_all or entry.id in clear) and entry.source is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_cleared_content(registry, entry.source, entry.title, label), encoding="utf-8")
            result.cleared.append(path)
    for path, name in schema_of.items():
        if path.is_file():
            relative = Path(*([".."] * len(path.parent.relative_to(target).parts)), "schemas", f"{name}.schema.json")
            path.write_text(_with_schema_line(path.read_text(encoding="utf-8"), relative.as_posix()),
                            encoding="utf-8")
    result.meeting = load_model(Meeting, target / "meeting.yaml", inside=target)
    return result
