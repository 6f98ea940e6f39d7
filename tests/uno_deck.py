"""Drive LibreOffice Impress through its UNO API as a user would: read slide titles, edit a deck.

Run by the system Python (``/usr/bin/python3``, where Debian's ``python3-uno`` lives), not by the
project's virtual environment: the tests call it in a subprocess and read the JSON it prints. It starts
its own headless ``soffice`` (a private profile, a pipe named after its process id), and ends it.

    uno_deck.py titles DECK.pptx
        [{"titles": [text of each title placeholder on the slide], "master": its master page}, ...]
    uno_deck.py edit DECK.pptx OUT_DIR SLIDE NAME=FACTOR[,NAME=FACTOR…] INSERT_AT OLD_TOTAL NEW_TOTAL
        Exports OUT_DIR/before.pdf; on slide SLIDE (1-based) makes the text of the group NAME's text
        shape of that name FACTOR times as long (1.5: by half; typed at its end, as a user would); inserts a slide with a title at INSERT_AT (1-based: it becomes that slide), on the
        master page of the slide before it; replaces OLD_TOTAL by NEW_TOTAL in the text of the master
        pages (the total of 「資料N  ‹#› / n」, which PowerPoint has no field for); exports
        OUT_DIR/after.pdf. Prints, per edited shape, its text before and after, its group's bounds and
        its own (points, from the page's top left); and the number of slides.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

POINTS_PER_HMM = 72 / 2540  # UNO lengths are 1/100 mm


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


class Office:
    """A headless soffice of our own, and its desktop."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="uno-profile-")
        pipe = f"council_uno_{os.getpid()}"
        self.process = subprocess.Popen(
            ["soffice", f"-env:UserInstallation=file://{self.profile}", "--headless", "--invisible", "--norestore",
             "--nologo", f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.close()
                    raise RuntimeError("LibreOffice did not start")
                time.sleep(0.2)
        self.desktop = self.context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                            self.context)

    def open(self, path: str):  # type: ignore[no-untyped-def]
        return self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
                                                 (_prop("Hidden", True),))

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _shapes(container):  # type: ignore[no-untyped-def]
    """Every shape of a page, groups opened."""
    for index in range(container.Count):
        shape = container.getByIndex(index)
        yield shape
        if shape.ShapeType == "com.sun.star.drawing.GroupShape":
            yield from _shapes(shape)


def _bounds(shape) -> list[float]:  # type: ignore[no-untyped-def]
    position, size = shape.Position, shape.Size
    return [v * POINTS_PER_HMM for v in (position.X, position.Y, size.Width, size.Height)]


def titles(path: str) -> list[dict]:
    office = Office()
    try:
        doc = office.open(path)
        out = []
        for index in range(doc.DrawPages.Count):
            page = doc.DrawPages.getByIndex(index)
            found = [shape.getString() for shape in _shapes(page)
                     if shape.ShapeType == "com.sun.star.presentation.TitleTextShape"]
            out.append({"titles": found, "master": page.MasterPage.Name})
        doc.close(True)
        return out
    finally:
        office.close()


def _export(doc, path: str) -> None:  # type: ignore[no-untyped-def]
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), (_prop("FilterName", "impress_pdf_Export"),))


def _replace_in_masters(doc, old: str, new: str) -> int:  # type: ignore[no-untyped-def]
    """Replace ``old`` by ``new`` in the plain text portions of every master page's shapes (fields stay
    fields); the number of portions changed."""
    changed = 0
    for index in range(doc.MasterPages.Count):
        for shape in _shapes(doc.MasterPages.getByIndex(index)):
            if shape.ShapeType == "com.sun.star.drawing.GroupShape" or old not in shape.getString():
                continue
            paragraphs = shape.getText().createEnumeration()
            while paragraphs.hasMoreElements():
                portions = paragraphs.nextElement().createEnumeration()
                while portions.hasMoreElements():
                    portion = portions.nextElement()
                    if portion.TextPortionType == "Text" and old in portion.getString():
                        portion.setString(portion.getString().replace(old, new))
                        changed += 1
    return changed


def _lengthen(page, name: str, factor: float) -> dict:  # type: ignore[no-untyped-def]
    group = next(shape for shape in _shapes(page) if shape.Name == name
                 and shape.ShapeType == "com.sun.star.drawing.GroupShape")
    target = next(shape for shape in _shapes(group) if shape.Name == name
                  and shape.ShapeType != "com.sun.star.drawing.GroupShape" and shape.getString())
    before = target.getString()
    added = ""
    while len(before) + len(added) < round(len(before) * factor):
        added += before[: round(len(before) * factor) - len(before) - len(added)]
    text = target.getText()
    text.insertString(text.getEnd(), added, False)
    return {"name": name, "before": before, "after": target.getString(), "group": _bounds(group),
            "shape": _bounds(target)}


def edit(path: str, out_dir: str, slide: int, edits: list[tuple[str, float]], insert_at: int, old_total: str,
         new_total: str) -> dict:
    office = Office()
    try:
        doc = office.open(path)
        _export(doc, os.path.join(out_dir, "before.pdf"))
        page = doc.DrawPages.getByIndex(slide - 1)
        edited = [_lengthen(page, name, factor) for name, factor in edits]
        new = doc.DrawPages.insertNewByIndex(insert_at - 2)  # inserted after that index
        new.MasterPage = doc.DrawPages.getByIndex(insert_at - 2).MasterPage
        title = doc.createInstance("com.sun.star.presentation.TitleTextShape")
        new.add(title)
        title.Position = uno.createUnoStruct("com.sun.star.awt.Point", 1000, 1500)
        title.Size = uno.createUnoStruct("com.sun.star.awt.Size", 20000, 1200)
        title.setString("挿入したスライド")
        replaced = _replace_in_masters(doc, old_total, new_total)
        _export(doc, os.path.join(out_dir, "after.pdf"))
        result = {"edited": edited, "slides": doc.DrawPages.Count, "replaced": replaced}
        doc.close(True)
        return result
    finally:
        office.close()


def main(argv: list[str]) -> int:
    if argv[1:2] == ["titles"]:
        print(json.dumps(titles(argv[2]), ensure_ascii=False))
    elif argv[1:2] == ["edit"]:
        path, out_dir, slide, edits, insert_at, old_total, new_total = argv[2:9]
        pairs = [(name, float(factor)) for name, factor in (part.rsplit("=", 1) for part in edits.split(","))]
        print(json.dumps(edit(path, out_dir, int(slide), pairs, int(insert_at), old_total, new_total),
                         ensure_ascii=False))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
