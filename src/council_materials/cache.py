"""The cache folder: where the tool keeps what it can compute once and reuse, and how an entry is written.

``cache_root()`` is ``$COUNCIL_MATERIALS_CACHE`` if set, else
``$XDG_CACHE_HOME/council-materials`` (``~/.cache/council-materials``). Entries
are keyed by what they were made from (``incremental.py`` owns the keys of
everything a build reuses; font metrics and faces are keyed by their files), so
a stale entry is never used; deleting the folder is always safe.
``read_cached``/``write_cached`` never fail a build: an unreadable or unwritable
cache is simply not used. ``write_atomically`` is the one way the tool writes a
file that must never be seen half-written.
"""
from __future__ import annotations

import marshal
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["cache_root", "read_cached", "write_cached", "read_pickled", "write_pickled", "write_atomically"]


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
    try:
        write_atomically(cache_root() / kind / key, data)
    except OSError:
        pass


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (its folder created) through a temporary file moved into place: a reader
    sees the old file or the new one, never part of it. A failure leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
