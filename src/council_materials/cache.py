"""Where the tool keeps what it can compute once and reuse: font metrics, downscaled pictures.

``cache_root()`` is ``$COUNCIL_MATERIALS_CACHE`` if set, else
``$XDG_CACHE_HOME/council-materials`` (``~/.cache/council-materials``). Entries
are keyed by the content they were made from, so a stale entry is never used;
deleting the folder is always safe. ``read_cached``/``write_cached`` never
fail a build: an unreadable or unwritable cache is simply not used.
"""
from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_root", "read_cached", "write_cached", "read_pickled", "write_pickled", "source_stamp", "file_stamp",
           "canonical"]


def cache_root() -> Path:
    explicit = os.environ.get("COUNCIL_MATERIALS_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "council-materials"


def read_cached(kind: str, key: str) -> Any | None:
    """The value stored under ``kind/key`` (marshal format), or None."""
    try:
        return marshal.loads((cache_root() / kind / key).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_cached(kind: str, key: str, value: Any) -> None:
    """Store ``value`` (built-in types only) under ``kind/key``, atomically; ignore failures."""
    _write(kind, key, marshal.dumps(value))


def read_pickled(kind: str, key: str) -> Any | None:
    """The object pickled under ``kind/key`` by ``write_pickled`` (this tool's own models), or None.

    The cache folder is the user's own; an entry that cannot be read (damaged, or written by other
    code) is simply not used."""
    try:
        return pickle.loads((cache_root() / kind / key).read_bytes())
    except Exception:
        return None


def write_pickled(kind: str, key: str, value: Any) -> None:
    """Pickle ``value`` under ``kind/key``, atomically; ignore failures."""
    try:
        data = pickle.dumps(value, protocol=5)
    except Exception:  # e.g. a model defined inside a function: not kept
        return
    _write(kind, key, data)


def _write(kind: str, key: str, data: bytes) -> None:
    folder = cache_root() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / key)
    except OSError:
        pass


def file_stamp(path: Path) -> str | None:
    """What names this version of a file without reading it: size, modification time, change time and
    inode (None when it cannot be seen). The change time is set by the system on every write and cannot
    be set back (``cp --preserve=timestamps``, ``touch -r`` restore only the modification time), so a file
    rewritten in place with the same size and time still gets a new stamp."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


_SOURCES: dict[str, str] = {}


def source_stamp(packages: tuple[str, ...]) -> str:
    """A hash of the path, size and modification time of every ``.py`` file of the imported ``packages``
    (top-level names), each package's once per process: a cached result made by other code is not reused."""
    digest = hashlib.sha256()
    for name in sorted(set(packages)):
        if name not in _SOURCES:
            _SOURCES[name] = _package_stamp(name)
        digest.update(f"{name}\0{_SOURCES[name]}\0".encode())
    return digest.hexdigest()


def _package_stamp(name: str) -> str:
    digest = hashlib.sha256()
    module = sys.modules.get(name)
    folders = list(getattr(module, "__path__", None) or
                   ([str(Path(module.__file__).parent)] if module and getattr(module, "__file__", None) else []))
    for folder in folders:
        for source in sorted(Path(folder).rglob("*.py")):
            try:
                stat = source.stat()
            except OSError:
                continue
            digest.update(f"{source}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def canonical(value: Any) -> Any:
    """``value`` as plain tuples, strings and numbers whose ``repr`` is the same in every process (a
    model's own pickle holds the set of fields that were set, in hash order): what a cache key hashes."""
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
