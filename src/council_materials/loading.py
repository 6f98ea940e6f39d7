"""Read YAML files of the meeting folder and validate them, keeping line numbers.

Input: a path and a pydantic model. Output: the validated model, or an
``InputError`` listing every problem with file, line, column and field path.
The YAML reader is deliberately small: UTF-8 only, no aliases (so no alias
bombs), no duplicate keys, nesting at most ``MAX_DEPTH`` deep, lists of at
most ``MAX_ENTRIES``, ``16:00`` stays a string (YAML 1.1 would read it as the
integer 960), so does ``2025-02-30`` (the model reads dates, and reports a day that does not
exist at its line), and only ``true``/``false`` are booleans. ``read_file`` reads
every file of the meeting folder: a regular file (never a folder, FIFO or
device, so nothing blocks), inside the meeting folder once links are resolved
(so nothing outside it is read or quoted), and at most ``MAX_BYTES``.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import os
import re
import stat
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem

__all__ = ["load_yaml", "validate", "load_model", "load_validated", "read_file", "LineIndex", "dotted", "walk",
           "models_in", "MAX_BYTES", "MAX_DEPTH", "MAX_ENTRIES"]

M = TypeVar("M", bound=BaseModel)
MAX_BYTES = 1024 * 1024
"""The largest YAML file read: 25 times the largest content file of a 1,200-page meeting (about 40 kB), and
small enough to be read (or refused) in seconds whatever it holds."""
MAX_DEPTH = 40
"""How deep mappings and lists may nest in a YAML file (bullets five levels deep nest about 12)."""
MAX_ENTRIES = 5_000
"""The most entries of one list in a YAML file (a table of 5,000 rows is about 150 pages)."""


def read_file(path: Path, limit: int = MAX_BYTES, inside: Path | None = None) -> bytes:
    """The bytes of ``path``, a regular file (inside the folder ``inside``, links resolved, when given) of at
    most ``limit`` bytes; else an ``InputError`` naming it, raised before anything is read from it."""
    def refuse(message: str) -> InputError:
        return InputError([Problem(path, message)])
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise refuse("file not found") from None
    except (OSError, RuntimeError) as exc:
        raise refuse(f"cannot be read ({getattr(exc, 'strerror', None) or 'a loop of links'})") from None
    if inside is not None and not resolved.is_relative_to(inside.resolve()):
        raise refuse(f"is a link to {resolved}, outside the meeting folder; only files inside the meeting folder "
                     "are read: copy the file into it")
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer
        handle = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror})") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):  # before fdopen, which raises IsADirectoryError for a folder
        os.close(handle)
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe or device"
        raise refuse(f"is {what}, not a file")
    with os.fdopen(handle, "rb") as source:
        too_big = refuse(f"file is larger than {limit / 1024 / 1024:g} MB; split it into several files")
        if info.st_size > limit:
            raise too_big
        try:
            data = source.read(limit + 1)
        except OSError as exc:
            raise refuse(f"cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise too_big
    return data


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML-1.2-like scalars and no aliases."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not supported in meeting files: write the value out in full",
                event.start_mark)
        return super().compose_node(parent, index)


# Dates stay strings too: the model reads them, so 2025-02-30 is reported at its line like any other value.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
                                                            "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float",
                              re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9]+(?:[eE][-+]?[0-9]+)?$"),
                              list("-+0123456789."))


class _FastLoader(yaml.CSafeLoader):
    """libyaml's parser (PyYAML's ``CSafeLoader``: its ``CParser`` with the safe constructor) with the same
    scalars as ``_Loader``, for files without unprintable characters; an alias shows as a node met twice
    (``_convert``), and any problem sends the file to ``_Loader``."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
# What the pure-Python reader refuses (yaml.reader.Reader.NON_PRINTABLE): such files take the slow path,
# which reports the character and where it is.
_UNPRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


class LineIndex:
    """Where each value of a loaded document starts: path tuple → (line, column), 1-based."""

    def __init__(self) -> None:
        self.marks: dict[tuple[Any, ...], tuple[int, int]] = {}

    def locate(self, data: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[int, int] | None]:
        """Follow a pydantic error location through ``data``; return the real path and its mark."""
        path: list[Any] = []
        node = data
        fresh = True  # nothing consumed inside the current mapping yet
        for part in loc:
            if fresh and isinstance(node, dict) and node.get("kind") == part:
                fresh = False  # pydantic's tag of a union keyed on 'kind', not a key
                continue
            fresh = True
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                path.append(part)
            # else: a union member name or a key that is missing: skip it
        return tuple(path), self.mark(tuple(path))

    def mark(self, path: tuple[Any, ...]) -> tuple[int, int] | None:
        """(line, column) of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            found = self.marks.get(path[:cut])
            if found:
                return found
        return None


class _TooBig(InputError):
    """Nesting deeper than ``MAX_DEPTH`` or a list longer than ``MAX_ENTRIES``: reported as it is, without a
    second reading."""


class _AliasSeen(Exception):
    """libyaml composed an alias (the same node twice): the pure-Python loader words the refusal."""


_MERGE = "tag:yaml.org,2002:merge"


def _convert(loader: Any, node: yaml.Node, path: tuple[Any, ...], index: LineIndex,
             problems: list[Problem], file: Path, seen: set[int]) -> Any:
    if id(node) in seen:
        raise _AliasSeen
    seen.add(id(node))
    index.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(path) >= MAX_DEPTH and isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        raise _TooBig([Problem(file, f"mappings and lists nest more than {MAX_DEPTH} levels deep here; no slide "
                                     "needs that many: flatten the structure", node.start_mark.line + 1,
                               node.start_mark.column + 1, dotted(path))])
    if isinstance(node, yaml.SequenceNode) and len(node.value) > MAX_ENTRIES:
        raise _TooBig([Problem(file, f"this list has {len(node.value):,} entries; at most {MAX_ENTRIES:,} are "
                                     "allowed: split it over several slides or materials", node.start_mark.line + 1,
                               node.start_mark.column + 1, dotted(path))])
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                problems.append(Problem(file, "merge keys (<<) are not supported in meeting files: write the keys "
                                              "out in full", key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, dotted(path) or None))
                continue
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                problems.append(Problem(file, "a mapping key must be a plain value",
                                        key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                continue
            if key in out:
                problems.append(Problem(file, f"duplicate key {key!r}", key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, dotted(path + (key,))))
                continue
            index.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _convert(loader, value_node, path + (key,), index, problems, file, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, child, path + (i,), index, problems, file, seen)
                for i, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(path: Path, inside: Path | None = None) -> tuple[Any, LineIndex]:
    """Parse one YAML file (read with ``read_file``); raise ``InputError`` naming the file and line on any
    problem."""
    return _load(path, read_file(path, inside=inside))


def _load(path: Path, raw: bytes) -> tuple[Any, LineIndex]:
    key = (str(path), hashlib.sha256(raw).digest())
    if key in _PARSED:  # a rebuild (council watch) re-reads unchanged files: parse each version once
        _PARSED.move_to_end(key)
        data, index = _PARSED[key]
        return copy.deepcopy(data), index
    data, index = _parse(path, raw)
    _PARSED[key] = (data, index)
    if len(_PARSED) > 64:
        _PARSED.popitem(last=False)
    return copy.deepcopy(data), index


_PARSED: OrderedDict[tuple[str, bytes], tuple[Any, LineIndex]] = OrderedDict()


def _parse(path: Path, raw: bytes) -> tuple[Any, LineIndex]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError([Problem(path, f"not UTF-8 (byte 0x{raw[exc.start]:02X}); save the file as UTF-8",
                                  line)]) from None
    if not _UNPRINTABLE.search(text):
        try:  # libyaml reads it ten times faster; an alias shows as a node met twice
            return _read(path, text, _FastLoader)
        except _TooBig:
            raise
        except (yaml.YAMLError, RecursionError, ValueError, InputError, _AliasSeen):
            pass  # read it again with the pure-Python loader, whose messages name the problem
    return _read(path, text, _Loader)


def _read(path: Path, text: str, make_loader: Callable[[str], Any]) -> tuple[Any, LineIndex]:
    """Compose ``text``'s single document and convert it, recording where each value starts."""
    index = LineIndex()
    problems: list[Problem] = []
    loader = None
    try:
        loader = make_loader(text)  # the pure-Python reader checks for unprintable characters right here
        node = loader.get_single_node()
        data = _convert(loader, node, (), index, problems, path, set()) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        raise InputError([Problem(path, f"invalid YAML: {message}", mark.line + 1 if mark else None,
                                  mark.column + 1 if mark else None)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError([Problem(path, f"character U+{exc.character:04X} is not allowed in YAML; remove it",
                                  line, column)]) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InputError([Problem(path, f"invalid YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if problems:
        raise InputError(problems)
    return data, index


def dotted(path: tuple[Any, ...]) -> str:
    """A field path as people write it: ``('slides', 0, 'items')`` → ``slides[0].items``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value inside a model or plain data (itself included), depth first in field order, with its field
    path."""
    yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk(getattr(value, name), path + (name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from walk(item, path + (i,))


def _allowed_keys(model: type[BaseModel], data: Any, path: tuple[Any, ...]) -> list[str]:
    """Field names of the model at ``path`` (best effort, for 'did you mean')."""
    current: Any = model  # a model class, or the annotation of a list's items
    node = data
    for part in path[:-1]:
        if not isinstance(node, (dict, list)):
            return []
        node = node[part]
        kind = node.get("kind") if isinstance(node, dict) else None
        if isinstance(part, int):
            current = _model_in(current, kind)
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = annotation if isinstance(node, list) else _model_in(annotation, kind)
    return list(getattr(current, "model_fields", {})) if isinstance(node, dict) else []


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The model classes an annotation names (itself, or inside a list, union or optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in models_in(arg)]


def _model_in(annotation: Any, kind: Any) -> type[BaseModel] | None:
    """The model inside ``annotation``; for a union keyed on ``kind``, the member of that kind."""
    models = models_in(annotation)
    for model in models:
        field = model.model_fields.get("kind")
        if kind is not None and field is not None and field.default == kind:
            return model
    return models[0] if models else None


_EXPECTED = {
    "int_type": "a valid integer (a whole number)", "int_parsing": "a valid integer (a whole number)",
    "int_from_float": "a valid integer (a whole number)",
    "float_type": "a number", "float_parsing": "a number",
    "string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ', or [a, b])",
    "dict_type": "a mapping (key: value lines)", "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "date_type": "a date like 2025-02-20", "date_parsing": "a date like 2025-02-20",
    "date_from_datetime_parsing": "a date like 2025-02-20",
    "time_type": 'a time like "16:00"', "time_parsing": 'a time like "16:00"',
}
_BOUNDS = {"greater_than": "more than {gt}", "greater_than_equal": "at least {ge}",
           "less_than": "less than {lt}", "less_than_equal": "at most {le}"}


def _shown(value: Any) -> str:
    """How a found value is named in a message: short repr, or what kind of thing it is."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 60:
        return f"{len(value):,} characters starting {value[:20]!r}"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _expected(error: ErrorDetails) -> str:
    """What the model wanted, in the words of someone editing YAML."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in _BOUNDS:
        return _BOUNDS[kind].format(**ctx)
    if kind == "literal_error":
        return f"one of {ctx.get('expected', '')}"
    message = error["msg"]
    return message[len("Input should be "):] if message.startswith("Input should be ") else message


def _message(error: ErrorDetails, model: type[BaseModel], data: Any, path: tuple[Any, ...]) -> str:
    """One error as a sentence: what is wrong, what was expected, what was found, a likely fix."""
    kind, ctx, found = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "extra_forbidden":
        key = path[-1] if path else error["loc"][-1]
        hint = difflib.get_close_matches(str(key), _allowed_keys(model, data, path), n=1)
        return f"unknown key {key!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
    if kind == "missing":
        return f"required field {error['loc'][-1]!r} is missing"
    if kind == "union_tag_invalid":
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        hint = difflib.get_close_matches(str(ctx.get("tag")), tags, n=1)
        return (f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} {ctx.get('tag')!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "") + f" (expected one of {', '.join(tags)})")
    if kind == "union_tag_not_found":
        return f"required field {str(ctx.get('discriminator', 'kind')).strip(chr(39))!r} is missing"
    if kind in ("string_too_long", "too_long") and isinstance(found, str):
        return (f"is {len(found):,} characters long; at most {ctx.get('max_length', 0):,} are allowed here: "
                "shorten it, or split it over several fields or slides")
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        have = ctx.get("actual_length")
        if kind == "too_short":
            return f"needs at least {limit} {'entry' if limit == 1 else 'entries'}, found {have or 'none'}"
        return f"allows at most {limit} entries, found {have}"
    if kind in ("date_parsing", "date_from_datetime_parsing") and isinstance(found, str) \
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found):
        return f"there is no day {found} ({str(ctx.get('error') or 'not a date').rstrip('.')}): check the day and month"
    if kind == "time_parsing" and isinstance(found, str):
        return (f"expected a time like \"16:00\" (24-hour clock, hours 00-23, minutes 00-59), found "
                f"{_shown(found)}")
    if kind in ("value_error", "assertion_error"):
        reason = re.sub(r"^(Value|Assertion) error, ", "", error["msg"])
        return reason if isinstance(found, (dict, list)) else f"{reason} (found {_shown(found)})"
    if kind == "literal_error" and isinstance(found, str):
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = difflib.get_close_matches(found, choices, n=1)
        if hint:
            return f"expected {_expected(error)}, found {_shown(found)}; did you mean {hint[0]!r}?"
    return f"expected {_expected(error)}, found {_shown(found)}"


def _superseded(path: tuple[Any, ...], error: ErrorDetails, paths: list[tuple[Any, ...]]) -> bool:
    """A union member's type error on a mapping or list, when another member explains the problem deeper."""
    return (error["type"].endswith("_type") and isinstance(error.get("input"), (dict, list))
            and any(len(other) > len(path) and other[:len(path)] == path for other in paths))


def _misspelt(located: list[tuple[ErrorDetails, tuple[Any, ...], Any]], model: type[BaseModel],
              data: Any) -> set[int]:
    """The 'missing' errors that an unknown key beside them explains (``titel`` for ``title``): one problem,
    the unknown key's 'did you mean', is enough."""
    unknown = [path for error, path, _ in located if error["type"] == "extra_forbidden" and path]
    found: set[int] = set()
    for error, path, _ in located:
        if error["type"] != "missing":
            continue
        name = str(error["loc"][-1])
        for other in unknown:
            if other[:-1] == path and difflib.get_close_matches(str(other[-1]), _allowed_keys(model, data, other),
                                                                n=1) == [name]:
                found.add(id(error))
    return found


def validate(model: type[M], data: Any, index: LineIndex, file: Path, *, prefix: tuple[Any, ...] = ()) -> M:
    """Validate ``data`` against ``model``; every error becomes a located ``Problem``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        located = [(error, *index.locate(data, tuple(error["loc"]))) for error in errors]
        deepest = [path + ((error["loc"][-1],) if error["type"] == "missing" else ()) for error, path, _ in located]
        problems = []
        explained = {path for error, path, _ in located if not error["type"].endswith("_type")}
        misspelt = _misspelt(located, model, data)
        for error, path, mark in located:
            if _superseded(path, error, deepest) or (error["type"] == "missing" and id(error) in misspelt):
                continue
            if error["type"].endswith("_type") and path in explained:
                continue  # another member of a union says what is wrong with this very value
            loc = tuple(error["loc"])
            field: str | None
            if error["type"] == "missing":
                field = dotted(prefix + path + (loc[-1],))
            else:
                field = dotted(prefix + path) or None
            problems.append(Problem(file, _message(error, model, data, path), mark[0] if mark else None,
                                    mark[1] if mark else None, field or None))
        raise InputError(problems) from None


def load_model(model: type[M], path: Path, inside: Path | None = None) -> M:
    """Load and validate one file."""
    data, index = load_yaml(path, inside)
    return validate(model, data, index, path)


def load_validated(model: type[M], path: Path, inside: Path | None = None) -> tuple[M, LineIndex, str]:
    """Load and validate one file, or take what an earlier build made of the same bytes with the same
    model and code (``incremental.validated``); also return the key of that (what a result made from
    the file is keyed by)."""
    from .incremental import validated

    raw = read_file(path, inside=inside)

    def made() -> tuple[M, LineIndex]:
        data, index = _load(path, raw)
        return validate(model, data, index, path), index
    return validated(model, raw, made)
