"""导入目录: the dry-run preview, the choices it asks for, then the import itself."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from app.catalog.items import list_items  # noqa: E402
from app.desk import open_desk  # noqa: E402
from ui.import_dialog import NEW  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def titles(dialog) -> dict[str, list[tuple[str, str]]]:
    """The preview tree as {domain row: [(item row, action)]}."""
    tree = dialog.tree
    out = {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        out[top.text(0)] = [(top.child(j).text(0), top.child(j).text(1))
                            for j in range(top.childCount())]
    return out


def preview(page, path: Path, qtbot):
    dialog = page.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.report is not None or bool(dialog.error), timeout=WAIT)
    return dialog


def test_county_table_is_previewed_then_imported(catalog_page, county_table, qtbot) -> None:
    page = catalog_page
    with qtbot.waitSignal(page.items_shown, timeout=WAIT):
        page.select_domain("社会救助")
    before = page.model.rowCount()
    dialog = preview(page, county_table(), qtbot)
    report = dialog.report
    assert report.dry_run and report.rows == 2
    assert dialog.info.text().startswith("预览（尚未写入）：读到 2 行（社会救助）")
    assert dialog.progress.value() == dialog.progress.maximum() == 2
    rows = titles(dialog)
    (section, items), = rows.items()
    assert section.startswith("社会救助") and "表中 2 行" in section
    assert ("1. 残疾人两项补贴 › 补贴对象名单", "新增") in items
    with open_desk(page.runner.folder) as store:  # the preview wrote nothing
        assert len(list_items(store, "社会救助")) == before
    assert dialog.ok.isEnabled()

    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        dialog.confirm()
    assert not dialog.report.dry_run and dialog.report.version
    qtbot.waitUntil(lambda: "残疾人两项补贴" in
                    "".join(i.level1 for i in page.model.items), timeout=WAIT)
    with open_desk(page.runner.folder) as store:
        items = list_items(store, "社会救助")
    assert {"残疾人两项补贴", "户口登记"} <= {i.level1 for i in items}
    assert len(items) == before + 2


def test_replace_reruns_the_preview_with_retirements(catalog_page, county_table, qtbot) -> None:
    dialog = preview(catalog_page, county_table(), qtbot)
    assert "停用 0 项" in dialog.info.text()
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        dialog.replace.setChecked(True)
    assert dialog.report.replace and dialog.report.dry_run
    retired = [title for rows in titles(dialog).values() for title, action in rows
               if action == "停用"]
    assert len(retired) >= 6 and any("最低生活保障" in t for t in retired)
    dialog.reject()


def _json_catalog(path: Path, domain: str) -> Path:
    path.write_text(json.dumps({"format": "gongkai-catalog", "items": [{
        "id": "", "domain": domain, "seq": 1, "level1": "户口迁移", "level2": "办事指南",
        "elements": ["条件"], "basis": "《中华人民共和国户口登记条例》",
        "time_limit": "及时公开", "subject": "派出所", "channels": ["政府网站"],
        "audience": ["全社会"], "mode": ["主动"], "levels": ["乡级"]}]}, ensure_ascii=False),
        encoding="utf-8")
    return path


def test_new_domain_needs_an_explicit_choice(catalog_page, qtbot, tmp_path: Path) -> None:
    dialog = preview(catalog_page, _json_catalog(tmp_path / "hj.json", "户籍管理"), qtbot)
    assert "户籍管理" in dialog.choices and not dialog.ok.isEnabled()
    assert dialog.domain_box.isVisibleTo(dialog)
    combo = dialog.choices["户籍管理"]
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        combo.setCurrentIndex(combo.findData(NEW))
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        dialog.confirm()
    qtbot.waitUntil(lambda: catalog_page.domain_list.count() == 14, timeout=WAIT)


def test_new_domain_can_be_mapped_to_an_existing_one(catalog_page, qtbot,
                                                     tmp_path: Path) -> None:
    dialog = preview(catalog_page, _json_catalog(tmp_path / "sj.json", "社会救济"), qtbot)
    combo = dialog.choices["社会救济"]
    qtbot.waitUntil(lambda: combo.findData("社会救助") >= 0, timeout=WAIT)
    with qtbot.waitSignal(dialog.previewed, timeout=WAIT):
        combo.setCurrentIndex(combo.findData("社会救助"))
    assert list(titles(dialog))[0].startswith("社会救助（表中称“社会救济”）")
    with qtbot.waitSignal(dialog.imported, timeout=WAIT):
        dialog.confirm()
    qtbot.waitUntil(lambda: catalog_page.domain_list.count() == 13, timeout=WAIT)
    with open_desk(catalog_page.runner.folder) as store:
        assert "户口迁移" in [i.level1 for i in list_items(store, "社会救助")]


def test_unreadable_file_is_one_sentence(catalog_page, qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"not a workbook")
    dialog = preview(catalog_page, bad, qtbot)
    assert dialog.report is None and dialog.error
    assert dialog.info.text() == dialog.error and "\n" not in dialog.error
    assert not dialog.ok.isEnabled()
    dialog.reject()
