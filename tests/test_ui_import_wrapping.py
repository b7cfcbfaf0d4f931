"""The import preview names a fragment that is no channel, and what each row truly changes."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses  # noqa: E402
from pathlib import Path  # noqa: E402

import table_builders as tb  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def preview(page, path: Path, qtbot):
    dialog = page.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=WAIT)
    return dialog


def rows(dialog) -> dict[str, tuple[str, str]]:
    """{item title: (action text, action tooltip)} of the preview tree."""
    tree, out = dialog.tree, {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        for j in range(top.childCount()):
            child = top.child(j)
            out[child.text(0).split(". ", 1)[1]] = (child.text(1), child.toolTip(1))
    return out


def test_fragment_warning_then_per_field_changes(catalog_page, qtbot, tmp_path: Path) -> None:
    built = tb.build_xlsx_fragment(tmp_path)
    dialog = preview(catalog_page, built.path, qtbot)
    assert "提示：" + tb.FRAGMENT_WARNING in dialog.warnings.text()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        dialog.confirm()

    (it,) = built.items
    other = tb.item("社会救助", 1, "临时救助", "救助结果", ["救助对象姓名"], tb.BASIS_LINSHI,
                    tb.TL_QUARTER, ["政府网站"], ["全社会"], ["主动"], ["乡级"])
    first = tb.county_table(tmp_path / "一.xlsx", [dataclasses.replace(other, seq=2)])
    dialog = preview(catalog_page, first, qtbot)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        dialog.confirm()

    changed = dataclasses.replace(it, seq=1, levels=["县级", "乡级"])
    path = tb.county_table(tmp_path / "二.xlsx", [changed, dataclasses.replace(other, seq=5)])
    dialog = preview(catalog_page, path, qtbot)
    shown = rows(dialog)
    assert shown["最低生活保障 › 审核信息"] == ("更新（公开层级）", "公开层级：乡级 → 县级、乡级")
    assert shown["临时救助 › 救助结果"][0] == "不变（只调整序号 2→5）"
    assert "1 项只调整序号" in dialog.info.text()
