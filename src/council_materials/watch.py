"""``council watch``: rebuild on every change to the meeting folder, and keep going past errors.

Input: a meeting folder, an output folder, a plugin-manager factory and a
function that prints a line. Output: a build at the start and after every
change (as ``watchfiles`` reports them), each one incremental: it is given
the previous build's ``BuildState``, so only the parts whose key or read files
changed are laid out and only the files whose fingerprint changed are rendered again (a changed content file re-renders its material,
the cover only when the meeting or roster changed, and the combined PDF
whenever anything in it did). A build that fails prints its errors and
leaves the outputs and the state of the last good build in place.
"""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import pluggy

from .build import build
from .errors import CouncilError, internal, report as error_report
from .incremental import BuildState

__all__ = ["Step", "build_step", "changed_paths", "watch", "is_editor_temporary", "lasting_changes"]

Report = Callable[[str], None]
Step = Callable[[BuildState | None], BuildState | None]


def build_step(meeting_dir: Path, out_dir: Path, pm_factory: Callable[[], pluggy.PluginManager], report: Report,
               formats: Sequence[str] = ()) -> Step:
    """One rebuild: build incrementally (in ``formats``, registered names; none: the default ones), print
    what was rendered or every error, return the new state."""
    def step(state: BuildState | None) -> BuildState | None:
        started = time.monotonic()
        try:
            result = build(meeting_dir, out_dir, pm_factory(), formats, previous=state)
        except CouncilError as exc:
            for line in error_report([exc]):
                report(line)
            report("the outputs of the last good build are unchanged; waiting for the next change")
            return state
        except Exception as exc:  # a bug must not end the session: say so and keep watching
            report(internal(exc))
            return state
        for problem in result.warnings:
            report(f"warning: {problem}")
        names = [path.name for path in result.rendered]
        kept = len(result.files) - len(names)
        report(f"built in {time.monotonic() - started:.1f} s: rendered {len(names)} "
               f"file{'s' if len(names) != 1 else ''}, kept {kept} unchanged, in {result.out_dir}"
               + (f" (and {len(result.kept)} of an earlier build, not built now)" if result.kept else ""))
        for name in names:
            report(f"  {name}")
        return result.state
    return step


def changed_paths(meeting_dir: Path, out_dir: Path, *, stop_event: threading.Event | None = None,
                  debounce_ms: int = 400, idle_ms: int | None = None) -> Iterator[set[Path]]:
    """The paths changed in ``meeting_dir``, one set per burst of changes, ignoring the output
    folder (with the build's staging folder inside it) and editors' swap and backup files. With
    ``idle_ms``, an empty set after each such quiet time too (the first says the watch has begun)."""
    import watchfiles

    out_dir = out_dir.resolve()

    class Filter(watchfiles.DefaultFilter):
        def __call__(self, change: watchfiles.Change, path: str) -> bool:
            if Path(path).is_relative_to(out_dir) or is_editor_temporary(Path(path).name):  # outputs, staging
                return False
            return super().__call__(change, path)

    idle: dict[str, Any] = dict(rust_timeout=idle_ms, yield_on_timeout=True) if idle_ms is not None else {}
    for changes in watchfiles.watch(meeting_dir, watch_filter=Filter(), debounce=debounce_ms,
                                    stop_event=stop_event, raise_interrupt=False, **idle):
        lasting = lasting_changes(changes)
        if lasting or not changes:  # a burst of nothing but passing files is no change (and no idle time)
            yield lasting


EDITOR_TEMPORARY = re.compile(
    r"^sed[A-Za-z0-9]{6}$"                   # sed -i
    r"|^4913$"                               # vim's probe for a writable folder
    r"|^\.goutputstream-[A-Za-z0-9]+$"       # GNOME (gedit)
    r"|^\.#|^#.*#$"                          # emacs' lock and auto-save files
    r"|\.(tmp|temp|bak|orig|swp|swo|swx)$"    # save-by-rename and backups
    r"|^~\$|~$|___jb_(tmp|old)___$",           # Office lock files, backups, JetBrains
    re.IGNORECASE)
"""Names of the files editors write beside the one being saved, and remove or keep as backups."""


def is_editor_temporary(name: str) -> bool:
    """Whether ``name`` is an editor's temporary or backup file: never an input of a build."""
    return bool(EDITOR_TEMPORARY.search(name))


def lasting_changes(changes: set[tuple[Any, str]]) -> set[Path]:
    """The paths of a burst of ``(change, path)`` except those made and removed within it (a file an
    editor saves through, whatever its name)."""
    import watchfiles

    kinds: dict[str, set[Any]] = {}
    for change, path in changes:
        kinds.setdefault(path, set()).add(change)
    return {Path(path) for path, seen in kinds.items()
            if not (watchfiles.Change.added in seen and watchfiles.Change.deleted in seen and not Path(path).exists())}


def watch(meeting_dir: Path, step: Step, report: Report, changes: Iterable[set[Path]]) -> BuildState | None:
    """Build once, then again after every set of ``changes``; return the last good state."""
    meeting_dir = meeting_dir.resolve()
    state = step(None)
    for paths in changes:
        shown = sorted(str(p.relative_to(meeting_dir)) if p.is_relative_to(meeting_dir) else str(p) for p in paths)
        report(f"changed: {', '.join(shown)}")
        state = step(state)
    return state
