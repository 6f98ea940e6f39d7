"""Japanese line breaking with real advance widths, decided once for both outputs.

Input: runs of text (``(chunk, bold)`` pairs), a width (and, for a hanging indent, another
width for the lines after the first) and a size in points, and the build's ``FontPair``.
Output: ``SetLine``s, each a list of runs with their measured widths.

Every place between two characters gets a class (``_break_classes``): the lower, the better
a line break there. Lines are filled greedily with whole units of the best class; a unit too
wide for a whole line is split at the next class, continuing on the line it starts on (a text
that fits on one line is that line, without working its classes out):

0. between BudouX phrases or after a space, outside bracketed groups and dates;
1. inside a bracketed group （…）「…」, after its 、・，：;
2. elsewhere inside a bracketed group, after a date's year (令和7年|2月20日(木)), before a number;
3. inside a phrase, after 、・ or before （「;
4. between characters, keeping Latin words, numbers with their units and 禁則;
5. between a number and its unit (2025|年度, 99|都市, 99都|市), inside a katakana word, after a
   date's month;
6. inside a Latin word or URL, after ``/ - . _ ? & = #``; elsewhere inside a date;
7. anywhere 禁則 allows;
8. anywhere (禁則 broken only where nothing else fits; never after a bullet's own mark).

Explicit newlines always break. 禁則 follows JLREQ's character classes: no line starts with
closing brackets, hyphens, dividing punctuation, middle dots, full stops, commas,
iteration marks, the prolonged sound mark, small kana or postfixed abbreviations
(``NO_START``, half-width forms included), none ends with an opening bracket or a prefixed
abbreviation before its number (``NO_END``), and inseparable characters (——, ……, 〳〵) stay
together. Then a paragraph of two or more lines whose last line would hold only one or two
characters takes the end of the line before it (cut at a break of class 4 or better) when the
result fits. Where Asian and Latin text meet, a quarter em is kept free (``AUTOSPACE``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from .fonts import FontPair

if TYPE_CHECKING:  # pragma: no cover
    from budoux import Parser

__all__ = ["NO_START", "NO_END", "BULLET_MARKS", "SetLine", "SetLines", "LineBreaker"]

_CLOSING = "’”）〕］｝〉》」』】〙〗〟｠⦆»)]}｣"  # JLREQ cl-02 (and half-width ｣)
_HYPHENS = "‐〜゠–～"  # cl-03 (～: the wave dash as Windows types it)
_DIVIDING = "？！‼⁇⁈⁉?!"  # cl-04
_MIDDLE_DOTS = "・：；:;･"  # cl-05
_FULL_STOPS = "。．.｡"  # cl-06
_COMMAS = "、，,､"  # cl-07
_ITERATION = "ヽヾゝゞ々〻"  # cl-09
_PROLONGED = "ーｰ"  # cl-10
_SMALL_KANA = ("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
               "ｧｨｩｪｫｬｭｮｯﾞﾟ")  # cl-11, with the half-width forms and sound marks
_POSTFIXED = "%％‰°′″℃¢￠"  # cl-13
_INSEPARABLE = "—―…‥"  # cl-08: no break between two of the same; 〳〴 hold on to 〵

NO_START = frozenset(_CLOSING + _HYPHENS + _DIVIDING + _MIDDLE_DOTS + _FULL_STOPS + _COMMAS + _ITERATION
                     + _PROLONGED + _SMALL_KANA + _POSTFIXED + "…‥")
"""Characters no line starts with (JLREQ cl-02 to cl-07, cl-09 to cl-11, cl-13)."""
NO_END = frozenset("‘“（〔［｛〈《「『【｟〘〖«〝([{｢")
"""Characters no line ends with (JLREQ cl-01, opening brackets)."""
_PREFIXED = frozenset("¥$£#€№￥＄￡＃")  # cl-12: stay with the number after them
_OPENING = NO_END
_BRACKETS = {"（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "［": "］", "[": "]", "〔": "〕",
             "〈": "〉", "《": "》", "｛": "｝", "{": "}", "｢": "｣", "〘": "〙", "〖": "〗", "“": "”", "‘": "’",
             "｟": "｠"}
_GROUP_SPLIT = frozenset("、・，：；,")  # where a bracketed group splits best
_PHRASE_SPLIT_AFTER = frozenset("、・")
_PHRASE_SPLIT_BEFORE = frozenset("（「")
_URL_BREAK_AFTER = frozenset("/-._?&=#")

BULLET_MARKS = frozenset("・◆◇➡▶▷●○■□✓※•◦-‐") | {chr(c) for c in range(0x2460, 0x2474)}
"""Characters that, at the start of a paragraph, are its own bullet mark: never alone on a line."""

_DATE = re.compile(
    r"(?:(?:令和|平成|昭和)?[0-9０-９元]{1,4}年度?)?[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?"
    r"(?:\s?[（(][月火水木金土日祝・]{1,3}[)）])?"
    r"|(?:令和|平成|昭和)[0-9０-９元]{1,2}年度?"
    r"|[0-9０-９]{1,2}日\s?[（(][月火水木金土日祝][)）]")
"""Dates (with era, weekday) kept on one line where they can: 令和7年2月20日(木), 7月29日（火）."""

GOOD, SPLIT, CHARS = 0, 3, 4
"""Breaks of class ``GOOD`` keep phrases and groups whole; up to ``SPLIT`` phrases split only where
they have punctuation; up to ``CHARS``, words, numbers with their units and 禁則 are kept."""
_LAST = 8

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
def _parser() -> Parser:
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=8192)
def _phrase_boundaries(text: str) -> frozenset[int]:
    """Where BudouX starts a new phrase in ``text``, and the end of ``text`` (``Parser.parse``'s chunks)."""
    bounds, position = set(), 0
    for phrase in _parser().parse(text):
        position += len(phrase)
        bounds.add(position)
    return frozenset(bounds)


def _is_katakana(char: str) -> bool:
    return "ァ" <= char <= "ヺ" or char == "ー" or "ｦ" <= char <= "ﾟ"


def _is_ascii_word(char: str) -> bool:
    return "!" <= char <= "~" and char not in "([{"


def _spans(text: str) -> tuple[list[bool], list[bool | None]]:
    """``(group, date)``: ``group[i]`` says a break before ``text[i]`` would split a bracketed group,
    ``date[i]`` that it would split a date (``None``: that it would end one)."""
    n = len(text)
    diff = [0] * (n + 2)
    stack: list[tuple[int, str]] = []
    for i, char in enumerate(text):
        closing = _BRACKETS.get(char)
        if closing is not None:
            stack.append((i, closing))
        elif stack and any(char == want for _, want in stack):
            while stack:
                j, want = stack.pop()
                if want == char:
                    diff[j + 1] += 1
                    diff[i + 1] -= 1
                    break
    dates: list[bool | None] = [False] * (n + 1)  # None: just after a date
    for match in _DATE.finditer(text):
        for i in range(match.start() + 1, match.end()):
            dates[i] = True
        if match.end() < n and not dates[match.end()]:
            dates[match.end()] = None
    group, depth = [], 0
    for i in range(n + 1):
        depth += diff[i]
        group.append(depth > 0)
    return group, dates


def _lead(text: str) -> int:
    """Length of the paragraph's own bullet mark and the spaces after it (0 without one)."""
    j = 0
    while j < len(text) and text[j] in BULLET_MARKS:
        j += 1
    if j == 0:
        return 0
    while j < len(text) and text[j] in " \u3000":
        j += 1
    return j


_WORD, _DIGIT, _ASIAN, _KATA, _NOSTART, _NOEND, _SPACE = 1, 2, 4, 8, 16, 32, 64
_MAY_SPAN = re.compile("[" + re.escape("".join(_BRACKETS)) + "月年]")
"""A text without an opening bracket, 年 or 月 has no group or date to keep whole."""

_KINDS: dict[str, int] = {}


def _kind(char: str) -> int:
    """What the break rules ask of a character, as bits (computed once per character)."""
    kind = _KINDS.get(char)
    if kind is None:
        kind = (_WORD * _is_ascii_word(char) | _DIGIT * char.isdigit() | _ASIAN * _is_asian(char)
                | _KATA * _is_katakana(char) | _NOSTART * (char in NO_START) | _NOEND * (char in NO_END)
                | _SPACE * (char == " "))
        _KINDS[char] = kind
    return kind


@lru_cache(maxsize=8192)
def _break_classes(text: str) -> tuple[int, ...]:
    """``classes[i]``: how good a line break before ``text[i]`` is (the module's classes 0 to 8)."""
    n = len(text)
    phrases = _phrase_boundaries(text)
    group, date = _spans(text) if _MAY_SPAN.search(text) else ([False] * (n + 1),) * 2
    lead = _lead(text)
    kinds = [_KINDS.get(char) or _kind(char) for char in text]
    out = [_LAST] * (n + 1)
    for i in range(max(lead + 1, 1), n):
        kb, ka = kinds[i - 1], kinds[i]
        if ka & (_SPACE | _NOSTART) or kb & _NOEND:
            continue
        before, after = text[i - 1], text[i]
        if (before in _PREFIXED and ka & _DIGIT) or (before == after and before in _INSEPARABLE) \
                or (before in "〳〴" and after == "〵"):
            continue
        if kb & ka & _WORD:
            out[i] = 6 if before in _URL_BREAK_AFTER else 7
        elif date[i]:
            out[i] = 2 if before in "年度" else 5 if before == "月" else 6  # 令和7年|2月|20日(木)
        elif kb & _DIGIT and after not in _OPENING:
            out[i] = 5  # a number and its unit
        elif date[i] is None and i not in phrases:
            out[i] = 2  # 20日(木)|から
        elif group[i] and before in _GROUP_SPLIT:
            out[i] = 1
        elif i in phrases or kb & _SPACE:
            out[i] = 2 if group[i] or (ka & _DIGIT and not kb & _SPACE) else GOOD
        elif before in _PHRASE_SPLIT_AFTER or after in _PHRASE_SPLIT_BEFORE:
            out[i] = SPLIT
        elif i >= 2 and kinds[i - 2] & _DIGIT and kb & ka & _ASIAN:
            out[i] = 5  # a unit of two characters after a number: 99都市, 10万円
        elif kb & ka & _KATA:
            out[i] = 5  # a katakana word: ドローン, not ドロー|ン
        else:
            out[i] = 4
    return tuple(out)


def _chars(text: str, a: int, b: int) -> int:
    """Characters of ``text[a:b]``, white space aside."""
    return sum(1 for char in text[a:b] if not char.isspace())


SHORT_LAST = 2
"""A paragraph's last line of this many characters or fewer is mended where another break allows."""


@dataclass(frozen=True)
class SetLine:
    """A set line: runs with widths in points, the total width, and the class of the break that
    ends it (``_break_classes``; 0 for a paragraph's last line)."""

    runs: tuple[tuple[str, bool, float], ...]
    width: float
    brk: int = 0

    @property
    def text(self) -> str:
        return "".join(run[0] for run in self.runs)


class SetLines(tuple[SetLine, ...]):
    """A paragraph's ``SetLine``s, with ``worst``: the class of the worst break between them."""

    worst: int

    def __new__(cls, lines: list[SetLine]) -> "SetLines":
        made = super().__new__(cls, lines)
        made.worst = max((line.brk for line in lines), default=0)
        return made


class _Filler:
    """Fills lines greedily with units of text, splitting a unit too wide for a line at its next class.

    A text that fits on its first line whole is that line: every unit of every class fits then, so its
    classes (and BudouX's phrases, the costly part) are only worked out for a text that needs breaking.
    """

    def __init__(self, text: str, prefix: list[float], room: list[float], first: float, rest: float) -> None:
        self.text, self.prefix, self.room = text, prefix, room
        self.first, self.rest = first + 1e-6, rest + 1e-6
        self.lines: list[tuple[int, int]] = []
        self.start = self.end = 0

    @cached_property
    def classes(self) -> tuple[int, ...]:
        return _break_classes(self.text)

    def visible(self, a: int, b: int) -> float:
        """Width of a line holding ``text[a:b]``: no room before its first character, none for the
        spaces it ends with."""
        return self.prefix[_rstrip(self.text, a, b)] - self.prefix[a] - self.room[a]

    def run(self) -> list[tuple[int, int]]:
        if self.visible(0, len(self.text)) <= self.first:  # what filling unit by unit would come to
            return [(0, len(self.text))]
        self.place(0, len(self.text), GOOD)
        if self.end > self.start or not self.lines:
            self.lines.append((self.start, self.end))
        return self.lines

    def place(self, a: int, b: int, level: int) -> None:
        classes, pos = self.classes, a
        for cut in [k for k in range(a + 1, b) if classes[k] <= level] + [b]:
            self.unit(pos, cut, level)
            pos = cut

    def unit(self, a: int, b: int, level: int) -> None:
        limit = self.rest if self.lines else self.first
        if self.visible(self.start, b) <= limit:
            self.end = b
            return
        if self.end > self.start:
            s = _lstrip(self.text, a, b)
            # Whole on a line of its own; or, when it must be split between characters, split there
            # rather than at the end of this line (a word is then cut as little as possible).
            if self.visible(s, b) <= self.rest or level >= SPLIT:
                self.lines.append((self.start, self.end))
                self.start = self.end = s
                if self.visible(s, b) <= self.rest:
                    self.end = b
                    return
        if level < _LAST:
            self.place(a, b, level + 1)
        else:  # a single character wider than the line
            self.end = b


class LineBreaker:
    """Breaks runs into lines for one ``FontPair``; results are cached."""

    def __init__(self, fonts: FontPair) -> None:
        self.fonts = fonts
        self._cache: dict[tuple[object, ...], SetLines] = {}

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

    def break_runs(self, runs: tuple[tuple[str, bool], ...], width: float, size: float,
                   rest: float | None = None) -> "SetLines":
        """Lines of ``runs`` at ``size``: the first at most ``width`` wide, the others at most ``rest``
        (default: ``width``; a hanging indent makes them narrower)."""
        key = (runs, round(width, 3), size) if rest is None or rest == width else \
            (runs, round(width, 3), size, round(rest, 3))
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = SetLines(self._break(runs, width, width if rest is None else rest, size))
        return hit

    def _break(self, runs: tuple[tuple[str, bool], ...], width: float, rest: float, size: float) -> list[SetLine]:
        text = "".join(chunk for chunk, _ in runs)
        bold = [b for chunk, b in runs for _ in chunk]
        lines: list[SetLine] = []
        start = 0
        for hard in text.split("\n"):
            end = start + len(hard)
            lines.extend(self._break_hard(hard, bold[start:end], rest if lines else width, rest, size))
            start = end + 1
        return lines

    def _break_hard(self, text: str, bold: list[bool], first: float, rest: float, size: float) -> list[SetLine]:
        if not text.strip():
            return [SetLine((), 0.0)]
        real = self.char_widths(text, bold, size)
        room = [AUTOSPACE * size if gap else 0.0 for gap in _autospace_after(text)] + [0.0]
        prefix = [0.0]
        for w, r in zip(real, room):
            prefix.append(prefix[-1] + w + r)
        filler = _Filler(text, prefix, room, first, rest)
        lines = filler.run()
        if len(lines) > 1 and _chars(text, *lines[-1]) <= SHORT_LAST:
            lines = _mend_short_last(filler, lines, size)
        return [self._set(text, bold, real, a, _rstrip(text, a, b), filler.classes[b] if n < len(lines) else 0)
                for n, (a, b) in enumerate(lines, 1)]

    @staticmethod
    def _set(text: str, bold: list[bool], widths: list[float], a: int, b: int, brk: int = 0) -> SetLine:
        runs: list[tuple[str, bool, float]] = []
        i = a
        while i < b:
            j = i
            while j < b and bold[j] == bold[i]:
                j += 1
            runs.append((text[i:j], bold[i], sum(widths[i:j])))
            i = j
        return SetLine(tuple(runs), sum(widths[a:b]), brk)


def _mend_short_last(filler: _Filler, lines: list[tuple[int, int]], size: float) -> list[tuple[int, int]]:
    """The lines with a last line of more than ``SHORT_LAST`` characters where a break allows it.

    First the last line takes the end of the line before it, cut at the best break (class
    ``CHARS`` or better, the latest of the best) that leaves both lines longer than
    ``SHORT_LAST``; failing that, the paragraph is set up to three ems narrower, keeping its
    number of lines and breaking nowhere worse; failing that, the last line takes what makes it
    longer, if anything does.
    """
    text, classes = filler.text, filler.classes
    (pa, pb), (a, b) = lines[-2], lines[-1]
    best: tuple[bool, int, int] | None = None  # (still short, class, -position): the least is best
    for k in range(pb - 1, pa, -1):
        if classes[k] > CHARS:
            continue
        s = _lstrip(text, k, b)
        if filler.visible(s, b) > filler.rest:
            break  # starting earlier only makes the last line wider
        if _chars(text, pa, k) > SHORT_LAST:
            candidate = (_chars(text, s, b) <= SHORT_LAST, classes[k], -k)
            best = candidate if best is None or candidate < best else best
    if best is not None and not best[0]:
        k = -best[2]
        return [*lines[:-2], (pa, k), (_lstrip(text, k, b), b)]
    worst = max(classes[end] for _, end in lines[:-1])
    for ems in (1, 2, 3):
        tried = _Filler(text, filler.prefix, filler.room, filler.first - ems * size, filler.rest - ems * size).run()
        if len(tried) == len(lines) and _chars(text, *tried[-1]) > SHORT_LAST and \
                max(classes[end] for _, end in tried[:-1]) <= worst:
            return tried
    if best is not None and _chars(text, _lstrip(text, -best[2], b), b) > _chars(text, a, b):
        k = -best[2]  # no way round a short last line: at least a longer one (ドローン|点検, not ドローン点|検)
        return [*lines[:-2], (pa, k), (_lstrip(text, k, b), b)]
    return lines


def _rstrip(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] == " ":
        b -= 1
    return b


def _lstrip(text: str, a: int, b: int) -> int:
    while a < b and text[a] == " ":
        a += 1
    return a
