"""The ``council`` command line: turns domain errors into messages and exit codes.

Only this module imports click. ``make_cli(pm_factory)`` builds the command
group around a plugin-manager factory, so tests can pass throwaway plugins
without reloading anything.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import click
import pluggy

from .errors import CouncilError
from .plugins import get_plugin_manager

__all__ = ["make_cli", "main"]


class _Failure(click.ClickException):
    exit_code = 1

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"error: {self.message}", err=True)


def _run(action: Callable[[], None]) -> None:
    try:
        action()
    except CouncilError as exc:
        raise _Failure(exc.describe()) from None
    except KeyboardInterrupt:
        raise _Failure("interrupted; the previous outputs are unchanged") from None


def make_cli(pm_factory: Callable[[], pluggy.PluginManager] = get_plugin_manager) -> click.Group:
    @click.group(help="Compile a council meeting's materials into PPTX and PDF.")
    @click.version_option(package_name="council-materials")
    def council() -> None:
        pass

    @council.command(help="Build the cover sheet and every numbered material (PPTX and PDF).")
    @click.argument("meeting_dir", type=click.Path(path_type=Path, file_okay=False))
    @click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=None,
                  help="Output folder (default: MEETING_DIR/build).")
    @click.option("--format", "formats", type=click.Choice(["pptx", "pdf"]), multiple=True,
                  help="Only these formats (repeatable; default: both).")
    def build(meeting_dir: Path, out_dir: Path | None, formats: tuple[str, ...]) -> None:
        from .build import FORMATS, build as run_build

        def action() -> None:
            result = run_build(meeting_dir, out_dir or meeting_dir / "build", pm_factory(), formats or FORMATS)
            click.echo(f"built {len(result.files)} files ({result.pages} pages) in {result.out_dir}")
            for path in result.files:
                click.echo(f"  {path.name}")
        _run(action)

    @council.command(help="Print or write the JSON Schemas of the meeting files and every content model.")
    @click.option("--write", "folder", type=click.Path(path_type=Path, file_okay=False), default=None,
                  is_flag=False, flag_value="schemas", help="Write them into FOLDER (default: schemas).")
    def schema(folder: Path | None) -> None:
        from .plugins import Registry
        from .schemas import all_schemas, render_schema, write_schemas

        def action() -> None:
            registry = Registry.from_plugin_manager(pm_factory())
            if folder is None:
                for name, body in all_schemas(registry).items():
                    click.echo(f"--- {name}")
                    click.echo(render_schema(body), nl=False)
                return
            for path in write_schemas(registry, folder):
                click.echo(f"wrote {path}")
        _run(action)

    return council


def main() -> None:
    try:
        make_cli()(prog_name="council")
    except Exception as exc:  # last resort: never a traceback for users
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
