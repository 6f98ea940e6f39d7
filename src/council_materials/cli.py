"""The ``council`` command line: turns domain errors into messages and exit codes.

Only this module imports click. ``make_cli(pm_factory)`` builds the command
group around a plugin-manager factory, so tests can pass throwaway plugins
without reloading anything. Every problem is printed as one line
``error: file:line:column: field: message`` on stderr, and a command that
finds any exits with status 1; nothing a user types gives a traceback.
"""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable, Sequence

import click
import pluggy

from .errors import CollectedErrors, CouncilError, Interrupted, PluginError, Problem, count, internal, report
from .plugins import get_plugin_manager

__all__ = ["make_cli", "main"]


class _Failure(click.ClickException):
    """Exit status 1 after printing ``lines`` (each ``error: …``, as ``errors.report`` words them) on stderr."""

    exit_code = 1

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(line, err=True)


def _fail(message: str) -> _Failure:
    return _Failure([f"error: {message}"])


_TRACEBACKS = {"show": False}
"""``council --traceback``: a plugin's error is followed by its whole traceback."""


def _plugin_errors(error: CouncilError) -> list[PluginError]:
    if isinstance(error, CollectedErrors):
        return [found for inner in error.errors for found in _plugin_errors(inner)]
    return [error] if isinstance(error, PluginError) else []


def _tracebacks(errors: Sequence[CouncilError]) -> list[str]:
    """With ``--traceback``, the whole traceback of every plugin error among ``errors``."""
    if not _TRACEBACKS["show"]:
        return []
    return [f"traceback of plugin {found.plugin!r}:\n{found.traceback}" for error in errors
            for found in _plugin_errors(error) if found.traceback]


def _run(action: Callable[[], object]) -> None:
    try:
        action()
    except CouncilError as exc:
        raise _Failure(report([exc]) + _tracebacks([exc])) from None
    except KeyboardInterrupt as exc:
        how = "stopped by SIGTERM" if isinstance(exc, Interrupted) and exc.signal_name == "SIGTERM" else "interrupted"
        raise _fail(f"{how}; the previous outputs are unchanged") from None


def _out_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def given(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
        if value is not None and not value.strip():
            raise _fail("-o/--out is empty (is a variable in the script unset?): name the output folder, or "
                        f"leave -o out to build into {default}")
        return Path(value) if value is not None else None
    return click.option("-o", "--out", "out_dir", default=None, callback=given,
                        help=f"Output folder (default: {default}). Council replaces and removes only the files it "
                             "wrote there (listed in its .council-build.json); it refuses the meeting folder, a "
                             "folder of its inputs, and a folder of other files without that list.")


def _stderr_is_terminal() -> bool:
    return click.get_text_stream("stderr").isatty()


def _progress() -> Callable[[str], None] | None:
    """Progress lines on stderr when a person is watching it; nothing in CI logs or pipes."""
    if not _stderr_is_terminal():
        return None
    return lambda line: click.echo(click.style(line, dim=True), err=True)


_OWN_FOLDERS = "<own>"  # `--write` without a folder: each schema where it belongs (schemas.write_schemas)

_MEETING_DIR = click.argument("meeting_dir", type=click.Path(path_type=Path, file_okay=False))
_FORMATS = click.option("--format", "formats", metavar="FORMAT", multiple=True,
                        help="Write this registered output format (repeatable; default: pdf and pptx; also html, "
                             "and any a plugin adds: council plugins lists them).")


def make_cli(pm_factory: Callable[[], pluggy.PluginManager] = get_plugin_manager) -> click.Group:
    @click.group(help="Compile a council meeting's materials into PPTX and PDF.")
    @click.version_option(package_name="council-materials")
    @click.option("--traceback", is_flag=True, help="After a plugin's error, print its whole Python traceback "
                                                    "(for the plugin's developer).")
    def council(traceback: bool) -> None:
        _TRACEBACKS["show"] = traceback

    @council.command(short_help="Build the cover sheet and every numbered material.",
                     help="Build the cover sheet and every numbered material (PPTX and PDF). With --only ID, "
                          "build that one material alone, numbered as in the full build, into "
                          "MEETING_DIR/build-ID (no cover sheet, no combined PDF).")
    @_MEETING_DIR
    @_out_option("MEETING_DIR/build, or MEETING_DIR/build-ID with --only")
    @_FORMATS
    @click.option("--only", metavar="ID", default=None, help="Build only the material with this id.")
    @click.option("--draft", is_flag=True, help="Show a bad picture as a placeholder on a page marked 「ドラフト」 "
                                                "instead of failing (a warning is printed for each).")
    def build(meeting_dir: Path, out_dir: Path | None, formats: tuple[str, ...], only: str | None,
              draft: bool) -> None:
        from .build import build as run_build

        def action() -> None:
            out = out_dir or meeting_dir / (f"build-{only}" if only else "build")
            result = run_build(meeting_dir, out, pm_factory(), formats, only=only, progress=_progress(),
                               draft=draft)
            for problem in result.warnings:
                click.echo(f"warning: {problem}", err=True)
            for problem in result.placeholders:
                click.echo(f"warning: {problem} (shown as a placeholder)", err=True)
            click.echo(f"built {len(result.files)} files ({result.pages} page{'s' if result.pages != 1 else ''}) "
                       f"in {result.out_dir}")
            for path in result.files:
                click.echo(f"  {path.name}")
            if result.kept:
                click.echo(f"kept {len(result.kept)} file{'s' if len(result.kept) != 1 else ''} of an earlier build "
                           "(other formats or materials, not built this time):")
                for path in result.kept:
                    click.echo(f"  {path.name}")
        _run(action)

    @council.command(short_help="Show the meeting in the browser, updated on every save.",
                     help="Serve MEETING_DIR's pages on 127.0.0.1 (read-only) and update them in the browser on "
                          "every save, with every problem shown where it happens (file:line:column: field, as "
                          "council validate prints it). Prints the address; Ctrl-C stops it.")
    @_MEETING_DIR
    @click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=False,
                  help="Port on 127.0.0.1 (default: a free one).")
    @click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default browser.")
    def preview(meeting_dir: Path, port: int, open_browser: bool) -> None:
        if not meeting_dir.is_dir():
            raise _fail(f"{meeting_dir}: meeting folder not found")

        def action() -> None:
            from .preview.server import serve

            serve(meeting_dir, pm_factory(), port=port, open_browser=open_browser, report=click.echo)
            click.echo("stopped the preview")
        _run(action)

    @council.command(short_help="Check a meeting folder and list every problem; write nothing.",
                     help="Check a meeting folder as a build would (files, references, pictures, fonts, "
                          "layout) and report every problem, without writing anything. Exit status 1 if any.")
    @_MEETING_DIR
    def validate(meeting_dir: Path) -> None:
        from .pipeline import validate_meeting

        def action() -> None:
            warnings: list[Problem] = []
            errors = validate_meeting(meeting_dir, pm_factory(), warnings)
            for problem in warnings:
                click.echo(f"warning: {problem}", err=True)
            lines = report(errors)
            if lines:
                raise _Failure(lines + [f"error: {count(len(lines))} in {meeting_dir}"] + _tracebacks(errors))
            click.echo(f"{meeting_dir}: no problems; a build would succeed")
        _run(action)

    @council.command(short_help="Rebuild on every change to a meeting folder.",
                     help="Rebuild MEETING_DIR whenever a file in it changes, re-rendering only what changed. "
                          "Errors are printed and the watch goes on; Ctrl-C stops it.")
    @_MEETING_DIR
    @_out_option("MEETING_DIR/build")
    @_FORMATS
    def watch(meeting_dir: Path, out_dir: Path | None, formats: tuple[str, ...]) -> None:
        from . import watch as watching
        from .output_folder import check_location
        from .plugins import Registry

        out = out_dir or meeting_dir / "build"
        if not meeting_dir.is_dir():
            raise _fail(f"{meeting_dir}: meeting folder not found")
        _run(lambda: check_location(meeting_dir, out) and None)  # a folder no build can use: say so, and stop

        def report(line: str) -> None:
            click.echo(line, err=line.startswith(("error:", "internal error:")))
        _run(lambda: Registry.from_plugin_manager(pm_factory()).formats(formats) and None)  # an unknown one: stop
        step = watching.build_step(meeting_dir, out, pm_factory, report, formats)
        click.echo(f"watching {meeting_dir} (Ctrl-C to stop)")
        try:
            watching.watch(meeting_dir, step, report, watching.changed_paths(meeting_dir, out))
        except KeyboardInterrupt:
            pass
        click.echo("stopped watching")

    @council.command(short_help="Print or write the JSON Schemas for editors.",
                     help="Print or write the JSON Schemas of the meeting files and every content model "
                          "(or only those NAMEd: meeting, roster, agenda, or a material type).")
    @click.argument("names", nargs=-1)
    @click.option("--write", "folder", type=click.Path(file_okay=False), default=None,
                  is_flag=False, flag_value=_OWN_FOLDERS, help="Write them into FOLDER; without FOLDER, a plugin's schema "
                  "into its own project's schemas/ folder (where its tests read it), the others into schemas/.")
    def schema(names: tuple[str, ...], folder: str | None) -> None:
        from .plugins import Registry
        from .schemas import all_schemas, render_schema, write_schemas

        def action() -> None:
            registry = Registry.from_plugin_manager(pm_factory())
            schemas = all_schemas(registry)
            known = [name.removesuffix(".schema.json") for name in schemas]
            unknown = [name for name in names if name not in known]
            if unknown:
                raise _Failure([f"error: no schema named {name!r}; known: {', '.join(known)}" for name in unknown])
            wanted = {f"{name}.schema.json" for name in names} or set(schemas)
            if folder is None:
                for name, body in schemas.items():
                    if name in wanted:
                        click.echo(f"--- {name}")
                        click.echo(render_schema(body), nl=False)
                return
            for path in write_schemas(registry, None if folder == _OWN_FOLDERS else Path(folder), wanted):
                click.echo(f"wrote {path}")
        _run(action)

    @council.command(short_help="List the installed plugins and what they contribute.",
                     help="List the installed plugins: version, material types, slide kinds, output formats "
                          "and hooks.")
    def plugins() -> None:
        from .plugins import plugin_infos

        def action() -> None:
            for info in plugin_infos(pm_factory()):
                where = f"{info.distribution} {info.version}" if info.distribution else "not installed"
                click.echo(f"{info.name} ({where})")
                for heading, table in (("material types", info.material_types), ("slide kinds", info.slide_kinds),
                                       ("output formats", info.output_formats)):
                    if table:
                        click.echo(f"  {heading}:")
                        for name, description in table.items():
                            click.echo(f"    {name}" + (f" — {description}" if description else ""))
                click.echo(f"  hooks: {', '.join(info.hooks) or '(none)'}")
        _run(action)

    @council.command("new-meeting", short_help="Start the next meeting from the last one.",
                     help="Copy the inputs of the meeting in PREVIOUS (never its outputs; its PowerPoint template "
                          "and fonts included) into NEW, set the "
                          "number (default: the last one + 1), the date and the times, clear the content of "
                          "the materials named with --clear (or all), write the JSON Schemas into NEW/schemas "
                          "with every file's $schema line pointing there, then validate NEW.")
    @click.argument("previous", type=click.Path(path_type=Path, file_okay=False))
    @click.argument("new", type=click.Path(path_type=Path, file_okay=False))
    @click.option("--number", type=click.IntRange(min=1), default=None, help="Meeting number (default: last + 1).")
    @click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="Date of the meeting, e.g. 2025-07-15 (asked for on a terminal when left out).")
    @click.option("--start", type=click.DateTime(["%H:%M"]), default=None, help="Start time, e.g. 14:00.")
    @click.option("--end", type=click.DateTime(["%H:%M"]), default=None, help="End time, e.g. 15:30.")
    @click.option("--clear", "clear", multiple=True, metavar="ID",
                  help="Start this material's content afresh (repeatable); the others are kept.")
    @click.option("--clear-all", is_flag=True, help="Start every material's content afresh.")
    def new_meeting_command(previous: Path, new: Path, number: int | None, day: datetime | None,
                            start: datetime | None, end: datetime | None, clear: tuple[str, ...],
                            clear_all: bool) -> None:
        from .new_meeting import new_meeting
        from .plugins import Registry
        from .pipeline import validate_meeting

        def action() -> None:
            when = day
            if when is None:
                if not click.get_text_stream("stdin").isatty():
                    raise _fail("--date is needed (e.g. --date 2025-07-15)")
                when = click.prompt("date of the meeting (YYYY-MM-DD)", type=click.DateTime(["%Y-%m-%d"]))
            pm = pm_factory()
            done = new_meeting(previous, new, Registry.from_plugin_manager(pm), number=number, date=when.date(),
                               start=start.time() if start else None, end=end.time() if end else None,
                               clear=set(clear), clear_all=clear_all)
            meeting = done.meeting
            assert meeting is not None
            click.echo(f"wrote {new}: {meeting.title}, {meeting.date:%Y-%m-%d} {meeting.start:%H:%M}–"
                       f"{meeting.end:%H:%M}; {len(done.copied)} files copied, {len(done.cleared)} cleared")
            for path in done.cleared:
                click.echo(f"  cleared {path.relative_to(new.resolve()).as_posix()}")
            for line in done.skipped:
                click.echo(f"  left out {line}")
            if meeting.theme.template is not None:
                click.echo(f"  decks built on the template {meeting.theme.template} (theme.template; a changed "
                           "template rebuilds every part)")
            else:
                click.echo("  decks in the theme's own frame; to build them on the secretariat's PowerPoint template, "
                           "copy it into the folder and write 'template: templates/NAME.pptx' under 'theme:' "
                           "(docs/secretariat-guide.md)")
            lines = report(validate_meeting(new, pm))
            for line in lines:
                click.echo(line, err=True)
            click.echo(f"{count(len(lines))} to fix before `council build {new}`"
                       if lines else f"{new}: no problems; `council build {new}` would succeed")
        _run(action)

    @council.command("new-plugin", short_help="Write a working plugin package to start from.",
                     help="Write a working plugin package NAME (pyproject with the entry point, "
                                        "content model, builder, sample content, schema, test, README).")
    @click.argument("name")
    @click.option("-o", "--out", "folder", type=click.Path(path_type=Path, file_okay=False), default=None,
                  help="Folder to write (default: council-materials-NAME).")
    @click.option("--title", default=None, help="Title of the material (default: NAMEの取組について).")
    def new_plugin(name: str, folder: Path | None, title: str | None) -> None:
        from .plugins import Registry
        from .scaffold import new_plugin as scaffold

        def action() -> None:
            target = folder or Path(f"council-materials-{name.replace('_', '-')}")
            taken = Registry.from_plugin_manager(pm_factory()).material_types
            written = scaffold(name, target, title=title, taken=taken)
            click.echo(f"wrote {len(written)} files into {target}:")
            for path in written:
                click.echo(f"  {path.relative_to(target).as_posix()}")
            click.echo(f"next: pip install -e {target}   (then: council plugins, python -m pytest {target};\n"
                       f"      add an entry with 'source: {name}' to meeting.yaml, copy content/{name}.yaml)")
        _run(action)

    return council


def main() -> None:
    try:
        make_cli()(prog_name="council")
    except Exception as exc:  # last resort: never a traceback for users
        click.echo(internal(exc), err=True)
        sys.exit(2)
