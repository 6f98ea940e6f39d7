"""``council new-plugin NAME``: write a working plugin package to start from.

Input: the plugin's name (a lower-case identifier: it becomes the material
type a meeting names as ``source``, the entry point, and the package
``council_NAME``), the material's title, the folder to write, and the
material types already installed (so the new one does not clash).
Output: the package, from the templates in ``plugin_template/``:
pyproject.toml with the entry point, ``src/council_NAME/`` (``models.py``,
``builder.py``, ``plugin.py``), a sample content file, its JSON Schema, a
test using ``council_materials.testing``, and a README. ``pip install -e``
of the folder makes the material buildable at once.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Iterable

from .errors import InputError, Problem
from .schemas import content_schema, render_schema

__all__ = ["NAME_PATTERN", "new_plugin"]

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

_FILES = {  # template → path in the package ($name and $package are substituted)
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "__init__.py.tmpl": "src/$package/__init__.py",
    "models.py.tmpl": "src/$package/models.py",
    "builder.py.tmpl": "src/$package/builder.py",
    "plugin.py.tmpl": "src/$package/plugin.py",
    "content.yaml.tmpl": "content/$name.yaml",
    "test_builder.py.tmpl": "tests/test_${name}_builder.py",
}


def _fail(where: Path, message: str) -> InputError:
    return InputError([Problem(where, message)])


def _write_schema(folder: Path, name: str, package: str, model: str) -> Path:
    """Load the generated models module (it imports only the core) and write its content schema."""
    spec = importlib.util.spec_from_file_location(f"_{package}_models", folder / "src" / package / "models.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the module's annotations through sys.modules
    try:
        spec.loader.exec_module(module)
        schema = content_schema(name, getattr(module, model))
    finally:
        del sys.modules[spec.name]
    path = folder / "schemas" / f"{name}.schema.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_schema(schema), encoding="utf-8")
    return path


def new_plugin(name: str, folder: Path, *, title: str | None = None, taken: Iterable[str] = ()) -> list[Path]:
    """Write the plugin package ``name`` into ``folder`` (which must be new or empty); return the files."""
    if not NAME_PATTERN.match(name):
        raise _fail(folder, f"plugin name {name!r} is not valid: use lower-case letters, digits and '_', "
                            "starting with a letter (it becomes the material type, e.g. source: kankyo)")
    if title is not None and (not title.strip() or any(c in title for c in '"\\\n\r\t')):
        raise _fail(folder, f"title {title!r} must be one line without quotes or backslashes")
    if name in set(taken):
        raise _fail(folder, f"a material type {name!r} is already installed; choose another name")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise _fail(folder, "already exists and is not an empty folder; choose another with -o")
    values = {
        "name": name,
        "package": f"council_{name}",
        "dist": f"council-materials-{name.replace('_', '-')}",
        "model": "".join(part.capitalize() for part in name.split("_")) + "Content",
        "title": title or f"{name}の取組について",
        "folder": folder.as_posix(),
    }
    templates = files("council_materials") / "plugin_template"
    written = []
    for template, target in _FILES.items():
        path = folder / Template(target).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = Template((templates / template).read_text(encoding="utf-8")).substitute(values)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written.append(_write_schema(folder, name, values["package"], values["model"]))
    return written
