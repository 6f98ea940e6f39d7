"""Problems, in one place: what went wrong, where the author finds it, and how it is told.

Library code raises the ``CouncilError`` hierarchy below; only ``cli.py`` knows about click. Every
problem carries what a working-group lead needs to fix it without a traceback: a located
``Problem`` (file, line, column, field) when it concerns a file of the meeting folder, else the
plugin, material, page and box. ``CouncilError.lines()`` is how every command tells an error (one
line per problem: ``file:line:column: field: message``), ``collected`` and ``raise_collected``
turn what a collect-all run found into one error, and ``report`` and ``count`` word it for the
command line, ``council watch`` and ``council new-meeting``.

A problem found late, by the layout, names what the layout knew (a picture file, a material's
page and box); ``locate_layout_error`` and ``locate_file_problems`` move it to where the author
wrote it (``Problem.at``): the value in the content file that names the file, the slide a page
was made from. Every error is picklable, so a worker process can hand it to the main one.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .inputs import Inputs
    from .loading import LineIndex
    from .numbering import NumberedMaterial

__all__ = [
    "CouncilError",
    "InputError",
    "Problem",
    "PluginError",
    "AssemblyError",
    "FontError",
    "LayoutError",
    "TemplateError",
    "OverflowError_",
    "CollectedErrors",
    "Interrupted",
    "PLUGIN_FAILURES",
    "failure",
    "raised",
    "internal",
    "collected",
    "raise_collected",
    "report",
    "count",
    "located",
    "slide_path",
    "locate_layout_error",
    "locate_file_problems",
]

PLUGIN_FAILURES = (Exception, SystemExit)
"""What plugin code may raise that is its own failure. ``SystemExit`` is one: a plugin calling ``sys.exit(0)``
must not end the tool with a status of its choosing (CI would read "passed"). ``KeyboardInterrupt`` is not:
it is the user's Ctrl-C, wherever it lands."""


def failure(exc: BaseException) -> str:
    """How a plugin's exception is told: its type and message (``sys.exit`` named as such)."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}); a plugin must raise an exception instead of ending the program"
    return f"{type(exc).__name__}: {exc}"


def plugin_frame(exc: BaseException, code: Any) -> str:
    """Where in the plugin's own files ``exc`` was raised, as ``path/builder.py:42`` (the deepest frame of its
    traceback inside the package that holds ``code``, the plugin's function); empty when none is."""
    import sys
    import traceback

    module = sys.modules.get(getattr(code, "__module__", "") or "")
    top = sys.modules.get((getattr(module, "__name__", "") or "").split(".")[0])
    files = getattr(top, "__file__", None)
    if not files:
        return ""
    folder = Path(files).resolve().parent if Path(files).name == "__init__.py" else Path(files).resolve()
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if Path(frame.filename).resolve().is_relative_to(folder)]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""


def traceback_text(exc: BaseException) -> str:
    """The whole traceback of ``exc``, as Python prints it (``council --traceback``)."""
    import traceback

    return "".join(traceback.format_exception(exc)).rstrip("\n")


def raised(exc: BaseException) -> str:
    """What plugin code did, as the end of a sentence: ``raised ValueError: …`` or ``called sys.exit(0); …``."""
    return failure(exc) if isinstance(exc, SystemExit) else f"raised {failure(exc)}"


def internal(exc: BaseException, doing: str = "") -> str:
    """A bug of the tool's, told as one line (``internal error laying out 資料1: KeyError: 'x'``)."""
    return f"internal error{' ' + doing if doing else ''}: {type(exc).__name__}: {exc}"


@dataclass(frozen=True)
class Problem:
    """One problem of an input file: where (``file``, 1-based ``line`` and ``column``, ``field`` path) and what.

    A problem may be found far from where its cause is written (a picture file found unreadable by the
    layout); ``at`` moves it there, keeping what it says."""

    file: Path | None
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.place()}: {self.message}"

    def place(self, relative_to: Path | None = None) -> str:
        """``file:line:column: field`` (the file relative to ``relative_to`` when inside it)."""
        file = self.file
        if file is not None and relative_to is not None and file.is_relative_to(relative_to):
            file = file.relative_to(relative_to)
        where = str(file) if file else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.field}" if self.field else where

    def at(self, file: Path, mark: tuple[int, int] | None, field: str | None, message: str | None = None) -> Problem:
        """This problem re-located: in ``file`` at ``mark`` (line, column) and ``field``."""
        return replace(self, file=file, line=mark[0] if mark else None, column=mark[1] if mark else None,
                       field=field or None, message=self.message if message is None else message)


class CouncilError(Exception):
    """Base of every error the tool reports to a user."""

    def describe(self) -> str:
        return str(self)

    def lines(self) -> list[str]:
        """One line per problem, in the order found, as every command prints them."""
        return [self.describe()]


@dataclass
class InputError(CouncilError):
    """One or more problems in the meeting folder's files."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class AssemblyError(InputError):
    """The meeting's materials, agenda or plugins do not fit together (each problem located in meeting.yaml);
    told as a whole, it says so in one message."""

    def __str__(self) -> str:
        return "meeting.yaml: " + "\n  ".join(["the materials do not fit together:",
                                               *(problem.message for problem in self.problems)])


class PluginError(CouncilError):
    """A plugin failed, misbehaved or was misconfigured; names the plugin."""

    def __init__(self, plugin: str, message: str, material: str | None = None, at: str = "",
                 traceback: str = "") -> None:
        self.plugin = plugin
        self.message = message
        self.material = material
        self.at = at
        """Where in the plugin's files it failed (``builder.py:42``; ``errors.plugin_frame``)."""
        self.traceback = traceback
        """The whole traceback, for ``council --traceback``."""
        where = f"plugin {plugin!r}"
        if material:
            where += f" (building material {material!r})"
        super().__init__(f"{at + ': ' if at else ''}{where}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.plugin, self.message, self.material, self.at, self.traceback)

    @classmethod
    def of(cls, plugin: str, exc: BaseException, code: Any, material: str | None = None,
           doing: str = "") -> PluginError:
        """The error of plugin code ``code`` (a function of the plugin's) that raised ``exc``: what it raised,
        where in the plugin's files, and the traceback for ``--traceback``."""
        return cls(plugin, f"{doing + ' ' if doing else ''}{raised(exc) if doing else failure(exc)}", material,
                   plugin_frame(exc, code), traceback_text(exc))


class FontError(CouncilError):
    """A font file is missing, unsupported, or lacks a glyph the build prints."""


class LayoutError(CouncilError):
    """A page cannot be laid out."""


class TemplateError(CouncilError):
    """A PowerPoint template (``theme.template``) that cannot be used: ``part`` is the part of its package at
    fault (``ppt/slideMasters/slideMaster1.xml``; ``None``: the file as a whole), ``message`` what is wrong."""

    def __init__(self, part: str | None, message: str) -> None:
        self.part, self.message = part, message
        super().__init__(f"{part}: {message}" if part else message)


class OverflowError_(LayoutError):
    """Text does not fit its box (named so as not to shadow the builtin)."""

    def __init__(self, *, material: str, page: int, box: str, source: str | None,
                 needed: float, available: float, unit: str = "pt", text: str = "") -> None:
        self.material, self.page, self.box, self.source = material, page, box, source
        self.needed, self.available, self.unit = needed, available, unit
        self.text = text
        """The text that did not fit, as the layout had it: what ``origins.find_origin`` finds in the content."""
        super().__init__(f"{self.where()}: {self.what()}")

    def where(self) -> str:
        """``資料4 (minato), page 2, box 'card 1 field 3', field …``: where in the laid-out pages."""
        field_part = f", field {self.source}" if self.source else ""
        return f"{self.material}, page {self.page}, box {self.box!r}{field_part}"

    def what(self) -> str:
        """What is wrong and what to do."""
        over = self.needed - self.available
        return (f"text does not fit: needs {self.needed:.1f} {self.unit} but the box has {self.available:.1f} "
                f"{self.unit} ({over:.1f} {self.unit} too much). Shorten the text, split it over two slides, or "
                f"let text shrink: set theme.min_size in meeting.yaml (e.g. min_size: 10.5)")

    def __reduce__(self) -> tuple[Any, ...]:
        return _overflow, (self.material, self.page, self.box, self.source, self.needed, self.available, self.unit,
                           self.text)


def _overflow(material: str, page: int, box: str, source: str | None, needed: float, available: float,
              unit: str, text: str = "") -> OverflowError_:
    return OverflowError_(material=material, page=page, box=box, source=source, needed=needed, available=available,
                          unit=unit, text=text)


class CollectedErrors(CouncilError):
    """Problems of several kinds (input files, plugins, fonts), all reported at once."""

    def __init__(self, errors: list[CouncilError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.describe() for error in errors))

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.errors,)

    def lines(self) -> list[str]:
        return [line for error in self.errors for line in error.lines()]


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop (SIGTERM, or Ctrl-C): raised in the main process, so that everything
    it made is removed on the way out; a ``KeyboardInterrupt``, so that what stops on Ctrl-C stops."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


# -- what a collect-all run found, as one error --------------------------------------------------------------

def collected(errors: Sequence[CouncilError]) -> CouncilError | None:
    """Everything found, as one error: a lone error as itself, located problems together as one
    ``InputError``, several kinds as ``CollectedErrors``; ``None`` when nothing was found."""
    if len(errors) <= 1:
        return errors[0] if errors else None
    problems = [p for error in errors if isinstance(error, InputError) for p in error.problems]
    others = [error for error in errors if not isinstance(error, InputError)]
    if not others:
        return InputError(problems)
    if not problems and len(others) == 1:
        return others[0]
    return CollectedErrors(([InputError(problems)] if problems else []) + others)


def raise_collected(errors: Sequence[CouncilError]) -> None:
    """Raise everything found at once (``collected``), if anything was."""
    error = collected(errors)
    if error is not None:
        raise error


def report(errors: Sequence[CouncilError]) -> list[str]:
    """The lines the command line prints for ``errors``: ``error: file:line:column: field: message``."""
    return [f"error: {line}" for error in errors for line in error.lines()]


def count(number: int, what: str = "problem") -> str:
    """``1 problem``, ``3 problems``."""
    return f"{number} {what}{'s' if number != 1 else ''}"


# -- moving a problem to where the author wrote its cause -----------------------------------------------------

def located(file: Path, index: LineIndex | None, path: tuple[Any, ...], message: str) -> Problem:
    """A problem of the value at field ``path`` of ``file`` (``index``: where each value of it starts)."""
    from .loading import dotted

    return Problem(file, message).at(file, index.mark(path) if index else None, dotted(path))


def slide_path(inputs: Inputs, material: NumberedMaterial, page: int) -> tuple[Any, ...] | None:
    """Where in its content file the slide laid out on page ``page`` (1-based) is written: ``slides[page - 1]``
    when the material's type says its content's ``slides`` list is its slides one for one
    (``MaterialType.lists_slides``, as the core's ``slides`` type does) and no earlier slide became several
    pages; else ``None``."""
    source = inputs.sources.get(material.position)
    made_by = inputs.registry.material_types.get(material.entry.source or "")
    kinds = inputs.registry.slide_kinds
    if source is None or made_by is None or not made_by.lists_slides or not 1 <= page <= len(material.slides) or \
            any(kinds[s.kind].paginate for s in material.slides[:page - 1]):  # pages may not match slides
        return None
    return ("slides", page - 1)


def locate_layout_error(error: CouncilError, inputs: Inputs, material: NumberedMaterial | None) -> CouncilError:
    """An overflow as a problem of the file to edit: at the slide (and its field) in the content file when
    the slide is written there (``slide_path``), else the material's content file (meeting.yaml when
    ``material`` is ``None``: the cover); other errors unchanged."""
    if not isinstance(error, OverflowError_):
        return error
    path = slide_path(inputs, material, error.page) if material is not None else None
    source = inputs.sources.get(material.position) if material is not None else None
    if path is not None and source is not None:
        if error.source and path + (error.source,) in source.index.marks:  # a field of the slide, e.g. items
            path += (error.source,)
        return InputError([located(source.file, source.index, path, str(error))])
    if source is not None and material is not None:  # a slide a plugin made: its text is the author's
        from .origins import find_origin

        found = find_origin(error.text, source.content)
        if found is not None:
            return InputError([located(source.file, source.index, found,
                                       f"{error.what()} ({material.label} ({material.id}), page {error.page})")])
    file = inputs.source_file(material) if material else inputs.meeting_dir / "meeting.yaml"
    return InputError([Problem(file, str(error))])


def locate_file_problems(problems: list[Problem], inputs: Inputs, material: NumberedMaterial) -> list[Problem]:
    """Problems of files the layout read (named by the file: a picture) moved to where the material's
    content file names the file, its message naming the file and the box it was meant for."""
    from .loading import walk

    source = inputs.sources.get(material.position)
    named: dict[Path, tuple[Any, ...]] = {}
    if source is not None:
        for path, node in walk(source.content):
            if isinstance(node, str) and node and path:
                named.setdefault(inputs.meeting_dir / node, path)
    out = []
    for problem in problems:
        at = named.get(problem.file) if problem.file else None
        if at is None or source is None or problem.file is None:
            out.append(problem)
            continue
        relative = problem.file.relative_to(inputs.meeting_dir).as_posix()
        page = (problem.field or "").rsplit(", ", 1)[0]  # 資料2 (second), page 1 — not the layout's box name
        out.append(located(source.file, source.index, at, f"{relative}: {problem.message}" + (f" ({page})" if page
                                                                                               else "")))
    return out
