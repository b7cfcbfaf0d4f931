"""电子屏: pages of exactly the screen's pixels, type never under the rule, 名单 paged right."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from app.errors import UserError
from app.notices import drafts
from app.printing.drawn import pdf_bytes, png_pages
from app.printing.screen import (
    export_screen,
    layout_screens,
    list_screens,
    metrics,
    parse_size,
    set_screens,
)
from app.printing.sheet import Block, Sheet

pytestmark = pytest.mark.usefixtures("pinned_today")
HEADER = ["序号", "姓名", "村组", "金额"]


def name_list(rows: int) -> Sheet:
    table = [HEADER] + [[str(n), f"张{n}", "东塆村", "680"] for n in range(1, rows + 1)]
    return Sheet("低保对象名单", [Block(rows=table)], "", "", "", "", draft=False)


def rows_for_pages(size_text: str, pages: int) -> int:
    """How many one-line rows make exactly ``pages`` pages, from the geometry of the rule."""
    m = metrics(parse_size(size_text))
    room = m.bottom - m.top
    first = (room - m.title_line - m.line) // m.line  # title, header, then rows
    later = (room - m.line - m.line) // m.line  # 标题（续）, header, then rows
    return first + later * (pages - 2) + 1


@pytest.mark.parametrize("size_text", ["1920x1080", "384x192", "768x384"])
def test_every_line_is_at_least_the_minimum_and_pages_are_the_screen_size(size_text) -> None:
    size = parse_size(size_text)
    assert size.min_type >= 16 and size.min_type >= size.height / 18
    body = Block(text="根据有关规定，现将本月新增低保对象公示如下，"
                      "公示期内如有异议请向镇民政办反映。")
    sheet = Sheet("青石镇2026年11月城乡低保对象名单公示",
                  [body, *name_list(12).blocks], "公示期：2026年11月23日至2026年12月1日",
                  "0551-62345678", "青石镇人民政府", "2026年11月23日", draft=False)
    pages = layout_screens([sheet], size, "青石镇人民政府")
    for page in pages:
        assert page.picture.width == size.width and page.picture.height == size.height
        assert page.picture.texts
        assert min(t.size for t in page.picture.texts) >= size.min_type
        for t in page.picture.texts:  # nothing drawn off the screen
            assert 0 <= t.top and t.top + t.size <= size.height
        assert f"第{page.number}/{len(pages)}屏" in [t.text for t in page.picture.texts]
    png = png_pages(pdf_bytes([pages[0].picture], "t"), size.width)[0]
    from io import BytesIO
    with Image.open(BytesIO(png)) as image:
        assert image.size == (size.width, size.height)


@pytest.mark.parametrize("size_text", ["1920x1080", "384x192"])
def test_a_name_list_of_three_pages_gives_three_with_the_header_on_each(size_text) -> None:
    size = parse_size(size_text)
    rows = rows_for_pages(size_text, 3)
    pages = layout_screens([name_list(rows)], size, "青石镇")
    assert len(pages) == 3
    assert len(layout_screens([name_list(rows - 1)], size, "青石镇")) == 2
    seen = []
    for page in pages:
        texts = [t.text for t in page.picture.texts]
        assert all(h in texts for h in HEADER)
        seen += [t for t in texts if t.startswith("张")]
    assert seen == [f"张{n}" for n in range(1, rows + 1)]
    assert pages[1].picture.texts[0].text == "低保对象名单（续）"


@pytest.mark.parametrize("text", ["0x0", "99999x1", "1920x1080x3", "1920x", "x", "", "\x00",
                                  "1x1", "128x4320", "名" * 41])
def test_garbage_sizes_are_one_sentence(text) -> None:
    with pytest.raises(UserError) as err:
        parse_size(text)
    assert err.value.args[0].count("。") == 1


def test_screens_of_settings_size_the_export_by_name(township, tmp_path) -> None:
    set_screens(township, "村委会门口LED屏 768x384\n镇大厅 1920x1080\n")
    assert [s.name for s in list_screens(township)] == ["村委会门口LED屏", "镇大厅"]
    with pytest.raises(UserError):
        set_screens(township, "没有分辨率")
    with pytest.raises(UserError):
        export_screen(township, [], tmp_path / "x", parse_size("没有这块屏"))
    table = "\n".join(["序号\t姓名\t金额", *(f"{n}\t张{n}\t680" for n in range(1, 40))])
    a = drafts.create_notice(township, "shjz-002", title="低保名单公示", body=table,
                             formed="2026-11-20")
    b = drafts.create_notice(township, "shjz-001", title="救助政策", kind="公告",
                             body="一、救助对象。", formed="2026-11-20")
    folder = tmp_path / "usb"
    (folder).mkdir()
    (folder / "099.png").write_bytes(b"old")  # a page of an earlier loop
    files = export_screen(township, [a.id, b.id], folder, parse_size("村委会门口LED屏"))
    assert [f.name for f in files] == [f"{n:03d}.png" for n in range(1, len(files) + 1)]
    assert not (folder / "099.png").exists()
    for f in files:
        with Image.open(f) as image:
            assert image.size == (768, 384)
    playlist = (folder / "playlist.txt").read_text(encoding="utf-8-sig")
    assert all(f.name in playlist for f in files) and "救助政策" in playlist


def test_cli_exports_pages_and_refuses_garbage_in_one_sentence(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", check=False)
    nid = gk.json("notice", "new", "--item", "shjz-002", "--title", "名单")["id"]
    out = tmp_path / "screen"
    gk("notice", "export", nid, "--channel", "电子屏", "--out", str(out), "--size", "384x192")
    pngs = sorted(out.glob("*.png"))
    assert pngs
    with Image.open(pngs[0]) as image:
        assert image.size == (384, 192)
    for bad in ("0x0", "99999x1", "abc"):
        proc = gk("notice", "export", nid, "--channel", "电子屏", "--out", str(out),
                  "--size", bad, check=False)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().count("\n") == 0


def test_a_row_taller_than_a_page_runs_on_and_nothing_leaves_the_screen() -> None:
    size = parse_size("384x192")
    remark = "因病致贫，家庭主要劳动力长期住院治疗，子女尚在读书，" * 12
    table = [["姓名", "情况说明"], ["张三", remark], ["李四", "无"]]
    pages = layout_screens([Sheet("名单", [Block(rows=table)], "", "", "", "", False)],
                           size, "青石镇")
    assert len(pages) > 2
    for page in pages:
        for t in page.picture.texts:
            assert t.top + t.size <= size.height and t.x >= 0
            assert t.size >= size.min_type
    x = next(t.x for t in pages[0].picture.texts if t.text == "情况说明")
    column = [t.text for p in pages for t in p.picture.texts
              if t.x == x and t.text not in ("情况说明", "无") and "屏" not in t.text]
    assert "".join(column) == remark


def test_too_many_columns_for_the_screen_is_one_sentence() -> None:
    table = [[f"列{n}" for n in range(12)], [str(n) for n in range(12)]]
    with pytest.raises(UserError) as err:
        layout_screens([Sheet("名单", [Block(rows=table)], "", "", "", "", False)],
                       parse_size("384x192"), "青石镇")
    assert err.value.args[0].count("。") == 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_size_a_name_or_one_sentence(text) -> None:
    try:
        size = parse_size(text)
    except UserError as err:
        assert err.args[0].count("。") == 1
        return
    assert (size.width == 0 and size.name) or (
        128 <= size.width <= 7680 and 96 <= size.height <= 4320 and size.min_type >= 16)


@pytest.mark.parametrize("size_text", ["1920x1080", "1280x720"])
def test_a_seven_column_roster_keeps_names_and_villages_whole(size_text) -> None:
    from tests_support import DIBAO_HEADER, dibao_rows

    rows = [list(DIBAO_HEADER)] + dibao_rows(12)
    pages = layout_screens([Sheet("低保名单", [Block(rows=rows)], "", "", "", "", False)],
                           parse_size(size_text), "青石镇")
    drawn = {t.text for p in pages for t in p.picture.texts}
    # A name cut over two lines reads as two people; masked numbers may wrap instead.
    for row in rows[1:]:
        assert row[1] in drawn and row[6] in drawn, row


def test_the_signature_never_shows_without_its_closing() -> None:
    # However long the 名单, 特此公示, the issuer and the date share a screen.
    size = parse_size("384x192")
    for rows in range(1, 25):
        table = [HEADER] + [[str(n), f"张{n}", "东塆村", "680"] for n in range(1, rows + 1)]
        sheet = Sheet("低保对象名单", [Block(rows=table)], "公示期：2026年11月12日至11月20日",
                      "0551-62345678", "青石镇人民政府", "2026年11月23日", False,
                      closing="特此公示。")
        pages = layout_screens([sheet], size, "青石镇")
        where = {t.text: p.number for p in pages for t in p.picture.texts}
        assert where["特此公示。"] == where["青石镇人民政府"] == where["2026年11月23日"], rows
