"""Incremental builds: the one owner of what a build may take from an earlier one, and when.

Input: what each stage made, the key of what it was made from, and the files it read. Output:
whether an earlier result may be used instead of making it again. Nothing else in the tool keys,
stamps or keeps results for reuse: the stages ask here.

The model is make's depfile. A result has a *key*, a hash of everything it is made from that is not
a file the stage opened (a part's canonical slides or the key of what they were built from, the
theme, label and title, the options, ONE code stamp), and the list of files it *read*, each with its
stamp taken just before it was read (``Reads``: the layout records every picture it opens and every
file a plugin kind reads through ``LayoutContext.read_file``; the fonts are stamped when the load
stage reads them). It is reused only when its key matches and every recorded file still has the
same stamp: a picture named ``pic`` without an extension, replaced in place, is noticed like any
other, with no guessing from names.

- Stamps: ``file_stamp`` names a version of a file without reading it (size, modification and
  change time, inode: the change time cannot be set back, so a file rewritten in place with its old
  size and time still gets a new stamp); ``code_stamp`` stamps every source file of the core and of
  the plugins of a registry (material types, slide kinds, output formats) as loaded by this process.
- Parts: ``part_key``, and a ``BuildState`` per output folder (each part's key, pages and reads, each
  file's fingerprint, size and time), saved in the cache folder so that the next ``council build``
  process neither lays out nor renders a part whose key and reads are unchanged, as long as its files
  in the output folder are still the ones that build wrote (``reused_part``, ``current_file``).
- Intermediate results, in the cache folder (``cache.py``): a file validated with a model
  (``validated``), a material's slides built by its plugin (``reused_slides``), the text size chosen
  for each slide (``SizeChoices``, which the layout is given), a picture's check and its downscaled
  copies (``picture_check``, ``picture_copy``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sys
import tempfile
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, TypeVar

from . import __version__
from .cache import cache_root, read_cached, read_pickled, write_atomically, write_cached, write_pickled
from .errors import Problem

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from .layout.primitives import Document, Rect
    from .loading import LineIndex
    from .models import Meeting, SlideBase
    from .numbering import Bundle, NumberedMaterial
    from .plugins import Registry
    from .typography.fonts import FontPair

__all__ = ["file_stamp", "code_stamp", "canonical", "Read", "Reads", "unchanged", "part_key", "slides_key",
           "reused_slides", "keep_slides", "validated", "SizeChoices", "picture_check", "keep_picture_check",
           "picture_copy", "keep_picture_copy", "picture_cache_dir", "picture_folder", "FileRecord", "PartRecord",
           "BuildState", "load_state", "save_state", "reused_part", "current_file", "fingerprint",
           "file_fingerprint", "join_fingerprint"]

M = TypeVar("M")
T = TypeVar("T")


# -- stamps ---------------------------------------------------------------------------------------------------

def file_stamp(path: Path) -> str | None:
    """What names this version of a file without reading it: size, modification time, change time and
    inode (None when it cannot be seen). The change time is set by the system on every write and cannot
    be set back (``cp --preserve=timestamps``, ``touch -r`` restore only the modification time), so a file
    rewritten in place with the same size and time still gets a new stamp."""
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


@lru_cache(maxsize=None)
def _package_stamp(name: str) -> str:
    """Every ``.py`` file of the imported package ``name`` by path and stamp, once per process: the code a
    process runs is the code it imported first, whatever happens to the files later."""
    digest = hashlib.sha256()
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None) if module else None
    folders = list(getattr(module, "__path__", None) or ([str(Path(file).parent)] if file else []))
    for folder in folders:
        for source in sorted(Path(folder).rglob("*.py")):
            digest.update(f"{source}\0{file_stamp(source)}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _package(thing: Any) -> str:
    """The top-level package a function, class or object comes from ("" when unknown)."""
    module = getattr(thing, "__module__", None) if callable(thing) else type(thing).__module__
    return str(module or "").split(".")[0]


def _packages(registry: Registry | None) -> tuple[str, ...]:
    """The core and every package that gives the registry a material type, slide kind or output format."""
    names = {__name__.split(".")[0]}
    if registry is not None:
        for kind in registry.slide_kinds.values():
            names.update(_package(f) for f in (kind.model, kind.layout, kind.paginate) if f is not None)
        for material_type in registry.material_types.values():
            names.update((_package(material_type), _package(material_type.build),
                          _package(material_type.content_model)))
        for output in registry.output_formats.values():
            names.add(_package(output.render))
    return tuple(sorted(name for name in names if name))


def code_stamp(registry: Registry | None = None, packages: Iterable[str] = ()) -> str:
    """The one code stamp: the source files of the core and of the packages of ``registry``'s plugins (and of
    ``packages``): editing or upgrading code that builds, lays out or draws pages invalidates what it made."""
    digest = hashlib.sha256(__version__.encode())
    for name in sorted(set(_packages(registry)) | set(packages)):
        digest.update(f"\0{name}\0{_package_stamp(name)}".encode())
    return digest.hexdigest()


def canonical(value: Any) -> Any:
    """``value`` as plain tuples, strings and numbers whose ``repr`` is the same in every process (a
    model's own pickle holds the set of fields that were set, in hash order): what a key hashes."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return (type(value).__module__, type(value).__qualname__,
                tuple((name, canonical(getattr(value, name))) for name in type(value).model_fields))
    if isinstance(value, (list, tuple)):
        return tuple(canonical(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), canonical(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(item) for item in value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, tuple((f.name, canonical(getattr(value, f.name)))
                                               for f in dataclasses.fields(value)))
    return value


def _hash(*what: Any) -> str:
    return hashlib.sha256(repr(what).encode("utf-8", "surrogatepass")).hexdigest()


# -- reads: the depfile ---------------------------------------------------------------------------------------

Read = tuple[str, "str | None"]
"""A file read: its path, and its stamp just before it was read (``None``: it could not be seen)."""

_CHANGED = "changed while read"
"""The stamp recorded for a file seen in two versions by one layout: never a file's stamp, so the next build
reads it again."""


class Reads:
    """The files one layout read, each stamped just before it was first read; and what was made of each
    version of a file, so a slide laid out several times (its text size is chosen) opens a file once."""

    def __init__(self, made: dict[tuple[Path, str], Any] | None = None) -> None:
        self.stamps: dict[Path, str | None] = {}
        self._made = {} if made is None else made

    def record(self, path: Path) -> str | None:
        """Note that ``path`` is about to be read; its stamp now."""
        stamp = file_stamp(path)
        if self.stamps.setdefault(path, stamp) != stamp:
            self.stamps[path] = _CHANGED
        return stamp

    def open(self, path: Path, make: Callable[[], T]) -> T:
        """``make()`` (which reads ``path``), made once per version of the file; the read recorded."""
        stamp = self.record(path)
        if stamp is None:
            return make()
        if (path, stamp) not in self._made:
            self._made[(path, stamp)] = make()
        return self._made[(path, stamp)]

    def child(self) -> Reads:
        """A record of its own (one slide's reads) sharing what was made of each file."""
        return Reads(self._made)

    def add(self, reads: Iterable[Read] | Reads) -> None:
        for path, stamp in (reads.items() if isinstance(reads, Reads) else reads):
            if self.stamps.setdefault(Path(path), stamp) != stamp:
                self.stamps[Path(path)] = _CHANGED

    def items(self) -> tuple[Read, ...]:
        return tuple(sorted((str(path), stamp) for path, stamp in self.stamps.items()))


def unchanged(reads: Iterable[Read]) -> bool:
    """Whether every file read still has the stamp it had when it was read (absent ones still absent)."""
    return all(file_stamp(Path(path)) == stamp for path, stamp in reads)


def font_reads(fonts: FontPair) -> tuple[Read, ...]:
    """The theme's font files, stamped when the load stage read them."""
    return tuple(sorted({(str(face.path), face.stamp) for face in (fonts.regular, fonts.bold)}))


# -- keys -----------------------------------------------------------------------------------------------------

def part_key(material: NumberedMaterial | None, bundle: Bundle, registry: Registry, fonts: FontPair,
             meeting_dir: Path, draft: bool, cache_dir: Path) -> str | None:
    """A hash of everything the layout of a part is made from besides the files it reads; ``None`` when it
    cannot be computed (a value without a stable repr).

    For a material: its slides (what they hold, not what they were built from: a change of meeting.yaml that
    leaves them as they were, the venue say, lays out only the cover again), label and title, the meeting's
    title and theme. For the cover (``material`` is ``None``): the meeting, the
    roster and every entry's number and title. For both: the font faces used (their files are reads), the
    folders, the options, the document date and the code.
    """
    from .layout.document import document_date

    meeting = bundle.meeting
    if material is None:
        what: Any = ("cover", meeting, bundle.roster,
                     tuple((m.label, m.position, m.entry, m.title) for m in bundle.materials))
    else:
        what = (material.label, material.id, material.title, material.slides, meeting.title, meeting.theme)
    faces = tuple((str(face.path), face.index) for face in (fonts.regular, fonts.bold))
    # repr, not pickle: a pickle depends on which equal strings are the same object
    text = repr((canonical(what), faces, str(meeting_dir), str(cache_dir), draft, code_stamp(registry),
                 sorted(registry.slide_kinds), document_date(meeting)))
    if " object at 0x" in text:
        return None  # lay the part out every time
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def slides_key(build: Callable[..., Any], source: str, entry_id: str, label: str, position: int, meeting: str,
               content: str, registry: Registry) -> str:
    """What a builder's slides are made from: the builder, meeting.yaml (its key ``meeting``), the entry, its
    number, the content file as validated (its key ``content``) and the code (a builder reads nothing else);
    "" (not kept) for a builder that has no name to key it by: a lambda, or a function made inside another,
    whose closure may hold anything."""
    name = f"{getattr(build, '__module__', '')}.{getattr(build, '__qualname__', '<?>')}"
    if "<" in name or not callable(build) or not hasattr(build, "__code__"):
        return ""
    return _hash(name, source, entry_id, label, position, meeting, content, code_stamp(registry))


def reused_slides(key: str) -> tuple[tuple[SlideBase, ...], frozenset[str]] | None:
    """The slides built before from the same inputs, with every character of them and their content."""
    made = read_pickled("slides", key)
    if isinstance(made, tuple) and len(made) == 2 and isinstance(made[0], tuple) and isinstance(made[1], frozenset):
        return made
    return None


def keep_slides(key: str, slides: Sequence[SlideBase], chars: frozenset[str]) -> None:
    write_pickled("slides", key, (tuple(slides), chars))


_MODEL_STAMPS: dict[type, str] = {}


def _model_stamp(model: type[BaseModel]) -> str:
    """What a model validates with: every model class reachable from its fields (so the built-in slides
    type's union over the registered kinds) and the code of their packages and of the core."""
    from .loading import models_in

    if model not in _MODEL_STAMPS:
        seen: dict[type, None] = {}
        pending = [model]
        while pending:
            current = pending.pop()
            if current not in seen:
                seen[current] = None
                pending += [m for field in current.model_fields.values() for m in models_in(field.annotation)]
        names = sorted(f"{m.__module__}.{m.__qualname__}" for m in seen)
        _MODEL_STAMPS[model] = _hash(names, code_stamp(packages=(m.__module__.split(".")[0] for m in seen)))
    return _MODEL_STAMPS[model]


def validated(model: type[BaseModel], raw: bytes, make: Callable[[], tuple[Any, LineIndex]]) \
        -> tuple[Any, LineIndex, str]:
    """The file whose bytes are ``raw`` validated with ``model`` (``make()``), or what an earlier build made
    of the same bytes with the same model and code; and that key. Validating builds a model's schema, the
    larger part of a build's start: a file that did not change costs an unpickling instead."""
    from .loading import LineIndex

    key = hashlib.sha256(f"{_model_stamp(model)}\0".encode() + raw).hexdigest()
    cached = read_pickled("validated", key)
    if isinstance(cached, tuple) and len(cached) == 3 and isinstance(cached[0], dict) \
            and isinstance(cached[2], LineIndex):
        # The validated fields, not the model itself: a model made at run time (the built-in slides
        # type's, over every registered kind) cannot be pickled by name.
        return model.model_construct(_fields_set=cached[1], **cached[0]), cached[2], key
    value, index = make()
    write_pickled("validated", key, ({name: getattr(value, name) for name in type(value).model_fields},
                                     set(value.model_fields_set), index))
    return value, index, key


# -- text sizes chosen for slides -----------------------------------------------------------------------------

Choice = tuple[float, float, int, bool]
"""A slide's body text size, line pitch, columns given up and whether text may shrink (``layout.sizing``)."""


class SizeChoices:
    """The text size chosen for each slide of one material, kept in the cache folder (one entry per
    material): a slide laid out before with the same JSON, body, theme, fonts and code, whose
    recorded reads (its pictures, the fonts) are unchanged, is laid out once, at the size chosen then (a
    bad picture is a placeholder of the same size in a draft build and an error in another: the choice is
    the same).
    The layout is given one (``layout_material(..., choices=)``); ``save`` keeps what it chose."""

    def __init__(self, material_id: str, meeting: Meeting, fonts: FontPair, meeting_dir: Path,
                 registry: Registry) -> None:
        faces = tuple((str(face.path), face.index) for face in (fonts.regular, fonts.bold))
        self._base = repr((canonical(meeting.theme), faces, str(meeting_dir), code_stamp(registry)))
        self._store = _hash(str(meeting_dir), material_id, self._base)
        self._fonts = font_reads(fonts)
        kept = read_cached("sizes", self._store)
        self._kept: dict[str, Any] = kept if isinstance(kept, dict) else {}
        self._made: dict[str, Any] = {}

    def _key(self, slide: SlideBase, body: Rect) -> str | None:
        # canonical, not model_dump_json: pydantic builds a model's serializer on first use (the models defer
        # their build), 0.10-0.13 s in every worker of a build
        return _hash(self._base, repr(canonical(slide)), (body.x, body.y, body.w, body.h))

    def get(self, slide: SlideBase, body: Rect) -> Choice | None:
        """The choice made before for ``slide`` in ``body``, while what it read is unchanged."""
        key = self._key(slide, body)
        entry = self._kept.get(key) if key is not None else None
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], tuple)
                and len(entry[0]) == 4 and isinstance(entry[1], tuple) and unchanged(entry[1])):
            return None
        return entry[0]

    def keep(self, slide: SlideBase, body: Rect, choice: Choice, reads: Reads) -> None:
        key = self._key(slide, body)
        if key is not None:
            self._made[key] = (tuple(choice), tuple(sorted(set(reads.items()) | set(self._fonts))))

    def save(self) -> None:
        """Keep the choices made for the material's slides, for its next layout."""
        if self._made and self._made != self._kept:
            write_cached("sizes", self._store, self._made)


# -- pictures: checks and downscaled copies -------------------------------------------------------------------

_CHECKED: dict[str, tuple[Any, ...]] = {}
_INTACT: dict[tuple[Path, str], bool] = {}


def _check_key(path: Path) -> str | None:
    stamp = file_stamp(path)
    return None if stamp is None else _hash(str(path), stamp)


def picture_check(path: Path) -> tuple[Any, ...] | None:
    """What checking this very version of the picture file found before, in this process or in an earlier
    build: decoding every pixel of every picture again would be most of the layout's time."""
    key = _check_key(path)
    if key is not None and key not in _CHECKED:
        found = read_cached("picture-checks", key)
        if isinstance(found, tuple):
            _CHECKED[key] = found
    return _CHECKED.get(key) if key is not None else None


def keep_picture_check(path: Path, found: tuple[Any, ...]) -> None:
    key = _check_key(path)
    if key is not None:
        _CHECKED[key] = found
        write_cached("picture-checks", key, found)


def picture_copy(target: Path) -> bool:
    """Whether the downscaled copy ``target`` is there as it was written (same size and SHA-256)."""
    stamp = file_stamp(target)
    if stamp is None:
        return False
    if (target, stamp) not in _INTACT:
        record = read_cached("picture-files", target.name)
        try:
            ok = isinstance(record, tuple) and len(record) == 2 and record[0] == target.stat().st_size \
                and record[1] == hashlib.sha256(target.read_bytes()).hexdigest()
        except OSError:
            ok = False
        _INTACT[(target, stamp)] = ok
    return _INTACT[(target, stamp)]


def original_kept(target: Path) -> bool:
    """Whether the downscaled copy ``target`` came out larger than its original once (a flat drawing can
    compress worse once resampled), so the original is shown instead: it is not made again."""
    return read_cached("picture-originals", target.name) is True


def keep_original(target: Path) -> None:
    write_cached("picture-originals", target.name, True)


def keep_picture_copy(target: Path, data: bytes) -> bool:
    """Write the downscaled copy ``target``; ``False`` when its folder cannot be written."""
    try:
        write_atomically(target, data)
    except OSError:
        return False
    write_cached("picture-files", target.name, (len(data), hashlib.sha256(data).hexdigest()))
    _INTACT[(target, file_stamp(target) or "")] = True
    return True


def picture_cache_dir() -> Path:
    """``pictures`` under the tool's cache folder (``cache.cache_root``)."""
    return cache_root() / "pictures"


def picture_folder(preferred: Path, fallback: Path) -> Path:
    """``preferred`` if a file can be written there, else ``fallback`` (created): the cache folder is
    optional, so a build whose cache cannot be written keeps its converted pictures elsewhere."""
    for folder in (preferred, fallback):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
            os.close(handle)
            os.unlink(probe)
            return folder
        except OSError:
            continue
    return fallback


# -- the state of an output folder ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FileRecord:
    """What the build that wrote a file knew about it."""

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class PartRecord:
    """What the build that wrote a part's files knew: its key, page count, draft placeholders, and the files
    its layout read with their stamps."""

    key: str | None
    pages: int
    placeholders: tuple[Problem, ...] = ()
    reads: tuple[Read, ...] = ()


@dataclass(frozen=True)
class BuildState:
    """The files a build wrote into ``out_dir``, by name, and its parts, by file stem; handed to the next
    build (or saved for the next process) to reuse them."""

    out_dir: Path
    files: dict[str, FileRecord] = field(default_factory=dict)
    parts: dict[str, PartRecord] = field(default_factory=dict)


def _state_file(out_dir: Path) -> Path:
    return cache_root() / "builds" / hashlib.sha256(str(out_dir).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def load_state(out_dir: Path) -> BuildState | None:
    """The state saved by the last build into ``out_dir`` (by any process), or None."""
    try:
        state = pickle.loads(_state_file(out_dir).read_bytes())
    except Exception:  # missing, unreadable, written by another version: build without it
        return None
    return state if isinstance(state, BuildState) and state.out_dir == out_dir else None


def save_state(state: BuildState) -> None:
    """Keep ``state`` for the next build into the same folder; a cache that cannot be written is not used."""
    try:
        write_atomically(_state_file(state.out_dir), pickle.dumps(state, protocol=5))
    except OSError:
        pass


def current_file(previous: BuildState | None, name: str, fingerprint: str | None = None) -> Path | None:
    """The file ``name`` in the output folder, if the previous build wrote it (with ``fingerprint``, when
    given) and nobody has changed it since."""
    if previous is None or name not in previous.files:
        return None
    record = previous.files[name]
    path = previous.out_dir / name
    try:
        stat = path.stat()
    except OSError:
        return None
    if (record.size, record.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        return None
    return path if fingerprint is None or record.fingerprint == fingerprint else None


def reused_part(previous: BuildState | None, stem: str, key: str | None, names: Sequence[str]) \
        -> tuple[PartRecord, list[Path]] | None:
    """The previous build's record of part ``stem`` and its files ``names`` in the output folder, when its key
    is ``key``, every file it read is unchanged and every one of its files is still the one it wrote."""
    record = previous.parts.get(stem) if previous is not None and key is not None else None
    if record is None or record.key != key or not unchanged(record.reads):
        return None
    currents = [current for current in (current_file(previous, name) for name in names) if current is not None]
    if len(currents) != len(names):
        return None
    return record, currents


_digests: dict[tuple[Path, str], str] = {}


def _file_digest(path: Path) -> str:
    """SHA-256 of a file, once per version of it."""
    stamp = file_stamp(path)
    if stamp is None:
        return "missing"
    key = (path, stamp)
    if key not in _digests:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _digests[key] = digest.hexdigest()
    return _digests[key]


def fingerprint(document: Document, format: str) -> str:
    """Hash of everything the ``format`` renderer reads to write ``document`` of a part without a key: the
    document itself (its repr: every page, position and line), the bytes of every file it names (the fonts,
    every picture, the template), and the code."""
    from .layout.primitives import Picture

    files = {document.fonts.regular, document.fonts.bold}
    files.update(item.path for page in document.pages for item in page.items if isinstance(item, Picture))
    if document.template is not None:
        files.add(document.template.path)
    digest = hashlib.sha256(f"{format}\0{code_stamp()}\0".encode())
    digest.update(repr(document).encode("utf-8", "surrogatepass"))  # not its pickle: that depends on which
    # equal strings happen to be one object
    for path in sorted(files):
        digest.update(f"\0{path}\0{_file_digest(path)}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def file_fingerprint(key: str, reads: Iterable[Read], format: str) -> str:
    """A file's fingerprint from its part's key and reads, which cover everything its document is made of
    and the files it names: hashing the document itself costs as much as laying it out."""
    return _hash(format, key, tuple(reads))


def join_fingerprint(document: Document, titles: Sequence[str], parts: Sequence[str], stamps: dict[str, str]) -> str:
    """The combined PDF's fingerprint: made of its parts' (it is joined from them) and its metadata."""
    return _hash("join", code_stamp(), tuple(titles), document.title, document.author, document.subject,
                 document.created, tuple((part, stamps[part]) for part in parts))
