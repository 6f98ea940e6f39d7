"""Reading a tagged PDF back, for the tests: what a screen reader gets, and what each page's content is.

- ``struct_text``: poppler's ``pdfinfo -struct-text`` (the structure tree with each element's text, in
  the tree's order: the reading order) as (structure type, text) leaves.
- ``expected_leaves``: the same, worked out from the layout's pages (drawing order, roles, bullet
  paragraphs, table cells), independently of the renderer.
- ``content_problems``: every page's content stream walked with pikepdf: text, pictures and paths
  outside a tagged (MCID) or artifact sequence, MCIDs the parent tree does not map back to their
  element and page, tagged content inside an artifact or inside other tagged content.
- ``elements``: every structure element of a file (pikepdf), depth first.
"""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterator, Sequence

import pikepdf

from council_materials.layout.primitives import DECORATION_ROLES, Chart, Page, Picture, Table, TextBlock

__all__ = ["struct_text", "leaves", "expected_leaves", "content_problems", "elements", "LEAF_KINDS"]

LEAF_KINDS = {"TD", "TH", "Figure"}
"""Elements a leaf even without text (an empty cell, a picture)."""
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
_PAINT_OPERATORS = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do"}


def struct_text(pdfinfo: str, pdf: Path) -> str:
    return subprocess.run([pdfinfo, "-struct-text", str(pdf)], capture_output=True, check=True).stdout.decode(
        "utf-8", "replace")


def leaves(text: str) -> list[tuple[str, str]]:
    """``pdfinfo -struct-text`` output as (structure type, its own text) for every element that has text
    of its own or is a cell or figure, in the order printed."""
    found: list[list[str]] = []  # [kind, text, indent]
    stack: list[tuple[int, list[str] | None]] = []  # (indent, leaf entry or None) of the open elements
    for line in text.splitlines()[1:]:  # the first line is "Document"
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip(" "))
        if stripped.startswith("/"):  # an attribute of the element above
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stripped.startswith('"'):
            if stack and stack[-1][1] is not None:
                stack[-1][1][1] += stripped[1:-1]
            continue
        kind = stripped.split()[0].rstrip(":")
        entry = [kind, ""]
        found.append(entry)
        stack.append((indent, entry))
    return [(kind, text) for kind, text in found if text or kind in LEAF_KINDS]


def _squash(text: str) -> str:
    return "".join(text.split())


def expected_leaves(pages: Sequence[Page]) -> list[tuple[str, str]]:
    """What the structure tree of ``pages`` reads, from the layout: the items in drawing order, without the
    frame and decoration; a heading or caption whole, a paragraph at a time (a bullet's marker, then its
    text), a table's cells row by row, a chart's labels as its figure's text, a picture as a figure."""
    out: list[tuple[str, str]] = []
    one = {"title": "H1", "subtitle": "H2", "heading": "H2", "caption": "Caption"}
    for page in pages:
        for item in page.items:
            if item.role in DECORATION_ROLES:
                continue
            if isinstance(item, TextBlock):
                if item.role in one:
                    out.append((one[item.role], "".join(line.text for line in item.lines)))
                    continue
                for para in item.paragraphs:
                    text = "".join(line.text for line in para.lines)
                    if para.bullet:
                        out += [("Lbl", para.bullet), ("LBody", text[len(para.bullet):])]
                    else:
                        out.append(("P", text))
            elif isinstance(item, Table):
                for row in sorted({cell.row for cell in item.cells}):
                    for cell in sorted((c for c in item.cells if c.row == row), key=lambda c: c.col):
                        text = "".join(line.text for line in cell.text.lines) if cell.text else ""
                        out.append(("TH" if cell.header else "TD", text))
            elif isinstance(item, Chart):
                out.append(("Figure", "".join(line.text for label in item.labels for line in label.lines)))
            elif isinstance(item, Picture) and item.alt:
                out.append(("Figure", ""))
    return [(kind, _squash(text)) for kind, text in out if _squash(text) or kind in LEAF_KINDS]


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element, depth first in the tree's order."""
    pending = list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while pending:
        element = pending.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            yield element
            pending.extend(reversed(_kids(element)))


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Array]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def content_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What in ``pdf``'s page contents is neither tagged nor an artifact, or is tagged wrongly."""
    problems: list[str] = []
    tree = _parent_tree(pdf)
    for number, page in enumerate(pdf.pages, 1):
        if "/StructParents" not in page.obj or int(page.obj.StructParents) not in tree:
            problems.append(f"page {number}: no /StructParents in the parent tree")
            continue
        parents = tree[int(page.obj.StructParents)]
        stack: list[str] = []  # "mcid", "artifact" or "other" for each open marked-content sequence
        used: set[int] = set()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else None
                if tag == "/Artifact":
                    if "mcid" in stack:
                        problems.append(f"page {number}: an artifact inside tagged content")
                    stack.append("artifact")
                elif props is not None and "/MCID" in props:
                    mcid = int(props.MCID)
                    if {"mcid", "artifact"} & set(stack):
                        problems.append(f"page {number}: MCID {mcid} inside {stack}")
                    if mcid in used or mcid >= len(parents):
                        problems.append(f"page {number}: MCID {mcid} used twice or not in the parent tree")
                    else:
                        element = parents[mcid]
                        if element.get("/Pg") is None or element.Pg.objgen != page.obj.objgen:
                            problems.append(f"page {number}: MCID {mcid}'s element is on another page")
                        if mcid not in [int(k) for k in _kids(element) if isinstance(k, int)]:
                            problems.append(f"page {number}: MCID {mcid} is not a kid of its element")
                        if str(element.S) != tag:
                            problems.append(f"page {number}: MCID {mcid} is marked {tag} but is a {element.S}")
                    used.add(mcid)
                    stack.append("mcid")
                else:
                    stack.append("other")
            elif op == "EMC":
                if not stack:
                    problems.append(f"page {number}: EMC without BDC")
                else:
                    stack.pop()
            elif op in _TEXT_OPERATORS or op in _PAINT_OPERATORS:
                if "mcid" not in stack and "artifact" not in stack:
                    problems.append(f"page {number}: {op} outside tagged or artifact content")
        if stack:
            problems.append(f"page {number}: marked content left open")
        if used != set(range(len(parents))):
            problems.append(f"page {number}: the parent tree has {len(parents)} entries, the page {len(used)} MCIDs")
    return problems
