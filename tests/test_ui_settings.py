"""设置: the township's identity and the holiday arrangements deadlines rest on."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.township import get_township  # noqa: E402
from app.workdays import Calendar  # noqa: E402

pytest_plugins = ["conftest_ui"]
WAIT = 10_000
NEXT_YEAR = date.today().year + 1


def settings(window, qtbot):
    window.show_page("设置")
    page = window.settings
    qtbot.waitUntil(lambda: page.years.count() == 4, timeout=WAIT)
    return page


def year_rows(page) -> list[str]:
    return [page.years.item(i).text() for i in range(page.years.count())]


def test_years_listed_with_status(window, qtbot) -> None:
    page = settings(window, qtbot)
    this = date.today().year
    assert [r.split("年")[0] for r in year_rows(page)] == [str(y)
                                                          for y in range(this - 1, this + 3)]
    assert f"{NEXT_YEAR}年　未知" in year_rows(page)
    assert page.selected_year() == NEXT_YEAR  # the year most likely to need loading


def test_settings_save_the_township(window, qtbot) -> None:
    page = settings(window, qtbot)
    page.township.setText("青石镇")
    page.county.setText("东山县")
    page.phone.setText("0551-12345678")
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.save()
    assert page.message.text() == "已保存。"
    qtbot.waitUntil(lambda: "东山县青石镇" in window.dashboard.township.text(), timeout=WAIT)
    assert window.windowTitle() == "乡镇政务公开工作台 — 东山县青石镇"
    with open_desk(window.folder) as store:
        assert get_township(store).phone == "0551-12345678"

    page.township.setText("")
    page.save()
    qtbot.waitUntil(lambda: "不能为空" in page.message.text(), timeout=WAIT)
    with open_desk(window.folder) as store:
        assert get_township(store).township == "青石镇"  # refused whole, nothing changed


def test_holiday_editor_loads_next_year_and_the_warning_goes(configured_window, qtbot) -> None:
    win = configured_window
    assert win.dashboard.warning_shown
    page = settings(win, qtbot)
    page.years.setCurrentRow([r.split("年")[0] for r in year_rows(page)].index(str(NEXT_YEAR)))
    dialog = page.edit_year()
    qtbot.waitSignal(dialog.ready, timeout=WAIT).wait()
    assert dialog.windowTitle() == f"{NEXT_YEAR}年节假日安排"
    assert dialog.holidays.toPlainText() == ""  # nothing known about that year yet

    dialog.save()  # empty: asks once more rather than marking the year known
    assert "还没有填写" in dialog.message.text() and dialog.isVisible()

    dialog.holidays.setPlainText(f"{NEXT_YEAR}-01-01\n{NEXT_YEAR}-13-01")
    dialog.save()
    qtbot.waitUntil(lambda: "格式不对" in dialog.message.text(), timeout=WAIT)
    with open_desk(win.folder) as store:
        assert not Calendar.from_store(store).knows(NEXT_YEAR)  # nothing changed

    dialog.holidays.setPlainText(f"{NEXT_YEAR}-01-01\n{NEXT_YEAR}-10-01")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save()
    qtbot.waitUntil(lambda: f"{NEXT_YEAR}年　已载入" in year_rows(page), timeout=WAIT)
    qtbot.waitUntil(lambda: not win.dashboard.warning_shown, timeout=WAIT)
    assert f"{NEXT_YEAR}年：已载入" in win.dashboard.calendar.text()
    assert page.township.text() == "青石镇"  # the form was not reset by the calendar
    with open_desk(win.folder) as store:
        assert Calendar.from_store(store).year_status(NEXT_YEAR) == "已载入"


def test_load_file_clears_the_warning_and_refuses_bad_files(window, qtbot,
                                                            tmp_path: Path) -> None:
    page = settings(window, qtbot)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"year": NEXT_YEAR, "holidays": ["明年元旦"], "workdays": []}),
                   encoding="utf-8")
    page.load_file(str(bad))
    qtbot.waitUntil(lambda: "格式不对" in page.calendar_message.text(), timeout=WAIT)
    assert window.dashboard.warning_shown

    good = tmp_path / "next.json"
    good.write_text(json.dumps({"year": NEXT_YEAR, "holidays": [f"{NEXT_YEAR}-01-01"],
                                "workdays": []}), encoding="utf-8")
    page.load_file(str(good))
    qtbot.waitUntil(lambda: not window.dashboard.warning_shown, timeout=WAIT)
    assert page.calendar_message.text() == f"已载入{NEXT_YEAR}年节假日安排。"


def test_template_box_saves_only_changes_and_refuses_bad_input(window, qtbot) -> None:
    from app.notices.templates import get_template, township_changes

    page = settings(window, qtbot)
    box = page.templates
    qtbot.waitUntil(lambda: box.closing.text() == "特此公示。", timeout=WAIT)
    assert "默认模板" in box.changed_note.text() and not box.qr_caption.isEnabled()
    box.heading.setText("中共{乡镇名称}委员会　{乡镇名称}人民政府")
    box.phone_label.setCurrentText("举报电话")
    with qtbot.waitSignal(box.saved, timeout=WAIT):
        box.save()
    assert box.message.text() == "模板已保存。"
    assert "标题上方一行" in box.changed_note.text()
    with open_desk(window.folder) as store:
        assert set(township_changes(store, "公示")) == {"heading", "phone_label"}
        assert get_template(store, "公示").phone_label == "举报电话"

    box.closing.setText("长" * 501)
    box.save()
    qtbot.waitUntil(lambda: "最多500个字" in box.message.text(), timeout=WAIT)
    with open_desk(window.folder) as store:
        assert get_template(store, "公示").closing == "特此公示。"  # refused whole

    with qtbot.waitSignal(box.loaded, timeout=WAIT):
        box.kind.setCurrentText("明白纸")
    assert box.qr_caption.isEnabled() and box.qr_caption.text() == "扫码查看网上版本"
    with qtbot.waitSignal(box.loaded, timeout=WAIT):
        box.kind.setCurrentText("公示")
    with qtbot.waitSignal(box.saved, timeout=WAIT):
        box.reset()
    assert box.heading.text() == "" and box.phone_label.currentText() == "监督电话"
    with open_desk(window.folder) as store:
        assert township_changes(store, "公示") == {}
