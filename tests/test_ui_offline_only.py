"""公开目录's item detail: 仅限线下公开，不上网, and the clerk's 只报元数据 box for the item."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.desk import open_desk  # noqa: E402
from app.notices import county_copy  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000


def test_the_detail_says_offline_and_the_box_sets_metadata_only(catalog_page, qtbot,
                                                                  data_dir) -> None:
    page = catalog_page
    with qtbot.waitSignal(page.items_shown, timeout=WAIT):
        assert page.select_domain("社会救助")
    row = next(n for n, i in enumerate(page.model.items) if i.id == "shjz-003")
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT):
        page.table.selectRow(row)
    assert "仅限线下公开，不上网" in page.detail.toPlainText()
    assert page.metadata_only.isEnabled() and not page.metadata_only.isChecked()
    page.metadata_only.setChecked(True)
    qtbot.waitUntil(lambda: "只报元数据" in page.status.text(), timeout=WAIT)
    with open_desk(data_dir) as store:
        assert county_copy.metadata_only(store, "shjz-003")
    web = next(n for n, i in enumerate(page.model.items) if i.id == "shjz-005")
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT):
        page.table.selectRow(web)
    assert "仅限线下公开" not in page.detail.toPlainText()
    assert not page.metadata_only.isChecked()  # shjz-005's own word, not shjz-003's
    with qtbot.waitSignal(page.detail_shown, timeout=WAIT):
        page.table.selectRow(row)
    assert page.metadata_only.isChecked()
