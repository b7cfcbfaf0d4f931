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

    typed = f"{NEXT_YEAR}-01-01\n10月1日至7日\n国庆节"
    dialog.holidays.setPlainText(typed)
    dialog.save()
    qtbot.waitUntil(lambda: "第3行「国庆节」看不懂" in dialog.message.text(), timeout=WAIT)
    assert dialog.message.text().startswith("放假日期第3行「国庆节」看不懂。")
    assert dialog.holidays.toPlainText() == typed and dialog.isVisible()  # the form is kept
    with open_desk(win.folder) as store:
        assert not Calendar.from_store(store).knows(NEXT_YEAR)  # nothing changed

    dialog.holidays.setPlainText(f"{NEXT_YEAR}-01-01\n10月1日至7日")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save()
    qtbot.waitUntil(lambda: f"{NEXT_YEAR}年　已载入" in year_rows(page), timeout=WAIT)
    qtbot.waitUntil(lambda: not win.dashboard.warning_shown, timeout=WAIT)
    assert f"{NEXT_YEAR}年：已载入" in win.dashboard.calendar.text()
    assert page.township.text() == "青石镇"  # the form was not reset by the calendar
    with open_desk(win.folder) as store:
        cal = Calendar.from_store(store)
        assert cal.year_status(NEXT_YEAR) == "已载入"
        assert not cal.is_workday(date(NEXT_YEAR, 10, 5))  # inside the typed range

    again = page.edit_year()
    qtbot.waitSignal(again.ready, timeout=WAIT).wait()
    assert again.holidays.toPlainText() == (f"{NEXT_YEAR}-01-01\n"
                                            f"{NEXT_YEAR}-10-01至{NEXT_YEAR}-10-07")
    again.reject()


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


# -- the workflow boxes: each saves on its own -------------------------------------------


def _loaded(page, qtbot):
    for box in page.workflow_boxes():
        box.refresh()
        qtbot.waitSignal(box.loaded, timeout=WAIT).wait()


def test_each_box_saves_on_its_own_and_a_refusal_names_its_field(configured_window,
                                                                  qtbot) -> None:
    """Today a refused office number kept the boards and review steps from being saved."""
    from app.notices import review
    from app.notices.boards import list_boards
    from app.notices.workflow import get_workflow

    page = settings(configured_window, qtbot)
    _loaded(page, qtbot)
    assert page.review.steps.currentIndex() == 2
    page.phones.phones.setText("0531-8765 4321，0531-8765")
    page.phones.save()
    qtbot.waitUntil(lambda: page.phones.message.text() != "", timeout=WAIT)
    assert page.phones.message.text() == "办公电话：「0531-8765」不是电话号码。"
    assert page.phones.phones.text() == "0531-8765 4321，0531-8765"  # kept to fix

    page.villages.villages.setPlainText("西岭村\n东河村村务公开栏\n西岭村公示栏")
    with qtbot.waitSignal(page.villages.saved, timeout=WAIT):
        page.villages.save()
    assert page.villages.villages.toPlainText() == "西岭村\n东河村\n西岭村公示栏"
    page.review.steps.setCurrentIndex(0)
    with qtbot.waitSignal(page.review.saved, timeout=WAIT):
        page.review.save()
    assert page.review.message.text() == "已保存。"
    # The refused box still holds what the clerk typed, the others did not reread it.
    assert page.phones.phones.text() == "0531-8765 4321，0531-8765"
    with open_desk(configured_window.folder) as store:
        assert review.review_steps(store) == ("初审",)
        assert [b.name for b in list_boards(store)] == [
            "镇政务公开栏", "西岭村村务公开栏", "东河村村务公开栏", "西岭村公示栏"]
        assert get_workflow(store).office_phones == []

    page.phones.phones.setText("0531-8765 4321， 12345")
    with qtbot.waitSignal(page.phones.saved, timeout=WAIT):
        page.phones.save()
    assert page.phones.phones.text() == "0531-8765 4321，12345"
    with open_desk(configured_window.folder) as store:
        assert get_workflow(store).office_phones == ["0531-8765 4321", "12345"]


def test_the_review_box_names_who_may_pass_each_step(configured_window, qtbot) -> None:
    from app.notices.workflow import get_reviewers

    page = settings(configured_window, qtbot)
    _loaded(page, qtbot)
    box = page.review
    assert list(box.reviewers) == ["初审", "审核", "审发"]
    assert box.one_reviewer.text() == "本镇只有一名审核人（允许同一人审核各步）"
    box.reviewers["初审"].setText("王明，赵丽、王明")
    box.reviewers["审发"].setText("张强")
    box.one_reviewer.setChecked(True)
    with qtbot.waitSignal(box.saved, timeout=WAIT):
        box.save()
    assert box.reviewers["初审"].text() == "王明，赵丽"
    with open_desk(configured_window.folder) as store:
        assert get_reviewers(store) == ({"初审": ["王明", "赵丽"], "审核": [], "审发": ["张强"]},
                                        True)

    box.steps.setCurrentIndex(1)  # 审发 not used: its names stay, greyed
    assert not box.reviewers["审发"].isEnabled() and box.reviewers["审核"].isEnabled()
    box.reviewers["审核"].setText("长" * 21)
    box.save()
    qtbot.waitUntil(lambda: "太长了" in box.message.text(), timeout=WAIT)
    assert box.message.text().startswith("审核：审核人「")
    with open_desk(configured_window.folder) as store:
        assert get_reviewers(store)[0]["审核"] == []  # refused, nothing changed


def test_the_township_box_keeps_the_number_as_typed(window, qtbot) -> None:
    page = settings(window, qtbot)
    page.township.setText("青石镇")
    page.county.setText("东山县")
    page.phone.setText("（0531）8765-4321")
    with qtbot.waitSignal(page.changed, timeout=WAIT):
        page.save()
    with open_desk(window.folder) as store:
        assert get_township(store).phone == "（0531）8765-4321"
    page.phone.setText("0531-8765")
    page.save()
    qtbot.waitUntil(lambda: "不是电话号码" in page.message.text(), timeout=WAIT)
    assert page.message.text() == "监督电话：「0531-8765」不是电话号码。"
