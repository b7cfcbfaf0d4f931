"""年度报告 dialog: typed tables saved, table 三 from the register, the .docx written or refused."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import docx  # noqa: E402
import pytest  # noqa: E402

from app.desk import open_desk  # noqa: E402
from app.info_requests import cases  # noqa: E402
from app.reports import annual_figures  # noqa: E402
from ui import annual_report_dialog  # noqa: E402
from ui.annual_report_dialog import AnnualReportDialog  # noqa: E402

pytestmark = pytest.mark.usefixtures("pinned_today")

pytest_plugins = ["conftest_ui"]
WAIT = 20_000
TODAY = date(2026, 11, 23)


@pytest.fixture
def dialog(configured_window, qtbot) -> AnnualReportDialog:
    """The dialog on a register of three 2026 requests (two answered) and one of 2025."""
    with open_desk(configured_window.folder) as store:
        old = cases.register(store, "李四", "自然人", "2025-12-20", "危房改造名单")
        cases.answer(store, old.id, "予以公开", on="2026-01-10", today=TODAY)
        for name, received, outcome in (("张三", "2026-03-02", "予以公开"),
                                        ("王五", "2026-05-11", None),
                                        ("赵六", "2026-08-03", "部分公开")):
            r = cases.register(store, name, "自然人", received, "低保资金发放明细")
            if outcome:
                cases.answer(store, r.id, outcome, on=received, today=TODAY)
    shown = AnnualReportDialog(configured_window.runner, 2026, configured_window)
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.figures is not None, timeout=WAIT)
    return shown


def test_default_year_follows_the_reporting_season(monkeypatch) -> None:
    monkeypatch.setenv("GONGKAI_TODAY", "2027-01-20")
    assert annual_report_dialog.report_year_default() == 2026  # January: last year's report
    monkeypatch.setenv("GONGKAI_TODAY", "2026-11-23")
    assert annual_report_dialog.report_year_default() == 2026


def test_register_figures_shown_and_typed_tables_saved(dialog, configured_window, qtbot) -> None:
    with open_desk(configured_window.folder) as store:
        expected = annual_figures.annual_figures(store, 2026, TODAY).requests
    assert dialog.register_line.text().startswith(
        f"本年新收 {expected.new.total} 件，上年结转 {expected.carried_in.total} 件，"
        f"办理结果总计 {expected.results.total} 件，结转下年度 {expected.carried_out.total} 件")
    assert (expected.new.total, expected.carried_in.total, expected.results.total) == (3, 1, 3)
    assert dialog.balance.text().startswith("表格平衡")
    assert not dialog.carried["自然人"].isEnabled()  # from the register until unticked

    dialog.active["行政许可.本年处理决定数量"].setValue(3)
    dialog.active["行政事业性收费.本年收费金额"].setValue(1.25)
    dialog.cases["review"]["结果维持"].setValue(1)
    dialog.cases["review"]["尚未审结"].setValue(2)
    assert dialog.case_totals["review"].text() == "3"
    dialog.cases["litigation_direct"]["结果纠正"].setValue(1)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.message.text() == "已保存2026年度报告的数字。", timeout=WAIT)
    with open_desk(configured_window.folder) as store:
        manual = annual_figures.get_manual(store, 2026)
    assert manual.active["行政许可.本年处理决定数量"] == 3
    assert str(manual.active["行政事业性收费.本年收费金额"]) == "1.25"
    assert manual.review.values == (1, 0, 0, 2) and manual.review.total == 3
    assert manual.litigation_direct.values == (0, 1, 0, 0)
    assert manual.carried_in is None  # still from the register


def test_unbalanced_year_is_refused_and_no_file_is_asked_for(dialog, configured_window, qtbot,
                                                             monkeypatch, tmp_path) -> None:
    asked: list[str] = []
    monkeypatch.setattr(annual_report_dialog, "save_file",
                        lambda *a, **k: (asked.append("asked"), "")[1])
    dialog.from_register.setChecked(False)
    dialog.carried["自然人"].setValue(4)  # the register knows of one
    dialog.write()
    qtbot.waitUntil(lambda: "表格不平" in dialog.message.text(), timeout=WAIT)
    assert "「自然人」一列" in dialog.message.text() and "多出3件" in dialog.message.text()
    assert dialog.balance.text() == dialog.message.text()
    assert asked == [] and not list(tmp_path.glob("*.docx"))
    with open_desk(configured_window.folder) as store:
        assert annual_figures.get_manual(store, 2026).carried_in.total == 4  # the typed figure kept

    dialog.from_register.setChecked(True)
    out = tmp_path / "年度报告.docx"
    monkeypatch.setattr(annual_report_dialog, "save_file", lambda *a, **k: str(out))
    with qtbot.waitSignal(dialog.written, timeout=WAIT) as written:
        dialog.write()
    assert written.args[0].startswith(f"已写出2026年政府信息公开工作年度报告到 {out}")
    document = docx.Document(str(out))
    texts = [p.text.replace("\n", "") for p in document.paragraphs]
    assert "青石镇人民政府2026年政府信息公开工作年度报告" in texts
    assert any(t.startswith("四、政府信息公开行政复议") for t in texts)


def test_the_balance_follows_each_keystroke_of_the_carried_in(dialog, configured_window,
                                                              qtbot) -> None:
    """Typing 上年结转 re-checks table 三 at once, before anything is saved."""
    assert dialog.balance.text().startswith("表格平衡")
    dialog.from_register.setChecked(False)
    box = dialog.carried["自然人"]
    box.selectAll()
    qtbot.keyClicks(box, "4")  # the register knows of one
    figures = dialog.typed_figures()
    assert figures is not None and figures.requests.carried_in.get("自然人") == 4
    assert dialog.balance.text() == annual_figures.balance_problem(figures)
    assert "多出3件" in dialog.balance.text()
    assert "上年结转 4 件（手填；登记簿中为 1 件）" in dialog.register_line.text()
    box.selectAll()
    qtbot.keyClicks(box, "0")  # one fewer than the register can account for
    assert "少1件" in dialog.balance.text()
    box.selectAll()
    qtbot.keyClicks(box, "1")
    assert dialog.balance.text().startswith("表格平衡")
    dialog.from_register.setChecked(True)  # back to the register: balanced again
    assert dialog.balance.text().startswith("表格平衡")
    with open_desk(configured_window.folder) as store:
        assert annual_figures.get_manual(store, 2026).carried_in is None  # nothing saved


def test_with_carried_in_is_arithmetic_on_the_figures_read(configured_window) -> None:
    with open_desk(configured_window.folder) as store:
        figures = annual_figures.annual_figures(store, 2026, TODAY)
    typed = annual_figures.with_carried_in(figures, {"自然人": 2})
    assert typed.requests.carried_in.total == 2 and typed.requests.carried_in_manual
    assert typed.requests.carried_in_register == figures.requests.carried_in_register
    back = annual_figures.with_carried_in(typed, None)
    assert back.requests.carried_in == figures.requests.carried_in_register
    assert not back.requests.carried_in_manual
