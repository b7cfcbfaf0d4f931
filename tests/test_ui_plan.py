"""The 年度计划 page and the plan's lines on the 工作台: what is owed this quarter, drafted
from the line; an item marked 不涉及 from the page with its reason."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.notices import drafts  # noqa: E402
from app.planning import plan  # noqa: E402
from ui import plan_page  # noqa: E402

pytest_plugins = ["conftest_ui"]
pytestmark = pytest.mark.usefixtures("pinned_today")
TODAY = "2026-11-23"
WAIT = 15_000
#: The default catalog's 农村公益电影放映 › 放映计划: 每月.
MONTHLY = "ggwh-008"


def test_dashboard_shows_what_this_quarter_owes_and_drafts_it(configured_window, qtbot,
                                                              monkeypatch) -> None:
    from ui.notices_page import NewNoticeDialog

    monkeypatch.setattr(NewNoticeDialog, "exec", lambda _d: NewNoticeDialog.DialogCode.Accepted)
    dash = configured_window.dashboard

    def plan_rows() -> list:
        rows = [dash.due_list.topLevelItem(i) for i in range(dash.due_list.topLevelItemCount())]
        return [r for r in rows if r.text(0) == "本季度应公开，尚未起草"]

    qtbot.waitUntil(lambda: bool(plan_rows()), timeout=WAIT)
    november = next(r for r in plan_rows() if "2026年11月" in r.text(3))
    assert november.text(1) == "农村公益电影放映 › 放映计划"
    assert november.text(2) == "2026-11-30"
    assert any(dash.due_list.topLevelItem(i).text(0) == "长期公开待复核"
               for i in range(dash.due_list.topLevelItemCount()))
    with qtbot.waitSignal(configured_window.notices.opened, timeout=WAIT):
        dash.due_list.itemActivated.emit(november, 0)
    page = configured_window.notices
    assert page.state.notice.item_id == MONTHLY and page.state.notice.formed == TODAY
    # Drafted in November, the month is answered: its line is gone.
    configured_window.refresh()
    qtbot.waitUntil(lambda: not any("2026年11月" in r.text(3) for r in plan_rows()),
                    timeout=WAIT)


def test_plan_page_lists_the_year_and_marks_an_item_not_applicable(configured_window, qtbot,
                                                                   monkeypatch) -> None:
    with open_desk(configured_window.folder) as store:
        drafts.create_notice(store, MONTHLY, formed="2026-11-05", today=date(2026, 11, 5))
    page = configured_window.page("年度计划")
    configured_window.show_page("年度计划")
    qtbot.waitUntil(lambda: page.plan is not None and page.tree.topLevelItemCount() > 0,
                    timeout=WAIT)
    rows = {(page.tree.topLevelItem(i).data(0, plan_page.ROLE).item_id,
             page.tree.topLevelItem(i).data(0, plan_page.ROLE).period.label):
            page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())}
    assert rows[(MONTHLY, "2026-11")].text(4) == "已落实"
    assert rows[(MONTHLY, "2026-10")].text(4) == "已逾期"
    assert rows[(MONTHLY, "2026-12")].text(4) == "待公开"
    assert "期次" in page.summary.text()

    def answer(dialog: QDialog) -> int:
        dialog.reason.setText("本镇电影放映由县文旅局统一安排")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(plan_page.NotApplicableDialog, "exec", answer)
    page.tree.setCurrentItem(rows[(MONTHLY, "2026-10")])
    assert page.na_button.isEnabled()
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.na_button.click()
    qtbot.waitUntil(lambda: "不涉及" in page.status.text(), timeout=WAIT)
    with open_desk(configured_window.folder) as store:
        result = plan.build_plan(store, 2026, date(2026, 11, 23))
    assert result.not_applicable[MONTHLY] == "本镇电影放映由县文旅局统一安排"
    shown = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    assert {r.text(4) for r in shown if r.data(0, plan_page.ROLE).item_id == MONTHLY} == {
        "不涉及"}
