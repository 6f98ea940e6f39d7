"""Where the tool keeps what it can compute once and reuse: font metrics, downscaled pictures.

``cache_root()`` is ``$COUNCIL_MATERIALS_CACHE`` if set, else
``$XDG_CACHE_HOME/council-materials`` (``~/.cache/council-materials``). Entries
are keyed by the content they were made from, so a stale entry is never used;
deleting the folder is always safe. ``read_cached``/``write_cached`` never
fail a build: an unreadable or unwritable cache is simply not used.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_root", "read_cached", "write_cached", "source_stamp"]


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
    folder = cache_root() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(value))
        os.replace(tmp, folder / key)
    except OSError:
        pass


_SOURCES: dict[tuple[str, ...], str] = {}


def source_stamp(packages: tuple[str, ...]) -> str:
    """A hash of the path, size and modification time of every ``.py`` file of the imported ``packages``
    (top-level names), once per process: a cached result made by other code is not reused."""
    if packages not in _SOURCES:
        digest = hashlib.sha256()
        for name in sorted(set(packages)):
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
        _SOURCES[packages] = digest.hexdigest()
    return _SOURCES[packages]
