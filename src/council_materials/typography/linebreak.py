"""Japanese line breaking with real advance widths, decided once for both outputs.

Input: runs of text (``(chunk, bold)`` pairs), a width and a size in points,
and the build's ``FontPair``. Output: ``SetLine``s, each a list of runs with
their measured widths. Rules, in order of strength:

- explicit newlines always break;
- no line starts with closing punctuation, small kana, prolonged sound marks
  and the like (``NO_START``), none ends with an opening bracket (``NO_END``);
- runs of ASCII (Latin words, numbers, URLs) and a number with the unit that
  follows it are never split when they fit on a line;
- otherwise lines break between BudouX phrases or after spaces, so phrases
  stay whole where they fit;
- where Asian and Latin text meet, a quarter em is kept free (``AUTOSPACE``);
- a run that cannot fit on an empty line is broken between characters,
  still avoiding ``NO_START``/``NO_END`` where possible, so nothing overflows
  sideways.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .fonts import FontPair

__all__ = ["NO_START", "NO_END", "SetLine", "LineBreaker"]

NO_START = frozenset(
    "、。，．,.）)］]｝}〕〉》」』】〙〗〟’”｠»ゝゞ々〻ー‐゠–〜～？！?!‼⁇⁈⁉・：；:;…‥%％"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“｟«")
_OPENING = NO_END
_URL_BREAK_AFTER = frozenset("/-._?&=#・、")

AUTOSPACE = 0.25
"""Room kept, as a fraction of the size, wherever Asian and Latin text meet on a line.

LibreOffice (and Word) add about a quarter em there when they draw; PDF does not.
Breaking with that room reserved keeps every line inside its box in every renderer,
while positions and widths stay the font's real advances.
"""


def _is_asian(char: str) -> bool:
    code = ord(char)
    return (0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x2FFFF)


@lru_cache(maxsize=8192)
def _autospace_after(text: str) -> tuple[bool, ...]:
    """``gap[i]``: an Asian/non-Asian boundary sits just before ``text[i]``.

    Spaces do not separate the two sides (LibreOffice spaces ``』 = 女`` twice), and every
    non-Asian character (Latin, digits, ④, ※, ×) counts as the other side.
    """
    gap = [False] * len(text)
    previous: bool | None = None
    for i, char in enumerate(text):
        if char.isspace():
            continue
        asian = _is_asian(char)
        gap[i] = previous is not None and previous != asian
        previous = asian
    return tuple(gap)


@lru_cache(maxsize=1)
def _parser():  # type: ignore[no-untyped-def]
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=1)
def _model() -> tuple[float, tuple[dict[str, int], ...]]:
    """BudouX's base score and its 13 feature tables (UW1-6, BW1-3, TW1-4)."""
    parser = _parser()
    tables = tuple(parser.model.get(name, {}) for name in
                   ("UW1", "UW2", "UW3", "UW4", "UW5", "UW6", "BW1", "BW2", "BW3", "TW1", "TW2", "TW3", "TW4"))
    return parser._base_score, tables


@lru_cache(maxsize=8192)
def _phrase_boundaries(text: str) -> frozenset[int]:
    """Where BudouX starts a new phrase, and the end of ``text``: exactly ``Parser.parse``'s chunks,
    with each feature scored in one pass over the text instead of position by position (3x faster)."""
    n = len(text)
    if n < 2:
        return frozenset([n]) if n else frozenset()
    base, (uw1, uw2, uw3, uw4, uw5, uw6, bw1, bw2, bw3, tw1, tw2, tw3, tw4) = _model()
    two = [text[j:j + 2] for j in range(n - 1)]  # the bigram starting at j
    three = [text[j:j + 3] for j in range(n - 2)]  # the trigram starting at j
    # Each list holds, at index i, one feature's score for a break before text[i] (0 where
    # BudouX leaves the feature out at the edges).
    columns = (
        [0] * min(3, n) + [uw1.get(c, 0) for c in text[:max(n - 3, 0)]],
        [0] * 2 + [uw2.get(c, 0) for c in text[:n - 2]],
        [0] + [uw3.get(c, 0) for c in text[:n - 1]],
        [uw4.get(c, 0) for c in text],
        [uw5.get(c, 0) for c in text[1:]] + [0],
        [uw6.get(c, 0) for c in text[2:]] + [0] * 2,
        [0] * 2 + [bw1.get(b, 0) for b in two[:n - 2]],
        [0] + [bw2.get(b, 0) for b in two],
        [bw3.get(b, 0) for b in two] + [0],
        [0] * min(3, n) + [tw1.get(t, 0) for t in three[:max(n - 3, 0)]],
        [0] * 2 + [tw2.get(t, 0) for t in three],
        [0] + [tw3.get(t, 0) for t in three] + [0],
        [tw4.get(t, 0) for t in three] + [0] * 2,
    )
    bounds = {i for i, score in enumerate(map(sum, zip(*columns))) if i and base + score > 0}
    bounds.add(n)
    return frozenset(bounds)


def _is_ascii_word(char: str) -> bool:
    return "!" <= char <= "~" and char not in "([{"


def _is_digit(char: str) -> bool:
    return char.isdigit()


@lru_cache(maxsize=8192)
def _allowed_breaks(text: str) -> tuple[bool, ...]:
    """``allowed[i]`` says whether a line may break before ``text[i]``."""
    phrases = _phrase_boundaries(text)
    allowed = [False] * (len(text) + 1)
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        ok = i in phrases or before == " "
        if after == " " or after in NO_START or before in NO_END:
            ok = False
        elif _is_ascii_word(before) and _is_ascii_word(after):
            ok = False
        elif _is_digit(before) and after not in _OPENING:
            ok = False
        allowed[i] = ok
    return tuple(allowed)


def _keeps_words(text: str, i: int) -> bool:
    """Breaking before ``text[i]`` splits no Latin word and no number from its unit."""
    before, after = text[i - 1], text[i]
    if _is_ascii_word(before) and _is_ascii_word(after):
        return False
    if _is_digit(before) and after not in _OPENING:
        return False
    # A unit of two characters after a number stays with it: 99都市, 10万円.
    return not (i >= 2 and _is_digit(text[i - 2]) and _is_asian(before) and _is_asian(after))


def _emergency_ok(text: str, i: int) -> bool:
    return text[i] not in NO_START and text[i - 1] not in NO_END and text[i] != " "


@dataclass(frozen=True)
class SetLine:
    """A set line: runs with widths in points, and the total width."""

    runs: tuple[tuple[str, bool, float], ...]
    width: float

    @property
    def text(self) -> str:
        return "".join(run[0] for run in self.runs)


class LineBreaker:
    """Breaks runs into lines for one ``FontPair``; results are cached."""

    def __init__(self, fonts: FontPair) -> None:
        self.fonts = fonts
        self._cache: dict[tuple[object, ...], tuple[SetLine, ...]] = {}

    def char_widths(self, text: str, bold: list[bool], size: float) -> list[float]:
        reg, bld = self.fonts.regular, self.fonts.bold
        regular, heavy = reg.advances, bld.advances
        reg_em, bld_em = reg.units_per_em, bld.units_per_em  # a missing glyph counts as 1 em
        # The same arithmetic as Face.width (advance × size / em), without a call per character.
        if not any(bold):
            return [regular.get(ord(c), reg_em) * size / reg_em for c in text]
        return [heavy.get(ord(c), bld_em) * size / bld_em if b else regular.get(ord(c), reg_em) * size / reg_em
                for c, b in zip(text, bold)]

    def fit_width(self, text: str, size: float, bold: bool = False) -> float:
        """Width a one-line box needs for ``text``: its advances plus the ``AUTOSPACE`` room."""
        room = AUTOSPACE * size * sum(_autospace_after(text))
        return self.fonts.face(bold).width(text, size) + room

    def break_runs(self, runs: tuple[tuple[str, bool], ...], width: float, size: float) -> tuple[SetLine, ...]:
        key = (runs, round(width, 3), size)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = tuple(self._break(runs, width, size))
        return hit

    def _break(self, runs: tuple[tuple[str, bool], ...], width: float, size: float) -> list[SetLine]:
        text = "".join(chunk for chunk, _ in runs)
        bold = [b for chunk, b in runs for _ in chunk]
        lines: list[SetLine] = []
        start = 0
        for hard in text.split("\n"):
            end = start + len(hard)
            lines.extend(self._break_hard(hard, bold[start:end], width, size))
            start = end + 1
        return lines

    def _break_hard(self, text: str, bold: list[bool], width: float, size: float) -> list[SetLine]:
        if not text.strip():
            return [SetLine((), 0.0)]
        real = self.char_widths(text, bold, size)
        room = AUTOSPACE * size
        widths = [w + room if g else w for w, g in zip(real, _autospace_after(text))]
        allowed = _allowed_breaks(text)
        cuts = [i for i in range(1, len(text)) if allowed[i]] + [len(text)]
        lines: list[tuple[int, int]] = []
        line_start, pos, line_width = 0, 0, 0.0
        for cut in cuts:
            seg_width = sum(widths[pos:cut])
            visible = seg_width - sum(widths[j] for j in range(_rstrip(text, pos, cut), cut))
            if line_width + visible <= width + 1e-6:
                line_width += seg_width
                pos = cut
                continue
            if pos > line_start:
                lines.append((line_start, pos))
                line_start = pos = _lstrip(text, pos, cut)
                line_width = 0.0
                seg_width = sum(widths[pos:cut])
                visible = seg_width - sum(widths[j] for j in range(_rstrip(text, pos, cut), cut))
                if visible <= width + 1e-6:
                    line_width = seg_width
                    pos = cut
                    continue
            # The segment alone is wider than the line: break it between characters.
            pieces = self._emergency(text, widths, pos, cut, width)
            lines.extend(pieces[:-1])
            line_start = pieces[-1][0]
            pos = cut
            line_width = sum(widths[line_start:cut])
        if pos > line_start:
            lines.append((line_start, pos))
        return [self._set(text, bold, real, a, _rstrip(text, a, b)) for a, b in lines]

    def _emergency(self, text: str, widths: list[float], start: int, end: int,
                   width: float) -> list[tuple[int, int]]:
        """Break ``text[start:end]``, too wide for a line, between characters.

        Each piece takes as many characters as fit (at least one), then backs off to the best
        break point inside it: where words and numbers with their units stay whole, else after a
        URL separator, else anywhere 禁則 allows, else anywhere.
        """
        pieces: list[tuple[int, int]] = []
        a = start
        while True:
            total, b = 0.0, a
            while b < end and total + widths[b] <= width + 1e-6:
                total += widths[b]
                b += 1
            b = max(b, a + 1)
            if b >= end:
                pieces.append((a, end))
                return pieces
            half = a + (b - a) // 2
            candidates = range(b, a, -1)
            good = (next((k for k in candidates if _keeps_words(text, k) and _emergency_ok(text, k)), None)
                    or next((k for k in range(b, half, -1)
                             if text[k - 1] in _URL_BREAK_AFTER and _emergency_ok(text, k)), None)
                    or next((k for k in candidates if _emergency_ok(text, k)), None)
                    or b)
            pieces.append((a, good))
            a = good

    @staticmethod
    def _set(text: str, bold: list[bool], widths: list[float], a: int, b: int) -> SetLine:
        runs: list[tuple[str, bool, float]] = []
        i = a
        while i < b:
            j = i
            while j < b and bold[j] == bold[i]:
                j += 1
            runs.append((text[i:j], bold[i], sum(widths[i:j])))
            i = j
        return SetLine(tuple(runs), sum(widths[a:b]))


def _rstrip(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] == " ":
        b -= 1
    return b


def _lstrip(text: str, a: int, b: int) -> int:
    while a < b and text[a] == " ":
        a += 1
    return a
