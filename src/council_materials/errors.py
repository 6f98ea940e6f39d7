"""Domain errors: one small hierarchy that the CLI turns into messages.

Library code raises these; only ``cli.py`` knows about click. Every error
carries enough context (file, line, field path, plugin, material, page, box)
for a working-group lead to find and fix the problem without a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    "Interrupted",
    "PLUGIN_FAILURES",
    "failure",
    "raised",
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


def raised(exc: BaseException) -> str:
    """What plugin code did, as the end of a sentence: ``raised ValueError: …`` or ``called sys.exit(0); …``."""
    return failure(exc) if isinstance(exc, SystemExit) else f"raised {failure(exc)}"



@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    file: Path | None
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = str(self.file) if self.file else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        prefix = f"{where}: "
        if self.field:
            prefix += f"{self.field}: "
        return prefix + self.message


class CouncilError(Exception):
    """Base of every error the tool reports to a user."""

    def describe(self) -> str:
        return str(self)


@dataclass
class InputError(CouncilError):
    """One or more problems in the meeting folder's files."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class PluginError(CouncilError):
    """A plugin failed, misbehaved or was misconfigured; names the plugin."""

    def __init__(self, plugin: str, message: str, material: str | None = None) -> None:
        self.plugin = plugin
        self.material = material
        where = f"plugin {plugin!r}"
        if material:
            where += f" (building material {material!r})"
        super().__init__(f"{where}: {message}")


class AssemblyError(CouncilError):
    """The meeting's materials, agenda or plugins do not fit together."""


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
                 needed: float, available: float, unit: str = "pt") -> None:
        self.material, self.page, self.box, self.source = material, page, box, source
        self.needed, self.available = needed, available
        over = needed - available
        field_part = f", field {source}" if source else ""
        super().__init__(
            f"{material}, page {page}, box {box!r}{field_part}: text does not fit: "
            f"needs {needed:.1f} {unit} but the box has {available:.1f} {unit} "
            f"({over:.1f} {unit} too much). Shorten the text, split it over two "
            f"slides, or allow shrinking in the theme (text.min_size)."
        )


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop (SIGTERM, or Ctrl-C): raised in the main process, so that everything
    it made is removed on the way out; a ``KeyboardInterrupt``, so that what stops on Ctrl-C stops."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name
