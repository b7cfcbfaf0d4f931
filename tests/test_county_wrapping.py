"""Channel labels wrapped, boxed and separated in every way county tables do it.

A label split anywhere reads back as its channel; a piece that matches no
channel is a warning (reader, preview, ``--json``), never a channel.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import table_builders as tb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from table_builders import BOARD

from app.catalog.table_reader import known_channels, pick, read_county_table, split_channels
from app.facts import CHANNELS, order_like

ON = "■☑☒√✔✓●"
OFF = "□☐○▢◻"


@pytest.mark.parametrize(("text", "expected"), tb.WRAPPED_CHANNELS)
def test_wrapped_cells_of_the_builders(text: str, expected: list[str]) -> None:
    assert split_channels(text) == expected
    assert pick(text, known_channels()).fragments == []


@pytest.mark.parametrize(("text", "expected"), [
    ("■社区/企事业单位/村公示栏\n(电子屏)", [BOARD]),  # the reported cell
    ("■社区/企事业单位/村公示栏\n（电子屏）", [BOARD]),
    ("■社区/企事业单位/村公示栏（\n电子屏）", [BOARD]),
    ("■社区/企事业单位/村公示栏(电子\n屏)", [BOARD]),
    ("■社区/\n企事业单位/\n村公示栏\n（电子屏）", [BOARD]),
    ("■ 社区/企事业单位/村公示栏 （电子屏）", [BOARD]),
    ("□社区/企事业单位/村公示栏\n(电子屏)\n■政府网站", ["政府网站"]),
    ("√政府网站√两微一端√入户/现场", ["政府网站", "两微一端", "入户/现场"]),
    ("✓ 政府网站 ✓ 公开查阅点", ["政府网站", "公开查阅点"]),
    ("口政府网站 ■两微一端", ["两微一端"]),  # 口 typed for an empty box
    ("囗政府网站 ☒纸质媒体", ["纸质媒体"]),
    ("政务服务窗口", ["政务服务窗口"]),  # 口 inside a word is no box
    ("政府网站、两微一端，公开查阅点；便民服务站", ["政府网站", "两微一端", "公开查阅点",
                                               "便民服务站"]),
    ("政府网站\n社区/企事业单位/村公示栏\n（电子屏）\n入户", ["政府网站", "入户/现场", BOARD]),
    ("政 府 网 站、公 开 查 阅 点", ["政府网站", "公开查阅点"]),
    ("宣 传 册", ["宣传册"]),  # spaced out, and on its own: the county's own channel
    ("■政府网站 ■宣传册", ["政府网站", "宣传册"]),
    ("", []),
])
def test_split_channels_variants(text: str, expected: list[str]) -> None:
    assert split_channels(text) == expected


@pytest.mark.parametrize(("text", "names", "fragments"), [
    ("■社区/企事业单位/村公示栏\n(电子显示屏)", [BOARD], ["(电子显示屏)"]),
    ("■政府网站\n（含手机版）", ["政府网站"], ["（含手机版）"]),
    ("政府网站\n宣传册", ["政府网站"], ["宣传册"]),  # a line of its own, or a wrapped tail?
    ("宣传册\n明白纸", [], ["宣传册 明白纸"]),  # one name wrapped, or two? the clerk decides
    ("■（电子屏）", [], ["（电子屏）"]),  # a bracket never starts a name
])
def test_a_piece_that_matches_nothing_is_a_fragment(text: str, names: list[str],
                                                     fragments: list[str]) -> None:
    picked = pick(text, known_channels())
    assert (picked.names, picked.others, picked.fragments) == (names, [], fragments)
    assert split_channels(text) == names


def test_learned_names_join_like_standard_ones() -> None:
    assert split_channels("政府网站\n宣传册") == ["政府网站"]
    assert split_channels("政府网站\n宣传册", ["宣传册"]) == ["政府网站", "宣传册"]
    assert split_channels("■村级\n微信群 ■政府网站", ["村级微信群"]) == ["政府网站", "村级微信群"]


# --------------------------------------------------------------------------- property


def _variant(name: str, draw: st.DrawFn) -> str:
    """``name`` as a table might print it: brackets of either width, cut anywhere."""
    if draw(st.booleans()):
        name = name.replace("（", "(").replace("）", ")")
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(name) - 1)), max_size=3)))
    pieces = [name[i:j] for i, j in zip([0, *cuts], [*cuts, len(name)], strict=True)]
    breaks = [draw(st.sampled_from(["\n", " ", "\n ", " \n", "\u3000"])) for _ in pieces[1:]]
    return pieces[0] + "".join(b + p for b, p in zip(breaks, pieces[1:], strict=True))


@st.composite
def boxed_cells(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A checkbox cell of some ticked and some empty channels, each wrapped at random."""
    names = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=6, unique=True))
    ticked = draw(st.lists(st.booleans(), min_size=len(names), max_size=len(names)))
    parts = []
    for name, on in zip(names, ticked, strict=True):
        box = draw(st.sampled_from(ON if on else OFF))
        space = draw(st.sampled_from(["", " ", "\u3000"]))
        parts.append(box + space + _variant(name, draw))
    cell = "".join(draw(st.sampled_from(["", " ", "\n", "  "])) + p for p in parts).strip()
    return cell, [n for n, on in zip(names, ticked, strict=True) if on]


@st.composite
def listed_cells(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A plain list of channels, no boxes, separated by commas or 、, each wrapped at random."""
    names = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=5, unique=True))
    seps = [draw(st.sampled_from(["、", "，", ",", "；", "、\n", "，\n"])) for _ in names[1:]]
    cell = _variant(names[0], draw)
    cell += "".join(s + _variant(n, draw) for s, n in zip(seps, names[1:], strict=True))
    return cell, names


@settings(max_examples=400, deadline=None)
@given(case=boxed_cells() | listed_cells())
def test_any_split_of_known_labels_reads_back_the_same_channels(
        case: tuple[str, list[str]]) -> None:
    cell, names = case
    assert split_channels(cell) == order_like(names, CHANNELS)
    assert pick(cell, known_channels()).fragments == []


NONSENSE = st.text(alphabet="甲乙丙丁戊己庚辛", min_size=2, max_size=6)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(CHANNELS), junk=NONSENSE, bracket=st.booleans(),
       box=st.sampled_from(ON), data=st.data())
def test_a_wrapped_tail_that_matches_nothing_is_never_a_channel(
        name: str, junk: str, bracket: bool, box: str, data: st.DataObject) -> None:
    tail = f"（{junk}）" if bracket else junk
    cell = box + _variant(name, data.draw) + "\n" + tail
    picked = pick(cell, known_channels())
    assert picked.names == [name] and picked.others == []
    assert picked.fragments == [tail]
    assert split_channels(cell) == [name]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=boxed_cells())
def test_wrapped_cells_read_back_from_a_real_workbook(case: tuple[str, list[str]],
                                                      tmp_path: Path) -> None:
    cell, names = case
    head = tb.standard_head()
    it = tb.item("社会救助", 1, "最低生活保障", "审核信息", ["姓名"], tb.BASIS_DIBAO, tb.TL_NOW,
                 order_like(names, CHANNELS), ["全社会"], ["主动"], ["乡级"])
    book = openpyxl.Workbook()
    rows = [["城关镇社会救助领域基层政务公开标准目录"], *tb.head_rows(head),
            tb.row(it, "姓名", cell)]
    tb.put_xlsx(book.active, 1, rows, tb.head_merges(head, 1))
    path = tmp_path / "换行.xlsx"
    book.save(path)
    (section,) = read_county_table(path)
    assert section.items == [it]
    assert section.warnings == []


# --------------------------------------------------------------------------- reader


def test_fragment_is_a_reader_warning(tmp_path: Path) -> None:
    built = tb.build_xlsx_fragment(tmp_path)
    (section,) = read_county_table(built.path)
    assert section.items[0].channels == [BOARD]
    assert section.warnings == [tb.FRAGMENT_WARNING]


def test_audience_and_mode_words_in_one_column(tmp_path: Path) -> None:
    for build in (tb.build_xlsx_wrapped, tb.build_docx_wrapped):
        built = build(tmp_path)
        (section,) = read_county_table(built.path)
        assert [i.audience for i in section.items] == [i.audience for i in built.items]
        assert [i.mode for i in section.items] == [i.mode for i in built.items]
        assert section.warnings == []


def test_a_cell_of_hundreds_of_pieces_is_read_piece_by_piece() -> None:
    text = "■政府网站 " + " ".join(["甲乙"] * 600) + " 两微一端"
    picked = pick(text, known_channels())
    assert picked.names == ["政府网站", "两微一端"]
    assert len(picked.fragments) == 1 and len(picked.fragments[0]) <= 41


def test_a_cell_longer_than_any_checkbox_list_is_one_fragment() -> None:
    picked = pick("■政府网站" * 1000, known_channels())
    assert picked.names == [] and picked.fragments == ["■政府网站" * 8 + "…"]
