"""Line breaking with the real fonts: 禁則, words kept whole, widths, newlines, bold, and properties."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from council_materials.typography.linebreak import NO_END, NO_START, LineBreaker

SIZE = 12.0
ROOM = 2 * 0.25 * SIZE  # generous allowance for the space kept where Asian and Latin text meet

ADVERSARIAL = [
    "デジタルトランスフォーメーションとインフラストラクチャーマネジメントのオペレーション",
    "「ゼロエミッション東京」」」」」の実現へ「「「取組」」」を（推進）する。",
    "『東京都技術会議』「（仮称）」【重要】《注意》〈参考〉の「」「」「」「」「」「」「」「」「」",
    "東京都はSmart Tokyo推進のためAI-OCRとBIM/CIMを導入（2025年度）した。ウェブ・アクセシビリティ",
    "参照：https://www.metro.tokyo.lg.jp/tosei/hodohappyo/press/2025/02/20/01.html まで。",
    "ショッピングセンターのチェックイン、キャッシュレス・ウェブサービス……？！",
    "第3四半期（10～12月）の実績は、前年比＋12.5％、約1,635名、99都市。",
]


@pytest.fixture(scope="module")
def breaker(fonts) -> LineBreaker:
    return LineBreaker(fonts)


def texts(breaker, text: str, width: float, size: float = SIZE, bold: bool = False) -> list[str]:
    return [line.text for line in breaker.break_runs(((text, bold),), width, size)]


def assert_covers(text: str, lines: list[str]) -> None:
    """The lines are the text in order, with only spaces dropped where lines meet."""
    pos = 0
    for line in lines:
        while not text.startswith(line, pos) and pos < len(text) and text[pos] == " ":
            pos += 1
        assert text.startswith(line, pos), (line, text[pos:pos + 20])
        pos += len(line)
    assert text[pos:].strip(" ") == ""


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_kinsoku_on_adversarial_text(breaker, text):
    """From 6 em up, no line starts with NO_START or ends with NO_END (narrower is the emergency zone,
    where e.g. ス……？！ cannot stay together)."""
    for width in range(72, 420, 2):
        lines = texts(breaker, text, width)
        assert_covers(text, lines)
        for line in lines:
            assert line[:1] not in NO_START, (width, lines)
            assert line[-1:] not in NO_END, (width, lines)


def test_kinsoku_in_percent_encoded_url(breaker):
    text = "詳細はhttps://www.google.com/search?q=%E6%9D%B1%E4%BA%AC%E9%83%BD&hl=ja を参照"
    for width in range(48, 300, 2):
        assert not [line for line in texts(breaker, text, width) if line[:1] in NO_START], width


def test_closing_brackets_stay_with_what_they_close(breaker):
    lines = texts(breaker, "会議では「東京」」」」」について議論した。", 100)
    assert not any(line.startswith("」") for line in lines)
    assert any("」」」」」" in line for line in lines)


def test_opening_bracket_pairs_at_the_edge(breaker):
    text = "あいうえおかきくけ「」こさしすせそ「」たちつてと"
    for width in range(48, 300):
        lines = texts(breaker, text, width)
        assert_covers(text, lines)
        assert not any(line.endswith("「") or line.startswith("」") for line in lines), (width, lines)


LATIN = "東京都はSmart Tokyo推進のためAI-OCRとBIM/CIMを導入し、新しいsystemを2025年度に更新した。"
NUMBERS = "海外渡航先は合計99都市となり、研修参加者は1,635名でした。"


@pytest.mark.parametrize("text, tokens", [
    (LATIN, ["Smart", "Tokyo", "AI-OCR", "system", "2025"]),
    (NUMBERS, ["1,635名"]),
])
def test_words_and_numbers_are_not_split_when_they_fit(breaker, fonts, text, tokens):
    for width in range(36, 420):
        lines = texts(breaker, text, width)
        for token in tokens:
            if fonts.regular.width(token, SIZE) + ROOM <= width:
                assert any(token in line for line in lines), (token, width, lines)


def test_everything_whole_at_comfortable_widths(breaker):
    for width in range(110, 420):
        lines = texts(breaker, LATIN + NUMBERS, width)
        for token in ["Smart", "Tokyo", "AI-OCR", "BIM/CIM", "system", "2025年度", "99都市", "1,635名"]:
            assert any(token in line for line in lines), (token, width, lines)


def test_number_with_unit_and_slashed_word_not_split_when_they_fit(breaker, fonts):
    for width in range(40, 120):
        for text, token in [(NUMBERS, "99都市"), (LATIN, "BIM/CIM")]:
            if fonts.regular.width(token, SIZE) + ROOM <= width:
                assert any(token in line for line in texts(breaker, text, width)), (token, width)


@pytest.mark.parametrize("text", ["a" * 10_000, "1" * 10_000, "あ" * 10_000, "x" * 5_000 + "」" * 5_000,
                                  "https://example.com/" + "abc/" * 2_500])
def test_unbreakable_string_is_broken_to_the_width(breaker, text):
    width = 100.0
    lines = breaker.break_runs(((text, False),), width, SIZE)
    assert len(lines) > 10
    assert all(line.width <= width + 1e-6 for line in lines)
    assert "".join(line.text for line in lines) == text


def test_widths_are_sums_of_advances(breaker, fonts):
    text = "東京都技術会議はDX・AIの活用を進め、1,635名が参加した。Smart Tokyo"
    for width in (80, 150, 300):
        for line in breaker.break_runs(((text, False),), width, SIZE):
            expected = sum(fonts.regular.width(c, SIZE) for c in line.text)
            assert line.width == pytest.approx(expected)
            assert sum(run[2] for run in line.runs) == pytest.approx(line.width)


def test_bold_runs_are_measured_with_the_bold_face(breaker, fonts):
    runs = (("Regular AVWmw ", False), ("Bold AVWmw", True), (" 後", False))
    [line] = breaker.break_runs(runs, 1000, SIZE)
    assert [(text, bold) for text, bold, _ in line.runs] == [(t, b) for t, b in runs]
    for text, bold, width in line.runs:
        assert width == pytest.approx(fonts.face(bold).width(text, SIZE))
    assert fonts.bold.width("Bold AVWmw", SIZE) != fonts.regular.width("Bold AVWmw", SIZE)


def test_width_scales_with_size(breaker, fonts):
    [small] = breaker.break_runs((("会議資料", False),), 500, 10)
    [large] = breaker.break_runs((("会議資料", False),), 500, 20)
    assert large.width == pytest.approx(2 * small.width) == pytest.approx(fonts.regular.width("会議資料", 20))


def test_explicit_newlines_break(breaker):
    assert texts(breaker, "一行目\n二行目", 500) == ["一行目", "二行目"]
    assert texts(breaker, "上\n\n下", 500) == ["上", "", "下"]
    lines = breaker.break_runs((("前", False), ("太\n字", True)), 500, SIZE)
    assert [[(t, b) for t, b, _ in line.runs] for line in lines] == [[("前", False), ("太", True)], [("字", True)]]


def test_spaces_at_line_ends_are_dropped(breaker):
    lines = texts(breaker, "alpha beta gamma delta epsilon", 60)
    assert len(lines) > 1
    assert all(line == line.strip(" ") for line in lines)


def test_text_that_fits_is_one_line(breaker, fonts):
    text = "令和6年度「東京都技術会議」の活動について"
    width = fonts.regular.width(text, SIZE) + ROOM * 4
    assert texts(breaker, text, width) == [text]


JAPANESE = "あいうえおかきくけこアイウエオカキクケコーッャュョ会議資料東京都技術活動報告、。「」（）・！？…％"
LATIN_CHARS = "abcdefghijkXYZ0123456789,.-/:%()"


@pytest.mark.parametrize("text, width", [("0", 12.0 / 18 * 12), ("会議あ", 10.0), ("あ", 5.0)])
def test_character_wider_than_the_line(breaker, text, width):
    lines = breaker.break_runs(((text, False),), width, SIZE)
    assert [line.text for line in lines][-1] == text[-1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=JAPANESE + LATIN_CHARS + "  ", min_size=1, max_size=120),
       ems=st.floats(min_value=1.3, max_value=40), size=st.sampled_from([9.0, 12.0, 18.0]))
def test_property_width_and_content(fonts, text, ems, size):
    """Widths from 1.3 em (every character fits alone: see test_character_wider_than_the_line)."""
    breaker = LineBreaker(fonts)
    width = ems * size
    lines = breaker.break_runs(((text, False),), width, size)
    for line in lines:
        assert line.width <= width + 1e-6 or len(line.text) == 1, (line.text, line.width, width)
    assert_covers(text, [line.text for line in lines])


@pytest.mark.parametrize("ems", [9, 11, 14])
def test_lines_break_between_budoux_phrases_where_they_fit(breaker, ems):
    """Phrases are BudouX's own (``Parser.parse``, its public API): every break falls between two of them
    (at these widths no last line is short enough for the line before it to give it its end)."""
    import budoux

    text = "東京都では技術職員の確保と育成に向けて様々な取組を進めており今後も着実に推進していきます"
    phrases = budoux.load_default_japanese_parser().parse(text)
    ends, position = set(), 0
    for phrase in phrases:
        position += len(phrase)
        ends.add(position)
    lines = texts(breaker, text, ems * SIZE)
    assert len(lines) > 1 and "".join(lines) == text
    breaks, position = [], 0
    for line in lines[:-1]:
        position += len(line)
        breaks.append(position)
    assert set(breaks) <= ends, (lines, phrases)


# -- JLREQ classes, groups, dates, short last lines, bullet marks ------------------------------------

JLREQ_TEXT = [
    "こころヽヾの々、ゝゞ〻と書く。「——」と言い、「――」「……」「‥‥」もある。〳〵くり返し。",
    "半角ｶﾀｶﾅは｢ﾃｽﾄ｣｡ｷｬｯﾁｰ､ﾊﾞｯﾃﾘｨと書く。温度は25℃、割合は5‰、￥1,000を払う。",
]


@pytest.mark.parametrize("text", JLREQ_TEXT)
def test_jlreq_classes_at_every_width(breaker, text):
    """Half-width forms, iteration marks, postfixed and prefixed abbreviations and inseparable
    characters (——, ……, 〳〵) all keep their place."""
    for width in range(72, 420, 3):
        lines = texts(breaker, text, width)
        assert_covers(text, lines)
        for before, after in zip(lines, lines[1:]):
            assert after[:1] not in NO_START and before[-1:] not in NO_END, (width, lines)
            pair = before[-1] + after[0]
            assert pair not in ("——", "――", "……", "‥‥", "〳〵", "￥1"), (width, lines)


def test_jlreq_tables_hold_the_characters_the_issue_named():
    for char in "ヽヾ｡､｣ｧｨｩｪｫｬｭｮｯｰ":
        assert char in NO_START, char
    assert "｢" in NO_END


def test_bracketed_group_is_whole_where_it_fits(breaker, fonts):
    text = "都市整備局理事 (航空政策・交通基盤整備・交通政策担当)"
    group = text[text.index("("):]
    for width in range(60, 320):
        lines = texts(breaker, text, width, size=10.5)
        if breaker.fit_width(group, 10.5) <= width:
            assert any(group in line for line in lines), (width, lines)
        else:  # split after its ・ where it must split, never leaving 当) alone
            assert len(lines[-1]) > 2, (width, lines)
            if breaker.fit_width("(航空政策・", 10.5) <= width:
                assert not any(line.endswith("航空") for line in lines), (width, lines)


def test_date_and_weekday_stay_together(breaker):
    text = "開催日 令和6年7月29日（火）"
    for width in range(50, 300):
        lines = texts(breaker, text, width, size=10.5)
        if breaker.fit_width("29日（火）", 10.5) <= width:
            assert any("29日（火）" in line for line in lines), (width, lines)
        if breaker.fit_width("令和6年7月29日（火）", 10.5) <= width:
            assert any("令和6年7月29日（火）" in line for line in lines), (width, lines)


def test_a_group_splits_after_its_middle_dots(breaker):
    text = "・参加者 106名（土木73・建築12・機械10・電気11）"
    for width in range(60, 200):
        lines = texts(breaker, text, width, size=10.5)
        for line in lines[:-1]:
            if "（" in "".join(lines[:lines.index(line) + 1]):
                assert line.endswith(("・", "名")), (width, lines)


SHORT_ENDINGS = [
    "設計、積算、照査の作業に時間を要している。必要",
    "クラウドの管理システムや遠隔臨場の活用により、作業",
    "設計、積算、照査にAIを活用し、一連の事務で生じる手間を大幅に削減",
    "国際会議でのプレゼンやブース出展などを実施",
    "女性技術職員による講演",
]


@pytest.mark.parametrize("text", SHORT_ENDINGS)
def test_no_last_line_of_one_or_two_characters(breaker, text):
    for width in range(60, 500):
        lines = texts(breaker, text, width)
        if len(lines) > 1:
            assert len(lines[-1].strip()) > 2, (width, lines)


def test_a_short_last_line_stays_only_when_nothing_else_fits(breaker):
    """「当)」 cannot leave its group at three characters a line: the lines are what fits."""
    lines = texts(breaker, "担当)", 13)
    assert "".join(lines) == "担当)"


@pytest.mark.parametrize("text", ["・https://www.metro.tokyo.lg.jp/" + "tosei/hodohappyo/" * 25,
                                  "・ショッピングセンターのチェックインカウンター",
                                  "①　デジタルトランスフォーメーション", "◆ 生産年齢人口の減少"])
def test_a_bullet_mark_never_stands_alone(breaker, text):
    for width in range(40, 300, 5):
        lines = texts(breaker, text, width)
        assert lines[0].strip(" 　") not in ("・", "①", "◆"), (width, lines[:2])


def test_continuation_lines_have_their_own_width(breaker, fonts):
    text = "・" + "東京都技術会議はDX・AIの活用を進め、働き方改革に取り組む。" * 3
    lines = breaker.break_runs(((text, False),), 200, SIZE, 180)
    assert lines[0].width <= 200 + 1e-6 and all(line.width <= 180 + 1e-6 for line in lines[1:])
    assert max(line.width for line in lines[1:]) > 180 * 0.75  # the rest are filled to their own width


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=JAPANESE + LATIN_CHARS + "  ", min_size=1, max_size=120),
       ems=st.floats(min_value=1.3, max_value=40), rest=st.floats(min_value=0.6, max_value=1.0),
       lead=st.sampled_from(["", "・", "①　", "◆ "]))
def test_property_hanging_indent_and_marks(fonts, text, ems, rest, lead):
    """With a narrower width for the lines after the first and a bullet's own mark: every line
    fits its width, the text is all there in order, and the mark never stands alone."""
    breaker = LineBreaker(fonts)
    text = lead + text
    width = ems * SIZE
    lines = breaker.break_runs(((text, False),), width, SIZE, max(width * rest, 1.3 * SIZE))
    for index, line in enumerate(lines):
        limit = width if index == 0 else max(width * rest, 1.3 * SIZE)
        assert line.width <= limit + 1e-6 or len(line.text) == 1, (line.text, line.width, limit)
    assert_covers(text, [line.text for line in lines])
    body = text[len(lead):].lstrip(" 　")
    if lead and body and breaker.fit_width(text[:len(text) - len(body) + 1], SIZE) <= width:
        assert lines[0].text.strip(" 　") != lead.strip(" 　"), [line.text for line in lines]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=JAPANESE + LATIN_CHARS + "  ", min_size=1, max_size=60),
       slack=st.floats(min_value=-6, max_value=6), size=st.sampled_from([10.5, 12.0, 18.0]))
def test_a_text_that_fits_is_set_without_its_break_classes(fonts, text, slack, size):
    """Near the width a text needs on one line (its advances and the room kept where Asian and Latin
    text meet, spaces at its end aside): where it fits, it is that one line and its classes (BudouX's
    phrases) are never worked out; where it does not, it is broken by its classes."""
    from council_materials.typography import linebreak

    worked_out: list[str] = []
    classes = linebreak._break_classes

    def counted(chunk: str) -> tuple[int, ...]:
        worked_out.append(chunk)
        return classes(chunk)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linebreak, "_break_classes", counted)
        breaker = LineBreaker(fonts)
        one_line = breaker.break_runs(((text, False),), 1e6, size)
        assert worked_out == [] and len(one_line) == 1
        kept = len(text.rstrip(" "))
        needed = one_line[0].width + linebreak.AUTOSPACE * size * sum(linebreak._autospace_after(text)[:kept])
        lines = breaker.break_runs(((text, False),), needed + slack, size)
    if slack >= 0 or not text.strip():
        assert lines == one_line and worked_out == []
    elif slack < -1e-5:
        assert set(worked_out) == {text}
        assert_covers(text, [line.text for line in lines])
