"""Drive the preview as a user does: a `council preview` process, and Debian's Chromium through Playwright.

Used by the browser tests and by ``bench/preview.py``. Playwright's own browser download is not reachable
here: Chromium is Debian's (``scripts/setup.sh --test-clients``), launched headless with the flags this
machine needs (no sandbox as root, no background networking: its closed network refuses those).
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "launch", "Preview", "CHARS_JS"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class Preview:
    """A `council preview MEETING_DIR` process: its address (read from the line it prints) and what it printed."""

    def __init__(self, meeting_dir: Path, *extra: str, timeout: float = 60, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "council_materials", "preview", str(meeting_dir), *extra],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                        env=None if env is None else {**os.environ, **env})
        self.lines: list[str] = []
        first = self._readline(timeout)
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", first)
        if found is None:
            self.stop()
            raise RuntimeError(f"council preview printed {first!r}; stderr: {self.process.stderr.read()}")  # type: ignore[union-attr]
        self.url = found.group(1)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
        self._reader = threading.Thread(target=self._read_rest, daemon=True)
        self._reader.start()

    def _readline(self, timeout: float) -> str:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        line = box[0] if box else ""
        self.lines.append(line.rstrip("\n"))
        return line

    def _read_rest(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> int:
        """Ctrl-C, as a user stops it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> "Preview":
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


CHARS_JS = """(pages) => [...document.querySelectorAll(pages)].map(wrap => {
  const chars = [];
  for (const text of wrap.querySelectorAll('svg.sheet text')) {
    const s = text.textContent;
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      if (code >= 0xDC00 && code <= 0xDFFF || /\\s/.test(s[i])) continue;
      const start = text.getStartPositionOfChar(i), end = text.getEndPositionOfChar(i);
      chars.push([String.fromCodePoint(s.codePointAt(i)), start.x, end.x, start.y]);
    }
  }
  return [wrap.id, chars];
})"""
"""Every character the browser drew, page by page (the elements ``pages`` selects: ``.sheet-wrap`` in the
preview, ``section.page`` in a standalone file): (character, x where it starts and ends, baseline), in the
SVG's units (the layout's points), as the browser itself placed the glyphs."""
