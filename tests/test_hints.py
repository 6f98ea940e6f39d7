"""Every meeting.yaml key a message names exists: a hint that says ``theme.min_size`` leads to a key the
model accepts (issue 18: a hint once named ``text.min_size``, which ``theme`` refuses)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from pydantic import BaseModel

from council_materials.loading import models_in
from council_materials.models import Meeting

from conftest import ROOT

KEY = re.compile(r"\b(theme|agenda)\.([a-z_]+(?:\.[a-z_]+)*)")
FILE = re.compile(r"(^|\.)(json|py|yaml|md|pptx|potx)$")  # agenda.schema.json is a file, not a key


def _strings(path: Path) -> list[str]:
    """The string constants of a module (f-strings' literal parts included), docstrings too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _exists(model: type[BaseModel], dotted: str) -> bool:
    current: list[type[BaseModel]] = [model]
    for part in dotted.split("."):
        fields = [m.model_fields[part] for m in current if part in m.model_fields]
        if not fields:
            return False
        current = [m for field in fields for m in models_in(field.annotation)]
    return True


def test_every_key_a_message_names_exists() -> None:
    named = {(match.group(1), match.group(2), path.name)
             for path in (ROOT / "src" / "council_materials").rglob("*.py") for text in _strings(path)
             for match in KEY.finditer(text) if not FILE.search(match.group(2))}
    assert any((top, rest) == ("theme", "min_size") for top, rest, _ in named)  # the overflow hint is among them
    wrong = sorted((f"{top}.{rest}", where) for top, rest, where in named if not _exists(Meeting, f"{top}.{rest}"))
    assert not wrong, wrong
