"""The line breaker on its own, measured one unit a character: 避头尾, whole units, titles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests_support import TITLES

from app.printing.linebreak import (
    balance_title,
    break_lines,
    rules,
    title_breaks,
    title_cost,
    units,
)

NO_START, NO_END = rules().no_line_start, rules().no_line_end
MIN = rules().title_min_chars


def breaks_of(lines: list[str]) -> list[int]:
    """Where ``lines`` break their text, as offsets into it."""
    out, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        out.append(at)
    return out


def unit_edges(text: str) -> tuple[set[int], list[tuple[int, int]]]:
    """The offsets between units, and each unit's span."""
    edges, spans, at = set(), [], 0
    for unit in units(text):
        spans.append((at, at + len(unit)))
        at += len(unit)
        edges.add(at)
    return edges, spans


def test_rules_come_from_the_resource_file() -> None:
    for char in "。，、；：？！）》」』〕":
        assert char in NO_START
    for char in "（《「『〔":
        assert char in NO_END
    assert MIN == 3


@pytest.mark.parametrize("whole", ["〔2021〕57号", "2026年11月20日", "0551-62345678",
                                   "138 1234 5678", "1,260元", "3.5万元", "500元/月", "5%",
                                   "https://www.example.gov.cn/a.html", "——", "……"])
def test_numbers_dates_phones_and_amounts_are_one_unit(whole) -> None:
    text = f"说明{whole}说明"
    assert whole in units(text) or any(whole in u and len(u) <= len(whole) + 2
                                       for u in units(text)), units(text)


def test_misprinted_document_number_stays_on_one_line() -> None:
    text = "根据《最低生活保障审核确认办法》（民发〔2021〕57号），经初审，现公示如下。"
    for width in range(12, 30):
        lines = break_lines(text, width, len, 2)
        assert any("〔2021〕57号）" in line for line in lines), (width, lines)
        assert not [line for line in lines[1:] if line[0] in NO_START], (width, lines)


def test_a_stop_after_a_bracket_never_opens_a_line() -> None:
    text = "要带什么材料：户口簿、身份证、残疾证（有的提供）。家庭收入和财产情况说明。"
    for width in range(6, 30):
        lines = break_lines(text, width, len)
        assert "".join(lines) == text
        assert not [line for line in lines if line[0] in NO_START], (width, lines)
        assert not [line for line in lines if line[-1] in NO_END], (width, lines)


def test_a_closing_stop_may_squeeze_into_a_full_line() -> None:
    text = "一二三四五六七八九十。十一"
    assert break_lines(text, 10, len) == ["一二三四五六七八九", "十。十一"]
    assert break_lines(text, 10, len, squeeze=1) == ["一二三四五六七八九十。", "十一"]


def test_a_unit_wider_than_the_line_is_the_only_thing_split() -> None:
    lines = break_lines("电话0551-62345678", 6, len)
    assert "".join(lines) == "电话0551-62345678" and max(map(len, lines)) <= 6
    # Even split, a stop inside it stays at the end of a line.
    assert break_lines("abcde，fghi", 4, len) == ["abcd", "e，", "fghi"]
    assert break_lines("abcd，efgh", 4, len) == ["abcd，", "efgh"]


@pytest.mark.parametrize("title, width, expected", [
    ("关于2026年耕地地力保护补贴发放情况的公示", 20, None),
    ("青石镇关于2026年度农村危房改造对象审批（确认）信息的公示", 20, None),
    ("青石镇关于最低生活保障审核信息的公示", 17, ["青石镇关于最低生活", "保障审核信息的公示"]),
])
def test_misprinted_titles_break_into_balanced_lines(title, width, expected) -> None:
    lines = balance_title(title, width, len)
    assert "".join(lines) == title and len(lines) == 2, lines
    assert min(map(len, lines)) >= MIN and max(map(len, lines)) - min(map(len, lines)) <= 4
    assert not lines[1].startswith("的") and not lines[0].endswith("关于"), lines
    if expected:
        assert lines == expected


def test_title_rule_never_picks_a_costlier_arrangement() -> None:
    """Against every arrangement the rule allows, with the fewest lines."""
    from itertools import combinations

    def valid(cut: tuple[int, ...]) -> list[str] | None:
        edges = (0, *cut, len(title))
        lines = [title[a:b] for a, b in zip(edges, edges[1:], strict=False)]
        return lines if min(map(len, lines)) >= MIN and max(map(len, lines)) <= width else None

    for title in TITLES:
        for width in (14, 17, 20):
            lines = balance_title(title, width, len)
            allowed = title_breaks(title)
            assert set(breaks_of(lines)) <= set(allowed), (title, lines)
            cost = title_cost(lines, len, sum(allowed[p] for p in breaks_of(lines)))
            for cut in combinations(sorted(allowed), len(lines) - 1):
                if other := valid(cut):
                    assert cost <= title_cost(other, len, sum(allowed[p] for p in cut)) + 1e-9
            for fewer in range(len(lines) - 1):  # and no arrangement with fewer lines
                assert not any(valid(cut) for cut in combinations(sorted(allowed), fewer))


def test_title_shapes() -> None:
    # An hourglass costs more than a diamond of the same spread.
    assert title_cost(["一二三四", "一二三", "一二三四"], len) > \
        title_cost(["一二三", "一二三四", "一二三"], len)
    # Top line longer is preferred to bottom line longer.
    assert title_cost(["一二三四五", "一二三四"], len) < title_cost(["一二三四", "一二三四五"], len)


TEXT = st.lists(st.sampled_from(
    list("政务公开申请人民镇村的了和") + list("。，、；：？！）》」』〕（《「『〔") +
    list("0123456789年月日元号-.,% ") + ["〔2021〕57号", "2026年11月20日", "0551-62345678",
                                          "1,260元", "（有的提供）。"]), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.integers(3, 30), indent=st.sampled_from([0, 2]),
       squeeze=st.sampled_from([0, 1]))
def test_break_lines_properties(text, width, indent, squeeze) -> None:
    lines = break_lines(text, width, len, indent, squeeze)
    assert "".join(lines) == text
    edges, spans = unit_edges(text)
    for at in breaks_of(lines):
        if at not in edges:  # inside a unit: only when the unit is wider than a line
            assert any(a < at < b and b - a > width - indent for a, b in spans), (lines, at)
        else:
            assert text[at] not in NO_START and text[at - 1] not in NO_END, (lines, at)
    for n, line in enumerate(lines):
        room = width - (indent if n == 0 else 0)
        over = len(line.rstrip(" ")) - room
        if over > 0:  # squeezed stops, a split over-wide unit, or a lone over-wide unit
            assert over <= squeeze or any(b - a > room for a, b in spans), lines


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(list("关于公示的名单补贴发放情况青石镇年度审核信息") +
                                    ["2026年", "（确认）"]), min_size=1, max_size=40).map("".join),
       width=st.integers(6, 24))
def test_balance_title_properties(text, width) -> None:
    lines = balance_title(text, width, len)
    assert "".join(lines) == text
    if len(lines) > 1 and min(map(len, lines)) >= MIN:
        assert all(len(line) <= width for line in lines)


def test_a_newline_forces_a_break() -> None:
    assert break_lines("第一行\n第二行很长很长", 5, len) == ["第一行\n", "第二行很长", "很长"]
    assert break_lines("行\n", 5, len) == ["行\n"]  # no empty line after a closing newline


def test_set_text_splits_between_lines_and_keeps_its_text() -> None:
    from reportlab.lib.styles import ParagraphStyle

    from app.printing.fonts import bundled_faces
    from app.printing.pdf_fonts import register
    from app.printing.typeset import SetText

    face = bundled_faces()["body"]
    style = ParagraphStyle("b", fontName=register(face), fontSize=10, leading=15,
                           firstLineIndent=20, alignment=4)
    text = "公示期间如有异议，请实名反映（民发〔2021〕57号）。" * 12
    whole = SetText(text, style, face)
    _, height = whole.wrap(200, 1000)
    lines = whole.lines(200)
    assert height == 15 * len(lines) and len(lines) > 4
    head, tail = whole.split(200, 15 * 3 + 1)
    head.wrap(200, 1000)
    tail.wrap(200, 1000)
    assert head.lines(200) == lines[:3] and tail.lines(200) == lines[3:]
    assert whole.split(200, 16) == []  # one line alone at the foot of a page: an orphan
    assert whole.split(200, 10_000) == [whole]
