"""Official faces wherever the program runs, and no character of a name ever dropped.

This machine has no Chinese system fonts, as many a township PC: everything
here prints in the bundled faces. The names are real 生僻字 from public
reporting and standards: 王𬌗 (Extension E, the case the issue reported),
刘䶮 and 李㛃 (Extension A), 张𠮷 and 陈𪚥 (Extension B), 𰻝 (Extension G,
the biang of 𰻝𰻝面).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from tests_support import DIBAO_HEADER, dibao_rows

from app.notices import drafts
from app.printing.fonts import FALLBACK, bundled_faces, choose_faces
from app.printing.pdf_fonts import face_for, missing, runs
from app.printing.sheet import Block, Sheet
from app.printing.sheet_docx import render_sheet_docx
from app.printing.sheet_pdf import render_sheet_pdf

RARE_NAMES = ["王𬌗", "刘䶮", "李㛃", "张𠮷", "陈𪚥", "赵𰻝"]
#: Extension I (Unicode 15.1, 2023): no bundled face has it yet.
NO_FACE = "\U0002EBF0"


def fonts_of(pdf: Path) -> dict[str, tuple[str, str]]:
    """pdffonts' rows by face name (subset prefix dropped): (embedded, subset)."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return {re.sub(r"^[A-Z]{6}\+", "", row[0]): (row[-5], row[-4]) for row in rows}


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def sheet(body: list[Block]) -> Sheet:
    return Sheet(title="关于2026年第四季度最低生活保障新增对象的公示", blocks=body,
                 publicity="公示期：2026年12月1日至2026年12月7日。", phone="0551-62345678",
                 issuer="青石镇人民政府", dated="2026年12月1日", draft=False,
                 closing="特此公示。")


def test_a_machine_without_chinese_fonts_prints_song_and_fang_embedded(tmp_path) -> None:
    faces = choose_faces(dirs=[])  # what a bare PC finds: nothing, so ours
    assert all(face.bundled for face in faces.values())
    out = tmp_path / "sheet.pdf"
    render_sheet_pdf(sheet([Block("经个人申请、村民委员会入户调查、乡镇人民政府审核，现予公示。")]),
                     out, faces=faces)
    fonts = fonts_of(out)
    assert fonts["NotoSerifCJKsc-Bold"] == ("yes", "yes")  # the title's Song
    assert fonts["FandolFang-Regular"] == ("yes", "yes")   # the body's 仿宋
    assert fonts["FandolKai-Regular"] == ("yes", "yes")    # issuer and date in 楷体
    assert all(embedded == "yes" and subset == "yes" for embedded, subset in fonts.values())


def test_every_rare_character_of_a_name_prints_in_a_fallback_face(tmp_path) -> None:
    out = tmp_path / "names.pdf"
    text = "公示对象：" + "、".join(RARE_NAMES) + "。"
    render_sheet_pdf(sheet([Block(text)]), out, faces=bundled_faces())
    printed = re.sub(r"\s+", "", text_of(out))
    for name in RARE_NAMES:
        assert name in printed, name
    fonts = fonts_of(out)
    assert fonts["HanaMinA"] == ("yes", "yes")
    assert fonts["BabelStoneHan"] == ("yes", "yes")  # 𰻝, Extension G


def test_runs_keep_the_role_face_and_switch_only_for_what_it_lacks() -> None:
    body = bundled_faces()["body"]
    parts = [(face.family, part) for face, part in runs("王𬌗同志", body)]
    assert parts == [("FandolFang R", "王"), ("HanaMinA", "𬌗"), ("FandolFang R", "同志")]
    assert face_for("𠮷", body) in FALLBACK
    assert face_for(NO_FACE, body) is None


def test_a_character_no_face_has_is_named_never_silently_dropped() -> None:
    assert missing("王𬌗" + NO_FACE + "同志", bundled_faces()) == [NO_FACE]
    assert missing("、".join(RARE_NAMES), bundled_faces()) == []


def test_notice_check_names_the_unprintable_character(gk, tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    file = tmp_path / "body.txt"
    file.write_text(f"新增保障对象：王𬌗、张{NO_FACE}。\n", encoding="utf-8")
    n = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20",
                "--body-file", str(file))
    assert gk.json("notice", "check", n["id"])["unprintable"] == [NO_FACE]
    said = gk("notice", "check", n["id"]).stdout
    assert "U+2EBF0" in said and "𬌗" not in said


def test_docx_names_the_faces_the_pdf_prints_in_with_fallback_runs(township, tmp_path) -> None:
    n = drafts.create_notice(township, "shjz-002", formed="2026-11-20",
                             body="新增保障对象：王𬌗。")
    from app.printing.sheet import build_sheet

    out = tmp_path / "sheet.docx"
    render_sheet_docx(build_sheet(township, n.id), out)
    named = {(run.text, run._element.rPr.rFonts.get(qn("w:eastAsia")))
             for p in Document(str(out)).paragraphs for run in p.runs}
    assert ("𬌗", "HanaMinA") in named
    families = {family for _text, family in named}
    assert {"FandolFang R", "Noto Serif CJK SC"} <= families


def test_the_screen_font_list_ends_with_the_fallback_faces(qapp) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    families = qapp.font().families()
    for char in "𬌗䶮𠮷𰻝":
        assert any(QFontMetrics(QFont(f)).inFontUcs4(ord(char)) for f in families), char


@pytest.fixture
def qapp():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.fonts import install_fonts

    app = QApplication.instance() or QApplication([])
    install_fonts(app)
    return app



def test_a_roster_of_rare_names_prints_every_name_whole_in_its_cells(township, tmp_path) -> None:
    rows = dibao_rows(len(RARE_NAMES))
    for row, name in zip(rows, RARE_NAMES, strict=True):
        row[1] = name
    out = tmp_path / "roster.pdf"
    render_sheet_pdf(sheet([Block("现将名单公示如下："), Block(rows=[DIBAO_HEADER, *rows])]),
                     out, faces=bundled_faces())
    lines = [re.sub(r"\s+", " ", line).strip() for line in text_of(out).splitlines()]
    for name in RARE_NAMES:  # each on a row of its own, next to its number and ID
        assert any(re.search(rf"\b\d\s+{name}\s+110101", line) for line in lines), name
    fonts = fonts_of(out)
    assert fonts["HanaMinA"] == ("yes", "yes") and fonts["BabelStoneHan"] == ("yes", "yes")


def test_the_preview_and_the_render_command_name_a_character_no_face_has(gk, data_dir,
                                                                         tmp_path) -> None:
    gk("init", "--township", "青石镇", "--county", "东山县", "--phone", "0551-62345678")
    file = tmp_path / "body.txt"
    file.write_text(f"新增保障对象：王𬌗、张{NO_FACE}。\n", encoding="utf-8")
    n = gk.json("notice", "new", "--item", "shjz-002", "--formed", "2026-11-20",
                "--body-file", str(file))
    said = gk("notice", "render", n["id"], "--out", str(tmp_path / "sheet.pdf")).stdout
    assert "U+2EBF0" in said and "空框" in said
    from app.desk import open_desk
    from app.printing.output import PrintOptions, render_notice

    store = open_desk(data_dir)
    done = render_notice(store, n["id"], tmp_path / "again.pdf", PrintOptions("pdf"))
    store.close()
    assert any("U+2EBF0" in note for note in done.notes)
