"""The output folder: where a build may write, and which files in it a build may replace or remove.

Input: the meeting folder, the output folder a user named, and (once the inputs are read) the files
the build reads. Output: refusals before any work (``check_location``: the meeting folder itself, a
folder containing it, an input folder, a folder of someone else's files; ``inputs_inside``: an input
the build reads lies in the output folder), and ``claim``: the folder created if needed, locked
against a second build, with a hidden staging folder inside it. ``OutputFolder.install`` then moves
each new file into place with ``os.replace`` (at every moment each output is its old or its new
version, whatever kills the process) and only then removes the tool's own stale files.

The manifest ``.council-build.json`` lists the files the tool wrote there, with the part (a
material's id, ``#cover``, ``#combined``) and format of each. Nothing else in the folder is ever
replaced or removed, so the folder may also hold the secretariat's own files; the folder itself is
never replaced, so its mode, group (a setgid shared folder) and mount stay as they are. A build
that makes only some parts or formats (``--only``, ``--format``) replaces and removes only files of
those: the others stay, and ``install`` says which.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import InputError, Problem

__all__ = ["MANIFEST", "INPUT_FOLDERS", "Written", "OutputFolder", "check_location", "inputs_inside", "claim",
           "read_manifest"]

MANIFEST = ".council-build.json"
LOCK = ".council-build.lock"
STAGING = ".council-staging-"
INPUT_FOLDERS = ("content", "images")
"""Folders of a meeting folder that hold its inputs by convention: never an output folder."""
_FORMAT = 1
_OWN = (MANIFEST, LOCK)


@dataclass(frozen=True)
class Written:
    """A file a build writes into the output folder: its name, its part (a material's id, ``#cover`` or
    ``#combined``) and its format (a registered output format's name: ``pdf``, ``pptx``, ``html``…)."""

    name: str
    part: str
    format: str


def _refuse(out_dir: Path, message: str) -> InputError:
    return InputError([Problem(out_dir, message)])


def _plain_name(name: object) -> bool:
    """A file name the manifest may list: no folder, not hidden, nothing that leaves the folder."""
    return isinstance(name, str) and bool(name) and "/" not in name and "\\" not in name and "\0" not in name \
        and not name.startswith(".")


def read_manifest(out_dir: Path) -> dict[str, Written] | None:
    """The files the manifest of ``out_dir`` lists, by name; ``None`` when there is no manifest.
    A manifest that cannot be read is refused: without it nobody knows which files are the tool's."""
    path = out_dir / MANIFEST
    try:
        raw = path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise _refuse(out_dir, f"cannot read {MANIFEST} ({exc.strerror})") from None
    if raw is None:
        return None
    files: dict[str, Written] | None
    try:
        data = json.loads(raw.decode("utf-8"))
        entries = data["files"] if data.get("council-materials") == _FORMAT else None
        files = None if entries is None else {
            entry["name"]: Written(entry["name"], str(entry["part"]), str(entry["format"]))
            for entry in entries if _plain_name(entry["name"])}
    except (ValueError, KeyError, TypeError, AttributeError):
        files = None
    if files is None:
        raise _refuse(out_dir, f"{MANIFEST} (the list of the files council wrote here) is damaged, so council "
                               "cannot tell its files from yours: move your own files elsewhere, delete the "
                               "folder's contents and build again, or build into a new folder")
    return files


def _entries(out_dir: Path) -> list[str]:
    """The names in ``out_dir`` other than the tool's own hidden files."""
    return sorted(name for name in os.listdir(out_dir) if name not in _OWN and not name.startswith(STAGING))


def _adopted(out_dir: Path, names: list[str]) -> dict[str, Written] | None:
    """A folder written by an earlier version (no manifest): the tool's when every file in it is one the
    saved state of the last build into it lists, with the size that build wrote."""
    from .incremental import load_state  # the state lives in the cache folder

    state = load_state(out_dir)
    if state is None or not names:
        return None
    for name in names:
        record = state.files.get(name)
        try:
            info = os.lstat(out_dir / name)
        except OSError:
            return None
        if record is None or not stat.S_ISREG(info.st_mode) or info.st_size != record.size:
            return None
    return {name: Written(name, "?", name.rsplit(".", 1)[-1]) for name in names}


def _owned(out_dir: Path) -> dict[str, Written]:
    """The files of ``out_dir`` that are the tool's; refuse a folder holding files of someone else's and
    no manifest."""
    files = read_manifest(out_dir)
    if files is not None:
        return files
    names = _entries(out_dir)
    adopted = _adopted(out_dir, names)
    if adopted is not None:
        return adopted
    if names:
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        raise _refuse(out_dir, f"the output folder already holds files that council did not write ({shown}) and "
                               f"no {MANIFEST} listing council's own: build into a new or empty folder, or move "
                               "those files away first. (Once council has built into a folder, your own files may "
                               "stay beside the outputs: a build replaces and removes only the files it wrote.)")
    return {}


def check_location(meeting_dir: Path, out_dir: Path) -> Path:
    """``out_dir`` resolved, or an ``InputError`` before any work: it is the meeting folder, contains it,
    lies inside its input folders, is not a folder, or holds files the tool did not write."""
    meeting = meeting_dir.resolve()
    out = out_dir.resolve()
    if out == meeting:
        raise _refuse(out, "the output folder is the meeting folder itself; a build must not mix its outputs "
                               f"with the inputs: build into a folder of its own, e.g. {meeting / 'build'} "
                               "(the default when -o is left out)")
    if meeting.is_relative_to(out):
        raise _refuse(out, f"the output folder contains the meeting folder {meeting}; choose a folder of its "
                               f"own, e.g. {meeting / 'build'} (the default when -o is left out)")
    for name in INPUT_FOLDERS:
        if out.is_relative_to(meeting / name):
            raise _refuse(out, f"the output folder lies inside {meeting / name}, which holds the meeting's "
                                   f"inputs; choose a folder of its own, e.g. {meeting / 'build'}")
    if out.exists() and not out.is_dir():
        raise _refuse(out, "the output path exists and is not a folder; name a folder")
    if out.is_dir():
        try:
            _owned(out)
        except PermissionError as exc:
            raise _refuse(out, f"cannot look into the output folder ({exc.strerror}); choose a folder you "
                                   "can write in") from None
    return out


def inputs_inside(out_dir: Path, meeting_dir: Path, inputs: Iterable[tuple[Path, Callable[[], Problem]]]) \
        -> list[Problem]:
    """Problems for inputs (each a file, and a function giving where its name is written) that lie inside
    ``out_dir``, and for ``out_dir`` lying inside a folder of the meeting folder that holds an input."""
    out, meeting = out_dir.resolve(), meeting_dir.resolve()
    if not out.is_relative_to(meeting):
        return []  # every input is inside the meeting folder (fonts aside: they are only read)
    problems, folders = [], set()
    for path, located in inputs:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            continue
        if resolved.is_relative_to(out):
            where = located()
            problems.append(Problem(where.file, f"{where.message} is inside the output folder {out}, whose files "
                                    "a build writes: keep inputs out of it (e.g. in images/), or build into another "
                                    "folder with -o", where.line, where.column, where.field))
        elif resolved.parent != meeting and out.is_relative_to(resolved.parent) and resolved.parent not in folders:
            folders.add(resolved.parent)
            problems.append(Problem(out_dir, f"the output folder lies inside {resolved.parent}, which holds "
                                    f"{located().message}, an input of the build: choose a folder of its own, e.g. "
                                    f"{meeting / 'build'}"))
    return problems


class OutputFolder:
    """A claimed output folder: locked, its manifest read, a staging folder ready inside it."""

    def __init__(self, out_dir: Path, staging: Path, owned: dict[str, Written]) -> None:
        self.out_dir, self.staging, self.owned = out_dir, staging, owned

    def check_names(self, written: Iterable[Written]) -> None:
        """Refuse, before any work, to write a name that a file of someone else's (or a folder) already has."""
        for entry in written:
            try:
                info = os.lstat(self.out_dir / entry.name)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                raise _refuse(self.out_dir / entry.name, "a build writes a file of this name, but a folder is there; "
                                                         "rename or move the folder")
            if entry.name not in self.owned:
                raise _refuse(self.out_dir / entry.name, f"a build writes a file of this name, but this one was "
                                                         f"not written by council (it is not in {MANIFEST}); "
                                                         "rename or move it first")

    def _write_manifest(self, files: Iterable[Written]) -> None:
        entries = [{"name": f.name, "part": f.part, "format": f.format} for f in sorted(files, key=lambda f: f.name)]
        lines = ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in entries)
        text = f'{{"council-materials": {_FORMAT}, "files": [\n{lines}\n]}}\n'
        try:
            if (self.out_dir / MANIFEST).read_text(encoding="utf-8") == text:
                return  # a build that changes nothing writes nothing
        except (OSError, ValueError):
            pass
        temp = self.staging / MANIFEST
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # the umask decides, as for outputs
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, self.out_dir / MANIFEST)

    def install(self, written: list[Written], formats: Iterable[str], only: str | None) -> list[str]:
        """Move every written file from the staging folder into place, then remove the tool's files of the
        same scope (the formats built; with ``only``, that material's) that this build did not write.
        Return the names of the tool's files kept from an earlier build (other parts or formats)."""
        new = {entry.name: entry for entry in written}
        self._write_manifest({**self.owned, **new}.values())  # first: every file that may be there is listed
        for name in new:
            os.replace(self.staging / name, self.out_dir / name)
        scope = set(formats)
        stale, kept = [], {}
        for name, entry in self.owned.items():
            if name in new:
                continue
            if entry.format in scope and (only is None or entry.part == only):
                stale.append(name)
            else:
                kept[name] = entry
        for name in stale:
            path = self.out_dir / name
            try:
                if not stat.S_ISDIR(os.lstat(path).st_mode):
                    path.unlink()
            except FileNotFoundError:
                pass
        kept = {name: entry for name, entry in kept.items() if os.path.lexists(self.out_dir / name)}
        self.owned = {**kept, **new}
        self._write_manifest(self.owned.values())
        return sorted(kept)


def _lock(out_dir: Path) -> int:
    """An exclusive lock on ``out_dir``'s lock file, or an ``InputError`` when another build holds it."""
    path = out_dir / LOCK
    for _ in range(10):  # the holder removes the file when it is done: lock the file that is there
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except PermissionError:
            handle = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise _refuse(out_dir, "another council build (or council watch) is writing into this folder right "
                                   "now; wait until it has finished, or build into another folder") from None
        try:
            same = os.fstat(handle).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        os.close(handle)
    raise _refuse(out_dir, "cannot lock the output folder: other builds keep starting and ending there")


def _unwritable(out_dir: Path, exc: OSError) -> InputError:
    reason = "the folder is read-only" if exc.errno == errno.EROFS else exc.strerror
    return _refuse(out_dir, f"cannot write into the output folder ({reason}); make it writable, or choose a folder "
                            "you can write to")


def _make(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _refuse(out_dir, f"cannot create the output folder ({exc.strerror}); create it yourself, or choose "
                               "a folder in a place you can write to") from None


@contextmanager
def claim(out_dir: Path) -> Iterator[OutputFolder]:
    """The output folder (created if missing), locked against other builds, its files checked again under
    the lock, stale staging folders of killed builds removed, and a fresh staging folder inside it; the
    staging folder and the lock are removed on the way out, whatever happened (and the folder too, when
    this build created it and failed)."""
    created = out_dir if not out_dir.exists() else None
    while created is not None and not created.parent.exists():
        created = created.parent  # the first folder this build creates
    _make(out_dir)
    try:
        handle = _lock(out_dir)
    except OSError as exc:
        raise _unwritable(out_dir, exc) from None
    staging, installed = None, False
    try:
        owned = _owned(out_dir)
        for name in os.listdir(out_dir):
            if name.startswith(STAGING) and stat.S_ISDIR(os.lstat(out_dir / name).st_mode):
                shutil.rmtree(out_dir / name, ignore_errors=True)  # left by a killed build: we hold the lock
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out_dir))
        except OSError as exc:
            raise _unwritable(out_dir, exc) from None
        yield OutputFolder(out_dir, staging, owned)
        installed = True
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        try:
            os.unlink(out_dir / LOCK)  # while still holding it: a build waiting on this file then retries
        except OSError:
            pass
        os.close(handle)
        if created is not None and not installed:  # a failed first build leaves no folder behind
            for folder in (out_dir, *out_dir.parents):
                try:
                    folder.rmdir()  # only if empty
                except OSError:
                    break
                if folder == created:
                    break
